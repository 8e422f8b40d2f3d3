/**
 * Reading WebAssembly code one instruction at a time: where each instruction ends, for the load-time rewrites
 * (wasm-gas.ts) and matchstick's coverage (which only needs to find `call`s).
 */
import { WasmFormatError, readU32, skipLeb } from "./wasm-binary.ts";

export const VALUE_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

/** The position after a vector of (single-byte) value types. */
export function skipValueTypes(buf: Uint8Array, pos: number): number {
  const [count, start] = readU32(buf, pos);
  for (let i = 0; i < count; i++) valueType(buf, start + i);
  return start + count;
}

export function valueType(buf: Uint8Array, pos: number): void {
  if (!VALUE_TYPES.has(buf[pos]!)) throw new WasmFormatError(`unsupported value type 0x${(buf[pos] ?? 0).toString(16)} at byte ${pos}`);
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

