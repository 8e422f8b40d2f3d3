/** A transaction could not be sent, signed or confirmed, or failed without a reason. */
import { SdkError, type SdkErrorOptions } from "./base.ts";

/** The sending account cannot pay for the gas and value of the transaction. */
export class InsufficientFundsError extends SdkError {
  override name = "InsufficientFundsError";
  readonly account: string | undefined;
  constructor(account: string | undefined, options: SdkErrorOptions = {}) {
    super(
      "INSUFFICIENT_FUNDS",
      `Insufficient funds: ${account ?? "the sending account"} cannot pay for the gas and value of this transaction.`,
      { hint: "Fund the account with ETH on this network and try again.", ...options },
    );
    this.account = account;
  }
}

/** The transaction's nonce was already used (another transaction of the account was mined first). */
export class NonceTooLowError extends SdkError {
  override name = "NonceTooLowError";
  readonly expectedNonce: bigint | undefined;
  readonly usedNonce: bigint | undefined;
  constructor(expectedNonce: bigint | undefined, usedNonce: bigint | undefined, options: SdkErrorOptions = {}) {
    super(
      "NONCE_TOO_LOW",
      expectedNonce !== undefined && usedNonce !== undefined
        ? `Nonce too low: the transaction used nonce ${usedNonce} but the account's next nonce is ${expectedNonce}.`
        : "Nonce too low: the account already used this transaction's nonce.",
      { hint: "Another transaction from this account was mined first; retry without setting a nonce.", ...options },
    );
    this.expectedNonce = expectedNonce;
    this.usedNonce = usedNonce;
  }
}

/** The action sends a transaction or signs, but the client was created with a provider only. */
export class MissingSignerError extends SdkError {
  override name = "MissingSignerError";
  readonly action: string;
  constructor(action: string) {
    super("NO_SIGNER", `${action} needs an account to sign with, but the client has only a provider.`, {
      hint: "Create the client with a signer, or call client.connect(signer).",
    });
    this.action = action;
  }
}

/** The wallet refused to sign (a person declined, or a hardware wallet timed out). */
export class SigningRejectedError extends SdkError {
  override name = "SigningRejectedError";
  constructor(options: SdkErrorOptions = {}) {
    super("REJECTED", "The wallet refused to sign.", options);
  }
}

/** A transaction was mined but failed, and the node gave no revert data to explain it. */
export class TransactionFailedError extends SdkError {
  override name = "TransactionFailedError";
  readonly hash: string | undefined;
  constructor(hash: string | undefined, shortMessage: string, options: SdkErrorOptions = {}) {
    super("TRANSACTION_FAILED", shortMessage, options);
    this.hash = hash;
  }
}

/**
 * The transaction was sent, but the node stopped answering before its receipt could be read: it may or may not be
 * mined. Sending it again could do the action twice.
 */
export class TransactionOutcomeUnknownError extends SdkError {
  override name = "TransactionOutcomeUnknownError";
  readonly hash: string;
  readonly action: string;
  readonly reason: string;
  constructor(hash: string, action: string, reason: string, options: SdkErrorOptions = {}) {
    super("TRANSACTION_OUTCOME_UNKNOWN", `Transaction ${hash} of ${action} was sent, but ${reason}: it may still be mined.`, {
      hint: "Check its receipt (a block explorer, or eth_getTransactionReceipt) before sending it again.",
      ...options,
    });
    this.hash = hash;
    this.action = action;
    this.reason = reason;
  }
}

/** Anything else, with the original error as `cause`. */
export class UnknownPedigreeError extends SdkError {
  override name = "UnknownPedigreeError";
  constructor(shortMessage: string, options: SdkErrorOptions = {}) {
    super("UNKNOWN", shortMessage, options);
  }
}
