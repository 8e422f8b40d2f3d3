/**
 * The HostStore handlers see: every entity current at the last committed block, held in memory, plus the writes of
 * the block being indexed. The indexing loop loads the current entities once at start-up, then per block calls
 * beginBlock(), runs the triggers, and either commits (changes() to the store, then commitBlock()) or, when a
 * handler failed, discardBlock().
 */
import type { Entity, Value } from "../values.ts";
import type { SubgraphSchema } from "../schema/schema.ts";
import type { EntityChange } from "../store/types.ts";
import type { HostStore } from "./types.ts";
import { entitiesEqual, idString } from "./entity.ts";

type Refs = Map<string, Set<string>>;

/** The referenced id strings in a value (a reference or a list of references). */
function referencedIds(value: Value | undefined): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  return [idString(value)];
}

function references(value: Value | undefined, id: string): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some((v) => references(v, id));
  return idString(value) === id;
}

/**
 * In-memory entity state for the WASM host.
 *
 * @example
 * const cache = new EntityCache(manifest.schema);
 * cache.load("Account", await store.loadCurrent("Account"));
 * cache.beginBlock();
 * runtime.runTrigger(trigger, cache);
 * await store.commitBlock(ptr, cache.changes());
 * cache.commitBlock();
 */
export class EntityCache implements HostStore {
  private readonly current = new Map<string, Map<string, Entity>>();
  /** This block's writes: the full entity, or null for a removal. */
  private readonly pending = new Map<string, Map<string, Entity | null>>();
  /** Reverse-reference indexes over `current`, built on first use: `Type.field` → referenced id → referencing ids. */
  private readonly refIndexes = new Map<string, Refs>();
  /** This block's sequence for generated (`"auto"` and timeseries) ids. */
  private idSeq = 0;

  constructor(readonly schema: SubgraphSchema) {}

  private table<T>(maps: Map<string, Map<string, T>>, entityType: string): Map<string, T> {
    let map = maps.get(entityType);
    if (!map) {
      map = new Map();
      maps.set(entityType, map);
    }
    return map;
  }

  /** Adds entities current at the last committed block (start-up). Ids are derived from each entity's `id`. */
  load(entityType: string, entities: Iterable<Entity>): void {
    if (!this.schema.entities.has(entityType)) throw new Error(`EntityCache.load: unknown entity type ${entityType}`);
    const table = this.table(this.current, entityType);
    for (const entity of entities) {
      const id = idString(entity.id!);
      const previous = table.get(id);
      table.set(id, entity);
      this.reindex(entityType, id, previous ?? null, entity);
    }
  }

  /** Starts a block. Throws if the previous block was neither committed nor discarded. */
  beginBlock(): void {
    if (this.hasPendingWrites()) {
      throw new Error("EntityCache.beginBlock: the previous block has uncommitted writes; call commitBlock() or discardBlock() first");
    }
    this.idSeq = 0;
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
    const table = this.pending.get(entityType);
    if (table !== undefined) {
      const written = table.get(id);
      if (written !== undefined) return written;
    }
    return this.current.get(entityType)?.get(id) ?? null;
  }

  getInBlock(entityType: string, id: string): Entity | null {
    return this.pending.get(entityType)?.get(id) ?? null;
  }

  set(entityType: string, id: string, data: Entity): void {
    this.table(this.pending, entityType).set(id, data);
  }

  remove(entityType: string, id: string): void {
    this.table(this.pending, entityType).set(id, null);
  }

  existedBeforeBlock(entityType: string, id: string): boolean {
    return this.current.get(entityType)?.has(id) ?? false;
  }

  findReferencing(entityType: string, field: string, id: string): Entity[] {
    const out: Entity[] = [];
    const pending = this.pending.get(entityType);
    const refs = this.refIndex(entityType, field).get(id);
    if (refs) {
      const table = this.current.get(entityType)!;
      for (const ref of refs) {
        if (pending?.has(ref)) continue; // its state in this block is looked at below
        out.push(table.get(ref)!);
      }
    }
    if (pending) {
      for (const entity of pending.values()) {
        if (entity !== null && references(entity[field], id)) out.push(entity);
      }
    }
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
      const current = this.current.get(entityType);
      for (const id of [...table.keys()].sort()) {
        const data = table.get(id)!;
        const before = current?.get(id);
        if (data === null) {
          if (before !== undefined) out.push({ entityType, id, data: null });
        } else if (before === undefined || !entitiesEqual(before, data)) {
          out.push({ entityType, id, data });
        }
      }
    }
    return out;
  }

  /** Makes this block's writes the current state. */
  commitBlock(): void {
    for (const [entityType, table] of this.pending) {
      const current = this.table(this.current, entityType);
      for (const [id, data] of table) {
        const before = current.get(id) ?? null;
        if (data === null) current.delete(id);
        else current.set(id, data);
        this.reindex(entityType, id, before, data);
      }
      table.clear();
    }
    this.idSeq = 0;
  }

  /** Forgets this block's writes (a handler failed: nothing of the block is kept). */
  discardBlock(): void {
    for (const table of this.pending.values()) table.clear();
    this.idSeq = 0;
  }

  /** Number of current entities of a type (committed state). */
  count(entityType: string): number {
    return this.current.get(entityType)?.size ?? 0;
  }

  /** The committed entities of a type. */
  entities(entityType: string): IterableIterator<Entity> {
    return (this.current.get(entityType) ?? new Map<string, Entity>()).values();
  }

  private refIndex(entityType: string, field: string): Refs {
    const key = `${entityType}.${field}`;
    let index = this.refIndexes.get(key);
    if (!index) {
      index = new Map();
      for (const [id, entity] of this.current.get(entityType) ?? []) {
        for (const ref of referencedIds(entity[field])) addRef(index, ref, id);
      }
      this.refIndexes.set(key, index);
    }
    return index;
  }

  private reindex(entityType: string, id: string, before: Entity | null, after: Entity | null): void {
    if (this.refIndexes.size === 0) return;
    const prefix = `${entityType}.`;
    for (const [key, index] of this.refIndexes) {
      if (!key.startsWith(prefix)) continue;
      const field = key.slice(prefix.length);
      const old = before ? referencedIds(before[field]) : [];
      const now = after ? referencedIds(after[field]) : [];
      for (const ref of old) if (!now.includes(ref)) index.get(ref)?.delete(id);
      for (const ref of now) addRef(index, ref, id);
    }
  }
}

function addRef(index: Refs, ref: string, id: string): void {
  let set = index.get(ref);
  if (!set) {
    set = new Set();
    index.set(ref, set);
  }
  set.add(id);
}
