/**
 * Crash safety of the whole indexer process: `pedigree node` persisting to a PGlite directory is killed with SIGKILL
 * while catching up, restarted on the same directory, and must end with exactly what a clean index holds — nothing
 * lost, nothing duplicated.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally, type LocalDeployment } from "../../src/dev/deploy.ts";
import { playWorkload, type WorkloadResult } from "../../src/dev/workload.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { startIndexer } from "../../src/indexer/indexer.ts";
import { dumpAll, indexedHead } from "./helpers.ts";

let chain: LocalChain;
let deployment: LocalDeployment;
let workload: WorkloadResult;
let dir: string;
let slowRpc: { url: string; server: Server };

/** A JSON-RPC relay on 127.0.0.1 that answers 25 ms late, so that catching up takes long enough to be interrupted. */
async function startSlowRelay(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

beforeAll(async () => {
  chain = await startLocalChain();
  const [admin, evaluator, mlTeam, ...creators] = chain.signers;
  deployment = await deployLocally(chain, { admin: admin.address, evaluators: [evaluator.address] });
  workload = await playWorkload(chain, deployment, { creators: creators.slice(0, 4), mlTeam, evaluator }, { rounds: 150, attestationsPerRound: 4 });
  slowRpc = await startSlowRelay(chain.url);
  dir = await mkdtemp(join(tmpdir(), "pedigree-resume-"));
  await writeFile(
    join(dir, "networks.json"),
    JSON.stringify({ localhost: deployment.locations }),
  );
}, 180_000);

afterAll(async () => {
  slowRpc?.server.closeAllConnections();
  slowRpc?.server.close();
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts `pedigree node` on the persisted store; resolves with the process and its GraphQL URL. */
async function startNode(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    ["bin/pedigree.mjs", "node", "--rpc", slowRpc.url, "--max-range", "20", "--db", join(dir, "db"), "--port", "0", "--network", "localhost", "--networks-file", join(dir, "networks.json"), "--no-progress"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /GraphQL API: (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`pedigree node exited with ${code}: ${err}`)));
  });
  return { child, url, stderr: () => err };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("kill -9 and resume", () => {
  it("resumes where it stopped with nothing lost or duplicated", async () => {
    expect(workload.lastBlock - workload.firstBlock).toBeGreaterThan(500);
    const first = await startNode();
    let killedAt = 0;
    await until(
      async () => {
        const head = await indexedHead(first.url);
        if (head !== null && head > workload.firstBlock + 20) killedAt = head;
        return killedAt > 0;
      },
      120_000,
      "the first blocks to be indexed",
    );
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    expect(killedAt).toBeLessThan(workload.lastBlock); // killed while catching up, not after

    const second = await startNode();
    try {
      await until(async () => ((await indexedHead(second.url)) ?? 0) >= workload.lastBlock, 120_000, "the resumed node to catch up");
      const resumedFrom = Number(/resuming after block #(\d+)/.exec(second.stderr())?.[1]);
      expect(resumedFrom).toBeGreaterThanOrEqual(killedAt);
      expect(resumedFrom).toBeLessThan(workload.lastBlock);

      const clean = await startIndexer({ subgraph: "build", rpcUrl: chain.url, ...indexerOverrides(deployment.locations), port: 0, log: () => {} });
      try {
        await clean.waitForBlock(workload.lastBlock);
        const [resumed, fromScratch] = await Promise.all([dumpAll(second.url, workload.lastBlock), dumpAll(clean.url, workload.lastBlock)]);
        expect(resumed.Dataset).toHaveLength(150);
        expect(resumed.Attestation).toHaveLength(600);
        expect(resumed.ProvenanceEvent.length).toBeGreaterThan(1000);
        expect(resumed).toEqual(fromScratch);
      } finally {
        await clean.stop();
      }
    } finally {
      second.child.kill("SIGTERM");
      await new Promise((resolve) => second.child.once("exit", resolve));
    }
  });
});
