/**
 * YAML as graph-node parses it for `yaml.fromBytes` (runtime/wasm/src/host_exports.rs `yaml_from_bytes`:
 * `serde_yaml::from_slice::<serde_yaml::Value>`, serde_yaml 0.9.34). The `yaml` package parses the syntax (with the
 * failsafe schema, so that every scalar keeps its text); scalars are then resolved with serde_yaml's rules (de.rs
 * `visit_untagged_scalar`, `visit_scalar`):
 * - plain `""`, `~`, `null`, `Null`, `NULL` are null; `true`/`True`/`TRUE`/`false`/… booleans (no YAML 1.1 yes/no);
 * - integers (decimal, `0x`, `0o`, `0b`, signed) that fit u64/i64 are numbers printed in decimal; those that fit only
 *   u128/i128 are an error (serde_yaml's Value has no 128-bit integers); leading zeros (`007`) make a string;
 * - other numbers parse as f64 (`.inf`, `-.inf`, `.nan` too) and print as Rust's `ryu` does (`1.0`, `1e21`);
 * - quoted and block scalars are strings; `!!bool`/`!!int`/`!!float`/`!!null` force (and check) the type, other
 *   global tags (`!!str`, verbatim) give a string; local tags (`!name`) give a tagged value;
 * - aliases are expanded (at most 100 alias expansions per event of the document: "repetition limit exceeded");
 *   merge keys (`<<`) are ordinary keys; a duplicate key is an error; nesting is limited to 128 levels; a stream
 *   with more than one document is an error, an empty one is null.
 */
import { Alias, LineCounter, Scalar, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from "yaml";
import { YamlValueKind as YK } from "./type-ids.ts";

export type YamlValue =
  | { kind: typeof YK.NULL }
  | { kind: typeof YK.BOOL; value: boolean }
  /** The number as serde_yaml prints it. */
  | { kind: typeof YK.NUMBER; value: string }
  | { kind: typeof YK.STRING; value: string }
  | { kind: typeof YK.ARRAY; value: YamlValue[] }
  /** Entries in document order. */
  | { kind: typeof YK.OBJECT; value: [YamlValue, YamlValue][] }
  | { kind: typeof YK.TAGGED; tag: string; value: YamlValue };

/** The input is not YAML graph-node accepts; the message follows serde_yaml's wording where it can. */
export class YamlSyntaxError extends Error {
  override name = "YamlSyntaxError";
}

/** graph-node refuses YAML documents larger than this (host_exports.rs `YAML_MAX_SIZE_BYTES`). */
export const MAX_YAML_SIZE = 10_000_000;
const RECURSION_LIMIT = 128;
const TAG = "tag:yaml.org,2002:";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses UTF-8 bytes as graph-node's `yaml.fromBytes` does. Throws YamlSyntaxError. */
export function parseYamlBytes(bytes: Uint8Array): YamlValue {
  if (bytes.length > MAX_YAML_SIZE) throw new YamlSyntaxError(`YAML size exceeds max size of ${MAX_YAML_SIZE} bytes`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new YamlSyntaxError("invalid UTF-8 in the YAML input");
  }
  return parseYamlText(text);
}

/** Parses YAML text with serde_yaml's rules. Throws YamlSyntaxError. */
export function parseYamlText(text: string): YamlValue {
  const lines = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { schema: "failsafe", merge: false, uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  } catch (error) {
    // The parser recurses per nesting level; nesting deep enough to overflow the stack is far past serde_yaml's 128.
    if (error instanceof RangeError) throw new YamlSyntaxError("recursion limit exceeded");
    throw error;
  }
  const all = Array.isArray(docs) ? docs : [];
  const failed = all.find((d) => d.errors.length > 0);
  if (failed) throw new YamlSyntaxError(failed.errors[0]!.message);
  if (all.length > 1) throw new YamlSyntaxError("deserializing from YAML containing more than one document is not supported");
  const doc = all[0];
  if (!doc) return { kind: YK.NULL };
  return new Converter(doc, lines).convert(doc.contents as Node | null, ".", RECURSION_LIMIT);
}

/** serde_yaml's `Path` display: `.` for the root, `a.b`, `a[0]`. */
function childPath(parent: string, key: string): string {
  return parent === "." ? key : `${parent}.${key}`;
}

class Converter {
  private jumps = 0;
  private readonly jumpLimit: number;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {
    this.jumpLimit = countEvents(doc.contents as Node | null) * 100;
  }

  /** An error of serde_yaml's `Message` kind: `path: ` before, ` at line L column C` after (unless at the start). */
  private fail(message: string, node: Node, path: string): never {
    const offset = node.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    const where = offset === 0 ? "" : ` at line ${line} column ${col}`;
    throw new YamlSyntaxError(`${path === "." ? "" : `${path}: `}${message}${where}`);
  }

  convert(node: Node | null, path: string, depth: number): YamlValue {
    if (node === null) return { kind: YK.NULL };
    if (isAlias(node)) return this.alias(node, path, depth);
    const local = localTag(node.tag);
    if (local !== null) return { kind: YK.TAGGED, tag: local, value: this.untagged(node, path, depth) };
    if (isScalar(node)) return this.scalar(node, path);
    return this.untagged(node, path, depth);
  }

  private alias(node: Alias, path: string, depth: number): YamlValue {
    if (++this.jumps > this.jumpLimit) throw new YamlSyntaxError("repetition limit exceeded");
    const target = node.resolve(this.doc);
    if (!target) throw new YamlSyntaxError("unknown anchor");
    return this.convert(target as Node, path, depth);
  }

  /** The node without looking at its tag (the contents of a tagged value, or an untagged node). */
  private untagged(node: Node, path: string, depth: number): YamlValue {
    if (isScalar(node)) {
      const text = String(node.value);
      return node.type === Scalar.PLAIN ? this.plain(text, node, path) : { kind: YK.STRING, value: text };
    }
    if (depth === 0) this.fail("recursion limit exceeded", node, ".");
    if (isSeq(node)) {
      return { kind: YK.ARRAY, value: node.items.map((item, i) => this.convert(item as Node | null, `${path}[${i}]`, depth - 1)) };
    }
    if (isMap(node)) return this.mapping(node.items as { key: unknown; value: unknown }[], node, path, depth - 1);
    return this.fail("unsupported YAML node", node, path);
  }

  private mapping(items: { key: unknown; value: unknown }[], node: Node, path: string, depth: number): YamlValue {
    const entries: [YamlValue, YamlValue][] = [];
    const seen = new Set<string>();
    for (const pair of items) {
      const keyNode = pair.key as Node | null;
      const key = this.convert(keyNode, path, depth);
      const identity = keyIdentity(key);
      if (seen.has(identity)) this.fail(`duplicate entry ${describeKey(key)}`, node, path);
      seen.add(identity);
      const keyText = keyNode !== null && isScalar(keyNode) ? String(keyNode.value) : "?";
      entries.push([key, this.convert(pair.value as Node | null, childPath(path, keyText), depth)]);
    }
    return { kind: YK.OBJECT, value: entries };
  }

  private scalar(node: Scalar, path: string): YamlValue {
    const text = String(node.value);
    switch (node.tag) {
      case `${TAG}bool`: {
        const b = parseBool(text);
        return b === null ? this.fail(`invalid value: string ${rustDebug(text)}, expected a boolean`, node, path) : { kind: YK.BOOL, value: b };
      }
      case `${TAG}int`: {
        const n = parseInteger(text);
        if (n === null || !fitsI128OrU128(n)) this.fail(`invalid value: string ${rustDebug(text)}, expected an integer`, node, path);
        return this.integer(n, node, path);
      }
      case `${TAG}float`: {
        const f = parseF64(text);
        return f === null ? this.fail(`invalid value: string ${rustDebug(text)}, expected a float`, node, path) : { kind: YK.NUMBER, value: formatF64(f) };
      }
      case `${TAG}null`:
        return isNull(text) ? { kind: YK.NULL } : this.fail(`invalid value: string ${rustDebug(text)}, expected null`, node, path);
      case undefined:
        return node.type === Scalar.PLAIN ? this.plain(text, node, path) : { kind: YK.STRING, value: text };
      default:
        return { kind: YK.STRING, value: text };
    }
  }

  /** An untagged plain scalar (serde_yaml `visit_untagged_scalar`). */
  private plain(text: string, node: Node, path: string): YamlValue {
    if (text === "" || isNull(text)) return { kind: YK.NULL };
    const b = parseBool(text);
    if (b !== null) return { kind: YK.BOOL, value: b };
    const n = parseInteger(text);
    if (n !== null && fitsI128OrU128(n)) return this.integer(n, node, path);
    if (!digitsButNotNumber(text)) {
      const f = parseF64(text);
      if (f !== null) return { kind: YK.NUMBER, value: formatF64(f) };
    }
    return { kind: YK.STRING, value: text };
  }

  /** An integer serde_yaml's Value holds (u64 or i64); 128-bit ones are its "invalid type" error. */
  private integer(n: bigint, node: Node, path: string): YamlValue {
    if (n >= -(1n << 63n) && n < 1n << 64n) return { kind: YK.NUMBER, value: n.toString() };
    const width = n < 0n ? "i128" : "u128";
    return this.fail(`invalid type: integer \`${n}\` as ${width}, expected any YAML value`, node, path);
  }
}

/** Whether serde_yaml reads `n` as an integer (u64, i64, u128 or i128); wider ones are parsed as floats. */
function fitsI128OrU128(n: bigint): boolean {
  return n >= -(1n << 127n) && n < 1n << 128n;
}

/** A local tag (`!name`) as serde_yaml's Tag prints it; null for no tag or a global one. */
function localTag(tag: string | undefined): string | null {
  if (tag === undefined || !tag.startsWith("!")) return null;
  return tag;
}

/** serde_yaml's events for a node (the alias repetition limit is 100 × the document's events). */
function countEvents(node: Node | null): number {
  if (node === null || isScalar(node) || isAlias(node)) return 1;
  if (isSeq(node)) return 2 + node.items.reduce((n: number, item) => n + countEvents(item as Node | null), 0);
  if (isMap(node)) {
    return 2 + node.items.reduce((n: number, pair) => n + countEvents(pair.key as Node | null) + countEvents(pair.value as Node | null), 0);
  }
  return 1;
}

function isNull(text: string): boolean {
  return text === "~" || text === "null" || text === "Null" || text === "NULL";
}

function parseBool(text: string): boolean | null {
  if (text === "true" || text === "True" || text === "TRUE") return true;
  if (text === "false" || text === "False" || text === "FALSE") return false;
  return null;
}

/** Leading zero(s) followed by digits is a string in YAML 1.2 (serde_yaml `digits_but_not_number`). */
function digitsButNotNumber(text: string): boolean {
  const s = text.startsWith("-") || text.startsWith("+") ? text.slice(1) : text;
  return s.length > 1 && s.startsWith("0") && /^[0-9]+$/.test(s.slice(1));
}

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Record<string, number> = { "0x": 16, "0o": 8, "0b": 2 };

/** Rust's `from_str_radix`: an optional sign, then at least one digit of the radix. */
function fromStrRadix(text: string, radix: number): bigint | null {
  const negative = text.startsWith("-");
  const digits = negative || text.startsWith("+") ? text.slice(1) : text;
  if (!DIGITS[radix]!.test(digits)) return null;
  const prefix = radix === 10 ? "" : radix === 16 ? "0x" : radix === 8 ? "0o" : "0b";
  const n = BigInt(prefix + digits);
  return negative ? -n : n;
}

/** An integer as serde_yaml's `parse_unsigned_int` / `parse_negative_int` read it, of any width. */
function parseInteger(text: string): bigint | null {
  const negative = text.startsWith("-");
  const unsigned = negative ? text.slice(1) : text.startsWith("+") ? text.slice(1) : text;
  const radix = PREFIX[unsigned.slice(0, 2)];
  if (radix !== undefined) {
    const rest = unsigned.slice(2);
    if (rest.startsWith("+") || rest.startsWith("-")) return null;
    const n = fromStrRadix(rest, radix);
    if (n !== null) return negative ? -n : n;
    return null;
  }
  if (unsigned.startsWith("+") || unsigned.startsWith("-") || digitsButNotNumber(text)) return null;
  const n = fromStrRadix(unsigned, 10);
  return n === null ? null : negative ? -n : n;
}

/** serde_yaml's `parse_f64`: Rust float syntax, `.inf`/`.nan` spellings, finite values otherwise. */
function parseF64(text: string): number | null {
  if (text.startsWith("+") && /^\+[+-]/.test(text)) return null;
  const unsigned = text.startsWith("+") ? text.slice(1) : text;
  if (unsigned === ".inf" || unsigned === ".Inf" || unsigned === ".INF") return Infinity;
  if (text === "-.inf" || text === "-.Inf" || text === "-.INF") return -Infinity;
  if (text === ".nan" || text === ".NaN" || text === ".NAN") return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(unsigned)) return null;
  const f = Number(unsigned);
  return Number.isFinite(f) ? f : null;
}

/** An f64 as serde_yaml prints it: `.nan`, `.inf`, `-.inf`, else Rust's `ryu` (`1.0`, `0.001`, `1e-7`, `1.5e300`). */
export function formatF64(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (!Number.isFinite(f)) return f < 0 ? "-.inf" : ".inf";
  const sign = f < 0 || Object.is(f, -0) ? "-" : "";
  if (f === 0) return `${sign}0.0`;
  const [mantissa, exponent] = Math.abs(f).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const length = digits.length;
  const kk = Number(exponent) + 1; // the decimal point's position after the first digit
  let body: string;
  if (kk >= length && kk <= 16) body = `${digits}${"0".repeat(kk - length)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${"0".repeat(-kk)}${digits}`;
  else if (length === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + body;
}

/** A key's identity for duplicate detection (serde_yaml compares Values; numbers by kind and value). */
function keyIdentity(v: YamlValue): string {
  return JSON.stringify(v);
}

/** serde_yaml's `DuplicateKeyError` wording. */
function describeKey(key: YamlValue): string {
  switch (key.kind) {
    case YK.NULL:
      return "with null key";
    case YK.BOOL:
      return `with key \`${key.value}\``;
    case YK.NUMBER:
      return `with key ${key.value}`;
    case YK.STRING:
      return `with key ${rustDebug(key.value)}`;
    default:
      return "in YAML map";
  }
}

/** A string as Rust's `{:?}` prints it (close enough for keys and values in messages). */
function rustDebug(s: string): string {
  return JSON.stringify(s);
}
