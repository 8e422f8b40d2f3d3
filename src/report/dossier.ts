/**
 * Gathers the audit dossier of one model version from the Pedigree subgraph (graph-node's GraphQL API or the embedded
 * indexer): one nested request for the version, its model, fine-tune chain, training run, data, licences,
 * attestations, approval and environments; then, pinned to the same block, one request for the provenance log,
 * decision batches, roles and any derivation ancestors deeper than the first request reached. Every request reads the
 * same block, so the dossier is one consistent snapshot — of the subgraph's head, or of an earlier block (time travel).
 */
import { ClientError, GraphQLClient } from "graphql-request";
import { DEFAULT_TIMEOUT_MS, noAnswerWithin } from "../core/timeouts.ts";
import { InvalidVersionIdError, ReportError, SubgraphQueryError, VersionNotFoundError } from "./errors.ts";
import { formatAmount } from "./format.ts";
import { LIMITATIONS } from "./limitations.ts";
import {
  DOSSIER_FORMAT,
  type AccountRecord,
  type ApprovalRecord,
  type AttestationKindRef,
  type ClaimRecord,
  type CompetingClaimsRecord,
  type AttestationRecord,
  type DatasetRecord,
  type DatasetVersionRecord,
  type DecisionBatchRecord,
  type DeploymentRecord,
  type DossierSummary,
  type EnvironmentChange,
  type EnvironmentRecord,
  type FineTuneRecord,
  type LicenceRecord,
  type ModelRecord,
  type ModelVersionRecord,
  type ParentVersionRecord,
  type ProvenanceAction,
  type ProvenanceEventRecord,
  type RollbackRecord,
  type SubjectTypeName,
  type TrainingRunRecord,
  type TxRef,
  type UnixTime,
  type VersionDossier,
} from "./types.ts";

export interface FetchDossierOptions {
  /** GraphQL endpoint of the Pedigree subgraph, e.g. http://localhost:8000/subgraphs/name/pedigree. */
  url: string;
  /** On-chain model version id. */
  versionId: string | number | bigint;
  /** Read the subgraph as of this block (time travel); default: its head. */
  block?: number;
  /** Extra HTTP headers (e.g. an API key of a hosted subgraph). */
  headers?: Record<string, string>;
  /** Give up on each answer after this many milliseconds (default 30 000); the connection is closed then. */
  timeoutMs?: number;
}

const PAGE = 1000;
/** Fine-tune ancestors and derivation ancestors fetched by the first request; deeper ones take more requests. */
const MAX_ROUNDS = 64;

// --- GraphQL ------------------------------------------------------------------------------------------------------

const FRAGMENTS = /* GraphQL */ `
  fragment Att on Attestation {
    id kind { kind name role } subjectType subjectId attester { id } attesterRole { active revokedBy { id } revokedAt }
    submitter { id } viaSignature expiresAt
    ref { id } evidenceHash evidenceURI revoked revokedBy { id } revokedAt revocationReason
    createdAtBlock createdAt createdTx
    revocations: history(where: { action: AttestationRevoked }, orderBy: blockNumber, orderDirection: desc, first: 1) {
      transactionHash blockNumber timestamp
    }
  }
  fragment DS on Dataset {
    id creator { id } owner { id } withdrawn withdrawnAt withdrawalReason versionCount currentTerms { id }
    consentRevoked consentRevokedAt consentRevocationReason consentRevokedBy { id }
    createdAtBlock createdAt createdTx
    withdrawals: history(where: { action: DatasetWithdrawn }, orderBy: blockNumber, orderDirection: desc, first: 1) {
      transactionHash blockNumber timestamp
    }
    consentRevocations: history(where: { action: ConsentRevoked }, orderBy: blockNumber, orderDirection: desc, first: 1) {
      transactionHash blockNumber timestamp
    }
    termsClearances(orderBy: blockNumber, first: ${PAGE}) { previousTerms { id } newOwner { id } blockNumber timestamp transactionHash }
  }
  fragment Claim on DatasetVersion {
    id number asset: dataset { id } claimant { id } createdAtBlock createdAt createdTx createdLogIndex
    priorityCommittedAt priorityCommitmentBlock attestations(first: ${PAGE}) { id }
  }
  fragment ModelClaim on ModelVersion {
    id number asset: model { id } claimant { id } createdAtBlock createdAt createdTx createdLogIndex
    priorityCommittedAt priorityCommitmentBlock attestations(first: ${PAGE}) { id }
  }
  fragment DV on DatasetVersion {
    id dataset { ...DS } number fingerprint claimant { id } manifestRoot metadataHash uri transformationHash publisher { id }
    parentRefs: parents(first: ${PAGE}) { id } parentLicenceIds
    content { claims: datasetVersions(first: ${PAGE}, orderBy: createdAtBlock) { ...Claim } }
    createdAtBlock createdAt createdTx
    attestations(first: ${PAGE}) { ...Att }
  }
  fragment Lic on Licence {
    id dataset { id } licensee { id } payer { id } currency amount expiresAt createdAtBlock createdAt createdTx
    refund { amount currency refundedBy { id } blockNumber timestamp transactionHash }
    terms {
      id dataset { id } currency price duration commercialUse derivativesAllowed documentHash documentURI setBy { id }
      splits(orderBy: index, first: ${PAGE}) { index recipient { id } bps }
      createdAtBlock createdAt createdTx
    }
    attestations(first: ${PAGE}) { ...Att }
  }
  fragment MV on ModelVersion {
    id model { id } number weightsHash claimant { id } manifestRoot configHash uri publisher { id } dataDeclared commercialData
    approved approvalRevoked parent { id }
    createdAtBlock createdAt createdTx
    trainingRun { id codeHash createdAtBlock createdAt createdTx datasetVersions(first: ${PAGE}) { id } licences(first: ${PAGE}) { id } }
  }
  fragment Dep on Deployment {
    id environment { id name } version { id } previous { id } deployer { id } active endedAt
    createdAtBlock createdAt createdTx
    attestations(first: ${PAGE}) { ...Att }
  }
`;

const MAIN_QUERY = /* GraphQL */ `
  ${FRAGMENTS}
  query PedigreeDossier($id: ID!, $block: Block_height) {
    _meta(block: $block) { block { number hash timestamp } deployment hasIndexingErrors }
    lastEvent: provenanceEvents(first: 1, orderBy: blockNumber, orderDirection: desc, block: $block) { blockNumber timestamp }
    kinds: attestationKinds(first: ${PAGE}, block: $block) { kind name role }
    version: modelVersion(id: $id, block: $block) {
      ...MV
      content { claims: modelVersions(first: ${PAGE}, orderBy: createdAtBlock) { ...ModelClaim } }
      model {
        id creator { id } owner { id } commercial metadataHash uri requiredKindIds requiresDeclaredData versionCount
        createdAtBlock createdAt createdTx
        environments(first: ${PAGE}) {
          id name key liveVersion { id } liveDeployment { id }
          deployments(first: ${PAGE}) { id version { id } deployer { id } createdAtBlock createdAt createdTx }
          rollbacks(first: ${PAGE}) {
            id from { id } to { id } fromVersion { id } toVersion { id } reason by { id } blockNumber timestamp transactionHash
          }
        }
      }
      parent { ...MV parent { ...MV parent { ...MV parent { ...MV } } } }
      fineTunes(first: ${PAGE}) { id model { id } number createdAtBlock createdAt createdTx }
      trainingRun {
        id codeHash hyperparametersHash startedAt endedAt createdAtBlock createdAt createdTx
        datasetUses(first: ${PAGE}) {
          id
          licence { ...Lic }
          datasetVersion {
            ...DV
            up: parents(first: ${PAGE}) { ...DV up: parents(first: ${PAGE}) { ...DV up: parents(first: ${PAGE}) { ...DV } } }
          }
        }
        attestations(first: ${PAGE}) { ...Att }
      }
      approval { attestations(first: ${PAGE}) { id } approvedBy { id } blockNumber timestamp transactionHash }
      attestations(first: ${PAGE}) { ...Att }
      deployments(first: ${PAGE}) { ...Dep }
    }
  }
`;

const EVENT_FIELDS = /* GraphQL */ `
  id action actor { id } description blockNumber timestamp transactionHash logIndex
  dataset { id } datasetVersion { id } licence { id } model { id } modelVersion { id } attestation { id }
  deployment { id } decisionBatch { id }
`;

const BATCH_FIELDS = /* GraphQL */ `root count windowStart windowEnd uri operator { id } blockNumber timestamp transactionHash
  decisionRoot { batches(first: ${PAGE}, orderBy: blockNumber) { version { id } model { id owner { id } } blockNumber timestamp transactionHash logIndex } }`;

// --- raw response shapes --------------------------------------------------------------------------------------------

interface Ref {
  id: string;
}
interface RawHistoryTx {
  transactionHash: string;
  blockNumber: string;
  timestamp: string;
}
interface RawAttestation {
  id: string;
  kind: { kind: number; name: string; role: string };
  subjectType: SubjectTypeName;
  subjectId: string;
  attester: Ref;
  attesterRole: { active: boolean; revokedBy: Ref | null; revokedAt: string | null } | null;
  submitter: Ref;
  viaSignature: boolean;
  expiresAt: string;
  ref: Ref | null;
  evidenceHash: string;
  evidenceURI: string;
  revoked: boolean;
  revokedBy: Ref | null;
  revokedAt: string | null;
  revocationReason: string | null;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  revocations: RawHistoryTx[];
}
interface RawDataset {
  id: string;
  creator: Ref;
  owner: Ref;
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  versionCount: number;
  currentTerms: Ref | null;
  consentRevoked: boolean;
  consentRevokedAt: string | null;
  consentRevocationReason: string | null;
  consentRevokedBy: Ref | null;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  withdrawals: RawHistoryTx[];
  consentRevocations: RawHistoryTx[];
  termsClearances: (RawHistoryTx & { previousTerms: Ref; newOwner: Ref })[];
}
interface RawClaim {
  id: string;
  number: number;
  asset: Ref;
  claimant: Ref;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  createdLogIndex: string;
  priorityCommittedAt: string | null;
  priorityCommitmentBlock: string | null;
  attestations: Ref[];
}
interface RawDatasetVersion {
  id: string;
  dataset: RawDataset;
  number: number;
  fingerprint: string;
  claimant: Ref;
  manifestRoot: string;
  metadataHash: string;
  uri: string;
  transformationHash: string;
  publisher: Ref;
  parentRefs: Ref[];
  parentLicenceIds: string[];
  content: { claims: RawClaim[] };
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  attestations: RawAttestation[];
  up?: RawDatasetVersion[];
}
interface RawLicence {
  id: string;
  dataset: Ref;
  licensee: Ref;
  payer: Ref;
  currency: string;
  amount: string;
  expiresAt: string;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  refund: (RawHistoryTx & { amount: string; currency: string; refundedBy: Ref }) | null;
  terms: {
    id: string;
    dataset: Ref;
    currency: string;
    price: string;
    duration: string;
    commercialUse: boolean;
    derivativesAllowed: boolean;
    documentHash: string;
    documentURI: string;
    setBy: Ref;
    splits: { index: number; recipient: Ref; bps: number }[];
    createdAtBlock: string;
    createdAt: string;
    createdTx: string;
  };
  attestations: RawAttestation[];
}
interface RawModelVersion {
  id: string;
  model: Ref;
  number: number;
  weightsHash: string;
  claimant: Ref;
  manifestRoot: string;
  configHash: string;
  uri: string;
  publisher: Ref;
  dataDeclared: boolean;
  commercialData: boolean;
  approved: boolean;
  approvalRevoked: boolean;
  parent: (Ref & Partial<RawModelVersion>) | null;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  trainingRun: {
    id: string;
    codeHash: string;
    createdAtBlock: string;
    createdAt: string;
    createdTx: string;
    datasetVersions: Ref[];
    licences: Ref[];
  } | null;
}
interface RawDeployment {
  id: string;
  environment: { id: string; name: string };
  version: Ref;
  previous: Ref | null;
  deployer: Ref;
  active: boolean;
  endedAt: string | null;
  createdAtBlock: string;
  createdAt: string;
  createdTx: string;
  attestations: RawAttestation[];
}
interface RawRollback {
  id: string;
  from: Ref;
  to: Ref | null;
  fromVersion: Ref;
  toVersion: Ref | null;
  reason: string;
  by: Ref;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
}
interface RawEnvironment {
  id: string;
  name: string;
  key: string;
  liveVersion: Ref | null;
  liveDeployment: Ref | null;
  deployments: { id: string; version: Ref; deployer: Ref; createdAtBlock: string; createdAt: string; createdTx: string }[];
  rollbacks: RawRollback[];
}
interface RawMainVersion extends RawModelVersion {
  content: { claims: RawClaim[] };
  model: {
    id: string;
    creator: Ref;
    owner: Ref;
    commercial: boolean;
    metadataHash: string;
    uri: string;
    requiredKindIds: number[];
    requiresDeclaredData: boolean;
    versionCount: number;
    createdAtBlock: string;
    createdAt: string;
    createdTx: string;
    environments: RawEnvironment[];
  };
  fineTunes: { id: string; model: Ref; number: number; createdAtBlock: string; createdAt: string; createdTx: string }[];
  trainingRun:
    | (RawModelVersion["trainingRun"] & {
        hyperparametersHash: string;
        startedAt: string;
        endedAt: string;
        datasetUses: { id: string; licence: RawLicence; datasetVersion: RawDatasetVersion }[];
        attestations: RawAttestation[];
      })
    | null;
  approval: { attestations: Ref[]; approvedBy: Ref; blockNumber: string; timestamp: string; transactionHash: string } | null;
  attestations: RawAttestation[];
  deployments: RawDeployment[];
}
interface RawMain {
  _meta: { block: { number: number; hash: string | null; timestamp: number | null }; deployment: string; hasIndexingErrors: boolean };
  lastEvent: { blockNumber: string; timestamp: string }[];
  kinds: { kind: number; name: string; role: string }[];
  version: RawMainVersion | null;
}
interface RawEvent {
  id: string;
  action: ProvenanceAction;
  actor: Ref;
  description: string;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
  logIndex: string;
  dataset: Ref | null;
  datasetVersion: Ref | null;
  licence: Ref | null;
  model: Ref | null;
  modelVersion: Ref | null;
  attestation: Ref | null;
  deployment: Ref | null;
  decisionBatch: Ref | null;
}
interface RawBatch {
  root: string;
  count: string;
  windowStart: string;
  windowEnd: string;
  uri: string;
  operator: Ref;
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
  decisionRoot: { batches: (RawHistoryTx & { version: Ref; model: Ref & { owner: Ref }; logIndex: string })[] };
}

// --- helpers ------------------------------------------------------------------------------------------------------

/** ISO-8601 of a unix time in seconds, or null when it is 0 or out of the Date range. */
export function isoTime(unix: string | number | bigint | null | undefined): string | null {
  if (unix === null || unix === undefined) return null;
  let seconds: bigint;
  try {
    seconds = BigInt(unix);
  } catch {
    return null;
  }
  if (seconds <= 0n || seconds > 8_640_000_000_000n) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

function unixTime(unix: string | null | undefined): UnixTime {
  const value = unix ?? "0";
  return { unix: value, time: isoTime(value) };
}

function txRef(txHash: string, block: string | number, timestamp: string | number): TxRef {
  return { txHash, block: String(block), timestamp: String(timestamp), time: isoTime(timestamp) ?? "" };
}

const createdTx = (r: { createdTx: string; createdAtBlock: string; createdAt: string }): TxRef =>
  txRef(r.createdTx, r.createdAtBlock, r.createdAt);

const byNumericId = <T>(key: (item: T) => string) => (a: T, b: T): number => compareNumeric(key(a), key(b));

function compareNumeric(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareTx(a: TxRef, b: TxRef): number {
  return compareNumeric(a.block, b.block);
}

function normaliseVersionId(input: string | number | bigint): string {
  const text = typeof input === "string" ? input.trim() : String(input);
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new InvalidVersionIdError(input);
  return BigInt(text).toString();
}

class Subgraph {
  requests = 0;
  private readonly client: GraphQLClient;
  constructor(
    readonly url: string,
    headers?: Record<string, string>,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.client = new GraphQLClient(url, { headers });
  }

  async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    this.requests++;
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.client.request<T>({ document: query, variables, signal: deadline });
    } catch (error) {
      if (deadline.aborted) {
        throw new SubgraphQueryError(this.url, `${noAnswerWithin(this.timeoutMs)} (is the indexer running at this URL?)`, { cause: error });
      }
      if (error instanceof ClientError) {
        const messages = error.response.errors?.map((e) => e.message).join("; ");
        throw new SubgraphQueryError(this.url, messages || `HTTP ${error.response.status}`, { cause: error });
      }
      const { message, cause } = error as { message?: string; cause?: { message?: string; code?: string } };
      const detail = [message, cause?.code ?? cause?.message].filter(Boolean).join(" — ");
      throw new SubgraphQueryError(this.url, `${detail || String(error)} (is the indexer running at this URL?)`, { cause: error });
    }
  }
}

// --- fetch ----------------------------------------------------------------------------------------------------------

/**
 * Gathers the dossier of model version `versionId`. Throws {@link VersionNotFoundError} for an unknown version,
 * {@link SubgraphQueryError} when the subgraph cannot answer (unreachable, or the block is not indexed yet).
 */
export async function fetchDossier(options: FetchDossierOptions): Promise<VersionDossier> {
  const versionId = normaliseVersionId(options.versionId);
  if (options.block !== undefined && (!Number.isSafeInteger(options.block) || options.block < 0)) {
    throw new ReportError(`block ${options.block} is not a block number — pass a non-negative integer`);
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new ReportError(`timeoutMs ${options.timeoutMs} is not a timeout — pass a positive number of milliseconds`);
  }
  const graph = new Subgraph(options.url, options.headers, options.timeoutMs);
  const requestedBlock = options.block ?? null;
  const main = await graph.request<RawMain>(MAIN_QUERY, {
    id: versionId,
    block: requestedBlock === null ? null : { number: requestedBlock },
  });
  const v = main.version;
  if (!v) throw new VersionNotFoundError(versionId, options.url, requestedBlock);
  // Every later request reads the block the first one read, so the dossier is one snapshot.
  const blockNumber = requestedBlock ?? main._meta.block.number;
  const block = { number: blockNumber };

  const kinds = new Map<number, AttestationKindRef>(main.kinds.map((k) => [k.kind, { id: k.kind, name: k.name, role: k.role }]));

  // Fine-tune chain: the nested selection reaches 4 ancestors; follow further ones one request per 4 generations.
  const parentsRaw: RawModelVersion[] = [];
  for (let p = v.parent as RawModelVersion | null; p && p.number !== undefined; p = p.parent as RawModelVersion | null) {
    parentsRaw.push(p);
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const last = parentsRaw.at(-1) ?? v;
    if (!last.parent || (last.parent as Partial<RawModelVersion>).number !== undefined) break;
    const more = await graph.request<{ mv: RawModelVersion | null }>(
      `${FRAGMENTS} query ($id: ID!, $block: Block_height) { mv: modelVersion(id: $id, block: $block) { ...MV parent { ...MV parent { ...MV parent { ...MV } } } } }`,
      { id: last.parent.id, block },
    );
    for (let p = more.mv; p && p.number !== undefined; p = p.parent as RawModelVersion | null) parentsRaw.push(p);
  }

  // Dataset versions: the ones trained on, and their derivation ancestors (3 generations in the first request).
  const run = v.trainingRun;
  const rawVersions = new Map<string, RawDatasetVersion>();
  const visit = (dv: RawDatasetVersion) => {
    if (!rawVersions.has(dv.id)) rawVersions.set(dv.id, dv);
    for (const parent of dv.up ?? []) visit(parent);
  };
  for (const use of run?.datasetUses ?? []) visit(use.datasetVersion);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const missing = new Set<string>();
    for (const dv of rawVersions.values()) {
      for (const parent of dv.parentRefs) if (!rawVersions.has(parent.id)) missing.add(parent.id);
    }
    if (missing.size === 0) break;
    const more = await graph.request<{ dvs: RawDatasetVersion[] }>(
      `${FRAGMENTS} query ($ids: [ID!]!, $block: Block_height) {
        dvs: datasetVersions(where: { id_in: $ids }, first: ${PAGE}, block: $block) {
          ...DV up: parents(first: ${PAGE}) { ...DV up: parents(first: ${PAGE}) { ...DV } }
        }
      }`,
      { ids: [...missing], block },
    );
    for (const dv of more.dvs) visit(dv);
    if (more.dvs.length === 0) break;
  }
  const depth = derivationDepths(rawVersions);

  // Licences, attestations, deployments.
  const rawLicences = new Map<string, RawLicence>();
  for (const use of run?.datasetUses ?? []) rawLicences.set(use.licence.id, use.licence);
  const rawAttestations = new Map<string, RawAttestation>();
  const addAttestations = (list: RawAttestation[] | undefined) => {
    for (const a of list ?? []) rawAttestations.set(a.id, a);
  };
  addAttestations(v.attestations);
  addAttestations(run?.attestations);
  for (const dv of rawVersions.values()) addAttestations(dv.attestations);
  for (const licence of rawLicences.values()) addAttestations(licence.attestations);
  for (const deployment of v.deployments) addAttestations(deployment.attestations);

  const datasetIds = new Set<string>();
  for (const dv of rawVersions.values()) datasetIds.add(dv.dataset.id);

  // Second request: the provenance log, decision batches and the roles of everyone involved, all paginated.
  const accounts = new Set<string>();
  const eventFilter = {
    or: [
      { modelVersion: versionId },
      { and: [{ model: v.model.id }, { modelVersion: null }] },
      { dataset_in: [...datasetIds] },
      { datasetVersion_in: [...rawVersions.keys()] },
      { licence_in: [...rawLicences.keys()] },
      { attestation_in: [...rawAttestations.keys()] },
      { deployment_in: v.deployments.map((d) => d.id) },
    ],
  };
  const rawEvents: RawEvent[] = [];
  const rawBatches: RawBatch[] = [];
  let eventCursor: string | null = "";
  let batchCursor: string | null = "0x";
  let roleData: { account: Ref; roleName: string }[] | null = null;
  let roleAccounts = new Set<string>();
  const collectAccounts = () => collectAddresses(v, parentsRaw, rawVersions, rawLicences, rawAttestations, rawEvents, rawBatches);
  for (let round = 0; round < MAX_ROUNDS && (eventCursor !== null || batchCursor !== null || roleData === null); round++) {
    const parts: string[] = [];
    const variables: Record<string, unknown> = { block };
    const declarations = ["$block: Block_height"];
    if (eventCursor !== null) {
      declarations.push("$events: ProvenanceEvent_filter!");
      variables.events = { and: [{ id_gt: eventCursor }, eventFilter] };
      parts.push(`events: provenanceEvents(where: $events, orderBy: id, first: ${PAGE}, block: $block) { ${EVENT_FIELDS} }`);
    }
    if (batchCursor !== null) {
      declarations.push("$batches: DecisionBatch_filter!");
      variables.batches = { version: versionId, id_gt: batchCursor };
      parts.push(`batches: decisionBatches(where: $batches, orderBy: id, first: ${PAGE}, block: $block) { id ${BATCH_FIELDS} }`);
    }
    if (roleData === null) {
      // Accounts known so far; accounts only seen in later event pages get their roles in the next round.
      declarations.push("$accounts: [Bytes!]!");
      roleAccounts = collectAccounts();
      variables.accounts = [...roleAccounts];
      parts.push(`roles: roleMemberships(where: { account_in: $accounts, active: true }, first: ${PAGE}, block: $block) { account { id } roleName }`);
    }
    const page = await graph.request<{ events?: RawEvent[]; batches?: (RawBatch & Ref)[]; roles?: { account: Ref; roleName: string }[] }>(
      `query (${declarations.join(", ")}) { ${parts.join("\n")} }`,
      variables,
    );
    if (page.events) {
      rawEvents.push(...page.events);
      eventCursor = page.events.length === PAGE ? page.events.at(-1)!.id : null;
    }
    if (page.batches) {
      rawBatches.push(...page.batches);
      batchCursor = page.batches.length === PAGE ? page.batches.at(-1)!.id : null;
    }
    if (page.roles) roleData = page.roles;
    for (const a of collectAccounts()) accounts.add(a);
  }
  // Roles of accounts that only appeared in later pages.
  const late = [...accounts].filter((a) => !roleAccounts.has(a));
  if (late.length > 0 && roleData !== null) {
    const more = await graph.request<{ roles: { account: Ref; roleName: string }[] }>(
      `query ($accounts: [Bytes!]!, $block: Block_height) { roles: roleMemberships(where: { account_in: $accounts, active: true }, first: ${PAGE}, block: $block) { account { id } roleName } }`,
      { accounts: late, block },
    );
    roleData.push(...more.roles);
  }

  // The time of the dossier's block: from _meta at the head; for an earlier block, the latest event at or before it.
  const lastEvent = main.lastEvent[0];
  const metaTimestamp = main._meta.block.timestamp;
  const blockTimestamp =
    metaTimestamp !== null && metaTimestamp !== undefined
      ? String(metaTimestamp)
      : lastEvent && Number(lastEvent.blockNumber) === blockNumber
        ? lastEvent.timestamp
        : null;
  /** Best known "now" for expiry checks: the block time, or a lower bound of it. */
  const now = BigInt(blockTimestamp ?? lastEvent?.timestamp ?? "0");

  // --- assemble -------------------------------------------------------------------------------------------------
  const kindOf = (k: { kind: number; name: string; role: string }): AttestationKindRef => ({ id: k.kind, name: k.name, role: k.role });
  const approvalIds = new Set((v.approval?.attestations ?? []).map((a) => a.id));

  const model: ModelRecord = {
    id: v.model.id,
    creator: v.model.creator.id,
    owner: v.model.owner.id,
    commercial: v.model.commercial,
    metadataHash: v.model.metadataHash,
    uri: v.model.uri,
    requiredKinds: [...v.model.requiredKindIds].sort((a, b) => a - b).map((k) => kinds.get(k) ?? { id: k, name: `kind ${k}`, role: "" }),
    requiresDeclaredData: v.model.requiresDeclaredData,
    versionCount: v.model.versionCount,
    tx: createdTx(v.model),
  };

  const versionRecord = (mv: RawModelVersion): ModelVersionRecord => ({
    id: mv.id,
    modelId: mv.model.id,
    number: mv.number,
    weightsHash: mv.weightsHash,
    claimant: mv.claimant.id,
    manifestRoot: mv.manifestRoot,
    configHash: mv.configHash,
    uri: mv.uri,
    publisher: mv.publisher.id,
    parentId: mv.parent?.id ?? null,
    dataDeclared: mv.dataDeclared,
    commercialData: mv.commercialData,
    approved: mv.approved,
    approvalRevoked: mv.approvalRevoked,
    tx: createdTx(mv),
  });

  const parents: ParentVersionRecord[] = parentsRaw.map((p, i) => ({
    ...versionRecord(p),
    depth: i + 1,
    training: p.trainingRun
      ? {
          datasetVersionIds: p.trainingRun.datasetVersions.map((d) => d.id),
          licenceIds: p.trainingRun.licences.map((l) => l.id),
          codeHash: p.trainingRun.codeHash,
          tx: createdTx(p.trainingRun),
        }
      : null,
  }));

  const fineTunes: FineTuneRecord[] = v.fineTunes
    .map((f) => ({ id: f.id, modelId: f.model.id, number: f.number, tx: createdTx(f) }))
    .sort(byNumericId((f) => f.id));

  const training: TrainingRunRecord | null = run
    ? {
        id: run.id,
        codeHash: run.codeHash,
        hyperparametersHash: run.hyperparametersHash,
        startedAt: unixTime(run.startedAt),
        endedAt: unixTime(run.endedAt),
        uses: run.datasetUses
          .map((u) => ({
            index: Number(u.id.slice(u.id.lastIndexOf("-") + 1)),
            datasetId: u.datasetVersion.dataset.id,
            datasetVersionId: u.datasetVersion.id,
            licenceId: u.licence.id,
          }))
          .sort((a, b) => a.index - b.index),
        tx: createdTx(run),
      }
    : null;

  const datasetsRaw = new Map<string, RawDataset>();
  for (const dv of rawVersions.values()) datasetsRaw.set(dv.dataset.id, dv.dataset);
  const datasets: DatasetRecord[] = [...datasetsRaw.values()]
    .map((d) => {
      const w = d.withdrawals[0];
      const c = d.consentRevocations[0];
      return {
        id: d.id,
        creator: d.creator.id,
        owner: d.owner.id,
        withdrawn: d.withdrawn,
        withdrawal: d.withdrawn
          ? {
              reason: d.withdrawalReason ?? "",
              at: unixTime(d.withdrawnAt),
              tx: w ? txRef(w.transactionHash, w.blockNumber, w.timestamp) : null,
            }
          : null,
        consentRevocation: d.consentRevoked
          ? {
              by: d.consentRevokedBy?.id ?? "",
              reason: d.consentRevocationReason ?? "",
              at: unixTime(d.consentRevokedAt),
              tx: c ? txRef(c.transactionHash, c.blockNumber, c.timestamp) : null,
            }
          : null,
        versionCount: d.versionCount,
        currentTermsId: d.currentTerms?.id ?? null,
        termsClearances: d.termsClearances.map((t) => ({
          previousTermsId: t.previousTerms.id,
          newOwner: t.newOwner.id,
          tx: txRef(t.transactionHash, t.blockNumber, t.timestamp),
        })),
        tx: createdTx(d),
      };
    })
    .sort(byNumericId((d) => d.id));

  const usedIds = new Set((run?.datasetUses ?? []).map((u) => u.datasetVersion.id));
  const datasetVersions: DatasetVersionRecord[] = [...rawVersions.values()]
    .map((dv) => ({
      id: dv.id,
      datasetId: dv.dataset.id,
      number: dv.number,
      fingerprint: dv.fingerprint,
      manifestRoot: dv.manifestRoot,
      metadataHash: dv.metadataHash,
      uri: dv.uri,
      ...parentsWithLicences(dv),
      claimant: dv.claimant.id,
      transformationHash: dv.transformationHash,
      publisher: dv.publisher.id,
      usedInTraining: usedIds.has(dv.id),
      derivationDepth: depth.get(dv.id) ?? 0,
      tx: createdTx(dv),
    }))
    .sort((a, b) => a.derivationDepth - b.derivationDepth || compareNumeric(a.id, b.id));

  const licences: LicenceRecord[] = [...rawLicences.values()]
    .map((l) => ({
      id: l.id,
      datasetId: l.dataset.id,
      licensee: l.licensee.id,
      payer: l.payer.id,
      currency: l.currency,
      amount: l.amount,
      expiresAt: unixTime(l.expiresAt),
      expiredAtReportBlock: BigInt(l.expiresAt) !== 0n && now !== 0n && BigInt(l.expiresAt) <= now,
      terms: {
        id: l.terms.id,
        datasetId: l.terms.dataset.id,
        currency: l.terms.currency,
        price: l.terms.price,
        duration: l.terms.duration,
        commercialUse: l.terms.commercialUse,
        derivativesAllowed: l.terms.derivativesAllowed,
        documentHash: l.terms.documentHash,
        documentURI: l.terms.documentURI,
        setBy: l.terms.setBy.id,
        splits: l.terms.splits.map((s) => ({ index: s.index, recipient: s.recipient.id, bps: s.bps })),
        tx: createdTx(l.terms),
      },
      refund: l.refund
        ? {
            amount: l.refund.amount,
            currency: l.refund.currency,
            refundedBy: l.refund.refundedBy.id,
            tx: txRef(l.refund.transactionHash, l.refund.blockNumber, l.refund.timestamp),
          }
        : null,
      tx: createdTx(l),
    }))
    .sort(byNumericId((l) => l.id));

  const attestations: AttestationRecord[] = [...rawAttestations.values()]
    .map((a) => {
      const r = a.revocations[0];
      return {
        id: a.id,
        kind: kindOf(a.kind),
        subject: { type: a.subjectType, id: a.subjectId },
        attester: a.attester.id,
        attesterHoldsRole: a.attesterRole ? a.attesterRole.active : null,
        roleRevocation:
          a.attesterRole && !a.attesterRole.active
            ? { by: a.attesterRole.revokedBy?.id ?? "", at: unixTime(a.attesterRole.revokedAt) }
            : null,
        submitter: a.submitter.id,
        viaSignature: a.viaSignature,
        expiresAt: unixTime(a.expiresAt),
        evidenceHash: a.evidenceHash,
        evidenceURI: a.evidenceURI,
        refId: a.ref?.id ?? null,
        revoked: a.revoked,
        revocation: a.revoked
          ? {
              by: a.revokedBy?.id ?? "",
              reason: a.revocationReason ?? "",
              at: unixTime(a.revokedAt),
              tx: r ? txRef(r.transactionHash, r.blockNumber, r.timestamp) : null,
            }
          : null,
        inApproval: approvalIds.has(a.id),
        tx: createdTx(a),
      };
    })
    .sort(byNumericId((a) => a.id));

  const approval: ApprovalRecord | null = v.approval
    ? {
        approvedBy: v.approval.approvedBy.id,
        attestationIds: v.approval.attestations.map((a) => a.id),
        tx: txRef(v.approval.transactionHash, v.approval.blockNumber, v.approval.timestamp),
      }
    : null;

  const deployments: DeploymentRecord[] = v.deployments
    .map((d) => ({
      id: d.id,
      environmentId: d.environment.id,
      environment: d.environment.name,
      versionId: d.version.id,
      previousId: d.previous?.id ?? null,
      deployer: d.deployer.id,
      active: d.active,
      endedAt: d.active || d.endedAt === null ? null : unixTime(d.endedAt),
      tx: createdTx(d),
    }))
    .sort(byNumericId((d) => d.id));

  const rollbackRecord = (env: RawEnvironment, r: RawRollback): RollbackRecord => ({
    id: r.id,
    environmentId: env.id,
    environment: env.name,
    fromDeploymentId: r.from.id,
    fromVersionId: r.fromVersion.id,
    toDeploymentId: r.to?.id ?? null,
    toVersionId: r.toVersion?.id ?? null,
    reason: r.reason,
    by: r.by.id,
    tx: txRef(r.transactionHash, r.blockNumber, r.timestamp),
  });

  const environments: EnvironmentRecord[] = v.model.environments
    .map((env) => {
      const timeline: (EnvironmentChange & { order: number })[] = [
        ...env.deployments.map((d) => ({
          kind: "deployed" as const,
          deploymentId: d.id,
          versionId: d.version.id,
          fromVersionId: null,
          reason: null,
          by: d.deployer.id,
          tx: createdTx(d),
          order: 0,
        })),
        ...env.rollbacks.map((r) => ({
          kind: "rolled-back" as const,
          deploymentId: r.to?.id ?? null,
          versionId: r.toVersion?.id ?? null,
          fromVersionId: r.fromVersion.id,
          reason: r.reason,
          by: r.by.id,
          tx: txRef(r.transactionHash, r.blockNumber, r.timestamp),
          order: 1,
        })),
      ].sort((a, b) => compareTx(a.tx, b.tx) || a.order - b.order || compareNumeric(a.deploymentId ?? "", b.deploymentId ?? ""));
      return {
        id: env.id,
        name: env.name,
        key: env.key,
        liveVersionId: env.liveVersion?.id ?? null,
        liveDeploymentId: env.liveDeployment?.id ?? null,
        versionLive: env.liveVersion?.id === versionId,
        timeline: timeline.map(({ order: _order, ...change }) => change),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const rollbacks: RollbackRecord[] = v.model.environments
    .flatMap((env) => env.rollbacks.filter((r) => r.fromVersion.id === versionId || r.toVersion?.id === versionId).map((r) => rollbackRecord(env, r)))
    .sort((a, b) => compareTx(a.tx, b.tx) || (a.id < b.id ? -1 : 1));

  const decisionBatches: DecisionBatchRecord[] = rawBatches
    .map((b) => ({
      root: b.root,
      count: b.count,
      windowStart: unixTime(b.windowStart),
      windowEnd: unixTime(b.windowEnd),
      uri: b.uri,
      operator: b.operator.id,
      tx: txRef(b.transactionHash, b.blockNumber, b.timestamp),
      otherAnchors: b.decisionRoot.batches
        .filter((o) => o.version.id !== versionId)
        .sort((x, y) => Number(x.blockNumber) - Number(y.blockNumber) || Number(x.logIndex) - Number(y.logIndex))
        .map((o) => ({ versionId: o.version.id, modelId: o.model.id, modelOwner: o.model.owner.id, tx: txRef(o.transactionHash, o.blockNumber, o.timestamp) })),
    }))
    .sort((a, b) => compareTx(a.tx, b.tx) || (a.root < b.root ? -1 : 1));

  const history: ProvenanceEventRecord[] = rawEvents
    // Events of other model versions reached through a shared licence or dataset version (e.g. their TrainedOn).
    .filter((e) => e.modelVersion === null || e.modelVersion.id === versionId)
    .map((e) => ({
      id: e.id,
      action: e.action,
      actor: e.actor.id,
      description: e.description,
      subjects: {
        datasetId: e.dataset?.id ?? null,
        datasetVersionId: e.datasetVersion?.id ?? null,
        licenceId: e.licence?.id ?? null,
        modelId: e.model?.id ?? null,
        modelVersionId: e.modelVersion?.id ?? null,
        attestationId: e.attestation?.id ?? null,
        deploymentId: e.deployment?.id ?? null,
        decisionBatchId: e.decisionBatch?.id ?? null,
      },
      aboutVersion: e.modelVersion?.id === versionId,
      logIndex: e.logIndex,
      tx: txRef(e.transactionHash, e.blockNumber, e.timestamp),
    }))
    .sort((a, b) => compareTx(a.tx, b.tx) || compareNumeric(a.logIndex, b.logIndex) || (a.id < b.id ? -1 : 1));

  const version = versionRecord(v);
  const accountRecords = describeAccounts({
    model,
    version,
    parents,
    datasets,
    datasetVersions,
    licences,
    attestations,
    approval,
    deployments,
    rollbacks,
    decisionBatches,
    history,
    roles: roleData ?? [],
  });

  const dossier: VersionDossier = {
    format: DOSSIER_FORMAT,
    generatedAt: {
      block: {
        number: blockNumber,
        hash: main._meta.block.hash ?? null,
        timestamp: blockTimestamp,
        time: isoTime(blockTimestamp),
      },
      requestedBlock,
      subgraphUrl: options.url,
      deployment: main._meta.deployment,
      hasIndexingErrors: main._meta.hasIndexingErrors,
      requests: graph.requests,
    },
    subject: { modelId: model.id, versionId, number: version.number },
    summary: { approved: false, liveIn: [], everDeployed: false, rolledBack: 0, revokedAttestationIds: [], notReleasableBecause: [], liveButNotReleasable: [], notices: [] },
    model,
    version,
    parents,
    fineTunes,
    training,
    datasets,
    datasetVersions,
    licences,
    attestations,
    approval,
    environments,
    deployments,
    rollbacks,
    decisionBatches,
    competingClaims: competingClaims(v, [...rawVersions.values()]),
    accounts: accountRecords,
    history,
    limitations: [...LIMITATIONS],
  };
  dossier.summary = summarise(dossier, now);
  return dossier;
}

/** A version's parents in id order, each with the licence it is used under (null: the owner's own data). */
function parentsWithLicences(dv: RawDatasetVersion): { parentIds: string[]; parentLicenceIds: (string | null)[] } {
  const pairs = dv.parentRefs
    .map((p, i) => ({ id: p.id, licence: dv.parentLicenceIds[i] ?? "0" }))
    .sort((a, b) => compareNumeric(a.id, b.id));
  return { parentIds: pairs.map((p) => p.id), parentLicenceIds: pairs.map((p) => (p.licence === "0" ? null : p.licence)) };
}

/** The digests of the version and of its dataset versions that more than one account claims, with every claim. */
function competingClaims(v: RawMainVersion, versions: RawDatasetVersion[]): CompetingClaimsRecord[] {
  const record = (kind: CompetingClaimsRecord["kind"], digest: string, subjectVersionId: string, raws: RawClaim[]): CompetingClaimsRecord | null => {
    if (new Set(raws.map((r) => r.claimant.id)).size < 2) return null;
    const claims: ClaimRecord[] = raws
      .map((r) => ({
        versionId: r.id,
        assetId: r.asset.id,
        number: r.number,
        claimant: r.claimant.id,
        priority: r.priorityCommittedAt === null ? null : { committedAt: unixTime(r.priorityCommittedAt), commitmentBlock: r.priorityCommitmentBlock },
        attestationIds: r.attestations.map((a) => a.id).sort(compareNumeric),
        logIndex: r.createdLogIndex,
        tx: createdTx(r),
      }))
      .sort((a, b) => compareNumeric(a.tx.block, b.tx.block) || compareNumeric(a.logIndex, b.logIndex));
    const knownSince = (c: ClaimRecord) => BigInt(c.priority?.committedAt.unix ?? c.tx.timestamp);
    const earliest = claims.reduce((best, c) => (knownSince(c) < knownSince(best) ? c : best));
    return { kind, digest, subjectVersionId, claims, firstRegistered: claims[0]!.versionId, earliestPriority: earliest.versionId };
  };
  return [
    record("model-weights", v.weightsHash, v.id, v.content.claims),
    ...versions.sort((a, b) => compareNumeric(a.id, b.id)).map((dv) => record("dataset-fingerprint", dv.fingerprint, dv.id, dv.content.claims)),
  ].filter((c): c is CompetingClaimsRecord => c !== null);
}

/**
 * Derivation depth of each dataset version: the longest chain of derivations from it to a version with no derived
 * version in the set (the versions used in training, unless one is itself a parent of another). Parents are always
 * deeper than their children, so a layout by depth draws every derivation left to right.
 */
function derivationDepths(versions: Map<string, RawDatasetVersion>): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const dv of versions.values()) {
    for (const parent of dv.parentRefs) children.set(parent.id, [...(children.get(parent.id) ?? []), dv.id]);
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const of = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle cannot happen on chain; never loop on bad data
    visiting.add(id);
    const value = Math.max(-1, ...(children.get(id) ?? []).filter((c) => versions.has(c)).map(of)) + 1;
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  for (const id of versions.keys()) of(id);
  return depth;
}

function collectAddresses(
  v: RawMainVersion,
  parents: RawModelVersion[],
  versions: Map<string, RawDatasetVersion>,
  licences: Map<string, RawLicence>,
  attestations: Map<string, RawAttestation>,
  events: RawEvent[],
  batches: RawBatch[],
): Set<string> {
  const out = new Set<string>();
  const add = (ref: Ref | null | undefined) => {
    if (ref) out.add(ref.id);
  };
  add(v.model.creator);
  add(v.model.owner);
  add(v.publisher);
  add(v.approval?.approvedBy);
  for (const p of parents) add(p.publisher);
  for (const d of v.deployments) add(d.deployer);
  for (const env of v.model.environments) for (const r of env.rollbacks) add(r.by);
  for (const dv of versions.values()) {
    add(dv.publisher);
    add(dv.dataset.creator);
    add(dv.dataset.owner);
  }
  for (const l of licences.values()) {
    add(l.licensee);
    add(l.payer);
    add(l.terms.setBy);
    for (const s of l.terms.splits) add(s.recipient);
  }
  for (const a of attestations.values()) {
    add(a.attester);
    add(a.submitter);
    add(a.revokedBy);
  }
  for (const e of events) add(e.actor);
  for (const b of batches) add(b.operator);
  return out;
}

function describeAccounts(d: {
  model: ModelRecord;
  version: ModelVersionRecord;
  parents: ParentVersionRecord[];
  datasets: DatasetRecord[];
  datasetVersions: DatasetVersionRecord[];
  licences: LicenceRecord[];
  attestations: AttestationRecord[];
  approval: ApprovalRecord | null;
  deployments: DeploymentRecord[];
  rollbacks: RollbackRecord[];
  decisionBatches: DecisionBatchRecord[];
  history: ProvenanceEventRecord[];
  roles: { account: Ref; roleName: string }[];
}): AccountRecord[] {
  const parts = new Map<string, Set<string>>();
  const add = (address: string | null | undefined, part: string) => {
    if (!address) return;
    if (!parts.has(address)) parts.set(address, new Set());
    parts.get(address)!.add(part);
  };
  add(d.model.creator, "model creator");
  add(d.model.owner, "model owner");
  add(d.version.publisher, "model version publisher (trained it)");
  for (const p of d.parents) add(p.publisher, "parent version publisher");
  for (const ds of d.datasets) {
    add(ds.creator, "dataset creator");
    add(ds.owner, "dataset owner");
  }
  for (const dv of d.datasetVersions) add(dv.publisher, "dataset version publisher");
  for (const l of d.licences) {
    add(l.licensee, "licensee");
    add(l.payer, "licence payer");
    add(l.terms.setBy, "licence terms author");
    for (const s of l.terms.splits) add(s.recipient, "royalty recipient");
  }
  for (const a of d.attestations) {
    add(a.attester, `attester (${a.kind.name})`);
    if (a.viaSignature) add(a.submitter, "relayer of a signed attestation");
    if (a.revocation) add(a.revocation.by, "revoked an attestation");
  }
  add(d.approval?.approvedBy, "approved the release");
  for (const dep of d.deployments) add(dep.deployer, "deployer");
  for (const r of d.rollbacks) add(r.by, "rolled back");
  for (const b of d.decisionBatches) add(b.operator, "decision batch operator");
  for (const e of d.history) if (!parts.has(e.actor)) add(e.actor, "actor in the provenance log");
  const roles = new Map<string, Set<string>>();
  for (const r of d.roles) {
    if (!roles.has(r.account.id)) roles.set(r.account.id, new Set());
    roles.get(r.account.id)!.add(r.roleName);
  }
  return [...parts.entries()]
    .map(([address, set]) => ({ address, roles: [...(roles.get(address) ?? [])].sort(), parts: [...set] }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** The summary and the notices: facts worth an auditor's attention, stated without judgement. */
function summarise(d: VersionDossier, now: bigint): DossierSummary {
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
