/**
 * Builds the JSON result from the prefetched tree (graph-node's `execute_selection_set_to_map` and `complete_value`
 * in `graphql/src/execution/execution.rs`): scalars encoded like graph-node (Bytes as lowercase 0x-hex, BigInt,
 * BigDecimal and Int8 as strings, Timestamp as a string of microseconds, Int as a number), non-null violations
 * reported as "Null value resolved for non-null field `x`", and — unlike the GraphQL spec — any error drops the
 * whole result of the query part it occurs in (graph-node returns no partial data).
 */
import {
  getNullableType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import type { SubgraphSchema } from "../schema/schema.ts";
import { BigDecimal, bytesToHex, type Value } from "../values.ts";
import { QueryErrors, QueryExecutionError } from "./errors.ts";
import type { RValue } from "./input-values.ts";
import type { Node } from "./prefetch.ts";
import type { PreparedField, SelectionSet } from "./prepare.ts";

/** A JSON value of a response. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Store value → the value graph-node hands to completion (`impl From<Value> for r::Value`). */
function outputValue(value: Value | undefined): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (value instanceof BigDecimal) return value.toString();
  return value.map(outputValue);
}

/** `coerce_scalar` on output: whether a converted value fits the scalar. */
function fitsScalar(value: JsonValue, scalar: string): boolean {
  switch (scalar) {
    case "Boolean":
      return typeof value === "boolean";
    case "Int":
      return typeof value === "number" && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1;
    case "ID":
      return typeof value === "string" || typeof value === "number";
    default:
      return typeof value === "string" || (scalar === "BigInt" && typeof value === "number");
  }
}

/** Completion state: the schemas and the block's `_meta` resolver. */
export interface CompletionContext {
  api: GraphQLSchema;
  subgraph: SubgraphSchema;
}

/**
 * Completes the fields `selection` selects for an object of type `typeName` from `node`.
 *
 * @throws QueryExecutionError[] with every error found in the object (graph-node then drops the data).
 */
export function completeObject(ctx: CompletionContext, node: Node, typeName: string, selection: SelectionSet): { [key: string]: JsonValue } {
  const type = ctx.api.getType(typeName) as GraphQLObjectType;
  const result: { [key: string]: JsonValue } = {};
  const errors: QueryExecutionError[] = [];
  for (const field of selection.fieldsFor(typeName)) {
    if (field.name === "__typename") {
      result[field.responseKey] = typeName;
      continue;
    }
    const def = type.getFields()[field.name];
    if (!def) {
      errors.push(QueryErrors.unknownField(field.position, typeName, field.name));
      continue;
    }
    try {
      result[field.responseKey] = completeField(ctx, node, typeName, field, def.type);
    } catch (error) {
      errors.push(...(Array.isArray(error) ? (error as QueryExecutionError[]) : [error as QueryExecutionError]));
    }
  }
  if (errors.length > 0) throw errors;
  return result;
}

/** Resolves and completes one field of `node`. */
function completeField(ctx: CompletionContext, node: Node, typeName: string, field: PreparedField, type: GraphQLOutputType): JsonValue {
  const nullable = getNullableType(type);
  const named = isListType(nullable) ? getNullableType(nullable.ofType) : nullable;
  if (isObjectType(named) || isInterfaceType(named)) {
    const children = node.children.get(field.responseKey);
    if (!children) {
      throw QueryErrors.resolveEntities(`internal error resolving ${typeName}.${field.name}: expected prefetched result, but found nothing`);
    }
    if (isListType(nullable)) return completeValue(ctx, field, type, children);
    if (children.length > 1) {
      // graph-node names the field's own type (the child type) in these messages.
      const derivedFrom = ctx.subgraph.entities.get(typeName)?.fieldsByName.get(field.name)?.derivedFrom;
      if (derivedFrom !== undefined) {
        throw QueryErrors.ambiguousDerivedFromResult(field.position, field.name, named.name, derivedFrom);
      }
      throw QueryErrors.internal(
        `expected only one child for ${named.name}.${field.name} but got ${children.length}. One child has id ${outputValue(children[0]!.entity.id)}, another has id ${outputValue(children[1]!.entity.id)}`,
      );
    }
    return completeValue(ctx, field, type, children[0] ?? null);
  }
  return completeValue(ctx, field, type, outputValue(node.entity[field.name]));
}

/** `complete_value`: non-null checks, lists, scalars, enums and objects. */
function completeValue(ctx: CompletionContext, field: PreparedField, type: GraphQLOutputType, value: JsonValue | Node | Node[]): JsonValue {
  if (isNonNullType(type)) {
    const completed = completeValue(ctx, field, type.ofType, value);
    if (completed === null) throw [QueryErrors.nonNull(field.position, field.name)];
    return completed;
  }
  if (value === null) return null;
  if (isListType(type)) {
    if (!Array.isArray(value)) throw [QueryErrors.listValue(field.position, field.name)];
    const errors: QueryExecutionError[] = [];
    const items: JsonValue[] = [];
    for (const item of value as (JsonValue | Node)[]) {
      try {
        items.push(completeValue(ctx, field, type.ofType, item));
      } catch (error) {
        errors.push(...(Array.isArray(error) ? (error as QueryExecutionError[]) : [error as QueryExecutionError]));
      }
    }
    if (errors.length > 0) throw errors;
    return items;
  }
  if (isScalarType(type)) {
    const scalar = value as JsonValue;
    if (!fitsScalar(scalar, type.name)) throw [QueryErrors.scalarCoercion(field.position, field.name, scalar as RValue, type.name)];
    return scalar;
  }
  if (isEnumType(type)) {
    if (typeof value !== "string" || !type.getValue(value)) {
      throw [
        QueryErrors.enumCoercion(field.position, field.name, value as RValue, type.name, type.getValues().map((v) => v.name)),
      ];
    }
    return value;
  }
  const node = value as Node;
  return completeObject(ctx, node, node.typename, field.selection);
}
