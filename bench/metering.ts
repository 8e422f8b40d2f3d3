/**
 * Cost of gas metering (src/indexer/runtime/wasm-gas.ts) in the worst case: code that does almost nothing but loop or
 * call, so that the injected charge is a large share of every iteration. The same module runs with and without
 * metering in this process, alternately; the figure is the best of several rounds. The host side is the runtime's own
 * GasMeter with graph-node's default limit.
 *
 *   npm run bench:metering
 *
 * Real handlers spend their time in host functions (store, ABI decoding, BigInt), so their cost is far lower:
 * `npm run bench:indexer` shows it on the project's subgraph.
 */
import os from "node:os";
import { GAS_GLOBAL_EXPORT, GAS_IMPORT, instrumentGas } from "../src/indexer/runtime/wasm-gas.ts";
import { DEFAULT_MAX_GAS_PER_HANDLER } from "../src/indexer/runtime/gas-costs.ts";
import { GAS_ALLOWANCE, GasMeter } from "../src/indexer/runtime/host/gas.ts";
import { ByteWriter, name, u32 } from "../src/indexer/runtime/wasm-binary.ts";
import { Wasm } from "../src/indexer/runtime/wasm.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const LOOP_ITERATIONS = 300_000_000;
const FIB_N = 32;

const vec = (items: number[][]) => [...u32(items.length), ...items.flat()];
const body = (locals: number[][], code: number[]) => {
  const fn = [...vec(locals), ...code, 0x0b];
  return [...u32(fn.length), ...fn];
};

/** fib(n) (0: naive recursion, two calls per call) and spin(n) (1: a loop of n iterations), both `(i32) -> i32`. */
function workloadModule(): Uint8Array {
  const fib = [0x20, 0, 0x41, 2, 0x48, 0x04, 0x7f, 0x20, 0, 0x05, 0x20, 0, 0x41, 1, 0x6b, 0x10, 0, 0x20, 0, 0x41, 2, 0x6b, 0x10, 0, 0x6a, 0x0b];
  const spin = [0x03, 0x40, 0x20, 1, 0x41, 1, 0x6a, 0x21, 1, 0x20, 1, 0x20, 0, 0x48, 0x0d, 0, 0x0b, 0x20, 1];
  return new ByteWriter()
    .bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    .section(1, vec([[0x60, 0x01, 0x7f, 0x01, 0x7f]]))
    .section(3, vec([[0], [0]]))
    .section(7, vec([[...name("fib"), 0x00, 0], [...name("spin"), 0x00, 1]]))
    .section(10, vec([body([], fib), body([[1, 0x7f]], spin)]))
    .finish();
}

type Workload = { fib(n: number): number; spin(n: number): number };

function instantiate(bytes: Uint8Array): Workload {
  const meter = new GasMeter();
  meter.reset(Number.MAX_SAFE_INTEGER); // far more than the workload uses: every refill is paid, none fails
  const deadline = performance.now() + 3_600_000; // what the host function does: account, compare the clock, refill
  const gas = (left: bigint) => {
    const next = meter.refill(Number(left));
    if (performance.now() >= deadline) throw new Error("timeout");
    return BigInt(next);
  };
  const instance = new Wasm.Instance(new Wasm.Module(bytes), { [GAS_IMPORT.module]: { [GAS_IMPORT.name]: gas } });
  meter.attach(instance.exports[GAS_GLOBAL_EXPORT]);
  return instance.exports as unknown as Workload;
}

function time(run: () => number): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const original = workloadModule();
const variants = { "without metering": instantiate(original), "with gas metering": instantiate(instrumentGas(original)) };
const best: Record<string, { fib: number; spin: number }> = {};
for (const label of Object.keys(variants)) best[label] = { fib: Infinity, spin: Infinity };
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, workload] of Object.entries(variants)) {
    best[label]!.fib = Math.min(best[label]!.fib, time(() => workload.fib(FIB_N)));
    best[label]!.spin = Math.min(best[label]!.spin, time(() => workload.spin(LOOP_ITERATIONS)));
  }
}

console.log("Gas metering: worst-case cost\n");
console.log("Setup");
console.log(`  machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}`);
console.log(`  workload: fib(${FIB_N}) (${(2 * 1.618 ** FIB_N / 2.236).toExponential(1)} calls) and a loop of ${LOOP_ITERATIONS.toExponential(0)} iterations, each a few instructions`);
console.log(`  metering: graph-node's instruction costs charged per metered block from an i64 counter, a host call every ${GAS_ALLOWANCE.toExponential(0)} gas (limit ${DEFAULT_MAX_GAS_PER_HANDLER.toExponential(0)})`);
console.log(`  best of ${ROUNDS} rounds, the two variants alternating\n`);
const row = (label: string, fib: string, spin: string) => console.log(`  ${label.padEnd(28)} ${fib.padStart(14)} ${spin.padStart(14)}`);
row("", "fib ms", "loop ms");
for (const [label, figures] of Object.entries(best)) row(label, figures.fib.toFixed(1), figures.spin.toFixed(1));
const base = best["without metering"]!;
const checked = best["with gas metering"]!;
row("ratio to baseline (without)", `${(checked.fib / base.fib).toFixed(2)}×`, `${(checked.spin / base.spin).toFixed(2)}×`);
