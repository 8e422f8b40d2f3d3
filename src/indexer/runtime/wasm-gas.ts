/**
 * Gas metering injected at load time, as graph-node injects it (runtime/wasm/src/mapping.rs with wasm-instrument's
 * `gas_metering`): every function body is cut into metered blocks — runs of instructions that either all execute or
 * none do — and each block is charged its instructions' costs (gas-costs.ts, graph-node's gas_rules.rs) before it
 * runs; `memory.grow` goes through an added function that first charges the pages it asks for. graph-node calls its
 * host function `gas` from every block; here the charge is a subtraction from a counter (a new mutable i64 global),
 * and only when the counter runs out does the code call the host import {@link GAS_IMPORT}, which accounts for the
 * gas spent, fails the handler past its gas limit or its deadline, and hands out the next allowance. The figures
 * are graph-node's: each block is charged its cost plus the HOST_EXPORT_GAS graph-node's `gas` call adds.
 *
 * Every execution that never ends runs some block again and again, so the allowance also bounds the time between
 * two deadline checks. The new function import shifts the index of every function the module defines by one, so the
 * rewrite also renumbers `call`, `return_call`, `ref.func`, function exports, the start function, element segments
 * and the `name` section. A module using instructions it cannot read (exception handling, GC) is refused: running it
 * without metering would give up the limits.
 */
import { ByteWriter, WasmFormatError, name, readName, readU32, sections, skipLeb, u32, type Section } from "./wasm-binary.ts";
import { HOST_EXPORT_GAS, MEMORY_GROW_GAS_PER_PAGE, instructionGas } from "./gas-costs.ts";
import { instructionEnd, skipValueTypes, valueType } from "./wasm-instructions.ts";

/** The host function the injected code calls when its allowance runs out: `(i64 left) -> i64`, the next allowance. */
export const GAS_IMPORT = { module: "pedigree", name: "__gas" } as const;
/** The exported counter (an i64 WebAssembly.Global): gas left of the current allowance. */
export const GAS_GLOBAL_EXPORT = "__pedigree_gas";

/** Where each known section goes (custom sections, id 0, may appear anywhere). */
const SECTION_ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, brTable: 0x0e, return: 0x0f,
  call: 0x10, returnCall: 0x12, localGet: 0x20, localSet: 0x21, globalGet: 0x23, globalSet: 0x24,
  memoryGrow: 0x40, i64Const: 0x42, i64LtS: 0x53, i64Add: 0x7c, i64Sub: 0x7d, i64Mul: 0x7e, i64ExtendI32U: 0xad, refFunc: 0xd2,
} as const;

/** Indices the rewrite needs: the new import's, global's and grow function's, and how defined functions move. */
interface Renumbering {
  /** Function imports before the rewrite: defined function `i` becomes `i + 1` when `i >= importedFunctions`. */
  importedFunctions: number;
  /** Index of the counter global. */
  counter: number;
  /** Index of the added function that charges for `memory.grow`, then grows. */
  growFunction: number;
}

const funcIndex = (r: Renumbering, index: number) => (index >= r.importedFunctions ? index + 1 : index);

/**
 * The module with gas metering injected.
 *
 * @throws WasmFormatError when the binary cannot be read or uses instructions the rewrite does not know.
 */
export function instrumentGas(bytes: Uint8Array): Uint8Array {
  const secs = sections(bytes);
  for (const id of [1, 2, 3, 6, 7]) ensureSection(secs, id);
  const body = (id: number) => secs.find((s) => s.id === id)!.body;
  const types = countFunctionTypes(body(1));
  const imports = countImports(body(2));
  const defined = readU32(body(3), 0)[0];
  const r: Renumbering = {
    importedFunctions: imports.functions,
    counter: imports.globals + readU32(body(6), 0)[0],
    growFunction: imports.functions + 1 + defined,
  };
  const code = secs.find((s) => s.id === 10);
  const metered = code ? instrumentCode(code.body, r) : { body: new Uint8Array([0]), grows: false };
  const out = new ByteWriter().bytes(bytes.subarray(0, 8));
  for (const s of secs) {
    const rewritten = rewriteSection(s, r, types, metered);
    if (rewritten !== null) out.section(s.id, rewritten);
  }
  return out.finish();
}

/** The section rewritten; null to drop it. */
function rewriteSection(s: Section, r: Renumbering, types: number, metered: MeteredCode): Uint8Array | null {
  switch (s.id) {
    case 1:
      return withEntries(s.body, [GAS_FUNCTION_TYPE, GROW_FUNCTION_TYPE]);
    case 2:
      return withEntries(s.body, [[...name(GAS_IMPORT.module), ...name(GAS_IMPORT.name), 0x00, ...u32(types)]]);
    case 3:
      return metered.grows ? withEntries(s.body, [u32(types + 1)]) : s.body;
    case 6:
      return withEntries(rewriteGlobals(s.body, r), [[0x7e, 0x01, OP.i64Const, 0x00, OP.end]]);
    case 7:
      return withEntries(rewriteExports(s.body, r), [[...name(GAS_GLOBAL_EXPORT), 0x03, ...u32(r.counter)]]);
    case 8:
      return new Uint8Array(u32(funcIndex(r, readU32(s.body, 0)[0])));
    case 9:
      return rewriteElements(s.body, r);
    case 10:
      return metered.grows ? withEntries(metered.body, [growFunction(r)]) : metered.body;
    case 0:
      return isNameSection(s.body) ? rewriteNames(s.body, r) : s.body;
    default:
      return s.body;
  }
}

/** A vector section with more entries at its end. */
export function withEntries(section: Uint8Array, entries: ArrayLike<number>[]): Uint8Array {
  const [count, start] = readU32(section, 0);
  const out = new ByteWriter().u32(count + entries.length).bytes(section.subarray(start));
  for (const entry of entries) out.bytes(entry);
  return out.finish();
}

/** Adds an empty vector section `id` in its place if the module has none. */
export function ensureSection(list: Section[], id: number): void {
  if (list.some((s) => s.id === id)) return;
  const rank = SECTION_ORDER.indexOf(id);
  const at = list.findIndex((s) => s.id !== 0 && SECTION_ORDER.indexOf(s.id) > rank);
  list.splice(at < 0 ? list.length : at, 0, { id, body: new Uint8Array([0]) });
}

/** `(i64) -> i64`, the gas import's type. */
const GAS_FUNCTION_TYPE = [0x60, 0x01, 0x7e, 0x01, 0x7e];
/** `(i32) -> i32`, memory.grow's, the grow function's type (appended even when unused: types cost nothing). */
const GROW_FUNCTION_TYPE = [0x60, 0x01, 0x7f, 0x01, 0x7f];

/** `n` (≥ 0) as a signed LEB128 i64 immediate. */
function i64(n: number): number[] {
  const out: number[] = [];
  let rest = BigInt(n);
  for (;;) {
    const b = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest === 0n && !(b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/**
 * `counter -= amount; if (counter < 1) counter = gas(counter);` with the counter and the amount already on the stack:
 * stack-neutral as a whole, so it fits before any instruction.
 */
function subtractAndCheck(r: Renumbering): number[] {
  const get = [OP.globalGet, ...u32(r.counter)];
  const set = [OP.globalSet, ...u32(r.counter)];
  return [OP.i64Sub, ...set, ...get, OP.i64Const, 0x01, OP.i64LtS, OP.if, 0x40, ...get, OP.call, ...u32(r.importedFunctions), ...set, OP.end];
}

/** Charging a block of `cost` (its instructions', plus graph-node's per-call HOST_EXPORT_GAS). */
function charge(cost: number, r: Renumbering): number[] {
  return [OP.globalGet, ...u32(r.counter), OP.i64Const, ...i64(cost + HOST_EXPORT_GAS), ...subtractAndCheck(r)];
}

/** The added `grow(pages) -> old size`: charges pages × MEMORY_GROW_GAS_PER_PAGE (+ HOST_EXPORT_GAS), then grows. */
function growFunction(r: Renumbering): number[] {
  const amount = [OP.localGet, 0, OP.i64ExtendI32U, OP.i64Const, ...i64(MEMORY_GROW_GAS_PER_PAGE), OP.i64Mul, OP.i64Const, ...i64(HOST_EXPORT_GAS), OP.i64Add];
  const locals = [1, 1, 0x7e];
  const fn = [...locals, ...amount, OP.localSet, 1, OP.globalGet, ...u32(r.counter), OP.localGet, 1, ...subtractAndCheck(r), OP.localGet, 0, OP.memoryGrow, 0x00, OP.end];
  return [...u32(fn.length), ...fn];
}

/** How many types the type section declares (all must be function types). */
export function countFunctionTypes(body: Uint8Array): number {
  const [count, start] = readU32(body, 0);
  let pos = start;
  for (let i = 0; i < count; i++) {
    if (body[pos] !== 0x60) throw new WasmFormatError(`type ${i} is not a function type (GC types are not supported)`);
    pos = skipValueTypes(body, skipValueTypes(body, pos + 1));
  }
  return count;
}

function skipLimits(buf: Uint8Array, pos: number): number {
  const [flags, afterFlags] = readU32(buf, pos);
  const afterMin = skipLeb(buf, afterFlags);
  return flags & 1 ? skipLeb(buf, afterMin) : afterMin;
}

/** How many functions, globals and memories the import section imports. */
export function countImports(body: Uint8Array): { functions: number; globals: number; memories: number } {
  const [count, start] = readU32(body, 0);
  let pos = start;
  let functions = 0;
  let globals = 0;
  let memories = 0;
  for (let i = 0; i < count; i++) {
    pos = readName(body, readName(body, pos)[1])[1];
    const kind = body[pos++];
    if (kind === 0x00) {
      functions++;
      pos = skipLeb(body, pos);
    } else if (kind === 0x01) pos = skipLimits(body, pos + 1);
    else if (kind === 0x02) {
      memories++;
      pos = skipLimits(body, pos);
    } else if (kind === 0x03) {
      valueType(body, pos);
      globals++;
      pos += 2;
    } else if (kind === 0x04) pos = skipLeb(body, pos + 1);
    else throw new WasmFormatError(`import ${i} has unknown kind ${kind}`);
  }
  return { functions, globals, memories };
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

interface MeteredCode {
  body: Uint8Array;
  /** Whether some function uses memory.grow (then the grow function is added). */
  grows: boolean;
}

/** Every function body metered, its calls renumbered and its memory.grow calling the grow function. */
function instrumentCode(body: Uint8Array, r: Renumbering): MeteredCode {
  const [count, start] = readU32(body, 0);
  const out = new ByteWriter().u32(count);
  const metered: MeteredCode = { body: new Uint8Array(0), grows: false };
  let pos = start;
  for (let i = 0; i < count; i++) {
    const [size, bodyStart] = readU32(body, pos);
    const code = body.subarray(bodyStart, bodyStart + size);
    try {
      out.sized(meterFunction(code, r, metered));
    } catch (error) {
      throw new WasmFormatError(`function body ${i}: ${(error as Error).message}`);
    }
    pos = bodyStart + size;
  }
  metered.body = out.finish();
  return metered;
}

function meterFunction(code: Uint8Array, r: Renumbering, metered: MeteredCode): Uint8Array {
  const [groups, afterCount] = readU32(code, 0);
  let pos = afterCount;
  for (let i = 0; i < groups; i++) {
    pos = skipLeb(code, pos);
    valueType(code, pos++);
  }
  const starts = instructionStarts(code, pos);
  const blocks = meteredBlocks(code, starts);
  const out = new ByteWriter().bytes(code.subarray(0, pos));
  let next = 0;
  for (let index = 0; index < starts.length; index++) {
    const at = starts[index]!;
    if (blocks[next]?.start === index) out.bytes(charge(blocks[next++]!.cost, r));
    if (code[at] === OP.memoryGrow) {
      out.byte(OP.call).u32(r.growFunction);
      metered.grows = true;
    } else copyInstruction(code, at, out, r);
  }
  if (next !== blocks.length) throw new WasmFormatError("a metered block starts past the end of the function");
  return out.finish();
}

/** Where each instruction of a function body starts. */
function instructionStarts(code: Uint8Array, pos: number): number[] {
  const starts: number[] = [];
  while (pos < code.length) {
    starts.push(pos);
    pos = instructionEnd(code, pos);
  }
  return starts;
}

interface MeteredBlock {
  /** Index (in instructions) of the block's first instruction. */
  start: number;
  cost: number;
}

interface ControlBlock {
  /** The outermost (lowest) control block a forward branch inside this one may leave to. */
  lowestForwardTarget: number;
  active: MeteredBlock;
  isLoop: boolean;
}

/**
 * The metered blocks of a function body, by wasm-instrument's algorithm (`determine_metered_blocks`), so that
 * the blocks and their costs are graph-node's: a block starts at the function's entry, after `if`, `else`,
 * `loop` and every branch, and after the `end` of a construct that may have been left by a branch; instructions
 * after a `block` belong to the enclosing metered block until the first branch. `else` and `end` cost nothing.
 */
function meteredBlocks(code: Uint8Array, starts: number[]): MeteredBlock[] {
  const stack: ControlBlock[] = [];
  const done: MeteredBlock[] = [];
  const top = () => {
    const block = stack[stack.length - 1];
    if (!block) throw new WasmFormatError("instructions after the function's end");
    return block;
  };
  const open = (start: number, isLoop: boolean) =>
    stack.push({ lowestForwardTarget: stack.length, active: { start, cost: 0 }, isLoop });
  const finishMetered = (index: number) => {
    const closing = top().active;
    top().active = { start: index + 1, cost: 0 };
    const enclosing = stack[stack.length - 2]?.active;
    if (enclosing && enclosing.start === closing.start) enclosing.cost += closing.cost;
    else if (closing.cost > 0) done.push(closing);
  };
  const branch = (index: number, targets: number[]) => {
    finishMetered(index);
    for (const target of targets) {
      const block = stack[target];
      if (!block) throw new WasmFormatError(`a branch to label depth ${stack.length - 1 - target} has no target`);
      if (!block.isLoop) top().lowestForwardTarget = Math.min(top().lowestForwardTarget, target);
    }
  };
  const labelTarget = (depth: number) => stack.length - 1 - depth;
  open(0, false);
  starts.forEach((at, index) => {
    const op = code[at]!;
    if (op === OP.end) return closeControl(index);
    if (op === OP.else) return finishMetered(index);
    top().active.cost += instructionGas(op, op === OP.brTable ? readU32(code, at + 1)[0] : 0);
    if (op === OP.block) open(top().active.start, false);
    else if (op === OP.if || op === OP.loop) open(index + 1, op === OP.loop);
    else if (op === OP.br || op === OP.brIf) branch(index, [labelTarget(readU32(code, at + 1)[0])]);
    else if (op === OP.brTable) branch(index, brTableLabels(code, at).map(labelTarget));
    else if (op === OP.return) branch(index, [0]);
  });
  return done.sort((a, b) => a.start - b.start);

  function closeControl(index: number): void {
    finishMetered(index);
    const closing = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (!parent) return;
    parent.lowestForwardTarget = Math.min(parent.lowestForwardTarget, closing.lowestForwardTarget);
    if (closing.lowestForwardTarget < stack.length) finishMetered(index);
  }
}

/** br_table's labels: the default first, then the table (wasm-instrument's order; the order does not matter). */
function brTableLabels(code: Uint8Array, at: number): number[] {
  const [count, first] = readU32(code, at + 1);
  const labels: number[] = [];
  let pos = first;
  for (let i = 0; i <= count; i++) {
    const [label, next] = readU32(code, pos);
    labels.push(label);
    pos = next;
  }
  return labels;
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
