/**
 * GraphQL-under-attack benchmark (issue 17): a realistic store indexed from a local chain, then the attack queries of
 * the issue fired at the GraphQL server (default limits, as `pedigree node` runs it) alongside a stream of `_meta`
 * queries — the query of death around a relation cycle, 1,000 aliases, a 10 MB body, a huge `skip`, a fragment bomb.
 *
 *   npm run bench:query            (BENCH_ROUNDS=200 for a smaller store, BENCH_ONLY=aliases,skip for some attacks)
 *
 * Prints the setup, each attack's latency and answer, `_meta` p50/p95 during the attack next to a baseline run without
 * attack measured in the same process, and the process's RSS before / at its peak / after. A benchmark reports; it
 * does not enforce: targets print PASS/FAIL and the exit code stays 0.
 */
import { request as httpRequest } from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { indexLocally } from "../src/dev/local-indexer.ts";
import { DEFAULT_QUERY_LIMITS, HTTP_DEFAULTS } from "../src/indexer/graphql/limits.ts";
import { spawnBenchChain } from "./chain-process.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);
const ATTESTATIONS_PER_ROUND = 4;
const ROUNDS_PER_BLOCK = 10;
const CREATORS = 5;
const ATTACK_ROUNDS = Number(process.env.BENCH_ATTACK_ROUNDS ?? 5);
const BASELINE_QUERIES = 300;
const TARGET_ATTACK_MS = 1000;
const TARGET_RSS_GROWTH_MB = 200;

const MB = 1024 * 1024;
const TEN_MB_BODY = "<10 MB, streamed>";
const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => gc?.();
const rss = () => process.memoryUsage().rss;
const heap = () => process.memoryUsage().heapUsed;

console.log("Pedigree GraphQL-under-attack benchmark\n");
console.log("Setup");
console.log(`  machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`  chain: Hardhat EDR in its own process; workload: ${ROUNDS} rounds × (dataset by one of ${CREATORS} creators, licence, model version fine-tuning the previous one, ${ATTESTATIONS_PER_ROUND} attestations)`);
console.log(`  indexer: build/subgraph.yaml into PGlite in memory, in this process; GraphQL server with the default limits (no result cache)`);
console.log(`  limits: ${JSON.stringify(DEFAULT_QUERY_LIMITS)}, ${JSON.stringify(HTTP_DEFAULTS)}`);
if (!gc) console.log("  note: run with node --expose-gc (npm run bench:query does) for RSS after garbage collection");

const { chain, stop: stopChain } = await spawnBenchChain({ rounds: ROUNDS, attestationsPerRound: ATTESTATIONS_PER_ROUND, roundsPerBlock: ROUNDS_PER_BLOCK });

const indexer = await indexLocally(chain, { locations: chain.locations }, { pollIntervalMs: 500, cacheQueries: false });
await indexer.waitForBlock(chain.workload.lastBlock, 30 * 60_000);
const counts = (await post(JSON.stringify({ query: "{ accounts(first: 1000) { id } datasets(first: 1000) { id } modelVersions(first: 1000) { id } }" }))).body;
const data = JSON.parse(counts) as { data: Record<string, unknown[]> };
console.log(
  `  store: ${chain.workload.events.toLocaleString("en-US")} events indexed; ${data.data.accounts!.length} accounts, ${data.data.datasets!.length} datasets, ${data.data.modelVersions!.length} model versions (a chain of fine-tunes)\n`,
);

/** POSTs a raw body; returns status, body text and latency. */
async function post(body: string): Promise<{ status: number; body: string; ms: number }> {
  if (body === TEN_MB_BODY) return postTenMegabytes();
  const started = performance.now();
  const response = await fetch(indexer.url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}

/**
 * Sends a 10 MB JSON body the way a client streams it (64 KiB at a time, without holding it), so that this process's
 * memory shows the server's side only; stops sending once the server answered.
 */
function postTenMegabytes(): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const target = new URL(indexer.url);
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": String(10 * MB) } },
      (res) => {
        answered = true;
        let text = "";
        res.on("data", (data: Buffer) => (text += data.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }));
      },
    );
    req.on("error", (error) => (answered ? undefined : reject(error)));
    let sent = 0;
    const send = () => {
      while (!answered && sent < 10 * MB) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", send);
      }
      if (!answered) req.end();
    };
    req.write('{"query":"{ _meta { block { number } } } #');
    send();
  });
}

// The attacks.
function cycle(levels: number): string {
  let inner = "id";
  for (let i = 0; i < levels; i++) inner = `owner { datasetsOwned(first: 1000) { ${inner} } }`;
  return `{ accounts(first: 1000) { datasetsOwned(first: 1000) { ${inner} } } }`;
}
const fragments = Array.from({ length: 16 }, (_, i) =>
  i === 15 ? "fragment F15 on ModelVersion { id }" : `fragment F${i} on ModelVersion { a: parent { ...F${i + 1} } b: parent { ...F${i + 1} } }`,
);
const DEATH = "query of death: accounts → datasetsOwned → owner → … (11 levels)";
const attacks: Record<string, string> = {
  [DEATH]: JSON.stringify({ query: cycle(4) }),
  "1,000 aliases of datasets(first: 1000)": JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: datasets(first: 1000) { id }`).join(" ")} }` }),
  "10 MB body": TEN_MB_BODY,
  "skip: 3000000000": JSON.stringify({ query: "{ datasets(skip: 3000000000) { id } }" }),
  "fragment bomb (2^15 fields)": JSON.stringify({ query: `{ modelVersions(first: 1000) { ...F0 } } ${fragments.join(" ")}` }),
};
const META = JSON.stringify({ query: "{ _meta { block { number } } }" });
const only = process.env.BENCH_ONLY?.split(",");
for (const label of Object.keys(attacks)) if (only && !only.some((word) => label.includes(word))) delete attacks[label];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/** Sequential `_meta` queries until `until()` says stop (or `count` were sent); their latencies, all checked. */
async function metaStream(until: () => boolean, count = Infinity): Promise<number[]> {
  const times: number[] = [];
  while (!until() && times.length < count) {
    const answer = await post(META);
    if (answer.status !== 200 || !answer.body.includes('"number"')) throw new Error(`_meta failed: ${answer.status} ${answer.body.slice(0, 200)}`);
    times.push(answer.ms);
  }
  return times;
}

// RSS: sampled every 5 ms and after every answer.
let peak = 0;
const sample = () => (peak = Math.max(peak, rss()));
const sampler = setInterval(sample, 5);

collect();
const idle = rss();
const idleHeap = heap();
peak = idle;
const baseline = sorted(await metaStream(() => false, BASELINE_QUERIES));
const idleAfterBaseline = rss();

let attacking = true;
const results = new Map<string, { ms: number[]; status: number; answer: string }>();
const during = metaStream(() => !attacking);
const attackStarted = performance.now();
for (let round = 0; round < ATTACK_ROUNDS; round++) {
  await Promise.all(
    Object.entries(attacks).map(async ([label, body]) => {
      const answer = await post(body);
      sample();
      const entry = results.get(label) ?? { ms: [], status: answer.status, answer: answer.body.slice(0, 160) };
      entry.ms.push(answer.ms);
      results.set(label, entry);
    }),
  );
}
const attackSeconds = (performance.now() - attackStarted) / 1000;
attacking = false;
const underAttack = sorted(await during);
clearInterval(sampler);
collect();
await new Promise((resolve) => setTimeout(resolve, 200));
collect();
const after = rss();
const afterHeap = heap();

console.log(`Attacks (${ATTACK_ROUNDS} rounds, each round all ${Object.keys(attacks).length} at once, alongside a stream of _meta queries; ${attackSeconds.toFixed(1)} s)`);
console.log(`  ${"attack".padEnd(64)} ${"max ms".padStart(8)} ${"p50 ms".padStart(8)}  status  answer`);
for (const [label, { ms, status, answer }] of results) {
  const times = sorted(ms);
  console.log(`  ${label.padEnd(64)} ${times[times.length - 1]!.toFixed(0).padStart(8)} ${percentile(times, 50).toFixed(0).padStart(8)}  ${String(status).padEnd(6)}  ${answer}`);
}

console.log(`\n_meta latency (sequential stream)          ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"queries".padStart(8)}`);
console.log(`  baseline, no attack                      ${percentile(baseline, 50).toFixed(2).padStart(8)} ${percentile(baseline, 95).toFixed(2).padStart(8)} ${String(baseline.length).padStart(8)}`);
console.log(`  during the attacks                       ${percentile(underAttack, 50).toFixed(2).padStart(8)} ${percentile(underAttack, 95).toFixed(2).padStart(8)} ${String(underAttack.length).padStart(8)}`);
console.log(
  `  ratio (during / baseline)                ${(percentile(underAttack, 50) / percentile(baseline, 50)).toFixed(1).padStart(7)}× ${(percentile(underAttack, 95) / percentile(baseline, 95)).toFixed(1).padStart(7)}×`,
);

const growth = (peak - idle) / MB;
console.log(`\nMemory (RSS of this process: indexer, store, server)`);
console.log(`  idle before: ${(idle / MB).toFixed(0)} MB; after the baseline: ${(idleAfterBaseline / MB).toFixed(0)} MB; peak during the attacks: ${(peak / MB).toFixed(0)} MB (+${growth.toFixed(0)} MB); after: ${(after / MB).toFixed(0)} MB`);
console.log(`  JS heap in use after garbage collection: before ${(idleHeap / MB).toFixed(0)} MB, after ${(afterHeap / MB).toFixed(0)} MB (RSS keeps pages freed since)`);

const death = results.get(DEATH);
console.log("\nTargets");
if (death) {
  const deathMs = Math.max(...death.ms);
  const limited = death.answer.includes("larger than the allowed limit");
  console.log(`  ${deathMs < TARGET_ATTACK_MS && limited ? "PASS" : "FAIL"}  the query of death answers with a limit error in ${deathMs.toFixed(0)} ms at worst; target < ${TARGET_ATTACK_MS} ms`);
}
console.log(`  ${underAttack.length > 0 ? "PASS" : "FAIL"}  _meta kept answering during the attacks (${underAttack.length} answers, p95 ${percentile(underAttack, 95).toFixed(1)} ms)`);
console.log(`  ${growth < TARGET_RSS_GROWTH_MB ? "PASS" : "FAIL"}  memory peak ${growth.toFixed(0)} MB above idle; target < ${TARGET_RSS_GROWTH_MB} MB`);

await indexer.stop();
stopChain();
process.exit(0);
