/**
 * EntityCache: block buffering, change lists, commit/discard, reverse references — in memory (no source) and reading
 * through to a real store (PGlite and PostgreSQL) with a bounded cache.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import type { Entity } from "../../../src/indexer/values.ts";
import type { EntityChange, EntitySource } from "../../../src/indexer/store/types.ts";
import type { SqlStore } from "../../../src/indexer/store/store.ts";
import { PGLITE_DIRECTORY, PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "../store/helpers.ts";

const schema = parseSchema(`
  type Parent @entity(immutable: false) { id: Bytes! children: [Child!]! @derivedFrom(field: "parent") }
  type Child @entity(immutable: false) { id: ID! parent: Parent, others: [Parent!], n: Int }
`);
const P1 = new Uint8Array([1]);
const P2 = new Uint8Array([2]);

function child(i: number): Entity {
  return { id: `c${i}`, parent: i % 2 === 0 ? P1 : P2, others: i % 3 === 0 ? [P2] : [], n: i };
}

/** Writes two parents and `children` children as one committed block; returns its changes. */
function commitFirstBlock(cache: EntityCache, children: number): EntityChange[] {
  cache.beginBlock();
  cache.set("Parent", "0x01", { id: P1 });
  cache.set("Parent", "0x02", { id: P2 });
  for (let i = 0; i < children; i++) cache.set("Child", `c${i}`, child(i));
  const changes = cache.changes();
  cache.commitBlock();
  return changes;
}

function cacheWith(children: number): EntityCache {
  const cache = new EntityCache(schema);
  commitFirstBlock(cache, children);
  return cache;
}

const ids = (entities: { id?: unknown }[]) => entities.map((e) => String(e.id)).sort();

describe("EntityCache in memory (no source)", () => {
  it("holds committed entities keyed by their id string", () => {
    const cache = cacheWith(3);
    expect(cache.get("Parent", "0x01")).toEqual({ id: P1 });
    expect(cache.existedBeforeBlock("Child", "c2")).toBe(true);
    expect(cache.existedBeforeBlock("Child", "c3")).toBe(false);
    expect(cache.count("Child")).toBe(3);
    expect(ids([...cache.entities("Child")])).toEqual(["c0", "c1", "c2"]);
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
    cache.set("Child", "c0", { id: "c0", parent: P1, others: [P2], n: 0 }); // identical to the committed one
    cache.remove("Child", "zz");
    cache.remove("Child", "c1");
    cache.set("Parent", "0x03", { id: new Uint8Array([3]) });
    expect(cache.changes()).toEqual([
      { entityType: "Child", id: "c1", data: null },
      { entityType: "Child", id: "c9", data: { id: "c9", n: 9 } },
      { entityType: "Parent", id: "0x03", data: { id: new Uint8Array([3]) } },
    ]);
  });

  it("commits the block into the committed state, or discards it entirely", () => {
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
    cache.markStored(cache.beginStore()); // no source: committed entities stay
    expect(cache.count("Child")).toBe(2);
  });

  it("finds referencing entities, with this block's writes taking precedence", () => {
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
    expect(ids(cache.findReferencing("Child", "parent", "0x01"))).toEqual(["c1", "c4", "c6", "c8", "new"]);
    expect(ids(cache.findReferencing("Child", "parent", "0x02"))).toEqual(["c0", "c3", "c5", "c7", "c9"]);
  });
});

/** Counts the reads that reach the source. */
function counting(source: EntitySource): { source: EntitySource; reads: { get: number; referencing: number } } {
  const reads = { get: 0, referencing: 0 };
  return {
    reads,
    source: {
      get: (type, id) => (reads.get++, source.get(type, id)),
      referencing: (type, field, id) => (reads.referencing++, source.referencing(type, field, id)),
      hold: (work) => source.hold(work),
      reads: 0,
      close: () => source.close(),
    },
  };
}

const BLOCK_1 = { number: 1, hash: `0x${"01".repeat(32)}`, parentHash: `0x${"00".repeat(32)}`, timestamp: 1 };
const BLOCK_2 = { number: 2, hash: `0x${"02".repeat(32)}`, parentHash: BLOCK_1.hash, timestamp: 2 };

for (const backend of [PGLITE_MEMORY, PGLITE_DIRECTORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`EntityCache over a store — ${title(backend)}`, () => {
    let database: TestDatabase;
    let store: SqlStore;
    let source: EntitySource;

    beforeAll(async () => {
      database = await backend.open();
      store = await database.store(schema, "cache");
      await store.commitBlock(BLOCK_1, commitFirstBlock(new EntityCache(schema), 40));
      source = store.openEntitySource();
    });
    afterAll(async () => {
      await source?.close();
      await database?.dispose();
    });

    it("reads what it does not hold from the store, and remembers entities and absences", async () => {
      const { source: counted, reads } = counting(source);
      const cache = new EntityCache(schema, { source: counted });
      await source.hold(() => {
        expect(cache.get("Child", "c7")).toEqual(child(7));
        expect(cache.get("Child", "c7")).toEqual(child(7));
        expect(cache.get("Child", "missing")).toBeNull();
        expect(cache.existedBeforeBlock("Child", "missing")).toBe(false);
        expect(cache.existedBeforeBlock("Parent", "0x02")).toBe(true);
      });
      expect(reads.get).toBe(3); // c7, missing, 0x02: once each
    });

    it("stays within its size, and what it dropped is read again, identical", async () => {
      const { source: counted, reads } = counting(source);
      const cache = new EntityCache(schema, { source: counted, maxBytes: 1_000 }); // a few entities
      await source.hold(() => {
        for (let i = 0; i < 40; i++) expect(cache.get("Child", `c${i}`)).toEqual(child(i));
        for (let i = 0; i < 40; i++) expect(cache.get("Child", `c${i}`)).toEqual(child(i));
      });
      expect(reads.get).toBe(80); // the first ones were dropped before the second pass reached them
    });

    it("keeps an entity in use while the others it reads come and go", async () => {
      const { source: counted, reads } = counting(source);
      const cache = new EntityCache(schema, { source: counted, maxBytes: 1_000 });
      await source.hold(() => {
        for (let i = 1; i < 40; i++) {
          expect(cache.get("Child", `c${i}`)).toEqual(child(i));
          expect(cache.get("Child", "c0")).toEqual(child(0));
        }
      });
      expect(reads.get).toBe(40); // c0 once, each other child once
    });

    it("holds the newest version of an entity stored again, counted at its new size", async () => {
      const { source: counted, reads } = counting(source);
      const cache = new EntityCache(schema, { source: counted, maxBytes: 1_000 });
      const storeBlock = async (entity: Entity) => {
        await source.hold(() => {
          cache.beginBlock();
          cache.set("Child", "c0", entity);
          cache.commitBlock();
        });
        cache.markStored(cache.beginStore()); // as if stored: the store keeps child(0)
      };
      await source.hold(() => expect(cache.get("Child", "c0")).toEqual(child(0)));
      await storeBlock({ ...child(0), n: 100 });
      await source.hold(() => expect(cache.get("Child", "c0")).toEqual({ ...child(0), n: 100 }));
      expect(reads.get).toBe(1);
      // Larger than the whole cache: dropped once stored, so the next read goes to the store.
      await storeBlock({ ...child(0), others: Array.from({ length: 2_000 }, () => P1) });
      await source.hold(() => expect(cache.get("Child", "c0")).toEqual(child(0)));
      expect(reads.get).toBe(2);
    });

    it("keeps the newest of an entity's writes in one batch once it is stored", async () => {
      const { source: counted, reads } = counting(source);
      const cache = new EntityCache(schema, { source: counted, maxBytes: 10_000 });
      await source.hold(() => {
        for (const n of [1, 2, 3]) {
          cache.beginBlock();
          cache.set("Child", "c4", { ...child(4), n });
          if (n === 2) cache.remove("Child", "c6");
          cache.commitBlock();
        }
      });
      expect(cache.count("Child")).toBe(1); // c4, not stored yet
      cache.markStored(cache.beginStore()); // as if stored
      expect(cache.count("Child")).toBe(0); // now in the bounded cache only
      await source.hold(() => {
        expect(cache.get("Child", "c4")).toEqual({ ...child(4), n: 3 });
        expect(cache.get("Child", "c6")).toBeNull();
      });
      expect(reads.get).toBe(0);
    });

    it("finds referencing entities in the store, with unstored and pending writes taking precedence", async () => {
      const cache = new EntityCache(schema, { source, maxBytes: 1_000 });
      const p1Children = ids(Array.from({ length: 20 }, (_, i) => child(2 * i)));
      await source.hold(() => {
        expect(ids(cache.findReferencing("Child", "parent", "0x01"))).toEqual(p1Children);
        expect(ids(cache.findReferencing("Child", "others", "0x02"))).toEqual(ids(Array.from({ length: 14 }, (_, i) => child(3 * i))));
        cache.beginBlock();
        cache.set("Child", "c0", { id: "c0", parent: P2 });
        cache.set("Child", "new", { id: "new", parent: P1 });
        cache.commitBlock(); // committed here, not in the store yet
        cache.beginBlock();
        cache.remove("Child", "c2");
        cache.set("Child", "c1", { id: "c1", parent: P1 });
        const expected = [...p1Children.filter((id) => id !== "c0" && id !== "c2"), "c1", "new"].sort();
        expect(ids(cache.findReferencing("Child", "parent", "0x01"))).toEqual(expected);
        expect(cache.changes()).toEqual([
          { entityType: "Child", id: "c1", data: { id: "c1", parent: P1 } },
          { entityType: "Child", id: "c2", data: null },
        ]);
        expect(cache.get("Child", "c0")).toEqual({ id: "c0", parent: P2 }); // the unstored version, not the store's
        cache.discardBlock();
      });
    });

    it("keeps blocks being stored and blocks processed meanwhile until each is stored, then reads the store", async () => {
      const cache = new EntityCache(schema, { source, maxBytes: 0 }); // keeps nothing once stored
      const block = (work: () => void) =>
        source.hold(() => {
          cache.beginBlock();
          work();
          const changes = cache.changes();
          cache.commitBlock();
          return changes;
        });
      const changes2 = await block(() => {
        cache.set("Child", "c3", { ...child(3), n: 333 });
        cache.remove("Child", "c5");
      });
      const batch2 = cache.beginStore(); // block 2 goes to the store …
      await block(() => cache.set("Child", "c3", { ...child(3), n: 3333 })); // … while block 3 is processed
      const batch3 = cache.beginStore();
      expect(() => cache.markStored(batch3)).toThrow("batches must be stored in the order they began");
      await store.commitBlock(BLOCK_2, changes2);
      cache.markStored(batch2);
      await source.hold(() => {
        expect(cache.get("Child", "c3")).toEqual({ ...child(3), n: 3333 }); // block 3's, still held: not in the store yet
        expect(cache.get("Child", "c5")).toBeNull(); // dropped (size 0), read again from the store: removed at block 2
        expect(cache.existedBeforeBlock("Child", "c5")).toBe(false);
      });
    });

    if (backend !== POSTGRES) {
      it("refuses a PGlite read outside hold(), where another statement could interleave", () => {
        expect(() => source.get("Child", "c1")).toThrow(/outside hold\(\)/);
      });
    }
  });
}
