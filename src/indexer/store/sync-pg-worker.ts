/**
 * The worker side of pgSyncRunner (./sync-pg.ts): one PostgreSQL connection, opened on the first statement, running
 * the statements the waiting thread sends. Loaded by SyncWorker's bootstrap; importing it has no effect.
 */
import pg from "pg";
import { serveSyncRequests, type SyncWorkerData } from "../sync-worker.ts";

/** Serves statements until the port closes. */
export function start(data: SyncWorkerData & { databaseUrl: string }): void {
  let connected: Promise<pg.Client> | null = null;
  /** Prepared statement names by SQL text (pg prepares a name once per connection). */
  const names = new Map<string, string>();
  const connect = () => {
    const client = new pg.Client({ connectionString: data.databaseUrl, application_name: "pedigree-indexer-reads" });
    client.on("error", () => (connected = null)); // a dead connection: the next statement reconnects
    return client.connect().then(() => client);
  };
  serveSyncRequests<{ id: number; sql: string; params: string[] }>(data, async ({ sql, params }) => {
    connected ??= connect();
    const client = await connected.catch((error: unknown) => {
      connected = null;
      throw error;
    });
    let name = names.get(sql);
    if (name === undefined) names.set(sql, (name = `pedigree_${names.size}`));
    return (await client.query({ name, text: sql, values: params })).rows;
  });
}
