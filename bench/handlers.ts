/**
 * Handlers-alone benchmark: the project's subgraph handlers (build/subgraph.yaml) over a real chain's triggers, with
 * an in-memory entity cache and no store, so that the figure is the WASM runtime's own cost. The current runtime
 * (each trigger in the previous trigger's instance, restored to a fresh instance's state: module.ts) runs against the
 * baseline of a new instance per trigger (graph-node's way), in this process, alternately; best of several rounds.
 *
 *   npm run bench:handlers
 *   npm run bench:handlers -- --events 50000 --rounds 5
 *
 * Profile with `node --import tsx --cpu-prof bench/handlers.ts`.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { BlockStream, type BlockEvent } from "../src/indexer/chain/index.ts";
import { indexerOverrides } from "../src/sdk/networks.ts";
import { SubgraphRuntime, type RuntimeOptions } from "../src/indexer/runtime/index.ts";
import { spawnBenchChain } from "./chain-process.ts";
import { runHandlers } from "./run-handlers.ts";

const { values: args } = parseArgs({ options: { events: { type: "string" }, rounds: { type: "string" } } });
const TARGET_EVENTS = Number(args.events ?? 20_000);
const ROUNDS = Number(args.rounds ?? 3);
const ATTESTATIONS_PER_ROUND = 20;
const ROUNDS_PER_BLOCK = 5;
const rounds = Math.ceil(TARGET_EVENTS / (9 + ATTESTATIONS_PER_ROUND));

const { chain, stop } = await spawnBenchChain({ rounds, attestationsPerRound: ATTESTATIONS_PER_ROUND, roundsPerBlock: ROUNDS_PER_BLOCK });
const { addresses, startBlocks } = indexerOverrides(chain.locations);
const options: RuntimeOptions = { addresses, startBlocks: Object.fromEntries(Object.entries(startBlocks).map(([k, v]) => [k, BigInt(v)])) };
const runtime = await SubgraphRuntime.load("build/subgraph.yaml", options);
const filters = runtime.dataSources.map((ds) => ({ addresses: [ds.address!], topic0s: ds.mapping.eventHandlers.map((h) => h.topic0) }));
const blocks: BlockEvent[] = [];
const stream = new BlockStream({ rpc: chain.url, filters, startBlock: Number(runtime.startBlock), endBlock: chain.workload.lastBlock, pollIntervalMs: 10 });
for await (const event of stream) {
  if (event.kind === "block") blocks.push(event);
  if (event.kind === "progress" && event.head.number >= chain.workload.lastBlock) break;
}
stream.stop();
stop();

const variants = {
  "restored instance per trigger (current)": { ...options, reuseInstances: true },
  "baseline: new instance per trigger": { ...options, reuseInstances: false },
};
const best = new Map<string, number>();
const gasUsed = new Map<string, number>();
let triggers = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, variant] of Object.entries(variants)) {
    const run = runHandlers(await SubgraphRuntime.load("build/subgraph.yaml", variant), blocks);
    best.set(label, Math.min(best.get(label) ?? Infinity, run.ms));
    triggers = run.triggers;
    gasUsed.set(label, run.gas);
  }
}
const eventsPerSecond = (label: string) => triggers / (best.get(label)! / 1000);
const baseline = eventsPerSecond("baseline: new instance per trigger");
console.log("Handlers alone: the project's subgraph over a real chain's triggers\n");
console.log("Setup");
console.log(`  machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}`);
console.log(`  chain: Hardhat EDR in its own process; ${rounds} workload rounds (${ATTESTATIONS_PER_ROUND} attestations each), ${blocks.length} blocks, ${triggers.toLocaleString("en-US")} triggers`);
console.log(`  runtime: gas metered, in-memory entity cache, no store; best of ${ROUNDS} rounds, the variants alternating\n`);
for (const label of best.keys()) {
  const rate = eventsPerSecond(label);
  console.log(`  ${label.padEnd(44)} ${Math.round(rate).toLocaleString("en-US").padStart(8)} events/s  ${(rate / baseline).toFixed(2)}× the baseline`);
}
const gasFigures = new Set(gasUsed.values());
console.log(`  gas used by all handlers: ${[...gasFigures].map((g) => g.toLocaleString("en-US")).join(" vs ")}${gasFigures.size === 1 ? " in both (same work)" : " — DIFFERENT"}`);
process.exit(0);
