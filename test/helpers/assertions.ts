/** Assertions on contract reverts and events, decoded through the contracts' own ABIs. */
import { expect } from "vitest";
import type { BaseContract, ContractTransactionResponse, Interface, LogDescription } from "ethers";

/** Pulls revert data out of the nested error shapes ethers and the Hardhat provider produce. */
function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === null || typeof item !== "object" || seen.has(item)) continue;
    seen.add(item);
    const record = item as Record<string, unknown>;
    if (typeof record.data === "string" && record.data.startsWith("0x")) return record.data;
    for (const key of ["error", "info", "cause", "data", "revert"]) queue.push(record[key]);
  }
  return undefined;
}

/**
 * Expects `action` to revert with custom error `name` of `contract` (or any of `alsoFrom`), and, when given, with
 * exactly `args`. Returns the decoded arguments.
 */
export async function expectRevert(
  action: Promise<unknown>,
  contract: { interface: Interface },
  name: string,
  args?: unknown[],
): Promise<unknown[]> {
  let error: unknown;
  try {
    await action;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a revert with ${name}, but the call succeeded`).toBeDefined();
  const data = revertData(error);
  expect(data, `expected revert data for ${name}; got ${String(error)}`).toBeDefined();
  const parsed = contract.interface.parseError(data!);
  expect(parsed?.name, `expected ${name}, got ${parsed?.name ?? data}`).toBe(name);
  const decoded = [...parsed!.args];
  if (args !== undefined) expect(normalise(decoded)).toEqual(normalise(args));
  return decoded;
}

/** All events named `name` that `contract` emitted in the transaction. */
export async function eventsOf(
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
  contract: BaseContract,
  name: string,
): Promise<LogDescription[]> {
  const receipt = await (await tx).wait();
  const address = (await contract.getAddress()).toLowerCase();
  const found: LogDescription[] = [];
  for (const log of receipt!.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) found.push(parsed);
  }
  return found;
}

/** The single event `name` the transaction emitted from `contract`. */
export async function eventOf(
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
  contract: BaseContract,
  name: string,
): Promise<LogDescription> {
  const events = await eventsOf(tx, contract, name);
  expect(events.length, `expected one ${name} event`).toBe(1);
  return events[0];
}

/** Numbers to bigint and nested Results to arrays, so decoded values compare with plain literals. */
export function normalise(value: unknown): unknown {
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "string") return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalise);
  return value;
}

/** Argument `arg` of the first event `name` the transaction emitted from `contract`, as a bigint (a new record's id). */
export async function emittedId(
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
  contract: BaseContract,
  name: string,
  arg: string,
): Promise<bigint> {
  const [found] = await eventsOf(tx, contract, name);
  expect(found, `expected a ${name} event`).toBeDefined();
  return BigInt(found!.args.getValue(arg));
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

/** Storage writes (SSTORE) of a mined transaction, from the node's struct-log trace. */
export async function storageWrites(provider: { send(method: string, params: unknown[]): Promise<unknown> }, hash: string): Promise<number> {
  const trace = (await provider.send("debug_traceTransaction", [hash, { disableStack: true, disableMemory: true }])) as { structLogs: { op: string }[] };
  return trace.structLogs.filter((log) => log.op === "SSTORE").length;
}
