/**
 * Which handlers a log or a block triggers, with graph-node's rules, and the log filters the chain follower must
 * fetch. Works on the active data sources: the manifest's plus those created from templates.
 */
import type { Log } from "../chain/types.ts";
import type { BlockHandlerSpec, ContextEntries, EventHandlerSpec, MappingSpec } from "./manifest.ts";
import { decodeEventLog, type EventParam } from "./eth-abi.ts";
import { TriggerError } from "./errors.ts";

/** A data source that is being indexed: one from the manifest, or one created through a template. */
export interface ActiveDataSource {
  /**
   * Unique key, used as `Trigger.dataSource`: the manifest name for manifest data sources, `<Template>#<n>` for the
   * n-th data source created from a template (n counts from 0 in creation order).
   */
  id: string;
  /** The manifest data source's name or the template's name. */
  name: string;
  /** Whether it was created from a template. */
  fromTemplate: boolean;
  kind: string;
  network: string;
  /** Lowercase 0x-hex, or null to match every address. */
  address: string | null;
  /** Name of the ABI describing the contract. */
  abi: string;
  startBlock: bigint;
  endBlock: bigint | null;
  context: ContextEntries | null;
  mapping: MappingSpec;
}

/** A handler a log triggers, with the parameters decoded from the log. */
export interface LogMatch {
  dataSource: ActiveDataSource;
  handler: EventHandlerSpec;
  params: EventParam[];
}

/** A block handler to run. */
export interface BlockMatch {
  dataSource: ActiveDataSource;
  handler: BlockHandlerSpec;
}

/** What eth_getLogs must return for some data sources: logs of `address` (any address if null) with one of `topic0s`. */
export interface LogFilter {
  address: string | null;
  topic0s: string[];
  /** The earliest start block of the data sources behind this filter. */
  fromBlock: bigint;
}

const decodedParams = new WeakMap<Log, Map<EventHandlerSpec, EventParam[]>>();

/**
 * Parameters decoded by `matchLog` for this log object and handler, if any (saves decoding twice), handed over once:
 * a block's logs live until their whole range is processed, and parameters kept with them outlived their trigger.
 */
export function takeParams(log: Log, handler: EventHandlerSpec): EventParam[] | undefined {
  const byHandler = decodedParams.get(log);
  const params = byHandler?.get(handler);
  if (byHandler === undefined || params === undefined) return undefined;
  byHandler.delete(handler);
  if (byHandler.size === 0) decodedParams.delete(log);
  return params;
}

function topicMatches(log: Log, index: number, filter: string[] | null): boolean {
  if (filter === null) return true;
  const topic = log.topics[index];
  return topic !== undefined && filter.includes(topic.toLowerCase());
}

function active(ds: ActiveDataSource, block: bigint): boolean {
  return ds.startBlock <= block && (ds.endBlock === null || block <= ds.endBlock);
}

/**
 * The handlers to run for `log`, in order: data sources in the given order (manifest order, then created data
 * sources in creation order), at most one handler per data source. A handler matches when the address and block
 * range fit, topic0 (and any topic1..3 filter) matches, and the log decodes with the handler's event ABI; a log that
 * does not decode is skipped, as graph-node does.
 *
 * @throws TriggerError when two handlers of one data source match the same log (graph-node refuses that too).
 */
export function matchLog(log: Log, dataSources: readonly ActiveDataSource[]): LogMatch[] {
  const topic0 = log.topics[0]?.toLowerCase();
  if (topic0 === undefined) return [];
  const address = log.address.toLowerCase();
  const matches: LogMatch[] = [];
  for (const ds of dataSources) {
    if (ds.address !== null && ds.address !== address) continue;
    if (!active(ds, log.blockNumber)) continue;
    let found: LogMatch | null = null;
    for (const handler of ds.mapping.eventHandlers) {
      if (handler.topic0 !== topic0) continue;
      if (!topicMatches(log, 1, handler.topic1) || !topicMatches(log, 2, handler.topic2) || !topicMatches(log, 3, handler.topic3)) {
        continue;
      }
      let params: EventParam[];
      try {
        params = decodeEventLog(handler.fragment, log.topics, log.data);
      } catch {
        continue; // the log does not fit this event's ABI (e.g. indexed-ness differs)
      }
      if (found) {
        throw new TriggerError(`Multiple handlers defined for event \`${handler.event}\`, only one is supported (data source ${ds.id})`);
      }
      found = { dataSource: ds, handler, params };
    }
    if (found) {
      let cache = decodedParams.get(log);
      if (!cache) {
        cache = new Map();
        decodedParams.set(log, cache);
      }
      cache.set(found.handler, found.params);
      matches.push(found);
    }
  }
  return matches;
}

/**
 * Block handlers for block `number`: `start` ones (filter `once`, at the data source's start block) run before the
 * block's event handlers, `end` ones (no filter, or `polling` when (number - startBlock) % every == 0) after them.
 * At most one of each per data source, as in graph-node.
 */
export function matchBlock(number: bigint, dataSources: readonly ActiveDataSource[]): { start: BlockMatch[]; end: BlockMatch[] } {
  const start: BlockMatch[] = [];
  const end: BlockMatch[] = [];
  for (const ds of dataSources) {
    if (!active(ds, number)) continue;
    const once = ds.mapping.blockHandlers.find((h) => h.filter?.kind === "once");
    if (once && number === ds.startBlock) start.push({ dataSource: ds, handler: once });
    const every = ds.mapping.blockHandlers.find((h) => {
      if (h.filter === null) return true;
      return h.filter.kind === "polling" && (number - ds.startBlock) % BigInt(h.filter.every) === 0n;
    });
    if (every) end.push({ dataSource: ds, handler: every });
  }
  return { start, end };
}

/**
 * The log filters that cover every event handler of the given data sources: one per distinct address (null = any
 * address), each with the topic0s to fetch.
 */
export function logFilters(dataSources: readonly ActiveDataSource[]): LogFilter[] {
  const byAddress = new Map<string | null, LogFilter>();
  for (const ds of dataSources) {
    if (ds.mapping.eventHandlers.length === 0) continue;
    let filter = byAddress.get(ds.address);
    if (!filter) {
      filter = { address: ds.address, topic0s: [], fromBlock: ds.startBlock };
      byAddress.set(ds.address, filter);
    }
    if (ds.startBlock < filter.fromBlock) filter.fromBlock = ds.startBlock;
    for (const h of ds.mapping.eventHandlers) if (!filter.topic0s.includes(h.topic0)) filter.topic0s.push(h.topic0);
  }
  return [...byAddress.values()];
}

/** Whether any active data source has block handlers (the follower then needs every block, not only those with logs). */
export function needsEveryBlock(dataSources: readonly ActiveDataSource[]): boolean {
  return dataSources.some((ds) => ds.mapping.blockHandlers.length > 0);
}
