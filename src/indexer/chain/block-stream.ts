/**
 * BlockStream: follows a chain over JSON-RPC and yields, in order, the blocks a subgraph must process, reverts
 * when the chain reorganises under it, and progress marks so the indexer's head moves through empty ranges.
 *
 * How it works (facts taken from graph-node's ethereum_adapter.rs and polling_block_stream.rs):
 * - Blocks are scanned in ranges with eth_getLogs, one query per group of filters, all in one HTTP batch. The range
 *   shrinks (halves) when the provider says the query is too heavy ("query returned more than 10000 results",
 *   "block range too large", -32005 …) and grows back (doubles) after a few successful ranges.
 * - Only blocks that matter are fetched: headers (with transactions) of blocks with matching logs, the receipts
 *   handlers ask for, every header when block handlers exist, plus the first and last block of the range.
 * - Consistency: the header of the range's last block is read before eth_getLogs and again after, and every log's
 *   blockHash must equal its header's hash; a mismatch means the chain moved during the fetch, and the range is
 *   fetched again.
 * - Reorgs: the first block of each range must have the last processed block as parent, and when idle at the head the
 *   last processed block must still be canonical. Otherwise the stream walks back, comparing the hashes the store
 *   knows (storedHash callback) with the chain's canonical hashes, to the newest common ancestor, and yields
 *   `{ kind: "revert", to }` (graph-node reverts one block per step; the result is the same).
 *
 * @example
 * const stream = new BlockStream({
 *   rpc: "http://127.0.0.1:8545",
 *   filters: [{ addresses: [registry], topic0s: [DatasetRegistered] }],
 *   startBlock: 0,
 *   storedHash: (n) => store.blockHash(n),
 * });
 * for await (const event of stream) {
 *   if (event.kind === "block") await indexBlock(event);
 *   else if (event.kind === "revert") await store.revertTo(event.to);
 *   else await store.setHead(event.head);
 * }
 */
import type { BlockPtr } from "../store/types.ts";
import type { BlockHeader, Log, Transaction, TransactionReceipt } from "./types.ts";
import { quantityNumber, toBlockPtr, toLog, toReceipt, type RpcBlock, type RpcLog, type RpcReceipt } from "./convert.ts";
import { ChainError, ChainInconsistentError, RpcAbortedError } from "./errors.ts";
import { FilterSet, type LogFilter } from "./filters.ts";
import { RateMeter } from "./rate.ts";
import { JsonRpcClient, isRangeTooLarge, rpcCalls, toChainBlock, type ChainBlock, type RpcCall } from "./rpc.ts";

/** A block the subgraph must process, with the chain data its handlers see. */
export interface BlockEvent {
  kind: "block";
  block: BlockHeader;
  /** Matching logs of the block, by log index. */
  logs: Log[];
  /** The transactions of those logs, by lowercase hash. */
  transactions: Map<string, Transaction>;
  /** Receipts of the transactions whose logs' handlers declare `receipt: true`, by lowercase hash. */
  receipts: Map<string, TransactionReceipt>;
}

/** The chain replaced blocks already yielded: undo everything after `to` (null: everything from startBlock). */
export interface RevertEvent {
  kind: "revert";
  to: BlockPtr | null;
}

/** Every block up to `head` has been yielded: the indexer's head may move there. Emitted at the end of each range. */
export interface ProgressEvent {
  kind: "progress";
  head: BlockPtr;
}

export type BlockStreamEvent = BlockEvent | RevertEvent | ProgressEvent;

export interface BlockStreamOptions {
  /** The JSON-RPC endpoint, or a client to share. */
  rpc: JsonRpcClient | string;
  /** Log filters of the manifest's data sources. */
  filters: LogFilter[];
  /** Whether block handlers exist: then every block from startBlock is yielded, not only those with logs. */
  blockHandlers?: boolean;
  /** First block to index (the smallest startBlock of the manifest's data sources). */
  startBlock: number;
  /** Last processed block, when resuming; scanning continues after it. Default: start at startBlock. */
  head?: BlockPtr | null;
  /**
   * The hash of block `number` as the store recorded it, or null if it does not know it. Used to find the common
   * ancestor on a reorg; blocks the stream yielded itself are also remembered in memory.
   */
  storedHash?: (number: number) => Promise<string | null>;
  /** Blocks held back from the head. Default 0 (local chains). */
  confirmations?: number;
  /** Largest block range per eth_getLogs. Default 2000. */
  maxRange?: number;
  /**
   * Triggers (logs, and blocks when block handlers exist) a range should hold: each range is sized from the previous
   * one's triggers per block, as graph-node does (GRAPH_ETHEREUM_TARGET_TRIGGERS_PER_BLOCK_RANGE), so that what is
   * held in memory per range stays about the same however busy the chain is. Default 1000; Infinity: always maxRange.
   */
  targetTriggersPerRange?: number;
  /** Delay between polls of the chain head once caught up, in ms. Default 1000. */
  pollIntervalMs?: number;
  /** Stop (end the iteration) after this block. Default: follow the chain forever. */
  endBlock?: number;
  /**
   * Ranges fetched ahead, one after another, while the caller processes the current one: the node's answers then
   * arrive while the handlers run, and a slow answer is absorbed by the ones fetched before it. Default 2; 0: none.
   */
  prefetchRanges?: number;
  /** Successful ranges in a row before the range doubles again after a reduction. Default 3. */
  growAfter?: number;
  /** How far back a reorg may go before the stream gives up. Default 100 000 blocks. */
  maxReorgDepth?: number;
  /** Fetch attempts of one range whose answers contradict each other before failing. Default 8. */
  maxInconsistentAttempts?: number;
}

/** Counters for a progress line. */
export interface BlockStreamStats {
  /** Blocks covered by completed ranges. */
  blocksScanned: number;
  /** Block events yielded. */
  blocksYielded: number;
  /** Logs yielded. */
  logsYielded: number;
  /** Blocks scanned per second over the last 10 s. */
  blocksPerSecond: number;
  /** Logs yielded per second over the last 10 s. */
  logsPerSecond: number;
  /** Last block the stream has moved past (yielded or covered by a progress event); startBlock - 1 at first. */
  cursor: number;
  /** The chain head as last seen, or null before the first poll. */
  chainHead: number | null;
  /** Blocks between the cursor and the head minus confirmations. */
  distanceToHead: number | null;
  /** Current eth_getLogs range. */
  range: number;
  /** Reverts yielded. */
  reverts: number;
}

/** Logs, transactions and receipts of one block for some filters (see BlockStream.fetchBlockData). */
export interface BlockData {
  logs: Log[];
  transactions: Map<string, Transaction>;
  receipts: Map<string, TransactionReceipt>;
}

interface Cursor {
  number: number;
  /** Null when unknown (fresh start). */
  hash: string | null;
}

/** What one planning step found. */
type Step =
  | { kind: "range"; from: number; to: number; blocks: BlockEvent[]; head: BlockPtr; version: number }
  | { kind: "idle" }
  | { kind: "ended" }
  | { kind: "reorg" }
  | { kind: "inconsistent"; reason: string };

/** A range being fetched ahead: the step after `cursor` (known once the range before it is fetched). */
interface Prefetch {
  version: number;
  controller: AbortController;
  result: Promise<{ cursor: Cursor; step: Step } | { error: unknown } | null>;
}

/** Raised inside a range fetch when the node says the range is too heavy. */
class RangeTooLarge extends Error {
  constructor(cause: unknown) {
    super("range too large", { cause });
  }
}

/** Follows a chain; iterate it with `for await`. One iteration per instance. */
/** Triggers per range by default: graph-node's 100 would mean a request per block on busy chains, for little memory. */
export const DEFAULT_TARGET_TRIGGERS_PER_RANGE = 1000;

export class BlockStream implements AsyncIterable<BlockStreamEvent> {
  readonly rpc: JsonRpcClient;
  private readonly filters: FilterSet;
  /** First block yielded regardless of logs, or null without block handlers. */
  private everyBlockFrom: number | null;
  private readonly startBlock: number;
  private readonly confirmations: number;
  private readonly maxRange: number;
  private readonly pollIntervalMs: number;
  private readonly endBlock: number;
  private readonly prefetchRanges: number;
  private readonly growAfter: number;
  private readonly maxReorgDepth: number;
  private readonly maxInconsistentAttempts: number;
  private readonly storedHash: (number: number) => Promise<string | null>;

  private cursor: Cursor;
  /** The range the node accepts (halved when it refuses one, doubled back after successes). */
  private range: number;
  private readonly targetTriggers: number;
  /** The range the last one's triggers per block call for (graph-node starts with one block). */
  private targetRange = 1;
  private successes = 0;
  /** Hashes of blocks this stream yielded, newest last, for reorg detection without the store. */
  private readonly recent = new Map<number, string>();
  /** Bumped by addFilter; each addition remembers the version it created and its first block. */
  private version = 0;
  private additions: { version: number; fromBlock: number }[] = [];
  private chainHead: number | null = null;
  private reverts = 0;
  private blocksScanned = 0;
  private blocksYielded = 0;
  private readonly blockRate = new RateMeter();
  private readonly logRate = new RateMeter();
  private logsYielded = 0;
  private readonly abort = new AbortController();
  private stopped = false;
  private started = false;
  private wake: (() => void) | null = null;

  constructor(options: BlockStreamOptions) {
    this.rpc = typeof options.rpc === "string" ? new JsonRpcClient(options.rpc) : options.rpc;
    if (!Number.isSafeInteger(options.startBlock) || options.startBlock < 0) {
      throw new ChainError(`invalid startBlock ${options.startBlock}`);
    }
    this.startBlock = options.startBlock;
    this.filters = new FilterSet(options.filters, options.startBlock);
    this.everyBlockFrom = options.blockHandlers ? options.startBlock : null;
    this.confirmations = Math.max(0, options.confirmations ?? 0);
    this.maxRange = Math.max(1, options.maxRange ?? 2000);
    this.range = this.maxRange;
    this.targetTriggers = options.targetTriggersPerRange ?? DEFAULT_TARGET_TRIGGERS_PER_RANGE;
    if (!(this.targetTriggers >= 1)) throw new ChainError(`invalid targetTriggersPerRange ${options.targetTriggersPerRange}: at least 1`);
    if (this.targetTriggers === Number.POSITIVE_INFINITY) this.targetRange = this.maxRange;
    this.pollIntervalMs = Math.max(0, options.pollIntervalMs ?? 1000);
    this.endBlock = options.endBlock ?? Number.MAX_SAFE_INTEGER;
    this.prefetchRanges = options.prefetchRanges ?? 2;
    this.growAfter = Math.max(1, options.growAfter ?? 3);
    this.maxReorgDepth = options.maxReorgDepth ?? 100_000;
    this.maxInconsistentAttempts = options.maxInconsistentAttempts ?? 8;
    this.storedHash = options.storedHash ?? (async () => null);
    const head = options.head ?? null;
    this.cursor = head ? { number: head.number, hash: head.hash.toLowerCase() } : { number: options.startBlock - 1, hash: null };
    if (head) this.remember(head.number, head.hash.toLowerCase());
  }

  /**
   * Follows a data source created at runtime, for blocks >= fromBlock not yet yielded. When fromBlock is within the
   * range being yielded, the rest of that range is fetched again with the new filter. Logs of the block being
   * processed itself are the caller's to fetch (see fetchBlockData), as graph-node reprocesses that block.
   */
  addFilter(filter: LogFilter, fromBlock: number, options: { blockHandlers?: boolean } = {}): void {
    this.filters.add(filter, fromBlock);
    if (options.blockHandlers && (this.everyBlockFrom === null || fromBlock < this.everyBlockFrom)) {
      this.everyBlockFrom = fromBlock;
    }
    this.version++;
    this.additions.push({ version: this.version, fromBlock });
  }

  /** Ends the iteration promptly: in-flight requests are cancelled, a pending poll wakes up. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
  }

  /** Counters for a progress line. */
  stats(): BlockStreamStats {
    const target = this.chainHead === null ? null : Math.min(this.endBlock, this.chainHead - this.confirmations);
    return {
      blocksScanned: this.blocksScanned,
      blocksYielded: this.blocksYielded,
      logsYielded: this.logsYielded,
      blocksPerSecond: this.blockRate.perSecond(),
      logsPerSecond: this.logRate.perSecond(),
      cursor: this.cursor.number,
      chainHead: this.chainHead,
      distanceToHead: target === null ? null : Math.max(0, target - this.cursor.number),
      range: Math.min(this.range, this.targetRange),
      reverts: this.reverts,
    };
  }

  /**
   * The logs of `block` matching `filters` (all of them, whatever block they were added at), with their
   * transactions and, for receipt topics, receipts. For data sources created while processing `block`.
   */
  async fetchBlockData(block: BlockHeader, filters: LogFilter[]): Promise<BlockData> {
    const set = new FilterSet(filters, 0);
    const queries = set.queries(Number(block.number), Number(block.number)).map(({ address, topics }) => ({
      blockHash: block.hash,
      ...(address ? { address } : {}),
      ...(topics ? { topics } : {}),
    }));
    const results = await this.rpc.batchOrThrow<RpcLog[][]>(queries.map(rpcCalls.getLogs), this.abort.signal);
    const logs = sortLogs(dedupeLogs(results.flat().map(toLog)).filter((log) => set.matches(log)));
    if (logs.length === 0) return { logs, transactions: new Map(), receipts: new Map() };
    const receiptHashes = [...new Set(logs.filter((log) => set.needsReceipt(log)).map((log) => log.transactionHash))];
    const [rawBlock, ...rawReceipts] = await this.rpc.batchOrThrow<[RpcBlock | null, ...(RpcReceipt | null)[]]>(
      [rpcCalls.getBlockByHash(block.hash, true), ...receiptHashes.map(rpcCalls.getTransactionReceipt)],
      this.abort.signal,
    );
    if (!rawBlock) throw new ChainInconsistentError(`block ${block.number} (${block.hash}) is no longer known to the node`);
    const transactions = pickTransactions(toChainBlock(rawBlock), logs);
    if (!transactions) throw new ChainInconsistentError(`block ${block.number} lacks a transaction of its logs`);
    const receipts = new Map<string, TransactionReceipt>();
    for (const raw of rawReceipts) if (raw) receipts.set(raw.transactionHash.toLowerCase(), toReceipt(raw));
    return { logs, transactions, receipts };
  }

  [Symbol.asyncIterator](): AsyncIterator<BlockStreamEvent> {
    if (this.started) throw new ChainError("a BlockStream can be iterated only once");
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<BlockStreamEvent> {
    const ahead: Prefetch[] = [];
    const dropAhead = () => {
      for (const prefetch of ahead.splice(0)) prefetch.controller.abort();
    };
    let inconsistent = 0;
    try {
      while (!this.stopped) {
        let step = await this.nextStep(ahead);
        if (!step) {
          dropAhead();
          step = await this.plan(this.cursor, this.abort.signal);
        }
        if (this.stopped) return;

        if (step.kind === "ended") return;
        if (step.kind === "idle") {
          inconsistent = 0;
          await this.sleep(this.pollIntervalMs);
          continue;
        }
        if (step.kind === "inconsistent") {
          if (++inconsistent >= this.maxInconsistentAttempts) {
            throw new ChainInconsistentError(`the node's answers kept changing while fetching blocks: ${step.reason}`, {
              details: { attempts: inconsistent, cursor: this.cursor.number },
              hint: "The chain is reorganising fast or a load balancer mixes nodes; try again or use a single node.",
            });
          }
          await this.sleep(Math.min(this.pollIntervalMs, 100 * inconsistent));
          continue;
        }
        if (step.kind === "reorg") {
          dropAhead();
          const ancestor = await this.findCommonAncestor(this.abort.signal);
          if (ancestor && ancestor.number === this.cursor.number && ancestor.hash === this.cursor.hash) {
            // The head is canonical after all: the mismatch was a race with the node; look again.
            if (++inconsistent >= this.maxInconsistentAttempts) {
              throw new ChainInconsistentError("the node reported a reorganisation it then did not show", {
                details: { cursor: this.cursor.number },
              });
            }
            continue;
          }
          inconsistent = 0;
          this.forgetAfter(ancestor ? ancestor.number : this.startBlock - 1);
          this.cursor = ancestor ? { number: ancestor.number, hash: ancestor.hash } : { number: this.startBlock - 1, hash: null };
          this.reverts++;
          yield { kind: "revert", to: ancestor };
          continue;
        }

        inconsistent = 0;
        // Steps come with non-decreasing versions: additions this one already includes no longer matter.
        const fetchedAt = step.version;
        this.additions = this.additions.filter((a) => a.version > fetchedAt);
        this.fetchAhead(ahead, step);
        let interrupted = false;
        let scannedTo = step.from - 1;
        for (const event of step.blocks) {
          this.cursor = { number: Number(event.block.number), hash: event.block.hash };
          this.remember(this.cursor.number, event.block.hash);
          this.blocksYielded++;
          this.logsYielded += event.logs.length;
          this.logRate.add(event.logs.length);
          yield event;
          if (this.stopped) return;
          scannedTo = this.cursor.number;
          if (this.additions.some((a) => a.version > step.version && a.fromBlock <= step.to)) {
            // A filter effective within this range was added while this block was processed: fetch the rest of
            // the range again with it.
            interrupted = true;
            break;
          }
        }
        if (interrupted) {
          this.countScanned(scannedTo - step.from + 1);
          dropAhead();
          continue;
        }
        this.countScanned(step.to - step.from + 1);
        this.cursor = { number: step.head.number, hash: step.head.hash };
        this.remember(step.head.number, step.head.hash);
        yield { kind: "progress", head: step.head };
      }
    } catch (error) {
      if (this.stopped && (error instanceof RpcAbortedError || this.abort.signal.aborted)) return;
      throw error;
    } finally {
      dropAhead();
      this.stopped = true;
      this.abort.abort();
    }
  }

  /**
   * The oldest range fetched ahead, if it still follows the cursor with the current filters; null when there is none
   * or it no longer applies (the caller then drops the others and fetches afresh). Rethrows its fetch's failure.
   */
  private async nextStep(ahead: Prefetch[]): Promise<Step | null> {
    const prefetch = ahead.shift();
    if (!prefetch) return null;
    if (prefetch.version !== this.version) {
      prefetch.controller.abort();
      return null;
    }
    const settled = await prefetch.result;
    if (settled && "error" in settled) throw settled.error;
    return settled && sameCursor(settled.cursor, this.cursor) ? settled.step : null;
  }

  /**
   * Tops up the ranges fetched ahead of `step` to `prefetchRanges`, each starting where the one before it ends (and
   * fetched after it: a range's start needs the hash of the block before it).
   */
  private fetchAhead(ahead: Prefetch[], step: Extract<Step, { kind: "range" }>): void {
    if (!this.prefetchRanges || step.to >= this.endBlock) return;
    const version = this.version;
    while (ahead.length < this.prefetchRanges) {
      const previous = ahead.at(-1)?.result ?? Promise.resolve({ step });
      const controller = new AbortController();
      const signal = AbortSignal.any([this.abort.signal, controller.signal]);
      const result = previous.then(async (settled) => {
        if (!settled || "error" in settled || settled.step.kind !== "range" || settled.step.to >= this.endBlock || signal.aborted) return null;
        const cursor: Cursor = { number: settled.step.head.number, hash: settled.step.head.hash };
        try {
          return { cursor, step: await this.plan(cursor, signal) };
        } catch (error) {
          return { error };
        }
      });
      ahead.push({ version, controller, result });
    }
  }

  /** Reads the head and fetches the next range after `cursor`, adapting the range to the provider's limits. */
  private async plan(cursor: Cursor, signal: AbortSignal): Promise<Step> {
    const calls: RpcCall[] = [rpcCalls.blockNumber()];
    if (cursor.hash !== null && cursor.number >= 0) calls.push(rpcCalls.getBlockByNumber(cursor.number, false));
    const [head, cursorBlock] = await this.rpc.batchOrThrow<[string, RpcBlock | null | undefined]>(calls, signal);
    const chainHead = quantityNumber(head, "eth_blockNumber");
    this.chainHead = chainHead;
    if (cursor.hash !== null && cursor.number >= 0 && (!cursorBlock || cursorBlock.hash.toLowerCase() !== cursor.hash)) {
      return { kind: "reorg" };
    }
    if (cursor.number >= this.endBlock) return { kind: "ended" };
    const target = Math.min(this.endBlock, chainHead - this.confirmations);
    if (cursor.number >= target) return { kind: "idle" };

    const from = cursor.number + 1;
    for (;;) {
      const to = Math.min(target, from + Math.min(this.range, this.targetRange) - 1);
      try {
        const step = await this.fetchRange(from, to, cursor.hash, signal);
        if (step.kind !== "range") return step;
        this.resize(step);
        if (++this.successes >= this.growAfter && this.range < this.maxRange) {
          this.range = Math.min(this.maxRange, this.range * 2);
          this.successes = 0;
        }
        return step;
      } catch (error) {
        if (!(error instanceof RangeTooLarge)) throw error;
        if (to === from) {
          throw new ChainError(`the node refuses eth_getLogs even for the single block ${from}`, {
            cause: error.cause,
            details: { block: from },
            hint: "Use a node without log limits (an archive node or a local one).",
          });
        }
        this.range = Math.max(1, Math.floor((to - from + 1) / 2));
        this.successes = 0;
      }
    }
  }

  /**
   * Sizes the next range from this one's triggers per block, toward targetTriggersPerRange, at most ten times this
   * one (graph-node's polling_block_stream.rs); a range without triggers grows tenfold.
   */
  private resize(step: Extract<Step, { kind: "range" }>): void {
    if (this.targetTriggers === Number.POSITIVE_INFINITY) return;
    const blocks = step.to - step.from + 1;
    const triggers = step.blocks.reduce((n, block) => n + block.logs.length, 0) + (this.everyBlockFrom === null ? 0 : blocks);
    const limit = Math.min(this.maxRange, blocks * 10);
    this.targetRange = triggers === 0 ? limit : Math.max(1, Math.min(limit, Math.floor(this.targetTriggers / (triggers / blocks))));
  }

  /** Fetches the logs, headers, transactions and receipts of [from, to], checking they belong to one chain. */
  private async fetchRange(from: number, to: number, parentHash: string | null, signal: AbortSignal): Promise<Step> {
    const version = this.version;
    const queries = this.filters.queries(from, to);

    // 1. The last block's header, then the logs (one HTTP batch).
    const first = await this.rpc.batch([rpcCalls.getBlockByNumber(to, false), ...queries.map(rpcCalls.getLogs)], signal);
    const rawLogs: RpcLog[] = [];
    for (const outcome of first.slice(1)) {
      if (!outcome.ok) {
        if (isRangeTooLarge(outcome.error)) throw new RangeTooLarge(outcome.error);
        throw outcome.error;
      }
      for (const log of outcome.result as RpcLog[]) rawLogs.push(log); // not push(...logs): a range can hold 10^5 logs
    }
    if (!first[0].ok) throw first[0].error;
    const lastBefore = first[0].result as RpcBlock | null;
    if (!lastBefore) return { kind: "inconsistent", reason: `block ${to} is missing` };
    const logs = sortLogs(dedupeLogs(rawLogs.map(toLog)).filter((log) => this.filters.matches(log)));

    // 2. Headers of the blocks that need them (transactions for those with logs), and receipts; `to` last.
    const logsByBlock = new Map<number, Log[]>();
    for (const log of logs) {
      const n = Number(log.blockNumber);
      const list = logsByBlock.get(n);
      if (list) list.push(log);
      else logsByBlock.set(n, [log]);
    }
    const yielded = new Set<number>(logsByBlock.keys());
    if (this.everyBlockFrom !== null) for (let n = Math.max(from, this.everyBlockFrom); n <= to; n++) yielded.add(n);
    const headers = new Set<number>(yielded);
    if (parentHash !== null) headers.add(from);
    headers.delete(to);
    const numbers = [...headers].sort((a, b) => a - b);
    const receiptHashes = [...new Set(logs.filter((log) => this.filters.needsReceipt(log)).map((log) => log.transactionHash))];
    const calls = [
      ...numbers.map((n) => rpcCalls.getBlockByNumber(n, logsByBlock.has(n))),
      ...receiptHashes.map(rpcCalls.getTransactionReceipt),
      rpcCalls.getBlockByNumber(to, logsByBlock.has(to)),
    ];
    const results = await this.rpc.batchOrThrow<unknown[]>(calls, signal);
    const blocks = new Map<number, ChainBlock>();
    for (const [i, n] of [...numbers, to].entries()) {
      const raw = results[i === numbers.length ? results.length - 1 : i] as RpcBlock | null;
      if (!raw) return { kind: "inconsistent", reason: `block ${n} is missing` };
      blocks.set(n, toChainBlock(raw));
    }
    const receipts = new Map<string, TransactionReceipt>();
    for (const raw of results.slice(numbers.length, numbers.length + receiptHashes.length) as (RpcReceipt | null)[]) {
      if (!raw) return { kind: "inconsistent", reason: "a receipt is missing" };
      const receipt = toReceipt(raw);
      receipts.set(receipt.transactionHash, receipt);
    }

    // 3. One chain: `to` unchanged, logs and receipts in the headers fetched, consecutive headers linked.
    const last = blocks.get(to)!;
    if (last.header.hash !== lastBefore.hash.toLowerCase()) return { kind: "inconsistent", reason: `block ${to} changed` };
    if (parentHash !== null && !isChildOf(blocks.get(from)!.header, parentHash)) return { kind: "reorg" };
    for (const n of blocks.keys()) {
      const next = blocks.get(n + 1);
      if (next && !isChildOf(next.header, blocks.get(n)!.header.hash)) {
        return { kind: "inconsistent", reason: `blocks ${n} and ${n + 1} are not linked` };
      }
    }
    for (const log of logs) {
      if (blocks.get(Number(log.blockNumber))!.header.hash !== log.blockHash) {
        return { kind: "inconsistent", reason: `logs of block ${log.blockNumber} belong to another block` };
      }
    }
    for (const receipt of receipts.values()) {
      if (blocks.get(Number(receipt.blockNumber))?.header.hash !== receipt.blockHash) {
        return { kind: "inconsistent", reason: `receipt ${receipt.transactionHash} belongs to another block` };
      }
    }

    // 4. The events, in block order.
    const events: BlockEvent[] = [];
    for (const n of [...yielded].sort((a, b) => a - b)) {
      const block = blocks.get(n)!;
      const blockLogs = logsByBlock.get(n) ?? [];
      const transactions = blockLogs.length === 0 ? new Map<string, Transaction>() : pickTransactions(block, blockLogs);
      if (!transactions) return { kind: "inconsistent", reason: `block ${n} lacks a transaction of its logs` };
      const blockReceipts = new Map<string, TransactionReceipt>();
      for (const log of blockLogs) {
        const receipt = receipts.get(log.transactionHash);
        if (receipt) blockReceipts.set(log.transactionHash, receipt);
      }
      events.push({ kind: "block", block: block.header, logs: blockLogs, transactions, receipts: blockReceipts });
    }
    return { kind: "range", from, to, blocks: events, head: toBlockPtr(last.header), version };
  }

  /**
   * Walks back from the cursor to the newest block whose known hash (the cursor's, the store's, or one this stream
   * yielded) equals the chain's canonical hash. Null when none down to startBlock matches.
   */
  private async findCommonAncestor(signal: AbortSignal): Promise<BlockPtr | null> {
    const cursor = this.cursor;
    let top = cursor.number;
    let chunk = 16;
    while (top >= this.startBlock) {
      if (cursor.number - top > this.maxReorgDepth) {
        throw new ChainError(`no common ancestor with the chain within ${this.maxReorgDepth} blocks of block ${cursor.number}`, {
          hint: "The node serves a different chain (restarted dev node, other network): reset the store and reindex.",
        });
      }
      const bottom = Math.max(this.startBlock, top - chunk + 1);
      const numbers: number[] = [];
      for (let n = top; n >= bottom; n--) numbers.push(n);
      const known = await Promise.all(
        numbers.map(async (n) => {
          if (n === cursor.number) return cursor.hash;
          const stored = await this.storedHash(n);
          return stored ? stored.toLowerCase() : (this.recent.get(n) ?? null);
        }),
      );
      const candidates = numbers.filter((_, i) => known[i] !== null);
      const canonical = await this.rpc.batchOrThrow<(RpcBlock | null)[]>(
        candidates.map((n) => rpcCalls.getBlockByNumber(n, false)),
        signal,
      );
      for (const [i, n] of candidates.entries()) {
        const raw = canonical[i];
        if (raw && raw.hash.toLowerCase() === known[numbers.indexOf(n)]) return toBlockPtr(toChainBlock(raw).header);
      }
      top = bottom - 1;
      chunk = Math.min(chunk * 2, 1024);
    }
    return null;
  }

  private remember(number: number, hash: string): void {
    this.recent.delete(number);
    this.recent.set(number, hash);
    if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value as number);
  }

  private forgetAfter(number: number): void {
    for (const n of [...this.recent.keys()]) if (n > number) this.recent.delete(n);
  }

  private countScanned(blocks: number): void {
    if (blocks <= 0) return;
    this.blocksScanned += blocks;
    this.blockRate.add(blocks);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }
}

/**
 * A one-line progress summary.
 *
 * @example formatProgress(stream.stats()) // "block 1200 · 34 behind head 1234 · 480 blocks/s · 1320 logs/s"
 */
export function formatProgress(stats: BlockStreamStats): string {
  const head = stats.chainHead === null ? "head unknown" : `${stats.distanceToHead} behind head ${stats.chainHead}`;
  return `block ${stats.cursor} · ${head} · ${Math.round(stats.blocksPerSecond)} blocks/s · ${Math.round(stats.logsPerSecond)} logs/s`;
}

const ZERO_HASH = `0x${"0".repeat(64)}`;

/**
 * Whether `block` names `parentHash` as its parent. Hardhat's `hardhat_mine` reserves the empty blocks it mines and
 * reports a zero parentHash for most of them; such a block cannot be checked and is taken as linked (the stream's
 * check that the last processed block is still canonical covers reorgs there).
 */
function isChildOf(block: BlockHeader, parentHash: string): boolean {
  return block.parentHash === parentHash || (block.parentHash === ZERO_HASH && block.number > 0n);
}

function sameCursor(a: Cursor, b: Cursor): boolean {
  return a.number === b.number && a.hash === b.hash;
}

function dedupeLogs(logs: Log[]): Log[] {
  const seen = new Set<string>();
  return logs.filter((log) => {
    const key = `${log.blockHash}:${log.logIndex}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortLogs(logs: Log[]): Log[] {
  return logs.sort((a, b) =>
    a.blockNumber === b.blockNumber ? Number(a.logIndex - b.logIndex) : a.blockNumber < b.blockNumber ? -1 : 1,
  );
}

/** The transactions of `logs` out of a block fetched with full transactions; null if one is missing. */
function pickTransactions(block: ChainBlock, logs: Log[]): Map<string, Transaction> | null {
  const all = new Map((block.transactions ?? []).map((tx) => [tx.hash, tx]));
  const picked = new Map<string, Transaction>();
  for (const log of logs) {
    const tx = all.get(log.transactionHash);
    if (!tx) return null;
    picked.set(tx.hash, tx);
  }
  return picked;
}
