/**
 * bigInt.* and bigDecimal.* host functions, called directly against a live mapping instance's memory, checked
 * against values computed independently (JS BigInt arithmetic, hand-derived graph-node results).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BigDecimal } from "../../../src/indexer/values.ts";
import { HostError } from "../../../src/indexer/runtime/errors.ts";
import { bigIntFromSignedBytesLE, bigIntToSignedBytesLE, bitLength, signedBytesLELength, writeSignedBytesLE } from "../../../src/indexer/runtime/bigint.ts";
import { decimalDividedBy, decimalFromString, decimalToString, normalizeDecimal } from "../../../src/indexer/runtime/bigdecimal.ts";
import { hostHarness, type HostHarness } from "./helpers.ts";

let h: HostHarness;
beforeAll(async () => {
  h = await hostHarness();
});

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function bigOp(name: string, x: bigint, y: bigint): bigint {
  return h.heap.readBigInt(h.call(name, h.heap.writeBigInt(x), h.heap.writeBigInt(y)) as number);
}

function decOp(name: string, x: string, y: string): string {
  const a = h.heap.writeBigDecimal(decimalFromString(x));
  const b = h.heap.writeBigDecimal(decimalFromString(y));
  const result = h.call(name, a, b) as number;
  return h.heap.readString(h.call("bigDecimal.toString", result) as number);
}

function hostError(fn: () => unknown): HostError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HostError) return error;
    throw error;
  }
  throw new Error("expected a HostError");
}

describe("BigInt byte encoding (signed two's complement, little-endian, minimal)", () => {
  it.each([
    [0n, "00"],
    [1n, "01"],
    [-1n, "ff"],
    [127n, "7f"],
    [128n, "8000"],
    [255n, "ff00"],
    [256n, "0001"],
    [-128n, "80"],
    [-129n, "7fff"],
    [-256n, "00ff"],
    [-32768n, "0080"],
    [-32769n, "ff7fff"],
    [2n ** 63n, "000000000000008000"],
  ])("%s ⇄ %s", (n, bytes) => {
    expect(hexOf(bigIntToSignedBytesLE(n))).toBe(bytes);
    expect(bigIntFromSignedBytesLE(Buffer.from(bytes, "hex"))).toBe(n);
  });

  it("needs an extra 0x00 for a uint256 with the top bit set", () => {
    const max = 2n ** 256n - 1n;
    const bytes = bigIntToSignedBytesLE(max);
    expect(bytes.length).toBe(33);
    expect(hexOf(bytes)).toBe("ff".repeat(32) + "00");
    const top = bigIntToSignedBytesLE(2n ** 255n);
    expect(hexOf(top)).toBe("00".repeat(31) + "8000");
    expect(bigIntFromSignedBytesLE(top)).toBe(2n ** 255n);
  });

  it("round-trips values of every size and sign in the fewest bytes that hold their sign", () => {
    let n = 1n;
    for (let bits = 1; bits <= 300; bits++, n = n * 2n + BigInt(bits % 3 === 0)) {
      for (const value of [n, -n, n - 1n, -n - 1n, 2n ** BigInt(bits), -(2n ** BigInt(bits))]) {
        const bytes = bigIntToSignedBytesLE(value);
        expect(bigIntFromSignedBytesLE(bytes), `${value}`).toBe(value);
        // One byte fewer would not hold it: -2^(8(k-1)-1) <= value < 2^(8(k-1)-1) is false.
        if (bytes.length > 1) {
          const half = 2n ** BigInt(8 * (bytes.length - 1) - 1);
          expect(value >= -half && value < half, `${value} in ${bytes.length} bytes`).toBe(false);
        }
        expect(bitLength(value), `${value}`).toBe(value < 0n ? (-value).toString(2).length : value === 0n ? 0 : value.toString(2).length);
      }
    }
  });

  it("reads empty bytes as zero and round-trips through WASM memory", () => {
    expect(bigIntFromSignedBytesLE(new Uint8Array(0))).toBe(0n);
    for (const n of [0n, -1n, 2n ** 256n - 1n, -(2n ** 255n), 123456789012345678901234567890n]) {
      expect(h.heap.readBigInt(h.heap.writeBigInt(n))).toBe(n);
      expect(hexOf(h.heap.readBytes(h.heap.writeBigInt(n)))).toBe(hexOf(bigIntToSignedBytesLE(n)));
    }
  });

  it("writes and reads the bytes where they are, at an offset, leaving their neighbours alone", () => {
    for (let bits = 0; bits <= 270; bits += 7) {
      for (const n of [2n ** BigInt(bits) - 1n, -(2n ** BigInt(bits)), 3n ** BigInt(Math.floor(bits / 2))]) {
        const length = signedBytesLELength(n);
        const memory = new Uint8Array(length + 6).fill(0xa5);
        writeSignedBytesLE(n, length, memory, 3);
        expect(hexOf(memory.subarray(3, 3 + length)), `${n}`).toBe(hexOf(bigIntToSignedBytesLE(n)));
        // The same bytes computed another way: the two's complement in `length` bytes, little-endian.
        const twos = BigInt.asUintN(8 * length, n).toString(16).padStart(2 * length, "0");
        expect(hexOf(memory.subarray(3, 3 + length)), `${n}`).toBe(twos.match(/../g)!.reverse().join(""));
        expect([...memory.subarray(0, 3), ...memory.subarray(3 + length)]).toEqual(new Array(6).fill(0xa5));
        expect(bigIntFromSignedBytesLE(memory, 3, 3 + length), `${n}`).toBe(n);
        expect(h.heap.readBigInt(h.heap.writeBigInt(n)), `${n}`).toBe(n);
      }
    }
  });
});

describe("bigInt host functions", () => {
  const cases: [bigint, bigint][] = [
    [7n, 2n],
    [-7n, 2n],
    [7n, -2n],
    [-7n, -2n],
    [0n, 5n],
    [2n ** 256n - 1n, 3n],
    [-(2n ** 255n), 12345678901234567890n],
  ];

  it.each(cases)("plus/minus/times of %s and %s", (x, y) => {
    expect(bigOp("bigInt.plus", x, y)).toBe(x + y);
    expect(bigOp("bigInt.minus", x, y)).toBe(x - y);
    expect(bigOp("bigInt.times", x, y)).toBe(x * y);
  });

  it("divides truncating toward zero and takes the dividend's sign for mod", () => {
    expect(bigOp("bigInt.dividedBy", 7n, -2n)).toBe(-3n);
    expect(bigOp("bigInt.dividedBy", -7n, 2n)).toBe(-3n);
    expect(bigOp("bigInt.dividedBy", -7n, -2n)).toBe(3n);
    expect(bigOp("bigInt.mod", -7n, 2n)).toBe(-1n);
    expect(bigOp("bigInt.mod", 7n, -2n)).toBe(1n);
    expect(bigOp("bigInt.mod", 2n ** 256n - 1n, 1000n)).toBe((2n ** 256n - 1n) % 1000n);
  });

  it("fails deterministically on division by zero", () => {
    const div = hostError(() => bigOp("bigInt.dividedBy", 5n, 0n));
    expect(div.code).toBe("division-by-zero");
    expect(div.deterministic).toBe(true);
    expect(div.message).toBe("attempted to divide BigInt `5` by zero");
    const mod = hostError(() => bigOp("bigInt.mod", -5n, 0n));
    expect(mod.message).toBe("attempted to calculate the remainder of `-5` with a divisor of zero");
  });

  it("raises to u8 powers and refuses bigger exponents or results", () => {
    const pow = (x: bigint, e: number) => h.heap.readBigInt(h.call("bigInt.pow", h.heap.writeBigInt(x), e) as number);
    expect(pow(2n, 255)).toBe(2n ** 255n);
    expect(pow(-3n, 3)).toBe(-27n);
    expect(pow(10n, 0)).toBe(1n);
    expect(pow(0n, 0)).toBe(1n);
    expect(hostError(() => pow(2n, 256)).message).toBe("out of range integral type conversion attempted");
    expect(hostError(() => pow(2n ** 2000n, 255)).message).toMatch(/^BigInt is too big, total bits 510002 \(max 435412\)$/);
  });

  it("does two's-complement bit operations on negative numbers", () => {
    expect(bigOp("bigInt.bitOr", -8n, 3n)).toBe(-5n);
    expect(bigOp("bigInt.bitAnd", -8n, 7n)).toBe(0n);
    expect(bigOp("bigInt.bitAnd", -1n, 255n)).toBe(255n);
    expect(bigOp("bigInt.bitOr", 2n ** 255n, 1n)).toBe(2n ** 255n + 1n);
    expect(bigOp("bigInt.bitAnd", -(2n ** 200n), 2n ** 201n - 1n)).toBe(2n ** 201n - 2n ** 200n);
  });

  it("shifts by u8 amounts, right shifts rounding toward negative infinity", () => {
    const shl = (x: bigint, n: number) => h.heap.readBigInt(h.call("bigInt.leftShift", h.heap.writeBigInt(x), n) as number);
    const shr = (x: bigint, n: number) => h.heap.readBigInt(h.call("bigInt.rightShift", h.heap.writeBigInt(x), n) as number);
    expect(shl(-3n, 4)).toBe(-48n);
    expect(shl(1n, 255)).toBe(2n ** 255n);
    expect(shr(17n, 2)).toBe(4n);
    expect(shr(-17n, 2)).toBe(-5n);
    expect(shr(-1n, 200)).toBe(-1n);
    expect(hostError(() => shl(1n, 300)).message).toBe("out of range integral type conversion attempted");
  });

  it("parses strings like num-bigint", () => {
    const parse = (s: string) => h.heap.readBigInt(h.call("bigInt.fromString", h.heap.writeString(s)) as number);
    expect(parse("-0012")).toBe(-12n);
    expect(parse("+5")).toBe(5n);
    expect(parse("1_000_000")).toBe(1_000_000n);
    expect(parse("115792089237316195423570985008687907853269984665640564039457584007913129639935")).toBe(2n ** 256n - 1n);
    for (const bad of ["", "-", " 1", "1 ", "0x10", "_1", "1.5", "--1", "++1", "1e3"]) {
      expect(hostError(() => parse(bad)).message, bad).toBe(`string is not a BigInt: \`${bad}\``);
    }
  });

  it("prints decimal and graph-node's magnitude-only hex", () => {
    const str = (n: bigint) => h.heap.readString(h.call("typeConversion.bigIntToString", h.heap.writeBigInt(n)) as number);
    const hx = (n: bigint) => h.heap.readString(h.call("typeConversion.bigIntToHex", h.heap.writeBigInt(n)) as number);
    expect(str(-(2n ** 255n))).toBe((-(2n ** 255n)).toString());
    expect(str(0n)).toBe("0");
    expect(hx(0n)).toBe("0x0");
    expect(hx(4096n)).toBe("0x1000");
    expect(hx(2n ** 256n - 1n)).toBe(`0x${"f".repeat(64)}`);
    expect(hx(-255n)).toBe("0xff");
  });

  it("divides a BigInt by a BigDecimal after normalising the BigInt to 34 digits", () => {
    const div = (x: bigint, y: string) =>
      decimalToString(h.heap.readBigDecimal(h.call("bigInt.dividedByDecimal", h.heap.writeBigInt(x), h.heap.writeBigDecimal(decimalFromString(y))) as number));
    expect(div(1n, "3")).toBe(`0.${"3".repeat(34)}`);
    expect(div(10n, "4")).toBe("2.5");
    // 38 digits: rounded to 1234567890123456789012345678901235 × 10^4 before dividing by 1.
    expect(div(12345678901234567890123456789012345678n, "1")).toBe("12345678901234567890123456789012350000");
    expect(hostError(() => div(1n, "0")).message).toBe("attempted to divide BigDecimal `1` by zero");
  });
});

describe("bigDecimal host functions", () => {
  it("adds, subtracts and multiplies exactly within 34 digits", () => {
    expect(decOp("bigDecimal.plus", "0.1", "0.2")).toBe("0.3");
    expect(decOp("bigDecimal.plus", "-1.5", "1.5")).toBe("0");
    expect(decOp("bigDecimal.minus", "1", "0.000000001")).toBe("0.999999999");
    expect(decOp("bigDecimal.times", "1.5", "-2")).toBe("-3");
    expect(decOp("bigDecimal.times", "0.001", "0.001")).toBe("0.000001");
    expect(decOp("bigDecimal.plus", "1e40", "1")).toBe("10000000000000000000000000000000000000000");
  });

  it("divides with 34 significant digits, rounding half up on positive results", () => {
    expect(decOp("bigDecimal.dividedBy", "1", "3")).toBe(`0.${"3".repeat(34)}`);
    expect(decOp("bigDecimal.dividedBy", "2", "3")).toBe(`0.${"6".repeat(33)}7`);
    expect(decOp("bigDecimal.dividedBy", "10", "4")).toBe("2.5");
    expect(decOp("bigDecimal.dividedBy", "7", "7")).toBe("1");
    expect(decOp("bigDecimal.dividedBy", "5", "1.0")).toBe("5");
  });

  it("keeps graph-node's quirks for negative results (truncation, 35 digits from the digit estimate)", () => {
    // The crate truncates negative numbers, and under-estimates the digit count of this 100-digit quotient.
    expect(decOp("bigDecimal.dividedBy", "-2", "3")).toBe(`-0.${"6".repeat(35)}`);
    expect(decOp("bigDecimal.dividedBy", "2", "-3")).toBe(`-0.${"6".repeat(35)}`);
    expect(decOp("bigDecimal.dividedBy", "-2", "-3")).toBe(`0.${"6".repeat(33)}7`);
  });

  it("normalises parsed values to 34 significant digits", () => {
    const parse = (s: string) => {
      const ptr = h.call("bigDecimal.fromString", h.heap.writeString(s)) as number;
      const digits = h.heap.readBigInt(h.heap.u32(ptr));
      const exp = h.heap.readBigInt(h.heap.u32(ptr + 4));
      return `${digits}e${exp}`;
    };
    expect(parse("1.50")).toBe("15e-1");
    expect(parse("-0.0")).toBe("0e0");
    expect(parse("1e-7")).toBe("1e-7");
    expect(parse("1E+3")).toBe("1e3");
    expect(parse("1200")).toBe("12e2");
    expect(parse(".5")).toBe("5e-1");
    expect(parse("-.5")).toBe("-5e-1");
    // 38 significant digits → 34, rounding the first dropped digit (5) up.
    expect(parse("1.2345678901234567890123456789012345678")).toBe("1234567890123456789012345678901235e-33");
    // Negative: truncated, and the crate's digit estimate (37) keeps 35 digits.
    expect(parse("-1.2345678901234567890123456789012345678")).toBe("-12345678901234567890123456789012345e-34");
    for (const bad of ["", "abc", "1.2.3", "e5", ".", "-", "1e", "1e1.5", " 1"]) {
      expect(hostError(() => parse(bad)).message, bad).toBe(`string  is not a BigDecimal: '${bad}'`);
    }
  });

  it("prints plain notation for tiny, huge and negative numbers", () => {
    const roundTrip = (s: string) =>
      h.heap.readString(h.call("bigDecimal.toString", h.call("bigDecimal.fromString", h.heap.writeString(s)) as number) as number);
    expect(roundTrip("0.000000000000000000000000000000000000000001")).toBe("0.000000000000000000000000000000000000000001");
    expect(roundTrip("-1e-7")).toBe("-0.0000001");
    expect(roundTrip("12.5e3")).toBe("12500");
    expect(roundTrip("-0")).toBe("0");
    expect(roundTrip("100")).toBe("100");
  });

  it("compares values, not representations", () => {
    const eq = (a: string, b: string) =>
      h.call("bigDecimal.equals", h.heap.writeBigDecimal(new BigDecimal(BigInt(a.split("e")[0]!), Number(a.split("e")[1] ?? 0))), h.heap.writeBigDecimal(decimalFromString(b)));
    expect(eq("10e-1", "1")).toBe(1);
    expect(eq("100e-2", "1.000")).toBe(1);
    expect(eq("1e0", "1.0000000001")).toBe(0);
  });

  it("rejects division by zero and exponents outside decimal128's range", () => {
    expect(hostError(() => decOp("bigDecimal.dividedBy", "1.5", "0")).message).toBe("attempted to divide BigDecimal `1.5` by zero");
    const outOfRange = h.heap.writeBigDecimal(new BigDecimal(1n, 6145));
    expect(hostError(() => h.call("bigDecimal.toString", outOfRange)).message).toBe("big decimal exponent `6145` is outside the `-6143` to `6144` range");
    expect(decimalToString(h.heap.readBigDecimal(h.heap.writeBigDecimal(new BigDecimal(1n, 6144))))).toBe(`1${"0".repeat(6144)}`);
  });

  it("normalises values read from WASM (trailing zeros folded into the exponent)", () => {
    const d = h.heap.readBigDecimal(h.heap.writeBigDecimal(new BigDecimal(1500n, -3)));
    expect([d.digits, d.exp]).toEqual([15n, -1]);
    expect(normalizeDecimal(10n ** 34n, 0)).toEqual(new BigDecimal(1n, 34));
    expect(decimalToString(decimalDividedBy(decimalFromString("1"), decimalFromString("7")))).toBe("0.1428571428571428571428571428571429");
  });
});
