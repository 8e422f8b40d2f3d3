/**
 * Internals shared by the audit functions: input validation, the GraphQL selections every audit reuses, and the
 * conversion of raw subgraph values (BigInt strings, `{ id }` references) into the plain data of ./types.ts.
 */
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { parseId, type IdInput } from "../core/ids.ts";
import { regionCodes } from "../core/regions.ts";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { AuditClient } from "./client.ts";
import { NotInSubgraphError, SubgraphUnreachableError, type SubjectLabel } from "./errors.ts";
import type {
  ApprovalFieldsFragment,
  AttestationFieldsFragment,
  DataContextFragment,
  DatasetFieldsFragment,
  DatasetVersionFieldsFragment,
  DecisionBatchFieldsFragment,
  DeploymentFieldsFragment,
  EventFieldsFragment,
  LicenceFieldsFragment,
  MetaFieldsFragment,
  ModelVersionFieldsFragment,
  RollbackFieldsFragment,
  SystemFieldsFragment,
  TermsFieldsFragment,
} from "./generated/graphql.ts";
import type {
  ApprovalInfo,
  AsOf,
  AttestationInfo,
  DataContextInfo,
  DatasetInfo,
  DatasetVersionInfo,
  DecisionBatchInfo,
  DeploymentInfo,
  LicenceInfo,
  ModelVersionInfo,
  ProvenanceAction,
  ProvenanceEntry,
  RollbackInfo,
  SystemVersionInfo,
  TermsInfo,
  TxStamp,
} from "./types.ts";
import { ZERO_HASH } from "./types.ts";

/** An id as a caller may give it: a bigint, a safe integer, or a decimal / 0x string. */
export type { IdInput };

// ------------------------------------------------------------------ input validation

/** A positive on-chain id as the subgraph's decimal string id (the one id validator: ../core/ids.ts). */
export function toId(value: IdInput, field: string): string {
  return parseId(value, field).toString();
}

/** An account as the subgraph's lower-case hex id. */
export function toAccount(value: string, field: string): string {
  return parseAddress(value, field).toLowerCase();
}

/** A bytes32 as lower-case hex. */
export function toBytes32(value: string, field: string): string {
  return parseBytes32(value, field);
}

/** The error for an id the subgraph does not know, naming the client's block when it time-travels. */
export function notFound(client: AuditClient, subject: SubjectLabel, id: string): NotInSubgraphError {
  const block = client.block && "number" in client.block ? client.block.number : null;
  return new NotInSubgraphError(client.url, subject, id, block);
}

/**
 * A client pinned to the block of a first answer, so that the follow-up queries of one audit read the same state even
 * while the indexer moves on.
 */
export function pinned(client: AuditClient, asOf: AsOf): AuditClient {
  return client.block && "number" in client.block ? client : client.at({ number: asOf.blockNumber });
}

// ------------------------------------------------------------------ answers

/** The `{ id }` of a referenced entity. */
export interface Ref {
  id: string;
}

/** The block of an answer; `_meta` is always there in a subgraph's answer (the schema only declares it nullable). */
export function asOfOf(client: AuditClient, meta: MetaFieldsFragment | null): AsOf {
  if (!meta) throw new SubgraphUnreachableError(client.url, "the answer has no _meta: it is not a subgraph's answer");
  return { blockNumber: meta.block.number, blockHash: meta.block.hash, timestamp: meta.block.timestamp };
}

// ------------------------------------------------------------------ conversions

/** A BigInt of the subgraph, as the decimal string graph-node answers with. */
type BigIntString = string;

const num = (value: BigIntString | number): number => Number(value);
const optionalTime = (value: BigIntString | null | undefined): number | null =>
  value === null || value === undefined || value === "0" ? null : Number(value);

export function createdStamp(raw: { createdAtBlock: BigIntString; createdAt: BigIntString; createdTx: string }): TxStamp {
  return { blockNumber: num(raw.createdAtBlock), timestamp: num(raw.createdAt), transactionHash: raw.createdTx };
}

export function stamp(raw: { blockNumber: BigIntString; timestamp: BigIntString; transactionHash: string }): TxStamp {
  return { blockNumber: num(raw.blockNumber), timestamp: num(raw.timestamp), transactionHash: raw.transactionHash };
}

export function modelVersionOf(raw: ModelVersionFieldsFragment): ModelVersionInfo {
  return {
    id: raw.id,
    modelId: raw.model.id,
    number: raw.number,
    weightsHash: raw.weightsHash,
    claimant: raw.claimant.id,
    manifestRoot: raw.manifestRoot,
    configHash: raw.configHash,
    uri: raw.uri,
    parentId: raw.parent?.id ?? null,
    publisher: raw.publisher.id,
    dataDeclared: raw.dataDeclared,
    commercialData: raw.commercialData,
    approved: raw.approved,
    approvalRevoked: raw.approvalRevoked,
    published: createdStamp(raw),
  };
}

/** The index a `<id>-<index>` use entity (a training or retrieval data use) was declared at. */
export const useIndex = (id: string): number => Number(id.slice(id.lastIndexOf("-") + 1));

/**
 * The rest of a fine-tune chain `depth` steps long, after its version nearest the one asked about: nothing for one
 * step, ", itself a fine-tune of 1" for two, ", itself fine-tuned from 1 in 8 steps" beyond — named by its ends
 * whatever its length, so that a deep chain's answer grows with its length, not its square.
 */
export function olderFineTunes(trainedBy: string, depth: number): string {
  if (depth <= 1) return "";
  return depth === 2 ? `, itself a fine-tune of ${trainedBy}` : `, itself fine-tuned from ${trainedBy} in ${depth - 1} steps`;
}

export function systemVersionOf(raw: SystemFieldsFragment): SystemVersionInfo {
  return {
    id: raw.id,
    modelId: raw.model.id,
    modelVersionId: raw.modelVersion.id,
    parentId: raw.parent?.id ?? null,
    config: { promptHash: raw.promptHash, retrievalIndex: raw.retrievalIndex, policyHash: raw.policyHash, toolsHash: raw.toolsHash },
    retrieval: [...raw.retrievalUses]
      .sort((a, b) => useIndex(a.id) - useIndex(b.id))
      .map((u) => ({
        datasetVersionId: u.datasetVersion.id,
        datasetId: u.datasetVersion.dataset.id,
        number: u.datasetVersion.number,
        context: dataContextOf(u.datasetVersion),
        licence: licenceOf(u.licence),
      })),
    uri: raw.uri,
    publisher: raw.publisher.id,
    approved: raw.approved,
    approvalRevoked: raw.approvalRevoked,
    approval: raw.approval
      ? { approvedBy: raw.approval.approvedBy.id, attestationIds: raw.approval.attestations.map((a) => a.id), ...stamp(raw.approval) }
      : null,
    published: createdStamp(raw),
  };
}

export function termsOf(raw: TermsFieldsFragment): TermsInfo {
  return {
    id: raw.id,
    datasetId: raw.dataset.id,
    currency: raw.currency,
    price: raw.price,
    duration: num(raw.duration),
    commercialUse: raw.commercialUse,
    derivativesAllowed: raw.derivativesAllowed,
    documentHash: raw.documentHash,
    documentURI: raw.documentURI,
    trainingTerritories: regionCodes(BigInt(raw.trainingTerritories)),
    deploymentTerritories: regionCodes(BigInt(raw.deploymentTerritories)),
    unitPrice: raw.unitPrice,
    unit: raw.unit,
    derivativeRoyaltyBps: raw.derivativeRoyaltyBps,
    splits: raw.splits.map((s) => ({ recipient: s.recipient.id, bps: s.bps })),
    setBy: raw.setBy.id,
    set: createdStamp(raw),
  };
}

export function datasetOf(raw: DatasetFieldsFragment): DatasetInfo {
  return {
    id: raw.id,
    creator: raw.creator.id,
    owner: raw.owner.id,
    withdrawn: raw.withdrawn,
    withdrawnAt: optionalTime(raw.withdrawnAt),
    withdrawalReason: raw.withdrawalReason ?? null,
    withdrawalRecorded: raw.withdrawn && raw.withdrawals[0] ? stamp(raw.withdrawals[0]) : null,
    consentRevocation: raw.consentRevoked
      ? {
          by: raw.consentRevokedBy?.id ?? "",
          reason: raw.consentRevocationReason ?? "",
          timestamp: num(raw.consentRevokedAt ?? "0"),
          recorded: raw.consentRevocations[0] ? stamp(raw.consentRevocations[0]) : null,
        }
      : null,
    currentTerms: raw.currentTerms ? termsOf(raw.currentTerms) : null,
    termsClearances: raw.termsClearances.map((c) => ({ previousTermsId: c.previousTerms.id, newOwner: c.newOwner.id, recorded: stamp(c) })),
    versionCount: raw.versionCount,
    registered: createdStamp(raw),
  };
}

export function datasetVersionOf(raw: DatasetVersionFieldsFragment): DatasetVersionInfo {
  return {
    id: raw.id,
    datasetId: raw.dataset.id,
    number: raw.number,
    fingerprint: raw.fingerprint,
    claimant: raw.claimant.id,
    manifestRoot: raw.manifestRoot,
    metadataHash: raw.metadataHash,
    uri: raw.uri,
    parentIds: raw.parents.map((p) => p.id),
    parentLicenceIds: raw.parentLicenceIds.map((l) => (l === "0" ? null : l)),
    transformationHash: raw.transformationHash,
    publisher: raw.publisher.id,
    published: createdStamp(raw),
    context: dataContextOf(raw),
  };
}

export function dataContextOf(raw: DataContextFragment): DataContextInfo {
  const declared = raw.handlingPolicyHash !== null && raw.handlingPolicyHash !== ZERO_HASH;
  return {
    origin: regionCodes(BigInt(raw.originRegions)),
    handlingPolicy: declared || raw.handlingPolicyURI ? { hash: raw.handlingPolicyHash ?? ZERO_HASH, uri: raw.handlingPolicyURI ?? "" } : null,
    inherited: { training: regionCodes(BigInt(raw.inheritedTrainingTerritories)), deployment: regionCodes(BigInt(raw.inheritedDeploymentTerritories)) },
  };
}

export function licenceOf(raw: LicenceFieldsFragment): LicenceInfo {
  return {
    id: raw.id,
    datasetId: raw.dataset.id,
    licensee: raw.licensee.id,
    payer: raw.payer.id,
    currency: raw.currency,
    amount: raw.amount,
    expiresAt: optionalTime(raw.expiresAt),
    terms: termsOf(raw.terms),
    acquired: createdStamp(raw),
    refund: raw.refund
      ? { amount: raw.refund.amount, currency: raw.refund.currency, refundedBy: raw.refund.refundedBy.id, ...stamp(raw.refund) }
      : null,
  };
}

/** An attestation; `now` (unix seconds of the answer's block) decides `expired`. */
export function attestationOf(raw: AttestationFieldsFragment, now: number | null): AttestationInfo {
  const expiresAt = optionalTime(raw.expiresAt);
  const revokedEvent = raw.revoked ? raw.revocations[0] : undefined;
  const relayed = raw.viaSignature && raw.submitter.id !== raw.attester.id;
  return {
    id: raw.id,
    kind: Number(raw.kind.id),
    kindName: raw.kind.name,
    kindRole: raw.kind.role,
    subject: { type: raw.subjectType, id: raw.subjectId },
    attester: raw.attester.id,
    attesterHoldsRole: raw.attesterRole ? raw.attesterRole.active : null,
    roleRevocation:
      raw.attesterRole && !raw.attesterRole.active
        ? { by: raw.attesterRole.revokedBy?.id ?? "", timestamp: num(raw.attesterRole.revokedAt ?? "0") }
        : null,
    submitter: raw.submitter.id,
    viaSignature: raw.viaSignature,
    relayedBy: relayed ? raw.submitter.id : null,
    evidenceHash: raw.evidenceHash,
    evidenceURI: raw.evidenceURI,
    expiresAt,
    expired: expiresAt === null ? false : now === null ? null : expiresAt <= now,
    refId: raw.ref?.id ?? null,
    revocation: raw.revoked
      ? {
          by: raw.revokedBy?.id ?? "",
          timestamp: num(raw.revokedAt ?? "0"),
          reason: raw.revocationReason ?? "",
          blockNumber: revokedEvent ? num(revokedEvent.blockNumber) : null,
          transactionHash: revokedEvent ? revokedEvent.transactionHash : null,
        }
      : null,
    attested: createdStamp(raw),
  };
}

export function deploymentOf(raw: DeploymentFieldsFragment): DeploymentInfo {
  return {
    id: raw.id,
    modelId: raw.model.id,
    versionId: raw.version.id,
    environment: raw.environment.name,
    systemId: raw.system?.id ?? null,
    regions: regionCodes(BigInt(raw.regions)),
    deployer: raw.deployer.id,
    active: raw.active,
    endedAt: optionalTime(raw.endedAt),
    previousDeploymentId: raw.previous?.id ?? null,
    previousVersionId: raw.previous?.version.id ?? null,
    deployed: createdStamp(raw),
  };
}

export function rollbackOf(raw: RollbackFieldsFragment): RollbackInfo {
  return {
    id: raw.id,
    modelId: raw.model.id,
    environment: raw.environment.name,
    by: raw.by.id,
    reason: raw.reason,
    fromDeploymentId: raw.from.id,
    fromVersionId: raw.fromVersion.id,
    toDeploymentId: raw.to?.id ?? null,
    toVersionId: raw.toVersion?.id ?? null,
    ...stamp(raw),
  };
}

export function decisionBatchOf(raw: DecisionBatchFieldsFragment): DecisionBatchInfo {
  return {
    root: raw.root,
    versionId: raw.version.id,
    modelId: raw.model.id,
    count: num(raw.count),
    windowStart: num(raw.windowStart),
    windowEnd: num(raw.windowEnd),
    systemId: raw.system?.id ?? null,
    policyHash: raw.policyHash,
    regions: regionCodes(BigInt(raw.regions)),
    uri: raw.uri,
    operator: raw.operator.id,
    logIndex: num(raw.logIndex),
    ...stamp(raw),
  };
}

export function approvalOf(raw: ApprovalFieldsFragment): ApprovalInfo {
  return {
    versionId: raw.version.id,
    approvedBy: raw.approvedBy.id,
    attestationIds: raw.attestations.map((a) => a.id),
    ...stamp(raw),
  };
}

export function eventOf(raw: EventFieldsFragment): ProvenanceEntry {
  return {
    id: raw.id,
    action: raw.action,
    actor: raw.actor.id,
    description: raw.description,
    blockNumber: num(raw.blockNumber),
    timestamp: num(raw.timestamp),
    transactionHash: raw.transactionHash,
    logIndex: num(raw.logIndex),
    subjects: {
      dataset: raw.dataset?.id ?? null,
      datasetVersion: raw.datasetVersion?.id ?? null,
      licence: raw.licence?.id ?? null,
      model: raw.model?.id ?? null,
      modelVersion: raw.modelVersion?.id ?? null,
      attestation: raw.attestation?.id ?? null,
      deployment: raw.deployment?.id ?? null,
      decisionBatch: raw.decisionBatch?.id ?? null,
    },
  };
}

/** Chain order: block, then log index, then the part number of entries written for one log. */
export function compareEntries(a: ProvenanceEntry, b: ProvenanceEntry): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex || partOf(a.id) - partOf(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function partOf(id: string): number {
  const parts = id.split("-");
  return parts.length > 2 ? Number(parts[2]) : -1;
}

/** Chain order of stamped things. */
export function compareStamps(a: TxStamp, b: TxStamp): number {
  return a.blockNumber - b.blockNumber || (a.transactionHash < b.transactionHash ? -1 : a.transactionHash > b.transactionHash ? 1 : 0);
}

/** Numeric order of decimal id strings. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorted unique values. */
export function uniqueIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareIds);
}

/** Entries de-duplicated by id, in chain order. */
export function uniqueEntries(entries: Iterable<ProvenanceEntry>): ProvenanceEntry[] {
  const byId = new Map<string, ProvenanceEntry>();
  for (const e of entries) byId.set(e.id, e);
  return [...byId.values()].sort(compareEntries);
}

/** The most entities one collection field returns (graph-node's maximum `first`). */
export const PAGE = 1000;

/**
 * Fetches every entity of one collection, a page of {@link PAGE} at a time, ordered by id (`id_gt` cursor): the
 * document must take `$after` and select the collection with `where: { …, id_gt: $after }, orderBy: id, first: 1000`;
 * `page` picks the collection out of an answer. `first` is a page already fetched (with `after: ""`).
 */
export async function fetchAll<T extends { id: string }, TResult, TVariables extends { after: string }>(
  client: AuditClient,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: Omit<TVariables, "after">,
  page: (data: TResult) => readonly T[],
  first?: readonly T[],
): Promise<T[]> {
  const all: T[] = [];
  let last = first ?? page(await client.request(document, { ...variables, after: "" } as TVariables));
  all.push(...last);
  while (last.length >= PAGE) {
    last = page(await client.request(document, { ...variables, after: last[last.length - 1]!.id } as TVariables));
    all.push(...last);
  }
  return all;
}
