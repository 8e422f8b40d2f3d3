/**
 * Entity values as the embedded graph-node-compatible runtime holds them in memory, shared by the WASM host, the
 * store and the GraphQL layer. The schema says which GraphQL type a field has; the JS representation is:
 *
 * | GraphQL type          | JS value                         |
 * | --------------------- | -------------------------------- |
 * | ID, String, enums     | string                           |
 * | Int                   | number (i32)                     |
 * | Int8, BigInt          | bigint                           |
 * | Timestamp             | bigint (microseconds since epoch)|
 * | BigDecimal            | BigDecimal                       |
 * | Boolean               | boolean                          |
 * | Bytes                 | Uint8Array                       |
 * | entity reference      | the referenced id's value (string, Uint8Array or bigint, per the target's id type) |
 * | list [T]              | Value[]                          |
 * | absent / null         | null                             |
 */

/** A decimal number `digits × 10^exp`, as graph-node's BigDecimal (normalised to at most 34 significant digits). */
export class BigDecimal {
  readonly digits: bigint;
  readonly exp: number;

  constructor(digits: bigint, exp: number) {
    this.digits = digits;
    this.exp = exp;
  }

  /** Parses a decimal string such as "-12.5", "1e-7" or "3". Throws on anything else. */
  static parse(text: string): BigDecimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw new Error(`invalid BigDecimal: ${JSON.stringify(text)}`);
    const [, sign, whole, fraction = "", exponent = "0"] = match;
    const digits = BigInt(`${sign}${whole}${fraction}` || "0");
    return new BigDecimal(digits, Number(exponent) - fraction.length);
  }

  /** Plain decimal notation without exponent, trailing zeros removed ("1.5", "-0.001", "120"). */
  toString(): string {
    const { digits, exp } = this.normalized();
    if (digits === 0n) return "0";
    const negative = digits < 0n;
    const abs = (negative ? -digits : digits).toString();
    let text: string;
    if (exp >= 0) text = abs + "0".repeat(exp);
    else if (-exp >= abs.length) text = `0.${"0".repeat(-exp - abs.length)}${abs}`;
    else text = `${abs.slice(0, abs.length + exp)}.${abs.slice(abs.length + exp)}`;
    return negative ? `-${text}` : text;
  }

  /** The same value with trailing zero digits folded into the exponent. */
  normalized(): BigDecimal {
    let { digits, exp } = this;
    if (digits === 0n) return new BigDecimal(0n, 0);
    while (digits % 10n === 0n) {
      digits /= 10n;
      exp += 1;
    }
    return new BigDecimal(digits, exp);
  }

  equals(other: BigDecimal): boolean {
    const a = this.normalized();
    const b = other.normalized();
    return a.digits === b.digits && a.exp === b.exp;
  }
}

export type Value = string | number | bigint | boolean | Uint8Array | BigDecimal | null | Value[];

/** An entity's fields by name. `id` is always present. */
export type Entity = Record<string, Value>;

/** Lowercase 0x-hex of bytes, the way graph-node prints Bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** A value as graph-node's `Value` `Display` prints it in messages: Bytes as 0x-hex, lists as `[a, b]`. */
export function valueDisplay(value: Value): string {
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (Array.isArray(value)) return `[${value.map(valueDisplay).join(", ")}]`;
  return String(value);
}

/** Bytes of a 0x-hex string (odd lengths are left-padded like graph-node does). Throws on non-hex input. */
export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(body)) throw new Error(`invalid hex: ${JSON.stringify(hex)}`);
  return new Uint8Array(Buffer.from(body.length % 2 ? `0${body}` : body, "hex"));
}
