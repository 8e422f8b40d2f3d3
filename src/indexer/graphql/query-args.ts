/**
 * Collection arguments → store query parts, with graph-node's semantics and errors (`graphql/src/store/query.rs`:
 * `build_range`, `build_order`, `build_filter`; `graph/src/schema/ast.rs`: `parse_field_as_filter`;
 * `Value::from_query_value` in `graph/src/data/store/mod.rs`).
 */
import type { FieldDef, FieldType, SubgraphSchema } from "../schema/schema.ts";
import { AGGREGATION_INTERVALS, type AggregationInterval } from "../schema/aggregation.ts";
import type { Filter, OrderBy, TextOp } from "../store/types.ts";
import { BigDecimal, valueDisplay, type Value } from "../values.ts";
import { parseTimestampMicros } from "./coercion.ts";
import { QueryErrors, printDisplay } from "./errors.ts";
import { EnumValue, FloatValue, ObjectValue, TimestampValue, printRValue, type RValue } from "./input-values.ts";
import type { QueryLimits } from "./limits.ts";

/** `first` when the argument is absent (also for single-entity fields). */
export const DEFAULT_FIRST = 100;

/** An entity type or interface as a query target. */
export interface QueryTarget {
  name: string;
  fields: readonly FieldDef[];
  /** For interfaces: the implementing entity types; for entity types: the type itself. */
  objectTypes: readonly string[];
  isInterface: boolean;
  /** For an `@aggregation` type: the `interval` argument, which picks the table of buckets. */
  interval?: AggregationInterval;
  /** Whether the type is an `@aggregation`. */
  isAggregation?: boolean;
  /** For an `@aggregation` type: the `current` argument (include the open bucket or not). */
  current?: "exclude" | "include";
}

/** The target for an entity type or interface name (undefined if it is neither). */
export function queryTarget(schema: SubgraphSchema, name: string): QueryTarget | undefined {
  const entity = schema.entities.get(name);
  if (entity) return { name, fields: entity.fields, objectTypes: [name], isInterface: false, isAggregation: entity.aggregation !== undefined };
  const iface = schema.interfaces.get(name);
  if (iface) return { name, fields: iface.fields, objectTypes: iface.implementations, isInterface: true };
  return undefined;
}

const fieldOf = (target: QueryTarget, name: string) => target.fields.find((f) => f.name === name);

/** The type as graph-node prints it (`Dataset!`, `[DatasetVersion!]!`). */
export function printFieldType(type: FieldType): string {
  let text = type.name;
  if (type.list) text = `[${text}${type.list.itemNonNull ? "!" : ""}]`;
  return type.nonNull ? `${text}!` : text;
}

/** `build_range`: `first` in 1..=maxFirst (default 100), `skip` in 0..=maxSkip (default 0). */
export function buildRange(
  args: ReadonlyMap<string, RValue>,
  limits: Pick<QueryLimits, "maxFirst" | "maxSkip">,
): { first: number; skip: number } {
  const first = args.get("first");
  const skip = args.get("skip");
  let firstValue = DEFAULT_FIRST;
  if (typeof first === "number") {
    if (!(first > 0 && first <= limits.maxFirst)) throw QueryErrors.range("first", limits.maxFirst, first);
    firstValue = first;
  }
  let skipValue = 0;
  if (typeof skip === "number") {
    if (!(skip >= 0 && skip <= limits.maxSkip)) throw QueryErrors.range("skip", limits.maxSkip, skip);
    skipValue = skip;
  }
  return { first: firstValue, skip: skipValue };
}

const ORDERABLE_SCALARS = new Set(["Boolean", "BigInt", "Bytes", "BigDecimal", "Int", "Int8", "Timestamp", "String", "ID"]);
const orderable = (field: FieldDef) => !field.type.list && ORDERABLE_SCALARS.has(field.type.name);

/**
 * An aggregation's `interval` (required by the API schema) and `current` (graph-node `aggregation_current` in
 * graphql/src/execution/ast.rs: `include` adds the open bucket, anything else excludes it) on its target.
 */
export function withInterval(target: QueryTarget, args: ReadonlyMap<string, RValue>): QueryTarget {
  if (!target.isAggregation) return target;
  const enumName = (value: RValue | undefined) => (value instanceof EnumValue ? value.name : typeof value === "string" ? value : "");
  const name = enumName(args.get("interval"));
  if (!(name in AGGREGATION_INTERVALS)) throw QueryErrors.notSupported(`aggregation interval \`${name}\``);
  const current = enumName(args.get("current")) === "include" ? "include" : "exclude";
  return { ...target, interval: name as AggregationInterval, current };
}

/** `build_order`: `orderBy` (a field or `parent__child`) and `orderDirection` (anything but `desc` is ascending). */
export function buildOrder(
  schema: SubgraphSchema,
  target: QueryTarget,
  args: ReadonlyMap<string, RValue>,
): { orderBy?: OrderBy; orderDirection: "asc" | "desc" } {
  const direction = args.get("orderDirection");
  const orderDirection = direction instanceof EnumValue && direction.name === "desc" ? "desc" : "asc";
  const orderBy = args.get("orderBy");
  // graph-node `build_order`: aggregations default to the newest buckets first, whatever orderDirection says.
  if (!(orderBy instanceof EnumValue) && target.isAggregation) return { orderBy: { field: "timestamp" }, orderDirection: "desc" };
  if (!(orderBy instanceof EnumValue)) return { orderDirection };
  const [parentName = "", childName] = orderBy.name.split("__");
  if (childName === undefined) {
    const field = fieldOf(target, parentName);
    if (!field) throw QueryErrors.entityField(target.name, parentName);
    if (!orderable(field)) throw QueryErrors.orderByNotSupported(target.name, parentName);
    return { orderBy: { field: parentName }, orderDirection };
  }
  // For interfaces graph-node looks the parent field up on the first implementation (`implemented_field`).
  const implementing = target.isInterface ? schema.entities.get(target.objectTypes[0] ?? "") : undefined;
  const field = implementing ? implementing.fieldsByName.get(parentName) : fieldOf(target, parentName);
  if (!field) throw QueryErrors.entityField(target.name, parentName);
  const child = queryTarget(schema, field.type.name);
  if (!child) throw QueryErrors.namedType(field.type.name);
  const childField = fieldOf(child, childName);
  if (!childField) throw QueryErrors.entityField(child.name, childName);
  if (!orderable(childField)) throw QueryErrors.orderByNotSupported(child.name, childName);
  return { orderBy: { field: parentName, child: childName }, orderDirection };
}

/**
 * A `@fulltext` query field's `text` as a filter and an order (graph-node graphql/src/store/query.rs: `build_filter`
 * puts the fulltext match before the `where` filter; `build_order` orders by the fulltext field and, as the field has
 * no `orderDirection`, ascending: lowest rank first, ties by id ascending).
 */
export function buildFulltextSearch(
  name: string,
  args: ReadonlyMap<string, RValue>,
): { filter: Filter; order: { orderBy: OrderBy; orderDirection: "asc" } } {
  const text = args.get("text");
  // graph-node's `FulltextQueryRequiresFilter`; `text: String!` is coerced before this, so only a null gets here.
  if (typeof text !== "string") throw QueryErrors.fulltextRequiresFilter();
  return { filter: { kind: "fulltext", field: name, text }, order: { orderBy: { field: name, text }, orderDirection: "asc" } };
}

type FilterOp =
  | "not"
  | "gt"
  | "lt"
  | "gte"
  | "lte"
  | "not_in"
  | "in"
  | "not_contains"
  | "not_contains_nocase"
  | "contains"
  | "contains_nocase"
  | "not_starts_with"
  | "not_starts_with_nocase"
  | "not_ends_with"
  | "not_ends_with_nocase"
  | "starts_with"
  | "starts_with_nocase"
  | "ends_with"
  | "ends_with_nocase"
  | "child"
  | "and"
  | "or"
  | "equal";

// `parse_field_as_filter` checks suffixes in this order; the order matters (`_not_in` before `_in`, …).
const SUFFIXES: ReadonlyArray<readonly [string, FilterOp]> = [
  ["_not", "not"],
  ["_gt", "gt"],
  ["_lt", "lt"],
  ["_gte", "gte"],
  ["_lte", "lte"],
  ["_not_in", "not_in"],
  ["_in", "in"],
  ["_not_contains", "not_contains"],
  ["_not_contains_nocase", "not_contains_nocase"],
  ["_contains", "contains"],
  ["_contains_nocase", "contains_nocase"],
  ["_not_starts_with", "not_starts_with"],
  ["_not_starts_with_nocase", "not_starts_with_nocase"],
  ["_not_ends_with", "not_ends_with"],
  ["_not_ends_with_nocase", "not_ends_with_nocase"],
  ["_starts_with", "starts_with"],
  ["_starts_with_nocase", "starts_with_nocase"],
  ["_ends_with", "ends_with"],
  ["_ends_with_nocase", "ends_with_nocase"],
  ["_", "child"],
];

/** Splits `name_not_in` into (`name`, `not_in`) exactly like graph-node's `parse_field_as_filter`. */
export function parseFilterKey(key: string): [field: string, op: FilterOp] {
  if (key === "and" || key === "or") return [key, key];
  for (const [suffix, op] of SUFFIXES) {
    if (key.endsWith(suffix)) {
      // Rust's trim_end_matches strips every repetition of the suffix.
      let field = key;
      while (field.endsWith(suffix)) field = field.slice(0, field.length - suffix.length);
      return [field, op];
    }
  }
  return [key, "equal"];
}

/** `Bytes::from_str`: optional `0x` prefixes, then an even number of hex digits. */
export function decodeHexStrict(text: string): Uint8Array {
  let body = text;
  while (body.startsWith("0x")) body = body.slice(2);
  if (body.length % 2 !== 0) throw QueryErrors.valueParse("Bytes", "Odd number of digits");
  const invalid = /[^0-9a-fA-F]/.exec(body);
  if (invalid) throw QueryErrors.valueParse("Bytes", `Invalid character '${invalid[0]}' at position ${invalid.index}`);
  return new Uint8Array(Buffer.from(body, "hex"));
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function parseBigInt(text: string): bigint {
  if (text === "" || text === "+" || text === "-") {
    throw QueryErrors.valueParse("BigInt", "cannot parse integer from empty string");
  }
  if (!/^[+-]?\d+$/.test(text)) throw QueryErrors.valueParse("BigInt", "invalid digit found in string");
  return BigInt(text);
}

function parseInt8(text: string): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw QueryErrors.valueParse("Int8", text);
  const value = BigInt(text);
  if (value < I64_MIN || value > I64_MAX) throw QueryErrors.valueParse("Int8", text);
  return value;
}

/** The id value of an entity of `typeName` from its string form (`thing(id: …)`, reference filters). */
export function idFromString(schema: SubgraphSchema, typeName: string, text: string): Value {
  const target = queryTarget(schema, typeName);
  const first = target?.objectTypes[0];
  const idType = first ? (schema.entities.get(first)?.idType ?? "String") : "String";
  if (idType === "Bytes") return decodeHexStrict(text);
  if (idType === "Int8") return parseInt8(text);
  return text;
}

/**
 * `Value::from_query_value` for a filter value of a field of type `type`, converted to the store's in-memory
 * representation (references become the target's id value).
 */
export function toStoreValue(schema: SubgraphSchema, value: RValue, type: FieldType): Value {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const item: FieldType = { name: type.name, kind: type.kind, nonNull: type.list?.itemNonNull ?? false };
    return value.map((v) => toStoreValue(schema, v, item));
  }
  if (value instanceof EnumValue) return value.name;
  if (value instanceof TimestampValue) return value.micros;
  if (typeof value === "boolean") return value;
  const reference = type.kind === "entity" || type.kind === "interface";
  if (typeof value === "string") {
    if (reference) return idFromString(schema, type.name, value);
    switch (type.name) {
      case "Bytes":
        return decodeHexStrict(value);
      case "BigInt":
        return parseBigInt(value);
      case "BigDecimal":
        try {
          return BigDecimal.parse(value);
        } catch {
          throw QueryErrors.valueParse("BigDecimal", "invalid digit found in string");
        }
      case "Int8":
        return parseInt8(value);
      case "Timestamp": {
        const micros = parseTimestampMicros(value);
        if (micros === null) throw QueryErrors.valueParse("Timestamp", value);
        return micros;
      }
      default:
        return value;
    }
  }
  if (typeof value === "number") {
    // graph-node keeps Int as i32; Int8-id references (filter type Int) are stored as Int8.
    if (reference) return BigInt(value | 0);
    return value | 0;
  }
  if (value instanceof FloatValue || value instanceof ObjectValue) {
    throw QueryErrors.attributeType(printRValue(value), printFieldType(type));
  }
  return null;
}

const TEXT_OPS: Readonly<Record<string, [TextOp, boolean]>> = {
  contains: ["contains", false],
  contains_nocase: ["contains", true],
  not_contains: ["not_contains", false],
  not_contains_nocase: ["not_contains", true],
  starts_with: ["starts_with", false],
  starts_with_nocase: ["starts_with", true],
  not_starts_with: ["not_starts_with", false],
  not_starts_with_nocase: ["not_starts_with", true],
  ends_with: ["ends_with", false],
  ends_with_nocase: ["ends_with", true],
  not_ends_with: ["not_ends_with", false],
  not_ends_with_nocase: ["not_ends_with", true],
};

/** Kinds of values for graph-node's "same type" check on `_in` lists. */
function valueKind(value: Value): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return "bytes";
  if (value instanceof BigDecimal) return "bigdecimal";
  if (Array.isArray(value)) return "list";
  return typeof value;
}

function listValues(value: Value, filter: string): Value[] {
  if (!Array.isArray(value)) throw QueryErrors.listFilter(filter);
  const first = value[0];
  if (first !== undefined) {
    const kind = valueKind(first);
    for (const item of value) {
      if (valueKind(item) !== kind) throw QueryErrors.listTypes(filter, [valueDisplay(first), valueDisplay(item)]);
    }
  }
  return value;
}

/** `build_filter`: the `where` argument as a store filter (undefined when absent or null). */
export function buildFilter(schema: SubgraphSchema, target: QueryTarget, args: ReadonlyMap<string, RValue>): Filter | undefined {
  const where = args.get("where");
  if (where === undefined || where === null) return undefined;
  if (!(where instanceof ObjectValue)) throw QueryErrors.invalidFilter();
  return { kind: "and", filters: filtersFromObject(schema, target, where) };
}

/** `build_filter_from_object`. */
function filtersFromObject(schema: SubgraphSchema, target: QueryTarget, object: ObjectValue): Filter[] {
  if (object.has("or")) {
    const columns = [...object.entries.keys()].filter((k) => k !== "or" && k !== "and" && k !== "_change_block");
    if (columns.length > 0) throw QueryErrors.invalidOrFilterStructure(columns.map((c) => `'${c}'`));
  }
  const filters: Filter[] = [];
  for (const [key, value] of object.entries) {
    if (key === "_change_block") {
      const numberGte = value instanceof ObjectValue ? value.get("number_gte") : undefined;
      if (typeof numberGte !== "number" || numberGte < -(2 ** 31) || numberGte > 2 ** 31 - 1) throw QueryErrors.invalidFilter();
      filters.push({ kind: "changeBlock", numberGte });
      continue;
    }
    const [fieldName, op] = parseFilterKey(key);
    if (op === "and" || op === "or") {
      // graph-node builds the nested list from every value of this object, not only from `and`/`or`.
      const nested: Filter[] = [];
      for (const listValue of object.entries.values()) {
        if (!Array.isArray(listValue)) throw QueryErrors.invalidFilter();
        for (const item of listValue) {
          if (!(item instanceof ObjectValue)) throw QueryErrors.invalidFilter();
          nested.push({ kind: "and", filters: filtersFromObject(schema, target, item) });
        }
      }
      filters.push({ kind: op, filters: nested });
      continue;
    }
    if (op === "child") {
      if (value instanceof ObjectValue) {
        const field = fieldOf(target, fieldName);
        if (!field) throw QueryErrors.invalidFilter();
        const child = queryTarget(schema, field.type.name);
        if (!child) throw QueryErrors.invalidFilter();
        filters.push({ kind: "child", field: fieldName, filter: { kind: "and", filters: filtersFromObject(schema, child, value) } });
        continue;
      }
      const field = fieldOf(target, fieldName);
      if (!field) throw QueryErrors.entityField(target.name, fieldName);
      throw QueryErrors.attributeType(printDisplay(value), printFieldType(field.type));
    }
    const field = fieldOf(target, fieldName);
    if (!field) throw QueryErrors.entityField(target.name, fieldName);
    filters.push(entityFilter(fieldName, field.type, op, toStoreValue(schema, value, field.type)));
  }
  return filters;
}

/** `build_entity_filter` in the store's filter vocabulary. */
function entityFilter(field: string, type: FieldType, op: FilterOp, value: Value): Filter {
  switch (op) {
    case "equal":
      return { kind: "compare", field, op: "eq", value };
    case "not":
    case "gt":
    case "lt":
    case "gte":
    case "lte":
      return { kind: "compare", field, op, value };
    case "in":
      return { kind: "compare", field, op: "in", value: listValues(value, "_in") };
    case "not_in":
      return { kind: "compare", field, op: "not_in", value: listValues(value, "_not_in") };
    default: {
      const text = TEXT_OPS[op];
      if (!text) throw QueryErrors.invalidFilter();
      const [textOp, nocase] = text;
      if (type.list) {
        if (textOp !== "contains" && textOp !== "not_contains") throw QueryErrors.invalidFilter();
        return { kind: "list", field, op: textOp, value: Array.isArray(value) ? value : [value], nocase };
      }
      if (typeof value !== "string" && !(value instanceof Uint8Array)) {
        throw QueryErrors.filterNotSupported(valueDisplay(value), `${field}_${op}`);
      }
      return { kind: "text", field, op: textOp, value, nocase };
    }
  }
}
