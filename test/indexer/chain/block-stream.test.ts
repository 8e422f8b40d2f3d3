/**
 * BlockStream against real Hardhat chains served over HTTP: exact logs and chain data over many ranges, block
 * handlers, runtime filters, provider range limits (through a real proxy), confirmations, live polling, reorgs made
 * with evm_snapshot / evm_revert, stop(), and a down node.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Log as EthersLog } from "ethers";
import { BlockStream, formatProgress, type BlockEvent, type BlockStreamEvent, type BlockStreamOptions } from "../../../src/indexer/chain/block-stream.ts";
import type { LogFilter } from "../../../src/indexer/chain/filters.ts";
import type { Log } from "../../../src/indexer/chain/types.ts";
import { JsonRpcClient } from "../../../src/indexer/chain/rpc.ts";
import type { BlockPtr } from "../../../src/indexer/store/types.ts";
import {
  closedPort,
  deployContracts,
  mineEmpty,
  mineOne,
  mineTransactions,
  mintCall,
  registerCall,
  serveChain,
  startProxy,
  topics,
  type Chain,
  type Contracts,
} from "./fixture.ts";

/** A comparable view of a log. */
interface LogView {
  blockNumber: number;
  logIndex: number;
  address: string;
  topics: string[];
  data: string;
  transactionHash: string;
  blockHash: string;
}

/** Stands in for the store: the hashes of the blocks the caller processed, reverted like the store would. */
class HashStore {
  readonly hashes = new Map<number, string>();
  readonly storedHash = async (n: number) => this.hashes.get(n) ?? null;
  apply(event: BlockStreamEvent): void {
    if (event.kind === "block") this.hashes.set(Number(event.block.number), event.block.hash);
    else if (event.kind === "progress") this.hashes.set(event.head.number, event.head.hash);
    else for (const n of [...this.hashes.keys()]) if (event.to === null || n > event.to.number) this.hashes.delete(n);
  }
}

function fromEthers(log: EthersLog): LogView {
  return {
    blockNumber: log.blockNumber,
    logIndex: log.index,
    address: log.address.toLowerCase(),
    topics: [...log.topics],
    data: log.data,
    transactionHash: log.transactionHash,
    blockHash: log.blockHash,
  };
}

function view(log: Log): LogView {
  return {
    blockNumber: Number(log.blockNumber),
    logIndex: Number(log.logIndex),
    address: log.address,
    topics: log.topics,
    data: log.data,
    transactionHash: log.transactionHash,
    blockHash: log.blockHash,
  };
}

function logsOf(events: BlockStreamEvent[]): LogView[] {
  return events.flatMap((event) => (event.kind === "block" ? event.logs.map(view) : []));
}

/** What ethers' own getLogs returns for the filters, merged in block / log order. */
async function expectedLogs(chain: Chain, filters: LogFilter[], fromBlock: number, toBlock: number): Promise<LogView[]> {
  const seen = new Map<string, LogView>();
  for (const filter of filters) {
    const logs = await chain.provider.getLogs({ address: filter.addresses, topics: [filter.topic0s], fromBlock, toBlock });
    for (const log of logs) seen.set(`${log.blockHash}:${log.index}`, fromEthers(log));
  }
  return [...seen.values()].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

async function drain(stream: BlockStream, onEvent?: (event: BlockStreamEvent) => void | Promise<void>): Promise<BlockStreamEvent[]> {
  const events: BlockStreamEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    await onEvent?.(event);
  }
  return events;
}

/** Runs a stream in the background, feeding a HashStore, with a way to wait for a condition on its events. */
function follow(stream: BlockStream, store = new HashStore()) {
  const events: BlockStreamEvent[] = [];
  const done = (async () => {
    for await (const event of stream) {
      events.push(event);
      store.apply(event);
    }
  })();
  done.catch(() => {});
  return {
    events,
    done,
    store,
    async waitFor(condition: () => boolean, timeoutMs = 10_000) {
      const started = performance.now();
      while (!condition()) {
        if (performance.now() - started > timeoutMs) throw new Error(`timed out; events: ${JSON.stringify(summary(events))}`);
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10))]);
      }
    },
  };
}

function summary(events: BlockStreamEvent[]) {
  return events.map((e) => (e.kind === "block" ? `b${e.block.number}` : e.kind === "progress" ? `p${e.head.number}` : `r${e.to?.number ?? "null"}`));
}

const lastProgress = (events: BlockStreamEvent[]) =>
  events.filter((e) => e.kind === "progress").at(-1)?.head.number ?? -1;

// ------------------------------------------------------------------ a chain with history, read only

describe("BlockStream over a chain with history", () => {
  let chain: Chain;
  let contracts: Contracts;
  let head: number;
  let registryFilter: LogFilter;
  let transferFilter: LogFilter;

  beforeAll(async () => {
    chain = await serveChain();
    contracts = await deployContracts(chain);
    const txs = [];
    for (let i = 0; i < 40; i++) {
      txs.push(registerCall(contracts.registry), mintCall(contracts.token, chain.accounts[i % 5]), registerCall(contracts.registry2));
    }
    await mineTransactions(chain, txs, { perBlock: 4, emptyBlocksBetween: 2 });
    head = await chain.provider.getBlockNumber();
    registryFilter = { addresses: [contracts.registry], topic0s: [topics.datasetRegistered, topics.versionPublished] };
    transferFilter = { addresses: [contracts.token, contracts.registry2], topic0s: [topics.transfer] };
  });

  afterAll(async () => {
    await chain?.close();
  });

  it("yields exactly the filters' logs in block and log order, with a progress mark after every range", async () => {
    // The third filter overlaps the first: its logs must not come twice.
    const filters = [registryFilter, transferFilter, { addresses: [contracts.registry], topic0s: [topics.versionPublished] }];
    const stream = new BlockStream({ rpc: chain.url, filters, startBlock: 0, endBlock: head, maxRange: 7, targetTriggersPerRange: Infinity });
    const events = await drain(stream);

    const expected = await expectedLogs(chain, filters, 0, head);
    expect(expected.length).toBe(40 * 2 + 40 + 40);
    expect(logsOf(events)).toEqual(expected);

    const blocks = events.filter((e): e is BlockEvent => e.kind === "block");
    expect(blocks.every((b) => b.logs.length > 0)).toBe(true);
    expect(blocks.map((b) => Number(b.block.number))).toEqual([...new Set(expected.map((l) => l.blockNumber))]);

    // Progress marks cover the chain range by range; blocks come before the mark of their range.
    const progress = events.flatMap((e) => (e.kind === "progress" ? [e.head] : []));
    expect(progress.map((p) => p.number)).toEqual(Array.from({ length: Math.ceil((head + 1) / 7) }, (_, i) => Math.min(head, i * 7 + 6)));
    let previous = -1;
    for (const event of events) {
      if (event.kind === "progress") previous = event.head.number;
      if (event.kind === "block") {
        expect(Number(event.block.number)).toBeGreaterThan(previous);
        expect(Number(event.block.number)).toBeLessThanOrEqual(previous + 7);
      }
    }
    for (const p of progress.slice(-3)) {
      const block = (await chain.provider.getBlock(p.number))!;
      expect(p).toEqual({ number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp });
    }
    expect(stream.stats()).toMatchObject({ blocksScanned: head + 1, cursor: head, distanceToHead: 0, logsYielded: expected.length });
    expect(stream.stats().blocksPerSecond).toBeGreaterThan(0);
    expect(formatProgress(stream.stats())).toMatch(new RegExp(`^block ${head} · 0 behind head ${head} · \\d+ blocks/s · \\d+ logs/s$`));
  });

  it("fetches the next two ranges while the caller processes one, and no further", async () => {
    const proxy = await startProxy(chain.url);
    const stream = new BlockStream({ rpc: proxy.url, filters: [transferFilter], startBlock: 0, endBlock: head, maxRange: 2, targetTriggersPerRange: Infinity });
    try {
      const events = stream[Symbol.asyncIterator]();
      await events.next(); // from the first range; the caller now takes its time over it
      const deadline = performance.now() + 5_000;
      while (proxy.served.length < 3 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 200)); // time enough for a fourth fetch to start, were there one
      expect(proxy.served).toEqual([2, 2, 2]); // eth_getLogs of the first range and of the two after it
    } finally {
      stream.stop();
      await proxy.close();
    }
  });

  it("sizes each range from the previous one's triggers per block toward the target, as graph-node", async () => {
    const filters = [registryFilter, transferFilter];
    const target = 6;
    const events = await drain(new BlockStream({ rpc: chain.url, filters, startBlock: 0, endBlock: head, maxRange: 50, targetTriggersPerRange: target }));
    expect(logsOf(events)).toEqual(await expectedLogs(chain, filters, 0, head));
    // Ranges as the progress marks close them, with the logs (triggers) each held.
    const ranges: { blocks: number; triggers: number }[] = [];
    let from = 0;
    let triggers = 0;
    for (const event of events) {
      if (event.kind === "block") triggers += event.logs.length;
      if (event.kind === "progress") {
        ranges.push({ blocks: event.head.number - from + 1, triggers });
        from = event.head.number + 1;
        triggers = 0;
      }
    }
    expect(ranges[0]!.blocks).toBe(1); // graph-node starts with one block
    for (let i = 1; i < ranges.length - 1; i++) {
      // polling_block_stream.rs: target / triggers per block, at least 1, at most 10× the previous range and maxRange
      const previous = ranges[i - 1]!;
      const limit = Math.min(50, previous.blocks * 10);
      const wanted = previous.triggers === 0 ? limit : Math.max(1, Math.min(limit, Math.floor(target / (previous.triggers / previous.blocks))));
      expect(ranges[i]!.blocks).toBe(wanted);
    }
    expect(ranges.some((r) => r.blocks > 1) && ranges.some((r) => r.triggers > 0)).toBe(true);
  });

  it("starts at startBlock and can resume after a stored head", async () => {
    const filters = [registryFilter, transferFilter];
    const middle = Math.floor(head / 2);
    const fromMiddle = await drain(new BlockStream({ rpc: chain.url, filters, startBlock: middle, endBlock: head, maxRange: 10 }));
    expect(logsOf(fromMiddle)).toEqual(await expectedLogs(chain, filters, middle, head));

    const block = (await chain.provider.getBlock(middle))!;
    const resumed = await drain(
      new BlockStream({
        rpc: chain.url,
        filters,
        startBlock: 0,
        head: { number: middle, hash: block.hash!, parentHash: block.parentHash, timestamp: block.timestamp },
        endBlock: head,
      }),
    );
    expect(resumed[0].kind).not.toBe("revert");
    expect(logsOf(resumed)).toEqual(await expectedLogs(chain, filters, middle + 1, head));
  });

  it("gives each block its header, the transactions of its logs and the receipts handlers ask for, as the node has them", async () => {
    const filters: LogFilter[] = [
      { ...registryFilter, receiptTopic0s: [topics.versionPublished] },
      transferFilter,
    ];
    const events = await drain(new BlockStream({ rpc: chain.url, filters, startBlock: 0, endBlock: head, maxRange: 50 }));
    const blocks = events.filter((e): e is BlockEvent => e.kind === "block");
    expect(blocks.length).toBe(30);
    let receiptsSeen = 0;
    for (const event of blocks) {
      const raw = await chain.send<Record<string, string> & { transactions: Record<string, string>[] }>("eth_getBlockByNumber", [
        `0x${event.block.number.toString(16)}`,
        true,
      ]);
      expect(event.block).toEqual({
        number: BigInt(raw.number),
        hash: raw.hash,
        parentHash: raw.parentHash,
        unclesHash: raw.sha3Uncles,
        author: raw.miner,
        stateRoot: raw.stateRoot,
        transactionsRoot: raw.transactionsRoot,
        receiptsRoot: raw.receiptsRoot,
        gasUsed: BigInt(raw.gasUsed),
        gasLimit: BigInt(raw.gasLimit),
        timestamp: BigInt(raw.timestamp),
        difficulty: BigInt(raw.difficulty),
        totalDifficulty: BigInt(raw.totalDifficulty ?? 0),
        size: BigInt(raw.size),
        baseFeePerGas: BigInt(raw.baseFeePerGas),
      });
      const logTxs = [...new Set(event.logs.map((log) => log.transactionHash))];
      expect([...event.transactions.keys()].sort()).toEqual(logTxs.sort());
      for (const [hash, tx] of event.transactions) {
        const rawTx = raw.transactions.find((t) => t.hash === hash)!;
        expect(tx).toEqual({
          hash,
          index: BigInt(rawTx.transactionIndex),
          from: rawTx.from,
          to: rawTx.to,
          value: BigInt(rawTx.value),
          gasLimit: BigInt(rawTx.gas),
          gasPrice: BigInt(rawTx.gasPrice),
          input: rawTx.input,
          nonce: BigInt(rawTx.nonce),
        });
      }
      const wantReceipts = [
        ...new Set(event.logs.filter((log) => log.address === contracts.registry && log.topics[0] === topics.versionPublished).map((log) => log.transactionHash)),
      ];
      expect([...event.receipts.keys()].sort()).toEqual(wantReceipts.sort());
      for (const [hash, receipt] of event.receipts) {
        receiptsSeen++;
        const viaEthers = (await chain.provider.getTransactionReceipt(hash))!;
        expect(receipt.blockHash).toBe(viaEthers.blockHash);
        expect(receipt.gasUsed).toBe(viaEthers.gasUsed);
        expect(receipt.cumulativeGasUsed).toBe(viaEthers.cumulativeGasUsed);
        expect(receipt.status).toBe(BigInt(viaEthers.status!));
        expect(receipt.logsBloom).toBe(viaEthers.logsBloom);
        expect(receipt.logs.map((l) => Number(l.logIndex))).toEqual(viaEthers.logs.map((l) => l.index));
      }
    }
    expect(receiptsSeen).toBe(40);
  });

  it("yields every block, linked by parent hash, when block handlers exist", async () => {
    const stream = new BlockStream({ rpc: chain.url, filters: [transferFilter], blockHandlers: true, startBlock: 10, endBlock: 60, maxRange: 16 });
    const events = await drain(stream);
    const blocks = events.filter((e): e is BlockEvent => e.kind === "block");
    expect(blocks.map((b) => Number(b.block.number))).toEqual(Array.from({ length: 51 }, (_, i) => 10 + i));
    for (let i = 1; i < blocks.length; i++) expect(blocks[i].block.parentHash).toBe(blocks[i - 1].block.hash);
    expect(blocks.filter((b) => b.logs.length === 0).length).toBeGreaterThan(20);
    expect(logsOf(events)).toEqual(await expectedLogs(chain, [transferFilter], 10, 60));
  });

  it("follows a filter added at runtime from the block given, refetching the rest of the current range", async () => {
    const tokenFilter: LogFilter = { addresses: [contracts.token], topic0s: [topics.transfer] };
    const stream = new BlockStream({ rpc: chain.url, filters: [registryFilter], startBlock: 0, endBlock: head, maxRange: 20 });
    const registryBlocks = [...new Set((await expectedLogs(chain, [registryFilter], 0, head)).map((l) => l.blockNumber))];
    const creationBlock = registryBlocks[12];
    let sameBlock: Awaited<ReturnType<BlockStream["fetchBlockData"]>> | null = null;
    const events = await drain(stream, async (event) => {
      if (event.kind === "block" && Number(event.block.number) === creationBlock) {
        stream.addFilter(tokenFilter, creationBlock + 1);
        sameBlock = await stream.fetchBlockData(event.block, [tokenFilter]);
      }
    });
    // The creation block must sit inside a range, so that the rest of that range is fetched again.
    expect(creationBlock % 20).not.toBe(19);
    const expected = [
      ...(await expectedLogs(chain, [registryFilter], 0, head)),
      ...(await expectedLogs(chain, [tokenFilter], creationBlock + 1, head)),
    ].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    expect(logsOf(events)).toEqual(expected);

    const tokenLogsThere = await expectedLogs(chain, [tokenFilter], creationBlock, creationBlock);
    expect(tokenLogsThere.length).toBe(1);
    expect(sameBlock!.logs.map(view)).toEqual(tokenLogsThere);
    expect([...sameBlock!.transactions.keys()]).toEqual([tokenLogsThere[0].transactionHash]);
  });

  it("halves the eth_getLogs range on a provider's too-many-results error and grows it back once allowed", async () => {
    const proxy = await startProxy(chain.url, { maxLogRange: 10 });
    try {
      const filters = [registryFilter, transferFilter];
      const stream = new BlockStream({ rpc: proxy.url, filters, startBlock: 0, endBlock: head, maxRange: 1000, growAfter: 2 });
      let servedBeforeLift = 0;
      const half = Math.floor(head / 2);
      const events = await drain(stream, (event) => {
        if (event.kind === "progress" && event.head.number >= half && proxy.maxLogRange === 10) {
          proxy.maxLogRange = Number.MAX_SAFE_INTEGER;
          servedBeforeLift = proxy.served.length;
        }
      });
      expect(logsOf(events)).toEqual(await expectedLogs(chain, filters, 0, head));
      expect(proxy.rejected).toBeGreaterThan(0);
      expect(Math.max(...proxy.served.slice(0, servedBeforeLift))).toBeLessThanOrEqual(10);
      // Reductions cost at most a few refused calls per accepted one.
      expect(proxy.rejected).toBeLessThan(servedBeforeLift);
      expect(Math.max(...proxy.served.slice(servedBeforeLift))).toBeGreaterThan(10);
      expect(stream.stats().range).toBeGreaterThan(10);
    } finally {
      await proxy.close();
    }
  });
});

// ------------------------------------------------------------------ live chains

describe("BlockStream following a live chain", () => {
  let chain: Chain;
  let contracts: Contracts;
  let filters: LogFilter[];

  beforeAll(async () => {
    chain = await serveChain();
    contracts = await deployContracts(chain);
    filters = [
      { addresses: [contracts.registry], topic0s: [topics.datasetRegistered, topics.versionPublished] },
      { addresses: [contracts.token], topic0s: [topics.transfer] },
    ];
  });

  afterAll(async () => {
    await chain?.close();
  });

  async function streamFromHere(options: Partial<BlockStreamOptions> = {}) {
    const start = (await chain.provider.getBlockNumber()) + 1;
    return new BlockStream({ rpc: chain.url, filters, startBlock: start, pollIntervalMs: 20, ...options });
  }

  it("holds back the last `confirmations` blocks", async () => {
    const stream = await streamFromHere({ confirmations: 3 });
    const mined = [];
    for (let i = 0; i < 6; i++) mined.push(await mineOne(chain, registerCall(contracts.registry)));
    const head = mined.at(-1)!;
    const run = follow(stream);
    try {
      await run.waitFor(() => lastProgress(run.events) === head - 3);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(lastProgress(run.events)).toBe(head - 3);
      expect(run.events.filter((e) => e.kind === "block").map((e) => Number((e as BlockEvent).block.number))).toEqual(mined.slice(0, 3));
      expect(stream.stats()).toMatchObject({ chainHead: head, distanceToHead: 0 });

      await mineEmpty(chain, 3);
      await run.waitFor(() => lastProgress(run.events) === head);
      expect(run.events.filter((e) => e.kind === "block").map((e) => Number((e as BlockEvent).block.number))).toEqual(mined);
    } finally {
      stream.stop();
      await run.done;
    }
  });

  it("does not mistake hardhat_mine's reserved blocks (zero parentHash) for a reorg", async () => {
    const store = new HashStore();
    const stream = await streamFromHere({ storedHash: store.storedHash, maxRange: 7 });
    const first = stream.stats().cursor + 1;
    await mineEmpty(chain, 50);
    const block = await mineOne(chain, registerCall(contracts.registry));
    const reserved = await chain.send<{ parentHash: string }>("eth_getBlockByNumber", [`0x${(first + 20).toString(16)}`, false]);
    expect(reserved.parentHash).toBe(`0x${"0".repeat(64)}`);
    const run = follow(stream, store);
    try {
      await run.waitFor(() => lastProgress(run.events) === block);
      expect(run.events.some((e) => e.kind === "revert")).toBe(false);
      expect(logsOf(run.events)).toEqual(await expectedLogs(chain, filters, first, block));
    } finally {
      stream.stop();
      await run.done;
    }
  });

  it("picks up new blocks while polling at the head", async () => {
    const stream = await streamFromHere();
    const run = follow(stream);
    try {
      await run.waitFor(() => stream.stats().chainHead !== null);
      const block = await mineOne(chain, mintCall(contracts.token, chain.accounts[2], 7n));
      const started = performance.now();
      await run.waitFor(() => run.events.some((e) => e.kind === "block" && Number(e.block.number) === block));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(logsOf(run.events)).toEqual(await expectedLogs(chain, filters, block, block));
      expect(lastProgress(run.events)).toBe(block);
    } finally {
      stream.stop();
      await run.done;
    }
  });

  it("reverts to the common ancestor when blocks are replaced, then yields the new blocks", async () => {
    const store = new HashStore();
    const stream = await streamFromHere({ storedHash: store.storedHash });
    const run = follow(stream, store);
    try {
      // The common ancestor is a block the stream has processed.
      const ancestor = await mineOne(chain, registerCall(contracts.registry));
      const snapshot = await chain.send<string>("evm_snapshot");
      const old = [];
      for (let i = 0; i < 3; i++) old.push(await mineOne(chain, registerCall(contracts.registry)));
      await run.waitFor(() => lastProgress(run.events) === ancestor + 3);
      const oldHashes = run.events.flatMap((e) => (e.kind === "block" && Number(e.block.number) > ancestor ? [e.block.hash] : []));
      expect(oldHashes).toHaveLength(3);

      await chain.send("evm_revert", [snapshot]);
      const replaced = [];
      for (let i = 0; i < 4; i++) replaced.push(await mineOne(chain, mintCall(contracts.token, chain.accounts[4], BigInt(i + 1))));
      await run.waitFor(() => lastProgress(run.events) === ancestor + 4 && run.events.some((e) => e.kind === "revert"));

      const revertAt = run.events.findIndex((e) => e.kind === "revert");
      const revert = run.events[revertAt] as { kind: "revert"; to: BlockPtr | null };
      const ancestorBlock = (await chain.provider.getBlock(ancestor))!;
      expect(revert.to).toEqual({ number: ancestor, hash: ancestorBlock.hash, parentHash: ancestorBlock.parentHash, timestamp: ancestorBlock.timestamp });
      expect(run.events.filter((e) => e.kind === "revert")).toHaveLength(1);

      const after = run.events.slice(revertAt + 1);
      const newBlocks = after.filter((e): e is BlockEvent => e.kind === "block");
      expect(newBlocks.map((b) => Number(b.block.number))).toEqual(replaced);
      expect(newBlocks.some((b) => oldHashes.includes(b.block.hash))).toBe(false);
      expect(logsOf(after)).toEqual(await expectedLogs(chain, filters, ancestor + 1, ancestor + 4));
      expect(newBlocks[0].block.parentHash).toBe(ancestorBlock.hash);
    } finally {
      stream.stop();
      await run.done;
    }
  });

  it("notices a replacement chain that is shorter than the blocks it replaced", async () => {
    const store = new HashStore();
    const stream = await streamFromHere({ storedHash: store.storedHash });
    const run = follow(stream, store);
    try {
      const ancestor = await mineOne(chain, mintCall(contracts.token, chain.accounts[1], 1n));
      const snapshot = await chain.send<string>("evm_snapshot");
      for (let i = 0; i < 4; i++) await mineOne(chain, registerCall(contracts.registry));
      await run.waitFor(() => lastProgress(run.events) === ancestor + 4);

      await chain.send("evm_revert", [snapshot]);
      const replaced = await mineOne(chain, mintCall(contracts.token, chain.accounts[1], 9n));
      expect(replaced).toBe(ancestor + 1);
      await run.waitFor(() => run.events.some((e) => e.kind === "block" && e.block.number === BigInt(replaced) && e.logs[0].address === contracts.token));
      const revert = run.events.find((e) => e.kind === "revert") as { kind: "revert"; to: BlockPtr };
      expect(revert.to.number).toBe(ancestor);
      expect(store.hashes.get(ancestor + 2)).toBeUndefined();
    } finally {
      stream.stop();
      await run.done;
    }
  });

  it("reverts everything when resumed against a chain that shares nothing with the store", async () => {
    const head = await chain.provider.getBlockNumber();
    const foreign = `0x${"ee".repeat(32)}`;
    const stream = new BlockStream({
      rpc: chain.url,
      filters,
      startBlock: 0,
      head: { number: 5, hash: foreign, parentHash: foreign, timestamp: 0 },
      storedHash: async () => foreign,
      endBlock: head,
    });
    const events = await drain(stream);
    expect(events[0]).toEqual({ kind: "revert", to: null });
    expect(logsOf(events.slice(1))).toEqual(await expectedLogs(chain, filters, 0, head));
  });

  it("stops promptly while idle and while a request is in flight", async () => {
    const idle = await streamFromHere({ pollIntervalMs: 60_000 });
    const run = follow(idle);
    await run.waitFor(() => idle.stats().chainHead !== null);
    await new Promise((resolve) => setTimeout(resolve, 50));
    let started = performance.now();
    idle.stop();
    await run.done;
    expect(performance.now() - started).toBeLessThan(250);

    const proxy = await startProxy(chain.url);
    try {
      proxy.hang = true;
      const stuck = new BlockStream({ rpc: proxy.url, filters, startBlock: 0 });
      const stuckRun = follow(stuck);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.requests).toBe(1);
      started = performance.now();
      stuck.stop();
      await stuckRun.done;
      expect(performance.now() - started).toBeLessThan(250);
      expect(stuckRun.events).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("fails with a one-line error naming the URL when the node is down", async () => {
    const port = await closedPort();
    const stream = new BlockStream({
      rpc: new JsonRpcClient(`http://127.0.0.1:${port}`, { retries: 1, retryDelayMs: 10 }),
      filters,
      startBlock: 0,
    });
    const error = (await drain(stream).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(`cannot reach JSON-RPC at http://127.0.0.1:${port}: connection refused`);
  });
});
