/**
 * Pedigree SDK: act on the protocol's registries from TypeScript — typed writes and views, and the typed errors they
 * throw. Chain-free pieces (ids, constants, hashing, Merkle trees, fingerprints) are in src/core/index.ts.
 *
 * @example
 * import { createPedigreeClient, createRpcProvider, registerDataset, decodeError } from "./sdk/index.ts";
 */
// client
export {
  PedigreeClient,
  createPedigreeClient,
  createRpcProvider,
  type PedigreeAddresses,
  type PedigreeClientOptions,
  type RpcProviderOptions,
} from "./client.ts";
export type { TimestampInput, TransactionOptions, TransactionResult } from "./types.ts";

// the core's input types the actions take (ids, kinds, subject types, roles by name); the rest is in src/core
export type { IdInput } from "../core/ids.ts";
export type { AttestationKindInput, RoleInput, SubjectTypeInput } from "../core/constants.ts";

// errors
export * from "./errors/index.ts";

// shared inputs
export {
  toComputeProvider,
  toRegion,
  toRegionSet,
  toRequiredRegionSet,
  validateSplits,
  type AttestationRequestInput,
  type DatasetParentInput,
  type DatasetVersionInput,
  type HandlingPolicyInput,
  type InheritedTerritories,
  type LicenceTermsInput,
  type RegionSetInput,
  type RoyaltySplitInput,
  type TerritoriesInput,
} from "./inputs.ts";

// signed attestations
export {
  ATTEST_TYPES,
  SIGNED_ATTESTATION_FORMAT,
  attestationDomain,
  parseSignedAttestation,
  type DecodedSignedAttestation,
  type SignedAttestation,
} from "./signedAttestation.ts";

// signed action batches (agents)
export {
  ANCHOR_ACTIONS_TYPES,
  SIGNED_ACTION_BATCH_FORMAT,
  agentsDomain,
  parseSignedActionBatch,
  type ActionBatchRequest,
  type DecodedSignedActionBatch,
  type SignedActionBatch,
} from "./signedActionBatch.ts";

// signed usage reports (royalties by use)
export {
  SIGNED_USAGE_REPORT_FORMAT,
  USAGE_REPORT_TYPES,
  parseSignedUsageReport,
  royaltiesDomain,
  type DecodedSignedUsageReport,
  type SignedUsageReport,
  type UsageReportRequest,
} from "./signedUsageReport.ts";

// commit–reveal claims
export {
  CLAIM_SECRET_FORMAT,
  claimCommitment,
  newClaimSalt,
  parseClaimSecret,
  type ClaimRegistry,
  type ClaimSecret,
} from "./claims.ts";

// actions
export * from "./actions/index.ts";

export {
  DATA_SOURCES,
  GRAPH_NETWORK_BY_CHAIN_ID,
  UnknownNetworkError,
  deploymentLocations,
  findDeploymentBlock,
  graphNetworkName,
  readNetworksFile,
  writeNetworkEntry,
  type ContractLocation,
  type NetworksFile,
} from "./networks.ts";
