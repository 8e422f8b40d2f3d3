/** `bigInt.*` and `bigDecimal.*` with graph-node's (num-bigint 0.2 / bigdecimal 0.1.2) semantics. */
import type { BigDecimal } from "../../values.ts";
import { HostError } from "../errors.ts";
import { checkBigIntSize, parseBigIntDecimal } from "../bigint.ts";
import {
  decimalDividedBy,
  decimalEquals,
  decimalFromString,
  decimalMinus,
  decimalPlus,
  decimalTimes,
  decimalToString,
  normalizeDecimal,
} from "../bigdecimal.ts";
import type { HostContext, HostFunctions } from "./context.ts";

/** Rust's `u8::try_from(u32)`, which graph-node applies to pow exponents and shift amounts. */
function toU8(value: number): number {
  const v = value >>> 0;
  if (v > 255) throw new HostError("invalid-argument", "out of range integral type conversion attempted");
  return v;
}

/** `bigInt.dividedBy`: truncating division; dividing by zero is a deterministic error. */
export function bigIntDividedBy(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new HostError("division-by-zero", `attempted to divide BigInt \`${x}\` by zero`);
  return x / y;
}

/** `bigInt.mod`: remainder with the dividend's sign; a zero divisor is a deterministic error. */
export function bigIntMod(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new HostError("division-by-zero", `attempted to calculate the remainder of \`${x}\` with a divisor of zero`);
  return x % y;
}

/** `bigInt.pow` with a u8 exponent and graph-node's size limit on the result. */
export function bigIntPow(x: bigint, exp: number): bigint {
  return checkBigIntSize(x ** BigInt(toU8(exp)));
}

/** `bigInt.fromString`. */
export function bigIntFromString(text: string): bigint {
  const v = parseBigIntDecimal(text);
  if (v === null) throw new HostError("invalid-argument", `string is not a BigInt: \`${text}\``);
  return checkBigIntSize(v);
}

export function numbersHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  const binaryBigInt =
    (op: (x: bigint, y: bigint) => bigint) =>
    (xPtr: number, yPtr: number): number => {
      heap.refresh();
      const x = heap.readBigInt(xPtr >>> 0);
      const y = heap.readBigInt(yPtr >>> 0);
      return heap.writeBigInt(op(x, y));
    };
  const binaryDecimal =
    (op: (x: BigDecimal, y: BigDecimal) => BigDecimal) =>
    (xPtr: number, yPtr: number): number => {
      heap.refresh();
      const x = heap.readBigDecimal(xPtr >>> 0);
      const y = heap.readBigDecimal(yPtr >>> 0);
      return heap.writeBigDecimal(op(x, y));
    };

  return {
    "bigInt.plus": binaryBigInt((x, y) => x + y),
    "bigInt.minus": binaryBigInt((x, y) => x - y),
    "bigInt.times": binaryBigInt((x, y) => x * y),
    "bigInt.dividedBy": binaryBigInt(bigIntDividedBy),
    "bigInt.mod": binaryBigInt(bigIntMod),
    "bigInt.bitOr": binaryBigInt((x, y) => x | y),
    "bigInt.bitAnd": binaryBigInt((x, y) => x & y),
    "bigInt.pow"(xPtr, exp) {
      heap.refresh();
      return heap.writeBigInt(bigIntPow(heap.readBigInt(xPtr >>> 0), exp));
    },
    "bigInt.leftShift"(xPtr, bits) {
      heap.refresh();
      return heap.writeBigInt(heap.readBigInt(xPtr >>> 0) << BigInt(toU8(bits)));
    },
    "bigInt.rightShift"(xPtr, bits) {
      heap.refresh();
      // BigInt >> rounds toward negative infinity, as num-bigint does for negative numbers.
      return heap.writeBigInt(heap.readBigInt(xPtr >>> 0) >> BigInt(toU8(bits)));
    },
    "bigInt.fromString"(ptr) {
      heap.refresh();
      return heap.writeBigInt(bigIntFromString(heap.readString(ptr >>> 0)));
    },
    "bigInt.dividedByDecimal"(xPtr, yPtr) {
      heap.refresh();
      const x = normalizeDecimal(heap.readBigInt(xPtr >>> 0), 0);
      const y = heap.readBigDecimal(yPtr >>> 0);
      return heap.writeBigDecimal(decimalDividedBy(x, y));
    },

    "bigDecimal.plus": binaryDecimal(decimalPlus),
    "bigDecimal.minus": binaryDecimal(decimalMinus),
    "bigDecimal.times": binaryDecimal(decimalTimes),
    "bigDecimal.dividedBy": binaryDecimal(decimalDividedBy),
    "bigDecimal.equals"(xPtr, yPtr) {
      heap.refresh();
      return decimalEquals(heap.readBigDecimal(xPtr >>> 0), heap.readBigDecimal(yPtr >>> 0)) ? 1 : 0;
    },
    "bigDecimal.toString"(ptr) {
      heap.refresh();
      return heap.writeString(decimalToString(heap.readBigDecimal(ptr >>> 0)));
    },
    "bigDecimal.fromString"(ptr) {
      heap.refresh();
      return heap.writeBigDecimal(decimalFromString(heap.readString(ptr >>> 0)));
    },
  };
}
