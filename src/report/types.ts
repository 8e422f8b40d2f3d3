/**
 * The audit dossier of one model version: plain JSON (every bigint is a decimal string, every byte string lowercase
 * 0x-hex, every address lowercase), so that it can be written as is, diffed, and rendered without the subgraph.
 *
 * Every fact that came from a transaction carries a {@link TxRef}: the transaction hash, its block and the block's time.
 */

/** Format tag of {@link VersionDossier}; bumped on incompatible changes. */
export const DOSSIER_FORMAT = "pedigree-dossier/1" as const;

/** Where a fact was written on chain. */
export interface TxRef {
  /** 0x-prefixed transaction hash. */
  txHash: string;
  /** Block number (decimal string). */
  block: string;
  /** Block timestamp, unix seconds (decimal string). */
  timestamp: string;
  /** The block timestamp as ISO-8601 UTC. */
  time: string;
}

/** A unix time (seconds, as declared or as stored) with its ISO-8601 rendering; `time` is null for 0 ("never"). */
export interface UnixTime {
  unix: string;
  time: string | null;
}

/** When, from where and by what the dossier was gathered. */
export interface GeneratedAt {
  /** The block every fact of the dossier was read at (the subgraph's head, or the requested block). */
  block: { number: number; hash: string | null; timestamp: string | null; time: string | null };
  /** The block that was asked for (time travel), or null for "the subgraph's head". */
  requestedBlock: number | null;
  /** The GraphQL endpoint the facts were read from. */
  subgraphUrl: string;
  /** The subgraph deployment id (IPFS hash of the subgraph manifest). */
  deployment: string;
  /** Whether the subgraph reported indexing errors (then the facts may be incomplete). */
  hasIndexingErrors: boolean;
  /** GraphQL requests it took. */
  requests: number;
}

export interface AttestationKindRef {
  /** Kind number (1 safety-evaluation, 2 bias-check, … ; 7-255 custom). */
  id: number;
  name: string;
  /** Role id (bytes32) an attester of this kind must hold. */
  role: string;
}

export interface ModelRecord {
  id: string;
  creator: string;
  owner: string;
  commercial: boolean;
  metadataHash: string;
  uri: string;
  /** Attestation kinds the release policy requires before a version may be approved. */
  requiredKinds: AttestationKindRef[];
  /** The release policy also requires declared training data. */
  requiresDeclaredData: boolean;
  versionCount: number;
  tx: TxRef;
}

export interface ModelVersionRecord {
  id: string;
  modelId: string;
  number: number;
  weightsHash: string;
  /** The model's owner when the version was published: who claims the weights hash. */
  claimant: string;
  manifestRoot: string;
  configHash: string;
  uri: string;
  publisher: string;
  /** The version it was fine-tuned from. */
  parentId: string | null;
  /** Its training run, and every fine-tune ancestor's, names registered training data. */
  dataDeclared: boolean;
  /** Every dataset in its lineage is licensed for commercial use. */
  commercialData: boolean;
  approved: boolean;
  /** An attestation its approval rested on was revoked since: no longer releasable. */
  approvalRevoked: boolean;
  tx: TxRef;
}

/** An ancestor in the fine-tune chain, with what it was trained on (ids only; its own dossier has the detail). */
export interface ParentVersionRecord extends ModelVersionRecord {
  /** 1 = the direct parent, 2 = its parent, … */
  depth: number;
  training: { datasetVersionIds: string[]; licenceIds: string[]; codeHash: string; tx: TxRef } | null;
}

/** A version fine-tuned from this one. */
export interface FineTuneRecord {
  id: string;
  modelId: string;
  number: number;
  tx: TxRef;
}

export interface TrainingDataUse {
  index: number;
  datasetId: string;
  datasetVersionId: string;
  licenceId: string;
}

export interface TrainingRunRecord {
  /** Same id as the model version. */
  id: string;
  codeHash: string;
  hyperparametersHash: string;
  /** Declared by the publisher, not observed by the chain. */
  startedAt: UnixTime;
  endedAt: UnixTime;
  /** ISO 3166-1 alpha-2 code of the country where it was computed. */
  region: string;
  /** Who computed it: a name, a 32-byte id, or null if undeclared. */
  computeProvider: string | null;
  uses: TrainingDataUse[];
  tx: TxRef;
}

export interface DatasetRecord {
  id: string;
  creator: string;
  owner: string;
  withdrawn: boolean;
  withdrawal: { reason: string; at: UnixTime; tx: TxRef | null } | null;
  /** Consent to use the data revoked by its owner (the dataset is withdrawn too; its licences may be refunded). */
  consentRevocation: { by: string; reason: string; at: UnixTime; tx: TxRef | null } | null;
  versionCount: number;
  /** Null when never set or cleared by a transfer (see termsClearances). */
  currentTermsId: string | null;
  /** Transfers that cleared the dataset's terms, oldest first. */
  termsClearances: { previousTermsId: string; newOwner: string; tx: TxRef }[];
  tx: TxRef;
}

export interface DatasetVersionRecord {
  id: string;
  datasetId: string;
  number: number;
  fingerprint: string;
  manifestRoot: string;
  metadataHash: string;
  uri: string;
  /** Versions it was derived from (its derivation parents). */
  parentIds: string[];
  /** The licence each parent (in `parentIds` order) is used under; null = the owner's own data. */
  parentLicenceIds: (string | null)[];
  /** The dataset's owner when the version was published: who claims the fingerprint. */
  claimant: string;
  transformationHash: string;
  publisher: string;
  /** Used directly by the training run (otherwise an ancestor of a version that was). */
  usedInTraining: boolean;
  /** Longest derivation chain to a version used in training: 0 for those, 1 for their parents, … (parents are always deeper). */
  derivationDepth: number;
  tx: TxRef;
}

export interface RoyaltySplitRecord {
  index: number;
  recipient: string;
  /** Basis points (10 000 = 100 %). */
  bps: number;
}

export interface LicenceTermsRecord {
  id: string;
  datasetId: string;
  /** Zero address for native ETH. */
  currency: string;
  price: string;
  /** Seconds; "0" = perpetual. */
  duration: string;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  documentHash: string;
  documentURI: string;
  /** Where the data may be used for training: "worldwide", or groups and ISO 3166-1 alpha-2 codes ("EEA", "EU, CH"). */
  trainingTerritories: string;
  /** Where models derived from the data may be deployed, read the same way. */
  deploymentTerritories: string;
  /** Price per unit of use ("0" = not metered), and what a unit is. */
  unitPrice: string;
  unit: string;
  /** Share (bps) of every payment to a dataset derived under a licence of these terms. */
  derivativeRoyaltyBps: number;
  setBy: string;
  splits: RoyaltySplitRecord[];
  tx: TxRef;
}

export interface LicenceRecord {
  id: string;
  datasetId: string;
  licensee: string;
  payer: string;
  currency: string;
  amount: string;
  /** "0" = perpetual. */
  expiresAt: UnixTime;
  /** Whether it had expired at the dossier's block. */
  expiredAtReportBlock: boolean;
  terms: LicenceTermsRecord;
  /** Voided after its dataset's consent was revoked: `amount` credited back to the licensee. */
  refund: { amount: string; currency: string; refundedBy: string; tx: TxRef } | null;
  tx: TxRef;
}

export interface AttestationRecord {
  id: string;
  kind: AttestationKindRef;
  subject: { type: SubjectType; id: string };
  /** Who made the claim (held the kind's role). */
  attester: string;
  /**
   * Whether the attester still holds the kind's role at the dossier's block (null: no record of its membership).
   * Losing the role leaves the attestation valid on chain.
   */
  attesterHoldsRole: boolean | null;
  roleRevocation: { by: string; at: UnixTime } | null;
  /** Who sent the transaction; differs from the attester when an EIP-712 signature was relayed. */
  submitter: string;
  viaSignature: boolean;
  /** "0" = never expires. */
  expiresAt: UnixTime;
  evidenceHash: string;
  evidenceURI: string;
  /** An attestation this one refers to. */
  refId: string | null;
  revoked: boolean;
  revocation: { by: string; reason: string; at: UnixTime; tx: TxRef | null } | null;
  /** Listed in the version's release approval. */
  inApproval: boolean;
  tx: TxRef;
}

export interface ApprovalRecord {
  approvedBy: string;
  attestationIds: string[];
  tx: TxRef;
}

export interface DeploymentRecord {
  id: string;
  environmentId: string;
  environment: string;
  versionId: string;
  previousId: string | null;
  /** The system version it runs the model version as; null = the bare model version. */
  systemId: string | null;
  /** ISO 3166-1 alpha-2 codes of the regions it serves. */
  regions: string[];
  deployer: string;
  /** Live in its environment at the dossier's block. */
  active: boolean;
  /** When it last stopped being live (replaced or rolled back), if it is not live. */
  endedAt: UnixTime | null;
  tx: TxRef;
}

export interface RollbackRecord {
  id: string;
  environmentId: string;
  environment: string;
  fromDeploymentId: string;
  fromVersionId: string;
  /** Null when the rollback left nothing live. */
  toDeploymentId: string | null;
  toVersionId: string | null;
  reason: string;
  by: string;
  tx: TxRef;
}

/** One change of what is live in an environment. */
export interface EnvironmentChange {
  kind: "deployed" | "rolled-back";
  deploymentId: string | null;
  /** The version live after the change (null: nothing live). */
  versionId: string | null;
  /** For rollbacks: the version taken down, and why. */
  fromVersionId: string | null;
  reason: string | null;
  by: string;
  tx: TxRef;
}

export interface EnvironmentRecord {
  id: string;
  name: string;
  key: string;
  liveVersionId: string | null;
  liveDeploymentId: string | null;
  /** This version is live here at the dossier's block. */
  versionLive: boolean;
  /** Every deployment and rollback of the environment (all versions of the model), oldest first. */
  timeline: EnvironmentChange[];
}

export interface DecisionBatchRecord {
  root: string;
  count: string;
  windowStart: UnixTime;
  windowEnd: UnixTime;
  /** The system version that made them (null = the bare model version) and the policy digest they were made under. */
  systemId: string | null;
  policyHash: string;
  /** ISO 3166-1 alpha-2 codes of the regions its decisions were made in. */
  regions: string[];
  uri: string;
  operator: string;
  tx: TxRef;
  /** Other versions that anchored the same root (anyone's), in chain order: the root alone names no producer then. */
  otherAnchors: { versionId: string; modelId: string; modelOwner: string; tx: TxRef }[];
}

/** An agent bound to a system version running this model version: its bindings to them and the batches anchored under them. */
export interface AgentRecord {
  agentId: string;
  owner: string;
  /** Its agent card (ERC-8004 registration file); empty when not set. */
  agentURI: string;
  /** Bound now to a system version running this model version. */
  boundNow: boolean;
  /** Records in its batches anchored under these bindings. */
  actionCount: string;
  /** Its bindings to system versions running this model version, oldest first. */
  bindings: {
    id: string;
    systemId: string;
    policyHash: string;
    /** The policy is the system version's own. */
    systemPolicy: boolean;
    by: string;
    tx: TxRef;
    /** The binding that replaced it, and when; null while in force. */
    replaced: { bindingId: string; tx: TxRef } | null;
  }[];
  /** Batches anchored under those bindings, oldest first. */
  actionBatches: {
    root: string;
    count: string;
    windowStart: UnixTime;
    windowEnd: UnixTime;
    bindingId: string;
    systemId: string;
    policyHash: string;
    uri: string;
    /** The operator wallet that sent or signed it, and the relayer of a signed one (null when the wallet sent it). */
    signer: string;
    relayedBy: string | null;
    tx: TxRef;
  }[];
}

/** One claim of a digest: a version registered with it. */
export interface ClaimRecord {
  versionId: string;
  /** The dataset (fingerprint) or model (weights) of the version. */
  assetId: string;
  number: number;
  claimant: string;
  /** The earliest commitment proven for the claim (commit–reveal), with its block when indexed. */
  priority: { committedAt: UnixTime; commitmentBlock: string | null } | null;
  /** Attestations on the claimed version. */
  attestationIds: string[];
  logIndex: string;
  tx: TxRef;
}

/** A digest of this dossier that several accounts claim, with every claim in chain order. */
export interface CompetingClaimsRecord {
  kind: "dataset-fingerprint" | "model-weights";
  digest: string;
  /** The version of this dossier (the model version, or a dataset version of its lineage) that holds the digest. */
  subjectVersionId: string;
  claims: ClaimRecord[];
  /** The version registered first, and the one with the earliest proven commitment (else registration). */
  firstRegistered: string;
  earliestPriority: string;
}

export interface AccountRecord {
  address: string;
  /** AttestationRegistry roles held at the dossier's block. */
  roles: string[];
  /** What the account did in this dossier (e.g. "model version publisher", "attester"). */
  parts: string[];
}

/** The subgraph's `ProvenanceAction` enum (one definition, shared with the audit client). */
export type { ProvenanceAction } from "../audit/types.ts";
import type { ProvenanceAction, SubjectType } from "../audit/types.ts";

export interface ProvenanceEventRecord {
  id: string;
  action: ProvenanceAction;
  actor: string;
  /** The indexer's summary (text from the chain: untrusted). */
  description: string;
  subjects: {
    datasetId: string | null;
    datasetVersionId: string | null;
    licenceId: string | null;
    modelId: string | null;
    modelVersionId: string | null;
    attestationId: string | null;
    deploymentId: string | null;
    decisionBatchId: string | null;
  };
  /** About this model version itself (otherwise about its data, licences, attestations or deployments). */
  aboutVersion: boolean;
  logIndex: string;
  tx: TxRef;
}

/** Things the auditor should look at first, derived from the facts (no judgement beyond what is stated). */
export interface DossierSummary {
  approved: boolean;
  /** Environments this version is live in at the dossier's block. */
  liveIn: string[];
  everDeployed: boolean;
  /** Rollbacks that took this version down. */
  rolledBack: number;
  revokedAttestationIds: string[];
  /** Why the version's approval no longer holds (an attestation of it revoked or expired); empty when it holds. */
  notReleasableBecause: string[];
  /** Environments where this version is live although no longer releasable. */
  liveButNotReleasable: string[];
  /** Plain-language findings, one line each. */
  notices: string[];
}

/**
 * Where the version and its fine-tune ancestors were trained and the territories the licences behind them leave
 * (ISO 3166-1 alpha-2 codes); deployments and decision batches carry their own regions. Conflicts: records outside.
 */
export interface JurisdictionsRecord {
  /** Training data (transitively), then retrieval data: where it comes from and the data-handling policy. */
  data: { datasetVersionId: string; datasetId: string; use: "training" | "retrieval"; origin: string[]; handlingPolicy: { hash: string; uri: string } | null }[];
  runs: { versionId: string; region: string; computeProvider: string | null; allowed: string[] }[];
  /** Per system version: its retrieval licences and the deployment territory they narrow the lineage's to. */
  systems: { systemId: string; retrieval: { licenceId: string; datasetId: string; deployment: string[] }[]; deployment: string[] }[];
  licences: { licenceId: string; datasetId: string; training: string[]; deployment: string[] }[];
  territory: { training: string[]; deployment: string[] };
  conflicts: { kind: string; subject: string; regions: string[]; message: string }[];
}

/** A system version running this model version: its configuration digests (zero = none), retrieval data, gate. */
export interface SystemVersionRecord {
  id: string;
  parentId: string | null;
  promptHash: string;
  retrievalIndex: string;
  policyHash: string;
  toolsHash: string;
  retrieval: { datasetVersionId: string; datasetId: string; licenceId: string }[];
  uri: string;
  publisher: string;
  approved: boolean;
  approvalRevoked: boolean;
  tx: TxRef;
}

/** A disclosure package checked against the root the dossier records for its record. */
/** Royalties of one dataset in the lineage: its pricing, what it earned by channel, what it pays up its lineage. */
export interface RoyaltyRecord {
  datasetId: string;
  /** The current terms' pricing; null when none are set. */
  terms: { termsId: string; currency: string; unitPrice: string; unit: string; derivativeRoyaltyBps: number } | null;
  /** Credited to its recipients, per currency: by sale, by use, by derivation, to contributors. */
  earned: Array<{ currency: string; sale: string; use: string; derivation: string; contribution: string; total: string }>;
  /** The royalty parents of its versions in the lineage. */
  royaltyParents: Array<{ versionId: string; parentVersionId: string; parentDatasetId: string; bps: number }>;
  /** The contributors of its versions in the lineage. */
  contributors: Array<{ versionId: string; account: string; bps: number }>;
  /** Metered usage under the lineage's licences of it, with the reports an auditor disputes. */
  usage: Array<{ licenceId: string; currency: string; unit: string; units: string; reports: number; paid: string; disputedReportIds: string[] }>;
}

export interface DisclosureRecord {
  /** The committed record: a dataset version (its datasheet) or a training run (its hyperparameters). */
  subject: { type: string; id: string };
  /** The root recorded for it (or, outside the report, the package's own). */
  root: string;
  /** verified: every field opens the root; mismatch: some do not; outside: the record is not in this report. */
  status: "verified" | "mismatch" | "outside";
  fields: { name: string; value: string; verified: boolean }[];
  /** Fields of the record committed and not disclosed. */
  hidden: number;
}

export interface VersionDossier {
  format: typeof DOSSIER_FORMAT;
  generatedAt: GeneratedAt;
  subject: { modelId: string; versionId: string; number: number };
  summary: DossierSummary;
  model: ModelRecord;
  version: ModelVersionRecord;
  /** The fine-tune chain, nearest parent first. */
  parents: ParentVersionRecord[];
  fineTunes: FineTuneRecord[];
  training: TrainingRunRecord | null;
  /** Datasets of the training data (and of its derivation ancestors). */
  datasets: DatasetRecord[];
  /** The versions used in training, then their derivation ancestors. */
  datasetVersions: DatasetVersionRecord[];
  /** Licences the training run declared, with their terms. */
  licences: LicenceRecord[];
  /** On this version, its training run, its data versions, its licences and its deployments; revoked ones too. */
  attestations: AttestationRecord[];
  approval: ApprovalRecord | null;
  /** Environments of the model (with their full timeline), whether or not this version was deployed there. */
  environments: EnvironmentRecord[];
  /** Deployments of this version. */
  deployments: DeploymentRecord[];
  /** Rollbacks from or to this version. */
  rollbacks: RollbackRecord[];
  decisionBatches: DecisionBatchRecord[];
  /** System versions running this model version (a prompt, retrieval, policy or tools change on its weights). */
  systems: SystemVersionRecord[];
  jurisdictions: JurisdictionsRecord;
  /** Agents bound (now or before) to a system version running this model version, by agent id. */
  agents: AgentRecord[];
  /** Digests of the version and its data that other accounts claim too (empty when every claim is alone). */
  competingClaims: CompetingClaimsRecord[];
  /** Private fields the owner disclosed to this report (disclosure packages), checked against the recorded roots. */
  disclosures: DisclosureRecord[];
  /** Royalties of each dataset in the lineage: by sale, use, derivation and contribution; usage of its licences. */
  royalties: RoyaltyRecord[];
  accounts: AccountRecord[];
  /** Provenance log of the version and its lineage, oldest first. */
  history: ProvenanceEventRecord[];
  /** What the chain does not prove about these facts. */
  limitations: string[];
}
