/**
 * Test fixture for the chain follower: a Hardhat (EDR) chain served over real HTTP on 127.0.0.1 (in this process with
 * network.createServer, or in a child process for tests that block this thread), the project's contracts deployed
 * over that HTTP endpoint, helpers that produce many real events quickly, and a tiny JSON-RPC proxy that imitates
 * provider limits. Fixtures talk to the node with plain fetch and ethers, never with the code under test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { JsonRpcProvider, ZeroHash, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";
import { DatasetRegistry__factory, TestToken__factory } from "../../../types/index.ts";

export interface Chain {
  url: string;
  /** ethers over the same HTTP endpoint, without response caching. */
  provider: JsonRpcProvider;
  accounts: string[];
  /** A raw JSON-RPC call over HTTP. */
  send<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Several raw calls in one HTTP request. */
  sendBatch<T = unknown>(calls: { method: string; params: unknown[] }[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Event signatures the tests filter on. */
export const topics = {
  transfer: keccak256(toUtf8Bytes("Transfer(address,address,uint256)")),
  datasetRegistered: keccak256(toUtf8Bytes("DatasetRegistered(uint64,address)")),
  versionPublished: DatasetRegistry__factory.createInterface().getEvent("DatasetVersionPublished").topicHash,
};

/** Starts an in-process Hardhat chain and serves it over HTTP on 127.0.0.1. */
export async function serveChain(): Promise<Chain> {
  const server = await network.createServer("hardhat", "127.0.0.1");
  const { port } = await server.listen();
  return connect(`http://127.0.0.1:${port}`, () => server.close());
}

/**
 * Starts a Hardhat chain served over HTTP by a child process (for code that blocks this thread while it waits for
 * the node, like SyncRpcChain).
 */
export async function serveChainInChildProcess(): Promise<Chain> {
  const script = fileURLToPath(new URL("./serve-chain.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`chain process exited with ${code} before listening`)));
  });
  return connect(url, async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
}

async function connect(url: string, stop: () => Promise<void>): Promise<Chain> {
  let id = 1;
  const post = async (body: unknown) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return response.json() as Promise<unknown>;
  };
  const unwrap = (response: { result?: unknown; error?: { message: string } }, method: string) => {
    if (response.error) throw new Error(`${method}: ${response.error.message}`);
    return response.result;
  };
  const send = async <T>(method: string, params: unknown[] = []) =>
    unwrap((await post({ jsonrpc: "2.0", id: id++, method, params })) as { result?: unknown }, method) as T;
  const sendBatch = async <T>(calls: { method: string; params: unknown[] }[]) => {
    const first = id;
    const responses = (await post(calls.map((call) => ({ jsonrpc: "2.0", id: id++, ...call })))) as { id: number; result?: unknown }[];
    responses.sort((a, b) => a.id - b.id);
    return responses.map((response, i) => unwrap(response, calls[i].method)) as T[];
  };
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1, polling: false });
  const accounts = await send<string[]>("eth_accounts");
  return {
    url,
    provider,
    accounts,
    send,
    sendBatch,
    async close() {
      provider.destroy();
      await stop();
    },
  };
}

export interface Contracts {
  registry: string;
  /** A second DatasetRegistry: same events, another address. */
  registry2: string;
  token: string;
}

/** Deploys two DatasetRegistry and one TestToken over HTTP. */
export async function deployContracts(chain: Chain): Promise<Contracts> {
  const signer = await chain.provider.getSigner(chain.accounts[0]);
  const registry = await new DatasetRegistry__factory(signer).deploy();
  const registry2 = await new DatasetRegistry__factory(signer).deploy();
  const token = await new TestToken__factory(signer).deploy();
  await Promise.all([registry.waitForDeployment(), registry2.waitForDeployment(), token.waitForDeployment()]);
  return {
    registry: (await registry.getAddress()).toLowerCase(),
    registry2: (await registry2.getAddress()).toLowerCase(),
    token: (await token.getAddress()).toLowerCase(),
  };
}

let fingerprint = 0;
const registryInterface = DatasetRegistry__factory.createInterface();
const tokenInterface = TestToken__factory.createInterface();

/** Calldata of registerDataset with a fresh fingerprint (emits Transfer, DatasetRegistered, DatasetVersionPublished). */
export function registerCall(registry: string): { to: string; data: string } {
  fingerprint += 1;
  const hash = (label: string) => keccak256(toUtf8Bytes(`${label}:${fingerprint}:${process.pid}`));
  return {
    to: registry,
    data: registryInterface.encodeFunctionData("registerDataset", [
      { fingerprint: hash("fp"), manifestRoot: hash("manifest"), metadataHash: hash("meta"), uri: "ipfs://bafy", originRegions: 0n, handlingPolicyHash: ZeroHash, handlingPolicyURI: "" },
      [],
      [],
      ZeroHash,
    ]),
  };
}

/** Calldata of TestToken.mint (emits one Transfer). */
export function mintCall(token: string, to: string, amount = 1n): { to: string; data: string } {
  return { to: token, data: tokenInterface.encodeFunctionData("mint", [to, amount]) };
}

/**
 * Mines `txs` in blocks of `perBlock` transactions (automine off, one HTTP batch of eth_sendTransaction per block),
 * optionally followed by `emptyBlocksBetween` empty blocks after each. Returns the block numbers mined with txs.
 */
export async function mineTransactions(
  chain: Chain,
  txs: { to: string; data: string; from?: string }[],
  options: { perBlock?: number; emptyBlocksBetween?: number } = {},
): Promise<number[]> {
  const perBlock = options.perBlock ?? 5;
  const blocks: number[] = [];
  await chain.send("evm_setAutomine", [false]);
  try {
    for (let i = 0; i < txs.length; i += perBlock) {
      const group = txs.slice(i, i + perBlock);
      await chain.sendBatch(
        group.map((tx, j) => ({
          method: "eth_sendTransaction",
          params: [{ from: tx.from ?? chain.accounts[(i + j) % 8], to: tx.to, data: tx.data, gas: "0x7a120" }],
        })),
      );
      await chain.send("evm_mine");
      blocks.push(Number(BigInt(await chain.send<string>("eth_blockNumber"))));
      if (options.emptyBlocksBetween) await chain.send("hardhat_mine", [`0x${options.emptyBlocksBetween.toString(16)}`]);
    }
  } finally {
    await chain.send("evm_setAutomine", [true]);
  }
  return blocks;
}

/** Sends one transaction with automine on and returns its block number. */
export async function mineOne(chain: Chain, tx: { to: string; data: string; from?: string }): Promise<number> {
  const hash = await chain.send<string>("eth_sendTransaction", [{ from: tx.from ?? chain.accounts[0], to: tx.to, data: tx.data, gas: "0x7a120" }]);
  const receipt = await chain.send<{ blockNumber: string; status: string }>("eth_getTransactionReceipt", [hash]);
  if (receipt.status !== "0x1") throw new Error(`transaction ${hash} failed`);
  return Number(BigInt(receipt.blockNumber));
}

/** Mines `count` empty blocks. */
export async function mineEmpty(chain: Chain, count: number): Promise<void> {
  await chain.send("hardhat_mine", [`0x${count.toString(16)}`]);
}

/** An HTTP server of the test's own on 127.0.0.1. */
export interface LocalServer {
  url: string;
  port: number;
  /** Closes the server and its open connections. */
  close(): Promise<void>;
}

/** Serves `handle` on a free port of 127.0.0.1 (a node that misbehaves in a way a test needs). */
export async function startServer(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<LocalServer> {
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port on 127.0.0.1 nobody listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Proxy {
  url: string;
  /** HTTP requests received. */
  requests: number;
  /** eth_getLogs calls answered with the too-many-results error. */
  rejected: number;
  /** Block spans of the eth_getLogs calls forwarded. */
  served: number[];
  /** Drop the next N connections without answering. */
  dropNext: number;
  /** Refuse eth_getLogs spanning more blocks than this (mutable). */
  maxLogRange: number;
  /** Hold every request open without answering while true. */
  hang: boolean;
  /** Answer the next requests with these HTTP statuses (and a JSON-RPC error body), one each. */
  statusNext: number[];
  close(): Promise<void>;
}

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of `target` that answers eth_getLogs spanning more than `maxLogRange`
 * blocks with Infura's -32005 "query returned more than 10000 results" (inside batches too) and forwards the rest.
 */
export async function startProxy(target: string, options: { maxLogRange?: number } = {}): Promise<Proxy> {
  const proxy: Proxy = {
    url: "",
    requests: 0,
    rejected: 0,
    served: [],
    dropNext: 0,
    maxLogRange: options.maxLogRange ?? Number.MAX_SAFE_INTEGER,
    hang: false,
    statusNext: [],
    close: async () => {},
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    proxy.requests++;
    if (proxy.dropNext > 0) {
      proxy.dropNext--;
      request.socket.destroy();
      return;
    }
    if (proxy.hang) return;
    const status = proxy.statusNext.shift();
    if (status !== undefined) {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32005, message: "request rate exceeded" } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as unknown;
    const calls = (Array.isArray(body) ? body : [body]) as { id: number; method: string; params: { fromBlock?: string; toBlock?: string }[] }[];
    const refused = new Map<number, unknown>();
    const forward = [];
    for (const call of calls) {
      const filter = call.params?.[0];
      if (call.method === "eth_getLogs" && filter?.fromBlock && filter.toBlock) {
        const span = Number(BigInt(filter.toBlock) - BigInt(filter.fromBlock)) + 1;
        if (span > proxy.maxLogRange) {
          proxy.rejected++;
          refused.set(call.id, { jsonrpc: "2.0", id: call.id, error: { code: -32005, message: "query returned more than 10000 results" } });
          continue;
        }
        proxy.served.push(span);
      }
      forward.push(call);
    }
    let answered: { id: number }[] = [];
    if (forward.length > 0) {
      const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(forward) });
      answered = (await upstream.json()) as { id: number }[];
    }
    const byId = new Map(answered.map((answer) => [answer.id, answer]));
    const answers = calls.map((call) => refused.get(call.id) ?? byId.get(call.id));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
  };
  const server = await startServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  proxy.url = server.url;
  proxy.close = server.close;
  return proxy;
}
