/**
 * The HostStore handlers see: the writes of the block being indexed, over the writes of committed blocks the store
 * does not hold yet, over a bounded cache of entities read from the store (graph-node's entity cache and its
 * GRAPH_ENTITY_CACHE_SIZE). Handlers read synchronously, so a read the cache cannot answer goes to the store through a
 * synchronous EntitySource. Without a source, every committed entity stays in memory (unit tests, matchstick).
 *
 * The indexing loop, per block: beginBlock(), the triggers, then either changes() (to the store, later) and
 * commitBlock(), or discardBlock() when a handler failed. To store the committed blocks: beginStore() when their
 * changes go to the store, markStored() once the store has committed them — blocks processed meanwhile stay here.
 */
import type { Entity, Value } from "../values.ts";
import type { SubgraphSchema } from "../schema/schema.ts";
import type { EntityChange, EntitySource } from "../store/types.ts";
import type { HostStore } from "./types.ts";
import { entitiesEqual, idString } from "./entity.ts";
import { entityGasSize } from "./host/gas.ts";
import type { EntityIdFilter } from "./id-filter.ts";

/** graph-node's default GRAPH_ENTITY_CACHE_SIZE: 10 000 KB (graph/src/env/mappings.rs). */
export const DEFAULT_ENTITY_CACHE_BYTES = 10_000 * 1000;

/** What an entry of the bounded cache costs besides its entity and its ids (the entry, its map and CLOCK set slots). */
const ENTRY_BYTES = 64;

type Table = Map<string, Entity | null>;
/** An entity read from the source (null: it has none), and what it costs the cache. */
interface CacheEntry {
  entityType: string;
  id: string;
  entity: Entity | null;
  bytes: number;
  /** Looked up since the CLOCK hand last passed it. */
  used: boolean;
}
/** Writes by entity type. */
type Writes = Map<string, Table>;
/** The committed blocks' writes handed to the store by beginStore(). */
export type StoreBatch = Readonly<Writes>;

function references(value: Value | undefined, id: string): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some((v) => references(v, id));
  return idString(value) === id;
}

export interface EntityCacheOptions {
  /** Where committed entities are read from when the cache does not hold them (the store). */
  source?: Pick<EntitySource, "get" | "referencing">;
  /** Entities read from the source are kept up to this size (entity sizes as gas sizes them). */
  maxBytes?: number;
  /**
   * Every id the source holds (and possibly others): an id it does not have is known absent without a read. The
   * cache adds the ids of the entities it commits.
   */
  ids?: EntityIdFilter;
}

/**
 * Entity state for the WASM host.
 *
 * @example
 * const cache = new EntityCache(manifest.schema, { source: store.openEntitySource() });
 * cache.beginBlock();
 * runtime.runTrigger(trigger, cache);
 * const changes = cache.changes();
 * cache.commitBlock();
 * const batch = cache.beginStore();
 * await store.commitBlock(ptr, changes);
 * cache.markStored(batch);
 */
export class EntityCache implements HostStore {
  /** This block's writes: the full entity, or null for a removal. */
  private readonly pending: Writes = new Map();
  /**
   * What committed() answered since beginBlock(): the committed state does not change before commitBlock(), and a
   * write looks its entity up several times (store.get, set's merge, the immutability check, changes()). Null outside
   * a block, where what is read is held only by the bounded cache.
   */
  private before: Writes | null = null;
  /**
   * The newest committed write of each entity the store does not hold yet (blocks not handed to the store, or being
   * stored): one lookup answers for all of them. Without a source, every committed entity.
   */
  private readonly unstored: Writes = new Map();
  /** With a source: the writes of the committed blocks not handed to the store yet (the next batch). */
  private batch: Writes = new Map();
  /** Batches being stored (beginStore() without markStored() yet), oldest first. */
  private readonly storing: Writes[] = [];
  /**
   * Entities read from the source (null: it has none) or stored, in the order of a CLOCK (second-chance) approximation
   * of least recently used: a hit only marks its entry used, and eviction moves a used entry to the end once instead of
   * dropping it. Moving every hit to the end of a Map this size cost more than the lookup itself.
   */
  private readonly clock = new Set<CacheEntry>();
  /** The same entries by entity type, then id: a lookup needs no key built from the two. */
  private readonly recent = new Map<string, Map<string, CacheEntry>>();
  private recentBytes = 0;
  private readonly source: Pick<EntitySource, "get" | "referencing"> | null;
  private readonly maxBytes: number;
  private readonly ids: EntityIdFilter | null;
  /** This block's sequence for generated (`"auto"` and timeseries) ids. */
  private idSeq = 0;
  /** Gas sizes of this block's writes. */
  private writtenBytes = 0;

  constructor(
    readonly schema: SubgraphSchema,
    options: EntityCacheOptions = {},
  ) {
    this.source = options.source ?? null;
    this.maxBytes = options.maxBytes ?? DEFAULT_ENTITY_CACHE_BYTES;
    this.ids = options.ids ?? null;
  }

  /** Starts a block. Throws if the previous block was neither committed nor discarded. */
  beginBlock(): void {
    if (this.hasPendingWrites()) {
      throw new Error("EntityCache.beginBlock: the previous block has uncommitted writes; call commitBlock() or discardBlock() first");
    }
    this.resetBlock();
    this.before = new Map();
  }

  /** Next number of this block's generated-id sequence (reset by beginBlock). */
  nextIdSeq(): number {
    return this.idSeq++;
  }

  /** Whether the current block has written anything (including writes that change nothing). */
  hasPendingWrites(): boolean {
    for (const table of this.pending.values()) if (table.size > 0) return true;
    return false;
  }

  get(entityType: string, id: string): Entity | null {
    const written = this.pending.get(entityType)?.get(id);
    return written !== undefined ? written : this.committed(entityType, id);
  }

  getInBlock(entityType: string, id: string): Entity | null {
    return this.pending.get(entityType)?.get(id) ?? null;
  }

  set(entityType: string, id: string, data: Entity, gasSize = entityGasSize(data)): void {
    tableOf(this.pending, entityType).set(id, data);
    this.writtenBytes += gasSize;
  }

  /** This block's writes so far, entities sized as gas sizes them (a bound for what waits to be stored). */
  get blockBytes(): number {
    return this.writtenBytes;
  }

  remove(entityType: string, id: string): void {
    tableOf(this.pending, entityType).set(id, null);
  }

  existedBeforeBlock(entityType: string, id: string): boolean {
    return this.committed(entityType, id) !== null;
  }

  findReferencing(entityType: string, field: string, id: string): Entity[] {
    const written = new Map([...(this.unstored.get(entityType) ?? []), ...(this.pending.get(entityType) ?? [])]);
    // The source's versions of entities written since are out of date; the newer versions are looked at below.
    const out = (this.source?.referencing(entityType, field, id) ?? []).filter((entity) => !written.has(idString(entity.id!)));
    for (const entity of written.values()) if (entity !== null && references(entity[field], id)) out.push(entity);
    return out;
  }

  /**
   * This block's changes against the last committed state, one per entity, sorted by entity type and id: the full
   * entity after the block, or null for a removal. Writes that leave an entity as it was, and removals of entities
   * that did not exist, are dropped.
   */
  changes(): EntityChange[] {
    const out: EntityChange[] = [];
    for (const entityType of [...this.pending.keys()].sort()) {
      const table = this.pending.get(entityType)!;
      for (const id of [...table.keys()].sort()) {
        const data = table.get(id)!;
        const before = this.committed(entityType, id);
        if (data === null) {
          if (before !== null) out.push({ entityType, id, data: null });
        } else if (before === null || !entitiesEqual(before, data)) {
          out.push({ entityType, id, data });
        }
      }
    }
    return out;
  }

  /** Makes this block's writes the committed state (held here until markStored()). */
  commitBlock(): void {
    for (const [entityType, table] of this.pending) {
      const unstored = tableOf(this.unstored, entityType);
      const batch = this.source === null ? null : tableOf(this.batch, entityType);
      const before = this.before?.get(entityType);
      for (const [id, data] of table) {
        unstored.set(id, data);
        batch?.set(id, data);
        // An entity that existed is in the id filter already.
        if (data !== null && !before?.get(id)) this.ids?.add(entityType, id);
      }
      table.clear();
    }
    this.resetBlock();
  }

  /** Forgets this block's writes (a handler failed: nothing of the block is kept). */
  discardBlock(): void {
    for (const table of this.pending.values()) table.clear();
    this.resetBlock();
  }

  /** Forgets what the block looked up, its id sequence and its size. */
  private resetBlock(): void {
    this.before = null;
    this.idSeq = 0;
    this.writtenBytes = 0;
  }

  /**
   * The committed blocks' writes are going to the store: they stay here until markStored(batch); blocks committed
   * meanwhile form the next batch. Without a source nothing leaves memory (the batch is empty).
   */
  beginStore(): StoreBatch {
    if (this.source === null) return new Map();
    const batch = this.batch;
    this.storing.push(batch);
    this.batch = new Map();
    return batch;
  }

  /**
   * The source now holds `batch` (batches are stored in the order they began): its entities join the bounded cache,
   * and entities beyond its size are dropped, least recently used first (approximately: see `recent`).
   */
  markStored(batch: StoreBatch): void {
    const index = this.storing.indexOf(batch as Writes);
    if (index === -1) return; // empty (no source)
    if (index !== 0) throw new Error("EntityCache.markStored: batches must be stored in the order they began");
    this.storing.shift();
    for (const [entityType, table] of batch) {
      const unstored = this.unstored.get(entityType)!;
      for (const [id, entity] of table) {
        // A later batch's write of the same entity stays until that batch is stored (a removal repeated, null, is
        // the same answer either way).
        if (unstored.get(id) === entity) unstored.delete(id);
        this.remember(entityType, id, entity);
      }
    }
    this.evict();
  }

  /** Number of committed entities of a type held in memory: all of them when the cache has no source. */
  count(entityType: string): number {
    return [...this.entities(entityType)].length;
  }

  /** The committed entities of a type held in memory: all of them when the cache has no source. */
  *entities(entityType: string): IterableIterator<Entity> {
    for (const entity of this.unstored.get(entityType)?.values() ?? []) if (entity !== null) yield entity;
  }

  /** The entity as of the last committed block: held here, or read from the source (and then kept). */
  private committed(entityType: string, id: string): Entity | null {
    if (this.before === null) return this.lookUpCommitted(entityType, id);
    const before = tableOf(this.before, entityType);
    let entity = before.get(id);
    if (entity === undefined) before.set(id, (entity = this.lookUpCommitted(entityType, id)));
    return entity;
  }

  private lookUpCommitted(entityType: string, id: string): Entity | null {
    const written = this.unstored.get(entityType)?.get(id);
    if (written !== undefined) return written;
    if (this.source === null || this.ids?.mayHave(entityType, id) === false) return null;
    const hit = this.recent.get(entityType)?.get(id);
    if (hit) {
      hit.used = true;
      return hit.entity;
    }
    const entity = this.source.get(entityType, id);
    this.remember(entityType, id, entity);
    this.evict();
    return entity;
  }

  private remember(entityType: string, id: string, entity: Entity | null): void {
    const table = tableOf(this.recent, entityType);
    const bytes = ENTRY_BYTES + entityType.length + id.length + (entity === null ? 0 : entityGasSize(entity));
    const old = table.get(id);
    if (old) {
      // Updated where it stands, with a second chance: the CLOCK moves it to the end before evicting it, as it would
      // a new entry, without the entry or the Set's delete and add.
      this.recentBytes += bytes - old.bytes;
      old.entity = entity;
      old.bytes = bytes;
      old.used = true;
      return;
    }
    const entry: CacheEntry = { entityType, id, entity, bytes, used: false };
    table.set(id, entry);
    this.clock.add(entry);
    this.recentBytes += bytes;
  }

  private evict(): void {
    for (const entry of this.clock) {
      if (this.recentBytes <= this.maxBytes) return;
      this.clock.delete(entry);
      if (entry.used) {
        entry.used = false; // a second chance: to the end (the iteration reaches it again)
        this.clock.add(entry);
      } else {
        this.recentBytes -= entry.bytes;
        this.recent.get(entry.entityType)!.delete(entry.id);
      }
    }
  }
}

function tableOf<V>(tables: Map<string, Map<string, V>>, entityType: string): Map<string, V> {
  let table = tables.get(entityType);
  if (!table) tables.set(entityType, (table = new Map()));
  return table;
}
