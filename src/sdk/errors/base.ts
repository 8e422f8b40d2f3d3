/**
 * The SDK's error family: every error an action throws about the chain (a revert, a node, a wallet, a transaction)
 * extends {@link SdkError}, which extends the project's one base class, {@link PedigreeError}. Input the SDK refuses
 * before sending is a core {@link InvalidInputError}. Messages are sentences with a next step that names SDK
 * functions, never a command: a program built on the SDK words its own hints (the CLI adds `pedigree …` ones).
 */
import { PedigreeError, type PedigreeErrorOptions } from "../../core/errors.ts";

/** Machine-readable category of an {@link SdkError}. */
export type SdkErrorCode =
  | "CONTRACT_REVERT"
  | "INSUFFICIENT_FUNDS"
  | "NONCE_TOO_LOW"
  | "WRONG_NETWORK"
  | "WRONG_CONTRACT"
  | "NODE_UNREACHABLE"
  | "NO_CONTRACT"
  | "NO_SIGNER"
  | "TRANSACTION_FAILED"
  | "TRANSACTION_OUTCOME_UNKNOWN"
  | "REJECTED"
  | "UNKNOWN_NETWORK"
  | "UNKNOWN";

/** What an {@link SdkError} carries besides its code and message. */
export type SdkErrorOptions = Omit<PedigreeErrorOptions, "code">;

/**
 * Base class of the SDK's chain errors. `message` is one line: `shortMessage` (a sentence) followed by `hint`.
 *
 * @example
 * try {
 *   await acquireLicence(client, { datasetId: 1n });
 * } catch (error) {
 *   const decoded = decodeError(error);
 *   console.error(decoded.message); // one line, ready for a terminal
 *   if (decoded.details) console.error(decoded.details);
 * }
 */
export class SdkError extends PedigreeError {
  override name = "SdkError";
  declare readonly code: SdkErrorCode;

  constructor(code: SdkErrorCode, shortMessage: string, options: SdkErrorOptions = {}) {
    const text = shortMessage.trim();
    super(/[.!?]$/.test(text) ? text : `${text}.`, { ...options, code });
  }
}
