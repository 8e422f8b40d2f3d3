/**
 * `pedigree node` against a handler that never returns: the real command as a child process, indexing a real chain
 * with a real compiled subgraph (test/indexer/runtime/fixtures/runaway: registering dataset 2 makes its handler loop
 * forever) into a PGlite directory. The handler is stopped at its deadline with one log line; SIGTERM and SIGINT stop
 * the process promptly even while the handler runs; the store is usable after those stops. Plus the exit code 2 for
 * a subgraph or timeout that cannot be used, with nothing done.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id } from "ethers";
import { createPedigreeClient, registerDataset } from "../../src/sdk/index.ts";
import { ensureFixtureBuilt } from "../indexer/runtime/fixture-build.ts";
import { cleanEnv, failureShape, runPedigree, startCliChain, type CliChain } from "./cli-chain.ts";

const ROOT = resolve(import.meta.dirname, "../..");

let t: CliChain;
let manifest: string;
let runawayBlock: number;
let runawayTx: string;

beforeAll(async () => {
  manifest = ensureFixtureBuilt("runaway");
  t = await startCliChain();
  const alice = createPedigreeClient({ runner: t.chain.signers[1]!, addresses: t.deployment.addresses });
  await registerDataset(alice, { version: { fingerprint: id("an ordinary dataset"), uri: "ipfs://one" } });
  const runaway = await registerDataset(alice, { version: { fingerprint: id("the dataset whose handler loops"), uri: "ipfs://two" } });
  expect(runaway.datasetId).toBe(2n);
  runawayBlock = runaway.blockNumber;
  runawayTx = runaway.hash;
}, 300_000);

/** Every `pedigree node` started, killed at the end if a failed test left it running. */
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await t?.close();
});

interface Node {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `pedigree node` on the runaway subgraph and the test's store; resolves once its GraphQL API is up. */
async function startNode(handlerTimeout: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    ["bin/pedigree.mjs", "node", "--subgraph", manifest, "--network", "localhost", "--networks-file", t.networksFile, "--rpc", t.chain.url,
      "--db", join(t.dir, "db"), "--port", "0", "--no-progress"],
    { cwd: ROOT, env: { ...cleanEnv(), GRAPH_MAPPING_HANDLER_TIMEOUT: handlerTimeout }, stdio: ["ignore", "pipe", "pipe"] },
  );
  started.push(child);
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /GraphQL API: (\S+)/.exec(out);
      if (match) done(match[1]!);
    });
    void exited.then((code) => fail(new Error(`pedigree node exited with ${code}: ${err}`)));
  });
  return { child, url, stderr: () => err, exited };
}

async function query(url: string, body: string, timeoutMs = 10_000) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: body }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Waits until the GraphQL API stops answering: the indexer's thread is inside the looping handler. */
async function untilStuckInHandler(node: Node): Promise<void> {
  await until(
    async () => {
      try {
        await query(node.url, "{ _meta { block { number } } }", 2_000);
        return false;
      } catch {
        return true;
      }
    },
    120_000,
    "the handler to start looping",
  );
}

/** Sends `signal`; resolves with the exit code and how long the process took to exit (fails after 20 s). */
async function stop(node: Node, signal: NodeJS.Signals): Promise<{ code: number | null; seconds: number }> {
  const sent = performance.now();
  node.child.kill(signal);
  const stuck = new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`pedigree node did not exit within 20 s of ${signal}`)), 20_000).unref());
  const code = await Promise.race([node.exited, stuck]);
  return { code, seconds: (performance.now() - sent) / 1000 };
}

describe("pedigree node with a handler that never returns", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`exits promptly on ${signal} while the handler runs`, async () => {
      const node = await startNode("600");
      await untilStuckInHandler(node);
      const { code, seconds } = await stop(node, signal);
      expect(code, node.stderr()).toBe(0);
      expect(seconds).toBeLessThan(10); // generous: the grace period is 5 s; before, only kill -9 stopped it
      expect(node.stderr()).toContain(`${signal}: stopping the indexer`);
      expect(node.stderr()).toContain("the indexer did not stop in time (a handler still running?): interrupted it");
    }, 180_000);
  }

  it("stops the handler at its deadline with one log line, keeps serving what it indexed, and is usable after the stops above", async () => {
    const node = await startNode("1");
    await until(() => /hit the timeout/.test(node.stderr()), 120_000, "the handler timeout");
    const line = node.stderr().split("\n").find((l) => l.includes("hit the timeout"))!;
    expect(line).toBe(
      `handler handleDatasetRegistered (DatasetRegistry) failed at block #${runawayBlock}, transaction ${runawayTx}: ` +
        "Handler 'handleDatasetRegistered' hit the timeout of '1' seconds (GRAPH_MAPPING_HANDLER_TIMEOUT sets it) " +
        "(not deterministic: a restart retries the block)",
    );
    const seen = await query(node.url, "{ seens(subgraphError: allow) { id work } }");
    expect(seen.data.seens).toEqual([{ id: "1", work: "0" }]);
    const meta = await query(node.url, "{ _meta { hasIndexingErrors block { number } } }");
    expect(meta.data._meta).toEqual({ hasIndexingErrors: true, block: { number: runawayBlock } });
    const { code, seconds } = await stop(node, "SIGTERM");
    expect(code, node.stderr()).toBe(0);
    expect(seconds).toBeLessThan(10);
    expect(node.stderr()).not.toContain("interrupted it"); // nothing was running: a clean stop
  }, 180_000);
});

describe("pedigree node: input it cannot use is refused with exit code 2 and nothing done", () => {
  const db = () => join(t.dir, "untouched-db");

  it.each([
    ["a missing build", ["--subgraph", "/nonexistent/build"], {}, /^pedigree: no built subgraph at \/nonexistent\/build: run `npm run build` first\n$/],
    [
      "a subgraph that is not built",
      ["--subgraph", "test/indexer/runtime/fixtures/runaway/subgraph.yaml"],
      {},
      /^pedigree: .*src\/mapping\.ts: cannot compile: not a WebAssembly module \(is this the output of `graph build`\?\)\n$/,
    ],
    [
      "a handler timeout that is not a number",
      ["--subgraph", "build"],
      { GRAPH_MAPPING_HANDLER_TIMEOUT: "ten" },
      /^pedigree: --handler-timeout \(or GRAPH_MAPPING_HANDLER_TIMEOUT\) must be a number of seconds ≥ 0 \(0: no limit\), not "ten"\n$/,
    ],
    [
      "a gas limit that is not a whole number",
      ["--subgraph", "build"],
      { GRAPH_MAX_GAS_PER_HANDLER: "1e3" },
      /^pedigree: --max-gas \(or GRAPH_MAX_GAS_PER_HANDLER\) must be a whole number of gas ≥ 1 \(default 10\^15\), not "1e3"\n$/,
    ],
  ])("%s", async (_, args, env, stderr) => {
    const result = await runPedigree(["node", ...args, "--rpc", t.chain.url, "--db", db(), "--port", "0"], { ...cleanEnv(), ...env });
    expect(failureShape(result)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(result.stderr).toMatch(stderr);
    expect(existsSync(db())).toBe(false);
  });
});
