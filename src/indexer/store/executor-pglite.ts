/**
 * SqlExecutor on PGlite: Postgres compiled to WebAssembly, in this process, in memory or persisted in a directory.
 * PGlite runs one statement at a time; a transaction holds it exclusively, so readers wait for a commit in progress.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { toSqlError, type SqlExecutor, type SqlParam, type SqlRow, type SqlRunner, type SyncSqlRunner } from "./executor.ts";
import { pgliteSyncRunner } from "./sync-pglite.ts";

/**
 * PGlite serialises parameters by their described type (it insists on Uint8Array for bytea, for instance). The store
 * passes every parameter as the text Postgres should parse, so every serialiser is the identity.
 */
const VERBATIM = (value: unknown) => String(value);
const TEXT_SERIALIZERS: Record<number, (value: unknown) => string> = Object.fromEntries(
  [16, 17, 20, 21, 23, 25, 26, 114, 700, 701, 1042, 1043, 1082, 1114, 1184, 1700, 3802].map((oid) => [oid, VERBATIM]),
);

/**
 * PGlite's page cache. Its memory is WebAssembly memory, which never shrinks: initdb's default, 128MB, grows PGlite
 * to 188 MiB before any data. At 16MB it stays at the 128 MiB it starts with while indexing. The indexer's peak RSS at
 * 50 000 events (bench:indexer) was 708–750 MiB over three runs, against 739–746 MiB at 32MB; the operating system's
 * page cache still holds the files, and write speed did not change.
 */
const SHARED_BUFFERS = "16MB";

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
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`],
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

class PGliteExecutor implements SqlExecutor {
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
  }

  query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    return runQuery<R>(this.#db, sql, params);
  }

  exec(sql: string): Promise<void> {
    return runExec(this.#db, sql);
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) =>
      work({
        query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) => runQuery<R>(tx, sql, params),
        exec: (sql: string) => runExec(tx, sql),
      }),
    );
  }

  openSyncRunner(): SyncSqlRunner {
    return pgliteSyncRunner(this.#db);
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }
}

async function runQuery<R extends SqlRow>(db: PGlite | Transaction, sql: string, params: readonly SqlParam[]): Promise<R[]> {
  try {
    const result = await db.query<R>(sql, [...params], { serializers: TEXT_SERIALIZERS });
    return result.rows;
  } catch (error) {
    throw toSqlError(error);
  }
}

async function runExec(db: PGlite | Transaction, sql: string): Promise<void> {
  try {
    await db.exec(sql);
  } catch (error) {
    throw toSqlError(error);
  }
}
