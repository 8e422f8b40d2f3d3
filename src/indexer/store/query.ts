/**
 * `find` and `loadCurrent`: builds the SELECT for an EntityQuery, runs it, and decodes rows into entities.
 *
 * A concrete type is one statement. An interface is two steps, like graph-node: a `union all` over the
 * implementations picks the page of (type, vid) pairs in order, then each type's rows of that page are loaded.
 */
import { AGGREGATION_INTERVALS } from "../schema/aggregation.ts";
import type { Entity, Value } from "../values.ts";
import { decodeValue, selectExpression } from "./codec.ts";
import { BLOCK_NUMBER_MAX } from "./ddl.ts";
import { QueryError } from "./errors.ts";
import type { SqlParam, SqlRow, SqlRunner } from "./executor.ts";
import { compileFilter, type FilterContext } from "./filter.ts";
import { tablesFor, type Layout, type TableLayout } from "./layout.ts";
import { compileSortKey } from "./order.ts";
import { selectCurrentBucket } from "./rollup.ts";
import { atBlock, SqlBuilder } from "./sql-builder.ts";
import type { EntityQuery, Filter } from "./types.ts";

/** Key under which entities from an interface query carry their concrete type. */
export const TYPENAME = "__typename";

function selectList(table: TableLayout, alias: string): string {
  return table.columns.map((column, i) => `${selectExpression(column, alias)} as "c${i}"`).join(", ");
}

/** Turns a row selected with `selectList` into an entity (fields in schema order; null for absent values). */
function decodeRow(table: TableLayout, row: Record<string, unknown>): Entity {
  const entity: Entity = {};
  table.columns.forEach((column, i) => {
    entity[column.field.name] = decodeValue(column, row[`c${i}`]);
  });
  return entity;
}

function checkInteger(value: unknown, name: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    throw new QueryError(`\`${name}\` must be an integer between 0 and ${max}, got ${String(value)}`);
  }
  return value;
}

/** Runs an EntityQuery. Throws QueryError for an unknown type or field, or a filter that does not fit. */
export async function findEntities(db: SqlRunner, layout: Layout, query: EntityQuery): Promise<Entity[]> {
  const tables = tablesFor(layout, query.entityType, query.interval);
  if (!tables) {
    if (layout.aggregationTables.has(query.entityType)) {
      throw new QueryError(`Aggregation \`${query.entityType}\` has no interval \`${String(query.interval)}\``);
    }
    throw new QueryError(`Unknown entity type \`${query.entityType}\``);
  }
  const block = checkInteger(query.block, "block", BLOCK_NUMBER_MAX);
  const first = checkInteger(query.first, "first", Number.MAX_SAFE_INTEGER);
  const skip = checkInteger(query.skip, "skip", Number.MAX_SAFE_INTEGER);
  const direction = query.orderDirection ?? "asc";
  if (direction !== "asc" && direction !== "desc") throw new QueryError(`\`orderDirection\` must be asc or desc, got ${String(direction)}`);
  const dir = direction === "desc" ? " desc" : "";

  const sql = new SqlBuilder();
  const ctx: FilterContext = { layout, sql, blockRef: sql.param(String(block), "int4") };
  // Build every part first so that invalid queries fail even when there is nothing to return.
  const parts = tables.map((table) => {
    const alias = "e";
    const where = [atBlock(table, alias, ctx.blockRef)];
    if (query.filter) where.push(compileFilter(ctx, table, alias, query.filter));
    return { table, alias, where: where.join(" and "), sortKey: compileSortKey(ctx, table, alias, query.orderBy) };
  });
  if (first === 0 || parts.length === 0) return [];
  const page = `limit ${sql.param(String(first), "int8")} offset ${sql.param(String(skip), "int8")}`;

  if (parts.length === 1 && !layout.schema.interfaces.has(query.entityType)) {
    const { table, alias, where, sortKey } = parts[0]!;
    const order = sortKey ? `${sortKey}${dir}, ${alias}.id${dir}` : `${alias}.id${dir}`;
    const from = query.current === "include" && query.interval ? withCurrentBucket(ctx, table, alias, where, query) : `${table.qualified} ${alias} where ${where}`;
    const text = `select ${selectList(table, alias)} from ${from} order by ${order} ${page}`;
    const rows = await db.query(text, sql.params);
    return rows.map((row) => decodeRow(table, row));
  }

  // Interface: page over the union of the implementations, then load the chosen rows.
  const union = parts
    .map(({ table, alias, where, sortKey }, i) =>
      `select ${i} as "type$", ${alias}.vid::text as "vid$", ${alias}.id as "id$"${sortKey ? `, ${sortKey} as "sort$"` : ""} ` +
      `from ${table.qualified} ${alias} where ${where}`,
    )
    .join(" union all ");
  const sorted = parts.some((p) => p.sortKey !== null);
  const order = sorted ? `u."sort$"${dir}, u."id$"${dir}` : `u."id$"${dir}`;
  const picked = await db.query<{ type$: number; vid$: string }>(
    `select u."type$", u."vid$" from (${union}) u order by ${order} ${page}`,
    sql.params,
  );
  const byType = new Map<number, string[]>();
  for (const row of picked) byType.set(row.type$, [...(byType.get(row.type$) ?? []), row.vid$]);
  const loaded = new Map<string, Entity>();
  for (const [index, vids] of byType) {
    const table = parts[index]!.table;
    const rows = await db.query(
      `select e.vid::text as "vid$", ${selectList(table, "e")} from ${table.qualified} e where e.vid = any($1::int8[])`,
      [`{${vids.join(",")}}`],
    );
    for (const row of rows) loaded.set(`${index}:${String(row.vid$)}`, { ...decodeRow(table, row), [TYPENAME]: table.entity.name });
  }
  return picked.map((row) => loaded.get(`${row.type$}:${row.vid$}`)!);
}

/**
 * An aggregation table's rows (`from` clause) with its current bucket added, as graph-node's
 * `FilterQuery::query_no_window_one_entity` (relational_queries.rs) builds it: the closed buckets matching `where`,
 * `union all` the current bucket of the points at the query's block matching the query's filter (rollup.ts
 * `selectCurrentBucket`); the caller orders and pages the union.
 */
function withCurrentBucket(ctx: FilterContext, table: TableLayout, alias: string, where: string, query: EntityQuery): string {
  const source = ctx.layout.tables.get(table.entity.aggregation!.source)!;
  const points = [atBlock(source, "c", ctx.blockRef)];
  if (query.filter) points.push(compileFilter(ctx, source, "c", query.filter));
  const current = selectCurrentBucket(ctx.layout, table, AGGREGATION_INTERVALS[query.interval!], points.join(" and "));
  const columns = table.columns.map((c) => `${alias}.${c.quoted}`).join(", ");
  return `((select ${columns} from ${table.qualified} ${alias} where ${where}) union all (${current})) ${alias}`;
}

/** A statement over one entity type's table, and how to turn each of its rows into an entity. */
export interface TableStatement {
  text: string;
  params: SqlParam[];
  decode(row: SqlRow): Entity;
}

/**
 * The entities of a concrete type current at the head, ordered by id, optionally only those matching `filter`: what
 * the store holds for the runtime's reads (every entity, one by id, those referencing another).
 */
export function currentEntitiesStatement(layout: Layout, entityType: string, filter?: Filter): TableStatement {
  const table = layout.tables.get(entityType);
  if (!table) {
    if (layout.schema.interfaces.has(entityType)) throw new QueryError(`reads of current entities need an entity type; \`${entityType}\` is an interface`);
    throw new QueryError(`Unknown entity type \`${entityType}\``);
  }
  const sql = new SqlBuilder();
  const blockRef = sql.param(String(BLOCK_NUMBER_MAX), "int4"); // current: the version whose range is open
  const where = [atBlock(table, "e", blockRef)];
  if (filter) where.push(compileFilter({ layout, sql, blockRef }, table, "e", filter));
  return {
    text: `select ${selectList(table, "e")} from ${table.qualified} e where ${where.join(" and ")} order by e.id`,
    params: sql.params,
    decode: (row) => decodeRow(table, row),
  };
}

/** The ids of a concrete type's current entities, in id order, a page at a time. */
export async function* currentEntityIds(db: SqlRunner, layout: Layout, entityType: string, pageSize: number): AsyncGenerator<Value[]> {
  const table = layout.tables.get(entityType);
  if (!table) throw new QueryError(`Unknown entity type \`${entityType}\``);
  const column = table.columns.find((c) => c.field.name === "id")!;
  let last: Value | null = null;
  for (;;) {
    const sql = new SqlBuilder();
    const where = [atBlock(table, "e", sql.param(String(BLOCK_NUMBER_MAX), "int4"))];
    if (last !== null) where.push(compileFilter({ layout, sql, blockRef: "" }, table, "e", { kind: "compare", field: "id", op: "gt", value: last }));
    const rows = await db.query(
      `select ${selectExpression(column, "e")} as id from ${table.qualified} e where ${where.join(" and ")} order by e.id limit ${sql.param(String(pageSize), "int8")}`,
      sql.params,
    );
    const ids = rows.map((row) => decodeValue(column, row.id));
    if (ids.length > 0) yield ids;
    if (ids.length < pageSize) return;
    last = ids.at(-1)!;
  }
}

/** Every entity of a concrete type current at the head, ordered by id. */
export async function loadCurrentEntities(db: SqlRunner, layout: Layout, entityType: string): Promise<Entity[]> {
  const { text, params, decode } = currentEntitiesStatement(layout, entityType);
  return (await db.query(text, params)).map(decode);
}
