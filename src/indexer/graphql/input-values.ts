/**
 * Argument and variable values as graph-node holds them while executing a query (its `r::Value`): Int and Float
 * stay distinct, enum values stay distinct from strings, objects keep their keys sorted (graph-node stores input
 * objects in a `BTreeMap`). Also converts JSON variables and query literals into that form and prints values the way
 * graph-node's error messages do.
 */
import { Kind, type ValueNode } from "graphql";

/** A GraphQL Float (kept apart from Int, which is a plain JS number). */
export class FloatValue {
  constructor(readonly value: number) {}
}

/** An enum value (`orderDirection: desc`), as opposed to the string `"desc"`. */
export class EnumValue {
  constructor(readonly name: string) {}
}

/** A Timestamp after input coercion: microseconds since the epoch. */
export class TimestampValue {
  constructor(readonly micros: bigint) {}
}

/** An input object; iteration is in sorted key order like graph-node's BTreeMap. */
export class ObjectValue {
  readonly entries: ReadonlyMap<string, RValue>;

  constructor(entries: Iterable<[string, RValue]>) {
    this.entries = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  get(key: string): RValue | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}

/** A query-time value: Int (JS number), Float, String, Boolean, null, enum, timestamp, list or object. */
export type RValue = null | boolean | number | string | FloatValue | EnumValue | TimestampValue | RValue[] | ObjectValue;

/** Converts a JSON variable value the way graph-node deserialises variables (integers are Int, others Float). */
export function rvalueFromJson(json: unknown): RValue {
  if (json === null || json === undefined) return null;
  if (typeof json === "boolean" || typeof json === "string") return json;
  if (typeof json === "number") return Number.isInteger(json) ? json : new FloatValue(json);
  if (Array.isArray(json)) return json.map(rvalueFromJson);
  if (typeof json === "object") {
    return new ObjectValue(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, rvalueFromJson(v)]));
  }
  return null;
}

/** Converts a literal from the query text, replacing variables by their (already coerced) values or null. */
export function rvalueFromAst(node: ValueNode, variables: ReadonlyMap<string, RValue>): RValue {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables.get(node.name.value) ?? null;
    case Kind.INT:
      return Number(node.value);
    case Kind.FLOAT:
      return new FloatValue(Number(node.value));
    case Kind.STRING:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.ENUM:
      return new EnumValue(node.value);
    case Kind.LIST:
      return node.values.map((value) => rvalueFromAst(value, variables));
    case Kind.OBJECT:
      return new ObjectValue(node.fields.map((field) => [field.name.value, rvalueFromAst(field.value, variables)]));
  }
}

/** Rust's `{:?}` of a string: quoted, with `"`, `\` and control characters escaped. */
function rustDebugString(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === "\0") out += "\\0";
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += c;
  }
  return `${out}"`;
}

/** Rust's `{:?}` of an f64 (`1.0`, `1.5`, `1e21`). */
function rustDebugFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value);
}

/** Rust's `{}` of an f64 (`1`, `1.5`). */
function rustDisplayFloat(value: number): string {
  return String(value);
}

/**
 * Prints a value like graph-node's messages do: `debug` is `{:?}` of the value converted to a query value
 * (`Object({"a": Int(Number(1))})`, used in "Invalid value provided for argument"), `display` is `r::Value`'s
 * `Display` (`{a: 1}`, `"text"`).
 */
export function printRValue(value: RValue, style: "debug" | "display" = "debug"): string {
  const recurse = (v: RValue) => printRValue(v, style);
  if (style === "display") {
    if (value === null) return "null";
    if (typeof value === "boolean") return String(value);
    if (typeof value === "number") return String(value);
    if (typeof value === "string") return `"${value.replace(/"/g, '\\"')}"`;
    if (value instanceof FloatValue) return rustDisplayFloat(value.value);
    if (value instanceof EnumValue) return value.name;
    if (value instanceof TimestampValue) return `"${value.micros}"`;
    if (Array.isArray(value)) return `[${value.map(recurse).join(", ")}]`;
    return `{${[...value.entries].map(([k, v]) => `${k}: ${recurse(v)}`).join(", ")}}`;
  }
  if (value === null) return "Null";
  if (typeof value === "boolean") return `Boolean(${value})`;
  // graph-node converts Int to i32 before printing (`(i as i32).into()`), which shows 3000000000 as -1294967296;
  // values beyond i32 are printed as they are, so the message names the value that was sent.
  if (typeof value === "number") return `Int(Number(${value}))`;
  if (typeof value === "string") return `String(${rustDebugString(value)})`;
  if (value instanceof FloatValue) return `Float(${rustDebugFloat(value.value)})`;
  if (value instanceof EnumValue) return `Enum(${rustDebugString(value.name)})`;
  if (value instanceof TimestampValue) return `String(${rustDebugString(value.micros.toString())})`;
  if (Array.isArray(value)) return `List([${value.map(recurse).join(", ")}])`;
  return `Object({${[...value.entries].map(([k, v]) => `${rustDebugString(k)}: ${recurse(v)}`).join(", ")}})`;
}
