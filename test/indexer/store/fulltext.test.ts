/**
 * The store's side of `@fulltext` fields, on PGlite and PostgreSQL: the generated tsvector column and its GIN index
 * (graph-node store/postgres/src/relational/ddl.rs), the search filter `@@ to_tsquery(text)` and the rank order with
 * `ts_rank` / `ts_rank_cd` (relational_queries.rs), versions across blocks and reverts, and the errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULLTEXT_LANGUAGES } from "../../../src/indexer/schema/fulltext.ts";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { FulltextSyntaxError, QueryError } from "../../../src/indexer/store/errors.ts";
import type { SqlStore } from "../../../src/indexer/store/store.ts";
import type { BlockPtr, EntityChange, Filter, OrderBy } from "../../../src/indexer/store/types.ts";
import { PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "./helpers.ts";

const SCHEMA = parseSchema(`
type _Schema_
  @fulltext(name: "docSearch", language: en, algorithm: rank, include: [{ entity: "Doc", fields: [{ name: "title" }, { name: "body" }] }])
  @fulltext(name: "docProximity", language: en, algorithm: proximityRank, include: [{ entity: "Doc", fields: [{ name: "title" }, { name: "body" }] }])
  @fulltext(name: "titleSimple", language: simple, algorithm: rank, include: [{ entity: "Doc", fields: [{ name: "title" }] }])

type Doc @entity(immutable: false) {
  id: ID!
  title: String!
  body: String
}`);

const block = (number: number): BlockPtr => ({
  number,
  hash: `0x${number.toString(16).padStart(64, "0")}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, "0")}`,
  timestamp: 1_700_000_000 + number,
});
const doc = (id: string, title: string, body: string | null): EntityChange => ({ entityType: "Doc", id, data: { id, title, body } });

const search = (field: string, text: string): Filter => ({ kind: "fulltext", field, text });
const rank = (field: string, text: string): OrderBy => ({ field, text });

for (const backend of [PGLITE_MEMORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`fulltext — ${title(backend)}`, () => {
    let database: TestDatabase;
    let store: SqlStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await database.store(SCHEMA, "fulltext");
      // ts_rank ranks b (many occurrences) highest and c lowest; ts_rank_cd ranks a (adjacent words) highest and b
      // (words far apart) lowest.
      await store.commitBlock(block(1), [
        doc("a", "Fox", "dog"),
        doc("b", "fox fox fox", "alpha beta gamma delta epsilon zeta eta theta dog dog dog"),
        doc("c", "The fox", "met the dog"),
        doc("d", "Cats", null),
      ]);
      await store.commitBlock(block(2), [doc("d", "Cats and a fox", "and a dog")]);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    async function ids(filter: Filter, orderBy?: OrderBy, at = 2): Promise<string[]> {
      const rows = await store.find({ entityType: "Doc", block: at, first: 100, skip: 0, filter, orderBy });
      return rows.map((row) => String(row.id));
    }

    it("stores each fulltext field as a generated tsvector column with a GIN index", async () => {
      const table = store.layout.tables.get("Doc")!;
      const columns = await database.db.query<{ column_name: string; data_type: string; is_generated: string }>(
        `select column_name, data_type, is_generated from information_schema.columns
          where table_schema = $1 and table_name = 'doc' and data_type = 'tsvector' order by column_name`,
        [store.layout.namespace],
      );
      expect(columns).toEqual(
        ["doc_proximity", "doc_search", "title_simple"].map((name) => ({ column_name: name, data_type: "tsvector", is_generated: "ALWAYS" })),
      );
      const indexes = await database.db.query<{ indexdef: string }>(
        `select indexdef from pg_indexes where schemaname = $1 and tablename = 'doc' and indexdef like '%USING gin%' order by indexdef`,
        [store.layout.namespace],
      );
      expect(indexes.map((i) => i.indexdef.replace(/.* USING /, ""))).toEqual(["gin (doc_proximity)", "gin (doc_search)", "gin (title_simple)"]);
      expect([...table.fulltext.keys()]).toEqual(["docSearch", "docProximity", "titleSimple"]);
    });

    it("has a text search configuration for every language graph-node accepts", async () => {
      for (const config of Object.values(FULLTEXT_LANGUAGES)) {
        const [row] = await database.db.query<{ v: string }>(`select to_tsvector($1::regconfig, 'running')::text as v`, [config]);
        expect(row?.v, config).toMatch(/^'run/);
      }
    });

    it("matches title and body, indexed with the field's language and searched with the database's default", async () => {
      expect(await ids(search("docSearch", "dogs"))).toEqual(["a", "b", "c", "d"]);
      expect(await ids(search("docSearch", "cat"))).toEqual(["d"]);
      // The `simple` column holds 'cats' unstemmed, but graph-node's to_tsquery(text) uses the database's default
      // configuration (english on both test stores), which turns "cats" into 'cat': no match, in graph-node too.
      expect(await ids(search("titleSimple", "cats"))).toEqual([]);
      expect(await ids(search("titleSimple", "fox"))).toEqual(["a", "b", "c", "d"]);
      const [config] = await database.db.query<{ c: string }>("select current_setting('default_text_search_config') as c");
      expect(config?.c).toBe("pg_catalog.english");
    });

    it("orders by ts_rank for rank and by ts_rank_cd for proximityRank, ascending as graph-node does", async () => {
      const text = "fox & dog";
      expect(await ids(search("docSearch", text), rank("docSearch", text), 1)).toEqual(["c", "a", "b"]);
      expect(await ids(search("docProximity", text), rank("docProximity", text), 1)).toEqual(["b", "c", "a"]);
    });

    it("searches each block's version, and a revert brings the old text back", async () => {
      expect(await ids(search("docSearch", "fox"), undefined, 1)).toEqual(["a", "b", "c"]);
      expect(await ids(search("docSearch", "fox"), undefined, 2)).toEqual(["a", "b", "c", "d"]);
      await store.revertTo(block(1));
      expect(await ids(search("docSearch", "fox"), undefined, 2)).toEqual(["a", "b", "c"]);
      await store.commitBlock(block(2), [doc("d", "Cats and a fox", "and a dog")]);
    });

    it("refuses a search text Postgres cannot parse with Postgres' message, and an unknown fulltext field", async () => {
      const error = await store.find({ entityType: "Doc", block: 2, first: 1, skip: 0, filter: search("docSearch", "Jono 'a") }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FulltextSyntaxError);
      expect((error as FulltextSyntaxError).details).toBe(`syntax error in tsquery: "Jono 'a"`);
      await expect(ids(search("nope", "fox"))).rejects.toThrow(new QueryError("`nope` is not a fulltext field of type `Doc`"));
    });
  });
}
