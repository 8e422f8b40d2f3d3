/**
 * Writes chain data into a mapping's memory as graph-ts's `ethereum.Block`, `ethereum.Transaction`,
 * `ethereum.Event`, `ethereum.TransactionReceipt` and `ethereum.Log`, in the layout of the mapping's apiVersion
 * (0.0.5: no baseFeePerGas / nonce / receipt; 0.0.6: + baseFeePerGas, nonce; 0.0.7+: + receipt).
 */
import type { BlockHeader, Log, Transaction, TransactionReceipt } from "../chain/types.ts";
import type { AscHeap } from "./asc.ts";
import type { EventParam } from "./eth-abi.ts";
import { TypeId } from "./type-ids.ts";
import { bigIntToSignedBytesLE } from "./bigint.ts";

/** Which struct versions a mapping's apiVersion uses. */
export interface Layout {
  /** Block has baseFeePerGas and Transaction has nonce (apiVersion >= 0.0.6). */
  v006: boolean;
  /** Event has `receipt` (apiVersion >= 0.0.7). */
  v007: boolean;
}

export function layoutFor(apiVersion: string): Layout {
  const [a = 0, b = 0, c = 0] = apiVersion.split(".").map(Number);
  const n = a * 1_000_000 + b * 1_000 + c;
  return { v006: n >= 6, v007: n >= 7 };
}

/** Bytes of chain data hex (trusted to be 0x-hex, as the chain follower delivers it); no validation, no copy. */
export function chainHex(hex: string): Uint8Array {
  return Buffer.from(hex.length >= 2 && hex.charCodeAt(1) === 120 /* x */ ? hex.slice(2) : hex, "hex");
}
const hexToBytes = chainHex;

/** BigInt bytes of a value that may be null (written as a null pointer). */
const bigIntBytesOrNull = (n: bigint | null) => (n === null ? null : bigIntToSignedBytesLE(n));

/**
 * A block's or transaction's fields as the bytes written to memory, decoded from hex and encoded from bigint once per
 * block or transaction object rather than once per trigger (a transaction with 20 events is written 20 times).
 */
type Prepared<K extends string> = Record<K, Uint8Array | null>;
type PreparedBlock = Prepared<"hash" | "parentHash" | "unclesHash" | "author" | "stateRoot" | "transactionsRoot" | "receiptsRoot">
  & Prepared<"number" | "gasUsed" | "gasLimit" | "timestamp" | "difficulty" | "totalDifficulty" | "size" | "baseFeePerGas">;
type PreparedTransaction = Prepared<"hash" | "from" | "to" | "input" | "index" | "value" | "gasLimit" | "gasPrice" | "nonce">;

const preparedBlocks = new WeakMap<BlockHeader, PreparedBlock>();
const preparedTransactions = new WeakMap<Transaction, PreparedTransaction>();

/** `make(key)`, computed once per key object. */
function once<K extends object, V>(cache: WeakMap<K, V>, key: K, make: (key: K) => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make(key)));
  return value;
}

function prepareBlock(block: BlockHeader): PreparedBlock {
  return once(preparedBlocks, block, () => ({
    hash: hexToBytes(block.hash),
    parentHash: hexToBytes(block.parentHash),
    unclesHash: hexToBytes(block.unclesHash),
    author: hexToBytes(block.author),
    stateRoot: hexToBytes(block.stateRoot),
    transactionsRoot: hexToBytes(block.transactionsRoot),
    receiptsRoot: hexToBytes(block.receiptsRoot),
    number: bigIntToSignedBytesLE(block.number),
    gasUsed: bigIntToSignedBytesLE(block.gasUsed),
    gasLimit: bigIntToSignedBytesLE(block.gasLimit),
    timestamp: bigIntToSignedBytesLE(block.timestamp),
    difficulty: bigIntToSignedBytesLE(block.difficulty),
    totalDifficulty: bigIntToSignedBytesLE(block.totalDifficulty),
    size: bigIntBytesOrNull(block.size),
    baseFeePerGas: bigIntBytesOrNull(block.baseFeePerGas),
  }));
}

function prepareTransaction(tx: Transaction): PreparedTransaction {
  return once(preparedTransactions, tx, () => ({
    hash: hexToBytes(tx.hash),
    index: bigIntToSignedBytesLE(tx.index),
    from: hexToBytes(tx.from),
    to: tx.to === null ? null : hexToBytes(tx.to),
    value: bigIntToSignedBytesLE(tx.value),
    gasLimit: bigIntToSignedBytesLE(tx.gasLimit),
    gasPrice: bigIntToSignedBytesLE(tx.gasPrice),
    input: hexToBytes(tx.input),
    nonce: bigIntToSignedBytesLE(tx.nonce),
  }));
}

/** A Bytes / BigInt of prepared bytes, or a null pointer. */
function bytesOrNull(heap: AscHeap, bytes: Uint8Array | null): number {
  return bytes === null ? 0 : heap.writeBytes(bytes);
}

/** ethereum.Block (15 fields; 14 before apiVersion 0.0.6). */
export function writeBlock(heap: AscHeap, block: BlockHeader, layout: Layout): number {
  const p = prepareBlock(block);
  const order = ["hash", "parentHash", "unclesHash", "author", "stateRoot", "transactionsRoot", "receiptsRoot", "number", "gasUsed", "gasLimit", "timestamp", "difficulty", "totalDifficulty", "size"] as const;
  const fields = order.map((field) => bytesOrNull(heap, p[field]));
  if (layout.v006) fields.push(bytesOrNull(heap, p.baseFeePerGas));
  return heap.writeObject(TypeId.EthereumBlock, fields);
}

/** ethereum.Transaction (9 fields; 8 before apiVersion 0.0.6). */
export function writeTransaction(heap: AscHeap, tx: Transaction, layout: Layout): number {
  const p = prepareTransaction(tx);
  const order = ["hash", "index", "from", "to", "value", "gasLimit", "gasPrice", "input"] as const;
  const fields = order.map((field) => bytesOrNull(heap, p[field]));
  if (layout.v006) fields.push(bytesOrNull(heap, p.nonce));
  return heap.writeObject(TypeId.EthereumTransaction, fields);
}

/** ethereum.Log as part of a receipt (11 fields; transactionLogIndex and logType are null, removed is false). */
export function writeLog(heap: AscHeap, log: Log): number {
  const topics = heap.writeArray(
    log.topics.map((t) => heap.writeBytes(hexToBytes(t))),
    TypeId.ArrayH256,
  );
  return heap.writeObject(TypeId.Log, [
    heap.writeBytes(hexToBytes(log.address)),
    topics,
    heap.writeBytes(hexToBytes(log.data)),
    heap.writeBytes(hexToBytes(log.blockHash)),
    heap.writeBigInt(log.blockNumber),
    heap.writeBytes(hexToBytes(log.transactionHash)),
    heap.writeBigInt(log.transactionIndex),
    heap.writeBigInt(log.logIndex),
    0,
    0,
    heap.writeWrappedBool(false),
  ]);
}

/** ethereum.TransactionReceipt (11 fields). */
export function writeReceipt(heap: AscHeap, receipt: TransactionReceipt): number {
  const logs = heap.writeArray(
    receipt.logs.map((l) => writeLog(heap, l)),
    TypeId.ArrayLog,
  );
  return heap.writeObject(TypeId.TransactionReceipt, [
    heap.writeBytes(hexToBytes(receipt.transactionHash)),
    heap.writeBigInt(receipt.transactionIndex),
    heap.writeBytes(hexToBytes(receipt.blockHash)),
    heap.writeBigInt(receipt.blockNumber),
    heap.writeBigInt(receipt.cumulativeGasUsed),
    heap.writeBigInt(receipt.gasUsed),
    receipt.contractAddress === null ? 0 : heap.writeBytes(hexToBytes(receipt.contractAddress)),
    logs,
    heap.writeBigInt(receipt.status),
    receipt.root === null ? 0 : heap.writeBytes(hexToBytes(receipt.root)),
    heap.writeBytes(hexToBytes(receipt.logsBloom)),
  ]);
}

/** Array<ethereum.EventParam>. */
export function writeEventParams(heap: AscHeap, params: readonly EventParam[]): number {
  const ptrs = params.map((p) => {
    const name = heap.writeString(p.name);
    const value = heap.writeEthValue(p.value);
    return heap.writeObject(TypeId.EventParam, [name, value]);
  });
  return heap.writeArray(ptrs, TypeId.ArrayEventParam);
}

/**
 * ethereum.Event: address, logIndex, transactionLogIndex (graph-node passes the log index), logType (null), block,
 * transaction, parameters and, from apiVersion 0.0.7, receipt (null unless the handler asked for it).
 */
export function writeEvent(
  heap: AscHeap,
  log: Log,
  block: BlockHeader,
  tx: Transaction,
  params: readonly EventParam[],
  receipt: TransactionReceipt | null,
  layout: Layout,
): number {
  const fields = [
    heap.writeBytes(hexToBytes(log.address)),
    heap.writeBigInt(log.logIndex),
    heap.writeBigInt(log.logIndex),
    0,
    writeBlock(heap, block, layout),
    writeTransaction(heap, tx, layout),
    writeEventParams(heap, params),
  ];
  if (layout.v007) fields.push(receipt === null ? 0 : writeReceipt(heap, receipt));
  return heap.writeObject(TypeId.EthereumEvent, fields);
}
