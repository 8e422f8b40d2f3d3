/** The dossier's summary and notices: facts worth an auditor's attention, stated without judgement. */
import { formatAmount } from "./format.ts";
import type { ClaimRecord, DossierSummary, TxRef, UnixTime, VersionDossier } from "./types.ts";

/** The summary and the notices: facts worth an auditor's attention, stated without judgement. */
export function summarise(d: VersionDossier, now: bigint): DossierSummary {
  const notices: string[] = [];
  const at = (tx: TxRef | null | undefined, time?: UnixTime) => (tx ? ` at ${tx.time} (block ${tx.block}, tx ${tx.txHash})` : time?.time ? ` at ${time.time}` : "");
  if (d.generatedAt.hasIndexingErrors) notices.push("The subgraph reports indexing errors: facts after the failing block are missing.");
  if (!d.version.approved) notices.push("The version has no release approval.");
  for (const a of d.attestations) {
    if (!a.revocation) continue;
    const where = a.inApproval ? ", listed in the release approval," : "";
    notices.push(
      `Attestation ${a.id} (${a.kind.name} on ${a.subject.type} ${a.subject.id})${where} was revoked${at(a.revocation.tx, a.revocation.at)} by ${a.revocation.by}: ${a.revocation.reason}`,
    );
  }
  for (const a of d.attestations) {
    if (!a.revoked && a.expiresAt.unix !== "0" && now !== 0n && BigInt(a.expiresAt.unix) <= now) {
      notices.push(`Attestation ${a.id} (${a.kind.name}) expired at ${a.expiresAt.time ?? a.expiresAt.unix}.`);
    }
  }
  const validOnVersion = new Set(
    d.attestations
      .filter((a) => a.subject.type === "ModelVersion" && a.subject.id === d.version.id && !a.revoked)
      .filter((a) => a.expiresAt.unix === "0" || now === 0n || BigInt(a.expiresAt.unix) > now)
      .map((a) => a.kind.id),
  );
  for (const kind of d.model.requiredKinds) {
    if (!validOnVersion.has(kind.id)) {
      notices.push(`The release policy requires a ${kind.name} attestation; the version has no unrevoked, unexpired one now.`);
    }
  }
  for (const r of d.rollbacks) {
    if (r.fromVersionId === d.version.id) {
      notices.push(`Rolled back from ${r.environment}${at(r.tx)} by ${r.by}: ${r.reason}`);
    }
  }
  for (const ds of d.datasets) {
    if (ds.withdrawal) notices.push(`Dataset ${ds.id} was withdrawn by its owner${at(ds.withdrawal.tx, ds.withdrawal.at)}: ${ds.withdrawal.reason}`);
    if (ds.consentRevocation) {
      notices.push(`Consent to use dataset ${ds.id} was revoked${at(ds.consentRevocation.tx, ds.consentRevocation.at)} by ${ds.consentRevocation.by}: ${ds.consentRevocation.reason}`);
    }
    for (const c of ds.termsClearances) {
      notices.push(`Dataset ${ds.id}'s terms ${c.previousTermsId} were cleared by its transfer to ${c.newOwner}${at(c.tx)}.`);
    }
  }
  for (const l of d.licences) {
    if (l.refund) {
      notices.push(`Licence ${l.id} (dataset ${l.datasetId}) was voided${at(l.refund.tx)}: ${formatAmount(l.refund.amount, l.refund.currency)} refunded to ${l.licensee}.`);
    }
    if (l.expiredAtReportBlock) notices.push(`Licence ${l.id} (dataset ${l.datasetId}) expired at ${l.expiresAt.time ?? l.expiresAt.unix}.`);
    if (d.training && l.expiresAt.unix !== "0" && BigInt(l.expiresAt.unix) < BigInt(d.training.endedAt.unix)) {
      notices.push(`Licence ${l.id} expired before the declared end of training.`);
    }
    if (d.model.commercial && !l.terms.commercialUse) notices.push(`The model is commercial but licence ${l.id}'s terms forbid commercial use.`);
    if (!l.terms.derivativesAllowed) notices.push(`Licence ${l.id}'s terms do not allow derivatives.`);
  }
  if (!d.training) notices.push("No training run is recorded for this version: its training data is not on chain.");
  else if (!d.version.dataDeclared) notices.push("The version's training data is undeclared: its training run, or a fine-tune ancestor's, names no registered dataset.");
  for (const a of d.attestations) {
    if (!a.roleRevocation) continue;
    notices.push(
      `Attestation ${a.id} (${a.kind.name}) was made by ${a.attester}, which no longer holds the role its kind requires (revoked${a.roleRevocation.at.time ? ` at ${a.roleRevocation.at.time}` : ""} by ${a.roleRevocation.by}); it stays valid on chain.`,
    );
  }
  const lapsed = lapsedApproval(d, now);
  const liveButNotReleasable = d.environments.filter((e) => e.versionLive && lapsed.length > 0).map((e) => e.name);
  for (const environment of liveButNotReleasable) {
    notices.push(`Live in ${environment} although no longer releasable: ${lapsed.join("; ")}.`);
  }
  for (const c of d.competingClaims) {
    const claim = (x: ClaimRecord) => `${x.claimant} (${c.kind === "model-weights" ? "model" : "dataset"} ${x.assetId} version ${x.number}, id ${x.versionId}, block ${x.tx.block}${x.priority ? `, committed earlier at ${x.priority.commitmentBlock === null ? (x.priority.committedAt.time ?? x.priority.committedAt.unix) : `block ${x.priority.commitmentBlock}`}` : ""})`;
    const what = c.kind === "model-weights" ? `The weights hash ${c.digest} of model version ${c.subjectVersionId}` : `The fingerprint ${c.digest} of dataset version ${c.subjectVersionId}`;
    const earliest = c.claims.find((x) => x.versionId === c.earliestPriority)!;
    notices.push(
      `${what} is claimed by ${c.claims.length} accounts, in chain order: ${c.claims.map(claim).join(", ")}; the earliest claim is ${earliest.claimant}'s (version id ${earliest.versionId}).`,
    );
  }
  for (const b of d.decisionBatches) {
    if (b.otherAnchors.length === 0) continue;
    const others = b.otherAnchors.map((o) => `model version ${o.versionId} (model ${o.modelId}, owner ${o.modelOwner}) at block ${o.tx.block}`).join(", ");
    notices.push(`Decision root ${b.root} was also anchored by ${others}: the root alone does not show which version produced a decision.`);
  }
  return {
    approved: d.version.approved,
    liveIn: d.environments.filter((e) => e.versionLive).map((e) => e.name),
    everDeployed: d.deployments.length > 0,
    rolledBack: d.rollbacks.filter((r) => r.fromVersionId === d.version.id).length,
    revokedAttestationIds: d.attestations.filter((a) => a.revoked).map((a) => a.id),
    notReleasableBecause: lapsed,
    liveButNotReleasable,
    notices,
  };
}

/** Why the version's approval no longer holds (attestations of it revoked or expired at `now`); empty if it holds. */
function lapsedApproval(d: VersionDossier, now: bigint): string[] {
  if (!d.approval) return [];
  const byId = new Map(d.attestations.map((a) => [a.id, a]));
  return d.approval.attestationIds.flatMap((id) => {
    const a = byId.get(id);
    if (!a) return [];
    if (a.revoked) return [`attestation ${id} (${a.kind.name}) of its approval was revoked`];
    const expiresAt = BigInt(a.expiresAt.unix);
    return expiresAt !== 0n && now !== 0n && expiresAt <= now ? [`attestation ${id} (${a.kind.name}) of its approval expired`] : [];
  });
}
