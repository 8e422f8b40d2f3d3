/**
 * SyncRpcChain: synchronous ethereum.call / getBalance / hasCode against a real Hardhat chain. The chain runs in a
 * child process because the calling thread is blocked while it waits (an in-process server could not answer).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetRegistry__factory } from "../../../types/index.ts";
import { SyncRpcChain } from "../../../src/indexer/chain/sync-rpc.ts";
import { SyncRpcError } from "../../../src/indexer/chain/errors.ts";
import { JsonRpcClient } from "../../../src/indexer/chain/rpc.ts";
import { closedPort, deployContracts, mineOne, registerCall, serveChainInChildProcess, startServer, type Chain, type Contracts } from "./fixture.ts";

const registry = DatasetRegistry__factory.createInterface();

let chain: Chain;
let contracts: Contracts;
let host: SyncRpcChain;
let deployedAt: number;
let registeredAt: number;

beforeAll(async () => {
  chain = await serveChainInChildProcess();
  const before = await chain.provider.getBlockNumber();
  contracts = await deployContracts(chain);
  deployedAt = before + 1;
  registeredAt = await mineOne(chain, { ...registerCall(contracts.registry), from: chain.accounts[2] });
  host = new SyncRpcChain(chain.url, { timeoutMs: 10_000 });
});

afterAll(async () => {
  await host?.close();
  await chain?.close();
});

describe("SyncRpcChain", () => {
  it("calls a view function at a given block, and returns null where the call reverts", () => {
    const data = registry.encodeFunctionData("ownerOf", [1n]);
    const result = host.call({ to: contracts.registry, data, blockNumber: BigInt(registeredAt) });
    expect(result).not.toBeNull();
    expect(String(registry.decodeFunctionResult("ownerOf", result!)[0]).toLowerCase()).toBe(chain.accounts[2].toLowerCase());

    const version = host.call({ to: contracts.registry, data: registry.encodeFunctionData("datasetOfVersion", [1n]), blockNumber: BigInt(registeredAt) });
    expect(registry.decodeFunctionResult("datasetOfVersion", version!)[0]).toBe(1n);

    // The dataset does not exist one block earlier: ERC721 ownerOf and datasetOfVersion revert.
    expect(host.call({ to: contracts.registry, data, blockNumber: BigInt(registeredAt - 1) })).toBeNull();
    expect(host.call({ to: contracts.registry, data: "0xdeadbeef", blockNumber: BigInt(registeredAt) })).toBeNull();
  });

  it("reads balances at a block like the node does", async () => {
    const payer = chain.accounts[2];
    const now = host.getBalance(payer, BigInt(registeredAt));
    const before = host.getBalance(payer, BigInt(registeredAt - 1));
    expect(now).toBe(await chain.provider.getBalance(payer, registeredAt));
    expect(before).toBe(await chain.provider.getBalance(payer, registeredAt - 1));
    expect(before - now).toBeGreaterThan(0n); // the registration's gas
    expect(host.getBalance(contracts.registry, BigInt(registeredAt))).toBe(0n);
  });

  it("tells contracts from accounts, at a given block", () => {
    expect(host.hasCode(contracts.registry, BigInt(registeredAt))).toBe(true);
    expect(host.hasCode(contracts.registry, BigInt(deployedAt - 1))).toBe(false);
    expect(host.hasCode(chain.accounts[0], BigInt(registeredAt))).toBe(false);
  });

  it("answers many calls quickly enough for handlers", async () => {
    const data = registry.encodeFunctionData("datasetOfVersion", [1n]);
    let started = performance.now();
    for (let i = 0; i < 200; i++) host.call({ to: contracts.registry, data, blockNumber: BigInt(registeredAt) });
    const perCall = (performance.now() - started) / 200;
    // Baseline: the same calls made asynchronously from this thread.
    const direct = new JsonRpcClient(chain.url);
    started = performance.now();
    for (let i = 0; i < 200; i++) await direct.call({ to: contracts.registry, data }, registeredAt);
    const perAsyncCall = (performance.now() - started) / 200;
    console.log(
      `SyncRpcChain: ${perCall.toFixed(2)} ms per eth_call over HTTP (200 sequential calls); ` +
        `async JsonRpcClient from this thread: ${perAsyncCall.toFixed(2)} ms (${(perCall / perAsyncCall).toFixed(2)}x)`,
    );
    expect(perCall).toBeLessThan(50);
  });

  it("throws a one-line error when the node is down", async () => {
    const port = await closedPort();
    const down = new SyncRpcChain(`http://127.0.0.1:${port}`, { rpc: { retries: 1, retryDelayMs: 10 } });
    try {
      expect(() => down.getBalance(chain.accounts[0], 1n)).toThrow(SyncRpcError);
      expect(() => down.hasCode(chain.accounts[0], 1n)).toThrow(`cannot reach JSON-RPC at http://127.0.0.1:${port}: connection refused`);
    } finally {
      await down.close();
    }
  });

  it("times out with a clear error instead of hanging", async () => {
    // A server on this very thread cannot answer while the thread waits: the call must time out, not hang.
    const sameThread = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" }));
    });
    const blocked = new SyncRpcChain(sameThread.url, { timeoutMs: 300 });
    try {
      const started = performance.now();
      expect(() => blocked.getBalance(chain.accounts[0], 1n)).toThrow(/got no answer from http:\/\/127\.0\.0\.1:\d+ within 300 ms/);
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await blocked.close();
      await sameThread.close();
    }
  });
});
