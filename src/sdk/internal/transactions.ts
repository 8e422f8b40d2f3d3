/** Sending a registry transaction, waiting for it, and reading the typed events of its receipt. */
import {
  isError,
  type BaseContract,
  type ContractTransactionResponse,
  type Interface,
  type Overrides,
  type Signer,
  type TransactionReceipt,
} from "ethers";
import type { PedigreeClient } from "../client.ts";
import {
  NodeUnreachableError,
  TransactionFailedError,
  TransactionOutcomeUnknownError,
  decodeError,
  type PedigreeError,
} from "../errors/index.ts";
import { formatTimeout } from "../../core/timeouts.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";
import type { TypedContractEvent } from "../../../types/common.ts";

/** The ethers overrides of the transaction options. */
export function overridesOf(options: TransactionOptions): Overrides {
  const overrides: Overrides = {};
  if (options.gasLimit !== undefined) overrides.gasLimit = options.gasLimit;
  if (options.maxFeePerGas !== undefined) overrides.maxFeePerGas = options.maxFeePerGas;
  if (options.maxPriorityFeePerGas !== undefined) overrides.maxPriorityFeePerGas = options.maxPriorityFeePerGas;
  if (options.nonce !== undefined) overrides.nonce = options.nonce;
  return overrides;
}

/** A mined, successful receipt. */
export interface Mined extends TransactionResult {
  receipt: TransactionReceipt;
}

/**
 * Checks the network, submits the transaction `submit` builds with the client's signer, waits for it and returns its
 * receipt; every failure on the way is decoded into a PedigreeError.
 */
export async function sendTransaction(
  client: PedigreeClient,
  action: string,
  submit: (signer: Signer, overrides: Overrides) => Promise<ContractTransactionResponse>,
  options: TransactionOptions = {},
): Promise<Mined> {
  const signer = client.requireSigner(action);
  await client.assertNetwork();
  let receipt: TransactionReceipt | null;
  let hash: string | undefined;
  let waitStarted = 0;
  try {
    const response = await submit(signer, overridesOf(options));
    hash = response.hash;
    options.onSubmitted?.(response.hash);
    waitStarted = Date.now();
    receipt = await response.wait(options.confirmations ?? 1, client.waitTimeoutMs);
  } catch (error) {
    if (hash !== undefined) throw outcomeUnknown(error, client, action, hash, Date.now() - waitStarted);
    const account = await signer.getAddress().catch(() => undefined);
    throw decodeError(error, { rpcUrl: client.rpcUrl, action, account });
  }
  if (!receipt || receipt.status !== 1) {
    throw new TransactionFailedError(hash, `Transaction ${hash} of ${action} failed.`, {
      hint: "Check it in a block explorer; it may have run out of gas.",
    });
  }
  return { receipt, hash: receipt.hash, blockNumber: receipt.blockNumber };
}

/**
 * The error of a transaction that was sent but whose wait failed: not mined within the client's wait limit, or the
 * node stopped answering — its outcome is unknown — or what the node said (a revert while mining, a replacement).
 */
function outcomeUnknown(error: unknown, client: PedigreeClient, action: string, hash: string, waitedMs: number): PedigreeError {
  const limit = client.waitTimeoutMs;
  if (limit !== undefined && waitedMs >= limit && isError(error, "TIMEOUT")) {
    return new TransactionOutcomeUnknownError(hash, action, `it was not mined within ${formatTimeout(limit)}`, { cause: error });
  }
  const decoded = decodeError(error, { rpcUrl: client.rpcUrl, action });
  if (!(decoded instanceof NodeUnreachableError)) return decoded;
  const node = `the node at ${decoded.url ?? "the RPC URL"}`;
  return new TransactionOutcomeUnknownError(hash, action, `${node} stopped answering (${decoded.reason})`, { cause: error });
}

/** Runs a view call, decoding failures. */
export async function readView<T>(client: PedigreeClient, action: string, call: () => Promise<T>): Promise<T> {
  await client.assertNetwork();
  try {
    return await call();
  } catch (error) {
    throw client.decodeError(error, action);
  }
}

type EventArgs<E> = E extends TypedContractEvent<infer _I, infer Tuple, infer Obj> ? Tuple & Obj : never;

/** The decoded arguments of every `name` event `contract` emitted in the receipt, in log order. */
export function eventsOf<C extends BaseContract & { filters: object; interface: Interface }, N extends keyof C["filters"] & string>(
  receipt: TransactionReceipt,
  contract: C,
  name: N,
): EventArgs<C["filters"][N]>[] {
  const address = String(contract.target).toLowerCase();
  const found: EventArgs<C["filters"][N]>[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) found.push(parsed.args as unknown as EventArgs<C["filters"][N]>);
  }
  return found;
}

/** The single `name` event of the receipt; a TransactionFailedError if it is missing. */
export function eventOf<C extends BaseContract & { filters: object; interface: Interface }, N extends keyof C["filters"] & string>(
  receipt: TransactionReceipt,
  contract: C,
  name: N,
): EventArgs<C["filters"][N]> {
  const [event] = eventsOf(receipt, contract, name);
  if (event === undefined) {
    throw new TransactionFailedError(receipt.hash, `Transaction ${receipt.hash} emitted no ${name} event.`, {
      hint: "Check that the client's addresses point at Pedigree registries.",
    });
  }
  return event;
}
