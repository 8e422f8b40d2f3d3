/**
 * A load-time rewrite that lets the host stop a handler that runs too long. WebAssembly runs synchronously on the
 * JS thread, so no timer can interrupt it. Instead, every function entry and every loop iteration decrements a
 * counter (a new mutable global); when it reaches zero, the code calls the imported host function
 * {@link DEADLINE_IMPORT}, which throws when the handler's time is up and otherwise returns the number of steps until
 * the next check. Every execution that never ends passes a loop header or a function entry again and again, so a
 * runaway handler is stopped within one check interval of its deadline.
 *
 * The new function import shifts the index of every function the module defines by one, so the rewrite also
 * renumbers `call`, `return_call`, `ref.func`, function exports, the start function, element segments and the
 * `name` section. A module using instructions it cannot read (exception handling, GC) is refused: running it
 * without the checks would give up the deadline.
 */
import { ByteWriter, WasmFormatError, i32, name, readName, readU32, sections, skipLeb, u32, type Section } from "./wasm-binary.ts";

/** The host function the injected checks call: `() -> i32`, the budget until the next check. */
export const DEADLINE_IMPORT = { module: "pedigree", name: "__deadline" } as const;

/**
 * Function entries and loop iterations between two host calls. The tightest loop runs this many iterations in under
 * a tenth of a millisecond, so a runaway handler is stopped promptly, while the host call (into JS for
 * `performance.now()`) is paid once per 65 536 steps (`npm run bench:deadline` measures the counting itself).
 */
export const CHECK_INTERVAL = 65_536;

const VALUE_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);
/** Where each known section goes (custom sections, id 0, may appear anywhere). */
const SECTION_ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const OP = { loop: 0x03, end: 0x0b, call: 0x10, returnCall: 0x12, refFunc: 0xd2 } as const;

/** Indices the rewrite needs: the new import's and global's, and how defined functions move. */
interface Renumbering {
  /** Function imports before the rewrite: defined function `i` becomes `i + 1` when `i >= importedFunctions`. */
  importedFunctions: number;
  /** Index of the counter global. */
  counter: number;
}

const funcIndex = (r: Renumbering, index: number) => (index >= r.importedFunctions ? index + 1 : index);

/**
 * The module with deadline checks injected.
 *
 * @throws WasmFormatError when the binary cannot be read or uses instructions the rewrite does not know.
 */
export function instrumentDeadline(bytes: Uint8Array): Uint8Array {
  const secs = sections(bytes);
  for (const id of [1, 2, 6]) ensureSection(secs, id);
  const body = (id: number) => secs.find((s) => s.id === id)!.body;
  const types = countFunctionTypes(body(1));
  const imports = countImports(body(2));
  const r: Renumbering = { importedFunctions: imports.functions, counter: imports.globals + readU32(body(6), 0)[0] };
  const check = checkSequence(r.counter, r.importedFunctions);
  const out = new ByteWriter().bytes(bytes.subarray(0, 8));
  for (const s of secs) {
    const rewritten = rewriteSection(s, r, types, check);
    if (rewritten !== null) out.section(s.id, rewritten);
  }
  return out.finish();
}

/** The section rewritten; null to drop it. */
function rewriteSection(s: Section, r: Renumbering, types: number, check: number[]): Uint8Array | null {
  switch (s.id) {
    case 1:
      return withEntry(s.body, functionType());
    case 2:
      return withEntry(s.body, deadlineImport(types));
    case 6:
      return withEntry(rewriteGlobals(s.body, r), counterGlobal());
    case 7:
      return rewriteExports(s.body, r);
    case 8:
      return new Uint8Array(u32(funcIndex(r, readU32(s.body, 0)[0])));
    case 9:
      return rewriteElements(s.body, r);
    case 10:
      return instrumentCode(s.body, r, check);
    case 0:
      return isNameSection(s.body) ? rewriteNames(s.body, r) : s.body;
    default:
      return s.body;
  }
}

/** A vector section with one more entry at its end. */
function withEntry(section: Uint8Array, entry: number[]): Uint8Array {
  const [count, start] = readU32(section, 0);
  return new ByteWriter().u32(count + 1).bytes(section.subarray(start)).bytes(entry).finish();
}

/** Adds an empty vector section `id` in its place if the module has none. */
function ensureSection(list: Section[], id: number): void {
  if (list.some((s) => s.id === id)) return;
  const rank = SECTION_ORDER.indexOf(id);
  const at = list.findIndex((s) => s.id !== 0 && SECTION_ORDER.indexOf(s.id) > rank);
  list.splice(at < 0 ? list.length : at, 0, { id, body: new Uint8Array([0]) });
}

/** `() -> i32` */
const functionType = () => [0x60, 0x00, 0x01, 0x7f];
const deadlineImport = (typeIndex: number) => [...name(DEADLINE_IMPORT.module), ...name(DEADLINE_IMPORT.name), 0x00, ...u32(typeIndex)];
/** `(global (mut i32) (i32.const CHECK_INTERVAL))` */
const counterGlobal = () => [0x7f, 0x01, 0x41, ...i32(CHECK_INTERVAL), OP.end];

/**
 * `counter -= 1; if (counter == 0) counter = deadline();` — stack-neutral, so it fits at a function's start and at
 * the top of a loop body whatever the loop's parameters.
 */
function checkSequence(counter: number, deadlineFunction: number): number[] {
  const get = [0x23, ...u32(counter)];
  const set = [0x24, ...u32(counter)];
  return [...get, 0x41, 0x01, 0x6b, ...set, ...get, 0x45, 0x04, 0x40, OP.call, ...u32(deadlineFunction), ...set, OP.end];
}

function countFunctionTypes(body: Uint8Array): number {
  const [count, start] = readU32(body, 0);
  let pos = start;
  for (let i = 0; i < count; i++) {
    if (body[pos] !== 0x60) throw new WasmFormatError(`type ${i} is not a function type (GC types are not supported)`);
    pos = skipValueTypes(body, skipValueTypes(body, pos + 1));
  }
  return count;
}

/** The position after a vector of (single-byte) value types. */
function skipValueTypes(buf: Uint8Array, pos: number): number {
  const [count, start] = readU32(buf, pos);
  for (let i = 0; i < count; i++) valueType(buf, start + i);
  return start + count;
}

function valueType(buf: Uint8Array, pos: number): void {
  if (!VALUE_TYPES.has(buf[pos]!)) throw new WasmFormatError(`unsupported value type 0x${(buf[pos] ?? 0).toString(16)} at byte ${pos}`);
}

function skipLimits(buf: Uint8Array, pos: number): number {
  const [flags, afterFlags] = readU32(buf, pos);
  const afterMin = skipLeb(buf, afterFlags);
  return flags & 1 ? skipLeb(buf, afterMin) : afterMin;
}

function countImports(body: Uint8Array): { functions: number; globals: number } {
  const [count, start] = readU32(body, 0);
  let pos = start;
  let functions = 0;
  let globals = 0;
  for (let i = 0; i < count; i++) {
    pos = readName(body, readName(body, pos)[1])[1];
    const kind = body[pos++];
    if (kind === 0x00) {
      functions++;
      pos = skipLeb(body, pos);
    } else if (kind === 0x01) pos = skipLimits(body, pos + 1);
    else if (kind === 0x02) pos = skipLimits(body, pos);
    else if (kind === 0x03) {
      valueType(body, pos);
      globals++;
      pos += 2;
    } else if (kind === 0x04) pos = skipLeb(body, pos + 1);
    else throw new WasmFormatError(`import ${i} has unknown kind ${kind}`);
  }
  return { functions, globals };
}

function rewriteGlobals(body: Uint8Array, r: Renumbering): Uint8Array {
  const [count, start] = readU32(body, 0);
  const out = new ByteWriter().u32(count);
  let pos = start;
  for (let i = 0; i < count; i++) {
    valueType(body, pos);
    out.bytes(body.subarray(pos, pos + 2));
    pos = copyConstExpr(body, pos + 2, out, r);
  }
  return out.finish();
}

function rewriteExports(body: Uint8Array, r: Renumbering): Uint8Array {
  const [count, start] = readU32(body, 0);
  const out = new ByteWriter().u32(count);
  let pos = start;
  for (let i = 0; i < count; i++) {
    const afterName = readName(body, pos)[1];
    const kind = body[afterName]!;
    const [index, next] = readU32(body, afterName + 1);
    out.bytes(body.subarray(pos, afterName + 1)).u32(kind === 0x00 ? funcIndex(r, index) : index);
    pos = next;
  }
  return out.finish();
}

/** Element segments in all eight encodings: function indices (flags 0–3) or expressions (flags 4–7). */
function rewriteElements(body: Uint8Array, r: Renumbering): Uint8Array {
  const [count, start] = readU32(body, 0);
  const out = new ByteWriter().u32(count);
  let pos = start;
  for (let i = 0; i < count; i++) {
    const [flags, afterFlags] = readU32(body, pos);
    if (flags > 7) throw new WasmFormatError(`element segment ${i} has unknown flags ${flags}`);
    out.u32(flags);
    pos = afterFlags;
    if (flags & 2) pos = copyUpTo(body, pos, skipLeb(body, pos), out); // table index
    if (!(flags & 1)) pos = copyConstExpr(body, pos, out, r); // offset of an active segment
    if (flags & 3) pos = copyUpTo(body, pos, pos + 1, out); // element kind or reference type
    const [items, afterCount] = readU32(body, pos);
    out.u32(items);
    pos = afterCount;
    for (let item = 0; item < items; item++) {
      if (flags & 4) pos = copyConstExpr(body, pos, out, r);
      else {
        const [index, next] = readU32(body, pos);
        out.u32(funcIndex(r, index));
        pos = next;
      }
    }
  }
  return out.finish();
}

function copyUpTo(buf: Uint8Array, from: number, to: number, out: ByteWriter): number {
  out.bytes(buf.subarray(from, to));
  return to;
}

/** Copies a constant expression (up to and including its `end`), renumbering `ref.func`. */
function copyConstExpr(buf: Uint8Array, pos: number, out: ByteWriter, r: Renumbering): number {
  for (;;) {
    const op = buf[pos];
    const next = copyInstruction(buf, pos, out, r);
    if (op === OP.end) return next;
    pos = next;
  }
}

/** Copies one instruction, renumbering function indices; returns the position after it. */
function copyInstruction(buf: Uint8Array, pos: number, out: ByteWriter, r: Renumbering): number {
  const op = buf[pos]!;
  const next = instructionEnd(buf, pos);
  if (op === OP.call || op === OP.returnCall || op === OP.refFunc) out.byte(op).u32(funcIndex(r, readU32(buf, pos + 1)[0]));
  else out.bytes(buf.subarray(pos, next));
  return next;
}

/** Every function body, with the check at its entry and at the top of every loop, and its calls renumbered. */
function instrumentCode(body: Uint8Array, r: Renumbering, check: number[]): Uint8Array {
  const [count, start] = readU32(body, 0);
  const out = new ByteWriter().u32(count);
  let pos = start;
  for (let i = 0; i < count; i++) {
    const [size, bodyStart] = readU32(body, pos);
    const code = body.subarray(bodyStart, bodyStart + size);
    try {
      out.sized(instrumentFunction(code, r, check));
    } catch (error) {
      throw new WasmFormatError(`function body ${i}: ${(error as Error).message}`);
    }
    pos = bodyStart + size;
  }
  return out.finish();
}

function instrumentFunction(code: Uint8Array, r: Renumbering, check: number[]): Uint8Array {
  const [groups, afterCount] = readU32(code, 0);
  let pos = afterCount;
  for (let i = 0; i < groups; i++) {
    pos = skipLeb(code, pos);
    valueType(code, pos++);
  }
  const out = new ByteWriter().bytes(code.subarray(0, pos)).bytes(check);
  while (pos < code.length) {
    const op = code[pos];
    pos = copyInstruction(code, pos, out, r);
    if (op === OP.loop) out.bytes(check);
  }
  return out.finish();
}

/** Opcodes without immediates: control, parametric, numeric (incl. sign extension), ref.is_null. */
function hasNoImmediate(op: number): boolean {
  return op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1 || (op >= 0x45 && op <= 0xc4);
}

/**
 * The position after the instruction at `pos`. Reads WebAssembly 2.0 (MVP, sign extension, saturating
 * conversions, bulk memory, reference types, multi-value, SIMD) plus tail calls, threads and multi-memory.
 */
export function instructionEnd(buf: Uint8Array, pos: number): number {
  const op = buf[pos];
  if (op === undefined) throw new WasmFormatError("truncated code");
  const at = pos + 1;
  if (hasNoImmediate(op)) return at;
  if (op >= 0x02 && op <= 0x04) return blockTypeEnd(buf, at);
  if ((op >= 0x0c && op <= 0x0d) || op === 0x10 || op === 0x12 || (op >= 0x20 && op <= 0x26) || op === 0x3f || op === 0x40) {
    return skipLeb(buf, at);
  }
  if (op === 0x41 || op === 0x42 || op === 0xd0 || op === 0xd2) return skipLeb(buf, at);
  if (op === 0x11 || op === 0x13) return skipLeb(buf, skipLeb(buf, at));
  if (op >= 0x28 && op <= 0x3e) return memargEnd(buf, at);
  if (op === 0x43) return at + 4;
  if (op === 0x44) return at + 8;
  if (op === 0x0e) {
    const [targets, first] = readU32(buf, at);
    let p = first;
    for (let i = 0; i <= targets; i++) p = skipLeb(buf, p);
    return p;
  }
  if (op === 0x1c) return skipValueTypes(buf, at);
  const [sub, afterSub] = op >= 0xfc ? readU32(buf, at) : [0, at];
  if (op === 0xfc) return miscEnd(buf, sub, afterSub);
  if (op === 0xfd) return simdEnd(buf, sub, afterSub);
  if (op === 0xfe) return atomicEnd(buf, sub, afterSub);
  throw new WasmFormatError(`unsupported instruction 0x${op.toString(16)} at byte ${pos} (exception handling and GC are not supported)`);
}

function unsupportedPrefixed(prefix: number, sub: number): never {
  throw new WasmFormatError(`unsupported instruction 0x${prefix.toString(16)} ${sub}`);
}

function blockTypeEnd(buf: Uint8Array, pos: number): number {
  const b = buf[pos];
  if (b === 0x40 || VALUE_TYPES.has(b!)) return pos + 1;
  if (b !== undefined && (b & 0x80 || b < 0x40)) return skipLeb(buf, pos); // a type index
  throw new WasmFormatError(`unsupported block type 0x${(b ?? 0).toString(16)} at byte ${pos}`);
}

/** align (with a memory index when bit 6 is set), offset. */
function memargEnd(buf: Uint8Array, pos: number): number {
  const [align, afterAlign] = readU32(buf, pos);
  return skipLeb(buf, align & 0x40 ? skipLeb(buf, afterAlign) : afterAlign);
}

/** 0xfc: saturating truncation (0–7), bulk memory and table instructions (8–17). */
function miscEnd(buf: Uint8Array, sub: number, pos: number): number {
  if (sub <= 7) return pos;
  if (sub === 8 || sub === 10 || sub === 12 || sub === 14) return skipLeb(buf, skipLeb(buf, pos));
  if (sub <= 17) return skipLeb(buf, pos);
  return unsupportedPrefixed(0xfc, sub);
}

/** 0xfd: SIMD, relaxed SIMD. */
function simdEnd(buf: Uint8Array, sub: number, pos: number): number {
  if (sub <= 11 || sub === 92 || sub === 93) return memargEnd(buf, pos);
  if (sub === 12 || sub === 13) return pos + 16;
  if (sub >= 21 && sub <= 34) return pos + 1;
  if (sub >= 84 && sub <= 91) return memargEnd(buf, pos) + 1;
  if (sub <= 0x113) return pos;
  return unsupportedPrefixed(0xfd, sub);
}

/** 0xfe: threads (atomic memory accesses, wait/notify, fence). */
function atomicEnd(buf: Uint8Array, sub: number, pos: number): number {
  if (sub === 0x03) return pos + 1;
  if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) return memargEnd(buf, pos);
  return unsupportedPrefixed(0xfe, sub);
}

function isNameSection(body: Uint8Array): boolean {
  try {
    return readName(body, 0)[0] === "name";
  } catch {
    return false;
  }
}

/**
 * The `name` section with function indices renumbered in its function-name (1) and local-name (2) subsections. It
 * only serves stack traces, so a name section that does not read is dropped rather than failing the module.
 */
function rewriteNames(body: Uint8Array, r: Renumbering): Uint8Array | null {
  try {
    let pos = readName(body, 0)[1];
    const out = new ByteWriter().bytes(body.subarray(0, pos));
    while (pos < body.length) {
      const id = body[pos]!;
      const [size, start] = readU32(body, pos + 1);
      const content = body.subarray(start, start + size);
      out.byte(id).sized(id === 1 || id === 2 ? renumberNameMap(content, r, id === 2) : content);
      pos = start + size;
    }
    return out.finish();
  } catch {
    return null;
  }
}

/** A name map (function index → name) or an indirect one (function index → local index → name). */
function renumberNameMap(content: Uint8Array, r: Renumbering, indirect: boolean): Uint8Array {
  const [count, start] = readU32(content, 0);
  const out = new ByteWriter().u32(count);
  let pos = start;
  for (let i = 0; i < count; i++) {
    const [index, afterIndex] = readU32(content, pos);
    let end: number;
    if (indirect) {
      const [locals, first] = readU32(content, afterIndex);
      end = first;
      for (let l = 0; l < locals; l++) end = readName(content, skipLeb(content, end))[1];
    } else end = readName(content, afterIndex)[1];
    out.u32(funcIndex(r, index)).bytes(content.subarray(afterIndex, end));
    pos = end;
  }
  return out.finish();
}
