/**
 * The chain follower: a JSON-RPC client (rpc.ts), a block stream yielding the blocks a subgraph must process with
 * reorg handling (block-stream.ts), and a synchronous chain view for WASM host calls (sync-rpc.ts).
 */
export type { BlockHeader, Log, Transaction, TransactionReceipt, Trigger } from "./types.ts";
export {
  JsonRpcClient,
  rpcCalls,
  toChainBlock,
  displayUrl,
  isCallRevert,
  isRangeTooLarge,
  type BlockTag,
  type ChainBlock,
  type JsonRpcClientOptions,
  type LogQuery,
  type RpcCall,
  type RpcClientStats,
  type RpcOutcome,
} from "./rpc.ts";
export {
  toBlockHeader,
  toBlockPtr,
  toLog,
  toReceipt,
  toTransaction,
  quantity,
  toQuantity,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
  type RpcTransaction,
} from "./convert.ts";
export {
  BlockStream,
  formatProgress,
  type BlockData,
  type BlockEvent,
  type BlockStreamEvent,
  type BlockStreamOptions,
  type BlockStreamStats,
  type ProgressEvent,
  type RevertEvent,
} from "./block-stream.ts";
export { FilterSet, type LogFilter } from "./filters.ts";
export { SyncRpcChain, type SyncRpcChainOptions } from "./sync-rpc.ts";
export { RateMeter } from "./rate.ts";
export {
  ChainError,
  ChainDataError,
  ChainInconsistentError,
  RpcAbortedError,
  RpcHttpError,
  RpcProtocolError,
  RpcResponseError,
  RpcUnreachableError,
  SyncRpcError,
} from "./errors.ts";
