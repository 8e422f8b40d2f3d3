/**
 * apiVersion 0.0.4 mappings (AssemblyScript 0.6 memory layout, asc-v004.ts): the api004 fixture's mapping, built by
 * graph-cli 0.21.3 (legacy/, committed) and by today's graph-cli (build/, apiVersion 0.0.9), indexes the same events
 * into the same entities.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import type { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { block, encodeLog, eventTrigger, hex, transaction, txHash } from "./helpers.ts";
import { ensureFixtureBuilt } from "./fixture-build.ts";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "api004");
const LEGACY_MANIFEST = join(fixture, "legacy", "subgraph.yaml");
const ADDRESS = "0x00000000000000000000000000000000000000a4";
const iface = new Interface(JSON.parse(readFileSync(join(fixture, "abis", "Api004.json"), "utf8")));
const b = (h: string) => new Uint8Array(Buffer.from(h.replace(/^0x/, ""), "hex"));

let modernManifest: string;
beforeAll(() => {
  modernManifest = ensureFixtureBuilt("api004");
});

const ARGS = ["naïve 🦀 name", 2n ** 200n + 7n, -42, "0xdeadbeef00", hex(0x7a, 20), true, ["a", "", "ünï"], [0n, 1n, 2n ** 255n], [hex(0x01, 20), hex(0x02, 20)]];

/** Indexes one Stored event (block 5, log 3) with `args` and returns the cache. */
async function indexStored(manifest: string, args: unknown[] = ARGS): Promise<{ cache: EntityCache; id: string }> {
  const runtime = await SubgraphRuntime.load(manifest);
  const cache = runtime.createEntityCache();
  const blk = block(5n);
  const log = encodeLog(iface, "Stored", args, { address: ADDRESS, block: blk, txHash: txHash(7), logIndex: 3n });
  const [match] = runtime.matchLog(log);
  expect(match).toBeDefined();
  runtime.runTrigger(eventTrigger("Api004", "handleStored", log, blk, transaction(txHash(7))), cache);
  return { cache, id: `${txHash(7)}-3` };
}

describe("apiVersion 0.0.4 (graph-cli 0.21, AssemblyScript 0.6)", () => {
  it("indexes an event into an entity with a field of every kind", async () => {
    const { cache, id } = await indexStored(LEGACY_MANIFEST);
    const record = cache.get("StoredRecord", id)!;
    expect(record).toMatchObject({
      id,
      name: "naïve 🦀 name",
      amount: 2n ** 200n + 7n,
      small: -42,
      data: b("0xdeadbeef00"),
      who: b(hex(0x7a, 20)),
      flag: true,
      tags: ["a", "", "ünï"],
      nums: [0n, 1n, 2n ** 255n],
      whos: [b(hex(0x01, 20)), b(hex(0x02, 20))],
      paramNames: "name,amount,small,data,who,flag,tags,nums,whos",
      blockNumber: 5n,
      txHash: b(txHash(7)),
      whoHex: hex(0x7a, 20),
      sum: 2n ** 200n + 7n - 42n,
      reloadedName: "naïve 🦀 name!",
    });
    expect(String(record.ratio)).toBe(String((await indexStored(modernManifest)).cache.get("StoredRecord", id)!.ratio));
  });

  it("stores exactly what the same mapping built for apiVersion 0.0.9 stores", async () => {
    const legacy = await indexStored(LEGACY_MANIFEST);
    const modern = await indexStored(modernManifest);
    expect(legacy.cache.get("StoredRecord", legacy.id)).toEqual(modern.cache.get("StoredRecord", modern.id));
  });
});
