/**
 * SqlExecutor on PGlite running in a worker thread of its own: Postgres's work (a commit's inserts and index updates
 * above all) runs on another core while the indexer's thread runs handlers. The statements cross threads as messages
 * (./pglite-thread-worker.ts); the handlers' synchronous reads block this thread until the worker answers, as with
 * PostgreSQL (./sync-pg.ts).
 *
 * A transaction spans several messages, and a synchronous read waits for any open transaction to end; so that a read
 * never waits for a transaction this (blocked) thread would have to finish, hold() and transaction() exclude each
 * other here. Single statements, such as a commit, need no such exclusion and overlap the handlers.
 */
import { SyncWorker } from "../sync-worker.ts";
import { StoreError } from "./errors.ts";
import { workerAnswer, type SqlExecutor, type SqlParam, type SqlRow, type SqlRunner, type SyncSqlRunner } from "./executor.ts";
import type { PGliteRequest } from "./pglite-thread-worker.ts";

/** Longest a synchronous read may block (the worker may be finishing a commit first). */
const SYNC_READ_TIMEOUT_MS = 60_000;

/**
 * The worker's young generation, in MB. The worker's JavaScript only passes statements and rows between PGlite and
 * the indexer's thread. With Node's default its heap reached 57 MiB while committing 50 000 events (27 MiB with 4 MB),
 * and the indexer's peak RSS was 754 MiB against 705 MiB (bench:indexer), at a speed within run-to-run noise.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/** Opens PGlite (persisted in `dataDir`, or in memory) in a worker thread. */
export async function openPGliteThreadExecutor(dataDir?: string): Promise<SqlExecutor> {
  const module = new URL("./pglite-thread-worker.ts", import.meta.url);
  const worker = new SyncWorker(module, { dataDir }, SYNC_READ_TIMEOUT_MS, { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB });
  const executor = new PGliteThreadExecutor(worker);
  try {
    await executor.query("select 1"); // opened, or the reason it could not be
  } catch (error) {
    await executor.close();
    throw error;
  }
  return executor;
}

class PGliteThreadExecutor implements SqlExecutor {
  readonly #worker: SyncWorker;
  /** hold() and transaction() take turns (see the file comment). */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(worker: SyncWorker) {
    this.#worker = worker;
  }

  async #ask(request: PGliteRequest): Promise<unknown> {
    if (this.#worker.isClosed) throw new StoreError("The store is closed");
    return workerAnswer(await this.#worker.request(request), "PGlite", SYNC_READ_TIMEOUT_MS);
  }

  /** Runs `work` once the previous hold() or transaction() has ended. */
  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#turn.then(work);
    this.#turn = result.catch(() => {});
    return result;
  }

  query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    return this.#runner(undefined).query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.#runner(undefined).exec(sql);
  }

  /** Statements outside any transaction (`tx` undefined) or in the worker's transaction `tx`. */
  #runner(tx: number | undefined): SqlRunner {
    return {
      query: async <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) =>
        (await this.#ask({ op: "query", sql, params: [...params], tx })) as R[],
      exec: async (sql: string) => {
        await this.#ask({ op: "exec", sql, tx });
      },
    };
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.#inTurn(async () => {
      const tx = (await this.#ask({ op: "begin" })) as number;
      let result: T;
      try {
        result = await work(this.#runner(tx));
      } catch (error) {
        await this.#ask({ op: "end", tx, commit: false }).catch(() => {});
        throw error;
      }
      await this.#ask({ op: "end", tx, commit: true });
      return result;
    });
  }

  openSyncRunner(): SyncSqlRunner {
    let held = false;
    return {
      query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): R[] => {
        if (!held) throw new Error("PGlite: a synchronous read outside hold() could wait for a transaction this thread has to end");
        if (this.#worker.isClosed) throw new StoreError("The store is closed");
        return workerAnswer<R[]>(this.#worker.call({ op: "query", sql, params: [...params] }), "PGlite", SYNC_READ_TIMEOUT_MS);
      },
      hold: <T>(work: () => T): Promise<T> =>
        this.#inTurn(async () => {
          held = true;
          try {
            return work();
          } finally {
            held = false;
          }
        }),
      close: async () => {},
    };
  }

  async close(): Promise<void> {
    if (this.#worker.isClosed) return;
    await this.#ask({ op: "close" }).catch(() => {});
    await this.#worker.close();
  }
}
