/**
 * Internals shared by the audit functions: input validation, the GraphQL selections every audit reuses, and the
 * conversion of raw subgraph values (BigInt strings, `{ id }` references) into the plain data of ./types.ts.
 */
import type { AuditClient } from "./client.ts";
import { InvalidAuditInputError, NotInSubgraphError, type SubjectLabel } from "./errors.ts";
import type {
  ApprovalInfo,
  AsOf,
  AttestationInfo,
  DatasetInfo,
  DatasetVersionInfo,
  DecisionBatchInfo,
  DeploymentInfo,
  LicenceInfo,
  ModelVersionInfo,
  ProvenanceAction,
  ProvenanceEntry,
  RollbackInfo,
  TermsInfo,
  TxStamp,
} from "./types.ts";

/** An id as a caller may give it: a bigint, a safe integer, or a decimal / 0x string. */
export type IdInput = bigint | number | string;

// ------------------------------------------------------------------ input validation

/** A positive on-chain id as the subgraph's decimal string id. */
export function toId(value: IdInput, field: string): string {
  let parsed: bigint | undefined;
  if (typeof value === "bigint") parsed = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) parsed = BigInt(value);
  else if (typeof value === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(value.trim())) parsed = BigInt(value.trim());
  if (parsed === undefined || parsed <= 0n || parsed >= 2n ** 64n) {
    throw new InvalidAuditInputError(field, `${field} ${JSON.stringify(String(value))} is not an id; give a positive integer such as 4`);
  }
  return parsed.toString();
}

/** An account as the subgraph's lower-case hex id. */
export function toAccount(value: string, field: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value.trim())) {
    throw new InvalidAuditInputError(field, `${field} ${JSON.stringify(String(value))} is not an address; give 0x and 40 hex digits`);
  }
  return value.trim().toLowerCase();
}

/** A bytes32 as lower-case hex. */
export function toBytes32(value: string, field: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value.trim())) {
    throw new InvalidAuditInputError(field, `${field} ${JSON.stringify(String(value))} is not a bytes32; give 0x and 64 hex digits`);
  }
  return value.trim().toLowerCase();
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

// ------------------------------------------------------------------ selections

export const META = `_meta { block { number hash timestamp } }`;

/** Model version fields without `parent`, for selections that nest the parent themselves. */
export const MODEL_VERSION_NO_PARENT = `id number model { id } weightsHash claimant { id } manifestRoot configHash uri publisher { id } dataDeclared commercialData approved approvalRevoked createdAtBlock createdAt createdTx`;

export const MODEL_VERSION = `${MODEL_VERSION_NO_PARENT} parent { id }`;

export const TERMS = `id dataset { id } currency price duration commercialUse derivativesAllowed documentHash documentURI setBy { id } createdAtBlock createdAt createdTx splits(orderBy: index) { recipient { id } bps }`;

export const DATASET = `id creator { id } owner { id } withdrawn withdrawnAt withdrawalReason consentRevoked consentRevokedAt consentRevocationReason consentRevokedBy { id } currentTerms { ${TERMS} }`;

/** Dataset version fields without `parents`, for selections that nest the parents themselves. */
export const DATASET_VERSION_NO_PARENTS = `id number dataset { ${DATASET} } fingerprint claimant { id } manifestRoot metadataHash uri parentLicenceIds transformationHash publisher { id } createdAtBlock createdAt createdTx`;

export const LICENCE = `id dataset { id } terms { ${TERMS} } licensee { id } payer { id } currency amount expiresAt createdAtBlock createdAt createdTx refund { amount currency refundedBy { id } blockNumber timestamp transactionHash }`;

export const ATTESTATION = `id kind { id name } subjectType subjectId attester { id } attesterRole { active revokedBy { id } revokedAt } submitter { id } viaSignature expiresAt ref { id } evidenceHash evidenceURI revoked revokedBy { id } revokedAt revocationReason createdAtBlock createdAt createdTx`;

export const DEPLOYMENT = `id model { id } version { id } environment { name } deployer { id } active endedAt previous { id version { id } } createdAtBlock createdAt createdTx`;

export const ROLLBACK = `id model { id } environment { name } from { id } to { id } fromVersion { id } toVersion { id } reason by { id } blockNumber timestamp transactionHash`;

export const DECISION_BATCH = `id root version { id } model { id } count windowStart windowEnd uri operator { id } blockNumber timestamp transactionHash logIndex`;

export const APPROVAL = `version { id } approvedBy { id } attestations { id } blockNumber timestamp transactionHash`;

export const EVENT = `id action actor { id } description dataset { id } datasetVersion { id } licence { id } model { id } modelVersion { id } attestation { id } deployment { id } decisionBatch { id } blockNumber timestamp transactionHash logIndex`;

// ------------------------------------------------------------------ raw shapes

export interface Ref {
  id: string;
}
type BigIntString = string;

export interface RawMeta {
  block: { number: number; hash?: string | null; timestamp?: number | null };
}

export interface RawModelVersion {
  id: string;
  number: number;
  model: Ref;
  weightsHash: string;
  claimant: Ref;
  manifestRoot: string;
  configHash: string;
  uri: string;
  parent?: Ref | null;
  publisher: Ref;
  dataDeclared: boolean;
  commercialData: boolean;
  approved: boolean;
  approvalRevoked: boolean;
  createdAtBlock: BigIntString;
  createdAt: BigIntString;
  createdTx: string;
}

export interface RawTerms {
  id: string;
  dataset: Ref;
  currency: string;
  price: BigIntString;
  duration: BigIntString;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  documentHash: string;
  documentURI: string;
  setBy: Ref;
  createdAtBlock: BigIntString;
  createdAt: BigIntString;
  createdTx: string;
  splits: Array<{ recipient: Ref; bps: number }>;
}

export interface RawDataset {
  id: string;
  creator: Ref;
  owner: Ref;
  withdrawn: boolean;
  withdrawnAt: BigIntString | null;
  withdrawalReason: string | null;
  consentRevoked: boolean;
  consentRevokedAt: BigIntString | null;
  consentRevocationReason: string | null;
  consentRevokedBy: Ref | null;
  currentTerms: RawTerms | null;
}

export interface RawDatasetVersion {
  id: string;
  number: number;
  dataset: RawDataset;
  fingerprint: string;
  claimant: Ref;
  manifestRoot: string;
  metadataHash: string;
  uri: string;
  parentLicenceIds: BigIntString[];
  transformationHash: string;
  publisher: Ref;
  createdAtBlock: BigIntString;
  createdAt: BigIntString;
  createdTx: string;
}

export interface RawLicence {
  id: string;
  dataset: Ref;
  terms: RawTerms;
  licensee: Ref;
  payer: Ref;
  currency: string;
  amount: BigIntString;
  expiresAt: BigIntString;
  createdAtBlock: BigIntString;
  createdAt: BigIntString;
  createdTx: string;
  refund: { amount: BigIntString; currency: string; refundedBy: Ref; blockNumber: BigIntString; timestamp: BigIntString; transactionHash: string } | null;
}

export interface RawAttestation {
  id: string;
  kind: { id: string; name: string };
  subjectType: AttestationInfo["subject"]["type"];
  subjectId: BigIntString;
  attester: Ref;
  attesterRole: { active: boolean; revokedBy: Ref | null; revokedAt: BigIntString | null } | null;
  submitter: Ref;
  viaSignature: boolean;
  expiresAt: BigIntString;
  ref: Ref | null;
  evidenceHash: string;
  evidenceURI: string;
  revoked: boolean;
  revokedBy: Ref | null;
  revokedAt: BigIntString | null;
  revocationReason: string | null;
  createdAtBlock: BigIntString;
  createdAt: BigIntString;
  createdTx: string;
}

export interface RawDeployment {
  id: string;
  model: Ref;
  version: Ref;
  environment: { name: string };
  deployer: Ref;
  active: boolean;
  endedAt: BigIntString | null;
  previous: { id: string; version: Ref } | null;
  createdAtBlock: BigIntString;
  createdAt: BigIntString;
  createdTx: string;
}

export interface RawRollback {
  id: string;
  model: Ref;
  environment: { name: string };
  from: Ref;
  to: Ref | null;
  fromVersion: Ref;
  toVersion: Ref | null;
  reason: string;
  by: Ref;
  blockNumber: BigIntString;
  timestamp: BigIntString;
  transactionHash: string;
}

export interface RawDecisionBatch {
  id: string;
  root: string;
  version: Ref;
  model: Ref;
  count: BigIntString;
  windowStart: BigIntString;
  windowEnd: BigIntString;
  uri: string;
  operator: Ref;
  blockNumber: BigIntString;
  timestamp: BigIntString;
  transactionHash: string;
  logIndex: BigIntString;
}

export interface RawApproval {
  version: Ref;
  approvedBy: Ref;
  attestations: Ref[];
  blockNumber: BigIntString;
  timestamp: BigIntString;
  transactionHash: string;
}

export interface RawEvent {
  id: string;
  action: ProvenanceAction;
  actor: Ref;
  description: string;
  dataset: Ref | null;
  datasetVersion: Ref | null;
  licence: Ref | null;
  model: Ref | null;
  modelVersion: Ref | null;
  attestation: Ref | null;
  deployment: Ref | null;
  decisionBatch: Ref | null;
  blockNumber: BigIntString;
  timestamp: BigIntString;
  transactionHash: string;
  logIndex: BigIntString;
}

// ------------------------------------------------------------------ conversions

const num = (value: BigIntString | number): number => Number(value);
const optionalTime = (value: BigIntString | null | undefined): number | null =>
  value === null || value === undefined || value === "0" ? null : Number(value);

export function asOfOf(meta: RawMeta): AsOf {
  return { blockNumber: meta.block.number, blockHash: meta.block.hash ?? null, timestamp: meta.block.timestamp ?? null };
}

export function createdStamp(raw: { createdAtBlock: BigIntString; createdAt: BigIntString; createdTx: string }): TxStamp {
  return { blockNumber: num(raw.createdAtBlock), timestamp: num(raw.createdAt), transactionHash: raw.createdTx };
}

export function stamp(raw: { blockNumber: BigIntString; timestamp: BigIntString; transactionHash: string }): TxStamp {
  return { blockNumber: num(raw.blockNumber), timestamp: num(raw.timestamp), transactionHash: raw.transactionHash };
}

export function modelVersionOf(raw: RawModelVersion): ModelVersionInfo {
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

export function termsOf(raw: RawTerms): TermsInfo {
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
    splits: raw.splits.map((s) => ({ recipient: s.recipient.id, bps: s.bps })),
    setBy: raw.setBy.id,
    set: createdStamp(raw),
  };
}

export function datasetOf(raw: RawDataset): DatasetInfo {
  return {
    id: raw.id,
    creator: raw.creator.id,
    owner: raw.owner.id,
    withdrawn: raw.withdrawn,
    withdrawnAt: optionalTime(raw.withdrawnAt),
    withdrawalReason: raw.withdrawalReason ?? null,
    consentRevocation: raw.consentRevoked
      ? { by: raw.consentRevokedBy?.id ?? "", reason: raw.consentRevocationReason ?? "", timestamp: num(raw.consentRevokedAt ?? "0") }
      : null,
    currentTerms: raw.currentTerms ? termsOf(raw.currentTerms) : null,
  };
}

export function datasetVersionOf(raw: RawDatasetVersion, parentIds: string[]): DatasetVersionInfo {
  return {
    id: raw.id,
    datasetId: raw.dataset.id,
    number: raw.number,
    fingerprint: raw.fingerprint,
    claimant: raw.claimant.id,
    manifestRoot: raw.manifestRoot,
    metadataHash: raw.metadataHash,
    uri: raw.uri,
    parentIds,
    parentLicenceIds: raw.parentLicenceIds.map((l) => (l === "0" ? null : l)),
    transformationHash: raw.transformationHash,
    publisher: raw.publisher.id,
    published: createdStamp(raw),
  };
}

export function licenceOf(raw: RawLicence): LicenceInfo {
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

/**
 * An attestation; `now` (unix seconds of the answer's block) decides `expired`; `events` (the provenance log, when
 * fetched) supply the revocation's block and transaction.
 */
export function attestationOf(raw: RawAttestation, now: number | null, events: readonly ProvenanceEntry[] = []): AttestationInfo {
  const expiresAt = optionalTime(raw.expiresAt);
  const revokedEvent = raw.revoked
    ? events.find((e) => e.action === "AttestationRevoked" && e.subjects.attestation === raw.id)
    : undefined;
  const relayed = raw.viaSignature && raw.submitter.id !== raw.attester.id;
  return {
    id: raw.id,
    kind: Number(raw.kind.id),
    kindName: raw.kind.name,
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
          blockNumber: revokedEvent ? revokedEvent.blockNumber : null,
          transactionHash: revokedEvent ? revokedEvent.transactionHash : null,
        }
      : null,
    attested: createdStamp(raw),
  };
}

export function deploymentOf(raw: RawDeployment): DeploymentInfo {
  return {
    id: raw.id,
    modelId: raw.model.id,
    versionId: raw.version.id,
    environment: raw.environment.name,
    deployer: raw.deployer.id,
    active: raw.active,
    endedAt: optionalTime(raw.endedAt),
    previousDeploymentId: raw.previous?.id ?? null,
    previousVersionId: raw.previous?.version.id ?? null,
    deployed: createdStamp(raw),
  };
}

export function rollbackOf(raw: RawRollback): RollbackInfo {
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

export function decisionBatchOf(raw: RawDecisionBatch): DecisionBatchInfo {
  return {
    root: raw.root,
    versionId: raw.version.id,
    modelId: raw.model.id,
    count: num(raw.count),
    windowStart: num(raw.windowStart),
    windowEnd: num(raw.windowEnd),
    uri: raw.uri,
    operator: raw.operator.id,
    logIndex: num(raw.logIndex),
    ...stamp(raw),
  };
}

export function approvalOf(raw: RawApproval): ApprovalInfo {
  return {
    versionId: raw.version.id,
    approvedBy: raw.approvedBy.id,
    attestationIds: raw.attestations.map((a) => a.id),
    ...stamp(raw),
  };
}

export function eventOf(raw: RawEvent): ProvenanceEntry {
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
 * Fetches every entity of one collection, a page of {@link PAGE} at a time, ordered by id (`id_gt` cursor): `query`
 * must declare `$after: ID!` and use `where: { …, id_gt: $after }, orderBy: id, first: 1000` on the field `field`.
 */
export async function fetchAll<T extends { id: string }>(
  client: AuditClient,
  query: string,
  field: string,
  variables: Record<string, unknown>,
  first?: T[],
): Promise<T[]> {
  const all: T[] = [];
  let page: T[];
  if (first) {
    page = first;
  } else {
    const data: Record<string, T[]> = await client.request<Record<string, T[]>>(query, { ...variables, after: "" });
    page = data[field] ?? [];
  }
  all.push(...page);
  while (page.length >= PAGE) {
    const data: Record<string, T[]> = await client.request<Record<string, T[]>>(query, { ...variables, after: page[page.length - 1]!.id });
    page = data[field] ?? [];
    all.push(...page);
  }
  return all;
}

/**
 * The follow-up query of a traversal that ran out of nesting depth: the model versions and dataset versions still to
 * explore, by id, each with the selection the traversal uses (null: none of that kind left).
 */
export function continuationQuery(name: string, modelSelection: string | null, dataSelection: string | null): string {
  const vars = [modelSelection ? "$models: [ID!]!" : "", dataSelection ? "$data: [ID!]!" : ""].filter(Boolean).join(", ");
  return `query ${name}(${vars}) {
    ${modelSelection ? `modelVersions(where: { id_in: $models }, first: 1000) { ${modelSelection} }` : ""}
    ${dataSelection ? `datasetVersions(where: { id_in: $data }, first: 1000) { ${dataSelection} }` : ""}
  }`;
}
