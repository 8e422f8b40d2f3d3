/**
 * SqlExecutor on a PostgreSQL server through node-postgres: a small pool for reads, a dedicated connection per
 * transaction.
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

class PgExecutor implements SqlExecutor {
  readonly #pool: pg.Pool;
  readonly #databaseUrl: string;

  constructor(pool: pg.Pool, databaseUrl: string) {
    this.#pool = pool;
    this.#databaseUrl = databaseUrl;
  }

  openSyncRunner(): SyncSqlRunner {
    return pgSyncRunner(this.#databaseUrl);
  }

  query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    return runQuery<R>(this.#pool, sql, params);
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
        query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) => runQuery<R>(client, sql, params),
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

async function runQuery<R extends SqlRow>(db: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlParam[]): Promise<R[]> {
  try {
    const result = await db.query<R>(sql, [...params]);
    return result.rows;
  } catch (error) {
    throw toSqlError(error);
  }
}

async function runExec(db: pg.Pool | pg.PoolClient, sql: string): Promise<void> {
  try {
    await db.query(sql);
  } catch (error) {
    throw toSqlError(error);
  }
}
