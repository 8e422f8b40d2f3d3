/**
 * graph-node's BigDecimal arithmetic, reproduced bit for bit: graph-node wraps the `bigdecimal` crate at version
 * 0.1.2 and normalises every result to at most 34 significant digits (graph/src/data/store/scalar/bigdecimal.rs).
 *
 * Quirks kept on purpose, because they decide which digits a subgraph stores:
 * - rounding to 34 digits is half-up on the first dropped digit for positive numbers, but truncation toward zero
 *   for negative ones (the crate compares a negative remainder);
 * - the crate estimates the digit count of a negative number from its bit length without correcting the estimate,
 *   so some negative numbers keep 35 significant digits;
 * - division computes up to 100 significant digits, rounds half-up (symmetrically) on the 101st, then normalises.
 */
import { BigDecimal } from "../values.ts";
import { HostError } from "./errors.ts";
import { bitLength, parseBigIntDecimal } from "./bigint.ts";

/** The limits graph-node applies to the exponent of a BigDecimal read from WASM (IEEE-754 decimal128). */
export const BIGDECIMAL_MIN_EXP = -6143;
export const BIGDECIMAL_MAX_EXP = 6144;
const MAX_SIGNIFICANT_DIGITS = 34;
const DIVISION_MAX_PRECISION = 100;
const LOG2_10_APPROX = 3.3219280949;

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let p = POW10[n];
    if (p === undefined) {
      p = 10n ** BigInt(n);
      POW10[n] = p;
    }
    return p;
  }
  return 10n ** BigInt(n);
}

/** The crate's `count_decimal_digits`: exact for n >= 0, an uncorrected estimate from the bit length for n < 0. */
function crateDigitCount(n: bigint): number {
  if (n === 0n) return 1;
  let digits = Math.floor(bitLength(n) / LOG2_10_APPROX);
  if (n > 0n) {
    let p = pow10(digits);
    while (n >= p) {
      p *= 10n;
      digits++;
    }
  }
  return digits;
}

/** The crate's `get_rounding_term`: 1 when the most significant digit of a positive `r` is 5 or more. */
function roundingTerm(r: bigint): bigint {
  if (r <= 0n) return 0n;
  const s = r.toString();
  return s.charCodeAt(0) >= 53 /* '5' */ ? 1n : 0n;
}

/**
 * graph-node's `BigDecimal::normalized`: rounds `digits × 10^exp` to 34 significant digits (with the quirks above)
 * and folds trailing zeros into the exponent. Zero is (0, 0).
 */
export function normalizeDecimal(digits: bigint, exp: number): BigDecimal {
  if (digits === 0n) return new BigDecimal(0n, 0);
  // `with_prec(34)`: scale is the crate's negative exponent.
  const count = crateDigitCount(digits);
  let value = digits;
  let e = exp;
  if (count > MAX_SIGNIFICANT_DIGITS) {
    const diff = count - MAX_SIGNIFICANT_DIGITS;
    const p = pow10(diff);
    let q = value / p; // truncates toward zero, like num-bigint's div_rem
    const r = value - q * p;
    if (p < 10n * r) q += roundingTerm(r);
    value = q;
    e += diff;
  }
  // (When count < 34 the crate multiplies up; the value is unchanged and the zeros are stripped right after.)
  if (value === 0n) return new BigDecimal(0n, 0);
  // Strip trailing zeros.
  if (value % 10n === 0n) {
    const s = (value < 0n ? -value : value).toString();
    let end = s.length;
    while (end > 1 && s.charCodeAt(end - 1) === 48) end--;
    const stripped = s.length - end;
    value /= pow10(stripped);
    e += stripped;
  }
  return new BigDecimal(value, e);
}

/** Normalises an existing BigDecimal the way graph-node does. */
export function normalized(d: BigDecimal): BigDecimal {
  return normalizeDecimal(d.digits, d.exp);
}

function align(a: BigDecimal, b: BigDecimal): [bigint, bigint, number] {
  if (a.exp === b.exp) return [a.digits, b.digits, a.exp];
  if (a.exp > b.exp) return [a.digits * pow10(a.exp - b.exp), b.digits, b.exp];
  return [a.digits, b.digits * pow10(b.exp - a.exp), a.exp];
}

/** `bigDecimal.plus`. */
export function decimalPlus(a: BigDecimal, b: BigDecimal): BigDecimal {
  const [x, y, e] = align(a, b);
  return normalizeDecimal(x + y, e);
}

/** `bigDecimal.minus`. */
export function decimalMinus(a: BigDecimal, b: BigDecimal): BigDecimal {
  const [x, y, e] = align(a, b);
  return normalizeDecimal(x - y, e);
}

/** `bigDecimal.times`. */
export function decimalTimes(a: BigDecimal, b: BigDecimal): BigDecimal {
  return normalizeDecimal(a.digits * b.digits, a.exp + b.exp);
}

/** Exact value equality (`bigDecimal.equals`). */
export function decimalEquals(a: BigDecimal, b: BigDecimal): boolean {
  const [x, y] = align(a, b);
  return x === y;
}

/**
 * `bigDecimal.dividedBy`: the crate's division (100 significant digits, half-up on the next digit) followed by
 * graph-node's normalisation. Division by zero is graph-node's deterministic error.
 */
export function decimalDividedBy(a: BigDecimal, b: BigDecimal): BigDecimal {
  if (b.digits === 0n) {
    throw new HostError("division-by-zero", `attempted to divide BigDecimal \`${decimalToString(a)}\` by zero`);
  }
  if (a.digits === 0n) return normalizeDecimal(a.digits, a.exp);
  if (decimalEquals(b, ONE)) return normalizeDecimal(a.digits, a.exp);
  // The crate's scale is the negative exponent.
  const scale = -a.exp + b.exp;
  if (a.digits === b.digits) return normalizeDecimal(1n, -scale);
  const [digits, resultScale] = crateDivision(a.digits, b.digits, scale);
  return normalizeDecimal(digits, -resultScale);
}

const ONE = new BigDecimal(1n, 0);

function crateDivision(num: bigint, den: bigint, scale: number): [bigint, number] {
  if (num === 0n) return [0n, 0];
  if (num < 0n && den < 0n) return crateDivision(-num, -den, scale);
  if (num < 0n || den < 0n) {
    const [q, s] = crateDivision(num < 0n ? -num : num, den < 0n ? -den : den, scale);
    return [-q, s];
  }
  while (num < den) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / den;
  let remainder = num % den;
  if (remainder === 0n) return [quotient, scale];
  let precision = crateDigitCount(quotient);
  remainder *= 10n;
  while (remainder !== 0n && precision < DIVISION_MAX_PRECISION) {
    const q = remainder / den;
    remainder = (remainder % den) * 10n;
    quotient = quotient * 10n + q;
    precision++;
    scale++;
  }
  if (remainder !== 0n) quotient += roundingTerm(remainder / den);
  return [quotient, scale];
}

/** `bigDecimal.toString`: plain notation, no exponent (the crate's Display on the normalised value). */
export function decimalToString(d: BigDecimal): string {
  const { digits, exp } = d;
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString();
  let text: string;
  const scale = -exp;
  if (scale >= abs.length) text = `0.${"0".repeat(scale - abs.length)}${abs}`;
  else if (scale <= 0) text = abs + "0".repeat(-scale);
  else text = `${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * `bigDecimal.fromString`: the crate's parser (`1.5`, `-.5`, `5.`, `1e-7`, `1E+3`, digits may contain `_`), then
 * graph-node's normalisation. Throws graph-node's error for anything else.
 */
export function decimalFromString(text: string): BigDecimal {
  const parsed = parseCrateDecimal(text);
  if (parsed === null) {
    throw new HostError("invalid-argument", `string  is not a BigDecimal: '${text}'`);
  }
  return normalizeDecimal(parsed.digits, parsed.exp);
}

function parseCrateDecimal(s: string): BigDecimal | null {
  const e = s.search(/[eE]/);
  let base = s;
  let exponent = 0;
  if (e >= 0) {
    base = s.slice(0, e);
    let expText = s.slice(e + 1);
    if (expText.startsWith("+")) expText = expText.slice(1);
    // Rust's i64::from_str accepts one more leading sign.
    if (!/^[+-]?[0-9]+$/.test(expText)) return null;
    const n = Number(expText.replace(/^\+/, ""));
    if (!Number.isSafeInteger(n)) return null;
    exponent = n;
  }
  if (base === "") return null;
  const dot = base.indexOf(".");
  let digitText = base;
  let fraction = 0;
  if (dot >= 0) {
    const trail = base.slice(dot + 1);
    digitText = base.slice(0, dot) + trail;
    fraction = trail.length;
  }
  const digits = parseBigIntDecimal(digitText);
  if (digits === null) return null;
  return new BigDecimal(digits, exponent - fraction);
}

/**
 * Checks the exponent range graph-node enforces when it reads a BigDecimal from WASM; returns the normalised value.
 */
export function checkedDecimalFromParts(digits: bigint, exp: number): BigDecimal {
  const value = normalizeDecimal(digits, exp);
  if (value.exp < BIGDECIMAL_MIN_EXP || value.exp > BIGDECIMAL_MAX_EXP) {
    throw new HostError(
      "invalid-argument",
      `big decimal exponent \`${value.exp}\` is outside the \`${BIGDECIMAL_MIN_EXP}\` to \`${BIGDECIMAL_MAX_EXP}\` range`,
    );
  }
  return value;
}
