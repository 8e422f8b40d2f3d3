/** Byte helpers shared by the Merkle tree and the fingerprinting code: hex in and out, comparisons. */
import { InvalidInputError } from "../errors.ts";

/** Thrown for a value that should be 32 bytes (a bytes32) and is not. */
export class InvalidBytes32Error extends InvalidInputError {
  override name = "InvalidBytes32Error";
  constructor(what: string, value: unknown) {
    const shown = typeof value === "string" ? JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value) : String(value);
    super(what, `${what} must be a bytes32: a 0x-prefixed 64-digit hex string or a 32-byte Uint8Array (got ${shown})`);
  }
}

const HEX_PAIR = new Int16Array(1 << 16).fill(-1);
{
  const digits = "0123456789abcdef";
  for (let hi = 0; hi < 16; hi++) {
    for (let lo = 0; lo < 16; lo++) {
      for (const h of [digits[hi]!, digits[hi]!.toUpperCase()]) {
        for (const l of [digits[lo]!, digits[lo]!.toUpperCase()]) {
          HEX_PAIR[(h.charCodeAt(0) << 8) | l.charCodeAt(0)] = hi * 16 + lo;
        }
      }
    }
  }
}

/**
 * Writes a bytes32 (0x-prefixed hex, either case, or 32 bytes) into `out` at `offset`. Fastest when `out` is a
 * Buffer.
 *
 * @example
 * const out = new Uint8Array(32);
 * writeBytes32(out, 0, "0x" + "ab".repeat(32)); // out is now 32 × 0xab
 * @throws InvalidBytes32Error when the value is not a bytes32.
 */
export function writeBytes32(out: Uint8Array, offset: number, value: string | Uint8Array, what = "value"): void {
  if (typeof value === "string") {
    if (value.length !== 66 || value.charCodeAt(0) !== 48 || (value.charCodeAt(1) | 32) !== 120) {
      throw new InvalidBytes32Error(what, value);
    }
    if (out instanceof Buffer) {
      // Node's hex decoder (stops at the first non-hex pair): the fastest path for bulk input.
      if (out.write(value.slice(2), offset, 32, "hex") !== 32) throw new InvalidBytes32Error(what, value);
      return;
    }
    let bad = 0;
    for (let j = 0; j < 32; j++) {
      const hi = value.charCodeAt(2 + 2 * j);
      const lo = value.charCodeAt(3 + 2 * j);
      const byte = (hi | lo) > 0xff ? -1 : HEX_PAIR[(hi << 8) | lo]!;
      bad |= byte;
      out[offset + j] = byte;
    }
    if (bad < 0) throw new InvalidBytes32Error(what, value);
  } else if (value instanceof Uint8Array && value.length === 32) {
    out.set(value, offset);
  } else {
    throw new InvalidBytes32Error(what, value);
  }
}

/**
 * 0x-prefixed lowercase hex of `length` bytes of `bytes` from `offset`.
 *
 * @example
 * toHex(new Uint8Array([1, 255])); // "0x01ff"
 */
export function toHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  return "0x" + Buffer.from(bytes.buffer, bytes.byteOffset + offset, length).toString("hex");
}

/**
 * Compares 32-byte words a (in `x` at `i`) and b (in `y` at `j`) as unsigned big-endian integers.
 *
 * @example
 * compare32(new Uint8Array(32), 0, new Uint8Array(32).fill(1), 0); // -1
 */
export function compare32(x: Uint8Array, i: number, y: Uint8Array, j: number): number {
  for (let k = 0; k < 32; k++) {
    const d = x[i + k]! - y[j + k]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
