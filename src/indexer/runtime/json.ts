/**
 * JSON as graph-node parses it for `json.fromBytes`: serde_json with `arbitrary_precision` (numbers keep their text,
 * except integers that fit u64/i64, which are printed canonically), objects as a BTreeMap (keys sorted by their
 * UTF-8 bytes, the last duplicate wins), strict syntax, a nesting limit of 128 and no byte-order mark.
 */
import { JsonValueKind } from "./type-ids.ts";

export type JsonValue =
  | { kind: typeof JsonValueKind.NULL }
  | { kind: typeof JsonValueKind.BOOL; value: boolean }
  /** The number's text. */
  | { kind: typeof JsonValueKind.NUMBER; value: string }
  | { kind: typeof JsonValueKind.STRING; value: string }
  | { kind: typeof JsonValueKind.ARRAY; value: JsonValue[] }
  /** Entries sorted by key. */
  | { kind: typeof JsonValueKind.OBJECT; value: [string, JsonValue][] };

/** The input is not JSON; the message follows serde_json's wording and position. */
export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** graph-node refuses JSON documents larger than this. */
export const MAX_JSON_SIZE = 10_000_000;
const RECURSION_LIMIT = 128;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Parses UTF-8 bytes as graph-node's `json.fromBytes` does. Throws JsonSyntaxError. */
export function parseJsonBytes(bytes: Uint8Array): JsonValue {
  if (bytes.length > MAX_JSON_SIZE) throw new JsonSyntaxError(`JSON size exceeds max size of ${MAX_JSON_SIZE}`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new JsonSyntaxError("invalid unicode code point");
  }
  return parseJsonText(text);
}

/** Parses JSON text with serde_json's rules. Throws JsonSyntaxError. */
export function parseJsonText(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(RECURSION_LIMIT);
  parser.skipWhitespace();
  if (parser.pos < text.length) parser.fail("trailing characters");
  return value;
}

/** Compares two strings by their UTF-8 bytes (Rust's `str` order). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800-DFFF) encode code points above U+FFFF, which sort after U+E000-U+FFFF in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? (y >= 0xe000 ? 1 : x - y) : x >= 0xe000 ? -1 : x - y;
    return x - y;
  }
  return a.length - b.length;
}

const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    let line = 1;
    let column = 0;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        column = 0;
      } else column++;
    }
    throw new JsonSyntaxError(`${message} at line ${line} column ${Math.max(column, 1)}`);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  parseValue(depth: number): JsonValue {
    const t = this.text;
    if (this.pos >= t.length) this.fail("EOF while parsing a value");
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x6e /* n */:
        this.expectWord("null");
        return { kind: JsonValueKind.NULL };
      case 0x74 /* t */:
        this.expectWord("true");
        return { kind: JsonValueKind.BOOL, value: true };
      case 0x66 /* f */:
        this.expectWord("false");
        return { kind: JsonValueKind.BOOL, value: false };
      case 0x22 /* " */:
        return { kind: JsonValueKind.STRING, value: this.parseString() };
      case 0x5b /* [ */:
        return this.parseArray(depth);
      case 0x7b /* { */:
        return this.parseObject(depth);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return { kind: JsonValueKind.NUMBER, value: this.parseNumber() };
        this.pos++;
        return this.fail("expected value");
    }
  }

  expectWord(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.pos >= this.text.length) this.fail("EOF while parsing a value");
      if (this.text.charCodeAt(this.pos) !== word.charCodeAt(i)) {
        this.pos++;
        this.fail("expected ident");
      }
      this.pos++;
    }
  }

  parseNumber(): string {
    const t = this.text;
    const start = this.pos;
    if (t.charCodeAt(this.pos) === 0x2d) this.pos++;
    const digit = (i: number) => {
      const c = t.charCodeAt(i);
      return c >= 0x30 && c <= 0x39;
    };
    if (this.pos >= t.length) this.fail("EOF while parsing a value");
    if (t.charCodeAt(this.pos) === 0x30) {
      this.pos++;
      if (this.pos < t.length && digit(this.pos)) this.fail("invalid number");
    } else if (digit(this.pos)) {
      while (this.pos < t.length && digit(this.pos)) this.pos++;
    } else {
      this.pos++;
      this.fail("invalid number");
    }
    let integer = true;
    if (this.pos < t.length && t.charCodeAt(this.pos) === 0x2e) {
      integer = false;
      this.pos++;
      if (this.pos >= t.length) this.fail("EOF while parsing a value");
      if (!digit(this.pos)) this.fail("invalid number");
      while (this.pos < t.length && digit(this.pos)) this.pos++;
    }
    if (this.pos < t.length && (t.charCodeAt(this.pos) | 0x20) === 0x65) {
      integer = false;
      this.pos++;
      if (this.pos < t.length && (t.charCodeAt(this.pos) === 0x2b || t.charCodeAt(this.pos) === 0x2d)) this.pos++;
      if (this.pos >= t.length) this.fail("EOF while parsing a value");
      if (!digit(this.pos)) {
        this.pos++;
        this.fail("invalid number");
      }
      while (this.pos < t.length && digit(this.pos)) this.pos++;
    }
    const text = t.slice(start, this.pos);
    if (integer) {
      // serde_json first tries u64 (non-negative) or i64 (negative) and then prints that integer.
      const v = BigInt(text);
      if ((v >= 0n && v <= U64_MAX && !text.startsWith("-")) || (text.startsWith("-") && v >= I64_MIN)) {
        return v.toString();
      }
    }
    return text;
  }

  parseString(): string {
    const t = this.text;
    this.pos++; // opening quote
    let out = "";
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail("EOF while parsing a string");
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail("control character (\\u0000-\\u001F) found while parsing a string");
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(runStart, this.pos);
      this.pos++;
      if (this.pos >= t.length) this.fail("EOF while parsing a string");
      const e = t[this.pos]!;
      this.pos++;
      switch (e) {
        case '"':
          out += '"';
          break;
        case "\\":
          out += "\\";
          break;
        case "/":
          out += "/";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hi = this.hex4();
          if (hi >= 0xdc00 && hi <= 0xdfff) this.fail("lone leading surrogate in hex escape");
          if (hi >= 0xd800 && hi <= 0xdbff) {
            if (t[this.pos] !== "\\" || t[this.pos + 1] !== "u") this.fail("unexpected end of hex escape");
            this.pos += 2;
            const lo = this.hex4();
            if (lo < 0xdc00 || lo > 0xdfff) this.fail("lone leading surrogate in hex escape");
            out += String.fromCharCode(hi, lo);
          } else out += String.fromCharCode(hi);
          break;
        }
        default:
          this.fail("invalid escape");
      }
      runStart = this.pos;
    }
  }

  hex4(): number {
    const h = this.text.slice(this.pos, this.pos + 4);
    if (h.length < 4) this.fail("EOF while parsing a string");
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail("invalid escape");
    this.pos += 4;
    return parseInt(h, 16);
  }

  parseArray(depth: number): JsonValue {
    if (depth <= 1) this.fail("recursion limit exceeded");
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return { kind: JsonValueKind.ARRAY, value: items };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.parseValue(depth - 1));
      this.skipWhitespace();
      if (this.pos >= this.text.length) this.fail("EOF while parsing a list");
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x5d) return { kind: JsonValueKind.ARRAY, value: items };
      if (c !== 0x2c) this.fail("expected `,` or `]`");
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) === 0x5d) this.fail("trailing comma");
    }
  }

  parseObject(depth: number): JsonValue {
    if (depth <= 1) this.fail("recursion limit exceeded");
    this.pos++;
    const map = new Map<string, JsonValue>();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return { kind: JsonValueKind.OBJECT, value: [] };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= this.text.length) this.fail("EOF while parsing an object");
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail("key must be a string");
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected `:`");
      this.pos++;
      this.skipWhitespace();
      map.set(key, this.parseValue(depth - 1));
      this.skipWhitespace();
      if (this.pos >= this.text.length) this.fail("EOF while parsing an object");
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x7d) break;
      if (c !== 0x2c) this.fail("expected `,` or `}`");
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) === 0x7d) this.fail("trailing comma");
    }
    const entries = [...map.entries()].sort((a, b) => compareUtf8(a[0], b[0]));
    return { kind: JsonValueKind.OBJECT, value: entries };
  }
}
