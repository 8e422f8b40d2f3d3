/**
 * The tables, columns and indexes created for the project's schema.graphql, layout errors, namespacing, and
 * createStore's options — on PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { LayoutError, StoreError } from "../../../src/indexer/store/errors.ts";
import { createStore } from "../../../src/indexer/store/index.ts";
import { buildLayout, snakeCase } from "../../../src/indexer/store/layout.ts";
import { SqlStore } from "../../../src/indexer/store/store.ts";
import { hexToBytes } from "../../../src/indexer/values.ts";
import { ptr, THINGS_SCHEMA } from "./fixtures/things.ts";
import { DATABASE_URL, PGLITE_MEMORY, POSTGRES, title, type TestDatabase } from "./helpers.ts";

const SOURCE = readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8");
const PEDIGREE_SCHEMA = parseSchema(SOURCE);

describe("layout", () => {
  it("snake_cases names like graph-node", () => {
    expect(snakeCase("ModelVersion")).toBe("model_version");
    expect(snakeCase("documentURI")).toBe("document_uri");
    expect(snakeCase("createdAtBlock")).toBe("created_at_block");
    expect(snakeCase("requiredKindIds")).toBe("required_kind_ids");
    expect(snakeCase("URIValue")).toBe("uri_value");
  });

  it("rejects schemas whose names clash or use reserved columns", () => {
    const clash = parseSchema(`type A @entity(immutable: false) { id: ID! fooBar: Int foo_bar: Int }`);
    expect(() => buildLayout(clash, "x")).toThrow(new LayoutError("Fields A.fooBar and foo_bar both map to column `foo_bar`"));
    const tables = parseSchema(`type FooBar @entity(immutable: true) { id: ID! } type Foo_bar @entity(immutable: true) { id: ID! }`);
    expect(() => buildLayout(tables, "x")).toThrow(/both map to table `foo_bar`/);
    const reserved = parseSchema(`type A @entity(immutable: false) { id: ID! blockRange: Int }`);
    expect(() => buildLayout(reserved, "x")).toThrow(/reserved column `block_range`/);
    const long = parseSchema(`type A @entity(immutable: false) { id: ID! ${"x".repeat(64)}: Int }`);
    expect(() => buildLayout(long, "x")).toThrow(LayoutError);
    expect(() => buildLayout(PEDIGREE_SCHEMA, "d".repeat(64))).toThrow(/Deployment name/);
  });
});

for (const backend of [PGLITE_MEMORY, POSTGRES]) {
  describe.skipIf(backend.skip)(`DDL of schema.graphql — ${title(backend)}`, () => {
    let database: TestDatabase;
    let store: SqlStore;
    beforeAll(async () => {
      database = await backend.open();
      store = await database.store(PEDIGREE_SCHEMA, "ddl");
    });
    afterAll(async () => {
      await database?.dispose();
    });

    async function columns(table: string): Promise<Record<string, string>> {
      const rows = await database.db.query<{ name: string; type: string; nullable: boolean; collation: string | null }>(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable, c.collname as collation
           from pg_attribute a join pg_class t on t.oid = a.attrelid join pg_namespace n on n.oid = t.relnamespace
           left join pg_collation c on c.oid = a.attcollation and a.attcollation <> 100
          where n.nspname = $1::text and t.relname = $2::text and a.attnum > 0 and not a.attisdropped order by a.attnum`,
        [store.layout.namespace, table],
      );
      return Object.fromEntries(
        rows.map((r) => [r.name, `${r.type}${r.nullable ? "" : " not null"}${r.collation ? ` collate ${r.collation}` : ""}`]),
      );
    }

    async function indexes(table: string): Promise<string[]> {
      const rows = await database.db.query<{ def: string }>(
        "select indexdef as def from pg_indexes where schemaname = $1::text and tablename = $2::text order by indexname",
        [store.layout.namespace, table],
      );
      return rows.map((r) => r.def.replace(/ ON "?[\w$]+"?\./, " ON ").replace(/"/g, ""));
    }

    it("creates one table per entity type in the deployment's schema", async () => {
      const rows = await database.db.query<{ name: string }>(
        "select tablename as name from pg_tables where schemaname = $1::text order by tablename",
        [store.layout.namespace],
      );
      const expected = [...PEDIGREE_SCHEMA.entities.keys()].map(snakeCase).concat(["block_hash$", "data_source$", "meta$"]).sort();
      expect(rows.map((r) => r.name)).toEqual(expected);
    });

    it("gives a mutable type vid, block_range and one typed column per stored field (none for derived fields)", async () => {
      expect(await columns("model_version")).toEqual({
        vid: "bigint not null",
        block_range: "int4range not null",
        id: "text not null collate C",
        version_id: "numeric not null",
        model: "text not null collate C",
        number: "integer not null",
        weights_hash: "bytea not null",
        content: "bytea not null",
        claimant: "bytea not null",
        priority_committed_at: "numeric",
        priority_commitment_block: "numeric",
        manifest_root: "bytea not null",
        config_hash: "bytea not null",
        uri: "text not null collate C",
        data_declared: "boolean not null",
        commercial_data: "boolean not null",
        parent: "text collate C",
        publisher: "bytea not null",
        training_run: "text collate C",
        approved: "boolean not null",
        approval: "text collate C",
        approval_revoked: "boolean not null",
        created_at_block: "numeric not null",
        created_at: "numeric not null",
        created_tx: "bytea not null",
        created_log_index: "numeric not null",
      });
      expect(await columns("account")).toEqual({ vid: "bigint not null", block_range: "int4range not null", id: "bytea not null" });
      const model = await columns("model");
      expect(model.required_kind_ids).toBe("integer[] not null");
      expect(model.versions).toBeUndefined();
    });

    it("gives an immutable type block$ and a unique id; lists become arrays, enums checked text", async () => {
      const run = await columns("training_run");
      expect(run["block$"]).toBe("integer not null");
      expect(run.block_range).toBeUndefined();
      expect(run.dataset_versions).toBe("text[] not null collate C");
      expect(run.datasets_uses).toBeUndefined();
      expect((await columns("decision_batch")).id).toBe("bytea not null");
      expect((await columns("provenance_event")).action).toBe("text not null collate C");
      const checks = await database.db.query<{ def: string }>(
        `select pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_class t on t.oid = c.conrelid
           join pg_namespace n on n.oid = t.relnamespace where n.nspname = $1::text and t.relname = 'attestation' and c.contype = 'c'`,
        [store.layout.namespace],
      );
      expect(checks.map((c) => c.def).join()).toMatch(/subject_type.*DatasetVersion.*ModelVersion.*TrainingRun.*Licence.*Deployment/);
    });

    it("indexes ids, references (with the id, non-null only), lists of references and block ranges", async () => {
      expect(await indexes("model_version")).toEqual([
        "CREATE INDEX model_version$approval ON model_version USING btree (approval, id) WHERE (approval IS NOT NULL)",
        "CREATE INDEX model_version$brin$ ON model_version USING brin (lower(block_range), COALESCE(upper(block_range), 2147483647), vid)",
        "CREATE INDEX model_version$claimant ON model_version USING btree (claimant, id) WHERE (claimant IS NOT NULL)",
        "CREATE INDEX model_version$content ON model_version USING btree (content, id) WHERE (content IS NOT NULL)",
        "CREATE INDEX model_version$id$ ON model_version USING btree (id)",
        "CREATE INDEX model_version$model ON model_version USING btree (model, id) WHERE (model IS NOT NULL)",
        "CREATE INDEX model_version$parent ON model_version USING btree (parent, id) WHERE (parent IS NOT NULL)",
        "CREATE INDEX model_version$publisher ON model_version USING btree (publisher, id) WHERE (publisher IS NOT NULL)",
        "CREATE INDEX model_version$training_run ON model_version USING btree (training_run, id) WHERE (training_run IS NOT NULL)",
        "CREATE UNIQUE INDEX model_version_pkey ON model_version USING btree (vid)",
      ]);
      const run = await indexes("training_run");
      expect(run).toContain("CREATE UNIQUE INDEX training_run$id$ ON training_run USING btree (id)");
      expect(run).toContain('CREATE INDEX training_run$brin$ ON training_run USING brin (block$, vid)');
      expect(run).toContain("CREATE INDEX training_run$dataset_versions ON training_run USING gin (dataset_versions)");
    });

    it("is idempotent, keeps deployments apart, and refuses a deployment created with another schema", async () => {
      await store.init();
      const other = new SqlStore(database.db, buildLayout(THINGS_SCHEMA, store.layout.namespace));
      await expect(other.init()).rejects.toThrow(LayoutError);
      await expect(other.init()).rejects.toThrow(/holds tables of a different schema/);

      const neighbour = await database.store(PEDIGREE_SCHEMA, "ddl2");
      await neighbour.commitBlock(ptr(1), [{ entityType: "Account", id: "0xaa", data: { id: hexToBytes("0xaa") } }]);
      expect(await neighbour.loadCurrent("Account")).toHaveLength(1);
      expect(await store.loadCurrent("Account")).toHaveLength(0);
      expect((await store.status()).head).toBeNull();
    });
  });
}

describe("createStore", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "store-create-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("persists a PGlite store in a directory across reopenings", async () => {
    const dataDir = join(dir, "nested", "data");
    const first = await createStore({ schema: THINGS_SCHEMA, dataDir, deployment: "things" });
    await first.commitBlock(ptr(1), [{ entityType: "Owner", id: "o1", data: { id: "o1", name: "kept" } }]);
    await first.close();
    const second = await createStore({ schema: THINGS_SCHEMA, dataDir, deployment: "things" });
    expect(await second.status()).toEqual({ head: ptr(1), error: null });
    expect(await second.loadCurrent("Owner")).toEqual([{ id: "o1", name: "kept" }]);
    await second.close();
    await expect(createStore({ schema: PEDIGREE_SCHEMA, dataDir, deployment: "things" })).rejects.toThrow(LayoutError);
  }, 120_000);

  it("rejects ambiguous options", async () => {
    await expect(createStore({ schema: THINGS_SCHEMA, dataDir: dir, databaseUrl: "postgres://localhost/x" })).rejects.toThrow(StoreError);
  });

  it.skipIf(!DATABASE_URL)(`connects to PostgreSQL with databaseUrl${DATABASE_URL ? "" : ` (${POSTGRES.skip})`}`, async () => {
    const deployment = `create_${process.pid}`;
    const store = await createStore({ schema: THINGS_SCHEMA, databaseUrl: DATABASE_URL!, deployment });
    try {
      await store.commitBlock(ptr(1), [{ entityType: "Owner", id: "o1", data: { id: "o1", name: "pg" } }]);
      expect(await store.loadCurrent("Owner")).toEqual([{ id: "o1", name: "pg" }]);
    } finally {
      await store.close();
      const db = await POSTGRES.open();
      await db.db.exec(`drop schema "${deployment}" cascade`);
      await db.dispose();
    }
  });
});
