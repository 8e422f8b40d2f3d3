/** The dossier's summary and notices: facts worth an auditor's attention, stated without judgement. */
import { formatAmount } from "./format.ts";
import type { ClaimRecord, CompetingClaimsRecord, DossierSummary, TxRef, UnixTime, VersionDossier } from "./types.ts";

/** The summary and the notices: facts worth an auditor's attention, stated without judgement. */
export function summarise(d: VersionDossier, now: bigint): DossierSummary {
  const lapsed = lapsedApproval(d, now);
  const liveIn = d.environments.filter((e) => e.versionLive).map((e) => e.name);
  const liveButNotReleasable = lapsed.length > 0 ? [...liveIn] : [];
  return {
    approved: d.version.approved,
    liveIn,
    everDeployed: d.deployments.length > 0,
    // Taken out, not switched between two of its system versions (the weights stayed live).
    rolledBack: d.rollbacks.filter((r) => r.fromVersionId === d.version.id && r.toVersionId !== d.version.id).length,
    revokedAttestationIds: d.attestations.filter((a) => a.revoked).map((a) => a.id),
    notReleasableBecause: lapsed,
    liveButNotReleasable,
    notices: [
      ...statusNotices(d),
      ...revocationNotices(d),
      ...expiryNotices(d, now),
      ...missingRequiredKindNotices(d, now),
      ...rollbackNotices(d),
      ...datasetNotices(d),
      ...licenceNotices(d),
      ...trainingNotices(d),
      ...lostRoleNotices(d),
      ...d.jurisdictions.conflicts.map((c) => `Outside its territory: ${c.message}.`),
      ...liveButNotReleasable.map((environment) => `Live in ${environment} although no longer releasable: ${lapsed.join("; ")}.`),
      ...d.competingClaims.map(competingClaimsNotice),
      ...sharedDecisionRootNotices(d),
    ],
  };
}

/** " at <time> (block <n>, tx <hash>)" for a transaction, else " at <time>" when only the time is known, else "". */
function at(tx: TxRef | null | undefined, time?: UnixTime): string {
  return tx ? ` at ${tx.time} (block ${tx.block}, tx ${tx.txHash})` : time?.time ? ` at ${time.time}` : "";
}

/** Whether `expiresAt` ("0" = never) has passed at `now` (0 = unknown: nothing has). */
function expiredAt(expiresAt: UnixTime, now: bigint): boolean {
  const expiry = BigInt(expiresAt.unix);
  return expiry !== 0n && now !== 0n && expiry <= now;
}

/** The indexer's state and the version's approval. */
function statusNotices(d: VersionDossier): string[] {
  return [
    ...(d.generatedAt.hasIndexingErrors ? ["The subgraph reports indexing errors: facts after the failing block are missing."] : []),
    ...(d.version.approved ? [] : ["The version has no release approval."]),
  ];
}

function revocationNotices(d: VersionDossier): string[] {
  return d.attestations.flatMap(({ id, kind, subject, inApproval, revocation }) => {
    if (!revocation) return [];
    const where = inApproval ? ", listed in the release approval," : "";
    return [`Attestation ${id} (${kind.name} on ${subject.type} ${subject.id})${where} was revoked${at(revocation.tx, revocation.at)} by ${revocation.by}: ${revocation.reason}`];
  });
}

function expiryNotices(d: VersionDossier, now: bigint): string[] {
  return d.attestations
    .filter((a) => !a.revoked && expiredAt(a.expiresAt, now))
    .map((a) => `Attestation ${a.id} (${a.kind.name}) expired at ${a.expiresAt.time ?? a.expiresAt.unix}.`);
}

/** Kinds the release policy requires that no unrevoked, unexpired attestation of the version holds now. */
function missingRequiredKindNotices(d: VersionDossier, now: bigint): string[] {
  const validOnVersion = new Set(
    d.attestations
      .filter((a) => a.subject.type === "ModelVersion" && a.subject.id === d.version.id && !a.revoked && !expiredAt(a.expiresAt, now))
      .map((a) => a.kind.id),
  );
  return d.model.requiredKinds
    .filter((kind) => !validOnVersion.has(kind.id))
    .map((kind) => `The release policy requires a ${kind.name} attestation; the version has no unrevoked, unexpired one now.`);
}

function rollbackNotices(d: VersionDossier): string[] {
  return d.rollbacks
    .filter((r) => r.fromVersionId === d.version.id)
    .map((r) =>
      r.toVersionId === d.version.id
        ? `A system version of it was rolled back in ${r.environment}${at(r.tx)} by ${r.by} (the weights stayed live): ${r.reason}`
        : `Rolled back from ${r.environment}${at(r.tx)} by ${r.by}: ${r.reason}`,
    );
}

/** Per dataset: its withdrawal, the revocation of consent to use it, and transfers that cleared its terms. */
function datasetNotices(d: VersionDossier): string[] {
  return d.datasets.flatMap(({ id, withdrawal, consentRevocation, termsClearances }) => [
    ...(withdrawal ? [`Dataset ${id} was withdrawn by its owner${at(withdrawal.tx, withdrawal.at)}: ${withdrawal.reason}`] : []),
    ...(consentRevocation
      ? [`Consent to use dataset ${id} was revoked${at(consentRevocation.tx, consentRevocation.at)} by ${consentRevocation.by}: ${consentRevocation.reason}`]
      : []),
    ...termsClearances.map((c) => `Dataset ${id}'s terms ${c.previousTermsId} were cleared by its transfer to ${c.newOwner}${at(c.tx)}.`),
  ]);
}

/** Per licence: its refund, its expiry (at the report's block, or before the declared end of training), its terms' limits. */
function licenceNotices(d: VersionDossier): string[] {
  const trainingEnd = d.training ? BigInt(d.training.endedAt.unix) : null;
  return d.licences.flatMap((l) => [
    ...(l.refund ? [`Licence ${l.id} (dataset ${l.datasetId}) was voided${at(l.refund.tx)}: ${formatAmount(l.refund.amount, l.refund.currency)} refunded to ${l.licensee}.`] : []),
    ...(l.expiredAtReportBlock ? [`Licence ${l.id} (dataset ${l.datasetId}) expired at ${l.expiresAt.time ?? l.expiresAt.unix}.`] : []),
    ...(trainingEnd !== null && l.expiresAt.unix !== "0" && BigInt(l.expiresAt.unix) < trainingEnd ? [`Licence ${l.id} expired before the declared end of training.`] : []),
    ...(d.model.commercial && !l.terms.commercialUse ? [`The model is commercial but licence ${l.id}'s terms forbid commercial use.`] : []),
    ...(l.terms.derivativesAllowed ? [] : [`Licence ${l.id}'s terms do not allow derivatives.`]),
  ]);
}

function trainingNotices(d: VersionDossier): string[] {
  if (!d.training) return ["No training run is recorded for this version: its training data is not on chain."];
  if (!d.version.dataDeclared) return ["The version's training data is undeclared: its training run, or a fine-tune ancestor's, names no registered dataset."];
  return [];
}

/** Attestations whose attester has since lost the role their kind requires. */
function lostRoleNotices(d: VersionDossier): string[] {
  return d.attestations.flatMap(({ id, kind, attester, roleRevocation }) => {
    if (!roleRevocation) return [];
    const when = roleRevocation.at.time ? ` at ${roleRevocation.at.time}` : "";
    return [`Attestation ${id} (${kind.name}) was made by ${attester}, which no longer holds the role its kind requires (revoked${when} by ${roleRevocation.by}); it stays valid on chain.`];
  });
}

/** A digest of the lineage that several accounts claim: every claim in chain order, and the earliest. */
function competingClaimsNotice(c: CompetingClaimsRecord): string {
  const asset = c.kind === "model-weights" ? "model" : "dataset";
  const priority = ({ priority }: ClaimRecord) =>
    !priority ? "" : `, committed earlier at ${priority.commitmentBlock === null ? (priority.committedAt.time ?? priority.committedAt.unix) : `block ${priority.commitmentBlock}`}`;
  const claim = (x: ClaimRecord) => `${x.claimant} (${asset} ${x.assetId} version ${x.number}, id ${x.versionId}, block ${x.tx.block}${priority(x)})`;
  const what = c.kind === "model-weights" ? `The weights hash ${c.digest} of model version ${c.subjectVersionId}` : `The fingerprint ${c.digest} of dataset version ${c.subjectVersionId}`;
  const earliest = c.claims.find((x) => x.versionId === c.earliestPriority)!;
  return `${what} is claimed by ${c.claims.length} accounts, in chain order: ${c.claims.map(claim).join(", ")}; the earliest claim is ${earliest.claimant}'s (version id ${earliest.versionId}).`;
}

/** Decision roots another version anchored too: the root alone names no producer then. */
function sharedDecisionRootNotices(d: VersionDossier): string[] {
  return d.decisionBatches
    .filter((b) => b.otherAnchors.length > 0)
    .map((b) => {
      const others = b.otherAnchors.map((o) => `model version ${o.versionId} (model ${o.modelId}, owner ${o.modelOwner}) at block ${o.tx.block}`).join(", ");
      return `Decision root ${b.root} was also anchored by ${others}: the root alone does not show which version produced a decision.`;
    });
}

/** Why the version's approval no longer holds (attestations of it revoked or expired at `now`); empty if it holds. */
function lapsedApproval(d: VersionDossier, now: bigint): string[] {
  if (!d.approval) return [];
  const byId = new Map(d.attestations.map((a) => [a.id, a]));
  return d.approval.attestationIds.flatMap((id) => {
    const a = byId.get(id);
    if (!a) return [];
    if (a.revoked) return [`attestation ${id} (${a.kind.name}) of its approval was revoked`];
    return expiredAt(a.expiresAt, now) ? [`attestation ${id} (${a.kind.name}) of its approval expired`] : [];
  });
}
