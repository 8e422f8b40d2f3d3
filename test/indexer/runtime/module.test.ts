/**
 * The load-time rewrite of mapping binaries (wasm-transform.ts): it must not change what a module computes, only
 * what instantiation costs.
 */
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareModuleBinary, MEMORY_IMPORT } from "../../../src/indexer/runtime/wasm-transform.ts";
import { TypeId } from "../../../src/indexer/runtime/type-ids.ts";
import { Wasm as W, type WasmMemory } from "../../../src/indexer/runtime/wasm.ts";
import { projectManifest } from "./helpers.ts";

type Exports = Record<string, unknown> & { memory: { buffer: ArrayBuffer }; _start(): void; id_of_type(t: number): number; __new(size: number, id: number): number };

let original: Uint8Array;
beforeAll(() => {
  original = readFileSync(join(dirname(projectManifest()), "DatasetRegistry/DatasetRegistry.wasm"));
});

function instantiate(bytes: Uint8Array, memory?: WasmMemory): Exports {
  const module = new W.Module(bytes);
  const imports: Record<string, Record<string, unknown>> = {};
  for (const i of W.Module.imports(module)) {
    (imports[i.module] ??= {})[i.name] = i.kind === "memory" ? memory : () => 0;
  }
  return new W.Instance(module, imports).exports as unknown as Exports;
}

describe("prepareModuleBinary", () => {
  it("imports the memory, drops exported globals and unneeded functions, merges data segments", () => {
    const keep = new Set(["__new", "id_of_type", "_start", "handleDatasetRegistered"]);
    const { bytes, importedMemory } = prepareModuleBinary(original, keep);
    expect(importedMemory).toEqual({ initial: 1, maximum: null });
    const before = new W.Module(original);
    const after = new W.Module(bytes);
    expect(W.Module.exports(before).filter((e) => e.kind === "global").length).toBeGreaterThan(100);
    expect(W.Module.exports(after).map((e) => `${e.kind}:${e.name}`).sort()).toEqual(
      ["function:__new", "function:_start", "function:handleDatasetRegistered", "function:id_of_type", "memory:memory"].sort(),
    );
    expect(W.Module.imports(after)).toContainEqual({ module: MEMORY_IMPORT.module, name: MEMORY_IMPORT.name, kind: "memory" });
  });

  it("leaves the module's behaviour unchanged: same memory image after _start, same class ids, same allocations", () => {
    const a = instantiate(original);
    const { bytes } = prepareModuleBinary(original, new Set(["__new", "id_of_type", "_start"]));
    const b = instantiate(bytes, new W.Memory({ initial: 1 }));
    a._start();
    b._start();
    expect(Buffer.compare(new Uint8Array(a.memory.buffer), new Uint8Array(b.memory.buffer))).toBe(0);
    for (const id of Object.values(TypeId)) expect(b.id_of_type(id), `TypeId ${id}`).toBe(a.id_of_type(id));
    expect(b.__new(100, 0)).toBe(a.__new(100, 0));
  });

  it("returns the input unchanged when it is not a module it understands", () => {
    const junk = new Uint8Array([1, 2, 3]);
    expect(prepareModuleBinary(junk)).toEqual({ bytes: junk, importedMemory: null });
  });
});
