/**
 * Loads every entity a query needs, one store query per field per level (graph-node's `graphql/src/store/prefetch.rs`).
 *
 * Fields are loaded level by level; for a field selected on N parents, the children of all N parents are fetched
 * together:
 * - a single reference (`dataset`): `id in [ids of all parents]`, merged with the other lookups of the same entity type
 *   on that level and answered from a per-request entity cache when the entities were already loaded;
 * - a list of references (`datasetVersions`): `id in [all ids of all parents' lists]` and the field's `where`;
 * - a `@derivedFrom` field (`versions`): `<backref> in [parent ids]` (or `<backref>_contains` for list backrefs) and the
 *   field's `where`.
 * The rows come back in the field's order (`orderBy`/`orderDirection`, ties by id) and are then split per parent, with
 * `skip`/`first` applied per parent like graph-node's window queries. With one parent the range is pushed to the store.
 * Interfaces are queried as such; the store returns each row's concrete type. A root `@fulltext` field is a query of
 * its entity type filtered by the search (and `where`) and ordered by rank.
 *
 * A request loading alone runs up to {@link QUERIES_IN_FLIGHT} store queries at a time (the independent fields of one
 * level), and one at a time while others load too, each after checking the request's {@link QueryBudget} (deadline);
 * the rows it loaded and the links between parents and children count against the budget's bytes. So a request stops
 * loading as soon as it runs out of either: the queries in flight may finish, no other starts. graph-node runs them
 * one after the other; here, where each costs a round trip to another thread or to PostgreSQL, overlapping them took
 * the lineage query 10–16 % less time and an upward audit walk over PGlite 35–45 % (docs/indexer-scale.md, "A
 * request's store queries overlap").
 */
import pLimit from "p-limit";
import type { EntityType, FieldDef, SubgraphSchema } from "../schema/schema.ts";
import type { EntityQuery, Filter, OrderBy, Store } from "../store/types.ts";
import { ChildFilterNestingError, FulltextSyntaxError } from "../store/errors.ts";
import { TYPENAME } from "../store/query.ts";
import { bytesToHex, type Entity, type Value } from "../values.ts";
import { EventLoopTurns } from "../event-loop.ts";
import { entitiesMemory, type QueryBudget } from "./budget.ts";
import { QueryErrors, QueryExecutionError } from "./errors.ts";
import type { PreparedField, SelectionSet } from "./prepare.ts";
import type { QueryLimits } from "./limits.ts";
import { buildFilter, buildFulltextSearch, buildOrder, buildRange, idFromString, queryTarget, withInterval, type QueryTarget } from "./query-args.ts";

/** An entity in the prefetched result tree, with its children per response key. */
export interface Node {
  typename: string;
  entity: Entity;
  children: Map<string, Node[]>;
}

/** Everything prefetching needs for one block. */
export interface PrefetchContext {
  store: Store;
  schema: SubgraphSchema;
  /** The block number passed to the store; -1 when nothing was ever committed (every query is empty). */
  block: number;
  /** Entities loaded in this request, by type and id key (valid for {@link block}). */
  cache: Map<string, Map<string, Entity>>;
  /** Number of store queries issued (for tests and benchmarks). */
  queries: number;
  /** The request's deadline and bytes. */
  budget: QueryBudget;
  /** The largest `first` and `skip` accepted. */
  limits: Pick<QueryLimits, "maxFirst" | "maxSkip">;
  /** Runs the request's store queries, a few at a time when it loads alone. */
  queue: StoreQueue;
}

/**
 * Store queries a request loading alone runs at a time. The PostgreSQL pool has 4 connections, so it leaves one for
 * the indexer's commits; the PGlite thread runs them in turn, and the next one is already waiting when one ends. While
 * other requests load, each runs one at a time: a light query then waits behind one statement of each heavy query
 * rather than three (bench:query's `_meta` during its attacks: p50 30 ms instead of 6 when every request ran three).
 */
const QUERIES_IN_FLIGHT = 3;

/** How long a request's store queries may run before letting other requests in. */
const YIELD_AFTER_MS = 2;

/**
 * Runs tasks in the order they were handed in, {@link QUERIES_IN_FLIGHT} at a time while `alone()` holds and one at a
 * time otherwise, letting other requests in (a turn of the event loop) once the request has run
 * {@link YIELD_AFTER_MS} without one: an in-process store answers without ever returning to the event loop, so a
 * request with many store queries would otherwise hold it until it is done.
 */
export class StoreQueue {
  private readonly limit = pLimit(1);
  private readonly turns = new EventLoopTurns(YIELD_AFTER_MS);

  /** @param alone Whether the request is the only one loading now (asked as each task is handed in). */
  constructor(private readonly alone: () => boolean) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    const concurrency = this.alone() ? QUERIES_IN_FLIGHT : 1;
    if (this.limit.concurrency !== concurrency) this.limit.concurrency = concurrency; // each set queues a microtask
    return this.limit(async () => {
      await this.turns.take();
      return task();
    });
  }
}

/** Heap bytes counted per link between a parent and a child (a reference in a children list). */
const LINK_BYTES = 8;

/** The largest page requested from the store (graph-node's own `first` limit). */
const PAGE = 1000;

/** A string key for an id value (string, bytes or Int8). */
export function idKey(value: Value): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return bytesToHex(value);
  return String(value);
}

const entityOf = (schema: SubgraphSchema, name: string): EntityType => {
  const entity = schema.entities.get(name);
  if (!entity) throw QueryErrors.internal(`the type \`${name}\` is not an object type`);
  return entity;
};

/** Wraps anything the store throws as graph-node's "Store error". */
function storeError(error: unknown): QueryExecutionError {
  if (error instanceof QueryExecutionError) return error;
  // graph-node turns this store error into a query error of the same text (graph/src/data/query/error.rs).
  if (error instanceof ChildFilterNestingError) return QueryErrors.childFilterNesting(error.message);
  if (error instanceof FulltextSyntaxError) return QueryErrors.fulltextSyntax(error.details ?? error.message);
  const message = error instanceof Error ? error.message : String(error);
  return QueryErrors.store(message, error);
}

/** Runs one store query once the request's earlier ones are done, within the request's budget. */
function find(ctx: PrefetchContext, query: EntityQuery): Promise<Entity[]> {
  if (query.block < 0) return Promise.resolve([]);
  return ctx.queue.run(async () => {
    ctx.budget.check();
    ctx.queries++;
    let rows: Entity[];
    try {
      rows = await ctx.store.find(query);
    } catch (error) {
      throw storeError(error);
    }
    ctx.budget.spend(entitiesMemory(rows));
    return rows;
  });
}

/** All rows matching a query, page by page. */
async function findAll(ctx: PrefetchContext, query: Omit<EntityQuery, "first" | "skip">): Promise<Entity[]> {
  const rows: Entity[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await find(ctx, { ...query, first: PAGE, skip });
    rows.push(...page);
    if (page.length < PAGE) return rows;
  }
}

/** A typed row: the entity and the concrete type it came from. */
interface Row {
  typename: string;
  entity: Entity;
}

/**
 * Finds rows of `target` (an entity type or an interface) matching `filter`, in the requested order, with an optional
 * range (else every matching row). Interface rows carry their concrete type under the store's `__typename` key. Every
 * row is remembered in the request's entity cache.
 */
async function findTarget(
  ctx: PrefetchContext,
  target: QueryTarget,
  filter: Filter | undefined,
  order: { orderBy?: OrderBy; orderDirection: "asc" | "desc" },
  range: { first: number; skip: number } | null,
): Promise<Row[]> {
  const query = { entityType: target.name, block: ctx.block, interval: target.interval, current: target.current, filter, orderBy: order.orderBy, orderDirection: order.orderDirection };
  const entities = range ? await find(ctx, { ...query, ...range }) : await findAll(ctx, query);
  return entities.map((entity) => {
    const typename = target.isInterface ? String(entity[TYPENAME]) : target.name;
    let byId = ctx.cache.get(typename);
    if (!byId) ctx.cache.set(typename, (byId = new Map()));
    byId.set(idKey(entity.id ?? null), entity);
    return { typename, entity };
  });
}

const and = (a: Filter, b: Filter | undefined): Filter => (b ? { kind: "and", filters: [a, b] } : a);

/** Converts rows into nodes, one node per distinct entity. */
function nodesOf(rows: Row[]): { nodes: Node[]; byKey: Map<string, Node> } {
  const byKey = new Map<string, Node>();
  const nodes: Node[] = [];
  for (const row of rows) {
    const key = `${row.typename}\u0000${idKey(row.entity.id ?? null)}`;
    let node = byKey.get(key);
    if (!node) {
      node = { typename: row.typename, entity: row.entity, children: new Map() };
      byKey.set(key, node);
      nodes.push(node);
    }
  }
  return { nodes, byKey };
}

/**
 * Single-reference lookups of one level, merged: every field that needs entities of type T by id registers its ids,
 * then {@link flush} loads all of them that are not cached yet with one `id in [...]` query per type.
 */
class ReferenceBatch {
  private readonly wanted = new Map<string, Map<string, Value>>();
  private readonly waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushed = false;

  constructor(private readonly ctx: PrefetchContext) {}

  /** Resolves once the entities with `ids` of `typeName` are in the request's cache (or known not to exist). */
  load(typeName: string, ids: ReadonlyMap<string, Value>): Promise<void> {
    if (this.flushed) {
      // Too late to join the level's batch (not expected): look the ids up on their own.
      const late = new ReferenceBatch(this.ctx);
      const done = late.load(typeName, ids);
      void late.flush();
      return done;
    }
    let wanted = this.wanted.get(typeName);
    if (!wanted) this.wanted.set(typeName, (wanted = new Map()));
    const cached = this.ctx.cache.get(typeName);
    for (const [key, id] of ids) if (!cached?.has(key)) wanted.set(key, id);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Runs the merged lookups and releases every waiting field. */
  async flush(): Promise<void> {
    this.flushed = true;
    try {
      await Promise.all(
        [...this.wanted].map(async ([typeName, ids]) => {
          if (ids.size === 0) return;
          const target = queryTarget(this.ctx.schema, typeName)!;
          await findTarget(this.ctx, target, { kind: "compare", field: "id", op: "in", value: [...ids.values()] }, { orderDirection: "asc" }, null);
        }),
      );
      for (const waiter of this.waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of this.waiters) waiter.reject(error);
    }
  }
}

/** Lexicographic order of positions in the query, to report errors in graph-node's (depth-first) order. */
function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Loads every entity the interior fields of `selection` need below `root`, level by level: all fields of one depth
 * run together (single-reference lookups of a type merged into one query), then their children's fields, and so on.
 * Errors of all fields are collected like graph-node does, and a failed field's subtree is not loaded.
 *
 * @throws QueryExecutionError[] when any field failed.
 */
export async function prefetch(
  ctx: PrefetchContext,
  root: Node,
  selection: SelectionSet,
  fieldTypes: ReadonlyMap<string, string>,
): Promise<void> {
  type Level = { parents: Node[]; selection: SelectionSet; root: boolean; position: number[] };
  let level: Level[] = [{ parents: [root], selection, root: true, position: [] }];
  const failures: { position: number[]; errors: QueryExecutionError[] }[] = [];
  while (level.length > 0) {
    ctx.budget.check();
    const batch = new ReferenceBatch(ctx);
    const tasks: Promise<Level | null>[] = [];
    for (const entry of level) {
      let index = 0;
      for (const { typeName, fields } of entry.selection.items) {
        const matching = entry.root ? entry.parents : entry.parents.filter((p) => p.typename === typeName);
        for (const field of fields) {
          const position = [...entry.position, index++];
          if (matching.length === 0 || field.selection.isEmpty) continue;
          tasks.push(
            loadField(ctx, batch, matching, typeName, field, entry.root ? fieldTypes : null).then(
              (children) => ({ parents: children, selection: field.selection, root: false, position }),
              (error: unknown) => {
                const errors = Array.isArray(error) ? (error as unknown[]) : [error];
                failures.push({ position, errors: errors.map(storeError) });
                return null;
              },
            ),
          );
        }
      }
    }
    // Every field above has registered its reference lookups synchronously; run them now.
    await batch.flush();
    level = (await Promise.all(tasks)).filter((next): next is Level => next !== null && next.parents.length > 0);
    // Out of time or bytes: that one error is the answer (the other fields stopped because of it).
    if (ctx.budget.failure) throw [ctx.budget.failure];
  }
  if (failures.length > 0) {
    failures.sort((a, b) => comparePositions(a.position, b.position));
    throw failures.flatMap((failure) => failure.errors);
  }
}

/** Fetches one field's children for all parents and attaches them; returns the distinct children. */
async function loadField(
  ctx: PrefetchContext,
  batch: ReferenceBatch,
  parents: Node[],
  parentType: string,
  field: PreparedField,
  fieldTypes: ReadonlyMap<string, string> | null,
): Promise<Node[]> {
  let perParent: Map<Node, Node[]>;
  if (fieldTypes) {
    const nodes = await fetchRoot(ctx, field, fieldTypes);
    perParent = new Map(parents.map((parent) => [parent, nodes]));
  } else {
    perParent = await fetchNested(ctx, batch, parents, parentType, field);
  }
  const unique = new Set<Node>();
  let links = 0;
  for (const parent of parents) {
    const children = perParent.get(parent) ?? [];
    parent.children.set(field.responseKey, children);
    links += children.length;
    for (const child of children) unique.add(child);
  }
  ctx.budget.spend(links * LINK_BYTES);
  return [...unique];
}

/** A root field: `things(…)` or `thing(id: …)`. */
async function fetchRoot(
  ctx: PrefetchContext,
  field: PreparedField,
  fieldTypes: ReadonlyMap<string, string>,
): Promise<Node[]> {
  const typeName = fieldTypes.get(field.name);
  const found = typeName ? queryTarget(ctx.schema, typeName) : undefined;
  if (!found) throw QueryErrors.internal(`no entity type for query field \`${field.name}\``);
  const target = withInterval(found, field.args);
  const range = buildRange(field.args, ctx.limits);
  const where = buildFilter(ctx.schema, target, field.args);
  if (ctx.schema.fulltext.has(field.name)) {
    const search = buildFulltextSearch(field.name, field.args);
    const filter: Filter = where ? { kind: "and", filters: [search.filter, where] } : search.filter;
    return nodesOf(await findTarget(ctx, target, filter, search.order, range)).nodes;
  }
  const order = buildOrder(ctx.schema, target, field.args);
  const id = field.args.get("id");
  let rows: Row[];
  if (typeof id === "string") {
    const idValue = idFromString(ctx.schema, target.name, id);
    rows = await findTarget(ctx, target, and({ kind: "compare", field: "id", op: "eq", value: idValue }, where), { orderDirection: "asc" }, range);
  } else {
    rows = await findTarget(ctx, target, where, order, range);
  }
  return nodesOf(rows).nodes;
}

/** A field of an entity: a reference, a list of references or a derived field. */
async function fetchNested(
  ctx: PrefetchContext,
  batch: ReferenceBatch,
  parents: Node[],
  parentType: string,
  field: PreparedField,
): Promise<Map<Node, Node[]>> {
  const def: FieldDef | undefined = entityOf(ctx.schema, parentType).fieldsByName.get(field.name);
  const target = def ? queryTarget(ctx.schema, def.type.name) : undefined;
  if (!def || !target) throw QueryErrors.internal(`\`${parentType}.${field.name}\` is not an entity field`);
  const isList = def.type.list !== undefined;
  const order = isList ? buildOrder(ctx.schema, target, field.args) : { orderDirection: "asc" as const };
  const range = buildRange(field.args, ctx.limits);
  const where = buildFilter(ctx.schema, target, field.args);
  const result = new Map<Node, Node[]>();

  if (def.derivedFrom !== undefined) {
    const backref = def.derivedFrom;
    const parentIds = new Map<string, Value>();
    for (const parent of parents) parentIds.set(idKey(parent.entity.id ?? null), parent.entity.id ?? null);
    const ids = [...parentIds.values()];
    // Implementations of an interface declare the back reference alike; the first one tells whether it is a list.
    const backField = entityOf(ctx.schema, target.objectTypes[0] ?? target.name).fieldsByName.get(backref);
    const link: Filter = backField?.type.list
      ? { kind: "or", filters: ids.map((id) => ({ kind: "list", field: backref, op: "contains", value: [id], nocase: false })) }
      : { kind: "compare", field: backref, op: "in", value: ids };
    const pushDown = parents.length === 1 && isList;
    const rows = await findTarget(ctx, target, and(link, where), order, pushDown ? range : null);
    const { byKey } = nodesOf(rows);
    const byParent = new Map<string, Node[]>();
    for (const row of rows) {
      const node = byKey.get(`${row.typename}\u0000${idKey(row.entity.id ?? null)}`)!;
      const back = row.entity[backref];
      const keys = Array.isArray(back) ? back.map(idKey) : back === null || back === undefined ? [] : [idKey(back)];
      for (const key of new Set(keys)) {
        if (!parentIds.has(key)) continue;
        let list = byParent.get(key);
        if (!list) byParent.set(key, (list = []));
        list.push(node);
      }
    }
    for (const parent of parents) {
      const children = byParent.get(idKey(parent.entity.id ?? null)) ?? [];
      result.set(parent, pushDown ? children : children.slice(range.skip, range.skip + range.first));
    }
    return result;
  }

  if (isList) {
    const wanted = new Map<string, Value>();
    const parentSets = new Map<Node, Set<string>>();
    for (const parent of parents) {
      const list = parent.entity[field.name];
      const keys = new Set<string>();
      if (Array.isArray(list)) {
        for (const id of list) {
          if (id === null) continue;
          keys.add(idKey(id));
          wanted.set(idKey(id), id);
        }
      }
      parentSets.set(parent, keys);
    }
    if (wanted.size === 0) {
      for (const parent of parents) result.set(parent, []);
      return result;
    }
    const link: Filter = { kind: "compare", field: "id", op: "in", value: [...wanted.values()] };
    const pushDown = parents.length === 1;
    const rows = await findTarget(ctx, target, and(link, where), order, pushDown ? range : null);
    const { byKey } = nodesOf(rows);
    for (const parent of parents) {
      const keys = parentSets.get(parent)!;
      const children: Node[] = [];
      for (const row of rows) {
        if (keys.has(idKey(row.entity.id ?? null))) children.push(byKey.get(`${row.typename}\u0000${idKey(row.entity.id ?? null)}`)!);
      }
      result.set(parent, pushDown ? children : children.slice(range.skip, range.skip + range.first));
    }
    return result;
  }

  // A single reference: entities already loaded in this request are reused; the rest of a level's lookups of the
  // same type are merged into one query.
  const wanted = new Map<string, Value>();
  for (const parent of parents) {
    const id = parent.entity[field.name];
    if (id !== null && id !== undefined && !Array.isArray(id)) wanted.set(idKey(id), id);
  }
  const found = new Map<string, Row>();
  if (!target.isInterface) {
    await batch.load(target.name, wanted);
    const cached = ctx.cache.get(target.name);
    for (const key of wanted.keys()) {
      const entity = cached?.get(key);
      if (entity) found.set(key, { typename: target.name, entity });
    }
  } else if (wanted.size > 0) {
    const link: Filter = { kind: "compare", field: "id", op: "in", value: [...wanted.values()] };
    const rows = await findTarget(ctx, target, and(link, where), { orderDirection: "asc" }, null);
    for (const row of rows) found.set(idKey(row.entity.id ?? null), row);
  }
  const nodes = new Map<string, Node>();
  for (const parent of parents) {
    const id = parent.entity[field.name];
    const key = id === null || id === undefined || Array.isArray(id) ? undefined : idKey(id);
    const row = key === undefined ? undefined : found.get(key);
    if (!row || key === undefined) {
      result.set(parent, []);
      continue;
    }
    let node = nodes.get(key);
    if (!node) nodes.set(key, (node = { typename: row.typename, entity: row.entity, children: new Map() }));
    result.set(parent, [node]);
  }
  return result;
}
