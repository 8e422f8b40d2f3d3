/**
 * Interface id uniqueness through real graph-ts code (fixtures/interfaces): graph-node refuses to store an entity
 * whose id an entity of another type sharing an interface with it already holds (`check_intf_uniqueness`,
 * store/postgres/src/deployment_store.rs), failing the handler deterministically with `StoreError::ConflictingId`'s
 * message (graph/src/components/store/err.rs).
 */
import { readFileSync } from "node:fs";
import { Interface } from "ethers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { HandlerError, HostError } from "../../../src/indexer/runtime/errors.ts";
import { typesSharingInterface } from "../../../src/indexer/runtime/host/store.ts";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { ensureFixtureBuilt } from "./fixture-build.ts";
import { block, encodeLog, eventTrigger, transaction, txHash } from "./helpers.ts";

const FACTORY = "0x00000000000000000000000000000000000000fa";
let runtime: SubgraphRuntime;
let iface: Interface;
let cache: EntityCache;
let blockNumber = 100n;
let logIndex = 0n;

beforeAll(async () => {
  const manifest = ensureFixtureBuilt("interfaces");
  runtime = await SubgraphRuntime.load(manifest);
  iface = new Interface(JSON.parse(readFileSync(manifest.replace("subgraph.yaml", "Factory/Factory.json"), "utf8")));
}, 300_000);

beforeEach(() => {
  cache = runtime.createEntityCache();
  blockNumber += 10n;
  cache.beginBlock();
});

function save(op: string, id: string, name = "x"): void {
  const blk = block(blockNumber);
  const hash = txHash(Number(blockNumber));
  const log = encodeLog(iface, "StoreOp", [op, id, name], { address: FACTORY, block: blk, txHash: hash, logIndex: logIndex++ });
  runtime.runTrigger(eventTrigger("Factory", "handleStoreOp", log, blk, transaction(hash)), cache);
}

function nextBlock(): void {
  cache.commitBlock();
  blockNumber += 1n;
  cache.beginBlock();
}

function conflict(op: string, id: string): HostError {
  try {
    save(op, id);
  } catch (error) {
    expect(error).toBeInstanceOf(HandlerError);
    const cause = (error as HandlerError).cause;
    expect(cause).toBeInstanceOf(HostError);
    return cause as HostError;
  }
  throw new Error(`saving ${op} ${id} did not fail`);
}

const message = (type: string, id: string, other: string) =>
  `tried to set entity of type \`${type}\` with ID "${id}" but an entity of type \`${other}\`, which has an interface in common with \`${type}\`, exists with the same ID`;

describe("interface id uniqueness", () => {
  it("knows which types share an interface (graph-node's share_interfaces, the type itself left out)", () => {
    const schema = runtime.schema;
    const types = (name: string) => typesSharingInterface(schema, schema.entities.get(name)!);
    expect(types("Dog")).toEqual(["Cat", "Robot"]);
    expect(types("Cat")).toEqual(["Dog"]);
    expect(types("Robot")).toEqual(["Dog"]);
    expect(types("Person")).toEqual([]);
  });

  it("refuses an id already used by another implementation of a shared interface, committed or in this block", () => {
    save("Dog", "1");
    const inBlock = conflict("Cat", "1");
    expect(inBlock.message).toBe(message("Cat", "1", "Dog"));
    expect(inBlock.code).toBe("conflicting-id");
    expect(inBlock.deterministic).toBe(true);
    nextBlock();
    expect(conflict("Robot", "1").message).toBe(message("Robot", "1", "Dog"));
    save("Cat", "2");
    nextBlock();
    expect(conflict("Dog", "2").message).toBe(message("Dog", "2", "Cat"));
  });

  it("allows the same id in types without a shared interface, and rewriting the entity itself", () => {
    save("Cat", "7");
    save("Robot", "7");
    save("Person", "7");
    save("Cat", "7", "renamed");
    nextBlock();
    expect(cache.get("Cat", "7")).toEqual({ id: "7", name: "renamed" });
    expect(cache.get("Robot", "7")).toEqual({ id: "7", name: "x" });
  });
});
