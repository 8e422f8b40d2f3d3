/**
 * Aggregations over HTTP (graph-node graph/src/schema/api.rs `query_fields_for_agg_type`, `add_aggregation_filter_type`,
 * graphql/src/store/query.rs `build_order`): `<plural>(interval: Aggregation_interval!)` with filters on dimensions and
 * `timestamp_*`, newest bucket first by default, timeseries queryable like immutable entities — real PGlite store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import type { BlockPtr, Store } from "../../../src/indexer/store/types.ts";
import { openStore, post } from "./fixtures.ts";

const SOURCE = `
type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! token: String! amount: BigInt! }
type Stats @aggregation(intervals: ["hour", "day"], source: "Data") {
  id: Int8!
  timestamp: Timestamp!
  token: String!
  sum: BigInt! @aggregate(fn: "sum", arg: "amount")
  count: Int8! @aggregate(fn: "count")
}`;
const T0 = 1_699_920_000;
const ptr = (number: number, timestamp: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, "0")}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, "0")}`,
  timestamp,
});
const micros = (seconds: number) => String(BigInt(seconds) * 1_000_000n);

let store: Store;
let server: GraphQLServer;

beforeAll(async () => {
  const schema = parseSchema(SOURCE, { specVersion: "1.1.0" });
  store = await openStore(schema);
  const point = (block: BlockPtr, token: string, amount: bigint) => {
    const id = BigInt(block.number) << 32n;
    return { entityType: "Data", id: String(id), data: { id, timestamp: BigInt(block.timestamp) * 1_000_000n, token, amount } };
  };
  // Hour 0: a 3; hour 1: a 4, b 5; hour 2 stays open (a 6).
  const blocks = [ptr(1, T0 + 10), ptr(2, T0 + 3600), ptr(3, T0 + 3700), ptr(4, T0 + 7300)];
  await store.commitBlock(blocks[0]!, [point(blocks[0]!, "a", 3n)]);
  await store.commitBlock(blocks[1]!, [point(blocks[1]!, "a", 4n)]);
  await store.commitBlock(blocks[2]!, [point(blocks[2]!, "b", 5n)]);
  await store.commitBlock(blocks[3]!, [point(blocks[3]!, "a", 6n)]);
  server = await startGraphQLServer({ store, schema, subgraphName: "test/stats", deployment: "QmStats" });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

describe("aggregation queries", () => {
  it("lists closed buckets newest first, with the interval required", async () => {
    const { data, errors } = await post(server.url, "{ stats_collection(interval: hour) { timestamp token sum count } }");
    expect(errors).toBeUndefined();
    const rows = (data.stats_collection as { timestamp: string; token: string }[]).map((r) => ({ ...r }));
    expect(rows[0]!.timestamp).toBe(micros(T0 + 3600));
    expect(rows.sort((x, y) => (x.timestamp + x.token).localeCompare(y.timestamp + y.token))).toEqual([
      { timestamp: micros(T0), token: "a", sum: "3", count: "1" },
      { timestamp: micros(T0 + 3600), token: "a", sum: "4", count: "1" },
      { timestamp: micros(T0 + 3600), token: "b", sum: "5", count: "1" },
    ]);
    const missing = await post(server.url, "{ stats_collection { sum } }");
    expect(missing.errors?.[0]?.message).toMatch(/interval/);
  });

  it("filters on dimensions and timestamps", async () => {
    const byToken = await post(server.url, `{ stats_collection(interval: hour, where: { token: "a", timestamp_gte: "${micros(T0 + 1)}" }) { sum } }`);
    expect(byToken.data.stats_collection).toEqual([{ sum: "4" }]);
    const list = await post(server.url, `{ stats_collection(interval: hour, where: { timestamp_in: ["${micros(T0)}"] }) { sum } }`);
    expect(list.data.stats_collection).toEqual([{ sum: "3" }]);
    const day = await post(server.url, "{ stats_collection(interval: day) { sum } }");
    expect(day.data.stats_collection).toEqual([]);
  });

  it("serves the timeseries like an immutable entity type, and has no single-bucket field", async () => {
    const { data } = await post(server.url, "{ datas(orderBy: timestamp) { token amount } }");
    expect(data.datas.map((d: { amount: string }) => d.amount)).toEqual(["3", "4", "5", "6"]);
    const single = await post(server.url, "{ stats(id: 1) { sum } }");
    expect(single.errors?.[0]?.message).toMatch(/stats/);
  });
});
