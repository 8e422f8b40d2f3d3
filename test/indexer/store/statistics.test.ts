/**
 * When the store refreshes planner statistics (src/indexer/store/statistics.ts): a table once 1 000 changes reached
 * it, then each time it doubles; tables nothing writes to never; an aggregation's tables with their timeseries; a
 * reopened store from the rows the catalog records; due statistics wait for refreshStatistics() or for the delay to
 * pass. Read back from `pg_class.reltuples` (-1: never analyzed), on PGlite (a PostgreSQL server's autovacuum may
 * analyze on its own).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { ANALYZE_MIN_CHANGES } from "../../../src/indexer/store/statistics.ts";
import { SqlStore } from "../../../src/indexer/store/store.ts";
import type { EntityChange } from "../../../src/indexer/store/types.ts";
import { ptr, THINGS_SCHEMA } from "./fixtures/things.ts";
import { PGLITE_MEMORY, type TestDatabase } from "./helpers.ts";

/** Due statistics refreshed by the commit that made them due. */
const AT_ONCE = { statisticsDelayMs: 0 };

const owners = (from: number, count: number): EntityChange[] =>
  Array.from({ length: count }, (_, i) => ({ entityType: "Owner", id: `o${from + i}`, data: { id: `o${from + i}`, name: "n" } }));

describe("planner statistics — PGlite", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await PGLITE_MEMORY.open();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** reltuples of each table of the store's deployment, by table name. */
  const analyzedRows = async (store: SqlStore): Promise<Record<string, number>> => {
    const rows = await database.db.query<{ name: string; rows: number }>(
      "select c.relname as name, c.reltuples::float8 as rows from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
        "where n.nspname = $1::text and c.relkind = 'r'",
      [store.layout.namespace],
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.rows)]));
  };

  it("analyzes a table after its first 1 000 changes, then each time it doubles, and never the tables left alone", async () => {
    const store = await database.store(THINGS_SCHEMA, "stats", AT_ONCE);
    const owner = store.layout.tables.get("Owner")!.name;
    const thing = store.layout.tables.get("Thing")!.name;
    await store.commitBlock(ptr(1), owners(0, ANALYZE_MIN_CHANGES - 1));
    expect((await analyzedRows(store))[owner]).toBe(-1);
    await store.commitBlock(ptr(2), owners(ANALYZE_MIN_CHANGES - 1, 1));
    expect(await analyzedRows(store)).toMatchObject({ [owner]: 1000, [thing]: -1 });
    await store.commitBlock(ptr(3), owners(1000, 999)); // 999 changes since: not doubled yet
    expect((await analyzedRows(store))[owner]).toBe(1000);
    await store.commitBlock(ptr(4), owners(1999, 1));
    expect(await analyzedRows(store)).toMatchObject({ [owner]: 2000, [thing]: -1 });

    // Reopened: the catalog's 2 000 rows, not the new instance's first 1 000 changes, set the next refresh.
    const reopened = new SqlStore(database.db, store.layout, AT_ONCE);
    await reopened.commitBlock(ptr(5), owners(2000, 1999));
    expect((await analyzedRows(reopened))[owner]).toBe(2000);
    await reopened.commitBlock(ptr(6), owners(3999, 1));
    expect((await analyzedRows(reopened))[owner]).toBe(4000);
  });

  it("analyzes an aggregation's tables with its timeseries", async () => {
    const schema = parseSchema(
      `type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! amount: BigInt! }
       type Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! timestamp: Timestamp! sum: BigInt! @aggregate(fn: "sum", arg: "amount") }`,
      { specVersion: "1.1.0" },
    );
    const store = await database.store(schema, "stats_agg", AT_ONCE);
    const points: EntityChange[] = Array.from({ length: ANALYZE_MIN_CHANGES }, (_, i) => ({
      entityType: "Data",
      id: String(i + 1),
      data: { id: BigInt(i + 1), timestamp: 1_700_000_000_000_000n, amount: 1n },
    }));
    await store.commitBlock({ ...ptr(1), timestamp: 1_700_000_000 }, points);
    const hour = store.layout.aggregationTables.get("Stats")!.get("hour")!.name;
    expect(await analyzedRows(store)).toMatchObject({ [store.layout.tables.get("Data")!.name]: 1000, [hour]: 0 });
  });

  it("leaves due statistics to refreshStatistics() until the delay has passed, then refreshes them at the next commit", async () => {
    const store = await database.store(THINGS_SCHEMA, "stats_delay", { statisticsDelayMs: 60_000 });
    const owner = store.layout.tables.get("Owner")!.name;
    await store.commitBlock(ptr(1), owners(0, ANALYZE_MIN_CHANGES));
    expect(store.statisticsDue).toBe(true);
    expect((await analyzedRows(store))[owner]).toBe(-1);
    await store.refreshStatistics();
    expect(store.statisticsDue).toBe(false);
    expect((await analyzedRows(store))[owner]).toBe(1000);

    const soon = new SqlStore(database.db, store.layout, { statisticsDelayMs: 50 });
    await soon.commitBlock(ptr(2), owners(1000, 1000)); // doubled: due, not refreshed yet
    expect((await analyzedRows(soon))[owner]).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await soon.commitBlock(ptr(3), owners(2000, 1));
    expect(soon.statisticsDue).toBe(false);
    expect((await analyzedRows(soon))[owner]).toBe(2001);
  });
});
