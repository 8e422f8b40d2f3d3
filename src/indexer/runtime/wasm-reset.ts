/**
 * A load-time addition that lets one instance serve trigger after trigger while each trigger still starts from the
 * state of a fresh instance, as graph-node's fresh instance per trigger gives it.
 *
 * What an instance changes while it runs is its memory, its mutable globals, its tables and whether its data and
 * element segments have been dropped. The host restores the memory from an image taken right after instantiation
 * (module.ts); the rewrite adds an exported function, {@link RESET_GLOBALS_EXPORT}, that sets every mutable global the
 * module defines back to its initial value by running the global's own initialiser again. Tables and segments stay as
 * instantiation left them as long as the code never changes them, so a module is only given the export when
 * - its code uses none of table.set, table.grow, table.fill, table.copy, table.init, elem.drop and data.drop;
 * - it has at most one memory (the one the host restores);
 * - it has no start function: instantiation runs it, so the memory image would hold its effects while the reset
 *   globals would not.
 * The added function is not gas-metered (instantiation is not either); graph-ts mappings since apiVersion 0.0.5 meet
 * all three conditions (they export `_start` instead of declaring a start function).
 */
import { ByteWriter, WasmFormatError, name, readU32, sections, skipLeb, u32 } from "./wasm-binary.ts";
import { countFunctionTypes, countImports, ensureSection, withEntries } from "./wasm-gas.ts";
import { instructionEnd, valueType } from "./wasm-instructions.ts";

/** The added export: `() -> ()`, every mutable global the module defines set back to its initial value. */
export const RESET_GLOBALS_EXPORT = "__pedigree_reset_globals";

const OP = { end: 0x0b, tableSet: 0x26, globalSet: 0x24, misc: 0xfc } as const;
/** 0xfc sub-opcodes that change a table or drop a segment: data.drop, table.init, elem.drop, table.copy, table.grow, table.fill. */
const STATE_CHANGING_MISC = new Set([9, 12, 13, 14, 15, 17]);

/**
 * The module with {@link RESET_GLOBALS_EXPORT} added, or null when restoring memory and globals would not give a
 * fresh instance's state (see above) or the binary cannot be read.
 */
export function addGlobalReset(bytes: Uint8Array): Uint8Array | null {
  try {
    return withGlobalReset(bytes);
  } catch (error) {
    if (error instanceof WasmFormatError) return null;
    throw error;
  }
}

function withGlobalReset(bytes: Uint8Array): Uint8Array | null {
  const secs = sections(bytes);
  const section = (id: number) => secs.find((s) => s.id === id)?.body;
  const imports = section(2) ? countImports(section(2)!) : { functions: 0, globals: 0, memories: 0 };
  const memories = imports.memories + (section(5) ? readU32(section(5)!, 0)[0] : 0);
  if (section(8) !== undefined || memories > 1 || (section(10) !== undefined && changesTablesOrSegments(section(10)!))) return null;
  for (const id of [1, 3, 7, 10]) ensureSection(secs, id);
  const types = countFunctionTypes(section(1)!);
  const index = imports.functions + readU32(section(3)!, 0)[0];
  const added: Record<number, ArrayLike<number>[]> = {
    1: [[0x60, 0x00, 0x00]],
    3: [u32(types)],
    7: [[...name(RESET_GLOBALS_EXPORT), 0x00, ...u32(index)]],
    10: [resetFunction(section(6), imports.globals)],
  };
  const out = new ByteWriter().bytes(bytes.subarray(0, 8));
  for (const s of secs) out.section(s.id, s.id in added ? withEntries(s.body, added[s.id]!) : s.body);
  return out.finish();
}

/** The reset function's body (size-prefixed): `global.set` of each mutable global to its initialiser's value. */
function resetFunction(globals: Uint8Array | undefined, importedGlobals: number): number[] {
  const code = new ByteWriter().u32(0); // no locals
  if (globals !== undefined) {
    const [count, start] = readU32(globals, 0);
    let pos = start;
    for (let i = 0; i < count; i++) {
      valueType(globals, pos);
      const mutable = globals[pos + 1] === 0x01;
      const init = pos + 2;
      pos = constExprEnd(globals, init);
      if (mutable) code.bytes(globals.subarray(init, pos - 1)).byte(OP.globalSet).u32(importedGlobals + i);
    }
  }
  const body = code.byte(OP.end).finish();
  return [...u32(body.length), ...body];
}

/** The position after a constant expression's `end`. */
function constExprEnd(buf: Uint8Array, pos: number): number {
  while (buf[pos] !== OP.end) pos = instructionEnd(buf, pos);
  return pos + 1;
}

/** Whether some function body uses an instruction that changes a table or drops a segment. */
function changesTablesOrSegments(code: Uint8Array): boolean {
  const [count, start] = readU32(code, 0);
  let pos = start;
  for (let i = 0; i < count; i++) {
    const [size, bodyStart] = readU32(code, pos);
    const end = bodyStart + size;
    const [groups, afterGroups] = readU32(code, bodyStart);
    let at = afterGroups;
    for (let g = 0; g < groups; g++) at = skipLeb(code, at) + 1;
    for (; at < end; at = instructionEnd(code, at)) {
      if (code[at] === OP.tableSet) return true;
      if (code[at] === OP.misc && STATE_CHANGING_MISC.has(readU32(code, at + 1)[0])) return true;
    }
    pos = end;
  }
  return false;
}
