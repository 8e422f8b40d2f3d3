/**
 * SqlExecutor on a PostgreSQL server through node-postgres: a small pool for reads, a dedicated connection per
 * transaction, statements run by name (see {@link StatementNames}).
 */
import pg from "pg";
import { toSqlError, type SqlExecutor, type SqlParam, type SqlRow, type SqlRunner, type SyncSqlRunner } from "./executor.ts";
import { pgSyncRunner } from "./sync-pg.ts";

/** Connects to `databaseUrl` (postgres://user:pass@host:port/db). Fails fast if the server is unreachable. */
export async function openPgExecutor(databaseUrl: string, options: { maxConnections?: number } = {}): Promise<SqlExecutor> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 4, application_name: "pedigree-indexer" });
  // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw toSqlError(error);
  }
  return new PgExecutor(pool, databaseUrl);
}

/** Statement texts that get a name (pgjdbc's cache size, and PGlite's, ./pglite-statements.ts); later ones run unnamed. */
const MAX_NAMED_STATEMENTS = 256;

/** A table changed under a named statement ("cached plan must not change result type", SQLSTATE 0A000). */
const isStalePlan = (error: unknown): boolean =>
  (error as { code?: unknown }).code === "0A000" && /cached plan must not change result type/.test(String((error as Error).message));

/**
 * Names for the statements an executor runs, so that each connection parses a statement once and then runs it by name,
 * and PostgreSQL may keep a generic plan rather than plan every run: the lineage query and the audit walks on the
 * 1M-event store a fifth faster (docs/indexer-scale.md, "Reads that go to the store").
 *
 * The first {@link MAX_NAMED_STATEMENTS} texts get names, for good: node-postgres has no way to close a statement on
 * each of a pool's connections (PGlite's statements are closed least recently used first instead), so the names are
 * capped rather than recycled, and a server that sees ever new query shapes runs the later ones unnamed.
 */
class StatementNames {
  readonly #names = new Map<string, string | null>();

  /** The statement's name, or undefined to run it unnamed. */
  nameOf(sql: string): string | undefined {
    let name = this.#names.get(sql);
    if (name === undefined && this.#names.size < MAX_NAMED_STATEMENTS) this.#names.set(sql, (name = `pedigree_${this.#names.size}`));
    return name ?? undefined;
  }

  /** Runs `sql` unnamed from now on (its prepared plan no longer fits its tables). */
  unname(sql: string): void {
    this.#names.set(sql, null);
  }
}

class PgExecutor implements SqlExecutor {
  readonly #pool: pg.Pool;
  readonly #databaseUrl: string;
  readonly #names = new StatementNames();

  constructor(pool: pg.Pool, databaseUrl: string) {
    this.#pool = pool;
    this.#databaseUrl = databaseUrl;
  }

  openSyncRunner(): SyncSqlRunner {
    return pgSyncRunner(this.#databaseUrl);
  }

  query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    return runQuery<R>(this.#pool, this.#names, sql, params);
  }

  exec(sql: string): Promise<void> {
    return runExec(this.#pool, sql);
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await runExec(client, "begin");
      const result = await work({
        query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) => runQuery<R>(client, this.#names, sql, params),
        exec: (sql: string) => runExec(client, sql),
      });
      await runExec(client, "commit");
      return result;
    } catch (error) {
      try {
        await client.query("rollback");
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/**
 * Runs `sql` by its name. A named statement whose tables changed under it fails ({@link isStalePlan}): it runs unnamed
 * from then on, and again at once on the pool (in a transaction, the failure has aborted it).
 */
async function runQuery<R extends SqlRow>(db: pg.Pool | pg.PoolClient, names: StatementNames, sql: string, params: readonly SqlParam[]): Promise<R[]> {
  const name = names.nameOf(sql);
  try {
    return (await db.query<R>({ name, text: sql, values: [...params] })).rows;
  } catch (error) {
    if (name === undefined || !isStalePlan(error)) throw toSqlError(error);
    names.unname(sql);
    if (!(db instanceof pg.Pool)) throw toSqlError(error);
    return runQuery(db, names, sql, params);
  }
}

async function runExec(db: pg.Pool | pg.PoolClient, sql: string): Promise<void> {
  try {
    await db.query(sql);
  } catch (error) {
    throw toSqlError(error);
  }
}
