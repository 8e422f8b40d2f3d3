/**
 * Conversion of Ethereum JSON-RPC objects into the shapes of ./types.ts: lowercase 0x-hex strings, bigint quantities,
 * the optional fields graph-node fills with defaults (totalDifficulty 0 when absent, size / baseFeePerGas null).
 */
import type { BlockPtr } from "../store/types.ts";
import type { BlockHeader, Log, Transaction, TransactionReceipt } from "./types.ts";
import { ChainDataError } from "./errors.ts";

/** A block as eth_getBlockByNumber / eth_getBlockByHash return it (fields the runtime uses). */
export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  sha3Uncles?: string;
  miner?: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  gasUsed: string;
  gasLimit: string;
  timestamp: string;
  difficulty?: string;
  totalDifficulty?: string | null;
  size?: string | null;
  baseFeePerGas?: string | null;
  /** Hashes, or full objects when asked with `true`. */
  transactions: (string | RpcTransaction)[];
}

/** A transaction object of eth_getBlockBy* (full) or eth_getTransactionByHash. */
export interface RpcTransaction {
  hash: string;
  transactionIndex: string | null;
  from: string;
  to: string | null;
  value: string;
  gas: string;
  gasPrice?: string | null;
  maxFeePerGas?: string | null;
  input: string;
  nonce: string;
  blockHash?: string | null;
  blockNumber?: string | null;
}

/** A log of eth_getLogs or of a receipt. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string | null;
  transactionIndex: string | null;
  transactionHash: string | null;
  blockNumber: string | null;
  blockHash: string | null;
  removed?: boolean;
}

/** A receipt of eth_getTransactionReceipt. */
export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  cumulativeGasUsed: string;
  gasUsed: string;
  contractAddress: string | null;
  logs: RpcLog[];
  status?: string | null;
  root?: string | null;
  logsBloom: string;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
/** keccak256(rlp([])): the uncles hash of a block without uncles, used when a node omits sha3Uncles. */
const EMPTY_UNCLES_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/** Parses a JSON-RPC quantity ("0x1a") into a bigint. */
export function quantity(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) {
    throw new ChainDataError(`node returned an invalid quantity for ${field}: ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

/** Parses a JSON-RPC quantity that must fit a JavaScript number (block numbers). */
export function quantityNumber(value: unknown, field: string): number {
  const big = quantity(value, field);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChainDataError(`${field} is too large: ${big}`);
  return Number(big);
}

/** Encodes a number or bigint as a JSON-RPC quantity. */
export function toQuantity(value: number | bigint): string {
  if (typeof value === "number" && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`not a non-negative integer: ${value}`);
  }
  if (typeof value === "bigint" && value < 0n) throw new RangeError(`negative quantity: ${value}`);
  return `0x${value.toString(16)}`;
}

const LOWERCASE_HEX = /^0x[0-9a-f]*$/;
const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * Lowercases a 0x-hex data string, checking its form. Nodes answer in lowercase: that string is returned as it is
 * (toLowerCase would copy it), so a log's data is not held twice.
 */
export function hexData(value: unknown, field: string): string {
  if (typeof value === "string" && LOWERCASE_HEX.test(value)) return value;
  if (typeof value !== "string" || !HEX.test(value)) {
    throw new ChainDataError(`node returned invalid hex for ${field}: ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

function optionalQuantity(value: unknown, field: string): bigint | null {
  return value === undefined || value === null ? null : quantity(value, field);
}

/** Converts an RPC block into a BlockHeader. */
export function toBlockHeader(block: RpcBlock): BlockHeader {
  return {
    number: quantity(block.number, "block.number"),
    hash: hexData(block.hash, "block.hash"),
    parentHash: hexData(block.parentHash, "block.parentHash"),
    unclesHash: block.sha3Uncles ? hexData(block.sha3Uncles, "block.sha3Uncles") : EMPTY_UNCLES_HASH,
    author: block.miner ? hexData(block.miner, "block.miner") : ZERO_ADDRESS,
    stateRoot: hexData(block.stateRoot, "block.stateRoot"),
    transactionsRoot: hexData(block.transactionsRoot, "block.transactionsRoot"),
    receiptsRoot: hexData(block.receiptsRoot, "block.receiptsRoot"),
    gasUsed: quantity(block.gasUsed, "block.gasUsed"),
    gasLimit: quantity(block.gasLimit, "block.gasLimit"),
    timestamp: quantity(block.timestamp, "block.timestamp"),
    difficulty: optionalQuantity(block.difficulty, "block.difficulty") ?? 0n,
    totalDifficulty: optionalQuantity(block.totalDifficulty, "block.totalDifficulty") ?? 0n,
    size: optionalQuantity(block.size, "block.size"),
    baseFeePerGas: optionalQuantity(block.baseFeePerGas, "block.baseFeePerGas"),
  };
}

/**
 * Converts an RPC transaction. gasPrice is the node's `gasPrice` (the effective price for mined EIP-1559
 * transactions), else `maxFeePerGas`, else 0.
 */
export function toTransaction(tx: RpcTransaction): Transaction {
  return {
    hash: hexData(tx.hash, "transaction.hash"),
    index: optionalQuantity(tx.transactionIndex, "transaction.transactionIndex") ?? 0n,
    from: hexData(tx.from, "transaction.from"),
    to: tx.to ? hexData(tx.to, "transaction.to") : null,
    value: quantity(tx.value, "transaction.value"),
    gasLimit: quantity(tx.gas, "transaction.gas"),
    gasPrice:
      optionalQuantity(tx.gasPrice, "transaction.gasPrice") ??
      optionalQuantity(tx.maxFeePerGas, "transaction.maxFeePerGas") ??
      0n,
    input: hexData(tx.input, "transaction.input"),
    nonce: quantity(tx.nonce, "transaction.nonce"),
  };
}

/** Converts an RPC log of a mined block (pending logs, without block fields, are rejected). */
export function toLog(log: RpcLog): Log {
  if (log.blockHash === null || log.blockNumber === null || log.logIndex === null || log.transactionHash === null) {
    throw new ChainDataError("node returned a pending log where a mined one was expected", { details: { log } });
  }
  return {
    address: hexData(log.address, "log.address"),
    topics: log.topics.map((topic, i) => hexData(topic, `log.topics[${i}]`)),
    data: hexData(log.data, "log.data"),
    logIndex: quantity(log.logIndex, "log.logIndex"),
    transactionIndex: optionalQuantity(log.transactionIndex, "log.transactionIndex") ?? 0n,
    transactionHash: hexData(log.transactionHash, "log.transactionHash"),
    blockNumber: quantity(log.blockNumber, "log.blockNumber"),
    blockHash: hexData(log.blockHash, "log.blockHash"),
  };
}

/** Converts an RPC receipt. `status` is null on pre-Byzantium receipts (they carry `root`); reported as 1 then. */
export function toReceipt(receipt: RpcReceipt): TransactionReceipt {
  return {
    transactionHash: hexData(receipt.transactionHash, "receipt.transactionHash"),
    transactionIndex: quantity(receipt.transactionIndex, "receipt.transactionIndex"),
    blockHash: hexData(receipt.blockHash, "receipt.blockHash"),
    blockNumber: quantity(receipt.blockNumber, "receipt.blockNumber"),
    cumulativeGasUsed: quantity(receipt.cumulativeGasUsed, "receipt.cumulativeGasUsed"),
    gasUsed: quantity(receipt.gasUsed, "receipt.gasUsed"),
    contractAddress: receipt.contractAddress ? hexData(receipt.contractAddress, "receipt.contractAddress") : null,
    logs: receipt.logs.map(toLog),
    status: optionalQuantity(receipt.status, "receipt.status") ?? 1n,
    root: receipt.root ? hexData(receipt.root, "receipt.root") : null,
    logsBloom: hexData(receipt.logsBloom, "receipt.logsBloom"),
  };
}

/** The store's pointer to a block. */
export function toBlockPtr(header: BlockHeader): BlockPtr {
  return {
    number: Number(header.number),
    hash: header.hash,
    parentHash: header.parentHash,
    timestamp: Number(header.timestamp),
  };
}
