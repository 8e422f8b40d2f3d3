/**
 * Backends the store tests run on, and helpers to compare stores exactly.
 *
 * Starting PGlite costs seconds (it runs initdb), so a test file opens one database per backend and gives each
 * store its own deployment (SQL schema) in it, which also exercises the namespacing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SubgraphSchema } from "../../../src/indexer/schema/schema.ts";
import { openPgExecutor } from "../../../src/indexer/store/executor-pg.ts";
import { openPGliteExecutor } from "../../../src/indexer/store/executor-pglite.ts";
import { openPGliteThreadExecutor } from "../../../src/indexer/store/pglite-thread.ts";
import { quoteIdent, type SqlExecutor } from "../../../src/indexer/store/executor.ts";
import { buildLayout, type Layout } from "../../../src/indexer/store/layout.ts";
import { SqlStore, type SqlStoreOptions } from "../../../src/indexer/store/store.ts";

/** Your server (DATABASE_URL), or the one test/global-setup.ts started. */
export const DATABASE_URL = process.env.DATABASE_URL ?? process.env.PEDIGREE_TEST_DATABASE_URL;
export const PG_SKIP_REASON = "skipped: set DATABASE_URL=postgres://user:pass@host:port/db to run against a real PostgreSQL";

if (!DATABASE_URL) console.warn(`[store tests] PostgreSQL backend ${PG_SKIP_REASON}`);

export interface Backend {
  name: string;
  /** Why the backend's tests are skipped, or false. */
  skip: string | false;
  open(): Promise<TestDatabase>;
}

let counter = 0;

/** One database (PGlite instance or server connection pool) holding any number of test deployments. */
export class TestDatabase {
  readonly db: SqlExecutor;
  readonly #deployments: string[] = [];
  readonly #dispose: () => Promise<void>;
  readonly dropOnDispose: boolean;

  constructor(db: SqlExecutor, dispose: () => Promise<void>, dropOnDispose: boolean) {
    this.db = db;
    this.#dispose = dispose;
    this.dropOnDispose = dropOnDispose;
  }

  /** A fresh deployment of `schema` (a new SQL schema), initialised. Do not close it; dispose() closes the database. */
  async store(schema: SubgraphSchema, label = "t", options: SqlStoreOptions = {}): Promise<SqlStore> {
    const deployment = `${label}_${process.pid}_${++counter}`;
    this.#deployments.push(deployment);
    const store = new SqlStore(this.db, buildLayout(schema, deployment), options);
    await store.init();
    return store;
  }

  async dispose(): Promise<void> {
    if (this.dropOnDispose) {
      for (const deployment of this.#deployments) await this.db.exec(`drop schema if exists ${quoteIdent(deployment)} cascade`);
    }
    await this.#dispose();
  }
}

export const PGLITE_MEMORY: Backend = {
  name: "PGlite in memory",
  skip: false,
  async open() {
    const db = await openPGliteExecutor();
    return new TestDatabase(db, () => db.close(), false);
  },
};

/** PGlite as createStore opens it: in a worker thread; here persisted in a directory. */
export const PGLITE_DIRECTORY: Backend = {
  name: "PGlite in a directory, in a worker thread",
  skip: false,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "store-test-"));
    const db = await openPGliteThreadExecutor(dir);
    return new TestDatabase(
      db,
      async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
      false,
    );
  },
};

export const POSTGRES: Backend = {
  name: "PostgreSQL (DATABASE_URL)",
  skip: DATABASE_URL ? false : PG_SKIP_REASON,
  async open() {
    const db = await openPgExecutor(DATABASE_URL!);
    return new TestDatabase(db, () => db.close(), true);
  },
};

/** Title of a backend's describe block, saying why it is skipped. */
export function title(backend: Backend): string {
  return backend.skip ? `${backend.name} (${backend.skip})` : backend.name;
}

/**
 * Everything a deployment holds, in a form two stores can be compared by: every version of every entity (all
 * columns and the block range, without `vid`, which numbers insertions), the head, the error and the block hashes.
 */
export async function dumpDeployment(db: SqlExecutor, layout: Layout): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of layout.tables.values()) {
    const order = table.immutable ? `t."block$"` : "lower(t.block_range)";
    const rows = await db.query<{ row: string }>(
      `select (to_jsonb(t) - 'vid')::text as row from ${table.qualified} t order by t.id, ${order}`,
    );
    dump[table.entity.name] = rows.map((r) => r.row);
  }
  const meta = await db.query<{ row: string }>(`select (to_jsonb(m) - 'layout_hash')::text as row from ${layout.metaTable} m`);
  dump["meta$"] = meta.map((r) => r.row);
  const hashes = await db.query<{ row: string }>(`select to_jsonb(h)::text as row from ${layout.blockHashTable} h order by number`);
  dump["block_hash$"] = hashes.map((r) => r.row);
  return dump;
}
