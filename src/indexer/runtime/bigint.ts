/**
 * graph-node's BigInt semantics (num-bigint 0.2.6 behind graph's `BigInt`): signed two's-complement little-endian
 * byte encoding, parsing rules, the size limit, and the hex form of `typeConversion.bigIntToHex`.
 */
import { HostError } from "./errors.ts";

/** graph-node's limit: 131072 decimal digits, expressed in bits (graph/src/data/store/scalar/bigint.rs). */
export const BIGINT_MAX_BITS = Math.floor(131072 * Math.LOG2E * Math.LN10) + 1; // 435_412

/** Number of bits of |n| (0 for 0), like num-bigint's `bits()`. */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n === 0n) return 0;
  if (n <= 0xffffffffn) return 32 - Math.clz32(Number(n));
  return hexBitLength(n.toString(16));
}

/** Number of bits of the number whose hex digits (no leading zero but for 0 itself) are `hex`. */
function hexBitLength(hex: string): number {
  return 4 * (hex.length - 1) + 32 - Math.clz32(parseInt(hex[0]!, 16));
}

/**
 * The signed little-endian two's-complement bytes of `n` in the minimal length, as num-bigint's
 * `to_signed_bytes_le`: 0 → [0x00], 255 → [0xff, 0x00], -1 → [0xff], -128 → [0x80].
 */
export function bigIntToSignedBytesLE(n: bigint): Uint8Array {
  const length = signedBytesLELength(n);
  const out = new Uint8Array(length);
  writeSignedBytesLE(n, length, out, 0);
  return out;
}

/**
 * Length of bigIntToSignedBytesLE(n): the smallest k with -2^(8k-1) <= n < 2^(8k-1), the two's complement plus its
 * sign bit.
 */
export function signedBytesLELength(n: bigint): number {
  if (n >= 0n && n <= 0x7fffffffn) {
    // Small non-negative numbers (block numbers, timestamps, ids): no bigint arithmetic.
    const v = Number(n);
    return v < 0x80 ? 1 : v < 0x8000 ? 2 : v < 0x800000 ? 3 : 4;
  }
  // The two's complement of a negative n is the bitwise NOT of -n - 1.
  return Math.floor(bitLength(n < 0n ? -n - 1n : n) / 8) + 1;
}

/**
 * Writes bigIntToSignedBytesLE(n) into `out` at `offset`, `length` being signedBytesLELength(n): where the bytes go
 * (WASM memory) needs no array of their own.
 */
export function writeSignedBytesLE(n: bigint, length: number, out: Uint8Array, offset: number): void {
  if (length <= 4 && n >= 0n) {
    const v = Number(n);
    for (let i = 0; i < length; i++) out[offset + i] = (v >>> (8 * i)) & 0xff;
    return;
  }
  if (length <= 6) {
    // Exact in a double: the two's complement as a non-negative number below 2^48.
    let v = Number(n < 0n ? n + (1n << BigInt(8 * length)) : n);
    for (let i = 0; i < length; i++, v = Math.floor(v / 256)) out[offset + i] = v % 256;
    return;
  }
  // The two's complement of a negative n is the bitwise NOT of -n - 1: the magnitude's bytes, each inverted.
  const negative = n < 0n;
  const hex = (negative ? -n - 1n : n).toString(16);
  const invert = negative ? 0xff : 0;
  // Byte i is the hex digits at 2i, 2i+1 from the right; those left of the string's start are zeros.
  for (let i = 0, end = hex.length; i < length; i++, end -= 2) {
    const byte = end >= 2 ? (NIBBLE[hex.charCodeAt(end - 2)]! << 4) | NIBBLE[hex.charCodeAt(end - 1)]! : end === 1 ? NIBBLE[hex.charCodeAt(0)]! : 0;
    out[offset + i] = byte ^ invert;
  }
}

/** Values of the lowercase hex digits by character code. */
const NIBBLE = (() => {
  const table = new Uint8Array(128);
  for (let d = 0; d < 16; d++) table[d.toString(16).charCodeAt(0)] = d;
  return table;
})();

/**
 * Reads signed little-endian two's-complement bytes (empty → 0), as num-bigint's `from_signed_bytes_le`: those of
 * `bytes` from `start` to `end` (all of them by default), read where they are.
 */
export function bigIntFromSignedBytesLE(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  const len = end - start;
  if (len <= 0) return 0n;
  const negative = bytes[end - 1]! > 0x7f;
  if (len <= 6) {
    let v = 0;
    for (let i = end - 1; i >= start; i--) v = v * 256 + bytes[i]!;
    return negative ? BigInt(v - 2 ** (8 * len)) : BigInt(v);
  }
  let hex = "";
  for (let i = end - 1; i >= start; i--) hex += HEX_BYTE[bytes[i]!];
  const v = BigInt(`0x${hex}`);
  return negative ? v - (1n << BigInt(8 * len)) : v;
}

/** Unsigned big-endian bytes → bigint. */
export function bigIntFromUnsignedBytesBE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`);
}

const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Throws graph-node's "BigInt is too big" error when `n` exceeds the limit graph-node enforces on BigInts read from
 * WASM, parsed from strings and produced by `pow`.
 */
export function checkBigIntSize(n: bigint): bigint {
  const bits = bitLength(n) + 1;
  if (bits > BIGINT_MAX_BITS) {
    throw new HostError("invalid-argument", `BigInt is too big, total bits ${bits} (max ${BIGINT_MAX_BITS})`);
  }
  return n;
}

/**
 * Parses a decimal integer the way num-bigint 0.2 does: an optional sign (`-`, or `+` for the magnitude),
 * digits with `_` allowed after the first digit, nothing else (no spaces, no `0x`). Returns null when invalid.
 */
export function parseBigIntDecimal(text: string): bigint | null {
  let s = text;
  let negative = false;
  if (s.startsWith("-")) {
    negative = true;
    if (!s.startsWith("-+")) s = s.slice(1);
  }
  if (s.startsWith("+") && !s.startsWith("++")) s = s.slice(1);
  if (s.length === 0 || s.startsWith("_")) return null;
  let digits = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += s[i];
    else if (c !== 95 /* _ */) return null;
  }
  if (digits === "") return 0n; // e.g. "0_" is digits "0"; all-underscore after a digit is impossible here
  const v = BigInt(digits);
  return negative ? -v : v;
}

/** `typeConversion.bigIntToHex`: "0x0" for zero, else the magnitude's hex without leading zeros (the sign is dropped). */
export function bigIntToHexGraph(n: bigint): string {
  if (n === 0n) return "0x0";
  return `0x${(n < 0n ? -n : n).toString(16)}`;
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** Rust's `i64::from_str`: optional `+`/`-`, ASCII digits only, in range. Null when invalid. */
export function parseI64(text: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const v = BigInt(text.startsWith("+") ? text.slice(1) : text);
  return v < I64_MIN || v > I64_MAX ? null : v;
}

/** Rust's `u64::from_str`: optional `+`, ASCII digits only, in range. Null when invalid. */
export function parseU64(text: string): bigint | null {
  if (!/^\+?[0-9]+$/.test(text)) return null;
  const v = BigInt(text.startsWith("+") ? text.slice(1) : text);
  return v > U64_MAX ? null : v;
}

/** Rust's `f64::from_str`: decimal or exponent notation, `inf`/`infinity`/`nan` in any case, no spaces. */
export function parseF64(text: string): number | null {
  const m = /^([+-]?)(?:(inf|infinity|nan)|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?))$/i.exec(text);
  if (!m) return null;
  if (m[2]) {
    const word = m[2].toLowerCase();
    if (word === "nan") return Number.NaN;
    return m[1] === "-" ? -Infinity : Infinity;
  }
  return Number(text);
}
