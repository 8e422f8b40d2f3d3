/**
 * The entity store of the embedded graph-node-compatible runtime: versioned entity tables in PGlite (in memory or in
 * a directory) or in a PostgreSQL server, with graph-node's layout and query semantics.
 *
 * @example
 * import { parseSchema } from "../schema/schema.ts";
 * import { createStore } from "./index.ts";
 *
 * const store = await createStore({ schema: parseSchema(source), dataDir: ".pedigree/index", deployment: "pedigree" });
 * await store.commitBlock({ number: 1, hash: "0x…", parentHash: "0x…", timestamp: 1700000000 }, [
 *   { entityType: "Account", id: "0xab…", data: { id: hexToBytes("0xab…") } },
 * ]);
 * const accounts = await store.find({ entityType: "Account", block: 1, first: 100, skip: 0 });
 */
import { mkdirSync } from "node:fs";
import type { SubgraphSchema } from "../schema/schema.ts";
import { StoreError } from "./errors.ts";
import type { SqlExecutor } from "./executor.ts";
import { openPgExecutor } from "./executor-pg.ts";
import { openPGliteThreadExecutor } from "./pglite-thread.ts";
import { buildLayout } from "./layout.ts";
import { SqlStore } from "./store.ts";
import type { Store } from "./types.ts";

export interface CreateStoreOptions {
  schema: SubgraphSchema;
  /** PGlite persisted in this directory (created if missing); omit for in memory. One process per directory. */
  dataDir?: string;
  /** A PostgreSQL server (postgres://user:password@host:port/database) instead of PGlite. */
  databaseUrl?: string;
  /**
   * Namespace of this subgraph's tables: the SQL schema they live in, so that several subgraphs can share a
   * database. At most 63 bytes. Default "subgraph".
   */
  deployment?: string;
}

export const DEFAULT_DEPLOYMENT = "subgraph";

/**
 * Opens the store and creates the deployment's tables if they do not exist yet.
 *
 * @throws LayoutError if the schema cannot be laid out as tables, or the deployment already holds another schema.
 * @throws StoreError if both `dataDir` and `databaseUrl` are given.
 */
export async function createStore(options: CreateStoreOptions): Promise<Store> {
  if (options.dataDir !== undefined && options.databaseUrl !== undefined) {
    throw new StoreError("Give either dataDir (PGlite) or databaseUrl (PostgreSQL), not both");
  }
  const layout = buildLayout(options.schema, options.deployment ?? DEFAULT_DEPLOYMENT);
  let db: SqlExecutor;
  if (options.databaseUrl !== undefined) {
    db = await openPgExecutor(options.databaseUrl);
  } else {
    if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
    db = await openPGliteThreadExecutor(options.dataDir);
  }
  const store = new SqlStore(db, layout);
  try {
    await store.init();
  } catch (error) {
    await db.close();
    throw error;
  }
  return store;
}

export { SqlStore } from "./store.ts";
export { StoreError, QueryError, WriteError, LayoutError, FulltextSyntaxError } from "./errors.ts";
export { TYPENAME } from "./query.ts";
export type * from "./types.ts";
