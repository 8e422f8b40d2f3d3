/**
 * Rollups of timeseries into aggregations (graph-node store/postgres/src/relational/rollup.rs and `Layout::rollup`
 * in relational.rs): a bucket is rolled up by the first block past its end and carries that block; open buckets
 * have no rows; sum/count/min/max/first/last per dimension; cumulative aggregates carry over earlier buckets; a
 * revert deletes the buckets of the reverted blocks and the next block rolls them up again — on PGlite and PostgreSQL.
 * Figures are computed by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import type { SqlStore } from "../../../src/indexer/store/store.ts";
import type { BlockPtr, EntityChange } from "../../../src/indexer/store/types.ts";
import { PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "./helpers.ts";

const SCHEMA = parseSchema(
  `type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: String! amount: BigInt! }
   type Stats @aggregation(intervals: ["hour", "day"], source: "Data") {
     id: Int8!
     timestamp: Timestamp!
     token: String!
     sum: BigInt! @aggregate(fn: "sum", arg: "amount")
     count: Int8! @aggregate(fn: "count")
     max: BigInt! @aggregate(fn: "max", arg: "amount")
     min: BigInt! @aggregate(fn: "min", arg: "amount")
     first: BigInt! @aggregate(fn: "first", arg: "amount")
     last: BigInt! @aggregate(fn: "last", arg: "amount")
     total: BigInt! @aggregate(fn: "sum", arg: "amount", cumulative: true)
     points: Int8! @aggregate(fn: "count", cumulative: true)
   }`,
  { specVersion: "1.1.0" },
);

const HOUR = 3600;
/** The start of a day (UTC), in seconds. */
const T0 = 1_699_920_000;
const ptr = (number: number, timestamp: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, "0")}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, "0")}`,
  timestamp,
});
/** A point as store.set leaves it: id `block << 32 | seq`, the block's time in microseconds. */
const point = (block: BlockPtr, seq: number, token: string, amount: number): EntityChange => {
  const id = (BigInt(block.number) << 32n) | BigInt(seq);
  return { entityType: "Data", id: String(id), data: { id, timestamp: BigInt(block.timestamp) * 1_000_000n, token, amount: BigInt(amount) } };
};
const B1 = ptr(1, T0 + 100);
const B2 = ptr(2, T0 + 1800);
const B3 = ptr(3, T0 + HOUR + 10);
const B4 = ptr(4, T0 + 2 * HOUR + 5);
const B5 = ptr(5, T0 + 24 * HOUR + 1);

async function buckets(store: SqlStore, interval: "hour" | "day", block: number) {
  const rows = await store.find({ entityType: "Stats", interval, block, first: 100, skip: 0, orderBy: { field: "timestamp" }, orderDirection: "asc" });
  return rows.map((r) => ({
    hour: Number((r.timestamp as bigint) / 1_000_000n - BigInt(T0)) / HOUR,
    token: r.token,
    sum: r.sum,
    count: r.count,
    max: r.max,
    min: r.min,
    first: r.first,
    last: r.last,
    total: r.total,
    points: r.points,
  }));
}

for (const backend of [PGLITE_MEMORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`rollups — ${title(backend)}`, () => {
    let database: TestDatabase;
    let store: SqlStore;
    beforeAll(async () => {
      database = await backend.open();
      store = await database.store(SCHEMA, "rollup");
      await store.commitBlock(B1, [point(B1, 0, "a", 10), point(B1, 1, "b", 5)]);
      await store.commitBlock(B2, [point(B2, 0, "a", 20)]);
      await store.commitBlock(B3, [point(B3, 0, "a", 7)]);
      await store.commitBlock(B4, [point(B4, 0, "b", 1)]);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    it("closes an hour when the first block past its end is committed, and no earlier", async () => {
      expect(await buckets(store, "hour", 2)).toEqual([]);
      // Hour 0: a = 10, 20 (sum 30, 2 points, first 10, last 20); b = 5.
      const hour0 = [
        { hour: 0, token: "a", sum: 30n, count: 2n, max: 20n, min: 10n, first: 10n, last: 20n, total: 30n, points: 2n },
        { hour: 0, token: "b", sum: 5n, count: 1n, max: 5n, min: 5n, first: 5n, last: 5n, total: 5n, points: 1n },
      ];
      expect((await buckets(store, "hour", 3)).sort((x, y) => String(x.token).localeCompare(String(y.token)))).toEqual(hour0);
      // Hour 1 (closed by block 4): a = 7; cumulative: a's total 37 over 3 points. Hour 2 (b = 1) is still open.
      const atHead = await buckets(store, "hour", 4);
      expect(atHead.filter((b) => b.hour === 1)).toEqual([
        { hour: 1, token: "a", sum: 7n, count: 1n, max: 7n, min: 7n, first: 7n, last: 7n, total: 37n, points: 3n },
      ]);
      expect(atHead.filter((b) => b.hour === 2)).toEqual([]);
      expect(await buckets(store, "day", 4)).toEqual([]);
    });

    it("closes the day and the last hour at the next day's first block; a revert deletes them and they are rolled up again", async () => {
      const day0 = [
        { hour: 0, token: "a", sum: 37n, count: 3n, max: 20n, min: 7n, first: 10n, last: 7n, total: 37n, points: 3n },
        { hour: 0, token: "b", sum: 6n, count: 2n, max: 5n, min: 1n, first: 5n, last: 1n, total: 6n, points: 2n },
      ];
      const hour2 = [{ hour: 2, token: "b", sum: 1n, count: 1n, max: 1n, min: 1n, first: 1n, last: 1n, total: 6n, points: 2n }];
      const byToken = (rows: Awaited<ReturnType<typeof buckets>>) => rows.sort((x, y) => String(x.token).localeCompare(String(y.token)));

      await store.commitBlock(B5, [point(B5, 0, "a", 100)]);
      expect(byToken(await buckets(store, "day", 5))).toEqual(day0);
      expect((await buckets(store, "hour", 5)).filter((b) => b.hour === 2)).toEqual(hour2);

      await store.revertTo(B4);
      expect(await buckets(store, "day", 5)).toEqual([]);
      expect((await buckets(store, "hour", 5)).filter((b) => b.hour === 2)).toEqual([]);

      const B5b = { ...ptr(5, T0 + 24 * HOUR + 1), hash: `0x${"5b".repeat(32)}` };
      await store.commitBlock(B5b, [point(B5b, 0, "a", 50)]);
      expect(byToken(await buckets(store, "day", 5))).toEqual(day0);
      expect((await buckets(store, "hour", 5)).filter((b) => b.hour === 2)).toEqual(hour2);
    });

    it("serves the newest bucket first with graph-node's default order, and filters on dimensions and timestamp", async () => {
      const rows = await store.find({ entityType: "Stats", interval: "hour", block: 5, first: 1, skip: 0, orderBy: { field: "timestamp" }, orderDirection: "desc" });
      expect(rows[0]!.timestamp).toBe(BigInt(T0 + 2 * HOUR) * 1_000_000n);
      const a = await store.find({
        entityType: "Stats",
        interval: "hour",
        block: 5,
        first: 10,
        skip: 0,
        filter: { kind: "and", filters: [{ kind: "compare", field: "token", op: "eq", value: "a" }, { kind: "compare", field: "timestamp", op: "gte", value: BigInt(T0 + HOUR) * 1_000_000n }] },
      });
      expect(a.map((r) => r.sum)).toEqual([7n]);
      await expect(store.find({ entityType: "Stats", block: 5, first: 1, skip: 0 })).rejects.toThrow("Aggregation `Stats` has no interval `undefined`");
    });
  });
}
