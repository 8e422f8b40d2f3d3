/**
 * Pedigree SDK: act on the protocol's registries from TypeScript.
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
export type { IdInput, TimestampInput, TransactionOptions, TransactionResult } from "./types.ts";
export { DEFAULT_TIMEOUT_MS, formatTimeout, noAnswerWithin } from "./timeouts.ts";

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
} from "./errors.ts";

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
} from "./constants.ts";

// shared inputs
export {
  validateSplits,
  type AttestationRequestInput,
  type DatasetParentInput,
  type DatasetVersionInput,
  type LicenceTermsInput,
  type RoyaltySplitInput,
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

export * from "./fingerprint.ts";
export * from "./merkle.ts";
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
