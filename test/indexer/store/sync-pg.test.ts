/**
 * The synchronous reader of a PostgreSQL store starts its worker thread and connection when it is opened, so that the
 * first read does not wait for them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgExecutor } from "../../../src/indexer/store/executor-pg.ts";
import type { SqlExecutor } from "../../../src/indexer/store/executor.ts";
import { pgSyncRunner } from "../../../src/indexer/store/sync-pg.ts";
import { DATABASE_URL, PG_SKIP_REASON } from "./helpers.ts";

describe.skipIf(!DATABASE_URL)(`the synchronous reader on PostgreSQL${DATABASE_URL ? "" : ` (${PG_SKIP_REASON})`}`, () => {
  // The connection string's application_name wins over the reader's own, which marks this test's connection.
  const applicationName = `sync-reader-test-${process.pid}`;
  let observer: SqlExecutor;

  beforeAll(async () => {
    observer = await openPgExecutor(DATABASE_URL!, { maxConnections: 1 });
  });
  afterAll(async () => {
    await observer?.close();
  });

  const readerConnections = async (): Promise<number> => {
    const rows = await observer.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name = $1", [applicationName]);
    return rows[0]!.n;
  };

  it("connects when it is opened, before its first read, and disconnects when closed", async () => {
    const url = new URL(DATABASE_URL!);
    url.searchParams.set("application_name", applicationName);
    const reader = pgSyncRunner(url.href);
    try {
      await expect.poll(readerConnections, { timeout: 10_000, interval: 50 }).toBe(1);
      expect(reader.query<{ n: number }>("select 41 + 1 as n")).toEqual([{ n: 42 }]);
      expect(await readerConnections()).toBe(1);
    } finally {
      await reader.close();
    }
    await expect.poll(readerConnections, { timeout: 10_000, interval: 50 }).toBe(0);
  });
});
