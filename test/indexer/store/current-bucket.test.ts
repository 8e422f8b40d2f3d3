/**
 * The current (open) bucket of an aggregation, `current: "include"` in store queries, on PGlite and PostgreSQL.
 * Data and expected figures follow graph-node's own store test store/test-store/tests/postgres/aggregation.rs
 * (`current_include`, `current_include_with_filter`, `current_include_cumulative`; SQL expressions as `arg` are not
 * supported here, so `sum_sq` and `value` are left out and the cumulative sum is over `amount`). The SQL is graph-node's
 * `RollupSql::select_current` (store/postgres/src/relational/rollup.rs) in a `union all` with the closed buckets
 * (`FilterQuery::query_no_window_one_entity`, relational_queries.rs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import type { SqlStore } from "../../../src/indexer/store/store.ts";
import type { BlockPtr, EntityChange, EntityQuery, Filter } from "../../../src/indexer/store/types.ts";
import { BigDecimal } from "../../../src/indexer/values.ts";
import { PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "./helpers.ts";

const SCHEMA = parseSchema(
  `type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: String! price: BigDecimal! amount: BigDecimal! }
   type Stats @aggregation(intervals: ["day", "hour"], source: "Data") {
     id: Int8!
     timestamp: Timestamp!
     token: String!
     sum: BigDecimal! @aggregate(fn: "sum", arg: "price")
     max: BigDecimal! @aggregate(fn: "max", arg: "amount")
     first: BigDecimal @aggregate(fn: "first", arg: "amount")
     last: BigDecimal! @aggregate(fn: "last", arg: "amount")
     total: BigDecimal! @aggregate(fn: "sum", arg: "amount", cumulative: true)
   }
   type TotalStats @aggregation(intervals: ["hour"], source: "Data") {
     id: Int8!
     timestamp: Timestamp!
     max: BigDecimal! @aggregate(fn: "max", arg: "price")
   }`,
  { specVersion: "1.1.0" },
);

const minutes = (n: number) => n * 60;
const ptr = (number: number, timestamp: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, "0")}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, "0")}`,
  timestamp,
});
/** graph-node's TIMES: minutes 30, 40, 65 and 121 of the epoch, as blocks 1 to 4. */
const BLOCKS = [ptr(1, minutes(30)), ptr(2, minutes(40)), ptr(3, minutes(65)), ptr(4, minutes(121))];
/** graph-node's (price, amount) per block for tokens 1 and 2. */
const POINTS: [number, number][][] = [
  [[1, 10], [1, 1]],
  [[2, 2], [2, 20]],
  [[3, 30], [3, 3]],
  [[4, 4], [4, 40]],
];
const pointId = (block: number, seq: number) => (BigInt(block) << 32n) | BigInt(seq);
const point = (block: BlockPtr, seq: number, [price, amount]: [number, number]): EntityChange => ({
  entityType: "Data",
  id: String(pointId(block.number, seq)),
  data: { id: pointId(block.number, seq), timestamp: BigInt(block.timestamp) * 1_000_000n, token: `t${seq + 1}`, price: BigDecimal.parse(String(price)), amount: BigDecimal.parse(String(amount)) },
});

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

for (const backend of [PGLITE_MEMORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`current bucket — ${title(backend)}`, () => {
    let database: TestDatabase;
    let store: SqlStore;
    beforeAll(async () => {
      database = await backend.open();
      store = await database.store(SCHEMA, "current");
      for (const [i, block] of BLOCKS.entries()) await store.commitBlock(block, POINTS[i]!.map((p, seq) => point(block, seq, p)));
    });
    afterAll(async () => {
      await database?.dispose();
    });

    const find = async (query: Partial<EntityQuery> & { filter?: Filter }) =>
      (await store.find({ entityType: "Stats", interval: "hour", block: 4, first: 100, skip: 0, orderBy: { field: "timestamp" }, orderDirection: "asc", ...query })).map((r) => ({
        id: r.id,
        hour: Number(r.timestamp as bigint) / 3_600_000_000,
        token: r.token,
        sum: text(r.sum),
        max: text(r.max),
        first: text(r.first),
        last: text(r.last),
        total: text(r.total),
      }));

    it("excludes the open bucket by default and with current: exclude", async () => {
      const closed = await find({});
      expect(closed.map((r) => [r.hour, r.token])).toEqual([
        [0, "t1"],
        [0, "t2"],
        [1, "t1"],
        [1, "t2"],
      ]);
      expect(await find({ current: "exclude" })).toEqual(closed);
    });

    it("includes the open hour 2 computed from block 4's points, cumulative over the closed hours (graph-node's figures)", async () => {
      const rows = await find({ current: "include" });
      expect(rows.slice(0, 4)).toEqual(await find({}));
      // Token 1: price 4, amount 4; total = 10 + 2 + 30 + 4. Token 2: price 4, amount 40; total = 1 + 20 + 3 + 40.
      expect(rows.slice(4)).toEqual([
        { id: pointId(4, 0), hour: 2, token: "t1", sum: "4", max: "4", first: "4", last: "4", total: "46" },
        { id: pointId(4, 1), hour: 2, token: "t2", sum: "4", max: "40", first: "40", last: "40", total: "64" },
      ]);
    });

    it("applies the filter to the points of the open bucket", async () => {
      const t1 = await find({ current: "include", filter: { kind: "compare", field: "token", op: "eq", value: "t1" } });
      expect(t1.map((r) => [r.hour, r.token])).toEqual([
        [0, "t1"],
        [1, "t1"],
        [2, "t1"],
      ]);
      // The open row's id is the largest id of the points that pass the filter.
      const first = await find({ current: "include", filter: { kind: "compare", field: "id", op: "lt", value: pointId(4, 1) } });
      expect(first.at(-1)).toMatchObject({ id: pointId(4, 0), token: "t1" });
    });

    it("computes the open day from every point when no day is closed yet", async () => {
      const days = await find({ interval: "day", current: "include" });
      expect(days).toEqual([
        { id: pointId(4, 0), hour: 0, token: "t1", sum: "10", max: "30", first: "10", last: "4", total: "46" },
        { id: pointId(4, 1), hour: 0, token: "t2", sum: "10", max: "40", first: "1", last: "40", total: "64" },
      ]);
    });

    it("without dimensions: one open row, none when no point passes the filter", async () => {
      const total = async (filter?: Filter) =>
        (await store.find({ entityType: "TotalStats", interval: "hour", block: 4, first: 10, skip: 0, current: "include", filter })).map((r) => text(r.max));
      // Closed: hour 0 max price 2, hour 1 max 3; open hour 2: 4 (id order, ascending by default).
      expect(await total()).toEqual(["2", "3", "4"]);
      expect(await total({ kind: "compare", field: "timestamp", op: "gt", value: BigInt(minutes(121)) * 1_000_000n })).toEqual([]);
    });
  });
}
