/**
 * Pedigree SDK: act on the protocol's registries from TypeScript.
 *
 * @example
 * import { createPedigreeClient, createRpcProvider, registerDataset, decodeError } from "./sdk/index.js";
 */
// client
export {
  PedigreeClient,
  createPedigreeClient,
  createRpcProvider,
  type PedigreeAddresses,
  type PedigreeClientOptions,
  type RpcProviderOptions,
} from "./client.js";
export type { IdInput, TimestampInput, TransactionOptions, TransactionResult } from "./types.js";
export { DEFAULT_TIMEOUT_MS, formatTimeout, noAnswerWithin } from "./timeouts.js";

// errors
export {
  PedigreeError,
  PedigreeContractError,
  PedigreeValidationError,
  InsufficientFundsError,
  NonceTooLowError,
  WrongNetworkError,
  WrongContractError,
  NodeUnreachableError,
  NoContractError,
  MissingSignerError,
  TransactionFailedError,
  TransactionOutcomeUnknownError,
  UnknownPedigreeError,
  PEDIGREE_ERRORS_INTERFACE,
  decodeError,
  decodeRevertData,
  findRevertData,
  registryError,
  type ContractErrorArgs,
  type DecodeErrorContext,
  type PedigreeErrorCode,
  type PedigreeErrorOptions,
} from "./errors.js";

// names of the protocol's numbers
export {
  ATTESTATION_KINDS,
  ETH_CURRENCY,
  LICENCE_STATUSES,
  MAX_PARENTS,
  MAX_SIGNATURE_LIFETIME,
  MAX_SPLIT_RECIPIENTS,
  RELEASE_APPROVAL_KIND,
  REQUIRE_DECLARED_DATA,
  ROLES,
  SUBJECT_TYPES,
  TOTAL_BPS,
  bitmapToKinds,
  describeRole,
  kindName,
  kindsToBitmap,
  licenceStatusName,
  roleId,
  roleName,
  subjectTypeName,
  toKind,
  toSubjectType,
  type AttestationKindInput,
  type AttestationKindName,
  type LicenceStatusName,
  type RoleInput,
  type RoleName,
  type SubjectTypeInput,
  type SubjectTypeName,
} from "./constants.js";

// shared inputs
export {
  validateSplits,
  type AttestationRequestInput,
  type DatasetParentInput,
  type DatasetVersionInput,
  type LicenceTermsInput,
  type RoyaltySplitInput,
} from "./inputs.js";

// signed attestations
export {
  ATTEST_TYPES,
  SIGNED_ATTESTATION_FORMAT,
  attestationDomain,
  parseSignedAttestation,
  type DecodedSignedAttestation,
  type SignedAttestation,
} from "./signedAttestation.js";

// commit–reveal claims
export {
  CLAIM_SECRET_FORMAT,
  claimCommitment,
  newClaimSalt,
  parseClaimSecret,
  type ClaimRegistry,
  type ClaimSecret,
} from "./claims.js";

// actions
export * from "./actions/index.js";

export * from "./fingerprint.js";
export * from "./merkle.js";
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
} from "./networks.js";
