// Event plumbing shared by the mapping tests: accounts, mock logs (transaction hash, log index, block and time), ABI
// value builders, and the ids the mappings derive from a log.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { newMockEvent } from "matchstick-as/assembly/index";

// Accounts, as the lowercase hex strings the store shows (assert.fieldEquals expects them).
export const ALICE = "0x00000000000000000000000000000000000a11ce";
export const BOB = "0x0000000000000000000000000000000000000b0b";
export const CAROL = "0x00000000000000000000000000000000000ca201";
export const DAVE = "0x0000000000000000000000000000000000000da7";
export const RELAYER = "0x0000000000000000000000000000000000de1a7e";
export const ZERO = "0x0000000000000000000000000000000000000000";

/** Address of one of the account constants above. */
export function addr(hex: string): Address {
  return Address.fromString(hex);
}

/** A 32-byte word ending in the hex digits `tail` (tx hashes, roots, fingerprints, policy and evidence hashes). */
export function word(tail: string): Bytes {
  let hex = tail;
  while (hex.length < 64) hex = "0" + hex;
  return Bytes.fromHexString("0x" + hex);
}

/** Hash of the mock transaction number `tx`. */
export function txHash(tx: i32): Bytes {
  return word(tx.toString(16));
}

/** The block of mock transaction `tx` when transactions are numbered in chain order, one per block. */
export function blockOf(tx: i32): i32 {
  return 100 + tx;
}

/** Unix time of mock block `block`: 12-second blocks from 1 700 000 000. */
export function timeOf(block: i32): BigInt {
  return BigInt.fromI32(1700000000 + block * 12);
}

/** id of the ProvenanceEvent (and other per-log entities) of log `logIndex` of transaction `tx`: txHash-logIndex. */
export function logId(tx: i32, logIndex: i32): string {
  return txHash(tx).toHexString() + "-" + logIndex.toString();
}

/**
 * A mock event of log `logIndex` in transaction `tx`, mined in block `block`, with no parameters yet; sent by `from`
 * (newMockEvent's default sender when empty).
 */
export function mockLog(tx: i32, logIndex: i32, block: i32, from: string = ""): ethereum.Event {
  let event = newMockEvent();
  event.transaction.hash = txHash(tx);
  if (from.length > 0) event.transaction.from = addr(from);
  event.logIndex = BigInt.fromI32(logIndex);
  event.block.number = BigInt.fromI32(block);
  event.block.timestamp = timeOf(block);
  event.parameters = new Array<ethereum.EventParam>();
  return event;
}

/** A mock event of log `logIndex` of transaction `tx` sent by `from`, in block blockOf(tx). */
export function sentLog(tx: i32, logIndex: i32, from: string): ethereum.Event {
  return mockLog(tx, logIndex, blockOf(tx), from);
}

/** Appends the next ABI parameter of `event`. */
export function param(event: ethereum.Event, name: string, value: ethereum.Value): void {
  event.parameters.push(new ethereum.EventParam(name, value));
}

export function uint(value: i32): ethereum.Value {
  return ethereum.Value.fromUnsignedBigInt(BigInt.fromI32(value));
}

export function uints(values: Array<i32>): ethereum.Value {
  let items = new Array<BigInt>();
  for (let i = 0; i < values.length; i++) items.push(BigInt.fromI32(values[i]));
  return ethereum.Value.fromUnsignedBigIntArray(items);
}

export function address(hex: string): ethereum.Value {
  return ethereum.Value.fromAddress(addr(hex));
}

export function bytes32(value: Bytes): ethereum.Value {
  return ethereum.Value.fromFixedBytes(value);
}

export function text(value: string): ethereum.Value {
  return ethereum.Value.fromString(value);
}

export function flag(value: bool): ethereum.Value {
  return ethereum.Value.fromBoolean(value);
}
