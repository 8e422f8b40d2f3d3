/**
 * The global reset wasm-reset.ts adds, with which module.ts restores an instance between triggers: it must set every
 * mutable global back to its initial value, and be refused to modules whose state it cannot restore.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ByteWriter, name, u32 } from "../../../src/indexer/runtime/wasm-binary.ts";
import { RESET_GLOBALS_EXPORT, addGlobalReset } from "../../../src/indexer/runtime/wasm-reset.ts";
import { Wasm as W } from "../../../src/indexer/runtime/wasm.ts";
import { projectManifest } from "./helpers.ts";

const vec = (items: number[][]) => [...u32(items.length), ...items.flat()];
const body = (code: number[]) => {
  const fn = [0, ...code, 0x0b];
  return [...u32(fn.length), ...fn];
};
const f64 = (x: number) => [...new Uint8Array(new Float64Array([x]).buffer)];

/** Globals: mutable i32 5, immutable i32 9, mutable i64 -3, mutable f64 1.5; all exported (g0…g3). */
const GLOBALS = vec([
  [0x7f, 0x01, 0x41, 5, 0x0b],
  [0x7f, 0x00, 0x41, 9, 0x0b],
  [0x7e, 0x01, 0x42, 0x7d, 0x0b],
  [0x7c, 0x01, 0x44, ...f64(1.5), 0x0b],
]);
/** `bump()`: g0 = 100, g2 = 200, g3 = 0.25. */
const BUMP = [0x41, 0xe4, 0x00, 0x24, 0, 0x42, 0xc8, 0x01, 0x24, 2, 0x44, ...f64(0.25), 0x24, 3];

const SECTION_ORDER = [1, 3, 4, 5, 6, 7, 8, 12, 10, 11];

/** A module of a `() -> ()` function `bump` with `code`, one page of memory and the globals above; `extra` sections added or replaced. */
function moduleWith(code: number[], extra: [number, number[]][] = []): Uint8Array {
  const sections = new Map<number, number[]>([
    [1, vec([[0x60, 0x00, 0x00]])],
    [3, vec([[0]])],
    [5, vec([[0x00, 1]])],
    [6, GLOBALS],
    [7, vec([[...name("bump"), 0x00, 0], ...[0, 1, 2, 3].map((g) => [...name(`g${g}`), 0x03, g])])],
    [10, vec([body(code)])],
    ...extra,
  ]);
  const out = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const id of SECTION_ORDER) if (sections.has(id)) out.section(id, sections.get(id)!);
  return out.finish();
}

type Globals = { value: number | bigint };

describe("addGlobalReset", () => {
  it("adds an export that sets every mutable global back to its initial value", () => {
    const bytes = addGlobalReset(moduleWith(BUMP))!;
    const exports = new W.Instance(new W.Module(bytes), {}).exports as Record<string, unknown>;
    const values = () => [0, 1, 2, 3].map((g) => (exports[`g${g}`] as Globals).value);
    expect(values()).toEqual([5, 9, -3n, 1.5]);
    (exports.bump as () => void)();
    expect(values()).toEqual([100, 9, 200n, 0.25]);
    (exports[RESET_GLOBALS_EXPORT] as () => void)();
    expect(values()).toEqual([5, 9, -3n, 1.5]);
  });

  it("is added to the project's mappings", () => {
    const mapping = readFileSync(join(dirname(projectManifest()), "DatasetRegistry/DatasetRegistry.wasm"));
    const exports = W.Module.exports(new W.Module(addGlobalReset(mapping)!));
    expect(exports).toContainEqual({ name: RESET_GLOBALS_EXPORT, kind: "function" });
  });

  it.each([
    ["a start function", moduleWith([], [[8, [0]]])],
    ["data.drop", moduleWith([0xfc, 9, 0], [[11, vec([[0x01, 1, 0x2a]])], [12, [1]]])],
    ["table.set", moduleWith([0x41, 0, 0xd0, 0x70, 0x26, 0], [[4, vec([[0x70, 0x00, 1]])]])],
    ["table.grow", moduleWith([0xd0, 0x70, 0x41, 1, 0xfc, 15, 0, 0x1a], [[4, vec([[0x70, 0x00, 1]])]])],
    ["a second memory", moduleWith([], [[5, vec([[0x00, 1], [0x00, 1]])]])],
  ])("is not added to a module with %s (its state would survive the restore)", (_, bytes) => {
    expect(addGlobalReset(bytes)).toBeNull();
  });

  it("is not added to an apiVersion 0.0.4 mapping, which has a start function", () => {
    const legacy = readFileSync(join(import.meta.dirname, "fixtures/api004/legacy/Api004/Api004.wasm"));
    expect(addGlobalReset(legacy)).toBeNull();
  });
});
