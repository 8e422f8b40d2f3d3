/**
 * `find`: every Filter variant with graph-node's suffix semantics, time travel, ordering (incl. parent__child and
 * ties), pagination, interfaces, Bytes and Int8 ids, value round trips and QueryErrors — on the hand-made schema of
 * fixtures/things.ts, against PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChildFilterNestingError, QueryError } from "../../../src/indexer/store/errors.ts";
import type { SqlStore } from "../../../src/indexer/store/store.ts";
import type { EntityQuery, Filter } from "../../../src/indexer/store/types.ts";
import { BigDecimal, hexToBytes, type Value } from "../../../src/indexer/values.ts";
import { NOTES, OWNERS, THINGS, THINGS_SCHEMA, thingsBlocks } from "./fixtures/things.ts";
import { PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "./helpers.ts";

const cmp = (field: string, op: "eq" | "not" | "gt" | "lt" | "gte" | "lte" | "in" | "not_in", value: Value): Filter => ({
  kind: "compare",
  field,
  op,
  value,
});
type TextOp = Extract<Filter, { kind: "text" }>["op"];
const text = (field: string, op: TextOp, value: string | Uint8Array, nocase = false): Filter => ({ kind: "text", field, op, value, nocase });
const list = (field: string, op: "contains" | "not_contains", value: Value[], nocase = false): Filter => ({ kind: "list", field, op, value, nocase });
const child = (field: string, filter: Filter): Filter => ({ kind: "child", field, filter });
const b = hexToBytes;

for (const backend of [PGLITE_MEMORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`find — ${title(backend)}`, () => {
    let database: TestDatabase;
    let store: SqlStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await database.store(THINGS_SCHEMA, "find");
      for (const { block, changes } of thingsBlocks()) await store.commitBlock(block, changes);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    /** Ids matched by `filter` on `entityType` at `block` (default: Thing at block 2), in the store's order. */
    async function ids(filter: Filter | undefined, query: Partial<EntityQuery> = {}): Promise<string[]> {
      const rows = await store.find({ entityType: "Thing", block: 2, first: 1000, skip: 0, filter, ...query });
      return rows.map((row) => String(row.id));
    }

    describe("compare", () => {
      it("String: eq, not (never matching null), gt in bytewise (C) order", async () => {
        expect(await ids(cmp("name", "eq", "alpha"))).toEqual(["t5"]);
        expect(await ids(cmp("name", "not", "alpha"))).toEqual(["t1", "t2", "t3", "t4", "t6"]);
        expect(await ids(cmp("name", "gt", "Beta"))).toEqual(["t3", "t5", "t6"]);
        expect(await ids(cmp("nick", "not", "x%y"))).toEqual(["t1", "t2", "t4", "t6"]);
      });

      it("null: eq null is `is null`, not null is `is not null`; other comparisons with null are errors", async () => {
        expect(await ids(cmp("nick", "eq", null))).toEqual(["t3"]);
        expect(await ids(cmp("nick", "not", null))).toEqual(["t1", "t2", "t4", "t5", "t6"]);
        expect(await ids(cmp("owner", "eq", null))).toEqual(["t3"]);
        await expect(ids(cmp("count", "gt", null))).rejects.toThrow(QueryError);
      });

      it("Int: gt, lte, in (with null), not_in (never matching null)", async () => {
        expect(await ids(cmp("count", "gt", 1))).toEqual(["t1", "t2", "t5", "t6"]);
        expect(await ids(cmp("count", "gt", 1), { block: 1 })).toEqual(["t2", "t5", "t6"]);
        expect(await ids(cmp("count", "lte", 2))).toEqual(["t2", "t4", "t5"]);
        expect(await ids(cmp("count", "in", [2, 100]))).toEqual(["t2", "t5", "t6"]);
        expect(await ids(cmp("count", "in", [null, -7]))).toEqual(["t3", "t4"]);
        expect(await ids(cmp("count", "not_in", [2]))).toEqual(["t1", "t4", "t6"]);
        expect(await ids(cmp("count", "in", []))).toEqual([]);
      });

      it("BigInt: numeric order with negative and 100-bit values", async () => {
        expect(await ids(cmp("big", "gt", 0n))).toEqual(["t2", "t4", "t6"]);
        expect(await ids(cmp("big", "gt", 99n))).toEqual(["t2", "t6"]);
        expect(await ids(cmp("big", "lt", -5n))).toEqual(["t5"]);
        expect(await ids(cmp("big", "lte", -5n))).toEqual(["t1", "t5"]);
        expect(await ids(cmp("big", "eq", 10n ** 30n))).toEqual(["t2"]);
        expect(await ids(cmp("big", "in", [-(10n ** 30n), 0n]))).toEqual(["t3", "t5"]);
      });

      it("BigDecimal: exact comparisons of tiny, huge and negative values, equality across scales", async () => {
        expect(await ids(cmp("amount", "gt", BigDecimal.parse("0")))).toEqual(["t2", "t3", "t4", "t6"]);
        expect(await ids(cmp("amount", "lt", BigDecimal.parse("-0.5")))).toEqual(["t5"]);
        expect(await ids(cmp("amount", "eq", BigDecimal.parse("0.250")))).toEqual(["t3"]);
        expect(await ids({ kind: "and", filters: [cmp("amount", "gt", BigDecimal.parse("0")), cmp("amount", "lt", BigDecimal.parse("1e-29"))] })).toEqual([
          "t4",
        ]);
        expect(await ids(cmp("amount", "gt", BigDecimal.parse("12345678901234567890.123456788")))).toEqual(["t2"]);
      });

      it("Boolean, enum, Bytes, Timestamp, Int8, id and references", async () => {
        expect(await ids(cmp("flag", "eq", true))).toEqual(["t1", "t4", "t6"]);
        expect(await ids(cmp("flag", "not", true))).toEqual(["t2", "t5"]);
        expect(await ids(cmp("color", "eq", "Red"))).toEqual(["t1", "t5"]);
        expect(await ids(cmp("color", "in", ["Green", "Blue"]))).toEqual(["t2", "t4", "t6"]);
        expect(await ids(cmp("color", "not", "Red"))).toEqual(["t2", "t4", "t6"]);
        expect(await ids(cmp("data", "eq", b("0x0102ff")))).toEqual(["t1"]);
        expect(await ids(cmp("data", "gt", b("0x02")))).toEqual(["t2", "t5"]);
        expect(await ids(cmp("when", "eq", 1_700_000_000_000_001n))).toEqual(["t2"]);
        expect(await ids(cmp("i8", "lt", 0n))).toEqual(["t1"]);
        expect(await ids(cmp("i8", "gt", 2n ** 61n))).toEqual(["t2"]);
        expect(await ids(cmp("id", "in", ["t1", "t3"]))).toEqual(["t1", "t3"]);
        expect(await ids(cmp("id", "gt", "t4"))).toEqual(["t5", "t6"]);
        expect(await ids(cmp("owner", "eq", "o1"))).toEqual(["t1", "t4"]);
        expect(await ids(cmp("owner", "in", ["o2", "o3"]))).toEqual(["t2", "t5", "t6"]);
      });

      it("whole lists: eq and not", async () => {
        expect(await ids(cmp("tags", "eq", ["a", "B"]))).toEqual(["t1"]);
        expect(await ids(cmp("colors", "eq", null))).toEqual(["t3"]);
        expect(await ids(cmp("nums", "eq", []))).toEqual(["t2", "t6"]);
        expect(await ids(cmp("tags", "not", []))).toEqual(["t1", "t2", "t3", "t5", "t6"]);
      });
    });

    describe("text", () => {
      it("nocase folds ASCII case; negated forms never match null", async () => {
        expect(await ids(text("nick", "contains", "pha", true))).toEqual(["t1", "t2", "t4"]);
        expect(await ids(text("name", "contains", "BETA", true))).toEqual(["t4"]);
        expect(await ids(text("name", "not_contains", "PURE", true))).toEqual(["t3", "t4", "t5", "t6"]);
        expect(await ids(text("nick", "not_contains", "ph"))).toEqual(["t4", "t5", "t6"]);
        expect(await ids(text("nick", "starts_with", "al", true))).toEqual(["t1", "t2", "t4"]);
        expect(await ids(text("nick", "not_starts_with", "al", true))).toEqual(["t5", "t6"]);
        expect(await ids(text("nick", "starts_with", "al"))).toEqual(["t2"]);
        expect(await ids(text("nick", "ends_with", "y"))).toEqual(["t5"]);
        expect(await ids(text("name", "ends_with", "pure"))).toEqual(["t1", "t2"]);
        expect(await ids(text("name", "not_ends_with", "pure"))).toEqual(["t3", "t4", "t5", "t6"]);
      });

      it("Bytes: byte substring, prefix and suffix", async () => {
        expect(await ids(text("data", "contains", b("0xff")))).toEqual(["t1", "t2", "t5"]);
        expect(await ids(text("data", "not_contains", b("0xff")))).toEqual(["t4", "t6"]);
        expect(await ids(text("data", "contains", b("0x")))).toEqual(["t1", "t2", "t4", "t5", "t6"]);
        expect(await ids(text("data", "contains", b("0x02ff")))).toEqual(["t1", "t2"]);
        expect(await ids(text("data", "starts_with", b("0x02")))).toEqual(["t2"]);
        expect(await ids(text("data", "ends_with", b("0xff")))).toEqual(["t1", "t5"]);
        expect(await ids(text("data", "not_starts_with", b("0x01")))).toEqual(["t2", "t4", "t5", "t6"]);
        await expect(ids(text("data", "contains", b("0xff"), true))).rejects.toThrow(/nocase/);
      });

      it("rejects text filters on other types", async () => {
        await expect(ids(text("count", "contains", "1"))).rejects.toThrow(QueryError);
        await expect(ids(text("name", "contains", b("0x01")))).rejects.toThrow(QueryError);
      });
    });

    describe("list", () => {
      it("contains = holds every given item; not_contains = holds none of them", async () => {
        expect(await ids(list("tags", "contains", ["a"]))).toEqual(["t1", "t5"]);
        expect(await ids(list("tags", "contains", ["a", "B"]))).toEqual(["t1"]);
        expect(await ids(list("tags", "contains", []))).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
        expect(await ids(list("tags", "not_contains", ["a"]))).toEqual(["t2", "t3", "t4", "t6"]);
        expect(await ids(list("tags", "not_contains", ["a", "b"]))).toEqual(["t3", "t4", "t6"]);
      });

      it("nocase is rejected on lists of other than strings", async () => {
        await expect(ids(list("nums", "contains", [1n], true))).rejects.toThrow(QueryError);
      });

      it("enum, BigInt, Bytes and reference lists; a null list matches neither form", async () => {
        expect(await ids(list("colors", "contains", ["Red"]))).toEqual(["t1", "t4"]);
        expect(await ids(list("colors", "not_contains", ["Red"]))).toEqual(["t2", "t5", "t6"]);
        expect(await ids(list("nums", "contains", [10n ** 30n]))).toEqual(["t1"]);
        expect(await ids(list("nums", "contains", [1n]))).toEqual(["t1", "t5"]);
        expect(await ids(list("blobs", "contains", [b("0xabcd")]))).toEqual(["t1"]);
        expect(await ids(list("blobs", "contains", [b("0x")]))).toEqual(["t4"]);
        expect(await ids(list("friends", "contains", ["o3"]))).toEqual(["t1", "t4", "t5"]);
      });

      it("rejects list filters on scalars", async () => {
        await expect(ids(list("name", "contains", ["a"]))).rejects.toThrow(QueryError);
      });
    });

    /**
     * Each case: a filter, graph-node's SQL for it as `Filter::walk_ast` writes it (store/postgres/src/
     * relational_queries.rs: `contains`, `in_array`, `StartsOrEndsWith`) with its bind parameters, and the rows that
     * SQL returns. The test runs graph-node's SQL text on the same table and checks that the store returns its rows.
     */
    describe("graph-node's SQL for list and string filters", () => {
      const cases: { name: string; filter: Filter; sql: string; params?: unknown[]; rows: string[] }[] = [
        // String: the value is a LIKE pattern as given; `contains` wraps it in %…% unless it starts or ends with %.
        { name: "contains keeps % as a wildcard", filter: text("name", "contains", "%"), sql: "name like $1", params: ["%"], rows: ["t1", "t2", "t3", "t4", "t5", "t6"] },
        { name: "contains keeps _ as a wildcard", filter: text("name", "contains", "_u"), sql: "name like $1", params: ["%_u%"], rows: ["t1", "t2", "t6"] },
        { name: "contains a value starting with % is not wrapped", filter: text("name", "contains", "%pure"), sql: "name like $1", params: ["%pure"], rows: ["t1", "t2"] },
        { name: "contains a value ending with % is not wrapped", filter: text("name", "contains", "Be%"), sql: "name like $1", params: ["Be%"], rows: ["t4"] },
        { name: "contains: backslash escapes the next character", filter: text("name", "contains", "k\\s"), sql: "name like $1", params: ["%k\\s%"], rows: [] },
        { name: "contains_nocase", filter: text("nick", "contains", "l_p", true), sql: "nick ilike $1", params: ["%l_p%"], rows: ["t1", "t2", "t4"] },
        { name: "not_contains never matches null", filter: text("nick", "not_contains", "%"), sql: "nick not like $1", params: ["%"], rows: [] },
        { name: "not_contains_nocase", filter: text("nick", "not_contains", "AL", true), sql: "nick not ilike $1", params: ["%AL%"], rows: ["t5", "t6"] },
        { name: "starts_with _", filter: text("name", "starts_with", "_"), sql: "name like $1", params: ["_%"], rows: ["t1", "t2", "t3", "t4", "t5", "t6"] },
        { name: "starts_with_nocase", filter: text("nick", "starts_with", "al", true), sql: "nick ilike $1", params: ["al%"], rows: ["t1", "t2", "t4"] },
        { name: "not_starts_with", filter: text("name", "not_starts_with", "1"), sql: "name not like $1", params: ["1%"], rows: ["t3", "t4", "t5", "t6"] },
        { name: "not_starts_with_nocase", filter: text("nick", "not_starts_with", "al", true), sql: "nick not ilike $1", params: ["al%"], rows: ["t5", "t6"] },
        { name: "ends_with %", filter: text("nick", "ends_with", "%"), sql: "nick like $1", params: ["%%"], rows: ["t1", "t2", "t4", "t5", "t6"] },
        { name: "ends_with_nocase", filter: text("name", "ends_with", "PURE", true), sql: "name ilike $1", params: ["%PURE"], rows: ["t1", "t2"] },
        { name: "not_ends_with", filter: text("name", "not_ends_with", "a"), sql: "name not like $1", params: ["%a"], rows: ["t1", "t2", "t3", "t6"] },
        { name: "not_ends_with_nocase", filter: text("name", "not_ends_with", "A", true), sql: "name not ilike $1", params: ["%A"], rows: ["t1", "t2", "t3", "t6"] },
        // Bytes: position(value in column).
        { name: "Bytes contains", filter: text("data", "contains", b("0xff")), sql: "position($1::bytea in data) > 0", params: ["\\xff"], rows: ["t1", "t2", "t5"] },
        { name: "Bytes not_contains", filter: text("data", "not_contains", b("0xff")), sql: "position($1::bytea in data) = 0", params: ["\\xff"], rows: ["t4", "t6"] },
        // Lists: @> and not &&; the _nocase forms `[not] exists (… unnest(col) as elem where elem ilike any(values))`.
        { name: "list contains", filter: list("tags", "contains", ["a", "B"]), sql: "tags @> $1::text[]", params: ["{a,B}"], rows: ["t1"] },
        { name: "list not_contains never matches a null list", filter: list("friends", "not_contains", ["o2"]), sql: "not friends && $1::text[]", params: ["{o2}"], rows: ["t2", "t3", "t5"] },
        { name: "list contains_nocase: some item matches some value", filter: list("tags", "contains", ["a", "b"], true), sql: "exists (select 1 from unnest(tags) as elem where elem ilike any($1::text[]))", params: ["{a,b}"], rows: ["t1", "t2", "t3", "t5"] },
        { name: "list contains_nocase: values are ILIKE patterns", filter: list("tags", "contains", ["%"], true), sql: "exists (select 1 from unnest(tags) as elem where elem ilike any($1::text[]))", params: ["{%}"], rows: ["t1", "t2", "t3", "t5", "t6"] },
        { name: "list contains_nocase of no values", filter: list("tags", "contains", [], true), sql: "exists (select 1 from unnest(tags) as elem where elem ilike any($1::text[]))", params: ["{}"], rows: [] },
        { name: "list not_contains_nocase", filter: list("tags", "not_contains", ["a", "C"], true), sql: "not exists (select 1 from unnest(tags) as elem where elem ilike any($1::text[]))", params: ["{a,C}"], rows: ["t2", "t4", "t6"] },
        { name: "list not_contains_nocase matches a null list", filter: list("friends", "not_contains", ["O2"], true), sql: "not exists (select 1 from unnest(friends) as elem where elem ilike any($1::text[]))", params: ["{O2}"], rows: ["t2", "t3", "t5", "t6"] },
        // _in / _not_in: in_array.
        { name: "in of no values", filter: cmp("count", "in", []), sql: "false", rows: [] },
        { name: "not_in of no values matches nothing", filter: cmp("count", "not_in", []), sql: "false", rows: [] },
        { name: "in with null", filter: cmp("count", "in", [null, -7]), sql: "(count is null or count in (-7))", rows: ["t3", "t4"] },
        { name: "not_in never matches null", filter: cmp("count", "not_in", [2]), sql: "count not in (2)", rows: ["t1", "t4", "t6"] },
        { name: "not_in with null: is not null or not in", filter: cmp("count", "not_in", [null, 2]), sql: "(count is not null or count not in (2))", rows: ["t1", "t2", "t4", "t5", "t6"] },
        { name: "not_in of null alone", filter: cmp("count", "not_in", [null]), sql: "count is not null", rows: ["t1", "t2", "t4", "t5", "t6"] },
      ];

      it.each(cases)("$name", async ({ filter, sql, params, rows }) => {
        const table = store.layout.tables.get("Thing")!;
        const graphNode = await database.db.query<{ id: string }>(
          `select id from ${table.qualified} where block_range @> 2 and (${sql}) order by id`,
          params as never,
        );
        expect(graphNode.map((row) => row.id)).toEqual(rows);
        expect(await ids(filter)).toEqual(rows);
      });
    });

    describe("child", () => {
      it("through a reference, at the query's block", async () => {
        expect(await ids(child("owner", cmp("name", "eq", "Alice")))).toEqual(["t1", "t4"]);
        expect(await ids(child("owner", cmp("name", "eq", "Carol")), { block: 2 })).toEqual(["t5"]);
        expect(await ids(child("owner", cmp("name", "eq", "Carol")), { block: 3 })).toEqual([]);
        expect(await ids(child("owner", text("name", "starts_with", "Car")), { block: 3 })).toEqual(["t5"]);
        expect(await ids(child("best", cmp("name", "eq", "Alice")))).toEqual(["t3"]);
      });

      it("through a list of references", async () => {
        expect(await ids(child("friends", cmp("name", "eq", "bob")))).toEqual(["t1", "t4"]);
        expect(await ids(child("friends", cmp("id", "in", ["o1", "o2"])))).toEqual(["t1", "t2", "t4"]);
      });

      it("through @derivedFrom fields (over a reference and over a list), at the query's block", async () => {
        const owners = (filter: Filter, block = 2) =>
          store.find({ entityType: "Owner", block, first: 100, skip: 0, filter }).then((rows) => rows.map((r) => r.id));
        expect(await owners(child("things", cmp("count", "gt", 10)))).toEqual(["o1", "o2"]);
        expect(await owners(child("things", cmp("count", "gt", 10)), 1)).toEqual(["o2"]);
        expect(await owners(child("tagged", cmp("name", "eq", "1000 pure")))).toEqual(["o1"]);
        expect(await owners(child("tagged", cmp("name", "eq", "1000 pure")), 3)).toEqual([]);
        expect(await ids(child("notes", cmp("size", "gt", 6)))).toEqual(["t2"]);
        expect(await ids(child("notes", cmp("size", "gt", 6)), { block: 3 })).toEqual(["t1"]);
      });

      it("refuses a child filter inside another with graph-node's message", async () => {
        const nested = (filter: Filter) => store.find({ entityType: "Owner", block: 2, first: 100, skip: 0, filter: child("things", filter) });
        await expect(nested(child("friends", cmp("name", "eq", "Carol")))).rejects.toThrow(
          new ChildFilterNestingError("Child filter nesting not supported by value `friends`: `join on friends with Owner(name = Carol)`"),
        );
        await expect(
          nested({ kind: "or", filters: [cmp("count", "gt", 1), child("notes", { kind: "and", filters: [cmp("size", "in", [5, 7]), text("name", "contains", "one", true)] })] }),
        ).rejects.toThrow("Child filter nesting not supported by value `thing`: `join on thing with Note(size in (5,7) and name ~ *one*i)`");
      });

      it("from an immutable type to a removed entity", async () => {
        const notes = (block: number) =>
          store
            .find({ entityType: "Note", block, first: 100, skip: 0, filter: child("thing", text("name", "ends_with", "pure")) })
            .then((rows) => rows.map((r) => r.id));
        expect(await notes(2)).toEqual(["n1", "n2"]);
        expect(await notes(3)).toEqual(["n1", "n3"]);
      });

      it("rejects child filters on non-reference fields", async () => {
        await expect(ids(child("name", cmp("id", "eq", "x")))).rejects.toThrow(/not a reference/);
      });
    });

    describe("and / or / changeBlock", () => {
      it("combines filters", async () => {
        expect(await ids({ kind: "or", filters: [cmp("color", "eq", "Red"), cmp("count", "gt", 50)] })).toEqual(["t1", "t5", "t6"]);
        expect(await ids({ kind: "and", filters: [cmp("flag", "eq", true), cmp("count", "lt", 50)] })).toEqual(["t1", "t4"]);
        expect(await ids({ kind: "and", filters: [] })).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
        expect(await ids({ kind: "or", filters: [] })).toEqual([]);
        expect(
          await ids({ kind: "or", filters: [child("owner", cmp("name", "eq", "bob")), { kind: "and", filters: [cmp("flag", "eq", true), cmp("big", "lt", 0n)] }] }),
        ).toEqual(["t1", "t2", "t6"]);
      });

      it("changeBlock: the visible version was written at or after the block", async () => {
        expect(await ids({ kind: "changeBlock", numberGte: 2 })).toEqual(["t1"]);
        expect(await ids({ kind: "changeBlock", numberGte: 2 }, { block: 1 })).toEqual([]);
        expect(await ids({ kind: "changeBlock", numberGte: 1 })).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
        const notes = await store.find({ entityType: "Note", block: 3, first: 10, skip: 0, filter: { kind: "changeBlock", numberGte: 2 } });
        expect(notes.map((n) => n.id)).toEqual(["n2", "n3"]);
        const owners = await store.find({ entityType: "Owner", block: 3, first: 10, skip: 0, filter: { kind: "changeBlock", numberGte: 3 } });
        expect(owners).toEqual([{ id: "o3", name: "Caroline" }]);
      });
    });

    describe("orderBy, ties and pagination", () => {
      it("orders text bytewise, both directions", async () => {
        expect(await ids(undefined, { orderBy: { field: "name" } })).toEqual(["t1", "t2", "t4", "t6", "t5", "t3"]);
        expect(await ids(undefined, { orderBy: { field: "name" }, orderDirection: "desc" })).toEqual(["t3", "t5", "t6", "t4", "t2", "t1"]);
      });

      it("breaks ties by id in the same direction; nulls last ascending, first descending", async () => {
        expect(await ids(undefined, { orderBy: { field: "count" } })).toEqual(["t4", "t2", "t5", "t1", "t6", "t3"]);
        expect(await ids(undefined, { orderBy: { field: "count" }, orderDirection: "desc" })).toEqual(["t3", "t6", "t1", "t5", "t2", "t4"]);
      });

      it("orders numbers numerically", async () => {
        expect(await ids(undefined, { orderBy: { field: "big" } })).toEqual(["t5", "t1", "t3", "t4", "t6", "t2"]);
        expect(await ids(undefined, { orderBy: { field: "amount" }, orderDirection: "desc" })).toEqual(["t2", "t6", "t3", "t4", "t1", "t5"]);
      });

      it("orders by a field of the referenced entity (parent__child) at the query's block", async () => {
        expect(await ids(undefined, { orderBy: { field: "owner", child: "name" } })).toEqual(["t1", "t4", "t5", "t2", "t6", "t3"]);
        expect(await ids(undefined, { orderBy: { field: "best", child: "name" }, orderDirection: "desc" })).toEqual(["t6", "t5", "t2", "t4", "t1", "t3"]);
        const notes = await store.find({ entityType: "Note", block: 3, first: 10, skip: 0, orderBy: { field: "thing", child: "count" }, orderDirection: "desc" });
        expect(notes.map((n) => n.id)).toEqual(["n2", "n3", "n1"]);
      });

      it("default order is id; orderDirection applies to it", async () => {
        expect(await ids(undefined)).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
        expect(await ids(undefined, { orderDirection: "desc" })).toEqual(["t6", "t5", "t4", "t3", "t2", "t1"]);
        expect(await ids(undefined, { orderBy: { field: "id" }, orderDirection: "desc" })).toEqual(["t6", "t5", "t4", "t3", "t2", "t1"]);
      });

      it("pages with first/skip consistently", async () => {
        const all = await ids(undefined, { orderBy: { field: "count" } });
        const pages: string[] = [];
        for (let skip = 0; skip < 8; skip += 2) pages.push(...(await ids(undefined, { orderBy: { field: "count" }, first: 2, skip })));
        expect(pages).toEqual(all);
        expect(await ids(undefined, { first: 0 })).toEqual([]);
        expect(await ids(undefined, { skip: 6 })).toEqual([]);
      });

      it("rejects ordering by lists, derived fields, list relations and unknown fields", async () => {
        await expect(ids(undefined, { orderBy: { field: "tags" } })).rejects.toThrow(QueryError);
        await expect(ids(undefined, { orderBy: { field: "notes" } })).rejects.toThrow(/derived/);
        await expect(ids(undefined, { orderBy: { field: "friends", child: "name" } })).rejects.toThrow(/is a list/);
        await expect(ids(undefined, { orderBy: { field: "owner", child: "nope" } })).rejects.toThrow(/no field `nope`/);
      });
    });

    describe("interfaces and id types", () => {
      it("queries an interface over all implementations, ordered and paged across them, with __typename", async () => {
        const named = await store.find({ entityType: "Named", block: 2, first: 4, skip: 1, orderBy: { field: "name" } });
        // names at block 2: "100% pure", "1000 pure", "Beta", "Note two", "_under", "alpha", "back\\slash", "note one"
        expect(named.map((e) => [e.__typename, e.id])).toEqual([
          ["Thing", "t2"],
          ["Thing", "t4"],
          ["Note", "n2"],
          ["Thing", "t6"],
        ]);
        expect(named[2]).toEqual({ ...NOTES.n2, __typename: "Note" });
        const filtered = await store.find({ entityType: "Named", block: 3, first: 10, skip: 0, filter: text("name", "starts_with", "note") });
        expect(filtered.map((e) => e.id)).toEqual(["n1", "n3"]);
      });

      it("Bytes ids and Int8 ids: filters, numeric order, round trip", async () => {
        const wallets = await store.find({ entityType: "Wallet", block: 1, first: 10, skip: 0 });
        expect(wallets).toEqual([
          { id: b("0x00ff"), balance: -5n },
          { id: b("0xab01"), balance: 5n },
        ]);
        const rich = await store.find({ entityType: "Wallet", block: 1, first: 10, skip: 0, filter: cmp("id", "eq", b("0xab01")) });
        expect(rich.map((w) => w.balance)).toEqual([5n]);
        const counters = await store.find({ entityType: "Counter", block: 1, first: 10, skip: 0 });
        expect(counters).toEqual([
          { id: -1n, value: -1 },
          { id: 2n, value: 2 },
          { id: 10n, value: 10 },
        ]);
        const big = await store.find({ entityType: "Counter", block: 1, first: 10, skip: 0, filter: cmp("id", "gt", 1n) });
        expect(big.map((c) => c.id)).toEqual([2n, 10n]);
      });
    });

    describe("values and time travel", () => {
      it("returns entities exactly as written, in the values.ts representation", async () => {
        const rows = await store.find({ entityType: "Thing", block: 1, first: 10, skip: 0 });
        expect(rows).toHaveLength(6);
        for (const row of rows) {
          const expected = THINGS[String(row.id)]!;
          expect(Object.keys(row)).toEqual(Object.keys(expected));
          for (const [key, value] of Object.entries(expected)) {
            if (value instanceof BigDecimal) expect((row[key] as BigDecimal).equals(value), `${row.id}.${key}`).toBe(true);
            else expect(row[key], `${row.id}.${key}`).toEqual(value);
          }
        }
        const t1 = rows.find((r) => r.id === "t1")!;
        expect(t1.amount).toEqual(new BigDecimal(-5n, -1));
        expect(t1.data).toBeInstanceOf(Uint8Array);
      });

      it("answers at every block", async () => {
        const at = async (block: number) => (await store.find({ entityType: "Thing", block, first: 10, skip: 0, filter: cmp("id", "in", ["t1", "t2"]) })).map((t) => [t.id, t.count]);
        expect(await at(0)).toEqual([]);
        expect(await at(1)).toEqual([["t1", 1], ["t2", 2]]);
        expect(await at(2)).toEqual([["t1", 11], ["t2", 2]]);
        expect(await at(3)).toEqual([["t1", 11]]);
        expect(await at(1000)).toEqual([["t1", 11]]);
        expect((await store.find({ entityType: "Owner", block: 2, first: 10, skip: 0 })).map((o) => o.name)).toEqual(Object.values(OWNERS).map((o) => o.name));
      });

      it("answers at every block through a statement planned once: Postgres keeps a generic plan of it", async () => {
        const expected: [number, unknown[]][] = [[0, []], [1, [["t1", 1], ["t2", 2]]], [2, [["t1", 11], ["t2", 2]]], [3, [["t1", 11]]]];
        for (let round = 0; round < 4; round++) {
          for (const [block, rows] of expected) {
            const things = await store.find({ entityType: "Thing", block, first: 10, skip: 0, filter: cmp("id", "in", ["t1", "t2"]) });
            expect(things.map((t) => [t.id, t.count])).toEqual(rows);
          }
        }
        if (backend !== PGLITE_MEMORY) return; // a pool's other connections hold their own statements
        const [plans] = await database.db.query<{ generic: string }>("select sum(generic_plans)::text as generic from pg_prepared_statements where statement like $1", ['%e."count" as "c3"%']);
        expect(Number(plans!.generic)).toBeGreaterThan(0);
      });
    });

    describe("invalid queries", () => {
      it("throws QueryError with a clear message", async () => {
        const base = { block: 1, first: 10, skip: 0 };
        await expect(store.find({ ...base, entityType: "Nope" })).rejects.toThrow(new QueryError("Unknown entity type `Nope`"));
        await expect(store.find({ ...base, entityType: "Thing", filter: cmp("nope", "eq", 1) })).rejects.toThrow("Type `Thing` has no field `nope`");
        await expect(store.find({ ...base, entityType: "Thing", filter: cmp("notes", "eq", "n1") })).rejects.toThrow(/derived/);
        await expect(store.find({ ...base, entityType: "Thing", filter: cmp("count", "eq", "many") })).rejects.toThrow(/Thing\.count/);
        await expect(store.find({ ...base, entityType: "Thing", filter: cmp("count", "in", 1) })).rejects.toThrow(/list/);
        await expect(store.find({ ...base, entityType: "Thing", first: -1 })).rejects.toThrow(/first/);
        await expect(store.find({ ...base, entityType: "Thing", block: -1 })).rejects.toThrow(/block/);
        await expect(store.find({ ...base, entityType: "Thing", first: 0, filter: cmp("nope", "eq", 1) })).rejects.toThrow(QueryError);
        await expect(store.loadCurrent("Named")).rejects.toThrow(/interface/);
      });
    });
  });
}
