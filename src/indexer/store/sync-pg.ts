/**
 * SyncSqlRunner on a PostgreSQL server: statements run on a connection of their own in a worker thread
 * (../sync-worker.ts), and the calling thread blocks until the rows come back.
 */
import { SyncWorker } from "../sync-worker.ts";
import { StoreError } from "./errors.ts";
import { workerAnswer, type SqlParam, type SqlRow, type SyncSqlRunner } from "./executor.ts";

/** Longest a synchronous read may block, worker start-up and connection included. */
const SYNC_READ_TIMEOUT_MS = 60_000;

/** The synchronous runner of the PostgreSQL server at `databaseUrl`. */
export function pgSyncRunner(databaseUrl: string): SyncSqlRunner {
  const worker = new SyncWorker(new URL("./sync-pg-worker.ts", import.meta.url), { databaseUrl }, SYNC_READ_TIMEOUT_MS);
  // The worker and its connection start now, while the indexer starts, rather than at the first read: started there,
  // they blocked the handlers' thread for 230 ms at that read, and stepped the process's RSS up by 20 MiB in the middle
  // of indexing (at 560 000 events of bench:indexer's chain, where the entity cache first missed). A failure here is
  // answered and ignored; the first read connects again.
  void worker.request({ sql: "select 1", params: [] });
  return {
    query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): R[] {
      if (worker.isClosed) throw new StoreError("The store's synchronous reader is closed");
      return workerAnswer<R[]>(worker.call({ sql, params }), "PostgreSQL", SYNC_READ_TIMEOUT_MS);
    },
    async hold<T>(work: () => T): Promise<T> {
      return work();
    },
    close: () => worker.close(),
  };
}
