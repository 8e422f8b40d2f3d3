/**
 * Timeseries and aggregations end to end: the timeseries fixture subgraph (specVersion 1.1.0, compiled by graph-cli)
 * writes one `Data` point per Ping event of a real contract on a real chain whose block times the test sets, and the
 * `Stats` aggregation (hour and day; sum, count, max, last, a cumulative sum; one dimension) answers over HTTP as
 * graph-node documents — on PGlite and on PostgreSQL. Figures are computed by hand below.
 *
 * graph-node sources: docs/aggregations.md (ids, timestamps, buckets, querying, `current`); graph/src/data/store/id.rs
 * (generated ids `block << 32 | seq`); store/postgres/src/relational/rollup.rs (rollups, the current bucket);
 * graphql/src/store/query.rs (`build_order`: newest first); tests/tests/runner_tests.rs (the aggregation-current-bucket
 * runner test this one follows).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import type { Indexer } from "../../src/indexer/indexer.ts";
import { FIXTURE_STORES, indexFixture } from "./fixture-indexer.ts";
import { PingChild__factory, type PingChild } from "../../types/index.ts";
import { post } from "./graphql/fixtures.ts";
import { rpc } from "./helpers.ts";
import { ensureFixtureBuilt } from "./runtime/fixture-build.ts";

const HOUR = 3600;
const DAY = 86_400;

/**
 * The blocks the test mines, by offset in seconds from the start of a day D, each with its pings (amount, token).
 * Block 2 holds two pings (sequence numbers 0 and 1). Block 4 is the first past hour 0 and closes it; block 6 is the
 * first of day D + 1 and closes hour 1 and day D.
 */
const BLOCKS: { offset: number; pings: [number, string][] }[] = [
  { offset: 600, pings: [[10, "a"]] },
  { offset: 1200, pings: [[5, "b"], [2, "a"]] },
  { offset: 1800, pings: [[7, "a"]] },
  { offset: HOUR + 300, pings: [[3, "a"]] },
  { offset: HOUR + 900, pings: [[20, "b"]] },
  { offset: DAY + 60, pings: [[1, "a"]] },
];

let chain: LocalChain;
let contract: PingChild;
let deployBlock: number;
/** Start of day D (seconds) and the numbers of the mined blocks, BLOCKS[i] mined as block[i]. */
let day: number;
const block: number[] = [];
let manifest: string;
let dir: string;

/** Mines one block at `timestamp` holding the pings, in order (automine off while they are sent). */
async function mine(timestamp: number, pings: [number, string][]): Promise<number> {
  const signer = chain.signers[0]!;
  await rpc(chain, "evm_setAutomine", [false]);
  const nonce = await signer.getNonce("pending");
  const sent = [];
  for (const [i, [amount, token]] of pings.entries()) sent.push(await contract.ping(amount, token, { nonce: nonce + i }));
  await rpc(chain, "evm_setNextBlockTimestamp", [timestamp]);
  await rpc(chain, "evm_mine");
  await rpc(chain, "evm_setAutomine", [true]);
  const receipts = await Promise.all(sent.map((tx) => tx.wait()));
  const numbers = new Set(receipts.map((r) => r!.blockNumber));
  if (numbers.size !== 1) throw new Error(`pings landed in blocks ${[...numbers].join(", ")}, expected one block`);
  return receipts[0]!.blockNumber;
}

beforeAll(async () => {
  manifest = ensureFixtureBuilt("timeseries");
  chain = await startLocalChain();
  contract = await new PingChild__factory(chain.signers[0]).deploy();
  const deployed = (await contract.deploymentTransaction()!.wait())!;
  deployBlock = deployed.blockNumber;
  const latest = await chain.connection.ethers.provider.getBlock(deployBlock);
  day = (Math.floor(latest!.timestamp / DAY) + 2) * DAY;
  for (const { offset, pings } of BLOCKS) block.push(await mine(day + offset, pings));
  dir = await mkdtemp(join(tmpdir(), "pedigree-timeseries-"));
}, 300_000);

afterAll(async () => {
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A point's id as graph-node generates it: the block number in the high 32 bits, the sequence in the block below. */
const pointId = (blockIndex: number, seq = 0) => String((BigInt(block[blockIndex]!) << 32n) | BigInt(seq));
/** A timestamp as GraphQL returns it: microseconds since the epoch, as a string. */
const micros = (seconds: number) => String(BigInt(seconds) * 1_000_000n);

const STATS_FIELDS = "id timestamp token sum count max last total";
type Bucket = { id: string; timestamp: string; token: string; sum: string; count: string; max: string; last: string; total: string };
/** An expected bucket: id = largest point id, timestamp = bucket start (offset from day D). */
const bucket = (id: string, start: number, token: string, [sum, count, max, last, total]: number[]): Bucket => ({
  id,
  timestamp: micros(day + start),
  token,
  sum: String(sum),
  count: String(count),
  max: String(max),
  last: String(last),
  total: String(total),
});

describe.each(FIXTURE_STORES)("timeseries and aggregations on $name", ({ name, options }) => {
  let indexer: Indexer;

  beforeAll(async () => {
    indexer = await indexFixture(manifest, chain.url, { name, options: options(dir, "timeseries") }, { name: "Points", address: contract.target as string, startBlock: deployBlock });
    await indexer.waitForBlock(block[5]!);
  }, 120_000);

  afterAll(async () => {
    await indexer?.stop();
  });

  /** The query's data; fails on errors. */
  async function query(text: string): Promise<Record<string, unknown>> {
    const body = await post(indexer.url, text);
    expect(body.errors).toBeUndefined();
    return body.data;
  }
  const stats = async (args: string) => (await query(`{ stats_collection(${args}) { ${STATS_FIELDS} } }`)).stats_collection as Bucket[];

  it("stores each point with a generated id (block << 32 | seq) and the block's time, whatever the mapping set", async () => {
    const data = await query(`{ datas(orderBy: id) { id timestamp token amount } }`);
    expect(data.datas).toEqual([
      { id: pointId(0), timestamp: micros(day + 600), token: "a", amount: "10" },
      { id: pointId(1, 0), timestamp: micros(day + 1200), token: "b", amount: "5" },
      { id: pointId(1, 1), timestamp: micros(day + 1200), token: "a", amount: "2" },
      { id: pointId(2), timestamp: micros(day + 1800), token: "a", amount: "7" },
      { id: pointId(3), timestamp: micros(day + HOUR + 300), token: "a", amount: "3" },
      { id: pointId(4), timestamp: micros(day + HOUR + 900), token: "b", amount: "20" },
      { id: pointId(5), timestamp: micros(day + DAY + 60), token: "a", amount: "1" },
    ]);
  });

  it("serves closed hourly buckets per token, newest first (timestamp desc, then id desc)", async () => {
    // Hour 1: a = [3] (cumulative 19 + 3), b = [20] (cumulative 5 + 20). Hour 0: a = [10, 2, 7], b = [5].
    // The id is the largest point id of the group; `last` is the value of that point.
    expect(await stats("interval: hour")).toEqual([
      bucket(pointId(4), HOUR, "b", [20, 1, 20, 20, 25]),
      bucket(pointId(3), HOUR, "a", [3, 1, 3, 3, 22]),
      bucket(pointId(2), 0, "a", [19, 3, 10, 7, 19]),
      bucket(pointId(1, 0), 0, "b", [5, 1, 5, 5, 5]),
    ]);
  });

  it("serves closed daily buckets", async () => {
    // Day D: a = [10, 2, 7, 3], b = [5, 20]; day D + 1 is still open.
    expect(await stats("interval: day")).toEqual([
      bucket(pointId(4), 0, "b", [25, 2, 20, 20, 25]),
      bucket(pointId(3), 0, "a", [22, 4, 10, 3, 22]),
    ]);
  });

  it("closes a bucket only at the first block past its end (time travel with block: { number })", async () => {
    const hours = async (blockIndex: number) =>
      (await stats(`interval: hour, orderBy: timestamp, orderDirection: asc, block: { number: ${block[blockIndex]} }`)).map((b) => [b.timestamp, b.token]);
    // Blocks 0-2 lie in hour 0: nothing is closed yet.
    expect(await hours(2)).toEqual([]);
    // Block 3 is the first past hour 0: hour 0 is rolled up in it. Ascending order: timestamp, then id (b's is lower).
    expect(await hours(3)).toEqual([
      [micros(day), "b"],
      [micros(day), "a"],
    ]);
    expect(await hours(4)).toEqual(await hours(3));
    // Block 5 closes hour 1.
    expect((await hours(5)).length).toBe(4);
    const days = async (blockIndex: number) => (await stats(`interval: day, block: { number: ${block[blockIndex]} }`)).length;
    expect(await days(4)).toBe(0);
    expect(await days(5)).toBe(2);
  });

  it("filters on the dimension and on the bucket timestamp", async () => {
    expect((await stats(`interval: hour, where: { token: "a" }`)).map((b) => b.sum)).toEqual(["3", "19"]);
    expect((await stats(`interval: hour, where: { timestamp_gte: "${micros(day + 1)}" }`)).map((b) => b.token)).toEqual(["b", "a"]);
    expect((await stats(`interval: day, where: { token: "b" }`)).map((b) => b.total)).toEqual(["25"]);
    // graph-node's field_filter_ops for aggregations: a String dimension has equality only.
    expect((await post(indexer.url, `{ stats_collection(interval: day, where: { token_in: ["b"] }) { id } }`)).errors).toBeDefined();
    expect((await stats(`interval: hour, first: 1, skip: 1`)).map((b) => b.id)).toEqual([pointId(3)]);
  });
  describe("current: include (the open bucket, from the points not rolled up yet)", () => {
    it("adds the open bucket per token: id the largest point id, timestamp the bucket start, cumulative over the closed ones", async () => {
      // Hour 1 closed at block 5, whose point (a: 1) lies in the open hour of day D + 1; total = 22 (a's hour 1) + 1.
      const hours = await stats("interval: hour, current: include");
      expect(hours[0]).toEqual(bucket(pointId(5), DAY, "a", [1, 1, 1, 1, 23]));
      expect(hours.slice(1)).toEqual(await stats("interval: hour"));
      expect(await stats("interval: hour, current: exclude")).toEqual(await stats("interval: hour"));
      // Day D + 1 is open too: a = [1], total 22 + 1.
      expect(await stats("interval: day, current: include")).toEqual([
        bucket(pointId(5), DAY, "a", [1, 1, 1, 1, 23]),
        ...(await stats("interval: day")),
      ]);
    });

    it("orders and pages the open bucket with the closed ones", async () => {
      const ascending = await stats("interval: hour, current: include, orderBy: timestamp, orderDirection: asc");
      expect(ascending.map((b) => [b.timestamp, b.token])).toEqual([
        [micros(day), "b"],
        [micros(day), "a"],
        [micros(day + HOUR), "a"],
        [micros(day + HOUR), "b"],
        [micros(day + DAY), "a"],
      ]);
      expect((await stats("interval: hour, current: include, first: 2")).map((b) => b.id)).toEqual([pointId(5), pointId(4)]);
      expect((await stats("interval: hour, current: include, skip: 4")).map((b) => b.id)).toEqual([pointId(1, 0)]);
    });

    it("applies where to the points: a group without open points has no open row, timestamps filter point times", async () => {
      expect((await stats(`interval: hour, current: include, where: { token: "b" }`)).map((b) => b.sum)).toEqual(["20", "5"]);
      // graph-node filters the points, not the buckets: the open row's timestamp (day D + 1, 00:00) lies before the bound.
      const late = await stats(`interval: hour, current: include, where: { timestamp_gte: "${micros(day + DAY + 30)}" }`);
      expect(late).toEqual([bucket(pointId(5), DAY, "a", [1, 1, 1, 1, 23])]);
      expect(await stats(`interval: hour, current: include, where: { timestamp_gte: "${micros(day + DAY + 61)}" }`)).toEqual([]);
    });

    it("at an earlier block, counts only points after the latest rollup, as graph-node's query does", async () => {
      // graph-node takes the last rollup from the whole table (rollup.rs `last_rollup`), not as of the block: at block
      // 4 hour 1 was open, but its points lie before today's last rollup, so no open row is computed for it.
      expect((await stats(`interval: hour, current: include, block: { number: ${block[4]} }`)).map((b) => b.timestamp)).toEqual([micros(day), micros(day)]);
    });
  });
});
