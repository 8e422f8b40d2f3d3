/**
 * The GraphQL API schema graph-node serves for a subgraph, generated from its schema.graphql.
 *
 * Mirrors graph-node `graph/src/schema/api.rs` (`api_schema`) and `graph/src/schema/meta.graphql`:
 * - the subgraph's own types are copied; list fields of entity/interface type get collection arguments
 *   `(skip: Int = 0, first: Int = 100, orderBy: T_orderBy, orderDirection: OrderDirection, where: T_filter)`;
 * - per entity type (then per interface): `T_orderBy` (every field, plus `field__child` for the non-list,
 *   non-entity fields of a single referenced entity) and `T_filter` (per-type suffixes, `field_` child filters,
 *   `_change_block`, `and`, `or`);
 * - `Query` with `thing(id, block, subgraphError)` and `things(skip, first, orderBy, orderDirection, where, block,
 *   subgraphError)` per entity and interface, named by {@link camelCasedNames}, then one
 *   `name(text, first, skip, block, where, subgraphError)` per `@fulltext` field, and `_meta(block): _Meta_`;
 * - the scalars BigDecimal, Bytes, BigInt, Int8, Timestamp and the types `_Meta_`, `_Block_`, `Block_height`,
 *   `BlockChangedFilter`, `_SubgraphErrorPolicy_`, `OrderDirection`, `Aggregation_interval`, `Aggregation_current`.
 *
 * The result is SDL text plus a graphql-js `GraphQLSchema` built from it (used for introspection and for looking up
 * argument types while coercing input); the directive list is graph-node's (`skip`, `include`, `entity`,
 * `subgraphId`, `derivedFrom`).
 */
import {
  buildSchema,
  GraphQLDirective,
  GraphQLIncludeDirective,
  GraphQLSchema,
  GraphQLSkipDirective,
  Kind,
  parse,
  print,
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from "graphql";
import type { EntityType, FieldDef, InterfaceType, SubgraphSchema } from "../schema/schema.ts";
import { camelCasedNames } from "./naming.ts";

/** What a root `Query` field of the API schema does. */
export type QueryFieldInfo =
  | { kind: "single"; typeName: string }
  | { kind: "collection"; typeName: string }
  /** A `@fulltext` search over `typeName` (the field's name is the fulltext definition's name). */
  | { kind: "fulltext"; typeName: string }
  | { kind: "meta" };

/** The generated API schema and the lookups the executor needs. */
export interface ApiSchema {
  /** The subgraph schema it was generated from. */
  readonly subgraph: SubgraphSchema;
  /** The full API schema as SDL text (what graph-node's introspection describes). */
  readonly sdl: string;
  /** graphql-js schema built from {@link sdl}: introspection and input-type lookups. */
  readonly schema: GraphQLSchema;
  /** Root `Query` fields by name (entity/interface fields and `_meta`; introspection fields are not listed). */
  readonly queryFields: ReadonlyMap<string, QueryFieldInfo>;
}

/** Thrown when the subgraph schema cannot be turned into an API schema (a name clash with generated types). */
export class ApiSchemaError extends Error {
  override name = "ApiSchemaError";
}

// Text of graph-node's meta.graphql that ends up in every API schema, in graph-node's order. The duplicate
// definitions graph-node's document contains (a second, documented `Block_height`) are left out: graph-node's
// introspection and type lookups use the first definition.
const META_SDL = `
scalar Boolean

scalar ID

scalar Int

scalar Float

scalar String

directive @entity on OBJECT

"Defined a Subgraph ID for an object type"
directive @subgraphId(id: String!) on OBJECT

"creates a virtual field on the entity that may be queried but cannot be set manually through the mappings API."
directive @derivedFrom(field: String!) on FIELD_DEFINITION

scalar BigDecimal

scalar Bytes

scalar BigInt

"""
8 bytes signed integer
"""
scalar Int8

"""
A string representation of microseconds UNIX timestamp (16 digits)
"""
scalar Timestamp

"The type for the top-level _meta field"
type _Meta_ {
  """
  Information about a specific subgraph block. The hash of the block
  will be null if the _meta field has a block constraint that asks for
  a block number. It will be filled if the _meta field has no block constraint
  and therefore asks for the latest  block
  """
  block: _Block_!
  "The deployment ID"
  deployment: String!
  "If \`true\`, the subgraph encountered indexing errors at some past block"
  hasIndexingErrors: Boolean!
}

input BlockChangedFilter {
  number_gte: Int!
}

input Block_height {
  hash: Bytes
  number: Int
  number_gte: Int
}

type _Block_ {
  "The hash of the block"
  hash: Bytes
  "The block number"
  number: Int!
  "Integer representation of the timestamp stored in blocks for the chain"
  timestamp: Int
  "The hash of the parent block"
  parentHash: Bytes
}

enum _SubgraphErrorPolicy_ {
  "Data will be returned even if the subgraph has indexing errors"
  allow

  "If the subgraph has indexing errors, data will be omitted. The default."
  deny
}

"Defines the order direction, either ascending or descending"
enum OrderDirection {
  asc
  desc
}

enum Aggregation_interval {
  hour
  day
}

"Indicates whether the current, partially filled bucket should be included in the response. Defaults to \`exclude\`"
enum Aggregation_current {
  "Exclude the current, partially filled bucket from the response"
  exclude

  "Include the current, partially filled bucket in the response"
  include
}
`;

const BLOCK_ARGUMENT =
  `"""\nThe block at which the query should be executed. Can either be a \`{ hash: Bytes }\` value containing a block ` +
  `hash, a \`{ number: Int }\` containing the block number, or a \`{ number_gte: Int }\` containing the minimum block ` +
  `number. In the case of \`number_gte\`, the query will be executed on the latest block only if the subgraph has ` +
  `progressed to or past the minimum block number. Defaults to the latest block when omitted.\n"""\nblock: Block_height`;

const SUBGRAPH_ERROR_ARGUMENT =
  `"""\nSet to \`allow\` to receive data even if the subgraph has skipped over errors while syncing.\n"""\n` +
  `subgraphError: _SubgraphErrorPolicy_! = deny`;

/** Names graph-node's meta schema defines; a subgraph type with one of these names clashes. */
const RESERVED_TYPE_NAMES = new Set([
  "Query",
  "BigDecimal",
  "Bytes",
  "BigInt",
  "Int8",
  "Timestamp",
  "_Meta_",
  "_Block_",
  "BlockChangedFilter",
  "Block_height",
  "_SubgraphErrorPolicy_",
  "OrderDirection",
  "Aggregation_interval",
  "Aggregation_current",
]);

/** The filter operator suffixes graph-node generates per scalar type (`field_filter_ops` for object types). */
export function scalarFilterOps(scalar: string): readonly string[] {
  switch (scalar) {
    case "Boolean":
      return ["", "not", "in", "not_in"];
    case "Bytes":
      return ["", "not", "gt", "lt", "gte", "lte", "in", "not_in", "contains", "not_contains"];
    case "ID":
    case "BigInt":
    case "BigDecimal":
    case "Int":
    case "Int8":
    case "Timestamp":
      return ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"];
    case "String":
      return [
        "",
        "not",
        "gt",
        "lt",
        "gte",
        "lte",
        "in",
        "not_in",
        "contains",
        "contains_nocase",
        "not_contains",
        "not_contains_nocase",
        "starts_with",
        "starts_with_nocase",
        "not_starts_with",
        "not_starts_with_nocase",
        "ends_with",
        "ends_with_nocase",
        "not_ends_with",
        "not_ends_with_nocase",
      ];
    default:
      return ["", "not"];
  }
}

/** graph-node's `field_filter_ops` for aggregation types: numbers and timestamps get ranges, the rest equality. */
export function aggregationFilterOps(scalar: string): readonly string[] {
  return ["BigInt", "BigDecimal", "Int", "Int8", "Timestamp"].includes(scalar) ? ["", "gt", "lt", "gte", "lte", "in"] : [""];
}

const suffixed = (name: string, suffix: string) => (suffix === "" ? name : `${name}_${suffix}`);

/**
 * Generates graph-node's API schema for a parsed subgraph schema.
 *
 * @example
 * const api = buildApiSchema(parseSchema(readFileSync("schema.graphql", "utf8")));
 * api.queryFields.get("datasetVersions"); // { kind: "collection", typeName: "DatasetVersion" }
 * @throws ApiSchemaError when a subgraph type clashes with a generated or built-in type name.
 */
export function buildApiSchema(subgraph: SubgraphSchema): ApiSchema {
  const objectTypes = [...subgraph.entities.values()];
  const interfaceTypes = [...subgraph.interfaces.values()];
  const typeNames = new Set<string>([...subgraph.entities.keys(), ...subgraph.interfaces.keys(), ...subgraph.enums.keys()]);
  for (const name of typeNames) {
    if (RESERVED_TYPE_NAMES.has(name)) throw new ApiSchemaError(`type ${name} already exists in the input schema`);
  }
  for (const type of [...objectTypes, ...interfaceTypes]) {
    for (const generated of [`${type.name}_orderBy`, `${type.name}_filter`]) {
      if (typeNames.has(generated)) throw new ApiSchemaError(`type ${generated} already exists in the input schema`);
    }
  }

  const isEntityLike = (name: string) => subgraph.entities.has(name) || subgraph.interfaces.has(name);
  const parts: string[] = [copyInputDefinitions(subgraph, isEntityLike), META_SDL];
  for (const type of objectTypes) {
    // Aggregations filter on id, timestamp and dimensions only (graph-node `add_aggregation_filter_type`).
    const filterFields = type.aggregation ? type.fields.filter((f) => !type.aggregation!.aggregates.some((a) => a.field === f.name)) : type.fields;
    parts.push(orderByEnum(subgraph, type.name, type.fields), filterInput(subgraph, type.name, filterFields, type.aggregation ? aggregationFilterOps : scalarFilterOps));
  }
  for (const type of interfaceTypes) parts.push(orderByEnum(subgraph, type.name, type.fields), filterInput(subgraph, type.name, type.fields));

  const queryFields = new Map<string, QueryFieldInfo>();
  const queryLines: string[] = [];
  for (const type of [...objectTypes, ...interfaceTypes]) {
    const [singular, plural] = camelCasedNames(type.name);
    for (const name of [singular, plural]) {
      if (queryFields.has(name) || name === "_meta") {
        throw new ApiSchemaError(`query field ${name} for type ${type.name} clashes with another query field`);
      }
    }
    queryFields.set(plural, { kind: "collection", typeName: type.name });
    if ("aggregation" in type && type.aggregation) {
      // graph-node `query_fields_for_agg_type`: only the collection, with `interval` and `current`.
      queryLines.push(
        `"Collection of aggregated \`${type.name}\` values"\n${plural}(\n${aggregationArguments(type.name)}\n${BLOCK_ARGUMENT}\n${SUBGRAPH_ERROR_ARGUMENT}\n): [${type.name}!]!`,
      );
      continue;
    }
    queryFields.set(singular, { kind: "single", typeName: type.name });
    queryLines.push(`${singular}(\nid: ID!\n${BLOCK_ARGUMENT}\n${SUBGRAPH_ERROR_ARGUMENT}\n): ${type.name}`);
    queryLines.push(
      `${plural}(\n${collectionArguments(type.name)}\n${BLOCK_ARGUMENT}\n${SUBGRAPH_ERROR_ARGUMENT}\n): [${type.name}!]!`,
    );
  }
  for (const fulltext of subgraph.fulltext.values()) {
    if (queryFields.has(fulltext.name) || fulltext.name === "_meta") {
      throw new ApiSchemaError(`query field ${fulltext.name} for the @fulltext field clashes with another query field`);
    }
    queryFields.set(fulltext.name, { kind: "fulltext", typeName: fulltext.entity });
    queryLines.push(fulltextQueryField(fulltext.name, fulltext.entity));
  }
  queryFields.set("_meta", { kind: "meta" });
  queryLines.push(`"Access to subgraph metadata"\n_meta(block: Block_height): _Meta_`);
  parts.push(`type Query {\n${queryLines.join("\n")}\n}`);

  const sdl = parts.join("\n\n");
  const built = buildSchema(sdl, { assumeValidSDL: true });
  const directive = (name: string) => built.getDirective(name) as GraphQLDirective;
  const schema = new GraphQLSchema({
    ...built.toConfig(),
    directives: [GraphQLSkipDirective, GraphQLIncludeDirective, directive("entity"), directive("subgraphId"), directive("derivedFrom")],
  });
  return { subgraph, sdl, schema, queryFields };
}

/**
 * graph-node's `query_field_for_fulltext` (graph/src/schema/api.rs): `text`, `first`, `skip`, `block`, `where` and
 * `subgraphError`, returning `[Entity!]!`; no `orderBy` (results come in rank order).
 */
function fulltextQueryField(name: string, typeName: string): string {
  const args = ["text: String!", "first: Int = 100", "skip: Int = 0", BLOCK_ARGUMENT, `where: ${typeName}_filter`, SUBGRAPH_ERROR_ARGUMENT];
  return `${name}(\n${args.join("\n")}\n): [${typeName}!]!`;
}

/** `skip, first, orderBy, orderDirection, where` as graph-node's `collection_arguments` declares them. */
function collectionArguments(typeName: string): string {
  return [
    "skip: Int = 0",
    "first: Int = 100",
    `orderBy: ${typeName}_orderBy`,
    "orderDirection: OrderDirection",
    `where: ${typeName}_filter`,
  ].join("\n");
}

/** graph-node's `collection_arguments` for an aggregation: `skip, first, interval, orderBy, orderDirection, current, where`. */
function aggregationArguments(typeName: string): string {
  return [
    "skip: Int = 0",
    "first: Int = 100",
    "interval: Aggregation_interval!",
    `orderBy: ${typeName}_orderBy`,
    "orderDirection: OrderDirection",
    "current: Aggregation_current",
    `where: ${typeName}_filter`,
  ].join("\n");
}

/**
 * The subgraph's own enums, interfaces and entity types, in source order, without their directives (introspection
 * does not show applied directives), with collection arguments on entity list fields.
 */
function copyInputDefinitions(subgraph: SubgraphSchema, isEntityLike: (name: string) => boolean): string {
  const document = parse(subgraph.source);
  const copied: DefinitionNode[] = [];
  const withArguments = (field: FieldDefinitionNode): FieldDefinitionNode => {
    let type = field.type;
    if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
    if (type.kind !== Kind.LIST_TYPE) return { ...field, directives: [] };
    let item = type.type;
    if (item.kind === Kind.NON_NULL_TYPE) item = item.type;
    if (item.kind !== Kind.NAMED_TYPE || !isEntityLike(item.name.value)) return { ...field, directives: [] };
    const args = parse(`type X { f(${collectionArguments(item.name.value)}): Int }`).definitions[0];
    const argumentNodes =
      args?.kind === Kind.OBJECT_TYPE_DEFINITION ? (args.fields?.[0]?.arguments ?? []) : ([] as InputValueDefinitionNode[]);
    return { ...field, directives: [], arguments: argumentNodes };
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      copied.push({ ...definition, directives: [] });
    } else if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      copied.push({ ...definition, directives: [], fields: (definition.fields ?? []).map(withArguments) });
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && subgraph.entities.has(definition.name.value)) {
      copied.push({ ...definition, directives: [], fields: (definition.fields ?? []).map(withArguments) });
    }
  }
  return copied.map((definition) => print(definition)).join("\n\n");
}

/** `T_orderBy`: every field, then `field__child` for scalar/enum fields of a single referenced entity or interface. */
function orderByEnum(subgraph: SubgraphSchema, typeName: string, fields: readonly FieldDef[]): string {
  const values: string[] = [];
  for (const field of fields) {
    values.push(field.name);
    if (field.type.list || (field.type.kind !== "entity" && field.type.kind !== "interface")) continue;
    const child = subgraph.entities.get(field.type.name) ?? subgraph.interfaces.get(field.type.name);
    for (const childField of child?.fields ?? []) {
      if (childField.type.list || childField.type.kind === "entity" || childField.type.kind === "interface") continue;
      values.push(`${field.name}__${childField.name}`);
    }
  }
  return `enum ${typeName}_orderBy {\n${values.join("\n")}\n}`;
}

/** The scalar graph-node uses for filters on references to `typeName`: String for String/Bytes ids, Int for Int8. */
export function referenceFilterScalar(subgraph: SubgraphSchema, typeName: string): "String" | "Int" {
  const entity: EntityType | undefined = subgraph.entities.get(typeName);
  if (entity) return entity.idType === "Int8" ? "Int" : "String";
  const iface: InterfaceType | undefined = subgraph.interfaces.get(typeName);
  const first = iface?.implementations[0];
  const impl = first ? subgraph.entities.get(first) : undefined;
  return impl?.idType === "Int8" ? "Int" : "String";
}

/** Whether list filters on this element type get the `_nocase` variants (graph-node `field_list_supports_nocase`). */
function listSupportsNocase(subgraph: SubgraphSchema, field: FieldDef): boolean {
  if (field.type.kind === "scalar") return field.type.name === "String";
  if (field.type.kind === "entity") return subgraph.entities.get(field.type.name)?.idType === "String";
  if (field.type.kind === "interface") {
    const first = subgraph.interfaces.get(field.type.name)?.implementations[0];
    return first === undefined || subgraph.entities.get(first)?.idType === "String";
  }
  return false;
}

/** `T_filter` with graph-node's input fields, in graph-node's order. */
function filterInput(
  subgraph: SubgraphSchema,
  typeName: string,
  fields: readonly FieldDef[],
  opsFor: (scalar: string) => readonly string[] = scalarFilterOps,
): string {
  const lines: string[] = [];
  const add = (name: string, type: string) => lines.push(`${name}: ${type}`);
  for (const field of fields) {
    const { type } = field;
    const entityLike = type.kind === "entity" || type.kind === "interface";
    if (type.list) {
      if (!entityLike || !field.derivedFrom) {
        const element = entityLike ? referenceFilterScalar(subgraph, type.name) : type.name;
        const ops = listSupportsNocase(subgraph, field)
          ? ["", "not", "contains", "contains_nocase", "not_contains", "not_contains_nocase"]
          : ["", "not", "contains", "not_contains"];
        for (const op of ops) add(suffixed(field.name, op), `[${element}!]`);
      }
      if (entityLike) add(`${field.name}_`, `${type.name}_filter`);
      continue;
    }
    if (entityLike) {
      if (!field.derivedFrom) {
        const scalar = referenceFilterScalar(subgraph, type.name);
        for (const op of opsFor(scalar)) {
          add(suffixed(field.name, op), op === "in" || op === "not_in" ? `[${scalar}!]` : scalar);
        }
      }
      add(`${field.name}_`, `${type.name}_filter`);
    } else if (type.kind === "enum") {
      for (const op of ["", "not", "in", "not_in"]) {
        add(suffixed(field.name, op), op === "in" || op === "not_in" ? `[${type.name}!]` : type.name);
      }
    } else {
      for (const op of opsFor(type.name)) {
        add(suffixed(field.name, op), op === "in" || op === "not_in" ? `[${type.name}!]` : type.name);
      }
    }
  }
  lines.push(`"Filter for the block changed event."\n_change_block: BlockChangedFilter`);
  lines.push(`and: [${typeName}_filter]`, `or: [${typeName}_filter]`);
  return `input ${typeName}_filter {\n${lines.join("\n")}\n}`;
}
