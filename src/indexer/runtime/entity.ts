/**
 * Entities at the WASM boundary: ids as strings, typed store values ⇄ the in-memory values of values.ts, and
 * graph-node's `store.set` semantics (merge into the existing entity, then validate against the schema).
 */
import { BigDecimal, bytesToHex, type Entity, type Value } from "../values.ts";
import { storageScalar, type EntityType, type FieldDef, type FieldType, type ScalarName, type SubgraphSchema } from "../schema/schema.ts";
import { HostError } from "./errors.ts";
import { StoreValueKind as SK } from "./type-ids.ts";
import type { StoreValue } from "./asc.ts";
import { decimalToString } from "./bigdecimal.ts";
import { parseI64 } from "./bigint.ts";

const KIND_OF_SCALAR: Record<ScalarName, number> = {
  ID: SK.STRING,
  String: SK.STRING,
  Int: SK.INT,
  Int8: SK.INT8,
  BigInt: SK.BIGINT,
  BigDecimal: SK.BIGDECIMAL,
  Boolean: SK.BOOL,
  Bytes: SK.BYTES,
  Timestamp: SK.TIMESTAMP,
};

/** graph-node's name of a value's type, used in error messages. */
export function storeValueTypeName(v: StoreValue): string {
  switch (v.kind) {
    case SK.STRING:
      return "String";
    case SK.INT:
      return "Int";
    case SK.BIGDECIMAL:
      return "BigDecimal";
    case SK.BOOL:
      return "Boolean";
    case SK.ARRAY:
      return v.value.length > 0 ? `[${storeValueTypeName(v.value[0]!)}]` : "[Any]";
    case SK.NULL:
      return "Null";
    case SK.BYTES:
      return "Bytes";
    case SK.BIGINT:
      return "BigInt";
    case SK.INT8:
      return "Int8";
    case SK.TIMESTAMP:
      return "Timestamp";
  }
}

/** graph-node's Display of a value, used in error messages. */
export function displayStoreValue(v: StoreValue): string {
  switch (v.kind) {
    case SK.NULL:
      return "null";
    case SK.ARRAY:
      return `[${v.value.map(displayStoreValue).join(", ")}]`;
    case SK.BYTES:
      return bytesToHex(v.value);
    case SK.BIGDECIMAL:
      return decimalToString(v.value);
    default:
      return String(v.value);
  }
}

/** GraphQL notation of a field type, e.g. `[DatasetVersion!]!`. */
export function fieldTypeString(type: FieldType): string {
  const inner = type.list ? `[${type.name}${type.list.itemNonNull ? "!" : ""}]` : type.name;
  return type.nonNull ? `${inner}!` : inner;
}

/** The in-memory value of a typed store value. */
export function fromStoreValue(v: StoreValue): Value {
  switch (v.kind) {
    case SK.NULL:
      return null;
    case SK.ARRAY:
      return v.value.map(fromStoreValue);
    default:
      return v.value;
  }
}

/** A typed store value for an in-memory value whose schema scalar is known. */
export function toStoreValue(value: Value, scalar: ScalarName): StoreValue {
  if (value === null) return { kind: SK.NULL };
  if (Array.isArray(value)) return { kind: SK.ARRAY, value: value.map((item) => toStoreValue(item, scalar)) };
  const kind = KIND_OF_SCALAR[scalar];
  switch (kind) {
    case SK.STRING:
      return { kind, value: String(value) };
    case SK.INT:
      return { kind, value: Number(value) };
    case SK.BIGDECIMAL:
      return { kind, value: value instanceof BigDecimal ? value : BigDecimal.parse(String(value)) };
    case SK.BOOL:
      return { kind, value: Boolean(value) };
    case SK.BYTES:
      return { kind, value: value as Uint8Array };
    case SK.BIGINT:
    case SK.INT8:
    case SK.TIMESTAMP:
      return { kind, value: BigInt(value as bigint) } as StoreValue;
    default:
      throw new Error(`unreachable scalar ${scalar}`);
  }
}

/** A typed value for an in-memory value without schema information (data source contexts). */
export function guessStoreValue(value: Value): StoreValue {
  if (value === null) return { kind: SK.NULL };
  if (Array.isArray(value)) return { kind: SK.ARRAY, value: value.map(guessStoreValue) };
  if (typeof value === "string") return { kind: SK.STRING, value };
  if (typeof value === "number") return { kind: SK.INT, value };
  if (typeof value === "bigint") return { kind: SK.BIGINT, value };
  if (typeof value === "boolean") return { kind: SK.BOOL, value };
  if (value instanceof Uint8Array) return { kind: SK.BYTES, value };
  return { kind: SK.BIGDECIMAL, value };
}

/** The key string of an id value: strings as is, Bytes as lowercase 0x-hex, Int8 as decimal. */
export function idString(value: Value): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  throw new Error(`not an id value: ${String(value)}`);
}

/** Schema lookups the host needs per call, cached. */
export class SchemaInfo {
  private readonly scalars = new Map<string, Map<string, ScalarName>>();
  /** The same scalars as entries sorted by field name (the order entities cross into WASM). */
  private readonly sortedScalars = new Map<string, [string, ScalarName][]>();
  /** Each field's position in its type's `fields`, by name. */
  private readonly positions = new Map<string, Map<string, number>>();

  constructor(readonly schema: SubgraphSchema) {}

  /** The entity type, or a deterministic error naming the operation. */
  entityType(name: string, operation: string): EntityType {
    const type = this.schema.entities.get(name);
    if (type && !type.aggregation) return type;
    if (type || this.schema.interfaces.has(name)) {
      throw new HostError("unknown-entity-type", `Cannot ${operation} entity of type \`${name}\`. The type must be an @entity type`);
    }
    throw new HostError("unknown-entity-type", `Entity type \`${name}\` is not defined in the schema (store.${operation})`);
  }

  /** Storage scalars of an entity type's stored fields. */
  scalarsOf(type: EntityType): Map<string, ScalarName> {
    let map = this.scalars.get(type.name);
    if (!map) {
      map = new Map();
      for (const field of type.fields) if (!field.derivedFrom) map.set(field.name, storageScalar(this.schema, field.type));
      this.scalars.set(type.name, map);
    }
    return map;
  }

  /** Each field's position in `type.fields`, by name. */
  fieldPositionsOf(type: EntityType): Map<string, number> {
    let positions = this.positions.get(type.name);
    if (!positions) this.positions.set(type.name, (positions = new Map(type.fields.map((field, i) => [field.name, i]))));
    return positions;
  }

  /** An entity as the typed entries graph-node hands to WASM: stored schema fields, sorted by name. */
  entityEntries(type: EntityType, entity: Entity): [string, StoreValue][] {
    let fields = this.sortedScalars.get(type.name);
    if (!fields) this.sortedScalars.set(type.name, (fields = [...this.scalarsOf(type)].sort(([a], [b]) => (a < b ? -1 : 1))));
    const out: [string, StoreValue][] = [];
    for (const [name, scalar] of fields) {
      const value = entity[name];
      // Own fields only: a field named like Object.prototype's ("constructor") is absent unless the entity has it.
      if (value !== null && value !== undefined && Object.hasOwn(entity, name)) out.push([name, toStoreValue(value, scalar)]);
    }
    return out;
  }
}

/**
 * Parses an id passed to store functions per the entity's id type and returns its key string: Bytes ids as lowercase
 * 0x-hex (so "0xAB", "ab" and "0xab" are the same entity, as in graph-node), Int8 ids as decimal.
 */
export function parseEntityId(type: EntityType, id: string): string {
  if (type.idType === "String") return id;
  if (type.idType === "Bytes") {
    const hex = id.startsWith("0x") ? id.slice(2) : id;
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
      throw new HostError("invalid-id", `Entity ${type.name}: id \`${id}\` is not valid hex for a Bytes id`);
    }
    return `0x${hex.toLowerCase()}`;
  }
  const n = parseI64(id);
  if (n === null) throw new HostError("invalid-id", `Entity ${type.name}: id \`${id}\` is not a valid Int8 id`);
  return n.toString();
}

/** The typed value of an id key string. */
export function idStoreValue(type: EntityType, key: string): StoreValue {
  if (type.idType === "String") return { kind: SK.STRING, value: key };
  if (type.idType === "Bytes") return { kind: SK.BYTES, value: new Uint8Array(Buffer.from(key.slice(2), "hex")) };
  return { kind: SK.INT8, value: BigInt(key) };
}

function sameId(type: EntityType, key: string, v: StoreValue): boolean {
  if (type.idType === "String") return v.kind === SK.STRING && v.value === key;
  if (type.idType === "Bytes") return v.kind === SK.BYTES && bytesToHex(v.value) === key;
  return v.kind === SK.INT8 && v.value.toString() === key;
}

function assignable(v: StoreValue, kind: number, isList: boolean): boolean {
  if (v.kind === SK.NULL) return true;
  if (v.kind === SK.ARRAY) return isList && v.value.every((item) => assignable(item, kind, false));
  return v.kind === kind;
}

function apiAtLeast(apiVersion: string, min: [number, number, number]): boolean {
  const parts = apiVersion.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a > min[i]!;
  }
  return true;
}

/**
 * graph-node's `store.set` up to the write: checks the id, rejects undefined fields (apiVersion >= 0.0.8; older
 * versions drop them), merges `data` into `existing` (a null value removes the field) and validates the result
 * against the schema. Returns the full entity to store.
 *
 * @throws HostError with code id-mismatch, undefined-fields, derived-field, wrong-type or missing-field.
 */
export function mergeForSet(
  info: SchemaInfo,
  type: EntityType,
  key: string,
  data: readonly (readonly [string, StoreValue])[],
  existing: Entity | null,
  apiVersion: string,
): Entity {
  // The values given, by the position of their field in the schema (the last one given wins, as in a map).
  const positions = info.fieldPositionsOf(type);
  const incoming = new Array<StoreValue | undefined>(type.fields.length);
  let undefinedFields: string[] | null = null;
  for (const [field, value] of data) {
    const position = positions.get(field);
    if (position !== undefined) incoming[position] = value;
    else if (!undefinedFields?.includes(field)) (undefinedFields ??= []).push(field);
  }

  const idPosition = positions.get("id")!;
  const id = incoming[idPosition];
  if (id) {
    if (!sameId(type, key, id)) {
      const expected = type.idType;
      const actual = storeValueTypeName(id);
      if (actual !== expected) {
        throw new HostError("id-mismatch", `Attribute \`${type.name}.id\` has wrong type: expected ${expected} but got ${actual}`);
      }
      throw new HostError(
        "id-mismatch",
        `Value of ${type.name} attribute 'id' conflicts with ID passed to \`store.set()\`: ${displayStoreValue(id)} != ${key}`,
      );
    }
  } else incoming[idPosition] = idStoreValue(type, key);

  if (undefinedFields !== null && apiAtLeast(apiVersion, [0, 0, 8])) {
    throw new HostError(
      "undefined-fields",
      `Attempted to set undefined fields [${undefinedFields.sort().join(", ")}] for the entity type \`${type.name}\`. ` +
        "Make sure those fields are defined in the schema.",
    );
  }

  const scalars = info.scalarsOf(type);
  const merged: Entity = existing ? { ...existing } : {};
  const fields = type.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const name = field.name;
    const value = incoming[i];
    if (value !== undefined) {
      if (value.kind !== SK.NULL) {
        if (field.derivedFrom !== undefined) {
          throw new HostError("derived-field", `Entity ${type.name}[${key}]: field \`${name}\` is derived and cannot be set`);
        }
        checkFieldValue(info, type, key, field, scalars.get(name)!, value);
        merged[name] = fromStoreValue(value);
      } else delete merged[name];
    }
    if (field.type.nonNull && field.derivedFrom === undefined) {
      const v = merged[name];
      if (v === undefined || v === null) {
        throw new HostError("missing-field", `Entity ${type.name}[${key}]: missing value for non-nullable field \`${name}\``);
      }
    }
  }
  return merged;
}

function checkFieldValue(info: SchemaInfo, type: EntityType, key: string, field: FieldDef, scalar: ScalarName, value: StoreValue): void {
  const kind = KIND_OF_SCALAR[scalar];
  const isList = field.type.list !== undefined;
  if (value.kind === kind && !isList) {
    if (field.type.kind === "enum") checkEnum(info, type, key, field, value);
    return;
  }
  if (isList && value.kind === SK.ARRAY) {
    const items = value.value;
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      if (!assignable(item, kind, false)) {
        throw new HostError(
          "wrong-type",
          `Entity ${type.name}[${key}]: field \`${field.name}\` is of type ${fieldTypeString(field.type)}, but the value ` +
            `\`${displayStoreValue(value)}\` contains a ${storeValueTypeName(item)} at index ${index}`,
        );
      }
    }
  }
  if (!assignable(value, kind, isList)) {
    throw new HostError(
      "wrong-type",
      `Entity ${type.name}[${key}]: the value \`${displayStoreValue(value)}\` for field \`${field.name}\` must have type ` +
        `${fieldTypeString(field.type)} but has type ${storeValueTypeName(value)}`,
    );
  }
  if (field.type.kind === "enum") checkEnum(info, type, key, field, value);
}

function checkEnum(info: SchemaInfo, type: EntityType, key: string, field: FieldDef, value: StoreValue): void {
  // graph-node stores enums as Postgres enum types, which reject other values when the block is written.
  const allowed = info.schema.enums.get(field.type.name) ?? [];
  const values = value.kind === SK.ARRAY ? value.value : [value];
  for (const item of values) {
    if (item.kind === SK.STRING && !allowed.includes(item.value)) {
      throw new HostError(
        "wrong-type",
        `Entity ${type.name}[${key}]: the value \`${item.value}\` for field \`${field.name}\` is not a value of enum ${field.type.name}`,
      );
    }
  }
}

/** Deep equality of in-memory values (Bytes by content, BigDecimal by value). */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return (a ?? null) === (b ?? null);
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a instanceof BigDecimal) return b instanceof BigDecimal && a.equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  return false;
}

/** Whether two entities have the same fields with equal values (absent and null are the same). */
export function entitiesEqual(a: Entity, b: Entity): boolean {
  for (const key of Object.keys(a)) if (!valuesEqual(a[key], b[key])) return false;
  for (const key of Object.keys(b)) if (!(key in a) && !valuesEqual(null, b[key])) return false;
  return true;
}
