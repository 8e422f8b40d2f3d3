/**
 * graph-node's store semantics through real graph-ts code (the hostcheck fixture's handleStoreOp): merging partial
 * writes, unsetting fields, validation errors of each kind, immutability, no-op writes, get_in_block, loadRelated,
 * remove, and id normalisation.
 */
import { readFileSync } from "node:fs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { HandlerError, HostError } from "../../../src/indexer/runtime/errors.ts";
import { BigDecimal } from "../../../src/indexer/values.ts";
import { block, encodeLog, eventTrigger, hostcheckManifest, transaction, txHash } from "./helpers.ts";

const FACTORY = "0x00000000000000000000000000000000000000fa";
let runtime: SubgraphRuntime;
let iface: Interface;
let cache: EntityCache;
let blockNumber = 100n;
let logIndex = 0n;

beforeAll(async () => {
  const manifest = hostcheckManifest();
  runtime = await SubgraphRuntime.load(manifest);
  iface = new Interface(JSON.parse(readFileSync(manifest.replace("subgraph.yaml", "Factory/Factory.json"), "utf8")));
});

beforeEach(() => {
  cache = runtime.createEntityCache();
  blockNumber += 10n;
  cache.beginBlock();
});

/** Commits the current block and starts the next one; returns the committed block's changes. */
function nextBlock() {
  const changes = cache.changes();
  cache.commitBlock();
  blockNumber += 1n;
  cache.beginBlock();
  return changes;
}

function storeOp(op: string, id: string, arg = ""): void {
  const blk = block(blockNumber);
  const hash = txHash(Number(blockNumber));
  const log = encodeLog(iface, "StoreOp", [op, id, arg], { address: FACTORY, block: blk, txHash: hash, logIndex: logIndex++ });
  runtime.runTrigger(eventTrigger("Factory", "handleStoreOp", log, blk, transaction(hash)), cache);
}

function failure(op: string, id: string, arg = ""): HandlerError {
  try {
    storeOp(op, id, arg);
  } catch (error) {
    expect(error).toBeInstanceOf(HandlerError);
    return error as HandlerError;
  }
  throw new Error(`${op} did not fail`);
}

function result(op: string): string {
  const found = [...cache.entities("ComputeResult")].filter((e) => e.op === op);
  const pending = cache.changes().filter((c) => c.entityType === "ComputeResult" && c.data?.op === op);
  const all = [...found, ...pending.map((c) => c.data!)];
  return String(all[all.length - 1]!.text);
}

describe("store.set", () => {
  it("stores every scalar kind as graph-ts wrote it, and store.get hands them back with the right kinds", () => {
    storeOp("thing.create", "t1", "first");
    expect(cache.get("Thing", "t1")).toEqual({
      id: "t1",
      name: "first",
      count: 7,
      big: -12345678901234567890n,
      dec: new BigDecimal(15n, -1),
      flag: true,
      data: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      i8: -9n,
      ts: 1700000000000000n,
      color: "RED",
      tags: ["a", "b"],
      owner: new Uint8Array([1, 1]),
    });
    nextBlock();
    storeOp("thing.read", "t1");
    expect(result("thing.read")).toBe("first|7|-12345678901234567890|1.5|true|0xdeadbeef|-9|1700000000000000|RED|a,b|0x0101");
  });

  it("merges a partial entity into the stored one", () => {
    storeOp("thing.create", "t1", "first");
    nextBlock();
    storeOp("thing.partial", "t1", "99");
    const changes = nextBlock();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.data).toMatchObject({ id: "t1", name: "first", count: 99, color: "RED", flag: true });
  });

  it("removes a field set to null, and refuses to null a non-null field", () => {
    storeOp("thing.create", "t1", "first");
    nextBlock();
    storeOp("thing.unset", "t1", "color");
    const thing = cache.get("Thing", "t1")!;
    expect("color" in thing).toBe(false);
    expect(thing.name).toBe("first");
    const error = failure("thing.unset", "t1", "name");
    expect(error.reason).toBe("Entity Thing[t1]: missing value for non-nullable field `name`");
  });

  it("drops writes that change nothing", () => {
    storeOp("thing.create", "t1", "first");
    nextBlock();
    storeOp("thing.noop", "t1");
    expect(cache.hasPendingWrites()).toBe(true);
    expect(nextBlock()).toEqual([]);
  });

  it("merges several writes of one entity within a block into one change", () => {
    storeOp("thing.create", "t2", "a");
    storeOp("thing.partial", "t2", "5");
    const changes = nextBlock();
    expect(changes.filter((c) => c.entityType === "Thing")).toEqual([
      { entityType: "Thing", id: "t2", data: expect.objectContaining({ name: "a", count: 5 }) },
    ]);
  });
});

describe("store.set validation (deterministic handler errors)", () => {
  const cases: [string, string, string, string][] = [
    ["bad.missing", "m1", "missing-field", "Entity Thing[m1]: missing value for non-nullable field `name`"],
    ["bad.type", "x1", "wrong-type", "Entity Thing[x1]: the value `seven` for field `count` must have type Int but has type String"],
    ["bad.list", "x2", "wrong-type", "Entity Thing[x2]: field `tags` is of type [String!], but the value `[a, 3]` contains a Int at index 1"],
    ["bad.derived", "x3", "derived-field", "Entity Thing[x3]: field `parts` is derived and cannot be set"],
    [
      "bad.undefined",
      "x4",
      "undefined-fields",
      "Attempted to set undefined fields [alsoBogus, bogus] for the entity type `Thing`. Make sure those fields are defined in the schema.",
    ],
    ["bad.enum", "x6", "wrong-type", "Entity Thing[x6]: the value `PURPLE` for field `color` is not a value of enum Color"],
    ["bad.entityType", "x7", "unknown-entity-type", "Entity type `Nope` is not defined in the schema (store.set)"],
  ];

  it.each(cases)("%s fails with %s", (op, id, code, message) => {
    const error = failure(op, id);
    expect(error.reason).toBe(message);
    expect(error.deterministic).toBe(true);
    expect((error.cause as HostError).code).toBe(code);
    expect(cache.get("Thing", id)).toBeNull();
  });

  it("rejects an id that differs from the key", () => {
    const error = failure("bad.id", "x5", "other");
    expect(error.reason).toBe("Value of Thing attribute 'id' conflicts with ID passed to `store.set()`: x5 != other");
    expect((error.cause as HostError).code).toBe("id-mismatch");
  });
});

describe("immutable entities", () => {
  it("may be written repeatedly within the block that creates them, but not in a later block", () => {
    storeOp("thing.create", "t1", "first");
    storeOp("part.create", "1", "t1");
    storeOp("part.create", "1", "t1");
    expect(nextBlock().filter((c) => c.entityType === "Part")).toEqual([{ entityType: "Part", id: "1", data: { id: 1n, thing: "t1", weight: 1 } }]);
    const error = failure("part.create", "1", "t1");
    expect(error.reason).toMatch(/^entity Part\[1\] is immutable; it was inserted in an earlier block/);
    expect((error.cause as HostError).code).toBe("immutable");
  });
});

describe("reads", () => {
  it("store.get_in_block sees only this block's writes", () => {
    storeOp("thing.create", "t1", "first");
    nextBlock();
    storeOp("thing.inBlock", "t1");
    expect(result("thing.inBlock")).toBe("null");
    storeOp("thing.partial", "t1", "3");
    storeOp("thing.inBlock", "t1");
    expect(result("thing.inBlock")).toBe("found");
  });

  it("store.loadRelated resolves @derivedFrom through committed and in-block entities, sorted by id", () => {
    storeOp("owner.create", "0x0101", "owner");
    storeOp("thing.create", "t1", "first");
    storeOp("part.create", "2", "t1");
    storeOp("part.create", "10", "t1");
    storeOp("thing.create", "t9", "other");
    nextBlock();
    storeOp("part.create", "3", "t1");
    storeOp("thing.create", "t3", "third");
    // Int8 ids sort numerically (2, 3, 10); Thing ids as strings.
    storeOp("thing.related", "t1", "0x0101");
    expect(result("thing.related")).toBe("2:1,3:1,10:1|t1,t3,t9");
    storeOp("thing.remove", "t9");
    storeOp("thing.related", "t1", "0x0101");
    expect(result("thing.related")).toBe("2:1,3:1,10:1|t1,t3");
  });
});

describe("store.remove and ids", () => {
  it("removes entities; removing what never existed changes nothing", () => {
    storeOp("thing.create", "t1", "first");
    nextBlock();
    storeOp("thing.remove", "t1");
    storeOp("thing.remove", "never");
    expect(cache.get("Thing", "t1")).toBeNull();
    expect(nextBlock()).toEqual([{ entityType: "Thing", id: "t1", data: null }]);
    expect(cache.count("Thing")).toBe(0);
  });

  it("normalises Bytes ids to lowercase 0x-hex", () => {
    storeOp("owner.create", "0xABCD", "upper");
    storeOp("owner.create", "0xabcd", "lower");
    const changes = nextBlock();
    expect(changes).toEqual([{ entityType: "Owner", id: "0xabcd", data: { id: new Uint8Array([0xab, 0xcd]), label: "lower" } }]);
  });
});
