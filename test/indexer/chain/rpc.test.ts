/**
 * JsonRpcClient against a real Hardhat chain served over HTTP: conversions into the runtime's shapes (checked against
 * the node's raw JSON and against ethers), batching, retries, down and silent nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetRegistry__factory } from "../../../types/index.ts";
import { JsonRpcClient, isCallRevert, isRangeTooLarge, rpcCalls } from "../../../src/indexer/chain/rpc.ts";
import { RpcHttpError, RpcResponseError, RpcUnreachableError } from "../../../src/indexer/chain/errors.ts";
import {
  closedPort,
  deployContracts,
  mineTransactions,
  mintCall,
  registerCall,
  serveChain,
  startProxy,
  startServer,
  topics,
  type Chain,
  type Contracts,
} from "./fixture.ts";

let chain: Chain;
let contracts: Contracts;
let client: JsonRpcClient;
/** A block holding two registrations and a mint. */
let eventBlock: number;

type Raw = Record<string, unknown>;
const big = (value: unknown) => BigInt(value as string);
const lower = (value: unknown) => (value as string).toLowerCase();

beforeAll(async () => {
  chain = await serveChain();
  contracts = await deployContracts(chain);
  [eventBlock] = await mineTransactions(
    chain,
    [registerCall(contracts.registry), mintCall(contracts.token, chain.accounts[3], 5n), registerCall(contracts.registry2)],
    { perBlock: 3 },
  );
  client = new JsonRpcClient(chain.url);
});

afterAll(async () => {
  await chain?.close();
});

describe("JsonRpcClient reads", () => {
  it("converts a block and its transactions into the runtime's shapes, as the node and ethers report them", async () => {
    const raw = await chain.send<Raw & { transactions: Raw[] }>("eth_getBlockByNumber", [`0x${eventBlock.toString(16)}`, true]);
    const block = await client.getBlockByNumber(eventBlock, true);
    expect(block).not.toBeNull();
    expect(block!.header).toEqual({
      number: BigInt(eventBlock),
      hash: lower(raw.hash),
      parentHash: lower(raw.parentHash),
      unclesHash: lower(raw.sha3Uncles),
      author: lower(raw.miner),
      stateRoot: lower(raw.stateRoot),
      transactionsRoot: lower(raw.transactionsRoot),
      receiptsRoot: lower(raw.receiptsRoot),
      gasUsed: big(raw.gasUsed),
      gasLimit: big(raw.gasLimit),
      timestamp: big(raw.timestamp),
      difficulty: big(raw.difficulty),
      totalDifficulty: raw.totalDifficulty ? big(raw.totalDifficulty) : 0n,
      size: big(raw.size),
      baseFeePerGas: big(raw.baseFeePerGas),
    });
    const viaEthers = (await chain.provider.getBlock(eventBlock, true))!;
    expect(block!.header.hash).toBe(viaEthers.hash);
    expect(block!.header.timestamp).toBe(BigInt(viaEthers.timestamp));
    expect(block!.header.gasUsed).toBe(viaEthers.gasUsed);
    expect(block!.header.baseFeePerGas).toBe(viaEthers.baseFeePerGas);
    expect(block!.header.author).toBe(viaEthers.miner.toLowerCase());

    expect(block!.transactions).toHaveLength(3);
    for (const [i, tx] of block!.transactions!.entries()) {
      const expected = await chain.provider.getTransaction(tx.hash);
      expect(tx).toEqual({
        hash: expected!.hash,
        index: BigInt(i),
        from: expected!.from.toLowerCase(),
        to: expected!.to!.toLowerCase(),
        value: expected!.value,
        gasLimit: expected!.gasLimit,
        gasPrice: expected!.gasPrice,
        input: expected!.data,
        nonce: BigInt(expected!.nonce),
      });
    }
    expect(block!.transactionHashes).toEqual(raw.transactions.map((tx) => lower(tx.hash)));

    const byHash = await client.getBlockByHash(block!.header.hash, false);
    expect(byHash!.header).toEqual(block!.header);
    expect(byHash!.transactions).toBeNull();
    expect(byHash!.transactionHashes).toEqual(block!.transactionHashes);
    expect(await client.getBlockByNumber(10_000_000)).toBeNull();
  });

  it("converts logs and receipts as ethers reports them", async () => {
    const logs = await client.getLogs({ fromBlock: eventBlock, toBlock: eventBlock });
    const expected = await chain.provider.getLogs({ fromBlock: eventBlock, toBlock: eventBlock });
    expect(logs).toHaveLength(7); // 3 per registration, 1 mint
    expect(logs).toEqual(
      expected.map((log) => ({
        address: log.address.toLowerCase(),
        topics: [...log.topics],
        data: log.data,
        logIndex: BigInt(log.index),
        transactionIndex: BigInt(log.transactionIndex),
        transactionHash: log.transactionHash,
        blockNumber: BigInt(log.blockNumber),
        blockHash: log.blockHash,
      })),
    );
    const filtered = await client.getLogs({
      fromBlock: 0,
      toBlock: eventBlock,
      address: [contracts.token],
      topics: [[topics.transfer]],
    });
    expect(filtered.map((log) => log.address)).toEqual([contracts.token]);

    const receipt = await client.getTransactionReceipt(logs[0].transactionHash);
    const viaEthers = (await chain.provider.getTransactionReceipt(logs[0].transactionHash))!;
    expect(receipt).toEqual({
      transactionHash: viaEthers.hash,
      transactionIndex: BigInt(viaEthers.index),
      blockHash: viaEthers.blockHash,
      blockNumber: BigInt(viaEthers.blockNumber),
      cumulativeGasUsed: viaEthers.cumulativeGasUsed,
      gasUsed: viaEthers.gasUsed,
      contractAddress: null,
      logs: logs.filter((log) => log.transactionHash === viaEthers.hash),
      status: 1n,
      root: null,
      logsBloom: viaEthers.logsBloom,
    });
    expect(await client.getTransactionReceipt(`0x${"ab".repeat(32)}`)).toBeNull();
  });

  it("answers chainId, blockNumber, balances, code and eth_call like ethers, and flags reverts", async () => {
    expect(await client.chainId()).toBe((await chain.provider.getNetwork()).chainId);
    expect(await client.blockNumber()).toBe(await chain.provider.getBlockNumber());
    const account = chain.accounts[1];
    expect(await client.getBalance(account, eventBlock)).toBe(await chain.provider.getBalance(account, eventBlock));
    expect(await client.getCode(contracts.registry, eventBlock)).toBe(await chain.provider.getCode(contracts.registry, eventBlock));
    expect(await client.getCode(account)).toBe("0x");

    const registry = DatasetRegistry__factory.createInterface();
    const data = registry.encodeFunctionData("datasetOfVersion", [1n]);
    const result = await client.call({ to: contracts.registry, data }, eventBlock);
    expect(registry.decodeFunctionResult("datasetOfVersion", result)[0]).toBe(1n);

    const reverted = await client.call({ to: contracts.registry, data }, eventBlock - 1).catch((error: unknown) => error);
    expect(reverted).toBeInstanceOf(RpcResponseError);
    expect(isCallRevert(reverted)).toBe(true);
    const unsupported = await client.request("eth_noSuchMethod").catch((error: unknown) => error);
    expect(unsupported).toBeInstanceOf(RpcResponseError);
    expect(isCallRevert(unsupported)).toBe(false);
  });
});

describe("JsonRpcClient transport", () => {
  it("sends a batch in one HTTP request, in order, with per-call errors, and splits large batches", async () => {
    const proxy = await startProxy(chain.url);
    try {
      const batching = new JsonRpcClient(proxy.url, { maxBatchSize: 20 });
      const calls = [
        ...Array.from({ length: 10 }, (_, n) => rpcCalls.getBlockByNumber(n % 4)),
        { method: "eth_noSuchMethod", params: [] },
        rpcCalls.blockNumber(),
      ];
      const outcomes = await batching.batch(calls);
      expect(proxy.requests).toBe(1);
      expect(outcomes.slice(0, 10).map((o) => (o.ok ? BigInt((o.result as { number: string }).number) : -1n))).toEqual(
        Array.from({ length: 10 }, (_, n) => BigInt(n % 4)),
      );
      expect(outcomes[10].ok).toBe(false);
      expect(outcomes[11]).toEqual({ ok: true, result: `0x${(await chain.provider.getBlockNumber()).toString(16)}` });

      const many = await batching.batchOrThrow(Array.from({ length: 45 }, () => rpcCalls.chainId()));
      expect(many).toEqual(Array.from({ length: 45 }, () => "0x7a69"));
      expect(proxy.requests).toBe(1 + 3);
    } finally {
      await proxy.close();
    }
  });

  it("retries dropped connections with backoff, then succeeds", async () => {
    const proxy = await startProxy(chain.url);
    try {
      const retrying = new JsonRpcClient(proxy.url, { retries: 3, retryDelayMs: 10 });
      proxy.dropNext = 2;
      expect(await retrying.blockNumber()).toBe(await chain.provider.getBlockNumber());
      expect(retrying.stats.retries).toBe(2);
      expect(proxy.requests).toBe(3);

      proxy.dropNext = 10;
      const error = await retrying.blockNumber().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcUnreachableError);
      expect(proxy.requests).toBe(3 + 4);
    } finally {
      await proxy.close();
    }
  });

  it("retries rate limits and overloaded gateways whatever their body says", async () => {
    const proxy = await startProxy(chain.url);
    try {
      const retrying = new JsonRpcClient(proxy.url, { retries: 3, retryDelayMs: 10 });
      proxy.statusNext = [429, 503];
      expect(await retrying.chainId()).toBe(31337n);
      expect(retrying.stats.retries).toBe(2);
      proxy.statusNext = [429, 429, 429, 429];
      const error = await retrying.chainId().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcHttpError);
      expect((error as RpcHttpError).status).toBe(429);
      expect(isRangeTooLarge(error)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("reports a down node in one line naming the URL", async () => {
    const port = await closedPort();
    const down = new JsonRpcClient(`http://127.0.0.1:${port}`, { retries: 2, retryDelayMs: 10 });
    const started = performance.now();
    const error = (await down.blockNumber().catch((e: unknown) => e)) as RpcUnreachableError;
    expect(error).toBeInstanceOf(RpcUnreachableError);
    expect(error.message).toBe(`cannot reach JSON-RPC at http://127.0.0.1:${port}: connection refused`);
    expect(error.details.attempts).toBe(3);
    expect(down.stats.httpRequests).toBe(3);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("gives up on a node that accepts connections but never answers", async () => {
    const silent = await startServer(() => {});
    try {
      const client = new JsonRpcClient(silent.url, { timeoutMs: 200, retries: 1, retryDelayMs: 10 });
      const error = (await client.chainId().catch((e: unknown) => e)) as Error;
      expect(error.message).toBe(`cannot reach JSON-RPC at ${silent.url}: no answer within 200 ms`);
    } finally {
      await silent.close();
    }
  });

  it("decodes answers in UTF-8 whether or not they hold text beyond ASCII", async () => {
    const message = "execution reverted: licence expirée — 许可证已过期";
    const answering = await startServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string };
        const answer = method === "eth_call" ? { error: { code: 3, message } } : { result: "0x7a69" };
        response.setHeader("content-type", "application/json");
        response.end(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id, ...answer }), "utf8"));
      });
    });
    try {
      const client = new JsonRpcClient(answering.url);
      expect(await client.chainId()).toBe(31337n);
      const error = (await client.call({ to: chain.accounts[0], data: "0x" }).catch((e: unknown) => e)) as RpcResponseError;
      expect(error).toBeInstanceOf(RpcResponseError);
      expect(error.message).toContain(message);
    } finally {
      await answering.close();
    }
  });

  it("sends the credentials of the URL as basic authentication, and masks them in messages", async () => {
    const seen: (string | undefined)[] = [];
    const guarded = await startServer((request, response) => {
      seen.push(request.headers.authorization);
      request.resume();
      request.on("end", () => {
        const authorised = request.headers.authorization === `Basic ${Buffer.from("indexer:s3cret").toString("base64")}`;
        response.statusCode = authorised ? 200 : 401;
        response.end(authorised ? JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x7a69" }) : "unauthorised");
      });
    });
    try {
      expect(await new JsonRpcClient(`http://indexer:s3cret@127.0.0.1:${guarded.port}`).chainId()).toBe(31337n);
      const error = (await new JsonRpcClient(`http://indexer:wrong@127.0.0.1:${guarded.port}`, { retries: 0 }).chainId().catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(RpcHttpError);
      expect(error.message).not.toContain("wrong");
      expect(seen).toHaveLength(2);
    } finally {
      await guarded.close();
    }
  });

  it("recognises a provider's too-many-results error on eth_getLogs", async () => {
    const proxy = await startProxy(chain.url, { maxLogRange: 5 });
    try {
      const limited = new JsonRpcClient(proxy.url);
      const error = await limited.getLogs({ fromBlock: 0, toBlock: 5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcResponseError);
      expect(isRangeTooLarge(error)).toBe(true);
      expect(await limited.getLogs({ fromBlock: 0, toBlock: 4 })).toEqual(await client.getLogs({ fromBlock: 0, toBlock: 4 }));
    } finally {
      await proxy.close();
    }
  });

  it("rejects URLs it cannot use, masking credentials", () => {
    expect(() => new JsonRpcClient("ws://127.0.0.1:8545")).toThrow("unsupported JSON-RPC URL scheme ws:");
    expect(() => new JsonRpcClient("not a url")).toThrow("invalid JSON-RPC URL");
    expect(new JsonRpcClient("https://user:secret@rpc.example/v3/0123456789abcdef0123456789abcdef").displayUrl).toBe(
      "https://rpc.example/v3/***",
    );
  });
});
