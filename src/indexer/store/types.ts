/**
 * The store's contract with the rest of the runtime: what the indexing loop commits, what the GraphQL layer asks.
 * Implemented in this folder on PGlite (default, in memory or in a directory) and on PostgreSQL (DATABASE_URL), with
 * the same SQL. Entity versions carry block ranges so that queries at any past block work (graph-node's layout).
 */
import type { Entity, Value } from "../values.ts";
import type { AggregationInterval } from "../schema/aggregation.ts";

/** A block as the store and `_meta` know it. Hashes are lowercase 0x-hex. */
export interface BlockPtr {
  number: number;
  hash: string;
  parentHash: string;
  /** Unix seconds. */
  timestamp: number;
}

/** One entity written (data = full entity after merge) or removed (data = null) in a block. */
export interface EntityChange {
  entityType: string;
  /** The id as a string: ID/String as is, Bytes as lowercase 0x-hex, Int8 as decimal. */
  id: string;
  data: Entity | null;
}

/** A data source a handler created through a template; `data` is the runtime's JSON description of it. */
export interface StoredDataSource {
  /** The block that created it. */
  block: number;
  data: unknown;
}

/** One block's writes: entity changes and data sources created in it, committed with the head move. */
export interface BlockCommit {
  block: BlockPtr;
  changes: EntityChange[];
  dataSources?: StoredDataSource[];
}

/** Why indexing stopped, as `_meta.hasIndexingErrors` and the status report show it. */
export interface IndexingError {
  message: string;
  blockNumber: number;
  blockHash: string;
  handler?: string;
  transactionHash?: string;
}

export interface IndexingStatus {
  /** Latest block whose changes are committed, or null before the first one. */
  head: BlockPtr | null;
  /** Set when a handler failed; indexing does not continue past it. */
  error: IndexingError | null;
}

// ------------------------------------------------------------------ queries

export type CompareOp = "eq" | "not" | "gt" | "lt" | "gte" | "lte" | "in" | "not_in";
export type TextOp = "contains" | "not_contains" | "starts_with" | "not_starts_with" | "ends_with" | "not_ends_with";

/**
 * A `where` argument, already checked against the schema by the GraphQL layer. Field names are schema field names;
 * values use the in-memory representation of values.ts (references as the target's id value).
 */
export type Filter =
  | { kind: "and"; filters: Filter[] }
  | { kind: "or"; filters: Filter[] }
  /** Scalars, enums and references: `field`, `field_not`, `_gt`, `_lt`, `_gte`, `_lte`, `_in` (value is a list), `_not_in`. */
  | { kind: "compare"; field: string; op: CompareOp; value: Value }
  /** Strings (and Bytes for contains/not_contains, as a byte substring): `_contains`, `_starts_with`, … with `_nocase`. */
  | { kind: "text"; field: string; op: TextOp; value: string | Uint8Array; nocase: boolean }
  /** List fields: `_contains` (list holds every given item), `_contains_nocase`, `_not_contains`, `_not_contains_nocase`. */
  | { kind: "list"; field: string; op: "contains" | "not_contains"; value: Value[]; nocase: boolean }
  /**
   * Nested `field_: { … }`: entities whose `field` (a reference, a list of references, or a @derivedFrom field)
   * points at (or is pointed at by) at least one entity of the referenced type matching `filter`, at the same block.
   */
  | { kind: "child"; field: string; filter: Filter }
  /** `_change_block: { number_gte }`: the entity version was written at or after that block. */
  | { kind: "changeBlock"; numberGte: number }
  /**
   * A `@fulltext` field's search: its tsvector matches `to_tsquery(text)` (Postgres' query syntax: `&`, `|`, `!`,
   * `<->`, `:*`), parsed with the database's default text search configuration like graph-node does.
   */
  | { kind: "fulltext"; field: string; text: string };

export interface OrderBy {
  /** A scalar (or enum / reference id) field of the entity. */
  field: string;
  /** For `parent__child` ordering: a scalar field of the single entity `field` refers to. */
  child?: string;
  /**
   * When `field` is a `@fulltext` field: the search text whose rank orders the rows (`ts_rank`, or `ts_rank_cd` for
   * the `proximityRank` algorithm, of the tsvector against `to_tsquery(text)`).
   */
  text?: string;
}

export interface EntityQuery {
  /** Entity type name (interfaces: the union of their implementations). */
  entityType: string;
  /** Answer as of this block number (inclusive). */
  block: number;
  /** For an `@aggregation` type (required there): which interval's buckets. */
  interval?: AggregationInterval;
  /**
   * For an `@aggregation` type: `include` adds the current, open bucket computed from the points not rolled up yet
   * (graph-node `AggregationCurrent`); default `exclude`, closed buckets only.
   */
  current?: "exclude" | "include";
  filter?: Filter;
  /** Default: id. Ties are always broken by id ascending-with-direction like graph-node. */
  orderBy?: OrderBy;
  orderDirection?: "asc" | "desc";
  /** 0..1000; the GraphQL layer enforces graph-node's limit and error. */
  first: number;
  skip: number;
}

/**
 * The entities current at the head, read synchronously: WASM handlers read the store through synchronous host
 * functions. Each read sees what is committed.
 */
export interface EntitySource {
  /** The current version of an entity, or null. */
  get(entityType: string, id: string): Entity | null;
  /** The current entities of `entityType` whose `field` (a reference or a list of references) holds `id`, by id. */
  referencing(entityType: string, field: string, id: string): Entity[];
  /**
   * Runs `work`, which may read, and resolves with its result; reads outside of it may throw (PGlite: one connection
   * for the whole process, held meanwhile so that no other statement interleaves).
   */
  hold<T>(work: () => T): Promise<T>;
  /** Statements run so far (each get or referencing). */
  readonly reads: number;
  close(): Promise<void>;
}

export interface Store {
  /** Creates the tables of the schema if they do not exist yet (idempotent). */
  init(): Promise<void>;
  /** Current head and error. */
  status(): Promise<IndexingStatus>;
  /** Every entity of `entityType` current at head. */
  loadCurrent(entityType: string): Promise<Entity[]>;
  /** The ids of the current entities of `entityType`, in id order, in pages of `pageSize` (default 10 000). */
  currentIds(entityType: string, pageSize?: number): AsyncIterable<Value[]>;
  /** Synchronous reads of the current entities, for the runtime's entity cache; close it before the store. */
  openEntitySource(): EntitySource;
  /**
   * Atomically: applies `changes` as the state at `block` (new versions opened at block.number, earlier versions
   * closed), records the block hash for reorg detection, and moves the head to `block`. Either all of it happens or
   * none of it does.
   */
  commitBlock(block: BlockPtr, changes: EntityChange[]): Promise<void>;
  /**
   * `commitBlock` for several blocks at once (increasing numbers, the first after the head), atomically and in one
   * round trip: for catching up, where each block holds few changes (e.g. one transaction per block on a dev chain).
   */
  commitBlocks(blocks: BlockCommit[]): Promise<void>;
  /** Whether commits found planner statistics due (tables that doubled) that are not refreshed yet. */
  readonly statisticsDue: boolean;
  /**
   * Refreshes the due planner statistics now; commits refresh them on their own only some time after they became
   * due, so that catching up is not held by `analyze`. The indexer calls it once caught up with the chain.
   */
  refreshStatistics(): Promise<void>;
  /** Data sources created through templates, in creation order, as committed with their blocks. */
  loadDataSources(): Promise<StoredDataSource[]>;
  /** The hash recorded for a committed block (for reorg detection), or null if not recorded / pruned. */
  blockHash(number: number): Promise<string | null>;
  /**
   * Atomically undoes every block after `block.number`: deletes versions created after it, reopens the ranges they
   * closed, forgets their block hashes, and moves the head back to `block`.
   */
  revertTo(block: BlockPtr | null): Promise<void>;
  /** Records that indexing failed (head stays at the last good block). */
  setError(error: IndexingError | null): Promise<void>;
  /**
   * Runs a query. Throws a QueryError (store/errors.ts) for invalid input. Entities of an interface query also carry
   * `__typename` (their concrete type's name).
   */
  find(query: EntityQuery): Promise<Entity[]>;
  close(): Promise<void>;
}
