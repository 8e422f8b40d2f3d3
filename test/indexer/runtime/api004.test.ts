/**
 * apiVersion 0.0.4 mappings (AssemblyScript 0.6 memory layout, asc-v004.ts): the api004 fixture's mapping, built by
 * graph-cli 0.21.3 (legacy/, committed) and by today's graph-cli (build/, apiVersion 0.0.9), indexes the same events
 * into the same entities.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/indexer/store/index.ts";
import { startGraphQLServer } from "../../../src/indexer/graphql/server.ts";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import type { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { MappingModule } from "../../../src/indexer/runtime/module.ts";
import { SchemaInfo } from "../../../src/indexer/runtime/entity.ts";
import { loadManifest } from "../../../src/indexer/runtime/manifest.ts";
import { AscHeapV004 } from "../../../src/indexer/runtime/asc-v004.ts";
import type { AscHeap, StoreValue } from "../../../src/indexer/runtime/asc.ts";
import { HostError } from "../../../src/indexer/runtime/errors.ts";
import { StoreValueKind as SK, JsonValueKind as JK, EthereumValueKind as EK, TypeId } from "../../../src/indexer/runtime/type-ids.ts";
import { BigDecimal } from "../../../src/indexer/values.ts";
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
async function indexStored(manifest: string, args: unknown[] = ARGS): Promise<{ cache: EntityCache; id: string; runtime: SubgraphRuntime }> {
  const runtime = await SubgraphRuntime.load(manifest);
  const cache = runtime.createEntityCache();
  const blk = block(5n);
  const log = encodeLog(iface, "Stored", args, { address: ADDRESS, block: blk, txHash: txHash(7), logIndex: 3n });
  const [match] = runtime.matchLog(log);
  expect(match).toBeDefined();
  runtime.runTrigger(eventTrigger("Api004", "handleStored", log, blk, transaction(txHash(7))), cache);
  return { cache, id: `${txHash(7)}-3`, runtime };
}

const FIELDS = "id name amount small ratio data who flag tags nums whos paramNames blockNumber txHash whoHex sum reloadedName";

/** Indexes the event with the mapping of `manifest` into a PGlite store and answers a GraphQL query of every field. */
async function queryStored(manifest: string): Promise<unknown> {
  const { cache, runtime } = await indexStored(manifest);
  const store = await createStore({ schema: runtime.schema });
  await store.commitBlock({ number: 5, hash: block(5n).hash, parentHash: block(4n).hash, timestamp: 1_700_000_060 }, cache.changes());
  const server = await startGraphQLServer({ store, schema: runtime.schema, subgraphName: "test/api004", deployment: "QmApi004" });
  try {
    const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ storedRecords { ${FIELDS} } }` }) });
    return await response.json();
  } finally {
    await server.close();
    await store.close();
  }
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

/** The legacy module's heap, attached to a live instance. */
async function legacyHeap(): Promise<AscHeap> {
  const manifest = loadManifest(LEGACY_MANIFEST);
  const mapping = manifest.dataSources[0]!.mapping;
  const module = await MappingModule.load(mapping.file, {
    schema: new SchemaInfo(manifest.schema),
    apiVersion: mapping.apiVersion,
    abis: mapping.abis,
    templates: [],
    chain: null,
    logger: null,
  });
  module.instantiate();
  return module.ctx.heap;
}

describe("apiVersion 0.0.4 over GraphQL", () => {
  it("answers the same query with the same values as the 0.0.9 build", async () => {
    const legacy = (await queryStored(LEGACY_MANIFEST)) as { data: { storedRecords: Record<string, unknown>[] } };
    expect(legacy.data.storedRecords[0]).toMatchObject({
      name: "naïve 🦀 name",
      amount: (2n ** 200n + 7n).toString(),
      small: -42,
      data: "0xdeadbeef00",
      tags: ["a", "", "ünï"],
      nums: ["0", "1", (2n ** 255n).toString()],
      reloadedName: "naïve 🦀 name!",
    });
    expect(legacy).toEqual(await queryStored(modernManifest));
  });
});

describe("the AssemblyScript 0.6 heap layout (graph-node's asc_abi/v0_0_4.rs)", () => {
  let heap: AscHeap;
  beforeAll(async () => {
    heap = await legacyHeap();
  });

  it("is the heap of a 0.0.4 module", () => {
    expect(heap).toBeInstanceOf(AscHeapV004);
  });

  it("writes Strings as length (code units) then UTF-16LE, and rejects lone surrogates", () => {
    for (const s of ["", "a", "héllo 😀", "x".repeat(3000)]) {
      const ptr = heap.writeString(s);
      expect(heap.u32(ptr)).toBe(s.length);
      if (s.length > 0) expect(heap.dv.getUint16(ptr + 4, true)).toBe(s.charCodeAt(0));
      expect(heap.readString(ptr)).toBe(s);
    }
    const lone = heap.writeString("a\ud800");
    expect(() => heap.readString(lone)).toThrow("invalid utf-16: lone surrogate found");
    expect(heap.readString(heap.writeString("a\u0000b"))).toBe("ab");
  });

  it("writes ArrayBuffers as byte_length, padding, bytes in a power-of-two allocation, and Bytes as buffer, 0, length", () => {
    const ptr = heap.writeBytes(new Uint8Array([1, 2, 3, 250, 9]));
    const buffer = heap.u32(ptr);
    expect([heap.u32(ptr + 4), heap.u32(ptr + 8)]).toEqual([0, 5]);
    expect([heap.u32(buffer), heap.u32(buffer + 4)]).toEqual([5, 0]);
    expect([...heap.u8.subarray(buffer + 8, buffer + 16)]).toEqual([1, 2, 3, 250, 9, 0, 0, 0]);
    expect([...heap.readBytes(ptr)]).toEqual([1, 2, 3, 250, 9]);
    expect([...heap.readArrayBuffer(buffer)]).toEqual([1, 2, 3, 250, 9]);
    const view = heap.writeObject(TypeId.Uint8Array, [buffer, 3, 2]);
    expect([...heap.readBytes(view)]).toEqual([250, 9]);
    const past = heap.writeObject(TypeId.Uint8Array, [buffer, 3, 10]);
    expect([...heap.readBytes(past)]).toEqual([250, 9]);
    expect(heap.readBigInt(heap.writeBigInt(-(2n ** 100n)))).toBe(-(2n ** 100n));
  });

  it("writes Arrays as buffer, length over an ArrayBuffer of pointers", () => {
    const ptr = heap.writeStringArray(["a", "bc", ""]);
    const buffer = heap.u32(ptr);
    expect(heap.u32(ptr + 4)).toBe(3);
    expect(heap.u32(buffer)).toBe(12);
    expect(heap.readString(heap.u32(buffer + 8 + 4))).toBe("bc");
    expect(heap.readStringArray(ptr)).toEqual(["a", "bc", ""]);
    expect(heap.readStringArray(heap.writeStringArray([]))).toEqual([]);
  });

  it("round-trips store values, entities, JSON and ethereum values through the same class fields as 0.0.5", () => {
    const values: StoreValue[] = [
      { kind: SK.STRING, value: "s" },
      { kind: SK.INT, value: -7 },
      { kind: SK.BIGDECIMAL, value: new BigDecimal(-125n, -2) },
      { kind: SK.BOOL, value: true },
      { kind: SK.ARRAY, value: [{ kind: SK.BIGINT, value: 2n ** 70n }, { kind: SK.NULL }] },
      { kind: SK.BYTES, value: new Uint8Array([0xab]) },
      { kind: SK.INT8, value: -(2n ** 40n) },
    ];
    for (const v of values) expect(heap.readStoreValue(heap.writeStoreValue(v))).toEqual(v);
    const entity: [string, StoreValue][] = [["id", { kind: SK.STRING, value: "x" }], ["n", { kind: SK.INT, value: 1 }]];
    expect(heap.readEntity(heap.writeEntity(entity))).toEqual(entity);
    const json = { kind: JK.OBJECT, value: [["a", { kind: JK.ARRAY, value: [{ kind: JK.NUMBER, value: "1.5" }, { kind: JK.NULL }] }]] } as const;
    expect(heap.readJsonValue(heap.writeJsonValue(json as never))).toEqual(json);
    const eth = { kind: EK.TUPLE, value: [{ kind: EK.ADDRESS, value: new Uint8Array(20).fill(1) }, { kind: EK.UINT, value: 5n }] } as const;
    expect(heap.readEthValue(heap.writeEthValue(eth as never))).toEqual(eth);
  });

  it("refuses null pointers and reads past the end of memory", () => {
    expect(() => heap.readString(0)).toThrow(HostError);
    const huge = heap.writeString("ab");
    heap.dv.setUint32(huge, 0x7ffffff0, true);
    expect(() => heap.readString(huge)).toThrow(/^Heap access out of bounds\. Offset: \d+ Size: 4294967268$/);
    heap.dv.setUint32(huge, 0x80000000, true);
    expect(() => heap.readString(huge)).toThrow("Overflowed when getting size of string");
  });
});
