/**
 * Whether a model version is still releasable: approved, and every attestation its approval rested on still valid
 * (unrevoked, unexpired) — ModelRegistry.isReleasable, judged from the subgraph at the answer's block. A version can
 * stay live after an approving attestation is revoked or expires: audits flag it as live but no longer releasable.
 * A question that judges it selects `...ApprovalValidity` (documents/releasable.graphql) on the version.
 */
import type { ApprovalValidityFragment } from "./generated/graphql.ts";

/** Whether a version is releasable, and why not. */
export interface ReleaseStatus {
  /** Approved and every approving attestation valid at the answer's time; null when an expiry cannot be judged. */
  releasable: boolean | null;
  /** One line per reason it is not releasable (or may not be); empty when it is. */
  reasons: string[];
}

/**
 * The release status of a version from its approval; `now` is the unix time of the answer's block (null when unknown,
 * as for a time-travel answer: then an approving attestation with an expiry leaves the answer open).
 */
export function releaseStatusOf(raw: ApprovalValidityFragment, now: number | null): ReleaseStatus {
  if (!raw.approved || !raw.approval) return { releasable: false, reasons: ["it has no release approval"] };
  const failed: string[] = [];
  const open: string[] = [];
  for (const a of raw.approval.attestations) {
    const what = `attestation ${a.id} (${a.kind.name}) of its approval`;
    const expiresAt = Number(a.expiresAt);
    if (a.revoked) failed.push(`${what} was revoked${a.revocationReason ? `: ${a.revocationReason}` : ""}`);
    else if (expiresAt === 0) continue;
    else if (now === null) open.push(`${what} expires at unix time ${expiresAt}; the answer's block time is unknown`);
    else if (expiresAt <= now) failed.push(`${what} expired at unix time ${expiresAt}`);
  }
  return { releasable: failed.length > 0 ? false : open.length > 0 ? null : true, reasons: [...failed, ...open] };
}
