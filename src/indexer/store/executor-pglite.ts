/**
 * SqlExecutor on PGlite: Postgres compiled to WebAssembly, in this process, in memory or persisted in a directory.
 * PGlite runs one statement at a time; a transaction holds it exclusively, so readers wait for a commit in progress.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { toSqlError, type SqlExecutor, type SqlParam, type SqlRow, type SqlRunner, type SyncSqlRunner } from "./executor.ts";
import { pgliteSyncRunner, PreparedStatements } from "./pglite-statements.ts";

/**
 * PGlite's page cache. Its memory is WebAssembly memory, which never shrinks: initdb's default, 128MB, grows PGlite
 * to 188 MiB before any data. At 16MB it stays at the 128 MiB it starts with while indexing. The indexer's peak RSS at
 * 50 000 events (bench:indexer) was 708–750 MiB over three runs, against 739–746 MiB at 32MB; the operating system's
 * page cache still holds the files, and write speed did not change.
 */
const SHARED_BUFFERS = "16MB";

/** The settings the store starts PGlite with: its page cache, and plans made for each run's parameters. */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  "-c",
  `shared_buffers=${SHARED_BUFFERS}`,
  "-c",
  "plan_cache_mode=force_custom_plan",
];

/**
 * Opens PGlite persisted in `dataDir` (created if missing), or in memory when `dataDir` is undefined.
 *
 * A new database starts from a cached copy of a freshly initialised data directory: PGlite's initdb takes seconds,
 * loading its result takes a fraction of that. The copy is made once per PGlite version, under
 * node_modules/.cache/pedigree (or $PEDIGREE_CACHE_DIR).
 */
export async function openPGliteExecutor(dataDir?: string): Promise<SqlExecutor> {
  const fresh = dataDir === undefined || !existsSync(join(dataDir, "PG_VERSION"));
  const template = fresh ? await initialisedDataDir() : undefined;
  const db = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(template ? { loadDataDir: template } : {}),
    startParams: [...PGLITE_START_PARAMS],
  });
  return new PGliteExecutor(db);
}

/** A tarball of a freshly initialised PGlite data directory, created on first use and cached on disk. */
async function initialisedDataDir(): Promise<Blob | undefined> {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const packageJson = join(entry.slice(0, entry.lastIndexOf("@electric-sql/pglite") + "@electric-sql/pglite".length), "package.json");
  const version = (JSON.parse(await readFile(packageJson, "utf8")) as { version: string }).version;
  const dir = process.env.PEDIGREE_CACHE_DIR ?? join(process.cwd(), "node_modules", ".cache", "pedigree");
  const file = join(dir, `pglite-${version}-initdb.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // Not cached yet: initialise once, keep a copy (best effort: a read-only cache only costs the speed-up).
    const db = await PGlite.create();
    try {
      const tarball = await db.dumpDataDir("none");
      await mkdir(dir, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
      await rename(partial, file);
      return tarball;
    } catch {
      return undefined;
    } finally {
      await db.close();
    }
  }
}

/**
 * Statements run as prepared statements (./pglite-statements.ts) under PGlite's locks: its transaction lock, then its
 * query lock, as its own query() takes them; inside a transaction, the query lock only (the transaction holds the other).
 */
class PGliteExecutor implements SqlExecutor {
  readonly #db: PGlite;
  readonly #statements: PreparedStatements;

  constructor(db: PGlite) {
    this.#db = db;
    this.#statements = new PreparedStatements(db);
  }

  async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    await this.#db._checkReady(); // open, not closing or closed
    return this.#db._runExclusiveTransaction(async () => {
      const rows = await this.#run<R>(sql, params);
      await this.#db.syncToFs();
      return rows;
    });
  }

  exec(sql: string): Promise<void> {
    return runExec(this.#db, sql);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) =>
      work({
        query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) => this.#run<R>(sql, params),
        exec: (sql: string) => runExec(tx, sql),
      }),
    );
  }

  #run<R extends SqlRow>(sql: string, params: readonly SqlParam[]): Promise<R[]> {
    return this.#db.runExclusive(async () => this.#statements.run<R>(sql, params));
  }

  openSyncRunner(): SyncSqlRunner {
    return pgliteSyncRunner(this.#db, this.#statements);
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }
}

async function runExec(db: Pick<PGlite, "exec">, sql: string): Promise<void> {
  try {
    await db.exec(sql);
  } catch (error) {
    throw toSqlError(error);
  }
}
