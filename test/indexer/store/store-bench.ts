/**
 * Store benchmark: commit throughput (entity changes per second) and the latency of a typical lineage lookup
 * (a ModelVersion by id and its derived lists) on the project's schema, for PGlite in memory, PGlite on disk and,
 * when DATABASE_URL is set, PostgreSQL.
 *
 *   npx tsx test/indexer/store/store-bench.ts [blocks=1500] [eventsPerBlock=10]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { createStore, type Store } from "../../../src/indexer/store/index.ts";
import { PedigreeWorkload } from "./fixtures/pedigree-workload.ts";

const blocks = Number(process.argv[2] ?? 1500);
const eventsPerBlock = Number(process.argv[3] ?? 10);
const schema = parseSchema(readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function lineage(store: Store, id: string, block: number): Promise<number> {
  const [version] = await store.find({ entityType: "ModelVersion", block, first: 1, skip: 0, filter: { kind: "compare", field: "id", op: "eq", value: id } });
  if (!version) throw new Error(`no ModelVersion ${id}`);
  const lists = await Promise.all([
    store.find({ entityType: "Attestation", block, first: 100, skip: 0, filter: { kind: "compare", field: "modelVersion", op: "eq", value: id } }),
    store.find({ entityType: "ModelVersion", block, first: 100, skip: 0, filter: { kind: "compare", field: "parent", op: "eq", value: id } }),
    store.find({ entityType: "Deployment", block, first: 100, skip: 0, filter: { kind: "compare", field: "version", op: "eq", value: id } }),
    store.find({
      entityType: "ProvenanceEvent",
      block,
      first: 100,
      skip: 0,
      filter: { kind: "compare", field: "modelVersion", op: "eq", value: id },
      orderBy: { field: "timestamp" },
      orderDirection: "desc",
    }),
    store.find({ entityType: "TrainingRun", block, first: 1, skip: 0, filter: { kind: "compare", field: "id", op: "eq", value: id } }),
  ]);
  return lists.reduce((n, l) => n + l.length, 1);
}

async function run(label: string, open: () => Promise<Store>): Promise<void> {
  const store = await open();
  const workload = new PedigreeWorkload(7);
  const generated = Array.from({ length: blocks }, (_, i) => workload.block(i + 1, eventsPerBlock));
  const totalChanges = generated.reduce((n, b) => n + b.changes.length, 0);
  const perBlock: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const { block, changes } of generated) {
    const t = performance.now();
    await store.commitBlock(block, changes);
    perBlock.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
  const typical = generated.slice(1).map((b) => b.changes.length);
  console.log(
    `${label}: ${blocks} blocks, ${totalChanges} changes (median ${median(typical)}/block) in ${seconds.toFixed(2)} s → ` +
      `${Math.round(totalChanges / seconds)} changes/s, ${Math.round(blocks / seconds)} blocks/s; ` +
      `commit median ${median(perBlock).toFixed(2)} ms, p95 ${percentile(perBlock, 0.95).toFixed(2)} ms; ` +
      `CPU ${cpuSeconds.toFixed(2)} s → ${Math.round(totalChanges / cpuSeconds)} changes per CPU-second`,
  );

  const ids = [...workload.modelVersions.keys()];
  const head = blocks;
  for (const [what, block] of [["head", head], ["past block", Math.floor(head / 2)]] as const) {
    const latencies: number[] = [];
    let rows = 0;
    for (let i = 0; i < 200; i++) {
      const id = ids[(i * 7919) % ids.length]!;
      const t = performance.now();
      try {
        rows += await lineage(store, id, block);
      } catch {
        continue; // the version did not exist yet at the past block
      }
      latencies.push(performance.now() - t);
    }
    console.log(
      `${label}: lineage lookup at ${what} (ModelVersion by id + attestations, fineTunes, deployments, history, trainingRun): ` +
        `median ${median(latencies).toFixed(2)} ms, p95 ${percentile(latencies, 0.95).toFixed(2)} ms over ${latencies.length} lookups (${(rows / latencies.length).toFixed(1)} rows each)`,
    );
  }
  let t = performance.now();
  await store.revertTo(generated[blocks - 11]!.block);
  console.log(`${label}: revert of 10 blocks ${(performance.now() - t).toFixed(1)} ms`);

  // Catching up on a dev chain: one event per block, committed one by one and in batches of 20 blocks.
  const small = Array.from({ length: 400 }, (_, i) => workload.block(blocks + i + 1, 1));
  const smallChanges = small.reduce((n, b) => n + b.changes.length, 0);
  t = performance.now();
  for (const { block, changes } of small.slice(0, 200)) await store.commitBlock(block, changes);
  const single = (performance.now() - t) / 1000;
  t = performance.now();
  for (let i = 200; i < 400; i += 20) await store.commitBlocks(small.slice(i, i + 20));
  const batched = (performance.now() - t) / 1000;
  const half = smallChanges / 2;
  console.log(
    `${label}: one event per block (${(smallChanges / small.length).toFixed(1)} changes/block): commitBlock ${Math.round(200 / single)} blocks/s ` +
      `(${Math.round(half / single)} changes/s); commitBlocks x20 ${Math.round(200 / batched)} blocks/s (${Math.round(half / batched)} changes/s), ` +
      `×${(single / batched).toFixed(1)}`,
  );
  await store.close();
}

const rowsEstimate = blocks * eventsPerBlock * 3;
console.log(`store benchmark: schema.graphql, ${blocks} blocks x ~${eventsPerBlock} events (~${rowsEstimate} rows), Node ${process.version}`);
await run("PGlite in memory", () => createStore({ schema }));
const dir = mkdtempSync(join(tmpdir(), "store-bench-"));
try {
  await run("PGlite on disk", () => createStore({ schema, dataDir: dir }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.env.DATABASE_URL) {
  const deployment = `bench_${process.pid}`;
  await run("PostgreSQL", () => createStore({ schema, databaseUrl: process.env.DATABASE_URL!, deployment }));
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`drop schema "${deployment}" cascade`);
  await client.end();
} else {
  console.log("PostgreSQL: skipped (set DATABASE_URL to include it)");
}
