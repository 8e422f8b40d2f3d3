/**
 * Chain data as the indexing loop hands it to the WASM runtime. Hex strings are lowercase 0x-prefixed; quantities
 * are bigint, as ethereum.Block / ethereum.Transaction / ethereum.Event of graph-ts expect them.
 */

export interface BlockHeader {
  number: bigint;
  hash: string;
  parentHash: string;
  /** sha3Uncles */
  unclesHash: string;
  /** miner */
  author: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty: bigint;
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface Transaction {
  hash: string;
  index: bigint;
  from: string;
  to: string | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: string;
  nonce: bigint;
}

export interface Log {
  address: string;
  topics: string[];
  data: string;
  /** Index of the log in its block. */
  logIndex: bigint;
  transactionIndex: bigint;
  transactionHash: string;
  blockNumber: bigint;
  blockHash: string;
}

export interface TransactionReceipt {
  transactionHash: string;
  transactionIndex: bigint;
  blockHash: string;
  blockNumber: bigint;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  contractAddress: string | null;
  logs: Log[];
  /** 1 success, 0 failure */
  status: bigint;
  root: string | null;
  logsBloom: string;
}

/** One handler call. */
export type Trigger =
  | {
      kind: "event";
      dataSource: string;
      handler: string;
      log: Log;
      block: BlockHeader;
      transaction: Transaction;
      /** Set when the handler is declared with `receipt: true`. */
      receipt: TransactionReceipt | null;
    }
  | { kind: "block"; dataSource: string; handler: string; block: BlockHeader };
