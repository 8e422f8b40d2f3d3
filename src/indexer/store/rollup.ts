/**
 * Rollups: filling an aggregation's interval tables from its source timeseries, graph-node's way
 * (store/postgres/src/relational/rollup.rs and `Layout::rollup` in relational.rs).
 *
 * - A bucket is `[start, start + interval)` on the epoch grid; it is rolled up when the first block whose timestamp
 *   lies past its end is committed, and the bucket rows get that block as `block$`. An open bucket has no rows.
 * - One row per bucket and group of dimension values: `id` is the largest id of the points aggregated, `timestamp`
 *   the bucket's start; `sum`, `count`, `min`, `max`, and `first`/`last` by id.
 * - A cumulative aggregate combines the bucket's value with the group's latest earlier bucket (counts add up).
 * - Between two committed blocks `b1 < b2` only the first bucket ending in `(b1, b2]` is rolled up: no points were
 *   written in between, so later buckets would be empty (graph-node assumes the same).
 * - Reverting a block deletes the buckets it closed (they are immutable rows at `block$`); the next block past
 *   their end rolls them up again.
 */
import type { AggregateDef, AggregationInterval } from "../schema/aggregation.ts";
import { AGGREGATION_INTERVALS } from "../schema/aggregation.ts";
import type { SqlRunner } from "./executor.ts";
import type { Layout, TableLayout } from "./layout.ts";

/** One aggregation table and the statement that rolls up a bucket of it. */
export interface Rollup {
  interval: AggregationInterval;
  /** The interval's length in seconds. */
  seconds: number;
  table: TableLayout;
  /** `insert … select`: `$1` the bucket's start and `$2` its end (microseconds), `$3` the block number. */
  insertSql: string;
}

/** The layout's rollups, in graph-node's order: by increasing interval, then in schema order. */
export function buildRollups(layout: Layout): Rollup[] {
  const rollups: Rollup[] = [];
  for (const [name, perInterval] of layout.aggregationTables) {
    const aggregation = layout.schema.entities.get(name)!.aggregation!;
    const source = layout.tables.get(aggregation.source)!;
    for (const [interval, table] of perInterval) {
      rollups.push({ interval, seconds: AGGREGATION_INTERVALS[interval], table, insertSql: insertSql(source, table, aggregation.dimensions, aggregation.aggregates) });
    }
  }
  return rollups.sort((a, b) => a.seconds - b.seconds);
}

const column = (table: TableLayout, field: string) => table.columnsByField.get(field)!.quoted;

/** The aggregate over the bucket's points aliased `s` (rollup.rs `Agg::aggregate`). */
function aggregateOver(source: TableLayout, agg: AggregateDef, s = "s"): string {
  const arg = agg.arg === null ? "" : `${s}.${column(source, agg.arg)}`;
  switch (agg.fn) {
    case "count":
      return "count(*)";
    case "first":
      return `(array_agg(${arg} order by ${s}.id))[1]`;
    case "last":
      return `(array_agg(${arg} order by ${s}.id desc))[1]`;
    default:
      return `${agg.fn}(${arg})`;
  }
}

/** A cumulative aggregate: the bucket's value `b` combined with the previous bucket's `p` (rollup.rs `Agg::combine`). */
function combined(agg: AggregateDef, quoted: string): string {
  const [b, p] = [`b.${quoted}`, `p.${quoted}`];
  switch (agg.fn) {
    case "sum":
    case "count":
      return `coalesce(${p} + ${b}, ${b}, ${p})`;
    case "max":
      return `greatest(${p}, ${b})`;
    case "min":
      return `least(${p}, ${b})`;
    case "first":
      return `coalesce(${p}, ${b})`;
    case "last":
      return `coalesce(${b}, ${p})`;
  }
}

function insertSql(source: TableLayout, table: TableLayout, dimensions: string[], aggregates: AggregateDef[]): string {
  const timestamp = column(source, "timestamp");
  const dims = dimensions.map((d) => column(table, d));
  const aggs = aggregates.map((a) => column(table, a.field));
  const into = `insert into ${table.qualified} (id, ${column(table, "timestamp")}, "block$"${[...dims, ...aggs].map((c) => `, ${c}`).join("")})`;
  const bucket =
    `select max(s.id) as id${dims.map((d) => `, s.${d} as ${d}`).join("")}` +
    `${aggregates.map((a, i) => `, ${aggregateOver(source, a)} as ${aggs[i]}`).join("")} ` +
    `from ${source.qualified} s where s.${timestamp} >= $1::int8 and s.${timestamp} < $2::int8` +
    `${dims.length > 0 ? ` group by ${dims.map((d) => `s.${d}`).join(", ")}` : ""} having count(*) > 0`;
  if (!aggregates.some((a) => a.cumulative)) {
    return `${into} select b.id, $1::int8, $3::int4${[...dims, ...aggs].map((c) => `, b.${c}`).join("")} from (${bucket}) b`;
  }
  const sameGroup = dims.map((d) => ` and p.${d} = b.${d}`).join("");
  const previous = `select * from ${table.qualified} p where p.${column(table, "timestamp")} < $1::int8${sameGroup} order by p.${column(table, "timestamp")} desc limit 1`;
  const values = aggregates.map((a, i) => (a.cumulative ? combined(a, aggs[i]!) : `b.${aggs[i]}`));
  return (
    `with bucket as (${bucket}) ${into} select b.id, $1::int8, $3::int4${dims.map((d) => `, b.${d}`).join("")}${values.map((v) => `, ${v}`).join("")} ` +
    `from bucket b left join lateral (${previous}) p on true`
  );
}

/** rollup.rs `RollupSql::last_rollup` for one table: its newest bucket start + interval + 1 s (µs), null if empty. */
function lastRollupOf(table: TableLayout, seconds: number): string {
  return `(select max(${column(table, "timestamp")}) + ${(seconds + 1) * 1_000_000} from ${table.qualified})`;
}

/** Postgres' smallest int8: graph-node compares with `'-infinity'::timestamptz` when no bucket exists yet. */
const MIN_MICROS = "(-9223372036854775807 - 1)";

/**
 * The current (open) bucket of an aggregation table, computed from the points not rolled up yet, as graph-node's
 * `RollupSql::select_current` (rollup.rs) does for `current: include`: the points of the source (aliased `c`) with
 * `timestamp >= last rollup` (the table's newest bucket start + interval + 1 s; every point when it has none) that
 * satisfy `sourceWhere` (the query's block and `where`, applied to the points, not to the aggregates), grouped by the
 * dimensions. Each row: `id` the largest point id, `timestamp` the latest point's bucket start, the aggregates over
 * those points; a cumulative aggregate is combined with the group's newest bucket before the last rollup. The
 * columns are the table's, in its order and SQL types, for a `union all` with its rows.
 *
 * Unlike graph-node, an aggregation without dimensions has no current row when there are no such points (graph-node's
 * `select` without `group by` yields one row of nulls then).
 */
export function selectCurrentBucket(layout: Layout, table: TableLayout, seconds: number, sourceWhere: string): string {
  const aggregation = table.entity.aggregation!;
  const source = layout.tables.get(aggregation.source)!;
  const timestamp = column(source, "timestamp");
  const dims = aggregation.dimensions.map((d) => column(table, d));
  const aggs = aggregation.aggregates.map((a) => column(table, a.field));
  const micros = seconds * 1_000_000;
  const start = `c.${timestamp} - (((c.${timestamp} % ${micros}) + ${micros}) % ${micros})`;
  const grouping = dims.length > 0 ? ` group by ${dims.map((d) => `c.${d}`).join(", ")}` : " having count(*) > 0";
  const bucket =
    `select max(c.id) as id, max(${start}) as ${column(table, "timestamp")}${dims.map((d) => `, c.${d} as ${d}`).join("")}` +
    `${aggregation.aggregates.map((a, i) => `, ${aggregateOver(source, a, "c")} as ${aggs[i]}`).join("")} ` +
    `from ${source.qualified} c where c.${timestamp} >= coalesce(${lastRollupOf(table, seconds)}, ${MIN_MICROS}) and ${sourceWhere}${grouping}`;
  const cast = (sql: string, field: string) => `(${sql})::${table.columnsByField.get(field)!.columnType}`;
  const cumulative = aggregation.aggregates.some((a) => a.cumulative);
  const value = (field: string) => {
    const aggregate = aggregation.aggregates.find((a) => a.field === field);
    return cast(aggregate?.cumulative ? combined(aggregate, column(table, field)) : `b.${column(table, field)}`, field);
  };
  // In the table's column order, for the union with its rows.
  const select = `select ${table.columns.map((c) => value(c.field.name)).join(", ")}`;
  if (!cumulative) return `${select} from (${bucket}) b`;
  const sameGroup = dims.map((d) => ` and p.${d} = b.${d}`).join("");
  const ts = column(table, "timestamp");
  const previous = `select * from ${table.qualified} p where p.${ts} < coalesce(${lastRollupOf(table, seconds)}, ${MIN_MICROS})${sameGroup} order by p.${ts} desc limit 1`;
  return `with bucket as (${bucket}) ${select} from bucket b left join lateral (${previous}) p on true`;
}

/** The first bucket of `seconds` that starts at or before `from` and ends at or before `to` (graph-node `buckets`). */
export function firstClosedBucket(seconds: number, from: number, to: number): { start: number; end: number } | null {
  const first = Math.floor(from / seconds);
  const last = Math.floor(to / seconds);
  return first < last ? { start: first * seconds, end: (first + 1) * seconds } : null;
}

/**
 * The time of the last rollup as graph-node deduces it after a restart or a revert (`Rollup::last_rollup`): the
 * latest bucket start of any aggregation table plus its interval and one second; null when no bucket exists.
 */
export async function lastRollupTime(db: SqlRunner, rollups: readonly Rollup[]): Promise<number | null> {
  if (rollups.length === 0) return null;
  const parts = rollups.map((r) => `select ${lastRollupOf(r.table, r.seconds)} as t`);
  const [row] = await db.query<{ t: string | null }>(`select (max(t) / 1000000)::text as t from (${parts.join(" union all ")}) a`);
  return row?.t === null || row?.t === undefined ? null : Number(row.t);
}

/**
 * Rolls up what the committed `blocks` (increasing, timestamps in seconds) closed, starting from `lastRollup` (the
 * previous committed block's time; the first block's when unknown). Returns the new last rollup time.
 */
export async function rollUp(
  db: SqlRunner,
  rollups: readonly Rollup[],
  lastRollup: number | null,
  blocks: readonly { number: number; timestamp: number }[],
): Promise<number | null> {
  if (rollups.length === 0 || blocks.length === 0) return lastRollup;
  let last = lastRollup ?? Math.min(...blocks.map((b) => b.timestamp));
  for (const block of blocks) {
    for (const rollup of rollups) {
      const bucket = firstClosedBucket(rollup.seconds, last, block.timestamp);
      // Rollups run by increasing interval: when a shorter one has no closed bucket, no longer one has either.
      if (!bucket) break;
      await db.query(rollup.insertSql, [String(bucket.start * 1_000_000), String(bucket.end * 1_000_000), String(block.number)]);
    }
    last = block.timestamp;
  }
  return last;
}
