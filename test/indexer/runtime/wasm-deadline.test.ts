/**
 * The deadline rewrite (wasm-deadline.ts) on real binaries: a hand-assembled module exercising every place a
 * function index lives (calls, a table filled by both kinds of element segment, exports, the start function, the
 * name section) computes exactly what it computed before; the injected checks run in loops and can stop them; the
 * project's own mapping behaves the same; and a module with instructions the rewrite cannot read is refused.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECK_INTERVAL, DEADLINE_IMPORT, instrumentDeadline } from "../../../src/indexer/runtime/wasm-deadline.ts";
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

function instantiate(bytes: Uint8Array, deadline: () => number = () => CHECK_INTERVAL): Sample {
  const imports = { env: { seven: () => 7 }, [DEADLINE_IMPORT.module]: { [DEADLINE_IMPORT.name]: deadline } };
  return new W.Instance(new W.Module(bytes), imports).exports as unknown as Sample;
}

describe("instrumentDeadline", () => {
  const original = sampleModule();
  const instrumented = instrumentDeadline(original);

  it("adds the deadline import and leaves what the module computes unchanged", () => {
    expect(W.Module.imports(new W.Module(instrumented))).toEqual([
      { module: "env", name: "seven", kind: "function" },
      { module: DEADLINE_IMPORT.module, name: DEADLINE_IMPORT.name, kind: "function" },
    ]);
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

  it("checks the deadline every CHECK_INTERVAL loop iterations and function entries", () => {
    let checks = 0;
    const sample = instantiate(instrumented, () => (checks++, CHECK_INTERVAL));
    expect(sample.count(10 * CHECK_INTERVAL)).toBe(10 * CHECK_INTERVAL + 7);
    // 7 steps at instantiation (the start function's entry, count(5)'s entry and 5 iterations), then count's entry
    // and 10 × CHECK_INTERVAL iterations: the budget runs out ten times.
    expect(checks).toBe(10);
  });

  it("lets the host stop a loop that would run for seconds", () => {
    let checks = 0;
    const sample = instantiate(instrumented, () => {
      if (++checks === 3) throw new Error("time is up");
      return CHECK_INTERVAL;
    });
    expect(() => sample.count(2 ** 31 - 1)).toThrow("time is up");
    expect(checks).toBe(3);
  });

  it("refuses a module it cannot fully read, instead of running it without checks", () => {
    // A function using exception handling (`try`, 0x06).
    const withTry = new ByteWriter()
      .bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
      .section(1, vec([[0x60, 0x00, 0x00]]))
      .section(3, vec([[0]]))
      .section(10, vec([body([], [0x06, 0x40, 0x0b])]))
      .finish();
    expect(() => instrumentDeadline(withTry)).toThrow(WasmFormatError);
    expect(() => instrumentDeadline(withTry)).toThrow("function body 0: unsupported instruction 0x6");
    expect(() => instrumentDeadline(new Uint8Array([1, 2, 3]))).toThrow("not a WebAssembly module");
  });

  it("leaves the project's mapping behaving the same: same memory image after _start, same class ids", () => {
    const bytes = readFileSync(join(dirname(projectManifest()), "DatasetRegistry/DatasetRegistry.wasm"));
    const run = (module: Uint8Array) => {
      const compiled = new W.Module(module);
      const imports: Record<string, Record<string, unknown>> = {};
      for (const entry of W.Module.imports(compiled)) {
        (imports[entry.module] ??= {})[entry.name] = entry.name === DEADLINE_IMPORT.name ? () => CHECK_INTERVAL : () => 0;
      }
      const exports = new W.Instance(compiled, imports).exports as { memory: { buffer: ArrayBuffer }; _start(): void; id_of_type(t: number): number };
      exports._start();
      return { memory: new Uint8Array(exports.memory.buffer), ids: [0, 1, 2, 50, 100].map((t) => exports.id_of_type(t)) };
    };
    const before = run(bytes);
    const after = run(instrumentDeadline(bytes));
    expect(Buffer.compare(before.memory, after.memory)).toBe(0);
    expect(after.ids).toEqual(before.ids);
  });
});
