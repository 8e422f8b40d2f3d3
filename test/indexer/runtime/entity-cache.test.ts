/** EntityCache: block buffering, change lists, commit/discard, and the reverse-reference index. */
import { describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";

const schema = parseSchema(`
  type Parent @entity(immutable: false) { id: Bytes! children: [Child!]! @derivedFrom(field: "parent") }
  type Child @entity(immutable: false) { id: ID! parent: Parent, others: [Parent!], n: Int }
`);
const P1 = new Uint8Array([1]);
const P2 = new Uint8Array([2]);

function cacheWith(children: number): EntityCache {
  const cache = new EntityCache(schema);
  cache.load("Parent", [{ id: P1 }, { id: P2 }]);
  cache.load(
    "Child",
    Array.from({ length: children }, (_, i) => ({ id: `c${i}`, parent: i % 2 === 0 ? P1 : P2, others: i % 3 === 0 ? [P2] : [], n: i })),
  );
  return cache;
}

const ids = (entities: { id?: unknown }[]) => entities.map((e) => String(e.id)).sort();

describe("EntityCache", () => {
  it("loads committed entities keyed by their id string", () => {
    const cache = cacheWith(3);
    expect(cache.get("Parent", "0x01")).toEqual({ id: P1 });
    expect(cache.existedBeforeBlock("Child", "c2")).toBe(true);
    expect(cache.count("Child")).toBe(3);
    expect(() => cache.load("Nope", [])).toThrow("unknown entity type Nope");
  });

  it("layers this block's writes over committed state; get_in_block sees only the writes", () => {
    const cache = cacheWith(2);
    cache.beginBlock();
    expect(cache.getInBlock("Child", "c0")).toBeNull();
    cache.set("Child", "c0", { id: "c0", parent: P2, n: 100 });
    cache.remove("Child", "c1");
    expect(cache.get("Child", "c0")).toEqual({ id: "c0", parent: P2, n: 100 });
    expect(cache.getInBlock("Child", "c0")).toEqual({ id: "c0", parent: P2, n: 100 });
    expect(cache.get("Child", "c1")).toBeNull();
    expect(cache.existedBeforeBlock("Child", "c1")).toBe(true);
  });

  it("lists changes sorted by type and id, dropping no-ops and removals of unknown entities", () => {
    const cache = cacheWith(2);
    cache.beginBlock();
    cache.set("Child", "c9", { id: "c9", n: 9 });
    cache.set("Child", "c0", { id: "c0", parent: P1, others: [P2], n: 0 }); // identical to the loaded one
    cache.remove("Child", "zz");
    cache.remove("Child", "c1");
    cache.set("Parent", "0x03", { id: new Uint8Array([3]) });
    expect(cache.changes()).toEqual([
      { entityType: "Child", id: "c1", data: null },
      { entityType: "Child", id: "c9", data: { id: "c9", n: 9 } },
      { entityType: "Parent", id: "0x03", data: { id: new Uint8Array([3]) } },
    ]);
  });

  it("commits the block into the current state, or discards it entirely", () => {
    const cache = cacheWith(2);
    cache.beginBlock();
    cache.set("Child", "c5", { id: "c5", n: 5 });
    expect(() => cache.beginBlock()).toThrow(/uncommitted writes/);
    cache.discardBlock();
    expect(cache.get("Child", "c5")).toBeNull();
    expect(cache.changes()).toEqual([]);
    cache.beginBlock();
    cache.set("Child", "c5", { id: "c5", n: 5 });
    cache.remove("Child", "c0");
    cache.commitBlock();
    expect(cache.existedBeforeBlock("Child", "c5")).toBe(true);
    expect(cache.existedBeforeBlock("Child", "c0")).toBe(false);
    expect(cache.changes()).toEqual([]);
  });

  it("finds referencing entities through the index, with this block's writes taking precedence", () => {
    const cache = cacheWith(10);
    expect(ids(cache.findReferencing("Child", "parent", "0x01"))).toEqual(["c0", "c2", "c4", "c6", "c8"]);
    expect(ids(cache.findReferencing("Child", "others", "0x02"))).toEqual(["c0", "c3", "c6", "c9"]);
    cache.beginBlock();
    cache.set("Child", "c0", { id: "c0", parent: P2 }); // moves away from P1
    cache.set("Child", "c1", { id: "c1", parent: P1 }); // moves to P1
    cache.remove("Child", "c2");
    cache.set("Child", "new", { id: "new", parent: P1 });
    expect(ids(cache.findReferencing("Child", "parent", "0x01"))).toEqual(["c1", "c4", "c6", "c8", "new"]);
    cache.commitBlock();
    // The index follows committed changes.
    expect(ids(cache.findReferencing("Child", "parent", "0x01"))).toEqual(["c1", "c4", "c6", "c8", "new"]);
    expect(ids(cache.findReferencing("Child", "parent", "0x02"))).toEqual(["c0", "c3", "c5", "c7", "c9"]);
    cache.load("Child", [{ id: "late", parent: P2 }]);
    expect(ids(cache.findReferencing("Child", "parent", "0x02"))).toContain("late");
  });

  it("answers reverse lookups on a large cache quickly (indexed, not a scan per call)", () => {
    const cache = cacheWith(100_000);
    cache.findReferencing("Child", "parent", "0x01"); // builds the index
    const started = performance.now();
    for (let i = 0; i < 5000; i++) cache.findReferencing("Child", "parent", "0x03");
    // A scan would visit 5e8 entities here (many seconds); the index answers in microseconds per call.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cache.findReferencing("Child", "others", "0x01")).toEqual([]);
  });
});
