/**
 * The SDK's JSON-RPC transport against peers that never answer: every call gives up after `timeoutMs` with a one-line
 * NodeUnreachableError, and CLOSES its connection (ethers' own Node transport leaves it open, which kept processes
 * alive for ever); a transaction never shown mined ends after the client's wait limit. Also: credentials in the RPC
 * URL still become basic authentication.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Wallet } from "ethers";
import {
  NodeUnreachableError,
  TransactionOutcomeUnknownError,
  createPedigreeClient,
  createRpcProvider,
  decodeError,
  registerModel,
} from "../../src/sdk/index.ts";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally } from "../../src/dev/deploy.ts";
import { startNeverMiningProxy, startRewritingProxy, startSilentServer, type TestServer } from "../helpers/hostile-servers.ts";
import { rejectionOf } from "../helpers/assertions.ts";

const ONE = "0x0000000000000000000000000000000000000001";
/** Hardhat's dev account #9 (funded on the local chain). */
const TEST_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";
let chain: LocalChain;
let silent: TestServer;

beforeAll(async () => {
  chain = await startLocalChain();
  silent = await startSilentServer();
});

afterAll(async () => {
  await silent?.close();
  await chain?.close();
});

/** Waits (up to 2 s) until no connection that carried a request is open; returns how many remain. */
async function connectionsLeft(server: TestServer): Promise<number> {
  for (let i = 0; i < 20 && server.busyConnections() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return server.busyConnections();
}


describe("a node that never answers", () => {
  it("createRpcProvider gives up after timeoutMs, names the limit, and closes the connection", async () => {
    const error = await rejectionOf(createRpcProvider(silent.url, { timeoutMs: 300 }));
    expect(error).toBeInstanceOf(NodeUnreachableError);
    expect(error.message).toBe(
      `Cannot reach the Ethereum node at ${silent.url} (no answer within 300 ms). Check the RPC URL and that the node is running and reachable.`,
    );
    expect(await connectionsLeft(silent)).toBe(0);
  });

  it("a provider whose node goes silent after the first answer: each later call gives up and closes its connection", async () => {
    let answered = 0;
    const proxy = await startRewritingProxy(chain.url, (_request, answer) => (answered++ === 0 ? answer : undefined));
    try {
      const provider = await createRpcProvider(proxy.url, { chainId: 31337, timeoutMs: 300 });
      const error = decodeError(await rejectionOf(provider.getBlockNumber()), { rpcUrl: proxy.url });
      expect(error).toBeInstanceOf(NodeUnreachableError);
      expect(error.message).toContain(`${proxy.url} (no answer within 300 ms)`);
      provider.destroy();
      expect(await connectionsLeft(proxy)).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it("refuses a timeout that is not a positive number of milliseconds", async () => {
    await expect(createRpcProvider(chain.url, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs 0 must be a positive number of milliseconds/);
    const addresses = { datasets: ONE, royalties: ONE, attestations: ONE, models: ONE, releases: ONE, systems: ONE, agents: ONE };
    expect(() => createPedigreeClient({ runner: chain.connection.ethers.provider, addresses, waitTimeoutMs: -5 })).toThrow(
      /waitTimeoutMs -5 must be a positive number of milliseconds/,
    );
  });
});

describe("a node that takes a transaction and never shows it mined", () => {
  it("the action gives up after the client's waitTimeoutMs with a TransactionOutcomeUnknownError naming it", async () => {
    const [admin] = chain.signers;
    const { addresses } = await deployLocally(chain, { admin: admin!.address });
    const neverMined = await startNeverMiningProxy(chain.url);
    try {
      const provider = await createRpcProvider(neverMined.url, { chainId: 31337, timeoutMs: 5000 });
      const wallet = new Wallet(TEST_KEY, provider);
      const client = createPedigreeClient({ runner: wallet, addresses, waitTimeoutMs: 500 });
      const error = await rejectionOf(registerModel(client, { commercial: false, uri: "ipfs://card" }));
      provider.destroy();
      expect(error).toBeInstanceOf(TransactionOutcomeUnknownError);
      const { hash } = error as TransactionOutcomeUnknownError;
      expect(error.message).toBe(
        `Transaction ${hash} of ModelRegistry.registerModel was sent, but it was not mined within 500 ms: it may still be mined. Check its receipt (a block explorer, or eth_getTransactionReceipt) before sending it again.`,
      );
      // It was sent indeed: the real chain has it.
      expect(await chain.connection.ethers.provider.getTransactionReceipt(hash)).not.toBeNull();
    } finally {
      await neverMined.close();
    }
  });
});

describe("credentials in the RPC URL", () => {
  it("are sent as basic authentication, not refused", async () => {
    const seen: (string | undefined)[] = [];
    const node = createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume().on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x7a69" }));
      });
    });
    await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = node.address() as AddressInfo;
      const provider = await createRpcProvider(`http://reader:s%3Acret@127.0.0.1:${port}/`, { chainId: 31337 });
      provider.destroy();
      expect(seen).toEqual([`Basic ${Buffer.from("reader:s:cret").toString("base64")}`]);
    } finally {
      node.closeAllConnections();
      await new Promise<void>((resolve) => node.close(() => resolve()));
    }
  });
});
