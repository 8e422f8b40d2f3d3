/**
 * Writes: commitBlock / commitBlocks (versions, removals, immutables, the head guard, invalid writes that leave
 * nothing behind), block hashes and errors, and revertTo restoring exactly the state of a store that never saw the
 * reverted blocks — on PGlite in memory, PGlite in a directory and (with DATABASE_URL) PostgreSQL.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { WriteError } from "../../../src/indexer/store/errors.ts";
import type { SqlStore } from "../../../src/indexer/store/store.ts";
import type { EntityChange } from "../../../src/indexer/store/types.ts";
import type { Entity } from "../../../src/indexer/values.ts";
import { blockPtr, PedigreeWorkload, type WorkloadBlock } from "./fixtures/pedigree-workload.ts";
import { NOTES, ptr, THINGS, THINGS_SCHEMA } from "./fixtures/things.ts";
import { dumpDeployment, PGLITE_DIRECTORY, PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "./helpers.ts";

const PEDIGREE_SCHEMA = parseSchema(readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"));
const owner = (id: string, name: string): EntityChange => ({ entityType: "Owner", id, data: { id, name } });
const removeOwner = (id: string): EntityChange => ({ entityType: "Owner", id, data: null });

/** The same deterministic workload blocks for every store that asks (`fork` changes the hashes and the events). */
function workloadBlocks(count: number, seed = 3): WorkloadBlock[] {
  const workload = new PedigreeWorkload(seed, 40);
  return Array.from({ length: count }, (_, i) => workload.block(i + 1, 6));
}

for (const backend of [PGLITE_MEMORY, PGLITE_DIRECTORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`commit and revert — ${title(backend)}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.open();
    });
    afterAll(async () => {
      await database?.dispose();
    });

    const ownerAt = async (store: SqlStore, id: string, block: number) =>
      (await store.find({ entityType: "Owner", block, first: 10, skip: 0, filter: { kind: "compare", field: "id", op: "eq", value: id } }))[0] ?? null;

    it("creates, updates, removes and re-creates mutable entities, readable at every block", async () => {
      const store = await database.store(THINGS_SCHEMA, "versions");
      await store.commitBlock(ptr(1), [owner("o1", "a")]);
      await store.commitBlock(ptr(2), [owner("o1", "b"), owner("o2", "x")]);
      await store.commitBlock(ptr(3), [removeOwner("o1")]);
      await store.commitBlock(ptr(4), [owner("o1", "d")]);
      await store.commitBlock(ptr(5), []);
      await store.commitBlock(ptr(7), [removeOwner("o2"), removeOwner("nobody")]);

      const expected: Record<number, [string | null, string | null]> = {
        0: [null, null],
        1: ["a", null],
        2: ["b", "x"],
        3: [null, "x"],
        4: ["d", "x"],
        5: ["d", "x"],
        6: ["d", "x"],
        7: ["d", null],
        8: ["d", null],
      };
      for (const [block, [o1, o2]] of Object.entries(expected)) {
        expect((await ownerAt(store, "o1", Number(block)))?.name ?? null, `o1 at ${block}`).toBe(o1);
        expect((await ownerAt(store, "o2", Number(block)))?.name ?? null, `o2 at ${block}`).toBe(o2);
      }
      expect(await store.loadCurrent("Owner")).toEqual([{ id: "o1", name: "d" }]);
      expect((await store.status()).head).toEqual(ptr(7));

      // graph-node's layout underneath: one row per version, ranges [from, to).
      const versions = await database.db.query<{ id: string; range: string }>(
        `select id, block_range::text as range from ${store.layout.tables.get("Owner")!.qualified} order by id, lower(block_range)`,
      );
      expect(versions).toEqual([
        { id: "o1", range: "[1,2)" },
        { id: "o1", range: "[2,3)" },
        { id: "o1", range: "[4,)" },
        { id: "o2", range: "[2,7)" },
      ]);
    });

    it("keeps the last change of an entity within a block", async () => {
      const store = await database.store(THINGS_SCHEMA, "lastwins");
      await store.commitBlock(ptr(1), [owner("o1", "first"), removeOwner("o1"), owner("o1", "last")]);
      await store.commitBlock(ptr(2), [owner("o1", "again"), removeOwner("o1")]);
      expect((await ownerAt(store, "o1", 1))?.name).toBe("last");
      expect(await ownerAt(store, "o1", 2)).toBeNull();
    });

    it("inserts immutable entities once; a second write or a removal fails and writes nothing of the block", async () => {
      const store = await database.store(THINGS_SCHEMA, "immutable");
      const note = (id: string, size = 1): EntityChange => ({ entityType: "Note", id, data: { ...NOTES.n1!, id, size } });
      await store.commitBlock(ptr(1), [{ entityType: "Thing", id: "t1", data: THINGS.t1! }, note("n1")]);
      await expect(store.commitBlock(ptr(2), [owner("o9", "x"), note("n1", 2)])).rejects.toThrow(/Note is immutable and already exists/);
      await expect(store.commitBlock(ptr(2), [{ entityType: "Note", id: "n1", data: null }])).rejects.toThrow(/immutable; entity n1 cannot be removed/);
      await expect(store.commitBlocks([{ block: ptr(2), changes: [note("n2")] }, { block: ptr(3), changes: [note("n2", 5)] }])).rejects.toThrow(
        /written in blocks 2 and 3/,
      );
      expect((await store.status()).head?.number).toBe(1);
      expect(await ownerAt(store, "o9", 5)).toBeNull();
      const notes = (block: number) => store.find({ entityType: "Note", block, first: 10, skip: 0 });
      expect(await notes(0)).toEqual([]);
      expect(await notes(1)).toEqual([{ ...NOTES.n1, size: 1 }]);
      await store.commitBlock(ptr(2), [note("n2", 3)]);
      expect((await notes(1)).map((n) => n.id)).toEqual(["n1"]);
      expect((await notes(2)).map((n) => [n.id, n.size])).toEqual([
        ["n1", 1],
        ["n2", 3],
      ]);
      const rows = await database.db.query<{ id: string; block: number }>(
        `select id, "block$" as block from ${store.layout.tables.get("Note")!.qualified} order by id`,
      );
      expect(rows).toEqual([
        { id: "n1", block: 1 },
        { id: "n2", block: 2 },
      ]);
    });

    it("refuses blocks that are not after the head, and out-of-order batches", async () => {
      const store = await database.store(THINGS_SCHEMA, "guard");
      await store.commitBlock(ptr(5), [owner("o1", "a")]);
      const again = store.commitBlock(ptr(5), [owner("o1", "b")]);
      await expect(again).rejects.toBeInstanceOf(WriteError);
      await expect(again).rejects.toThrow("Block 5 is not after the head (block 5); nothing was written");
      await expect(store.commitBlock(ptr(3), [owner("o2", "b")])).rejects.toThrow(WriteError);
      await expect(store.commitBlocks([{ block: ptr(7), changes: [] }, { block: ptr(6), changes: [] }])).rejects.toThrow(/increasing order/);
      await expect(store.commitBlocks([])).rejects.toThrow(WriteError);
      expect((await store.status()).head).toEqual(ptr(5));
      expect(await store.loadCurrent("Owner")).toEqual([{ id: "o1", name: "a" }]);
      expect(await store.blockHash(3)).toBeNull();
    });

    it("rejects invalid entities with a WriteError and writes nothing of the block", async () => {
      const store = await database.store(THINGS_SCHEMA, "invalid");
      await store.commitBlock(ptr(1), [owner("o1", "a")]);
      const thing = (fields: Partial<Entity>): EntityChange => ({ entityType: "Thing", id: "tx", data: { ...THINGS.t1!, id: "tx", ...fields } });
      const attempts: [EntityChange, RegExp][] = [
        [{ entityType: "Nope", id: "1", data: { id: "1" } }, /Unknown entity type `Nope`/],
        [thing({ nope: 1 }), /Thing has no field `nope`/],
        [thing({ notes: [] }), /Thing\.notes is derived/],
        [thing({ name: null }), /Thing\.name is non-null but missing/],
        [thing({ count: "3" as unknown as number }), /Invalid value for Thing\.count/],
        [thing({ count: 2 ** 31 }), /Int out of range/],
        [thing({ data: "zz" }), /Invalid value for Thing\.data: expected Bytes/],
        [thing({ tags: "a" }), /expected a list/],
        [thing({ color: "Purple" }), /Invalid value for Thing\.color: "Purple" is not a value of enum Color/],
        [thing({ big: 5 }), /Invalid value for Thing\.big: expected a BigInt \(bigint\)/],
        [thing({ tags: ["a", null] }), /items are non-null/],
        [thing({ colors: ["Red", "Purple"] }), /Invalid value for Thing\.colors/],
        [{ entityType: "Thing", id: "tx", data: { ...THINGS.t1!, id: "ty" } }, /carries a different id/],
        [{ entityType: "Wallet", id: "nothex", data: { id: new Uint8Array([1]), balance: 1n } }, /Invalid id for Wallet/],
      ];
      for (const [change, message] of attempts) {
        await expect(store.commitBlock(ptr(2), [owner("o2", "b"), change]), String(message)).rejects.toThrow(message);
      }
      expect((await store.status()).head?.number).toBe(1);
      expect(await store.loadCurrent("Owner")).toEqual([{ id: "o1", name: "a" }]);
      expect(await store.loadCurrent("Thing")).toEqual([]);
    });

    it("records block hashes, the head and indexing errors", async () => {
      const store = await database.store(THINGS_SCHEMA, "meta");
      expect(await store.status()).toEqual({ head: null, error: null });
      await store.commitBlocks([1, 2, 3].map((n) => ({ block: ptr(n), changes: [] })));
      expect(await store.blockHash(2)).toBe(ptr(2).hash);
      expect(await store.blockHash(4)).toBeNull();
      const error = { message: "boom", blockNumber: 4, blockHash: ptr(4).hash, handler: "handleX" };
      await store.setError(error);
      expect(await store.status()).toEqual({ head: ptr(3), error });
      // Reverting past the failed block forgets the failure (the block is no longer on the chain).
      await store.revertTo(ptr(3));
      expect(await store.status()).toEqual({ head: ptr(3), error: null });
      const earlier = { ...error, blockNumber: 2, blockHash: ptr(2).hash };
      await store.setError(earlier);
      await store.revertTo(ptr(2));
      expect(await store.status()).toEqual({ head: ptr(2), error: earlier });
      await store.setError(null);
      expect((await store.status()).error).toBeNull();
    });

    it("commitBlocks writes the same versions as committing block by block", async () => {
      const blocks = workloadBlocks(40);
      const single = await database.store(PEDIGREE_SCHEMA, "single");
      for (const { block, changes } of blocks) await single.commitBlock(block, changes);
      const batched = await database.store(PEDIGREE_SCHEMA, "batched");
      for (let i = 0; i < blocks.length; i += 7) await batched.commitBlocks(blocks.slice(i, i + 7));
      expect(await dumpDeployment(database.db, batched.layout)).toEqual(await dumpDeployment(database.db, single.layout));
    });

    it("revertTo restores exactly the state of a store that never saw the reverted blocks", async () => {
      const blocks = workloadBlocks(30);
      // An alternative branch after block 20, generated from the state at block 20.
      const forkSource = new PedigreeWorkload(3, 40);
      for (let i = 1; i <= 20; i++) forkSource.block(i, 6);
      const fork = Array.from({ length: 5 }, (_, i) => {
        const { changes } = forkSource.block(21 + i, 4);
        return { block: blockPtr(21 + i, 1), changes };
      });

      const reverted = await database.store(PEDIGREE_SCHEMA, "reverted");
      for (const { block, changes } of blocks) await reverted.commitBlock(block, changes);
      await reverted.setError({ message: "late failure", blockNumber: 30, blockHash: blocks[29]!.block.hash });
      await reverted.revertTo(blocks[19]!.block);

      const clean = await database.store(PEDIGREE_SCHEMA, "clean");
      for (const { block, changes } of blocks.slice(0, 20)) await clean.commitBlock(block, changes);
      expect(await dumpDeployment(database.db, reverted.layout)).toEqual(await dumpDeployment(database.db, clean.layout));

      for (const { block, changes } of fork) {
        await reverted.commitBlock(block, changes);
        await clean.commitBlock(block, changes);
      }
      const dump = await dumpDeployment(database.db, clean.layout);
      expect(await dumpDeployment(database.db, reverted.layout)).toEqual(dump);
      expect(dump.ModelVersion!.length).toBeGreaterThan(10);
      expect((await reverted.status()).head).toEqual(fork[4]!.block);
      expect(await reverted.blockHash(21)).toBe(blockPtr(21, 1).hash);

      // Reads agree at every block too, including a reverted-then-rewritten one.
      for (const block of [5, 20, 21, 25]) {
        const query = { entityType: "ModelVersion", block, first: 1000, skip: 0 };
        expect(await reverted.find(query)).toEqual(await clean.find(query));
      }
      await expect(reverted.revertTo(blockPtr(26))).rejects.toThrow(/after the head/);
    });

    it("revertTo(null) empties the store", async () => {
      const blocks = workloadBlocks(5);
      const store = await database.store(PEDIGREE_SCHEMA, "empty");
      for (const { block, changes } of blocks) await store.commitBlock(block, changes);
      await store.revertTo(null);
      const fresh = await database.store(PEDIGREE_SCHEMA, "fresh");
      expect(await dumpDeployment(database.db, store.layout)).toEqual(await dumpDeployment(database.db, fresh.layout));
      expect(await store.status()).toEqual({ head: null, error: null });
      await store.commitBlock(blocks[0]!.block, blocks[0]!.changes);
      expect((await store.loadCurrent("Account")).length).toBe(40);
    });
  });
}
