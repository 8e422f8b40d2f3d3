/**
 * The worker side of the PGlite thread executor (./pglite-thread.ts): opens PGlite in this thread and runs the
 * statements and transactions the indexer's thread sends. Loaded by SyncWorker's bootstrap; importing it has no effect.
 */
import { serveSyncRequests, type SyncWorkerData } from "../sync-worker.ts";
import type { SqlExecutor, SqlParam, SqlRunner } from "./executor.ts";
import { openPGliteExecutor } from "./executor-pglite.ts";

/** What the indexer's thread asks for; `tx` names a transaction opened by `begin`. */
export type PGliteRequest =
  | { op: "query"; sql: string; params: SqlParam[]; tx?: number }
  | { op: "exec"; sql: string; tx?: number }
  | { op: "begin" }
  | { op: "end"; tx: number; commit: boolean }
  | { op: "close" };

/** An open transaction: its runner, how to end it, and its outcome. */
interface OpenTransaction {
  runner: SqlRunner;
  end(commit: boolean): void;
  outcome: Promise<unknown>;
}

/** Thrown inside a transaction to roll it back on request; not an error. */
const ROLLBACK = Symbol("rollback");

/** Serves requests until the port closes. */
export function start(data: SyncWorkerData & { dataDir?: string }): void {
  const opened: Promise<SqlExecutor> = openPGliteExecutor(data.dataDir);
  opened.catch(() => {}); // reported as the answer to every request
  const transactions = new Map<number, OpenTransaction>();
  let nextTransaction = 1;

  const runnerOf = (db: SqlExecutor, tx: number | undefined): SqlRunner => {
    if (tx === undefined) return db;
    const open = transactions.get(tx);
    if (!open) throw new Error(`PGlite worker: no open transaction ${tx}`);
    return open.runner;
  };

  /** Opens a transaction that stays open until `end`; resolves with its number once it has begun. */
  const begin = (db: SqlExecutor): Promise<number> =>
    new Promise((begun, failed) => {
      const tx = nextTransaction++;
      let end!: (commit: boolean) => void;
      const ended = new Promise<boolean>((resolve) => (end = resolve));
      const outcome = db.transaction(async (runner) => {
        transactions.set(tx, { runner, end, outcome });
        begun(tx);
        if (!(await ended)) throw ROLLBACK;
      });
      outcome.catch(failed); // a transaction that could not begin
    });

  serveSyncRequests<PGliteRequest & { id: number }>(data, async (request) => {
    const db = await opened;
    switch (request.op) {
      case "query":
        return runnerOf(db, request.tx).query(request.sql, request.params);
      case "exec":
        return runnerOf(db, request.tx).exec(request.sql);
      case "begin":
        return begin(db);
      case "end": {
        const open = transactions.get(request.tx);
        if (!open) throw new Error(`PGlite worker: no open transaction ${request.tx}`);
        transactions.delete(request.tx);
        open.end(request.commit);
        await open.outcome.catch((error: unknown) => {
          if (error !== ROLLBACK) throw error;
        });
        return null;
      }
      case "close":
        return db.close();
    }
  });
}
