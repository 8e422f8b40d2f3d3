/**
 * The gas metering rewrite (wasm-gas.ts) on real binaries: a hand-assembled module exercising every place a
 * function index lives (calls, a table filled by both kinds of element segment, exports, the start function, the
 * name section) computes exactly what it computed before; each metered block is charged graph-node's costs
 * (gas_rules.rs, summed by hand below) where wasm-instrument would charge them; memory.grow pays per page; the host
 * can stop a loop; the project's own mapping behaves the same; a module the rewrite cannot read is refused.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { GAS_GLOBAL_EXPORT, GAS_IMPORT, instrumentGas } from "../../../src/indexer/runtime/wasm-gas.ts";
import { HOST_EXPORT_GAS, MEMORY_GROW_GAS_PER_PAGE } from "../../../src/indexer/runtime/gas-costs.ts";
import { ByteWriter, WasmFormatError, name, u32 } from "../../../src/indexer/runtime/wasm-binary.ts";
import { Wasm as W } from "../../../src/indexer/runtime/wasm.ts";
import { projectManifest } from "./helpers.ts";

const vec = (items: number[][]) => [...u32(items.length), ...items.flat()];
const body = (locals: number[][], code: number[]) => {
  const fn = [...vec(locals), ...code, 0x0b];
  return [...u32(fn.length), ...fn];
};

/**
 * Imports `env.seven` (function 0); defines count(n) (1: a loop to n, plus seven()), viaTable(n) (2: calls table[0]
 * with n), start (3: started = count(5)), started() (4), viaRef() (5: calls table[1] with 3), boom() (6: traps). The
 * table holds count twice: through an index segment and through a `ref.func` expression segment.
 */
function sampleModule(): Uint8Array {
  const types = vec([[0x60, 0x00, 0x01, 0x7f], [0x60, 0x01, 0x7f, 0x01, 0x7f], [0x60, 0x00, 0x00]]);
  const imports = vec([[...name("env"), ...name("seven"), 0x00, 0]]);
  const functions = vec([[1], [1], [2], [0], [0], [0]]);
  const table = vec([[0x70, 0x00, 2]]);
  const globals = vec([[0x7f, 0x01, 0x41, 0, 0x0b]]);
  const exports = vec([
    [...name("count"), 0x00, 1],
    [...name("viaTable"), 0x00, 2],
    [...name("started"), 0x00, 4],
    [...name("viaRef"), 0x00, 5],
    [...name("boom"), 0x00, 6],
  ]);
  const elements = vec([
    [0x00, 0x41, 0, 0x0b, ...vec([[1]])],
    [0x04, 0x41, 1, 0x0b, ...vec([[0xd2, 1, 0x0b]])],
  ]);
  const code = vec([
    // i = i + 1 while i < n; then i + seven()
    body([[1, 0x7f]], [0x03, 0x40, 0x20, 1, 0x41, 1, 0x6a, 0x21, 1, 0x20, 1, 0x20, 0, 0x48, 0x0d, 0, 0x0b, 0x20, 1, 0x10, 0, 0x6a]),
    body([], [0x20, 0, 0x41, 0, 0x11, 1, 0]),
    body([], [0x41, 5, 0x10, 1, 0x24, 0]),
    body([], [0x23, 0]),
    body([], [0x41, 3, 0x41, 1, 0x11, 1, 0]),
    body([], [0x00]),
  ]);
  const names = [...name("name"), 1, ...(() => {
    const map = vec([[1, ...name("count")], [6, ...name("boom")]]);
    return [...u32(map.length), ...map];
  })()];
  const out = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const [id, content] of [[1, types], [2, imports], [3, functions], [4, table], [6, globals], [7, exports], [8, [3]], [9, elements], [10, code], [0, names]] as const) {
    out.section(id, content);
  }
  return out.finish();
}

type Sample = { count(n: number): number; viaTable(n: number): number; started(): number; viaRef(): number; boom(): void };

/** The host's side of the counter, as tests see it: every refill, and the gas each block was charged when the allowance is 0. */
class Accountant {
  refills = 0;
  charges: number[] = [];
  private spent = 0;
  constructor(
    private readonly allowance: number,
    private readonly stopAt = Infinity,
  ) {}

  gas = (left: bigint): bigint => {
    this.refills++;
    this.spent += this.granted - Number(left);
    if (this.allowance === 0) this.charges.push(-Number(left));
    if (this.refills >= this.stopAt) throw new Error("out of gas");
    this.granted = this.allowance;
    return BigInt(this.allowance);
  };
  private granted = 0;

  /** All gas used, given the instance's counter. */
  used(exports: Record<string, unknown>): number {
    return this.spent + this.granted - Number((exports[GAS_GLOBAL_EXPORT] as { value: bigint }).value);
  }
}

function instantiate<T = Sample>(bytes: Uint8Array, accountant = new Accountant(1e9)): T & Record<string, unknown> {
  const imports = { env: { seven: () => 7 }, [GAS_IMPORT.module]: { [GAS_IMPORT.name]: accountant.gas } };
  return new W.Instance(new W.Module(bytes), imports).exports as unknown as T & Record<string, unknown>;
}

/** A module of one exported function `f` of type `params -> i32`, with an i32 global holding 5 and one page of memory. */
function oneFunction(params: number[], locals: number[][], code: number[]): Uint8Array {
  return new ByteWriter()
    .bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    .section(1, vec([[0x60, ...u32(params.length), ...params, 0x01, 0x7f]]))
    .section(3, vec([[0]]))
    .section(5, vec([[0x00, 1]]))
    .section(6, vec([[0x7f, 0x01, 0x41, 5, 0x0b]]))
    .section(7, vec([[...name("f"), 0x00, 0]]))
    .section(10, vec([body(locals, code)]))
    .finish();
}

// graph-node's costs (gas_rules.rs) of the instructions used below.
const G = { localGet: 18, localSet: 21, globalGet: 66, globalSet: 107, i32Const: 16, add: 25, ltS: 25, brIf: 63, loop: 100, block: 100, if: 79, drop: 100, call: 951, grow: 435_000 };
/** What one metered block is charged: its instructions, plus graph-node's per-`gas`-call HOST_EXPORT_GAS. */
const block = (cost: number) => cost + HOST_EXPORT_GAS;

describe("instrumentGas", () => {
  const original = sampleModule();
  const instrumented = instrumentGas(original);

  it("adds the gas import and the exported counter, and leaves what the module computes unchanged", () => {
    const module = new W.Module(instrumented);
    expect(W.Module.imports(module)).toEqual([
      { module: "env", name: "seven", kind: "function" },
      { module: GAS_IMPORT.module, name: GAS_IMPORT.name, kind: "function" },
    ]);
    expect(W.Module.exports(module)).toContainEqual({ name: GAS_GLOBAL_EXPORT, kind: "global" });
    for (const sample of [instantiate(original), instantiate(instrumented)]) {
      expect([sample.count(1000), sample.viaTable(10), sample.started(), sample.viaRef()]).toEqual([1007, 17, 12, 10]);
    }
  });

  it("keeps function names with their functions", () => {
    for (const bytes of [original, instrumented]) {
      let stack = "";
      try {
        instantiate(bytes).boom();
      } catch (error) {
        stack = (error as Error).stack ?? "";
      }
      expect(stack.split("\n")[1]).toMatch(/at boom \(wasm/);
    }
  });

  it("charges a loop's body on every iteration and the code around it once, as graph-node would", () => {
    const accountant = new Accountant(1e9);
    const sample = instantiate(instrumented, accountant);
    // count(n): `loop (local.get, i32.const, i32.add, local.set, local.get, local.get, i32.lt_s, br_if) end`, then
    // local.get, call seven, i32.add. The start function (i32.const 5, call count, global.set) ran count(5).
    const entry = block(G.loop + G.localGet + G.call + G.add);
    const iteration = block(G.localGet + G.i32Const + G.add + G.localSet + G.localGet + G.localGet + G.ltS + G.brIf);
    const start = block(G.i32Const + G.call + G.globalSet);
    expect(accountant.used(sample)).toBe(start + entry + 5 * iteration);
    sample.count(1000);
    expect(accountant.used(sample)).toBe(start + 2 * entry + 1005 * iteration);
    expect(accountant.refills).toBe(Math.ceil((start + 2 * entry + 1005 * iteration) / 1e9));
  });

  it("cuts blocks where wasm-instrument does: if/else arms apart, code after an `end` with the code before", () => {
    // f(c) = (c ? g + g : g) + g, the global g holding 5.
    const ifElse = instrumentGas(
      oneFunction([0x7f], [], [0x20, 0, 0x04, 0x7f, 0x23, 0, 0x23, 0, 0x6a, 0x05, 0x23, 0, 0x0b, 0x23, 0, 0x6a]),
    );
    const charges = (bytes: Uint8Array, arg: number) => {
      const accountant = new Accountant(0);
      const result = instantiate<{ f(c: number): number }>(bytes, accountant).f(arg);
      return { result, charges: accountant.charges };
    };
    const outer = block(G.localGet + G.if + G.globalGet + G.add);
    expect(charges(ifElse, 1)).toEqual({ result: 15, charges: [outer, block(2 * G.globalGet + G.add)] });
    expect(charges(ifElse, 0)).toEqual({ result: 10, charges: [outer, block(G.globalGet)] });
    // f(c) = { block: if c, leave it; g; drop } 0 — the code a taken br_if skips is a block of its own.
    const skipped = instrumentGas(oneFunction([0x7f], [], [0x02, 0x40, 0x20, 0, 0x0d, 0, 0x23, 0, 0x1a, 0x0b, 0x41, 0]));
    const first = block(G.block + G.localGet + G.brIf + G.i32Const);
    expect(charges(skipped, 1).charges).toEqual([first]);
    expect(charges(skipped, 0).charges).toEqual([first, block(G.globalGet + G.drop)]);
  });

  it("charges memory.grow per page asked for, through a function of its own", () => {
    const grow = instrumentGas(oneFunction([0x7f], [], [0x20, 0, 0x40, 0x00]));
    for (const pages of [0, 3]) {
      const accountant = new Accountant(0);
      const f = instantiate<{ f(n: number): number; memory?: unknown }>(grow, accountant);
      expect(f.f(pages)).toBe(1);
      expect(accountant.charges).toEqual([block(G.localGet + G.grow), pages * MEMORY_GROW_GAS_PER_PAGE + HOST_EXPORT_GAS]);
    }
  });

  it("lets the host stop a loop that would run for seconds", () => {
    const accountant = new Accountant(1_000_000, 3);
    const sample = instantiate(instrumented, accountant);
    expect(() => sample.count(2 ** 31 - 1)).toThrow("out of gas");
    expect(accountant.refills).toBe(3);
  });

  it("refuses a module it cannot fully read, instead of running it unmetered", () => {
    // A function using exception handling (`try`, 0x06).
    const withTry = new ByteWriter()
      .bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
      .section(1, vec([[0x60, 0x00, 0x00]]))
      .section(3, vec([[0]]))
      .section(10, vec([body([], [0x06, 0x40, 0x0b])]))
      .finish();
    expect(() => instrumentGas(withTry)).toThrow(WasmFormatError);
    expect(() => instrumentGas(withTry)).toThrow("function body 0: unsupported instruction 0x6");
    expect(() => instrumentGas(new Uint8Array([1, 2, 3]))).toThrow("not a WebAssembly module");
  });

  it("leaves the project's mapping behaving the same: same memory image after _start, same class ids", () => {
    const bytes = readFileSync(join(dirname(projectManifest()), "DatasetRegistry/DatasetRegistry.wasm"));
    const run = (module: Uint8Array) => {
      const compiled = new W.Module(module);
      const imports: Record<string, Record<string, unknown>> = {};
      for (const entry of W.Module.imports(compiled)) {
        (imports[entry.module] ??= {})[entry.name] = entry.name === GAS_IMPORT.name ? () => 10n ** 12n : () => 0;
      }
      const exports = new W.Instance(compiled, imports).exports as { memory: { buffer: ArrayBuffer }; _start(): void; id_of_type(t: number): number };
      exports._start();
      return { memory: new Uint8Array(exports.memory.buffer), ids: [0, 1, 2, 50, 100].map((t) => exports.id_of_type(t)) };
    };
    const before = run(bytes);
    const after = run(instrumentGas(bytes));
    expect(Buffer.compare(before.memory, after.memory)).toBe(0);
    expect(after.ids).toEqual(before.ids);
  });
});
