/**
 * A load-time rewrite of a mapping's binary that makes per-trigger instantiation cheap without changing what the
 * mapping computes:
 * - the module's own memory becomes an import (`env.memory` of the same limits), so the host can hand every fresh
 *   instance a zeroed Memory of the initial size instead of reserving a new one each time (V8 reserves gigabytes of
 *   address space per wasm memory, which makes creating and collecting thousands of them per second expensive);
 * - exported globals are dropped from the export section (graph-ts exports ~180 `TypeId.*` constants that the host
 *   never reads; V8 builds a WebAssembly.Global wrapper for each of them on every instantiation) but the gas
 *   counter wasm-gas.ts adds, and so are
 *   exported functions the host never calls, when the caller says which ones it needs;
 * - active data segments at constant offsets (AssemblyScript emits hundreds of small ones) are merged into one,
 *   the gaps filled with the zeros a fresh memory holds there anyway.
 * Code, data segments, globals and the start sequence are untouched; each instance still re-initialises its data
 * segments and globals exactly as a fresh instance does.
 */

import { i32, name, readI32, readU32, sections, u32 } from "./wasm-binary.ts";
import { GAS_GLOBAL_EXPORT } from "./wasm-gas.ts";

export interface MemoryLimits {
  initial: number;
  maximum: number | null;
}

export interface TransformedModule {
  bytes: Uint8Array;
  /** Set when the memory was turned into the import `env.memory`. */
  importedMemory: MemoryLimits | null;
}

/** Import module/name of the memory the rewrite introduces. */
export const MEMORY_IMPORT = { module: "env", name: "memory" } as const;

/** One data segment made of AssemblyScript's many active segments, or null if they are not all simple and disjoint. */
function mergedDataSection(body: Uint8Array): number[] | null {
  const [count, start] = readU32(body, 0);
  if (count < 2) return null;
  const segments: [number, Uint8Array][] = [];
  let pos = start;
  for (let i = 0; i < count; i++) {
    // flag 0 = active, memory 0, offset expression; anything else (passive, other memory) is left alone
    if (body[pos] !== 0x00 || body[pos + 1] !== 0x41) return null;
    const [offset, afterConst] = readI32(body, pos + 2);
    if (body[afterConst] !== 0x0b || offset < 0) return null;
    const [length, dataStart] = readU32(body, afterConst + 1);
    segments.push([offset, body.subarray(dataStart, dataStart + length)]);
    pos = dataStart + length;
  }
  if (pos !== body.length) return null;
  segments.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < segments.length; i++) {
    const [prevOffset, prev] = segments[i - 1]!;
    if (prevOffset + prev.length > segments[i]![0]) return null;
  }
  const first = segments[0]![0];
  const [lastOffset, last] = segments[segments.length - 1]!;
  const total = lastOffset + last.length - first;
  if (total > 16 * 1024 * 1024) return null;
  const data = new Uint8Array(total);
  for (const [offset, bytes] of segments) data.set(bytes, offset - first);
  return [1, 0x00, 0x41, ...i32(first), 0x0b, ...u32(total), ...data];
}

/**
 * Rewrites the module as described above; returns the input unchanged if its layout is not the expected one.
 * `keepFunctions` lists the exported functions to keep (all of them when omitted).
 */
export function prepareModuleBinary(bytes: Uint8Array, keepFunctions?: ReadonlySet<string>): TransformedModule {
  try {
    return transform(bytes, keepFunctions);
  } catch {
    return { bytes, importedMemory: null };
  }
}

function transform(bytes: Uint8Array, keepFunctions?: ReadonlySet<string>): TransformedModule {
  const secs = sections(bytes);
  const memory = secs.find((s) => s.id === 5);
  const imports = secs.find((s) => s.id === 2);
  let limits: MemoryLimits | null = null;
  let limitBytes: Uint8Array | null = null;
  if (memory && imports) {
    const [count, pos] = readU32(memory.body, 0);
    const flag = memory.body[pos];
    if (count === 1 && (flag === 0 || flag === 1)) {
      const [initial, p2] = readU32(memory.body, pos + 1);
      let maximum: number | null = null;
      let end = p2;
      if (flag === 1) [maximum, end] = readU32(memory.body, p2);
      if (end === memory.body.length) {
        limits = { initial, maximum };
        limitBytes = memory.body.subarray(pos, end);
      }
    }
  }

  const dataSection = secs.find((s) => s.id === 11);
  const mergedData = dataSection ? mergedDataSection(dataSection.body) : null;
  const out: number[][] = [[...bytes.subarray(0, 8)]];
  const emit = (id: number, body: ArrayLike<number>) => out.push([id, ...u32(body.length), ...Array.from(body)]);
  for (const s of secs) {
    if (s.id === 2 && limits && limitBytes) {
      const [count, pos] = readU32(s.body, 0);
      emit(2, [...u32(count + 1), ...s.body.subarray(pos), ...name(MEMORY_IMPORT.module), ...name(MEMORY_IMPORT.name), 0x02, ...limitBytes]);
    } else if (s.id === 5 && limits) {
      continue;
    } else if (s.id === 7) {
      const [count, start] = readU32(s.body, 0);
      const kept: number[] = [];
      let keptCount = 0;
      let pos = start;
      for (let i = 0; i < count; i++) {
        const entryStart = pos;
        const [len, afterLen] = readU32(s.body, pos);
        const kindPos = afterLen + len;
        const kind = s.body[kindPos];
        const [, next] = readU32(s.body, kindPos + 1);
        const exportName = Buffer.from(s.body.subarray(afterLen, kindPos)).toString("utf8");
        const keep =
          kind === 0x01 ||
          kind === 0x02 ||
          (kind === 0x00 && (keepFunctions === undefined || keepFunctions.has(exportName))) ||
          (kind === 0x03 && exportName === GAS_GLOBAL_EXPORT);
        if (keep) {
          kept.push(...s.body.subarray(entryStart, next));
          keptCount++;
        }
        pos = next;
      }
      emit(7, [...u32(keptCount), ...kept]);
    } else if (s.id === 11 && mergedData) {
      emit(11, mergedData);
    } else if (s.id === 12 && mergedData) {
      emit(12, u32(1));
    } else emit(s.id, s.body);
  }
  const total = out.reduce((n, part) => n + part.length, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of out) {
    result.set(part, offset);
    offset += part.length;
  }
  return { bytes: result, importedMemory: limits };
}
