/**
 * Hashing benchmark: artifact fingerprinting against `openssl dgst -sha256` on the same data in the same run, and the
 * Merkle trees of decision records against @openzeppelin/merkle-tree. Why the trees hash with a generated WebAssembly
 * keccak rather than a library's: `npm run bench:keccak` (bench/keccak.ts).
 *
 *   npm run bench:hash      (= node bench/hash.ts)
 *
 * Environment (sizes in bytes; the data is generated once into PEDIGREE_BENCH_CACHE and reused while it matches):
 *   PEDIGREE_BENCH_CACHE       default <os.tmpdir()>/pedigree-bench-hash
 *   PEDIGREE_BENCH_DIR_BYTES   total size of the directory, default 2 GiB
 *   PEDIGREE_BENCH_DIR_FILES   files in it, default 300 (8 large ones hold half the bytes, the rest is spread thin)
 *   PEDIGREE_BENCH_FILE_BYTES  the single large file, default 2 GiB
 *   PEDIGREE_BENCH_RECORDS     decision records for the build-time target, default 1 000 000
 *   PEDIGREE_BENCH_OZ_RECORDS  records for the comparison with StandardMerkleTree.of, default 100 000
 *   PEDIGREE_BENCH_RUNS        timed runs per measurement (the best is reported for throughput), default 2
 *
 * Throughput is measured with the data in the page cache (it was just written or read), so it is the hashing and
 * read(2) speed, not the disk's. A benchmark reports; it does not enforce: a missed target prints FAIL, exit code 0.
 */
import { execFile } from "node:child_process";
import { createCipheriv, randomBytes } from "node:crypto";
import { mkdir, readFile, rm, stat, writeFile, open } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { fingerprint } from "../src/core/fingerprint.ts";
import { DecisionTree } from "../src/core/merkle.ts";

const run = promisify(execFile);
const GiB = 2 ** 30;
const MiB = 2 ** 20;

const env = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name}=${value} is not a non-negative integer`);
  return n;
};

const CACHE = process.env.PEDIGREE_BENCH_CACHE || join(tmpdir(), "pedigree-bench-hash");
const DIR_BYTES = env("PEDIGREE_BENCH_DIR_BYTES", 2 * GiB);
const DIR_FILES = Math.max(10, env("PEDIGREE_BENCH_DIR_FILES", 300));
const FILE_BYTES = env("PEDIGREE_BENCH_FILE_BYTES", 2 * GiB);
const RECORDS = env("PEDIGREE_BENCH_RECORDS", 1_000_000);
const OZ_RECORDS = env("PEDIGREE_BENCH_OZ_RECORDS", 100_000);
const RUNS = Math.max(1, env("PEDIGREE_BENCH_RUNS", 2));

const targets: Array<{ name: string; pass: boolean; detail: string }> = [];
const target = (name: string, pass: boolean, detail: string): void => {
  targets.push({ name, pass, detail });
};
const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`  ${label.padEnd(46)} ${value}`);

// ------------------------------------------------------------------ data

/** Fast incompressible bytes: AES-128-CTR keystream (the content does not matter to SHA-256, only its size). */
function keystream(seed: number): (size: number) => Buffer {
  const cipher = createCipheriv("aes-128-ctr", Buffer.alloc(16, seed), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(4 * MiB);
  return (size) => (size <= zeros.length ? cipher.update(zeros.subarray(0, size)) : cipher.update(Buffer.alloc(size)));
}

async function writeRandomFile(path: string, size: number, seed: number): Promise<void> {
  const next = keystream(seed);
  const handle = await open(path, "w");
  try {
    for (let done = 0; done < size; ) {
      const chunk = Math.min(4 * MiB, size - done);
      await handle.write(next(chunk));
      done += chunk;
    }
  } finally {
    await handle.close();
  }
}

/** The directory's files: 8 large ones hold half the bytes, the others share the rest with sizes varying ~100×. */
function directoryLayout(total: number, count: number): Array<{ name: string; size: number }> {
  const large = Math.min(8, Math.floor(count / 2));
  const files: Array<{ name: string; size: number }> = [];
  for (let i = 0; i < large; i++) files.push({ name: `large/weights-${String(i).padStart(2, "0")}.bin`, size: Math.floor(total / 2 / large) });
  const weights = Array.from({ length: count - large }, (_, i) => 1 + ((i * 7919) % 97));
  const sum = weights.reduce((a, b) => a + b, 0);
  weights.forEach((w, i) => {
    files.push({ name: `parts/${i % 10}/part-${String(i).padStart(5, "0")}.bin`, size: Math.floor((total / 2) * (w / sum)) });
  });
  return files;
}

async function ensureData(): Promise<{ dir: string; dirFiles: string[]; dirBytes: number; file: string; generated: boolean }> {
  const dir = join(CACHE, "dataset");
  const file = join(CACHE, "weights.bin");
  const marker = join(CACHE, "layout.json");
  const files = directoryLayout(DIR_BYTES, DIR_FILES);
  const sizes = files.map((f) => f.size);
  const names = files.map((f) => f.name);
  const layout = JSON.stringify({ version: 1, sizes, names, file: FILE_BYTES });
  const existing = await readFile(marker, "utf8").catch(() => "");
  let generated = false;
  if (existing !== layout) {
    generated = true;
    console.log(`generating benchmark data in ${CACHE} (once; reused while the sizes stay the same) …`);
    await rm(CACHE, { recursive: true, force: true });
    for (let i = 0; i < sizes.length; i++) {
      const path = join(dir, names[i]!);
      await mkdir(join(path, ".."), { recursive: true });
      await writeRandomFile(path, sizes[i]!, i + 1);
    }
    if (FILE_BYTES > 0) await writeRandomFile(file, FILE_BYTES, 255);
    await writeFile(marker, layout);
  }
  return { dir, dirFiles: names.map((n) => join(dir, n)), dirBytes: sizes.reduce((a, b) => a + b, 0), file, generated };
}

// ------------------------------------------------------------------ measurements

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function best<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T; all: number[] }> {
  let winner: { ms: number; value: T } | undefined;
  const all: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(fn);
    all.push(r.ms);
    if (!winner || r.ms < winner.ms) winner = r;
  }
  return { ...winner!, all };
}

/** `openssl dgst -sha256 -r` over files in one process: digests by path. */
async function openssl(files: string[]): Promise<Map<string, string>> {
  const { stdout } = await run("openssl", ["dgst", "-sha256", "-r", ...files], { maxBuffer: 64 * MiB });
  const out = new Map<string, string>();
  for (const row of stdout.trim().split("\n")) {
    const [digest, path] = [row.slice(0, 64), row.slice(66)];
    out.set(path, `0x${digest}`);
  }
  return out;
}

/** Splits files into `parts` groups of about equal bytes (largest first onto the lightest group). */
function split(files: string[], sizes: number[], parts: number): string[][] {
  const groups = Array.from({ length: parts }, () => ({ bytes: 0, files: [] as string[] }));
  const order = files.map((f, i) => ({ f, s: sizes[i]! })).sort((a, b) => b.s - a.s);
  for (const { f, s } of order) {
    const g = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    g.files.push(f);
    g.bytes += s;
  }
  return groups.map((g) => g.files).filter((g) => g.length > 0);
}

async function benchFingerprint(cores: number): Promise<void> {
  const data = await ensureData();
  const sizes = await Promise.all(data.dirFiles.map(async (f) => (await stat(f)).size));

  console.log(`\n(a) fingerprint throughput (page cache warm; best of ${RUNS})`);
  const large = sizes.filter((s) => s === sizes[0]).length;
  const small = sizes.slice(large);
  console.log(`  directory: ${data.dirFiles.length} files, ${fmt(data.dirBytes / MiB)} MiB (${large} files of ${fmt(sizes[0]! / MiB, 1)} MiB + ${small.length} of ${fmt(Math.min(...small) / MiB, 2)}–${fmt(Math.max(...small) / MiB, 2)} MiB)`);
  if (!data.generated) await openssl(data.dirFiles); // bring it back into the page cache
  const sslSeq = await best(() => openssl(data.dirFiles));
  const halves = split(data.dirFiles, sizes, cores);
  const sslPar = await best(() => Promise.all(halves.map((g) => openssl(g))));
  const ours = await best(() => fingerprint(data.dir));
  const fp = ours.value;
  const used = fp.stats.threads.length;
  const digestsMatch = fp.manifest.entries.every((e) => sslSeq.value.get(join(data.dir, e.path)) === e.digest);
  const oursRate = mbps(data.dirBytes, ours.ms);
  const sslRate = mbps(data.dirBytes, sslSeq.ms);
  line("openssl dgst -sha256, 1 process (single core)", `${fmt(sslRate)} MB/s  (${fmt(sslSeq.ms)} ms)`);
  line(`openssl dgst -sha256, ${halves.length} processes in parallel`, `${fmt(mbps(data.dirBytes, sslPar.ms))} MB/s  (${fmt(sslPar.ms)} ms)`);
  line(`fingerprint(), ${used} worker threads`, `${fmt(oursRate)} MB/s  (${fmt(ours.ms)} ms; runs ${ours.all.map((m) => fmt(m)).join(", ")} ms)`);
  line("  per worker thread", `${fmt(oursRate / used)} MB/s = ${fmt(oursRate / used / sslRate, 2)}× single-core openssl`);
  line("  vs sequential openssl", `${fmt(oursRate / sslRate, 2)}×`);
  line("  per-file digests equal openssl's", digestsMatch ? "yes" : "NO");
  target("directory: per-core ≥ 0.9× single-core openssl", oursRate / used >= 0.9 * sslRate, `${fmt(oursRate / used / sslRate, 2)}×`);
  target(`directory: faster than sequential openssl on ${cores} cores`, oursRate > sslRate, `${fmt(oursRate / sslRate, 2)}×`);
  target("directory: digests equal openssl's", digestsMatch, digestsMatch ? "all files" : "mismatch");

  if (FILE_BYTES > 0) {
    console.log(`  single file: ${fmt(FILE_BYTES / MiB)} MiB, default 1 GiB shards → ${Math.ceil(FILE_BYTES / GiB)} shard(s)`);
    if (!data.generated) await openssl([data.file]);
    const sslFile = await best(() => openssl([data.file]));
    const oursFile = await best(() => fingerprint(data.file));
    const usedFile = oursFile.value.stats.threads.length;
    const fileRate = mbps(FILE_BYTES, oursFile.ms);
    const sslFileRate = mbps(FILE_BYTES, sslFile.ms);
    line("openssl dgst -sha256 (single core)", `${fmt(sslFileRate)} MB/s  (${fmt(sslFile.ms)} ms)`);
    line(`fingerprint(), ${usedFile} worker threads`, `${fmt(fileRate)} MB/s  (${fmt(oursFile.ms)} ms; runs ${oursFile.all.map((m) => fmt(m)).join(", ")} ms)`);
    line("  per worker thread", `${fmt(fileRate / usedFile)} MB/s = ${fmt(fileRate / usedFile / sslFileRate, 2)}× single-core openssl`);
    line("  vs openssl", `${fmt(fileRate / sslFileRate, 2)}×`);
    target("single file: per-core ≥ 0.9× single-core openssl", fileRate / usedFile >= 0.9 * sslFileRate, `${fmt(fileRate / usedFile / sslFileRate, 2)}×`);
    target(`single file: faster than openssl on ${cores} cores`, fileRate > sslFileRate, `${fmt(fileRate / sslFileRate, 2)}×`);
  }
}

function randomRecords(n: number): string[] {
  const bytes = randomBytes(32 * n);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = `0x${bytes.toString("hex", 32 * i, 32 * i + 32)}`;
  return out;
}

async function benchDecisions(): Promise<void> {
  if (RECORDS > 0) {
    console.log(`\n(b) DecisionTree.build of ${fmt(RECORDS)} decision records (0x hex strings in, cold first run, then ${RUNS} more)`);
    const records = randomRecords(RECORDS);
    const runs: number[] = [];
    let root = "";
    for (let i = 0; i < RUNS + 1; i++) {
      const r = await timed(() => DecisionTree.build(records));
      runs.push(r.ms);
      root = r.value.root;
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    line("build times", `${runs.map((m) => `${fmt(m)} ms`).join(", ")}  (median ${fmt(median)} ms)`);
    line("root", root);
    const packed = Buffer.from(records.map((r) => r.slice(2)).join(""), "hex");
    const fromBytes = await timed(() => DecisionTree.fromRecordBytes(packed));
    line("from packed bytes (no hex parsing)", `${fmt(fromBytes.ms)} ms`);
    const proof = await timed(() => {
      const tree = fromBytes.value;
      for (let i = 0; i < 1000; i++) tree.proof(records[(i * 7919) % RECORDS]!);
    });
    line("1 000 proofs by record hash", `${fmt(proof.ms)} ms`);
    target(`${fmt(RECORDS)} records built in ≤ 3 s (median)`, median <= 3000, `${fmt(median)} ms`);
  }

  if (OZ_RECORDS > 0) {
    console.log(`\n(c) ${fmt(OZ_RECORDS)} records: DecisionTree.build vs StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"])`);
    const records = randomRecords(OZ_RECORDS);
    const ours = await best(() => DecisionTree.build(records));
    const oz = await timed(() => StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"]));
    const ratio = oz.ms / ours.ms;
    line("@openzeppelin/merkle-tree", `${fmt(oz.ms)} ms`);
    line("DecisionTree.build", `${fmt(ours.ms)} ms`);
    line("ratio", `${fmt(ratio, 1)}×`);
    const sample = Array.from({ length: 200 }, (_, i) => (i * 104_729) % OZ_RECORDS);
    const rootsEqual = ours.value.root === oz.value.root;
    const proofsEqual = sample.every((i) => JSON.stringify(ours.value.proofAt(i)) === JSON.stringify(oz.value.getProof(i)));
    const byValue = sample.slice(0, 50).every((i) => JSON.stringify(ours.value.proof(records[i]!)) === JSON.stringify(oz.value.getProof([records[i]!])));
    line("roots identical", `${rootsEqual ? "yes" : "NO"}  ${ours.value.root}`);
    line(`proofs identical (${sample.length} by index, 50 by value)`, proofsEqual && byValue ? "yes" : "NO");
    target(`${fmt(OZ_RECORDS)} records ≥ 10× faster than StandardMerkleTree.of`, ratio >= 10, `${fmt(ratio, 1)}×`);
    target("roots and sampled proofs identical to StandardMerkleTree", rootsEqual && proofsEqual && byValue, rootsEqual && proofsEqual && byValue ? "identical" : "DIFFERENT");
  }
}

// ------------------------------------------------------------------ main

const cores = availableParallelism();
const opensslVersion = (await run("openssl", ["version"])).stdout.trim();
console.log("Pedigree hashing benchmark");
line("machine", `${cores} cores available (${cpus()[0]?.model ?? "unknown CPU"}), ${fmt(totalmem() / GiB, 1)} GiB RAM`);
line("node / openssl", `${process.version} (OpenSSL ${process.versions.openssl}) / ${opensslVersion}`);
line("data cache", CACHE);
line("directory / single file", `${fmt(DIR_BYTES / MiB)} MiB in ${DIR_FILES} files / ${fmt(FILE_BYTES / MiB)} MiB`);
line("decision records", `${fmt(RECORDS)} (build target), ${fmt(OZ_RECORDS)} (vs OpenZeppelin)`);

if (DIR_BYTES > 0) await benchFingerprint(cores);
await benchDecisions();

console.log("\nTargets");
for (const t of targets) console.log(`  ${t.pass ? "PASS" : "FAIL"}  ${t.name.padEnd(58)} ${t.detail}`);
process.exitCode = 0;
