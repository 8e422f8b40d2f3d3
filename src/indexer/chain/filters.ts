/**
 * The set of log filters a block stream follows: the manifest's data sources from their start, plus data sources
 * created at runtime from the block that created them. Turns them into few eth_getLogs queries (one per group of
 * identical topic0 sets, addresses merged) and decides, per log, whether it matches and needs its receipt.
 */
import type { Log } from "./types.ts";
import type { LogQuery } from "./rpc.ts";

/** Logs of any of `addresses` whose topic0 is any of `topic0s`. */
export interface LogFilter {
  /** Contract addresses, any case. Empty: logs of every contract. */
  addresses: string[];
  /** Event signature hashes (keccak256 of the event signature). Empty: every event. */
  topic0s: string[];
  /** Those topic0s whose handler declares `receipt: true`: their logs come with the transaction receipt. */
  receiptTopic0s?: string[];
}

interface Entry {
  /** Lowercase address, or null for any address. */
  address: string | null;
  /** Lowercase topic0s, or null for any event. */
  topic0s: Set<string> | null;
  receiptTopic0s: Set<string>;
  /** First block the entry applies to. */
  fromBlock: number;
}

/** Addresses per eth_getLogs query; providers reject very long address lists. */
const MAX_ADDRESSES_PER_QUERY = 500;

/** A growing set of filters, each effective from a block. */
export class FilterSet {
  private readonly entries: Entry[] = [];
  private readonly byAddress = new Map<string | null, Entry[]>();
  /** Bumped on every add, so a stream can tell its prefetched data is stale. */
  version = 0;

  constructor(filters: LogFilter[] = [], fromBlock = 0) {
    for (const filter of filters) this.add(filter, fromBlock);
  }

  /** Adds `filter`, effective for blocks >= fromBlock. */
  add(filter: LogFilter, fromBlock: number): void {
    const topic0s = filter.topic0s.length === 0 ? null : new Set(filter.topic0s.map((t) => t.toLowerCase()));
    const receiptTopic0s = new Set((filter.receiptTopic0s ?? []).map((t) => t.toLowerCase()));
    const addresses = filter.addresses.length === 0 ? [null] : [...new Set(filter.addresses.map((a) => a.toLowerCase()))];
    for (const address of addresses) {
      const entry: Entry = { address, topic0s, receiptTopic0s, fromBlock };
      this.entries.push(entry);
      const list = this.byAddress.get(address) ?? [];
      list.push(entry);
      this.byAddress.set(address, list);
    }
    this.version++;
  }

  /** Whether no filter applies to any block. */
  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** The eth_getLogs queries covering every entry active somewhere in [from, to]. */
  queries(from: number, to: number): LogQuery[] {
    const groups = new Map<string, { topic0s: string[] | null; addresses: Set<string> | null }>();
    for (const entry of this.entries) {
      if (entry.fromBlock > to) continue;
      const topic0s = entry.topic0s ? [...entry.topic0s].sort() : null;
      const key = `${topic0s ? topic0s.join(",") : "*"}|${entry.address === null ? "any" : "some"}`;
      let group = groups.get(key);
      if (!group) {
        group = { topic0s, addresses: entry.address === null ? null : new Set() };
        groups.set(key, group);
      }
      if (entry.address !== null) group.addresses?.add(entry.address);
    }
    const queries: LogQuery[] = [];
    for (const group of groups.values()) {
      const topics = group.topic0s ? [group.topic0s] : undefined;
      if (group.addresses === null) {
        queries.push({ fromBlock: from, toBlock: to, ...(topics ? { topics } : {}) });
        continue;
      }
      const addresses = [...group.addresses].sort();
      for (let i = 0; i < addresses.length; i += MAX_ADDRESSES_PER_QUERY) {
        queries.push({ fromBlock: from, toBlock: to, address: addresses.slice(i, i + MAX_ADDRESSES_PER_QUERY), ...(topics ? { topics } : {}) });
      }
    }
    return queries;
  }

  /** Whether `log` matches an entry effective at its block. */
  matches(log: Log): boolean {
    return this.matching(log) !== undefined;
  }

  /** Whether a handler of `log` asks for its receipt. */
  needsReceipt(log: Log): boolean {
    const topic0 = log.topics[0];
    if (topic0 === undefined) return false;
    const block = Number(log.blockNumber);
    for (const entry of this.candidates(log.address)) {
      if (entry.fromBlock <= block && topicMatches(entry, topic0) && entry.receiptTopic0s.has(topic0)) return true;
    }
    return false;
  }

  private matching(log: Log): Entry | undefined {
    const block = Number(log.blockNumber);
    const topic0 = log.topics[0];
    for (const entry of this.candidates(log.address)) {
      if (entry.fromBlock <= block && (entry.topic0s === null || (topic0 !== undefined && entry.topic0s.has(topic0)))) {
        return entry;
      }
    }
    return undefined;
  }

  private *candidates(address: string): Iterable<Entry> {
    yield* this.byAddress.get(address.toLowerCase()) ?? [];
    yield* this.byAddress.get(null) ?? [];
  }
}

function topicMatches(entry: Entry, topic0: string): boolean {
  return entry.topic0s === null || entry.topic0s.has(topic0);
}
