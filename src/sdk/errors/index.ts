/**
 * Errors of the SDK, by family: the family base (./base.ts), contract reverts (./contract.ts), the node and network
 * (./network.ts), transactions and wallets (./transaction.ts); the explanation table of custom errors
 * (./explanations.ts), the revert decoder (./revert-decoder.ts) and the decoder of anything a call throws
 * (./decode.ts). Input refused before sending is the core's InvalidInputError; every error extends the core's
 * PedigreeError.
 */
export { PedigreeError, InvalidInputError, type PedigreeErrorOptions } from "../../core/errors.ts";
export { SdkError, type SdkErrorCode, type SdkErrorOptions } from "./base.ts";
export { PedigreeContractError, type ContractErrorArgs, type ContractErrorInit } from "./contract.ts";
export { NoContractError, NodeUnreachableError, WrongContractError, WrongNetworkError } from "./network.ts";
export {
  InsufficientFundsError,
  MissingSignerError,
  NonceTooLowError,
  SigningRejectedError,
  TransactionFailedError,
  TransactionOutcomeUnknownError,
  UnknownPedigreeError,
} from "./transaction.ts";
export { PEDIGREE_ERRORS_INTERFACE, decodeRevertData, registryError } from "./revert-decoder.ts";
export { decodeError, findRevertData, type DecodeErrorContext } from "./decode.ts";
