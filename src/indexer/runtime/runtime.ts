/**
 * SubgraphRuntime: runs the handlers of a `graph build` output with graph-node's host semantics. It loads the
 * manifest, compiles each mapping once, and runs every trigger in an instance in a fresh instance's state (module.ts)
 * against a HostStore.
 */
import type { Log, Trigger } from "../chain/types.ts";
import type { SubgraphSchema } from "../schema/schema.ts";
import { loadManifest, type BlockHandlerSpec, type ContextEntries, type EventHandlerSpec, type SubgraphManifest } from "./manifest.ts";
import { MappingModule, type CompiledWasm } from "./module.ts";
import { SchemaInfo, guessStoreValue } from "./entity.ts";
import { HandlerError, HostError, ManifestError, ModuleLoadError, TriggerError } from "./errors.ts";
import { decodeEventLog, type EventParam } from "./eth-abi.ts";
import {
  takeParams,
  logFilters,
  matchBlock,
  matchLog,
  needsEveryBlock,
  type ActiveDataSource,
  type BlockMatch,
  type LogFilter,
  type LogMatch,
} from "./matching.ts";
import { layoutFor, writeBlock, writeEvent, type Layout } from "./triggers.ts";
import { contextEntriesOf } from "./host/datasource.ts";
import { CHAIN_HOST_FUNCTIONS } from "./host/ethereum.ts";
import { DEFAULT_HANDLER_TIMEOUT_SECONDS, checkedHandlerTimeout } from "./host/deadline.ts";
import { checkedGasLimit } from "./host/gas.ts";
import { DEFAULT_MAX_GAS_PER_HANDLER } from "./gas-costs.ts";
import type { HostEnvironment, RuntimeLogger, TriggerState } from "./host/context.ts";
import type { CreatedDataSource, HostChain, HostStore } from "./types.ts";
import { EntityCache, type EntityCacheOptions } from "./entity-cache.ts";
import { Wasm } from "./wasm.ts";

export interface RuntimeOptions {
  /** Chain access for ethereum.call / getBalance / hasCode (synchronous). Without it those calls fail the handler. */
  chain?: HostChain;
  /** Receives `log.*` calls from mappings. */
  logger?: RuntimeLogger;
  /** Contract addresses by data source name, replacing the manifest's (e.g. the addresses of a fresh deployment). */
  addresses?: Readonly<Record<string, string>>;
  /** Start blocks by data source name, replacing the manifest's. */
  startBlocks?: Readonly<Record<string, bigint>>;
  /**
   * Longest a handler may run, in seconds (graph-node's GRAPH_MAPPING_HANDLER_TIMEOUT); 0 for no limit. Default
   * {@link DEFAULT_HANDLER_TIMEOUT_SECONDS}. A handler past it fails with a non-deterministic HandlerError.
   */
  handlerTimeoutSeconds?: number;
  /**
   * Gas a handler may use (graph-node's GRAPH_MAX_GAS_PER_HANDLER, default 10^15). A handler past it fails with
   * "Gas limit exceeded. Used: N": deterministically when its own code ran out, not when a host call did.
   */
  maxGasPerHandler?: number;
  /**
   * false: mappings run unmetered — no gas limit and no handler deadline, which both rely on the metering. Only for
   * measuring what metering costs (`npm run bench:indexer`). Default true.
   */
  gasMetering?: boolean;
  /**
   * false: a new instance for every trigger instead of the previous one restored to a fresh instance's state
   * (module.ts). Only for measuring what restoring saves (`npm run bench:handlers`) and for checking that it changes
   * nothing. Default true.
   */
  reuseInstances?: boolean;
}


/** What a handler call produced besides its store writes. */
export interface TriggerResult {
  /** Data sources created with dataSource.create / createWithContext, in call order. Add them with addDataSource. */
  createdDataSources: CreatedDataSource[];
  /** Gas the handler used, metered as graph-node meters it. */
  gasUsed: number;
}

interface CompiledSource {
  module: MappingModule;
  layout: Layout;
}

/** The oldest apiVersion served: 0.0.4 (AssemblyScript 0.6, asc-v004.ts); older ones have other event layouts. */
const MIN_API_VERSION = [0, 0, 4];

function versionAtLeast(version: string, min: number[]): boolean {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a > min[i]!;
  }
  return true;
}

/**
 * The WASM host of the embedded indexer.
 *
 * @example
 * const runtime = await SubgraphRuntime.load("build/subgraph.yaml", { addresses: { DatasetRegistry: "0x…" } });
 * const cache = new EntityCache(runtime.schema);
 * cache.beginBlock();
 * for (const match of runtime.matchLog(log)) {
 *   const { createdDataSources } = runtime.runTrigger(
 *     { kind: "event", dataSource: match.dataSource.id, handler: match.handler.handler, log, block, transaction, receipt: null },
 *     cache,
 *   );
 *   createdDataSources.forEach((c) => runtime.addDataSource(c));
 * }
 * const changes = cache.changes();
 */
export class SubgraphRuntime {
  private readonly active: ActiveDataSource[] = [];
  private readonly byId = new Map<string, ActiveDataSource>();
  private readonly createdCount = new Map<string, number>();

  private constructor(
    /** The parsed manifest. */
    readonly manifest: SubgraphManifest,
    private readonly sources: ReadonlyMap<string, CompiledSource>,
    /** Longest a handler may run, in seconds; 0 for no limit. */
    readonly handlerTimeoutSeconds: number,
    /** Gas a handler may use. */
    readonly maxGasPerHandler: number,
  ) {}

  /**
   * Loads `subgraph.yaml` (a `graph build` output), its schema and ABIs, and compiles every data source's and
   * template's mapping once.
   *
   * @throws ManifestError for an unusable manifest or address override; ModuleLoadError when a mapping imports a
   * host function this runtime lacks (named in the message), lacks a declared handler, uses an apiVersion before
   * 0.0.4, or uses instructions gas metering cannot be injected into; RangeError for a negative timeout or a gas limit
   * that is not a positive integer.
   */
  static async load(manifestPath: string, options: RuntimeOptions = {}): Promise<SubgraphRuntime> {
    const timeout = checkedHandlerTimeout(options.handlerTimeoutSeconds ?? DEFAULT_HANDLER_TIMEOUT_SECONDS);
    const maxGas = checkedGasLimit(options.maxGasPerHandler ?? DEFAULT_MAX_GAS_PER_HANDLER);
    const manifest = loadManifest(manifestPath);
    const info = new SchemaInfo(manifest.schema);
    const templates = manifest.templates.map((t) => t.name);
    const compiled = new Map<string, Promise<CompiledWasm>>();
    const sources = new Map<string, CompiledSource>();
    const specs = [
      ...manifest.dataSources.map((d) => ({ name: d.name, mapping: d.mapping })),
      ...manifest.templates.map((t) => ({ name: t.name, mapping: t.mapping })),
    ];
    const handlersByFile = new Map<string, Set<string>>();
    for (const { mapping } of specs) {
      const set = handlersByFile.get(mapping.file) ?? new Set<string>();
      for (const h of mapping.eventHandlers) set.add(h.handler);
      for (const h of mapping.blockHandlers) set.add(h.handler);
      handlersByFile.set(mapping.file, set);
    }
    await Promise.all(
      specs.map(async ({ name, mapping }) => {
        if (!versionAtLeast(mapping.apiVersion, MIN_API_VERSION)) {
          throw new ModuleLoadError(mapping.file, `apiVersion ${mapping.apiVersion} is not supported (0.0.4 or later)`);
        }
        const env: HostEnvironment = {
          schema: info,
          apiVersion: mapping.apiVersion,
          abis: mapping.abis,
          templates,
          chain: options.chain ?? null,
          logger: options.logger ?? null,
        };
        const module = await MappingModule.load(mapping.file, env, {
          compiled,
          handlers: handlersByFile.get(mapping.file),
          metered: options.gasMetering ?? true,
          reuseInstances: options.reuseInstances ?? true,
        });
        const handlers = [...mapping.eventHandlers.map((h) => h.handler), ...mapping.blockHandlers.map((h) => h.handler)];
        const absent = handlers.filter((h) => !module.exportedFunctions.has(h));
        if (absent.length > 0) {
          throw new ModuleLoadError(mapping.file, `${name}: handlers ${absent.join(", ")} are not exported by the mapping`);
        }
        sources.set(name, { module, layout: layoutFor(mapping.apiVersion) });
      }),
    );
    const runtime = new SubgraphRuntime(manifest, sources, timeout, maxGas);
    for (const ds of manifest.dataSources) {
      const address = options.addresses?.[ds.name]?.toLowerCase() ?? ds.address;
      if (address !== null && !/^0x[0-9a-f]{40}$/.test(address)) {
        throw new ManifestError(manifest.path, `address override for ${ds.name} is not an address: ${address}`);
      }
      runtime.register({
        id: ds.name,
        name: ds.name,
        fromTemplate: false,
        kind: ds.kind,
        network: ds.network,
        address,
        abi: ds.abi,
        startBlock: options.startBlocks?.[ds.name] ?? ds.startBlock,
        endBlock: ds.endBlock,
        context: ds.context,
        mapping: ds.mapping,
      });
    }
    return runtime;
  }

  /** The subgraph's schema. */
  get schema(): SubgraphSchema {
    return this.manifest.schema;
  }

  /** Data sources being indexed: the manifest's, then those added with addDataSource, in order. */
  get dataSources(): readonly ActiveDataSource[] {
    return this.active;
  }

  /** The earliest block any data source starts at. */
  get startBlock(): bigint {
    return this.active.reduce((min, ds) => (ds.startBlock < min ? ds.startBlock : min), this.active[0]?.startBlock ?? 0n);
  }

  /** A new EntityCache for this subgraph's schema (reading through to `options.source`, the store, if given). */
  createEntityCache(options?: EntityCacheOptions): EntityCache {
    return new EntityCache(this.manifest.schema, options);
  }

  private register(ds: ActiveDataSource): ActiveDataSource {
    this.active.push(ds);
    this.byId.set(ds.id, ds);
    return ds;
  }

  /**
   * Makes a data source created by a handler active (id `<Template>#<n>`). It matches triggers from its start
   * block, the block that created it; graph-node also runs the new data source's triggers of that same block, so
   * the indexing loop should match that block's logs again against the returned data source.
   *
   * @throws TriggerError for an unknown template or a first parameter that is not an address.
   */
  addDataSource(created: CreatedDataSource): ActiveDataSource {
    const template = this.manifest.templates.find((t) => t.name === created.template);
    if (!template) throw new TriggerError(`no template named ${created.template}`);
    const address = created.params[0]?.toLowerCase();
    if (address === undefined || !/^0x[0-9a-f]{40}$/.test(address)) {
      throw new TriggerError(`data source from template ${created.template} needs an address as its first parameter, got ${created.params[0]}`);
    }
    let context: ContextEntries | null = null;
    if (created.context !== null) {
      context =
        contextEntriesOf(created.context) ??
        Object.entries(created.context).map(([key, value]): [string, ReturnType<typeof guessStoreValue>] => [key, guessStoreValue(value)]);
    }
    const n = this.createdCount.get(template.name) ?? 0;
    this.createdCount.set(template.name, n + 1);
    return this.register({
      id: `${template.name}#${n}`,
      name: template.name,
      fromTemplate: true,
      kind: template.kind,
      network: template.network,
      address,
      abi: template.abi,
      startBlock: created.startBlock,
      endBlock: null,
      context,
      mapping: template.mapping,
    });
  }

  /** Handlers `log` triggers among the active data sources (see matching.ts for the rules). */
  matchLog(log: Log): LogMatch[] {
    return matchLog(log, this.active);
  }

  /** Block handlers to run at block `number`: `start` before the block's events, `end` after them. */
  matchBlock(number: bigint): { start: BlockMatch[]; end: BlockMatch[] } {
    return matchBlock(number, this.active);
  }

  /** eth_getLogs filters covering all active data sources. */
  logFilters(): LogFilter[] {
    return logFilters(this.active);
  }

  /** Whether some data source has block handlers (so every block must be processed, not only those with logs). */
  get needsEveryBlock(): boolean {
    return needsEveryBlock(this.active);
  }

  /** Whether a data source's or template's mapping imports a host function that asks the chain (`ethereum.call`, …). */
  get callsChain(): boolean {
    return [...this.sources.values()].some(({ module }) => [...module.importedFunctions].some((name) => CHAIN_HOST_FUNCTIONS.has(name)));
  }

  private resolveDataSource(trigger: Trigger): ActiveDataSource {
    const exact = this.byId.get(trigger.dataSource);
    if (exact) return exact;
    const candidates = this.active.filter((ds) => ds.name === trigger.dataSource);
    if (trigger.kind === "event") {
      const address = trigger.log.address.toLowerCase();
      const hit = candidates.find((ds) => ds.address === null || ds.address === address);
      if (hit) return hit;
    } else if (candidates.length === 1) return candidates[0]!;
    throw new TriggerError(
      `no active data source ${JSON.stringify(trigger.dataSource)}${trigger.kind === "event" ? ` for address ${trigger.log.address}` : ""}`,
    );
  }

  /**
   * Runs one handler: an instance of the data source's mapping in a fresh instance's state, `_start`, then the handler with the event
   * (parameters decoded with the data source's ABI, receipt only for `receipt: true` handlers) or the block.
   * Writes go to `store`; on failure the writes made so far stay in `store`, and the caller discards the block.
   *
   * @throws HandlerError when the handler fails (abort, log.critical, a rejected host call, a WASM trap, or the
   * handler timeout: a non-deterministic failure).
   * @throws TriggerError when the trigger names an unknown data source or handler, or its log does not decode.
   */
  runTrigger(trigger: Trigger, store: HostStore): TriggerResult {
    const ds = this.resolveDataSource(trigger);
    const source = this.sources.get(ds.name)!;
    let eventHandler: EventHandlerSpec | undefined;
    let blockHandler: BlockHandlerSpec | undefined;
    let params: EventParam[] | undefined;
    if (trigger.kind === "event") {
      const topic0 = trigger.log.topics[0]?.toLowerCase();
      const named = ds.mapping.eventHandlers.filter((h) => h.handler === trigger.handler);
      eventHandler = named.find((h) => h.topic0 === topic0) ?? named[0];
      if (!eventHandler) throw new TriggerError(`data source ${ds.id} has no event handler ${trigger.handler}`);
      params = takeParams(trigger.log, eventHandler);
      if (!params) {
        try {
          params = decodeEventLog(eventHandler.fragment, trigger.log.topics, trigger.log.data);
        } catch (error) {
          throw new TriggerError(
            `log ${trigger.log.transactionHash}#${trigger.log.logIndex} does not decode as ${eventHandler.event} for ${ds.id}.${trigger.handler}: ${(error as Error).message}`,
          );
        }
      }
    } else {
      blockHandler = ds.mapping.blockHandlers.find((h) => h.handler === trigger.handler);
      if (!blockHandler) throw new TriggerError(`data source ${ds.id} has no block handler ${trigger.handler}`);
    }

    const module = source.module;
    const ctx = module.ctx;
    const state: TriggerState = {
      store,
      dataSource: ds,
      handler: trigger.handler,
      blockNumber: trigger.block.number,
      blockHash: trigger.block.hash,
      blockTimestamp: trigger.block.timestamp,
      created: [],
      gasLimit: this.maxGasPerHandler,
    };
    const seconds = this.handlerTimeoutSeconds;
    if (seconds > 0) state.deadline = { at: performance.now() + seconds * 1000, seconds };
    ctx.begin(state);
    try {
      const exports = module.instantiate();
      const heap = ctx.heap;
      const arg =
        trigger.kind === "event"
          ? writeEvent(
              heap,
              trigger.log,
              trigger.block,
              trigger.transaction,
              params!,
              eventHandler!.receipt ? trigger.receipt : null,
              source.layout,
            )
          : writeBlock(heap, trigger.block, source.layout);
      (exports[trigger.handler] as (ptr: number) => void)(arg);
    } catch (error) {
      throw toHandlerError(error, trigger, ds);
    } finally {
      ctx.end();
    }
    return { createdDataSources: state.created, gasUsed: ctx.gas.used };
  }
}

function toHandlerError(error: unknown, trigger: Trigger, ds: ActiveDataSource): HandlerError {
  let reason: string;
  let deterministic: boolean;
  if (error instanceof HostError) {
    reason = error.message;
    deterministic = error.deterministic;
  } else if (error instanceof Wasm.RuntimeError) {
    reason = `wasm trap: ${error.message}`;
    deterministic = true;
  } else if (error instanceof RangeError && /call stack/i.test(error.message)) {
    reason = `wasm stack overflow: ${error.message}`;
    deterministic = false;
  } else {
    reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
    deterministic = false;
  }
  return new HandlerError({
    handler: trigger.handler,
    dataSource: ds.id,
    blockNumber: trigger.block.number,
    blockHash: trigger.block.hash,
    transactionHash: trigger.kind === "event" ? trigger.log.transactionHash.toLowerCase() : null,
    reason,
    deterministic,
    cause: error,
  });
}
