/**
 * Conversions between the in-memory values of values.ts and what travels to and from Postgres.
 *
 * - Writes: one JSON document per table and block, read by `jsonb_to_recordset` with typed columns, so a block's
 *   rows go in one statement whatever their number (numbers that JSON cannot hold exactly travel as strings).
 * - Filter values: text parameters cast in SQL (`$3::numeric`), lists as array literals (`$4::bytea[]`).
 * - Reads: every column is selected as text, int4, boolean or json (see `selectExpression`) and decoded here, so
 *   PGlite and node-postgres return the same thing.
 */
import { BigDecimal, bytesToHex, hexToBytes, type Value } from "../values.ts";
import type { ColumnLayout, StorageKind } from "./layout.ts";

/** Thrown by the encoders when a value does not fit its column; the caller turns it into a WriteError or QueryError. */
export class ValueTypeError extends Error {
  override name = "ValueTypeError";
}

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

function describe(value: Value): string {
  if (value instanceof Uint8Array) return `Bytes ${bytesToHex(value)}`;
  if (value instanceof BigDecimal) return `BigDecimal ${value.toString()}`;
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return "a list";
  return JSON.stringify(value);
}

/**
 * How strictly values are checked. Entity data (`strict`) must use exactly the representation of values.ts: Int a
 * number, Int8/BigInt/Timestamp a bigint, BigDecimal a BigDecimal, Bytes a Uint8Array. Filter values (`lenient`)
 * may also give integers as numbers or decimal strings, decimals as numbers or strings, and Bytes as 0x-hex.
 */
export type Strictness = "strict" | "lenient";

function integer(value: Value, what: string, strictness: Strictness, native: "number" | "bigint"): bigint {
  if (typeof value === native && (native === "bigint" || Number.isSafeInteger(value))) return BigInt(value as number | bigint);
  if (strictness === "lenient") {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
    if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  }
  throw new ValueTypeError(`expected ${what}, got ${describe(value)}`);
}

/** The text Postgres parses for one non-null scalar of storage kind `kind`. */
export function scalarText(kind: StorageKind, value: Value, strictness: Strictness = "lenient"): string {
  switch (kind) {
    case "text":
      if (typeof value !== "string") throw new ValueTypeError(`expected a string, got ${describe(value)}`);
      if (value.includes("\u0000")) throw new ValueTypeError("strings cannot contain NUL characters in Postgres");
      return value;
    case "int4": {
      const n = integer(value, "an Int (number)", strictness, "number");
      if (n < INT4_MIN || n > INT4_MAX) throw new ValueTypeError(`Int out of range: ${n}`);
      return n.toString();
    }
    case "int8":
    case "timestamp": {
      const n = integer(value, kind === "int8" ? "an Int8 (bigint)" : "a Timestamp (bigint microseconds)", strictness, "bigint");
      if (n < INT8_MIN || n > INT8_MAX) throw new ValueTypeError(`Int8 out of range: ${n}`);
      return n.toString();
    }
    case "bigint":
      return integer(value, "a BigInt (bigint)", strictness, "bigint").toString();
    case "bigdecimal":
      if (value instanceof BigDecimal) return value.toString();
      if (strictness === "strict") throw new ValueTypeError(`expected a BigDecimal, got ${describe(value)}`);
      if (typeof value === "bigint") return value.toString();
      if (typeof value === "number" && Number.isFinite(value)) return BigDecimal.parse(String(value)).toString();
      if (typeof value === "string") {
        try {
          return BigDecimal.parse(value).toString();
        } catch {
          // fall through to the type error
        }
      }
      throw new ValueTypeError(`expected a BigDecimal, got ${describe(value)}`);
    case "boolean":
      if (typeof value !== "boolean") throw new ValueTypeError(`expected a Boolean, got ${describe(value)}`);
      return value ? "true" : "false";
    case "bytea":
      if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
      if (strictness === "lenient" && typeof value === "string" && /^0x([0-9a-fA-F]{2})*$/.test(value)) return `\\x${value.slice(2).toLowerCase()}`;
      throw new ValueTypeError(`expected Bytes, got ${describe(value)}`);
  }
}

/**
 * One entity value as it goes into the JSON document of a write (`null` stays null; lists become arrays). Checks
 * the representation strictly, list items against the list's nullability and enum values against the enum.
 */
export function jsonValue(column: ColumnLayout, value: Value): unknown {
  if (value === null) return null;
  if (column.list) {
    if (!Array.isArray(value)) throw new ValueTypeError(`expected a list, got ${describe(value)}`);
    return value.map((item) => {
      if (item === null) {
        if (column.field.type.list?.itemNonNull) throw new ValueTypeError("the list's items are non-null, got null");
        return null;
      }
      return jsonScalar(column, item);
    });
  }
  if (Array.isArray(value)) throw new ValueTypeError("expected a single value, got a list");
  return jsonScalar(column, value);
}

function jsonScalar(column: ColumnLayout, value: Value): unknown {
  const kind = column.kind;
  const text = scalarText(kind, value, "strict");
  if (column.enumValues && !column.enumValues.includes(text)) {
    throw new ValueTypeError(`${JSON.stringify(text)} is not a value of enum ${column.field.type.name}`);
  }
  if (kind === "int4") return Number(text);
  if (kind === "boolean") return value;
  return text;
}

/** A Postgres array literal (`{"a","b\"c",NULL}`) of already encoded element texts. */
export function arrayLiteral(items: readonly (string | null)[]): string {
  const quoted = items.map((item) => (item === null ? "NULL" : `"${item.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`));
  return `{${quoted.join(",")}}`;
}

/** Array literal of a list value for a column of storage kind `kind`. */
export function listLiteral(kind: StorageKind, values: readonly Value[]): string {
  return arrayLiteral(values.map((value) => (value === null ? null : scalarText(kind, value))));
}

/** The SQL that selects `column` of table alias `alias` in a form both drivers return identically. */
export function selectExpression(column: ColumnLayout, alias: string): string {
  const ref = `${alias}.${column.quoted}`;
  if (!column.list) {
    switch (column.kind) {
      case "text":
      case "int4":
      case "boolean":
        return ref;
      case "bytea":
        return `encode(${ref}, 'hex')`;
      default:
        return `${ref}::text`;
    }
  }
  switch (column.kind) {
    case "text":
    case "int4":
    case "boolean":
      return `to_json(${ref})`;
    case "bytea":
      return `case when ${ref} is null then null else to_json(array(select encode(x.v, 'hex') from unnest(${ref}) with ordinality as x(v, i) order by x.i)) end`;
    default:
      return `to_json(${ref}::text[])`;
  }
}

/** Decodes what `selectExpression` returned into the in-memory value. */
export function decodeValue(column: ColumnLayout, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (column.list) return (raw as unknown[]).map((item) => (item === null ? null : decodeScalar(column.kind, item)));
  return decodeScalar(column.kind, raw);
}

function decodeScalar(kind: StorageKind, raw: unknown): Value {
  switch (kind) {
    case "text":
      return raw as string;
    case "int4":
      return Number(raw);
    case "boolean":
      return raw as boolean;
    case "int8":
    case "timestamp":
    case "bigint":
      return BigInt(raw as string);
    case "bigdecimal":
      return BigDecimal.parse(raw as string).normalized();
    case "bytea":
      return hexToBytes(raw as string);
  }
}
