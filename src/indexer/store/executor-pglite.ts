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
 * PGlite's page cache. Its memory is WebAssembly memory, which never shrinks (initdb's default, 128MB, grows PGlite to
 * 188 MiB before any data), so it is sized for indexing rather than left at the default. New index entries land on
 * random pages (ids are hashes), and a page evicted dirty is written and later read back: replaying the 50 000-event
 * benchmark's statements into PGlite alone, commits took 3.6 s with 16MB, 3.5 s with 32MB and 3.3 s with 64MB, for
 * about 60 MiB more peak RSS (bench:indexer: 581–604 → 641–662 MiB). The WAL's buffers, 1/32 of the page cache, grow
 * with it, and the WAL went out in 2 300 writes instead of 12 300.
 */
const SHARED_BUFFERS = "64MB";

/**
 * The settings the store starts PGlite with: its page cache, and new WAL segments created without writing 16 MB of
 * zeros first (`wal_init_zero`, meant for copy-on-write file systems: a segment's end is written, the rest reads as
 * zeros; Postgres needs no more of a new segment). In the replay above, zero-filling was 128 of the 275 MiB written to
 * the WAL, and commits took 3.6 s without it instead of 3.8 s.
 *
 * Plans are Postgres's default (`plan_cache_mode = auto`), as on PostgreSQL: a prepared statement keeps a generic plan
 * once it costs no more than those made for each run's parameters. Planning a run reads the size of every table and
 * index it may use, each a call out of PGlite's WebAssembly to Node's `fstatSync` (7 per statement of the audit
 * queries); with `force_custom_plan` the benchmark's audit queries took 3–19 % longer (p50, on the kept 50k and 1M
 * stores).
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  "-c",
  `shared_buffers=${SHARED_BUFFERS}`,
  "-c",
  "wal_init_zero=off",
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
