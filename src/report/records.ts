/**
 * The dossier's records, each built from an audit answer: the same facts, written the way the dossier format
 * (pedigree-dossier/1) writes them — decimal strings for chain numbers, transaction references with ISO times.
 */
import type { AgentOnVersion } from "../audit/agents.ts";
import type { EnvironmentInfo } from "../audit/environments.ts";
import type { DigestClaims } from "../audit/claims.ts";
import type {
  AttestationInfo,
  DatasetInfo,
  DatasetVersionInfo,
  DeploymentInfo,
  LicenceInfo,
  ModelVersionInfo,
  ProvenanceEntry,
  RollbackInfo,
  SystemVersionInfo,
} from "../audit/types.ts";
import type { TrainingRunInfo } from "../audit/whatTrainedThis.ts";
import type { ModelInfo, WhoActedOnResult } from "../audit/whoActedOn.ts";
import { describeRegionCodes } from "../core/regions.ts";
import { compareNumeric, txRef, unixTime } from "./time.ts";
import type {
  AgentRecord,
  AttestationRecord,
  ClaimRecord,
  CompetingClaimsRecord,
  DatasetRecord,
  DatasetVersionRecord,
  DecisionBatchRecord,
  DeploymentRecord,
  EnvironmentChange,
  EnvironmentRecord,
  LicenceRecord,
  ModelRecord,
  ModelVersionRecord,
  ProvenanceEventRecord,
  RollbackRecord,
  SystemVersionRecord,
  TrainingRunRecord,
} from "./types.ts";

export function modelRecord(m: ModelInfo): ModelRecord {
  return {
    id: m.id,
    creator: m.creator,
    owner: m.owner,
    commercial: m.commercial,
    metadataHash: m.metadataHash,
    uri: m.uri,
    requiredKinds: m.requiredKinds,
    requiresDeclaredData: m.requiresDeclaredData,
    versionCount: m.versionCount,
    tx: txRef(m.registered),
  };
}

export function versionRecord(v: ModelVersionInfo): ModelVersionRecord {
  return {
    id: v.id,
    modelId: v.modelId,
    number: v.number,
    weightsHash: v.weightsHash,
    claimant: v.claimant,
    manifestRoot: v.manifestRoot,
    configHash: v.configHash,
    uri: v.uri,
    publisher: v.publisher,
    parentId: v.parentId,
    dataDeclared: v.dataDeclared,
    commercialData: v.commercialData,
    approved: v.approved,
    approvalRevoked: v.approvalRevoked,
    tx: txRef(v.published),
  };
}

export function trainingRecord(run: TrainingRunInfo): TrainingRunRecord {
  return {
    id: run.versionId,
    codeHash: run.codeHash,
    hyperparametersHash: run.hyperparametersHash,
    startedAt: unixTime(run.startedAt),
    endedAt: unixTime(run.endedAt),
    region: run.region,
    computeProvider: run.computeProvider,
    uses: run.uses.map((u) => ({ index: u.index, datasetId: u.datasetId, datasetVersionId: u.datasetVersionId, licenceId: u.licenceId })),
    tx: txRef(run.recorded),
  };
}

export function datasetRecord(d: DatasetInfo): DatasetRecord {
  return {
    id: d.id,
    creator: d.creator,
    owner: d.owner,
    withdrawn: d.withdrawn,
    withdrawal: d.withdrawn
      ? { reason: d.withdrawalReason ?? "", at: unixTime(d.withdrawnAt), tx: d.withdrawalRecorded ? txRef(d.withdrawalRecorded) : null }
      : null,
    consentRevocation: d.consentRevocation
      ? {
          by: d.consentRevocation.by,
          reason: d.consentRevocation.reason,
          at: unixTime(d.consentRevocation.timestamp),
          tx: d.consentRevocation.recorded ? txRef(d.consentRevocation.recorded) : null,
        }
      : null,
    versionCount: d.versionCount,
    currentTermsId: d.currentTerms?.id ?? null,
    termsClearances: d.termsClearances.map((c) => ({ previousTermsId: c.previousTermsId, newOwner: c.newOwner, tx: txRef(c.recorded) })),
    tx: txRef(d.registered),
  };
}

/** A dataset version, its parents in id order with the licence each is used under (null: the owner's own data). */
export function datasetVersionRecord(dv: DatasetVersionInfo, usedInTraining: boolean, derivationDepth: number): DatasetVersionRecord {
  const pairs = dv.parentIds.map((id, i) => ({ id, licence: dv.parentLicenceIds[i] ?? null })).sort((a, b) => compareNumeric(a.id, b.id));
  return {
    id: dv.id,
    datasetId: dv.datasetId,
    number: dv.number,
    fingerprint: dv.fingerprint,
    manifestRoot: dv.manifestRoot,
    metadataHash: dv.metadataHash,
    uri: dv.uri,
    parentIds: pairs.map((p) => p.id),
    parentLicenceIds: pairs.map((p) => p.licence),
    claimant: dv.claimant,
    transformationHash: dv.transformationHash,
    publisher: dv.publisher,
    usedInTraining,
    derivationDepth,
    tx: txRef(dv.published),
  };
}

/** A licence; `now` (unix seconds, 0 when unknown) decides whether it had expired at the dossier's block. */
export function licenceRecord(l: LicenceInfo, now: number): LicenceRecord {
  const t = l.terms;
  return {
    id: l.id,
    datasetId: l.datasetId,
    licensee: l.licensee,
    payer: l.payer,
    currency: l.currency,
    amount: l.amount,
    expiresAt: unixTime(l.expiresAt),
    expiredAtReportBlock: l.expiresAt !== null && now !== 0 && l.expiresAt <= now,
    terms: {
      id: t.id,
      datasetId: t.datasetId,
      currency: t.currency,
      price: t.price,
      duration: String(t.duration),
      commercialUse: t.commercialUse,
      derivativesAllowed: t.derivativesAllowed,
      documentHash: t.documentHash,
      documentURI: t.documentURI,
      trainingTerritories: describeRegionCodes(t.trainingTerritories),
      deploymentTerritories: describeRegionCodes(t.deploymentTerritories),
      unitPrice: t.unitPrice,
      unit: t.unit,
      derivativeRoyaltyBps: t.derivativeRoyaltyBps,
      setBy: t.setBy,
      splits: t.splits.map((s, index) => ({ index, recipient: s.recipient, bps: s.bps })),
      tx: txRef(t.set),
    },
    refund: l.refund ? { amount: l.refund.amount, currency: l.refund.currency, refundedBy: l.refund.refundedBy, tx: txRef(l.refund) } : null,
    tx: txRef(l.acquired),
  };
}

function revocationRecord(r: NonNullable<AttestationInfo["revocation"]>): AttestationRecord["revocation"] {
  const tx = r.transactionHash !== null && r.blockNumber !== null ? txRef({ transactionHash: r.transactionHash, blockNumber: r.blockNumber, timestamp: r.timestamp }) : null;
  return { by: r.by, reason: r.reason, at: unixTime(r.timestamp), tx };
}

export function attestationRecord(a: AttestationInfo, inApproval: boolean): AttestationRecord {
  return {
    id: a.id,
    kind: { id: a.kind, name: a.kindName, role: a.kindRole },
    subject: { type: a.subject.type, id: a.subject.id },
    attester: a.attester,
    attesterHoldsRole: a.attesterHoldsRole,
    roleRevocation: a.roleRevocation ? { by: a.roleRevocation.by, at: unixTime(a.roleRevocation.timestamp) } : null,
    submitter: a.submitter,
    viaSignature: a.viaSignature,
    expiresAt: unixTime(a.expiresAt),
    evidenceHash: a.evidenceHash,
    evidenceURI: a.evidenceURI,
    refId: a.refId,
    revoked: a.revocation !== null,
    revocation: a.revocation ? revocationRecord(a.revocation) : null,
    inApproval,
    tx: txRef(a.attested),
  };
}

export function deploymentRecord(d: DeploymentInfo, environmentId: string): DeploymentRecord {
  return {
    id: d.id,
    environmentId,
    environment: d.environment,
    versionId: d.versionId,
    previousId: d.previousDeploymentId,
    systemId: d.systemId,
    regions: d.regions,
    deployer: d.deployer,
    active: d.active,
    endedAt: d.active || d.endedAt === null ? null : unixTime(d.endedAt),
    tx: txRef(d.deployed),
  };
}

export function rollbackRecord(r: RollbackInfo, environmentId: string): RollbackRecord {
  return {
    id: r.id,
    environmentId,
    environment: r.environment,
    fromDeploymentId: r.fromDeploymentId,
    fromVersionId: r.fromVersionId,
    toDeploymentId: r.toDeploymentId,
    toVersionId: r.toVersionId,
    reason: r.reason,
    by: r.by,
    tx: txRef(r),
  };
}

function changeRecord(change: EnvironmentInfo["timeline"][number]): EnvironmentChange {
  if (change.kind === "deployed") {
    const d = change.deployment;
    return { kind: "deployed", deploymentId: d.id, versionId: d.versionId, fromVersionId: null, reason: null, by: d.deployer, tx: txRef(d.deployed) };
  }
  const r = change.rollback;
  return { kind: "rolled-back", deploymentId: r.toDeploymentId, versionId: r.toVersionId, fromVersionId: r.fromVersionId, reason: r.reason, by: r.by, tx: txRef(r) };
}

export function environmentRecord(e: EnvironmentInfo, versionId: string): EnvironmentRecord {
  return {
    id: e.id,
    name: e.name,
    key: e.key,
    liveVersionId: e.liveVersionId,
    liveDeploymentId: e.liveDeploymentId,
    versionLive: e.liveVersionId === versionId,
    timeline: e.timeline.map(changeRecord),
  };
}

export function decisionBatchRecord(b: WhoActedOnResult["decisionBatches"][number]): DecisionBatchRecord {
  return {
    root: b.root,
    count: String(b.count),
    windowStart: unixTime(b.windowStart),
    windowEnd: unixTime(b.windowEnd),
    systemId: b.systemId,
    policyHash: b.policyHash,
    regions: b.regions,
    uri: b.uri,
    operator: b.operator,
    tx: txRef(b),
    otherAnchors: b.otherAnchors.map((o) => ({ versionId: o.versionId, modelId: o.modelId, modelOwner: o.modelOwner, tx: txRef(o) })),
  };
}

export function eventRecord(e: ProvenanceEntry, versionId: string): ProvenanceEventRecord {
  const s = e.subjects;
  return {
    id: e.id,
    action: e.action,
    actor: e.actor,
    description: e.description,
    subjects: {
      datasetId: s.dataset,
      datasetVersionId: s.datasetVersion,
      licenceId: s.licence,
      modelId: s.model,
      modelVersionId: s.modelVersion,
      attestationId: s.attestation,
      deploymentId: s.deployment,
      decisionBatchId: s.decisionBatch,
    },
    aboutVersion: s.modelVersion === versionId,
    logIndex: String(e.logIndex),
    tx: txRef(e),
  };
}

/** The claims of a digest, when more than one account claims it; null otherwise. */
export function competingClaimsRecord(claims: DigestClaims, subjectVersionId: string): CompetingClaimsRecord | null {
  if (!claims.competing || claims.firstRegistered === null || claims.earliestPriority === null) return null;
  const records: ClaimRecord[] = claims.claims.map((c) => ({
    versionId: c.versionId,
    assetId: c.assetId,
    number: c.number,
    claimant: c.claimant,
    priority: c.priority
      ? { committedAt: unixTime(c.priority.committedAt), commitmentBlock: c.priority.commitmentBlock === null ? null : String(c.priority.commitmentBlock) }
      : null,
    attestationIds: c.attestations.map((a) => a.id).sort(compareNumeric),
    logIndex: String(c.registered.logIndex),
    tx: txRef(c.registered),
  }));
  return { kind: claims.kind, digest: claims.digest, subjectVersionId, claims: records, firstRegistered: claims.firstRegistered, earliestPriority: claims.earliestPriority };
}

export function systemVersionRecord(s: SystemVersionInfo): SystemVersionRecord {
  return {
    id: s.id,
    parentId: s.parentId,
    ...s.config,
    retrieval: s.retrieval.map((r) => ({ datasetVersionId: r.datasetVersionId, datasetId: r.datasetId, licenceId: r.licence.id })),
    uri: s.uri,
    publisher: s.publisher,
    approved: s.approved,
    approvalRevoked: s.approvalRevoked,
    tx: txRef(s.published),
  };
}

export function agentRecord(a: AgentOnVersion): AgentRecord {
  return {
    agentId: a.agentId,
    owner: a.owner,
    agentURI: a.agentURI,
    boundNow: a.boundNow,
    actionCount: String(a.actionCount),
    bindings: a.bindings.map((b) => ({
      id: b.id,
      systemId: b.systemId,
      policyHash: b.policyHash,
      systemPolicy: b.systemPolicy,
      by: b.by,
      tx: txRef(b.bound),
      replaced: b.replaced ? { bindingId: b.replaced.bindingId, tx: txRef(b.replaced) } : null,
    })),
    actionBatches: a.actionBatches.map((b) => ({
      root: b.root,
      count: String(b.count),
      windowStart: unixTime(b.windowStart),
      windowEnd: unixTime(b.windowEnd),
      bindingId: b.bindingId,
      systemId: b.systemId,
      policyHash: b.policyHash,
      uri: b.uri,
      signer: b.signer,
      relayedBy: b.relayedBy,
      tx: txRef(b),
    })),
  };
}
