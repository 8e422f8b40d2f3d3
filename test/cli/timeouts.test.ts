/**
 * Silent peers: a node or subgraph that accepts connections and never answers, and a node that goes silent once it
 * has accepted a transaction. Every command gives up after the timeout (`--timeout` / PEDIGREE_TIMEOUT), prints one
 * line and EXITS with 1 — nothing it opened keeps the process alive. Child processes of the real `pedigree` command.
 */
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNeverMiningProxy, startRewritingProxy, startSilentServer, type TestServer } from "../helpers/hostile-servers.ts";
import { cleanEnv, failureShape, runPedigree, startCliChain, type CliChain, type CliResult } from "./cli-chain.ts";

/** A generous bound: the timeout is 1 s; a process still running after this hangs. */
const KILL_AFTER_MS = 15_000;

let silent: TestServer;
let t: CliChain;
let addressesFile: string;

beforeAll(async () => {
  silent = await startSilentServer();
  t = await startCliChain();
  addressesFile = join(t.dir, "addresses.json");
  await writeFile(addressesFile, JSON.stringify(t.deployment.addresses));
}, 60_000);

afterAll(async () => {
  await silent?.close();
  await t?.close();
});

/** Runs the CLI with a 1 s network timeout from the environment, killed if it outlives {@link KILL_AFTER_MS}. */
async function pedigree(args: string[], env: Record<string, string> = {}): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  const result = await runPedigree(args, { ...cleanEnv(), PEDIGREE_TIMEOUT: "1", ...env }, undefined, KILL_AFTER_MS);
  return { ...result, ms: Date.now() - started };
}

function expectOneLineExit1(result: CliResult, stderr: RegExp): void {
  expect(failureShape(result), result.stderr).toEqual({ code: 1, lines: 1, stackTrace: false });
  expect(result.stderr.trim()).toMatch(stderr);
  expect(result.stdout).toBe("");
}

describe("a node that accepts connections and never answers", () => {
  const unreachable = (url: string) =>
    new RegExp(
      `^pedigree: Cannot reach the Ethereum node at ${url.replace(/\./g, "\\.")} \\(no answer within 1 s\\): check --rpc \\(or PEDIGREE_RPC_URL\\) and that the node is running, or raise --timeout \\(PEDIGREE_TIMEOUT\\)$`,
    );

  it("a write command exits 1 with one line", async () => {
    const result = await pedigree(["model", "register", "--uri", "ipfs://card", "--rpc", silent.url, "--network", "localhost", "--networks-file", t.networksFile], {
      PEDIGREE_PRIVATE_KEY: t.accounts.mlTeam.privateKey,
    });
    expectOneLineExit1(result, unreachable(silent.url));
  });

  it("a status command exits 1 with one line, with the timeout given as --timeout", async () => {
    const result = await pedigree(["release", "status", "1", "--env", "production", "--rpc", silent.url, "--addresses", addressesFile, "--timeout", "1"], {
      PEDIGREE_TIMEOUT: "300",
    });
    expectOneLineExit1(result, unreachable(silent.url));
  });
});

describe("a subgraph that accepts connections and never answers", () => {
  it("an audit command exits 1 with one line", async () => {
    const result = await pedigree(["audit", "trained", "1", "--subgraph", `${silent.url}/subgraphs/name/pedigree`]);
    expectOneLineExit1(result, /^pedigree: cannot reach the subgraph at http:\/\/127\.0\.0\.1:\d+\/subgraphs\/name\/pedigree \(no answer within 1 s\)/);
  });

  it("the report command exits 1 with one line and writes nothing", async () => {
    const out = join(t.dir, "reports");
    const result = await pedigree(["report", "1", "--subgraph", `${silent.url}/subgraphs/name/pedigree`, "--out", out]);
    expectOneLineExit1(result, /^pedigree: cannot reach the subgraph at http:\/\/127\.0\.0\.1:\d+\/subgraphs\/name\/pedigree \(no answer within 1 s\)/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describe("a node that goes silent once it has accepted a transaction", () => {
  it("exits 1 with one line naming the transaction, which may still be mined", async () => {
    let accepted = false;
    const proxy = await startRewritingProxy(t.chain.url, (request, answer) => {
      if (accepted) return undefined;
      const calls = Array.isArray(request) ? request : [request];
      accepted = calls.some((call) => (call as { method?: string }).method === "eth_sendRawTransaction");
      return answer;
    });
    try {
      const result = await pedigree(["model", "register", "--uri", "ipfs://card", "--rpc", proxy.url, "--network", "localhost", "--networks-file", t.networksFile], {
        PEDIGREE_PRIVATE_KEY: t.accounts.mlTeam.privateKey,
      });
      expect(accepted).toBe(true);
      expectOneLineExit1(result, /^pedigree: Transaction 0x[0-9a-f]{64} of ModelRegistry\.registerModel was sent, but the node at http:\/\/127\.0\.0\.1:\d+ stopped answering \(no answer within 1 s\): it may still be mined\. Check its receipt \(a block explorer, or eth_getTransactionReceipt\) before sending it again\.$/);
    } finally {
      await proxy.close();
    }
  });
});

describe("a node that takes the transaction but never mines it", () => {
  it("gives up after the wait timeout (PEDIGREE_WAIT_TIMEOUT): exit 1, one line naming the transaction", async () => {
    // The node answers everything, but never has a receipt for the transaction.
    const neverMined = await startNeverMiningProxy(t.chain.url);
    try {
      const result = await pedigree(
        ["model", "register", "--uri", "ipfs://card", "--rpc", neverMined.url, "--network", "localhost", "--networks-file", t.networksFile],
        { PEDIGREE_PRIVATE_KEY: t.accounts.mlTeam.privateKey, PEDIGREE_TIMEOUT: "5", PEDIGREE_WAIT_TIMEOUT: "2" },
      );
      expectOneLineExit1(result, /^pedigree: Transaction 0x[0-9a-f]{64} of ModelRegistry\.registerModel was sent, but it was not mined within 2 s: it may still be mined\. Check its receipt/);
    } finally {
      await neverMined.close();
    }
  });

  it("refuses a malformed --wait-timeout before sending anything", async () => {
    const before = await t.chain.connection.ethers.provider.getTransactionCount(t.accounts.mlTeam.address);
    const result = await pedigree(
      ["model", "register", "--uri", "ipfs://card", "--rpc", t.chain.url, "--network", "localhost", "--networks-file", t.networksFile, "--wait-timeout", "soon"],
      { PEDIGREE_PRIVATE_KEY: t.accounts.mlTeam.privateKey },
    );
    expect(failureShape(result)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(result.stderr.trim()).toBe('pedigree: --wait-timeout (or PEDIGREE_WAIT_TIMEOUT) must be a number of seconds above 0 and at most 86400, got "soon"');
    expect(await t.chain.connection.ethers.provider.getTransactionCount(t.accounts.mlTeam.address)).toBe(before);
  });
});
