/**
 * The decoder that turns anything a call can throw — a revert of any registry, an OpenZeppelin or ERC-20 error bubbled
 * up through them, a node or wallet failure, wherever ethers, Hardhat or the node nested it — into one typed error with
 * a one-line message.
 */
import { PedigreeError } from "../../core/errors.ts";
import { noAnswerWithin } from "../../core/timeouts.ts";
import type { SdkErrorOptions } from "./base.ts";
import { PedigreeContractError } from "./contract.ts";
import { NoContractError, NodeUnreachableError, WrongNetworkError } from "./network.ts";
import { decodeRevertData } from "./revert-decoder.ts";
import {
  InsufficientFundsError,
  NonceTooLowError,
  SigningRejectedError,
  TransactionFailedError,
  UnknownPedigreeError,
} from "./transaction.ts";

/** What the caller knows that the error may not say. */
export interface DecodeErrorContext {
  /** The RPC URL the client talks to, named in unreachable-node errors. */
  rpcUrl?: string;
  /** The call that failed, e.g. `RoyaltyRegistry.acquireLicence`, added to `details`. */
  action?: string;
  /** The account that sent the transaction, named in funding errors. */
  account?: string;
}

/** What the decoder reads off an error: every nested object, their codes and messages. */
interface Clues {
  nested: Record<string, unknown>[];
  codes: unknown[];
  /** Every message, one per line. */
  text: string;
  /** The first line of the outermost message. */
  original: string;
  options: SdkErrorOptions;
  context: DecodeErrorContext;
}

const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  TIMEOUT: "request timed out",
};

/**
 * Turns anything a Pedigree call can throw into a {@link PedigreeError} with a one-line message.
 *
 * Contract reverts become {@link PedigreeContractError} (custom errors of the five registries, RoyaltySplits,
 * OpenZeppelin AccessControl / Nonces / ERC-721 / SafeERC20 and ERC-20 errors, `Error(string)`, `Panic`); node and
 * wallet failures become {@link InsufficientFundsError}, {@link NonceTooLowError}, {@link WrongNetworkError},
 * {@link NodeUnreachableError}, {@link NoContractError}, {@link SigningRejectedError}; anything else an
 * {@link UnknownPedigreeError}. A {@link PedigreeError} is returned as it is.
 *
 * @example
 * try {
 *   await publishModelVersion(client, { modelId, version, trainingRun });
 * } catch (error) {
 *   console.error(decodeError(error, { rpcUrl }).message);
 *   // DatasetVersionNotUsable: dataset version 3 cannot be used under licence 7 (Expired). Acquire a new licence …
 * }
 */
export function decodeError(error: unknown, context: DecodeErrorContext = {}): PedigreeError {
  if (error instanceof PedigreeError) return error;
  const clues = cluesOf(error, context);
  return (
    fundingOrNonceError(clues) ??
    revertError(error, clues) ??
    transportError(clues) ??
    walletOrCallError(clues) ??
    new UnknownPedigreeError(clues.original, clues.options)
  );
}

function cluesOf(error: unknown, context: DecodeErrorContext): Clues {
  const nested = nestedErrors(error);
  const messages = nested
    .flatMap((record) => [record.shortMessage, record.message, record.reason])
    .filter((value): value is string => typeof value === "string" && value.length > 0);
  const codes = nested.map((record) => record.code).filter((code) => code !== undefined && code !== null);
  const original = firstLine(messages[0] ?? String(error));
  const details = [context.action ? `while calling ${context.action}` : undefined, original].filter(Boolean).join(": ");
  return { nested, codes, text: messages.join("\n"), original, options: { cause: error, details }, context };
}

/** Funding and nonce failures, checked before revert data: some nodes attach `data` to them too. */
function fundingOrNonceError({ codes, text, options, context }: Clues): PedigreeError | undefined {
  if (codes.includes("INSUFFICIENT_FUNDS") || /insufficient funds|doesn't have enough funds|not enough funds/i.test(text)) {
    return new InsufficientFundsError(context.account, options);
  }
  if (codes.includes("NONCE_EXPIRED") || /nonce too low|nonce has already been used|nonce is too low/i.test(text)) {
    const match = /expected nonce to be (\d+) but got (\d+)/i.exec(text);
    return new NonceTooLowError(match ? BigInt(match[1]!) : undefined, match ? BigInt(match[2]!) : undefined, options);
  }
  return undefined;
}

/** A revert with data: a known error decoded, an unknown selector named. */
function revertError(error: unknown, { options, context }: Clues): PedigreeError | undefined {
  const data = findRevertData(error);
  if (data === undefined || data === "0x") return undefined;
  const decoded = decodeRevertData(data, { cause: error, details: context.action ? `while calling ${context.action}` : undefined });
  if (decoded) return decoded;
  const selector = data.slice(0, 10);
  return new PedigreeContractError(
    {
      errorName: "UnknownError",
      args: {},
      formattedArgs: {},
      signature: selector,
      data,
      shortMessage: `Revert: the contract reverted with an unknown error (selector ${selector}).`,
    },
    { ...options, hint: "Check that the addresses point at Pedigree registries of this SDK's version." },
  );
}

/** The node cannot be reached, or serves another chain than before. */
function transportError({ nested, codes, text, options, context }: Clues): PedigreeError | undefined {
  const networkChanged = /network changed: (\d+) => (\d+)/.exec(text);
  if (networkChanged) return new WrongNetworkError(BigInt(networkChanged[1]!), BigInt(networkChanged[2]!), options);
  const url = context.rpcUrl ?? urlOf(nested);
  for (const code of codes) {
    if (typeof code === "string" && UNREACHABLE_CODES[code]) {
      return new NodeUnreachableError(url, code === "TIMEOUT" ? timeoutReason(nested) : UNREACHABLE_CODES[code]!, options);
    }
  }
  if (codes.includes("SERVER_ERROR")) {
    const status = nested.map((record) => (record.response as { statusCode?: number } | undefined)?.statusCode).find(Boolean);
    return new NodeUnreachableError(url, status ? `HTTP ${status}` : "server error", options);
  }
  if (/fetch failed|socket hang up|failed to detect network|ECONNREFUSED|getaddrinfo/i.test(text)) {
    return new NodeUnreachableError(url, "connection failed", options);
  }
  return undefined;
}

/** The wallet said no, no contract answered, or a call failed without revert data. */
function walletOrCallError({ nested, codes, text, options }: Clues): PedigreeError | undefined {
  if (codes.includes("ACTION_REJECTED")) return new SigningRejectedError(options);
  if (codes.includes("BAD_DATA") && /value="0x"/.test(text)) return new NoContractError(contractOf(nested), options);
  if (!codes.includes("CALL_EXCEPTION")) return undefined;
  const hash = nested.map((record) => record.receipt as { hash?: string } | undefined).find(Boolean)?.hash;
  return new TransactionFailedError(hash, hash ? `Transaction ${hash} reverted without a reason.` : "The call reverted without a reason.", {
    ...options,
    hint: "It may have run out of gas, or the address may not be a Pedigree registry.",
  });
}

/** Every nested error object ethers, Hardhat and JSON-RPC nodes wrap around the original. */
function nestedErrors(error: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === null || typeof item !== "object" || seen.has(item)) continue;
    seen.add(item);
    const record = item as Record<string, unknown>;
    found.push(record);
    for (const key of ["error", "info", "cause", "data", "revert", "errors"]) {
      const child = record[key];
      if (Array.isArray(child)) queue.push(...child);
      else queue.push(child);
    }
  }
  return found;
}

/**
 * Revert data in the error, if any (`0x` for a revert without data), wherever ethers, Hardhat or the node nested it.
 *
 * @example
 * findRevertData({ code: "CALL_EXCEPTION", info: { error: { code: 3, data: "0x0dd32d1c…" } } }); // "0x0dd32d1c…"
 */
export function findRevertData(error: unknown): string | undefined {
  for (const record of nestedErrors(error)) {
    const data = record.data;
    if (typeof data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(data) && (data.length >= 10 || data === "0x")) {
      // `data` on a transaction request is calldata, not revert data: those objects carry `to`.
      if ("to" in record && "from" in record) continue;
      return data;
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

/** "no answer within 30 s" when the timeout is known (the SDK's transport records it), else "request timed out". */
function timeoutReason(nested: Record<string, unknown>[]): string {
  const timeoutMs = nested.map((record) => record.timeoutMs).find((value): value is number => typeof value === "number");
  return timeoutMs === undefined ? UNREACHABLE_CODES.TIMEOUT! : noAnswerWithin(timeoutMs);
}

function urlOf(nested: Record<string, unknown>[]): string | undefined {
  for (const record of nested) {
    const request = record.request as { url?: unknown } | undefined;
    if (request && typeof request.url === "string") return request.url;
    if (typeof record.address === "string" && typeof record.port === "number") return `${record.address}:${record.port}`;
  }
  return undefined;
}

function contractOf(nested: Record<string, unknown>[]): string | undefined {
  for (const record of nested) {
    const info = record.info as { transaction?: { to?: unknown } } | undefined;
    const to = info?.transaction?.to ?? (record.transaction as { to?: unknown } | undefined)?.to;
    if (typeof to === "string") return to;
  }
  return undefined;
}
