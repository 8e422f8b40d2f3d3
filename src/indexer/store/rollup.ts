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

/** The aggregate over the bucket's points `s` (rollup.rs `Agg::aggregate`). */
function aggregateOver(source: TableLayout, agg: AggregateDef): string {
  const arg = agg.arg === null ? "" : `s.${column(source, agg.arg)}`;
  switch (agg.fn) {
    case "count":
      return "count(*)";
    case "first":
      return `(array_agg(${arg} order by s.id))[1]`;
    case "last":
      return `(array_agg(${arg} order by s.id desc))[1]`;
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
  const parts = rollups.map((r) => `select max(${column(r.table, "timestamp")}) / 1000000 + ${r.seconds + 1} as t from ${r.table.qualified}`);
  const [row] = await db.query<{ t: string | null }>(`select max(t)::text as t from (${parts.join(" union all ")}) a`);
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
