/** 8. Release approval: who approved the version, on which attestations, and whether it is still releasable. */
import { SECTIONS } from "../limitations.ts";
import type { ApprovalRecord, VersionDossier } from "../types.ts";
import { badge, code, fields, join, note, paragraph, tx, type Inline, type Section } from "./blocks.ts";

export function approvalSection(d: VersionDossier): Section {
  if (!d.approval) return { spec: SECTIONS.approval, blocks: [note("bad", "The version has no release approval.")] };
  const because = d.summary.notReleasableBecause;
  return {
    spec: SECTIONS.approval,
    blocks: [
      fields([
        ["Approved by", code(d.approval.approvedBy)],
        ["Approved", tx(d.approval.tx)],
        ["On the strength of attestations", approvalAttestations(d, d.approval)],
      ]),
      paragraph("The approval is a fact of its block: a later revocation of an attestation it relied on does not undo it on chain."),
      ...(because.length ? [note("bad", `The version is no longer releasable: ${because.join("; ")}.`)] : []),
    ],
  };
}

/** "3 (safety-evaluation), 4 (bias-check, revoked since)": each attestation the approval names, with its kind. */
function approvalAttestations(d: VersionDossier, approval: ApprovalRecord): Inline[] {
  const byId = new Map(d.attestations.map((a) => [a.id, a]));
  const named = approval.attestationIds.map((id): Inline[] => {
    const a = byId.get(id);
    if (!a) return [id];
    return a.revoked ? [`${id} (${a.kind.name}, `, badge("revoked since", "bad"), ")"] : [`${id} (${a.kind.name})`];
  });
  return join(named, ", ");
}
