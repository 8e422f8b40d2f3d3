/**
 * Plain data the audit functions return. Conventions, everywhere:
 * - on-chain ids (datasets, versions, licences, models, attestations, deployments) are decimal strings ("3");
 * - accounts are lower-case 0x addresses; hashes and roots lower-case 0x hex (bytes32);
 * - amounts are decimal strings in the currency's smallest unit (wei for ETH: `BigInt(amount)` converts);
 * - block numbers and unix timestamps (seconds) are numbers;
 * - everything is JSON-serialisable.
 */

/** Where something happened on-chain. */
export interface TxStamp {
  blockNumber: number;
  /** Unix seconds of the block. */
  timestamp: number;
  transactionHash: string;
}

/** The indexed block an answer reflects. */
export interface AsOf {
  blockNumber: number;
  /** Null when the answer was asked for a block number (time travel). */
  blockHash: string | null;
  /** Unix seconds, when the endpoint reports it (not for time-travel answers). */
  timestamp: number | null;
}

/** The zero bytes32 (a hash that was not recorded). */
export const ZERO_HASH = `0x${"0".repeat(64)}`;
/** The zero address (native ETH as a currency). */
export const ZERO_ADDRESS = `0x${"0".repeat(40)}`;

/** The subgraph's `ProvenanceAction` and `SubjectType` enums (generated from schema.graphql). */
import type { ProvenanceAction, SubjectType } from "./generated/graphql.ts";
export type { ProvenanceAction, SubjectType };

/** One entry of the provenance log (`ProvenanceEvent`). */
export interface ProvenanceEntry extends TxStamp {
  /** `txHash-logIndex`, or `txHash-logIndex-n` when one log touched several subjects. */
  id: string;
  action: ProvenanceAction;
  /** Who did it. */
  actor: string;
  /** Human-readable summary written by the subgraph. */
  description: string;
  logIndex: number;
  /** The subjects the entry is about (ids; null when not concerned). */
  subjects: {
    dataset: string | null;
    datasetVersion: string | null;
    licence: string | null;
    model: string | null;
    modelVersion: string | null;
    attestation: string | null;
    deployment: string | null;
    decisionBatch: string | null;
  };
}

/** A model version as the registry recorded it. */
export interface ModelVersionInfo {
  id: string;
  modelId: string;
  /** 1-based number within the model. */
  number: number;
  weightsHash: string;
  /** The model's owner when the version was published: who claims the weights hash (others may claim it too). */
  claimant: string;
  manifestRoot: string;
  configHash: string;
  uri: string;
  /** The version it was fine-tuned from. */
  parentId: string | null;
  publisher: string;
  /** Its training run, and every fine-tune ancestor's, names registered training data. */
  dataDeclared: boolean;
  /** Every dataset in its lineage is licensed for commercial use. */
  commercialData: boolean;
  /** Passed the release gate. */
  approved: boolean;
  /** An attestation its approval rested on was revoked since: it is no longer releasable. */
  approvalRevoked: boolean;
  published: TxStamp;
}

/** The jurisdiction and data-handling context of a dataset version (ISO 3166-1 alpha-2 codes). */
export interface DataContextInfo {
  /** Where the data comes from; empty when not declared. */
  origin: string[];
  /** The data-handling policy that applies (GDPR special category, PII, consent basis…); null when none is declared. */
  handlingPolicy: { hash: string; uri: string } | null;
  /** Where its derivation lineage lets it be used for training and models derived from it be deployed. */
  inherited: { training: string[]; deployment: string[] };
}

/** A system version: a model version run with a configuration (digests; zero = none). */
export interface SystemVersionInfo {
  id: string;
  modelId: string;
  modelVersionId: string;
  /** The system version it changes. */
  parentId: string | null;
  config: { promptHash: string; retrievalIndex: string; policyHash: string; toolsHash: string };
  /** The dataset versions its retrieval index was built from, each under a licence, in declared order. */
  retrieval: Array<{ datasetVersionId: string; datasetId: string; number: number; context: DataContextInfo; licence: LicenceInfo }>;
  uri: string;
  publisher: string;
  approved: boolean;
  /** An attestation its approval rested on was revoked since. */
  approvalRevoked: boolean;
  approval: (TxStamp & { approvedBy: string; attestationIds: string[] }) | null;
  published: TxStamp;
}

/** A dataset (the asset; versions are separate). */
export interface DatasetInfo {
  id: string;
  creator: string;
  owner: string;
  /** No new licences, versions or terms; licences already granted stay valid. */
  withdrawn: boolean;
  withdrawnAt: number | null;
  withdrawalReason: string | null;
  /** The transaction that withdrew it; null when not withdrawn. */
  withdrawalRecorded: TxStamp | null;
  /** Consent to use the data was revoked (the dataset is withdrawn too): its licences may be voided by refunds. */
  consentRevocation: { by: string; reason: string; /** Unix seconds. */ timestamp: number; recorded: TxStamp | null } | null;
  /** The terms new licences are granted under now; null when never set or cleared by a transfer. */
  currentTerms: TermsInfo | null;
  /** Terms cleared by transfers of the dataset (a new owner does not inherit its predecessor's terms). */
  termsClearances: Array<{ previousTermsId: string; newOwner: string; recorded: TxStamp }>;
  /** Versions published so far. */
  versionCount: number;
  registered: TxStamp;
}

/** One published version of a dataset. */
export interface DatasetVersionInfo {
  id: string;
  datasetId: string;
  number: number;
  fingerprint: string;
  manifestRoot: string;
  metadataHash: string;
  uri: string;
  /** The dataset's owner when the version was published: who claims the fingerprint (others may claim it too). */
  claimant: string;
  /** Dataset versions it was derived from. */
  parentIds: string[];
  /** The licence each parent is used under, in the order of `parentIds`; null = the owner's own data. */
  parentLicenceIds: Array<string | null>;
  transformationHash: string;
  publisher: string;
  published: TxStamp;
  /** Where its data comes from, the data-handling policy, and the territories its derivation lineage allows. */
  context: DataContextInfo;
}

/** Licence terms, with their royalty splits. */
export interface TermsInfo {
  id: string;
  datasetId: string;
  /** Zero address for native ETH. */
  currency: string;
  price: string;
  /** Seconds; 0 = perpetual. */
  duration: number;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  documentHash: string;
  documentURI: string;
  /** ISO 3166-1 alpha-2 codes of the regions where the data may be used for training (all 249 when worldwide). */
  trainingTerritories: string[];
  /** Codes of the regions where models derived from the data may be deployed. */
  deploymentTerritories: string[];
  /** Price per unit of use ("0" = not metered), and what a unit is. */
  unitPrice: string;
  unit: string;
  /** Share (bps) of every payment to a dataset derived under a licence of these terms. */
  derivativeRoyaltyBps: number;
  splits: Array<{ recipient: string; bps: number }>;
  setBy: string;
  set: TxStamp;
}

/** A licence acquired on a dataset. */
export interface LicenceInfo {
  id: string;
  datasetId: string;
  licensee: string;
  payer: string;
  currency: string;
  amount: string;
  /** Unix seconds; null = perpetual. */
  expiresAt: number | null;
  terms: TermsInfo;
  acquired: TxStamp;
  /** Voided after the dataset's consent was revoked, with `amount` credited back to the licensee; null if not. */
  refund: (TxStamp & { amount: string; currency: string; refundedBy: string }) | null;
}

/** An attestation, with its relay and revocation. */
export interface AttestationInfo {
  id: string;
  kind: number;
  /** e.g. "safety-evaluation", "bias-check", "release-approval". */
  kindName: string;
  /** The role an attester of this kind must hold, e.g. "EVALUATOR_ROLE". */
  kindRole: string;
  subject: { type: SubjectType; id: string };
  attester: string;
  /**
   * Whether the attester still holds the role the attestation's kind requires (at the answer's block); null when the
   * subgraph has no record of its membership. Losing the role leaves the attestation valid on chain: flag it.
   */
  attesterHoldsRole: boolean | null;
  /** When and by whom the attester's role was revoked, if it was. */
  roleRevocation: { by: string; /** Unix seconds. */ timestamp: number } | null;
  /** Who sent the transaction (differs from the attester for a relayed signature). */
  submitter: string;
  viaSignature: boolean;
  /** The relayer, for an attestation relayed with the attester's EIP-712 signature; null otherwise. */
  relayedBy: string | null;
  evidenceHash: string;
  evidenceURI: string;
  /** Unix seconds; null = never. */
  expiresAt: number | null;
  /** Whether it had expired at the answer's block time (null when that time is unknown). */
  expired: boolean | null;
  /** An earlier attestation this one refers to. */
  refId: string | null;
  revocation: {
    by: string;
    /** Unix seconds. */
    timestamp: number;
    reason: string;
    /** From the provenance log (null only when the subgraph lacks the entry). */
    blockNumber: number | null;
    transactionHash: string | null;
  } | null;
  attested: TxStamp;
}

/** A deployment of a model version to an environment. */
export interface DeploymentInfo {
  id: string;
  modelId: string;
  versionId: string;
  environment: string;
  /** The system version it runs the model version as; null = the bare model version. */
  systemId: string | null;
  /** ISO 3166-1 alpha-2 codes of the regions it serves. */
  regions: string[];
  deployer: string;
  /** Live in its environment at the answer's block. */
  active: boolean;
  /** Unix seconds when it stopped being live, if it did. */
  endedAt: number | null;
  /** The deployment live before this one in the environment. */
  previousDeploymentId: string | null;
  previousVersionId: string | null;
  deployed: TxStamp;
}

/** A rollback of an environment. */
export interface RollbackInfo extends TxStamp {
  id: string;
  modelId: string;
  environment: string;
  by: string;
  reason: string;
  fromDeploymentId: string;
  fromVersionId: string;
  /** The deployment restored; null when the environment was left empty (take-down). */
  toDeploymentId: string | null;
  toVersionId: string | null;
}

/** An anchored batch of decision records. */
export interface DecisionBatchInfo extends TxStamp {
  root: string;
  versionId: string;
  modelId: string;
  count: number;
  /** Unix seconds. */
  windowStart: number;
  windowEnd: number;
  /** The system version that made them (null = the bare model version) and the governance policy they were made under. */
  systemId: string | null;
  policyHash: string;
  /** ISO 3166-1 alpha-2 codes of the regions its decisions were made in. */
  regions: string[];
  uri: string;
  operator: string;
  /** Batches of one root are ordered by (block, log index). */
  logIndex: number;
}

/** The approval that opened the release gate for a version. */
export interface ApprovalInfo extends TxStamp {
  versionId: string;
  approvedBy: string;
  /** The attestations the approval was based on. */
  attestationIds: string[];
}
