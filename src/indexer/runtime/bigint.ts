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
  if (n >= 0n && n <= 0x7fffffffn) {
    // Fast path for small non-negative numbers (block numbers, timestamps, ids).
    const v = Number(n);
    const len = v < 0x80 ? 1 : v < 0x8000 ? 2 : v < 0x800000 ? 3 : 4;
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = (v >>> (8 * i)) & 0xff;
    return out;
  }
  // The two's complement of a negative n is the bitwise NOT of -n - 1; k bytes hold it plus the sign bit: the
  // smallest k with -2^(8k-1) <= n < 2^(8k-1).
  const negative = n < 0n;
  const hex = (negative ? -n - 1n : n).toString(16);
  const k = Math.floor(hexBitLength(hex) / 8) + 1;
  const bigEndian = Buffer.from(hex.length & 1 ? `0${hex}` : hex, "hex");
  const out = new Uint8Array(k);
  for (let i = 0, last = bigEndian.length - 1; i <= last; i++) out[i] = bigEndian[last - i]!;
  if (negative) for (let i = 0; i < k; i++) out[i] = ~out[i]! & 0xff;
  return out;
}

/** Reads signed little-endian two's-complement bytes (empty → 0), as num-bigint's `from_signed_bytes_le`. */
export function bigIntFromSignedBytesLE(bytes: Uint8Array): bigint {
  const len = bytes.length;
  if (len === 0) return 0n;
  const negative = bytes[len - 1]! > 0x7f;
  if (len <= 6) {
    let v = 0;
    for (let i = len - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
    return negative ? BigInt(v - 2 ** (8 * len)) : BigInt(v);
  }
  let hex = "";
  for (let i = len - 1; i >= 0; i--) hex += HEX_BYTE[bytes[i]!];
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
