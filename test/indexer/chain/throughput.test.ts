/**
 * Measures how fast BlockStream fetches a chain with a few thousand events from the in-process Hardhat node over
 * HTTP, in several configurations, against a baseline of the same logs fetched raw in one eth_getLogs call per filter.
 * Prints the figures; asserts only that every configuration yields exactly the node's logs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockStream, type BlockStreamOptions } from "../../../src/indexer/chain/block-stream.ts";
import type { LogFilter } from "../../../src/indexer/chain/filters.ts";
import { deployContracts, mineTransactions, mintCall, registerCall, serveChain, topics, type Chain, type Contracts } from "./fixture.ts";

let chain: Chain;
let contracts: Contracts;
let head: number;
let filters: LogFilter[];
let expectedLogs: number;

beforeAll(async () => {
  chain = await serveChain();
  contracts = await deployContracts(chain);
  const txs = [];
  for (let i = 0; i < 600; i++) {
    txs.push(registerCall(contracts.registry), mintCall(contracts.token, chain.accounts[i % 8]), registerCall(contracts.registry2));
  }
  const started = performance.now();
  await mineTransactions(chain, txs, { perBlock: 12, emptyBlocksBetween: 10 });
  head = await chain.provider.getBlockNumber();
  filters = [
    { addresses: [contracts.registry, contracts.registry2], topic0s: [topics.transfer, topics.datasetRegistered, topics.versionPublished] },
    { addresses: [contracts.token], topic0s: [topics.transfer] },
  ];
  console.log(`setup: ${txs.length} transactions in ${txs.length / 12} blocks, ${head + 1} blocks in all, mined in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(async () => {
  await chain?.close();
});

/** Runs a full stream over the chain; returns its time and counts. */
async function run(options: Partial<BlockStreamOptions>) {
  const stream = new BlockStream({ rpc: chain.url, filters, startBlock: 0, endBlock: head, ...options });
  const started = performance.now();
  let logs = 0;
  let blocks = 0;
  for await (const event of stream) {
    if (event.kind === "block") {
      blocks++;
      logs += event.logs.length;
    }
  }
  return { seconds: (performance.now() - started) / 1000, logs, blocks, requests: stream.rpc.stats.httpRequests };
}

/** Median of three timed runs of `task`. */
async function median<T extends { seconds: number }>(task: () => Promise<T>): Promise<T> {
  const results = [await task(), await task(), await task()];
  return results.sort((a, b) => a.seconds - b.seconds)[1];
}

const label = (text: string) => text.padEnd(56);

describe("BlockStream throughput over HTTP", () => {
  it("fetches a few thousand events", async () => {
    await run({}); // warm-up (JIT, connection pool)
    const raw = await median(async () => {
      const started = performance.now();
      const responses = await Promise.all(
        filters.map(async (f) => {
          const body = { jsonrpc: "2.0", id: 1, method: "eth_getLogs", params: [{ address: f.addresses, topics: [f.topic0s], fromBlock: "0x0", toBlock: `0x${head.toString(16)}` }] };
          const response = await fetch(chain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
          return ((await response.json()) as { result: unknown[] }).result;
        }),
      );
      return { seconds: (performance.now() - started) / 1000, logs: responses.flat().length };
    });
    expectedLogs = raw.logs;
    expect(expectedLogs).toBe(600 * 7);
    console.log(`${label("baseline: raw eth_getLogs (fetch + JSON.parse)")} ${Math.round(expectedLogs / raw.seconds)} logs/s  (${(raw.seconds * 1000).toFixed(0)} ms; logs only)`);

    const runs: [string, Partial<BlockStreamOptions>][] = [
      ["logs + headers + transactions (range 2000)", {}],
      ["same, range 100, no prefetch", { maxRange: 100, prefetchRanges: 0 }],
      ["same, range 100", { maxRange: 100 }],
      ["+ receipts for every log (range 2000)", { filters: filters.map((f) => ({ ...f, receiptTopic0s: f.topic0s })) }],
      ["+ block handlers: every block (range 2000)", { blockHandlers: true }],
    ];
    for (const [text, options] of runs) {
      const result = await median(() => run(options));
      expect(result.logs).toBe(expectedLogs);
      console.log(
        `${label(text)} ${Math.round((head + 1) / result.seconds)} blocks/s  ${Math.round(result.logs / result.seconds)} logs/s  ` +
          `(${(result.seconds * 1000).toFixed(0)} ms, ${(result.seconds / raw.seconds).toFixed(1)}x raw getLogs; ${result.blocks} blocks yielded, ${result.requests} HTTP requests)`,
      );
    }
  }, 300_000);
});
