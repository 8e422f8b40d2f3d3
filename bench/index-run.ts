/**
 * One store's part of `bench:indexer`, in a process of its own so that the peak memory it reports is that of one
 * indexer: indexes the benchmark chain from scratch into the store it is given, then times the audit queries over
 * HTTP, and prints one JSON line (an {@link IndexRunResult}).
 *
 *   node --import tsx bench/index-run.ts '<IndexRunInput as JSON>'
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import pg from "pg";
import { indexLocally } from "../src/dev/local-indexer.ts";
import type { ContractLocation } from "../src/sdk/networks.ts";

export type BenchStore = "pglite-disk" | "postgres";

export interface IndexRunInput {
  url: string;
  locations: Record<string, ContractLocation>;
  lastBlock: number;
  store: BenchStore;
  /** For `postgres`: an empty database. */
  databaseUrl?: string;
  queries: Record<string, string>;
  queryRuns: number;
  /** Untimed runs of each query before any is timed. */
  warmUpRuns: number;
  /** For `pglite-disk`: keep the store in this directory (default: a temporary one, removed at the end). */
  keepDir?: string;
  /** Write a CPU profile of the indexing (start-up to the last block, not the queries) to this file. */
  profile?: string;
}

export interface IndexRunResult {
  startupMs: number;
  indexingMs: number;
  /** CPU time this process used while indexing (every thread: handlers, the PGlite worker, V8's collectors), ms. */
  indexingCpuMs: number;
  /** CPU seconds while indexing: the handlers' (main) thread, the busiest other thread, and all the rest; null without /proc. */
  threadCpu: { main: number; busiest: number; rest: number } | null;
  /** Share of the machine's CPU time (all cores) in use while indexing, by any process; null where /proc is missing. */
  machineBusy: number | null;
  /** Seconds the handlers' thread was ready to run but had no core while indexing (Linux schedstat); null elsewhere. */
  handlersWaitingForCore: number | null;
  triggers: number;
  /** Reads of the store by handlers (what the entity cache did not hold). */
  storeReads: number;
  /** Peak resident set size of the process, start-up, indexing and queries: the kernel's high-water mark, bytes. */
  peakRss: number;
  /** The same at the end of indexing (start-up to the last block). */
  peakRssIndexing: number;
  /** Highest V8 heap in use (JS objects: the entity cache, pending blocks, decoded logs), sampled every 20 ms, bytes. */
  peakHeap: number;
  /** Bytes the store takes: the PGlite directory, or the PostgreSQL database. */
  storeBytes: number;
  /** For `postgres`: how long the `vacuum (analyze)` before the queries took, ms (see {@link vacuum}); null for PGlite. */
  vacuumMs: number | null;
  /** Milliseconds per query, sorted, by label. */
  queryMs: Record<string, number[]>;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

/** Runs `work` on a connection of its own to the PostgreSQL database at `url`. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseBytes = (url: string): Promise<number> =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ size: string }>("select pg_database_size(current_database())::text as size");
    return Number(rows[0]!.size);
  });

/**
 * Runs `vacuum (analyze)` on the PostgreSQL database, the upkeep that follows a bulk load; returns how long it took, ms.
 * Otherwise the server's autovacuum does the same work throttled, for minutes, while the queries are timed:
 * in a 1M-event run its VACUUM ANALYZE of the attestation table lasted through all of 600 lineage queries, whose p95 per
 * 50 ran from 8.7 to 25.2 ms. PGlite has no autovacuum, so nothing competes with its queries.
 */
const vacuum = (url: string): Promise<number> =>
  withClient(url, async (client) => {
    const started = performance.now();
    await client.query("vacuum (analyze)");
    return performance.now() - started;
  });

/** A Linux /proc file's text; null where there is no /proc. */
function readProc(path: string): string | null {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return null;
  }
}

/** CPU time of each of this process's threads so far, seconds, by thread id (Linux /proc); null elsewhere. */
function threadTimes(): Map<string, number> | null {
  try {
    const times = new Map<string, number>();
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      times.set(tid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in clock ticks of 1/100 s
    }
    return times;
  } catch {
    return null;
  }
}

function threadCpuSince(before: Map<string, number> | null): IndexRunResult["threadCpu"] {
  const after = threadTimes();
  if (!before || !after) return null;
  const used = [...after].map(([tid, seconds]) => ({ tid, seconds: seconds - (before.get(tid) ?? 0) }));
  const main = used.find(({ tid }) => tid === String(process.pid))?.seconds ?? 0;
  const others = used.filter(({ tid }) => tid !== String(process.pid)).map(({ seconds }) => seconds).sort((a, b) => b - a);
  return { main, busiest: others[0] ?? 0, rest: others.slice(1).reduce((a, b) => a + b, 0) };
}

/**
 * Seconds this process's main thread (the handlers' thread) has spent so far ready to run but waiting for a core: the
 * second field of Linux's /proc schedstat (run-queue wait, in ns); null elsewhere.
 */
function waitingForCore(): number | null {
  const schedstat = readProc(`/proc/self/task/${process.pid}/schedstat`);
  return schedstat === null ? null : Number(schedstat.split(" ")[1]) / 1e9;
}

/** The machine's CPU time so far, all cores, in clock ticks (Linux /proc/stat): busy and in total; null elsewhere. */
function machineCpu(): { busy: number; total: number } | null {
  const stat = readProc("/proc/stat");
  if (stat === null) return null;
  const [user, nice, system, idle, iowait, ...rest] = stat.split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = user! + nice! + system! + rest.slice(0, 3).reduce((a, b) => a + b, 0); // + irq, softirq, steal
  return { busy, total: busy + idle! + iowait! };
}

/** Runs `query` and checks its answer; milliseconds it took. */
async function runQuery(url: string, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { errors?: { message: string }[] };
  const ms = performance.now() - started;
  if (body.errors) throw new Error(`query failed: ${body.errors[0]!.message}\n${query}`);
  return ms;
}

/** Milliseconds of each of `runs` runs of `query`, sorted. */
async function timeQuery(url: string, query: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await runQuery(url, query));
  return times.sort((a, b) => a - b);
}

/** A CPU profile of this thread, from now until stop(file) writes it (a .cpuprofile, as `node --cpu-prof` writes). */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/**
 * The process's peak resident set size so far, bytes, as the kernel keeps it: exact, where sampling can miss a short
 * peak, and free, where sampling RSS every 20 ms (process.memoryUsage.rss()) cost the handlers' thread 0.15 s of CPU per
 * 50 000-event run, ~0.3 ms a read, in its CPU profile. On Linux it is VmHWM (/proc/self/status), the high-water mark
 * of this program's memory. Not getrusage's ru_maxrss (process.resourceUsage().maxRSS): Linux counts in it the parent's
 * memory this process mapped between fork and exec, so it reported the benchmark's own RSS at the moment it
 * spawned this process whenever that was higher (365 MiB for a 1M PostgreSQL run whose VmHWM was 281). Elsewhere
 * ru_maxrss is all there is.
 */
function peakRssSoFar(): number {
  const kib = readProc("/proc/self/status")?.match(/^VmHWM:\s+(\d+) kB$/m)?.[1];
  return kib ? Number(kib) * 1024 : process.resourceUsage().maxRSS * 1024;
}

async function run(input: IndexRunInput): Promise<IndexRunResult> {
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  sample();
  const sampler = setInterval(sample, 20);
  const dataDir = input.store !== "pglite-disk" ? undefined : (input.keepDir ?? mkdtempSync(join(tmpdir(), "pedigree-bench-store-")));
  const profiler = input.profile ? await startProfiler() : null;
  try {
    const started = performance.now();
    // Query results are not cached, so every run measures the real path (store queries included).
    const indexer = await indexLocally({ url: input.url }, { locations: input.locations }, { pollIntervalMs: 500, cacheQueries: false, dataDir, databaseUrl: input.databaseUrl });
    const startupMs = performance.now() - started;
    const cpuBefore = process.cpuUsage();
    const machineBefore = machineCpu();
    const threadsBefore = threadTimes();
    const waitingBefore = waitingForCore();
    await indexer.waitForBlock(input.lastBlock, 3 * 3600_000);
    const indexingMs = performance.now() - started - startupMs;
    sample();
    const peakRssIndexing = peakRssSoFar();
    const { user, system } = process.cpuUsage(cpuBefore);
    const indexingCpuMs = (user + system) / 1000;
    const threadCpu = threadCpuSince(threadsBefore);
    const waitingAfter = waitingForCore();
    const handlersWaitingForCore = waitingBefore !== null && waitingAfter !== null ? waitingAfter - waitingBefore : null;
    const machineAfter = machineCpu();
    const machineBusy = machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total) : null;
    if (profiler) await profiler.stop(input.profile!);
    // The queries measure the finished store: after the statistics refresh that reaching the head began.
    await indexer.statisticsRefreshed();
    const vacuumMs = input.databaseUrl ? await vacuum(input.databaseUrl) : null;
    const queryMs: Record<string, number[]> = {};
    for (const query of Object.values(input.queries)) for (let i = 0; i < input.warmUpRuns; i++) await runQuery(indexer.url, query);
    for (const [label, query] of Object.entries(input.queries)) queryMs[label] = await timeQuery(indexer.url, query, input.queryRuns);
    const { triggersProcessed, storeReads } = indexer.stats();
    await indexer.stop();
    sample();
    const peakRss = peakRssSoFar();
    const storeBytes = dataDir ? directoryBytes(dataDir) : await databaseBytes(input.databaseUrl!);
    return { startupMs, indexingMs, indexingCpuMs, threadCpu, machineBusy, handlersWaitingForCore, triggers: triggersProcessed, storeReads, peakRss, peakRssIndexing, peakHeap, storeBytes, vacuumMs, queryMs };
  } finally {
    clearInterval(sampler);
    if (dataDir && !input.keepDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const result = await run(JSON.parse(process.argv[2]!) as IndexRunInput);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
