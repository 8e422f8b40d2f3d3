/**
 * Keccak benchmark: why src/core/hashing/keccak/ exists. It measures keccak-256 of 32- and 64-byte inputs (the only
 * sizes a Merkle tree of decision records hashes: 2 per leaf, 1 per node) with the libraries — @noble/hashes (what
 * ethers and @openzeppelin/merkle-tree hash with) and ethers' keccak256 — and with the generated WebAssembly, then
 * what a 1 M-leaf tree costs in hashing alone with each, against the bar: 1 000 000 records built in ≤ 3 s.
 *
 *   npm run bench:keccak      (= node bench/keccak.ts)
 *
 * Environment: PEDIGREE_BENCH_KECCAK_HASHES, hashes per library measurement (default 200 000); PEDIGREE_BENCH_RECORDS,
 * the tree's records (default 1 000 000). A benchmark reports; it does not enforce: exit code 0.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism, cpus } from "node:os";
import { keccak_256 } from "@noble/hashes/sha3";
import { keccak256 } from "ethers";
import { DecisionTree } from "../src/core/merkle.ts";
import { DATA_START, KeccakWasm } from "../src/core/hashing/keccak/wasm.ts";

const HASHES = Number(process.env.PEDIGREE_BENCH_KECCAK_HASHES ?? 200_000);
const RECORDS = Number(process.env.PEDIGREE_BENCH_RECORDS ?? 1_000_000);
const BAR_MS = 3000;

/** Hashes per second of `hash` over `n` inputs of `size` bytes (after a warm-up, so V8 has optimised it). */
function rate(size: number, n: number, hash: (input: Uint8Array) => unknown): number {
  const data = randomBytes(size * n);
  for (let i = 0; i < Math.min(n, 10_000); i++) hash(data.subarray(size * i, size * i + size));
  const started = performance.now();
  for (let i = 0; i < n; i++) hash(data.subarray(size * i, size * i + size));
  return n / ((performance.now() - started) / 1000);
}

/** Hashes per second of the WebAssembly batch entry point on `n` 32-byte words. */
function wasmRate(n: number): number {
  const k = new KeccakWasm();
  k.reserve(32 * n);
  k.bytes().set(randomBytes(32 * n), DATA_START);
  k.hash32(DATA_START, DATA_START, Math.min(n, 10_000));
  const started = performance.now();
  k.hash32(DATA_START, DATA_START, n);
  return n / ((performance.now() - started) / 1000);
}

/** Milliseconds a tree of `records` leaves spends hashing at these rates: 2 short hashes per leaf, 1 long per node. */
function treeHashingMs(records: number, rate32: number, rate64: number): number {
  return ((2 * records) / rate32 + (records - 1) / rate64) * 1000;
}

const line = (label: string, value: string): void => console.log(`  ${label.padEnd(50)} ${value}`);
const perSecond = (value: number): string => `${(value / 1e6).toFixed(2)} M hashes/s`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

console.log("Pedigree keccak benchmark");
line("machine", `${availableParallelism()} cores available (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}`);
line("inputs", `${HASHES.toLocaleString("en-US")} per library measurement; tree of ${RECORDS.toLocaleString("en-US")} records`);

console.log("\nkeccak-256, one thread");
const noble32 = rate(32, HASHES, keccak_256);
const noble64 = rate(64, HASHES, keccak_256);
const ethers32 = rate(32, HASHES, keccak256);
const wasm32 = wasmRate(Math.max(HASHES, 1_000_000));
line("@noble/hashes keccak_256, 32 bytes (bytes out)", perSecond(noble32));
line("@noble/hashes keccak_256, 64 bytes", perSecond(noble64));
line("ethers keccak256, 32 bytes (hex out)", perSecond(ethers32));
line("WebAssembly hash32 batch, 32 bytes", `${perSecond(wasm32)}  (${(wasm32 / noble32).toFixed(1)}× @noble/hashes)`);

console.log(`\nA tree of ${RECORDS.toLocaleString("en-US")} decision records: bar ≤ ${seconds(BAR_MS)}`);
const nobleTreeMs = treeHashingMs(RECORDS, noble32, noble64);
line("@noble/hashes, hashing alone (one thread)", `${seconds(nobleTreeMs)}  (${nobleTreeMs <= BAR_MS ? "within" : "over"} the bar)`);
line("  the same on every core, if it split perfectly", seconds(nobleTreeMs / availableParallelism()));
const builds = [0, 1, 2].map(() => {
  const records = Array.from({ length: RECORDS }, () => `0x${randomBytes(32).toString("hex")}`);
  const started = performance.now();
  DecisionTree.build(records);
  return performance.now() - started;
});
const median = [...builds].sort((a, b) => a - b)[1]!;
line("DecisionTree.build (WebAssembly), whole build", `${builds.map(seconds).join(", ")}  (median ${seconds(median)})`);

console.log("\nTargets");
console.log(`  ${median <= BAR_MS ? "PASS" : "FAIL"}  ${RECORDS.toLocaleString("en-US")} records built in ≤ 3 s with the WebAssembly keccak: ${seconds(median)}`);
console.log(`  ${nobleTreeMs > BAR_MS ? "NOTE" : "WARN"}  a library keccak spends ${seconds(nobleTreeMs)} hashing alone${nobleTreeMs > BAR_MS ? ": the WebAssembly keccak is needed" : ": the WebAssembly keccak may no longer be needed"}`);
process.exitCode = 0;
