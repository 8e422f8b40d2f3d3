/**
 * The indexing loop of the embedded graph-node-compatible runtime: follows a chain over JSON-RPC, runs the subgraph's
 * WASM handlers on each block, commits each block's entity changes and the cursor atomically, rolls back on reorgs,
 * stops on a handler failure, and serves graph-node's GraphQL API over the store.
 *
 *   chain (BlockStream) → runtime (SubgraphRuntime + EntityCache) → store (PGlite / PostgreSQL) → GraphQL
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { encodeBase58 } from "ethers";
import { BlockStream, formatProgress, SyncRpcChain, type BlockEvent, type LogFilter } from "./chain/index.ts";
import type { Trigger } from "./chain/types.ts";
import { startGraphQLServer, type GraphQLServer, type GraphQLServerOptions, type QueryLimits } from "./graphql/index.ts";
import { HandlerError, SubgraphRuntime, type EntityCache } from "./runtime/index.ts";
import type { ActiveDataSource } from "./runtime/matching.ts";
import { createStore } from "./store/index.ts";
import type { BlockCommit, BlockPtr, EntitySource, IndexingError, IndexingStatus, Store } from "./store/types.ts";
import type { CreatedDataSource } from "./runtime/types.ts";
import { EntityIdFilter } from "./runtime/id-filter.ts";
import { idString } from "./runtime/entity.ts";
import { dataSourceFromJson, dataSourceToJson } from "./data-sources.ts";
import { progressToStderr } from "./progress.ts";
import { EventLoopTurns } from "./event-loop.ts";

/** Blocks processed before their changes are committed together when catching up (one transaction, atomically). */
const MAX_PENDING_BLOCKS = 100;
/**
 * Size of the pending blocks' writes (entities sized as gas sizes them) that forces a commit: graph-node's default
 * GRAPH_STORE_WRITE_BATCH_SIZE, 10 000 KB (graph/src/env/store.rs). Bounds what waits in memory on busy chains.
 */
const MAX_PENDING_BYTES = 10_000 * 1000;
/**
 * Batches handed to the store and not yet committed, at most; processing waits for the oldest beyond this. The store
 * commits them one after another while the next blocks are processed, so short stalls of either side do not stall
 * the other.
 */
const MAX_COMMITS_QUEUED = 3;
/**
 * Processing gives the event loop a turn between blocks at least this often, so that the range fetched ahead and the
 * commits in flight progress meanwhile: without it they waited for processing to stop (for the next range or for a
 * queued commit), and fetching, committing and processing took turns instead of overlapping.
 */
const TURN_AFTER_MS = 2;
/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects again: +50 % (V8
 * otherwise picks up to +300 % when collections take little time). Indexing allocates fast and keeps little (52 MiB
 * live at the end of the 50 000-event benchmark, 54 MiB at a million events), so the default held 200 MiB of garbage.
 * At a million events on PostgreSQL, +100 % let the heap reach 141-146 MiB and the process 308-320 MiB (six runs);
 * +50 % 114-117 and 266-287 MiB (three runs), for a few more full collections on V8's background threads (CPU time
 * and events/s moved within run-to-run noise in paired runs). The setting is V8's, hence the whole process's.
 */
const HEAP_GROWING_PERCENT = 50;

export interface IndexerOptions {
  /** The built subgraph: `build/subgraph.yaml` or the directory holding it. */
  subgraph: string;
  /** Ethereum JSON-RPC endpoint (the in-process Hardhat chain served over HTTP, `hardhat node`, a public RPC). */
  rpcUrl: string;
  /** Persist the PGlite store in this directory (default: in memory). */
  dataDir?: string;
  /** Use a PostgreSQL server instead of PGlite (same SQL). */
  databaseUrl?: string;
  /** Served at `/subgraphs/name/<name>`. Default "pedigree". */
  name?: string;
  /** GraphQL port (0: any free port) and interface (default 127.0.0.1). */
  port?: number;
  host?: string;
  /** Replace the manifest's contract addresses / start blocks, by data source name (e.g. a fresh local deployment). */
  addresses?: Readonly<Record<string, string>>;
  startBlocks?: Readonly<Record<string, number>>;
  /** Blocks held back from the chain head (default 0: local chains). */
  confirmations?: number;
  /** How often to poll the head once caught up (default 500 ms). */
  pollIntervalMs?: number;
  /** Largest eth_getLogs range (default 2000, reduced automatically when the node refuses). */
  maxRange?: number;
  /** Triggers per eth_getLogs range the range size aims at (graph-node's GRAPH_ETHEREUM_TARGET_TRIGGERS_PER_BLOCK_RANGE). */
  targetTriggersPerRange?: number;
  /** Reuse answers to identical GraphQL queries until the head moves, as graph-node does (default true). */
  cacheQueries?: boolean;
  /** Limits on each GraphQL query (graph-node's settings; defaults in graphql/limits.ts). */
  queryLimits?: Partial<QueryLimits>;
  /** What the GraphQL server accepts over HTTP: body size, CORS origins, extra host names, concurrent queries. */
  http?: Pick<GraphQLServerOptions, "maxBodyBytes" | "corsOrigins" | "allowedHosts" | "maxConcurrentQueries" | "maxQueuedQueries" | "site">;
  /** Receives log lines (handler logs, failures, reverts). Default: stderr. */
  log?: (line: string) => void;
  /** Progress line while catching up: true for stderr, a function to receive it, false (default) for none. */
  progress?: boolean | ((line: string) => void);
  /**
   * Longest a handler may run, in seconds (graph-node's GRAPH_MAPPING_HANDLER_TIMEOUT); 0 for no limit. Default 10.
   * A handler past it fails its block like any handler failure, but not deterministically: a restart retries it.
   */
  handlerTimeoutSeconds?: number;
  /** Gas a handler may use (graph-node's GRAPH_MAX_GAS_PER_HANDLER); default 10^15. */
  maxGasPerHandler?: number;
  /**
   * Size of the cache of entities read from the store, in bytes as gas sizes entities (graph-node's
   * GRAPH_ENTITY_CACHE_SIZE, in KB there); default 10 MB as graph-node. What handlers read beyond it, the store answers.
   */
  entityCacheBytes?: number;
}

export interface Indexer {
  /** GraphQL endpoint: `http://host:port/subgraphs/name/<name>` (GraphiQL on GET). */
  url: string;
  /** graph-node-style deployment id of the build (Qm… of the manifest's sha256). */
  deployment: string;
  store: Store;
  /** Resolves once `blockNumber` is indexed; rejects if indexing failed before reaching it. */
  waitForBlock(blockNumber: number, timeoutMs?: number): Promise<BlockPtr>;
  /**
   * Resolves once the planner statistics refresh that began when the indexer last caught up with the chain has ended
   * (at once if none began): after it, queries plan with statistics of the tables as indexed.
   */
  statisticsRefreshed(): Promise<void>;
  status(): Promise<IndexingStatus>;
  /** Counters since start. */
  stats(): IndexerStats;
  /** Stops following the chain, closes the GraphQL server and the store. */
  stop(): Promise<void>;
  /** Settles when the indexing loop ends (after stop() or a failure). */
  done: Promise<void>;
}

export interface IndexerStats {
  blocksProcessed: number;
  triggersProcessed: number;
  /** Reads of the store by handlers: what the entity cache did not hold. */
  storeReads: number;
  head: number | null;
  failed: IndexingError | null;
}

/** Thrown when the indexer cannot start; the message says what to fix. */
export class IndexerStartError extends Error {
  override name = "IndexerStartError";
}

/**
 * Starts indexing `subgraph` from `rpcUrl` and serves its GraphQL API.
 *
 * @example
 * const indexer = await startIndexer({ subgraph: "build", rpcUrl: "http://127.0.0.1:8545" });
 * await indexer.waitForBlock(await provider.getBlockNumber());
 * console.log(indexer.url);
 */
export async function startIndexer(options: IndexerOptions): Promise<Indexer> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const manifestPath = await resolveManifest(options.subgraph);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const name = options.name ?? "pedigree";
  const deployment = await deploymentId(manifestPath);

  const chain = new SyncRpcChain(options.rpcUrl);
  const startBlocks = options.startBlocks
    ? Object.fromEntries(Object.entries(options.startBlocks).map(([k, v]) => [k, BigInt(v)]))
    : undefined;
  const loadRuntime = () =>
    SubgraphRuntime.load(manifestPath, {
      chain,
      addresses: options.addresses,
      startBlocks,
      logger: { log: (level, message) => log(`[${level}] ${message}`) },
      handlerTimeoutSeconds: options.handlerTimeoutSeconds,
      maxGasPerHandler: options.maxGasPerHandler,
    });
  const runtime = await loadRuntime();
  // A subgraph that asks the chain gets the chain's worker now rather than at its first call, which would otherwise
  // wait for the worker to start, in the middle of indexing (as the PostgreSQL store's reader did: store/sync-pg.ts).
  if (runtime.callsChain) chain.start();
  const store = await createStore({
    schema: runtime.schema,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    deployment: sqlNamespace(name),
  });

  let server: GraphQLServer | undefined;
  try {
    const previous = await store.status();
    if (previous.head) log(`resuming after block #${previous.head.number} (${previous.head.hash})`);
    if (previous.error) {
      log(`retrying block #${previous.error.blockNumber}, which failed in an earlier run: ${previous.error.message}`);
      await store.setError(null);
    }
    server = await startGraphQLServer({
      store,
      schema: runtime.schema,
      subgraphName: name,
      deployment,
      port: options.port,
      host: options.host,
      cacheResults: options.cacheQueries ?? true,
      earliestBlock: Number(runtime.startBlock),
      limits: options.queryLimits,
      ...options.http,
    });
    const loop = new IndexingLoop(loadRuntime, runtime, store, options, log, previous.head);
    await loop.restoreDataSources();
    await loop.loadIds();
    const done = loop.run();
    const graphql = server;
    return {
      url: graphql.url,
      deployment,
      store,
      waitForBlock: (blockNumber, timeoutMs) => loop.waitForBlock(blockNumber, timeoutMs),
      statisticsRefreshed: () => loop.statisticsRefreshed,
      status: () => store.status(),
      stats: () => loop.stats(),
      done,
      async stop() {
        loop.stop();
        await done.catch(() => {});
        await loop.close();
        await graphql.close();
        chain.close();
        await store.close();
      },
    };
  } catch (error) {
    await server?.close();
    chain.close();
    await store.close();
    throw error;
  }
}

interface Waiter {
  blockNumber: number;
  resolve(ptr: BlockPtr): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/** One indexing run: cache, stream, commits, waiters. */
class IndexingLoop {
  /** The store's entities, read synchronously by handlers through the cache. */
  private readonly source: EntitySource;
  /** The ids the store holds, so that lookups of new ids (most lookups) need no read. */
  private readonly ids = new EntityIdFilter();
  private cache: EntityCache;
  private stream: BlockStream | undefined;
  private stopped = false;
  private head: BlockPtr | null;
  private failed: IndexingError | null = null;
  private blocksProcessed = 0;
  private triggersProcessed = 0;
  private readonly waiters = new Set<Waiter>();
  /** Processed blocks whose changes are not committed yet (committed together, atomically, at the latest at the end of
   * each eth_getLogs range; the cache already holds them). */
  private pending: BlockCommit[] = [];
  private pendingBytes = 0;
  /** Commits queued or in flight, oldest first (flush), and the last block handed to the store. */
  private committing: Promise<void>[] = [];
  private lastQueued: BlockPtr | null;
  private readonly turns = new EventLoopTurns(TURN_AFTER_MS);
  private readonly progress: ((line: string) => void) | null;

  constructor(
    private readonly loadRuntime: () => Promise<SubgraphRuntime>,
    private runtime: SubgraphRuntime,
    private readonly store: Store,
    private readonly options: IndexerOptions,
    private readonly log: (line: string) => void,
    head: BlockPtr | null,
  ) {
    this.source = store.openEntitySource();
    this.cache = this.newCache();
    this.head = head;
    this.lastQueued = head;
    const progress = options.progress;
    this.progress = progress === true ? progressToStderr : progress || null;
  }

  /** Data sources created through templates in committed blocks (restored on restart, in creation order). */
  private createdCount = 0;

  /** Follows again the data sources that handlers created in committed blocks. */
  async restoreDataSources(): Promise<void> {
    const stored = await this.store.loadDataSources();
    for (const { data } of stored) this.runtime.addDataSource(dataSourceFromJson(data));
    this.createdCount = stored.length;
  }

  /** A cache over the store's current entities, empty. */
  private newCache(): EntityCache {
    return this.runtime.createEntityCache({ source: this.source, ids: this.ids, maxBytes: this.options.entityCacheBytes });
  }

  /** Adds the ids of the store's current entities to the id filter (start-up). */
  async loadIds(): Promise<void> {
    for (const [entityType, type] of this.runtime.schema.entities) {
      if (type.aggregation) continue; // rolled up by the store, never read or written by handlers
      for await (const page of this.store.currentIds(entityType)) for (const id of page) this.ids.add(entityType, idString(id));
    }
  }

  /** Closes the store reads of the handlers (after run() has ended). */
  close(): Promise<void> {
    return this.source.close();
  }

  stats(): IndexerStats {
    return {
      blocksProcessed: this.blocksProcessed,
      triggersProcessed: this.triggersProcessed,
      storeReads: this.source.reads,
      head: this.head?.number ?? null,
      failed: this.failed,
    };
  }

  stop(): void {
    this.stopped = true;
    this.stream?.stop();
  }

  waitForBlock(blockNumber: number, timeoutMs = 60_000): Promise<BlockPtr> {
    if (this.head && this.head.number >= blockNumber) return Promise.resolve(this.head);
    if (this.failed) return Promise.reject(failureError(this.failed));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { blockNumber, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`block #${blockNumber} not indexed within ${timeoutMs} ms (head: #${this.head?.number ?? "none"})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async run(): Promise<void> {
    const ticker = this.progress ? setInterval(() => this.reportProgress(), 1000) : undefined;
    try {
      // One pass per stream; a reorg that drops created data sources rebuilds the runtime and starts a new pass.
      while (!this.stopped && (await this.follow())) {
        this.runtime = await this.loadRuntime();
        await this.restoreDataSources();
        this.cache = this.newCache();
      }
    } catch (error) {
      if (!this.stopped) {
        this.log(`indexing stopped: ${(error as Error).message}`);
        this.rejectAll(error as Error);
        throw error;
      }
    } finally {
      // Blocks already processed when stop() was called are kept.
      await this.drain().catch((error) => this.log(`could not commit the last blocks: ${(error as Error).message}`));
      if (ticker) clearInterval(ticker);
      if (this.progress) this.reportProgress();
    }
  }

  /** Follows the chain until stopped or failed (false), or until a reorg dropped created data sources (true). */
  private async follow(): Promise<boolean> {
    const stream = new BlockStream({
      rpc: this.options.rpcUrl,
      filters: chainFilters(this.runtime.dataSources),
      blockHandlers: this.runtime.needsEveryBlock,
      startBlock: Number(this.runtime.startBlock),
      head: this.head,
      storedHash: (number) => this.store.blockHash(number),
      confirmations: this.options.confirmations ?? 0,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
      maxRange: this.options.maxRange,
      targetTriggersPerRange: this.options.targetTriggersPerRange,
    });
    this.stream = stream;
    try {
      for await (const event of stream) {
        if (this.stopped) return false;
        if (event.kind === "block") {
          if (!(await this.processBlock(event))) return false;
          await this.turns.take();
          if (this.pending.length >= MAX_PENDING_BLOCKS || this.pendingBytes >= MAX_PENDING_BYTES) await this.flush();
        } else if (event.kind === "progress") {
          const last = this.pending.at(-1)?.block ?? this.lastQueued;
          if (!last || event.head.number > last.number) this.pending.push({ block: event.head, changes: [] });
          await this.flush();
          if (stream.stats().distanceToHead === 0) await (this.statisticsRefreshed = this.refreshStatistics());
        } else {
          await this.drain();
          this.log(`reorg: reverting to block #${event.to?.number ?? "none"} (${event.to?.hash ?? "empty store"})`);
          await this.store.revertTo(event.to);
          this.head = event.to;
          this.lastQueued = event.to;
          const remaining = (await this.store.loadDataSources()).length;
          if (remaining < this.createdCount) {
            this.log(`reorg dropped ${this.createdCount - remaining} data source(s) created from templates; reloading the subgraph`);
            return true;
          }
          this.cache = this.newCache();
        }
      }
      return false;
    } finally {
      stream.stop();
    }
  }

  /** Runs every trigger of a block; commits it, or records the failure and returns false. */
  private async processBlock(event: BlockEvent): Promise<boolean> {
    const { block } = event;
    this.cache.beginBlock();
    const createdHere: CreatedDataSource[] = [];
    try {
      let created = await this.runTriggers(this.triggersOf(event, null));
      createdHere.push(...created);
      // Data sources created in this block also see this block's events (graph-node reprocesses the block for them).
      while (created.length > 0) {
        const added = created.map((spec) => this.runtime.addDataSource(spec));
        const filters = chainFilters(added);
        for (const filter of filters) {
          this.stream!.addFilter(filter, Number(block.number) + 1, { blockHandlers: this.runtime.needsEveryBlock });
        }
        const data = await this.stream!.fetchBlockData(block, filters);
        created = await this.runTriggers(this.triggersOf({ ...event, ...data }, new Set(added.map((ds) => ds.id))));
        createdHere.push(...created);
      }
    } catch (error) {
      this.cache.discardBlock();
      if (!(error instanceof HandlerError)) throw error;
      await this.drain();
      const failure: IndexingError = {
        message: error.message,
        blockNumber: Number(error.blockNumber),
        blockHash: error.blockHash,
        handler: error.handler,
        transactionHash: error.transactionHash ?? undefined,
      };
      await this.store.setError(failure);
      this.failed = failure;
      this.log(
        `handler ${error.handler} (${error.dataSource}) failed at block #${error.blockNumber}` +
          `${error.transactionHash ? `, transaction ${error.transactionHash}` : ""}: ${error.reason}` +
          `${error.deterministic ? "" : " (not deterministic: a restart retries the block)"}`,
      );
      this.rejectAll(failureError(failure));
      return false;
    }
    const ptr = { number: Number(block.number), hash: block.hash, parentHash: block.parentHash, timestamp: Number(block.timestamp) };
    const changes = await this.source.hold(() => this.cache.changes());
    this.pendingBytes += this.cache.blockBytes;
    this.pending.push({
      block: ptr,
      changes,
      dataSources: createdHere.map((created) => ({ block: ptr.number, data: dataSourceToJson(created) })),
    });
    this.createdCount += createdHere.length;
    this.cache.commitBlock();
    this.blocksProcessed += 1;
    return true;
  }

  /** The block's triggers in graph-node's order: block handlers (start), events by log index, block handlers (end). */
  private triggersOf(event: Pick<BlockEvent, "block" | "logs" | "transactions" | "receipts">, only: Set<string> | null): Trigger[] {
    const { block } = event;
    const keep = (ds: ActiveDataSource) => only === null || only.has(ds.id);
    const blockMatches = this.runtime.matchBlock(block.number);
    const triggers: Trigger[] = blockMatches.start
      .filter((m) => keep(m.dataSource))
      .map((m) => ({ kind: "block", dataSource: m.dataSource.id, handler: m.handler.handler, block }));
    for (const log of event.logs) {
      for (const match of this.runtime.matchLog(log)) {
        if (!keep(match.dataSource)) continue;
        const transaction = event.transactions.get(log.transactionHash.toLowerCase());
        if (!transaction) throw new Error(`block #${block.number}: transaction ${log.transactionHash} of a log is missing`);
        triggers.push({
          kind: "event",
          dataSource: match.dataSource.id,
          handler: match.handler.handler,
          log,
          block,
          transaction,
          receipt: event.receipts.get(log.transactionHash.toLowerCase()) ?? null,
        });
      }
    }
    for (const m of blockMatches.end) {
      if (keep(m.dataSource)) triggers.push({ kind: "block", dataSource: m.dataSource.id, handler: m.handler.handler, block });
    }
    return triggers;
  }

  /** Runs triggers in order, the store held for the handlers' reads; the data sources they created. */
  private runTriggers(triggers: Trigger[]): Promise<CreatedDataSource[]> {
    return this.source.hold(() => {
      const created = [];
      for (const trigger of triggers) {
        created.push(...this.runtime.runTrigger(trigger, this.cache).createdDataSources);
        this.triggersProcessed += 1;
      }
      return created;
    });
  }

  /**
   * Hands the pending blocks to the store: one transaction commits their changes and the head move, while the next
   * blocks are processed (their state stays in the cache until then). With MAX_COMMITS_QUEUED batches queued, this
   * first waits for the oldest.
   */
  private async flush(): Promise<void> {
    if (this.committing.length >= MAX_COMMITS_QUEUED) await this.settleOldest();
    if (this.pending.length === 0) return;
    const blocks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const batch = this.cache.beginStore();
    const ptr = blocks.at(-1)!.block;
    this.lastQueued = ptr;
    // The store takes commits in order: each starts once the one before has committed (and none after a failure).
    const previous = this.committing.at(-1) ?? Promise.resolve();
    const commit = previous.then(async () => {
      await this.store.commitBlocks(blocks);
      this.cache.markStored(batch);
      this.advanceHead(ptr);
    });
    commit.catch(() => {}); // observed by settleOldest()
    this.committing.push(commit);
  }

  /** The statistics refresh begun when the indexer last caught up with the chain. */
  statisticsRefreshed: Promise<void> = Promise.resolve();

  /**
   * Caught up with the chain: the planner statistics the commits left due are refreshed now, after the queued commits
   * (while catching up, the store refreshes them only some time after they became due).
   */
  private async refreshStatistics(): Promise<void> {
    await this.drain();
    await this.store.refreshStatistics();
  }

  /** Waits for the oldest queued commit; rethrows its failure. */
  private async settleOldest(): Promise<void> {
    await this.committing.shift();
  }

  /** Commits every processed block: the pending ones and those queued. */
  private async drain(): Promise<void> {
    await this.flush();
    while (this.committing.length > 0) await this.settleOldest();
  }

  /** The store's head moved to `ptr`: wakes the waiters it satisfies. */
  private advanceHead(ptr: BlockPtr): void {
    this.head = ptr;
    for (const waiter of this.waiters) {
      if (waiter.blockNumber <= ptr.number) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(ptr);
      }
    }
  }

  private rejectAll(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
  }

  private lastProgress = { head: -1, at: 0 };

  /** A progress line while catching up; once caught up, only when the head moves (or every 30 s). */
  private reportProgress(): void {
    if (!this.stream || !this.progress) return;
    const head = this.head?.number ?? -1;
    const now = Date.now();
    if (head === this.lastProgress.head && now - this.lastProgress.at < 30_000) return;
    this.lastProgress = { head, at: now };
    this.progress(`${formatProgress(this.stream.stats())}, ${this.triggersProcessed} events, head #${this.head?.number ?? "-"}`);
  }
}

function failureError(failure: IndexingError): Error {
  return new Error(`indexing failed at block #${failure.blockNumber}: ${failure.message}`);
}

/** The chain follower's filters for some data sources: their addresses and topic0s, receipts where asked. */
function chainFilters(dataSources: readonly ActiveDataSource[]): LogFilter[] {
  return dataSources
    .filter((ds) => ds.mapping.eventHandlers.length > 0)
    .map((ds) => ({
      addresses: ds.address ? [ds.address] : [],
      topic0s: [...new Set(ds.mapping.eventHandlers.map((h) => h.topic0))],
      receiptTopic0s: ds.mapping.eventHandlers.filter((h) => h.receipt).map((h) => h.topic0),
    }));
}

async function resolveManifest(path: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? join(path, "subgraph.yaml") : path;
  } catch {
    throw new IndexerStartError(`no built subgraph at ${path}: run \`npm run build\` first`);
  }
}

/** A graph-node-style deployment id: CIDv0 (Qm…) of the manifest's sha256. */
async function deploymentId(manifestPath: string): Promise<string> {
  const digest = createHash("sha256").update(await readFile(manifestPath)).digest();
  return encodeBase58(Buffer.concat([Buffer.from([0x12, 0x20]), digest]));
}

/** A SQL schema name for the subgraph name (e.g. "pedigree/lineage" → "sgd_pedigree_lineage"). */
function sqlNamespace(name: string): string {
  return `sgd_${name.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`.slice(0, 63);
}
