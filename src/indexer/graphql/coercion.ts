/**
 * Input coercion with graph-node's rules (`graphql/src/values/coercion.rs` and `r::Value::coerce_scalar` in
 * `graph/src/data/value.rs`), which differ from the GraphQL spec in ways clients can notice:
 * - a single value is never promoted to a list;
 * - enums accept strings as well as enum literals;
 * - `BigInt`, `BigDecimal` and `ID` accept Int literals (turned into strings), `Int8` accepts Int or String,
 *   `Timestamp` accepts a string of microseconds; `Float` accepts nothing;
 * - input objects reject unknown fields but do not check for missing required fields;
 * - a failure reports the value that failed: the whole input object, or the failing list element or scalar.
 */
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
} from "graphql";
import { QueryErrors, SCHEMA_POSITION, type SourcePosition } from "./errors.ts";
import { EnumValue, FloatValue, ObjectValue, TimestampValue, rvalueFromAst, type RValue } from "./input-values.ts";

/** Result of coercing one value: the coerced value, or the value graph-node reports as invalid. */
export type Coerced = { ok: true; value: RValue } | { ok: false; value: RValue };

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
// chrono's DateTime<Utc> range in seconds (years -262143 ..= 262142).
const CHRONO_MIN_SECS = -8334601228800n;
const CHRONO_MAX_SECS = 8210266876799n;

/**
 * Parses a Timestamp string like graph-node's `Timestamp::parse_timestamp`: an i64 of microseconds that chrono can
 * represent. Returns null when graph-node would reject it.
 */
export function parseTimestampMicros(text: string): bigint | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const micros = BigInt(text);
  if (micros < I64_MIN || micros > I64_MAX) return null;
  const secs = micros / 1_000_000n;
  const nanos = (micros % 1_000_000n) * 1000n;
  // graph-node casts the (possibly negative) nanosecond part to u32; negative parts wrap and are rejected.
  if (nanos < 0n) return null;
  if (secs < CHRONO_MIN_SECS || secs > CHRONO_MAX_SECS) return null;
  return micros;
}

/** `r::Value::coerce_scalar` for input values. */
export function coerceScalar(value: RValue, scalar: string): Coerced {
  if (value === null) return { ok: true, value: null };
  const ok = (v: RValue): Coerced => ({ ok: true, value: v });
  const fail: Coerced = { ok: false, value };
  switch (scalar) {
    case "Boolean":
      return typeof value === "boolean" ? ok(value) : fail;
    case "BigDecimal":
      if (value instanceof FloatValue) return ok(String(value.value));
      if (typeof value === "number" || typeof value === "string") return ok(String(value));
      return fail;
    case "Int":
      return typeof value === "number" && value >= I32_MIN && value <= I32_MAX ? ok(value) : fail;
    case "Int8":
      if (typeof value === "number") return ok(String(value));
      return typeof value === "string" ? ok(value) : fail;
    case "Timestamp": {
      if (value instanceof TimestampValue) return ok(value);
      if (typeof value !== "string") return fail;
      const micros = parseTimestampMicros(value);
      return micros === null ? fail : ok(new TimestampValue(micros));
    }
    case "String":
    case "Bytes":
      return typeof value === "string" ? ok(value) : fail;
    case "ID":
    case "BigInt":
      if (typeof value === "number") return ok(String(value));
      return typeof value === "string" ? ok(value) : fail;
    default:
      return fail;
  }
}

/** graph-node's `coerce_value`: coerces `value` to `type`, or reports the value that failed. */
export function coerceValue(value: RValue, type: GraphQLInputType): Coerced {
  if (isNonNullType(type)) {
    if (value === null) return { ok: false, value: null };
    return coerceValue(value, type.ofType);
  }
  if (value === null) return { ok: true, value: null };
  if (isListType(type)) {
    if (!Array.isArray(value)) return { ok: false, value };
    const items: RValue[] = [];
    for (const item of value) {
      const coerced = coerceValue(item, type.ofType);
      if (!coerced.ok) return coerced;
      items.push(coerced.value);
    }
    return { ok: true, value: items };
  }
  if (isEnumType(type)) {
    const name = typeof value === "string" ? value : value instanceof EnumValue ? value.name : undefined;
    if (name !== undefined && type.getValue(name)) return { ok: true, value: new EnumValue(name) };
    return { ok: false, value };
  }
  if (isScalarType(type)) return coerceScalar(value, type.name);
  if (isInputObjectType(type)) {
    if (!(value instanceof ObjectValue)) return { ok: false, value };
    const fields = type.getFields();
    const coerced: [string, RValue][] = [];
    for (const [name, fieldValue] of value.entries) {
      const def: GraphQLInputField | undefined = fields[name];
      if (!def) return { ok: false, value };
      const result = coerceValue(fieldValue, def.type);
      if (!result.ok) return { ok: false, value };
      coerced.push([name, result.value]);
    }
    return { ok: true, value: new ObjectValue(coerced) };
  }
  return { ok: false, value };
}

/** The default value graph-node's API schema declares for an argument, if any. */
export function argumentDefault(arg: GraphQLArgument): RValue | undefined {
  const node = arg.astNode?.defaultValue;
  return node ? rvalueFromAst(node, new Map()) : undefined;
}

/**
 * graph-node's `coerce_input_value` for a field argument: applies the default, reports a missing required argument,
 * coerces. Returns undefined when the argument is absent and optional.
 *
 * @throws QueryExecutionError "No value provided for required argument: `id`" or
 *   "Invalid value provided for argument `first`: String(\"x\")" (at graph-node's schema position 0:0).
 */
export function coerceArgument(value: RValue | undefined, arg: GraphQLArgument): RValue | undefined {
  const provided = value ?? argumentDefault(arg);
  if (provided === undefined) {
    if (isNonNullType(arg.type)) throw QueryErrors.missingArgument(SCHEMA_POSITION, arg.name);
    return undefined;
  }
  const coerced = coerceValue(provided, arg.type);
  if (!coerced.ok) throw QueryErrors.invalidArgument(SCHEMA_POSITION, arg.name, coerced.value);
  return coerced.value;
}

/** Coerces a variable's value to its declared type; graph-node reports failures at the variable's definition. */
export function coerceVariable(value: RValue, type: GraphQLInputType, name: string, position: SourcePosition): RValue {
  const coerced = coerceValue(value, type);
  if (!coerced.ok) throw QueryErrors.invalidArgument(position, name, coerced.value);
  return coerced.value;
}
