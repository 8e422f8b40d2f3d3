/**
 * The subgraph's GraphQL schema (schema.graphql) as a model the store, the WASM host and the GraphQL layer share:
 * entity types, their fields and id types, enums, interfaces, @derivedFrom, immutability.
 */
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from "graphql";
import { aggregationDef, validateTimeseriesSchema, type AggregationDef } from "./aggregation.ts";
import { parseFulltextDefinitions, type FulltextDefinition } from "./fulltext.ts";

/** Scalars graph-node knows. */
export const SCALARS = ["ID", "String", "Int", "Int8", "BigInt", "BigDecimal", "Boolean", "Bytes", "Timestamp"] as const;
export type ScalarName = (typeof SCALARS)[number];

export interface FieldType {
  /** The named type at the bottom: a scalar, an enum, an entity type or an interface. */
  name: string;
  kind: "scalar" | "enum" | "entity" | "interface";
  nonNull: boolean;
  /** Present for list fields: whether the list's items are non-null. Lists of lists are not supported. */
  list?: { itemNonNull: boolean };
}

export interface FieldDef {
  name: string;
  type: FieldType;
  /** For `@derivedFrom(field: "...")`: the field on the referenced type that points back. Never stored. */
  derivedFrom?: string;
}

export interface EntityType {
  name: string;
  immutable: boolean;
  /** Type of the `id` field: ID/String, Bytes or Int8. */
  idType: "String" | "Bytes" | "Int8";
  /** Fields in declaration order, including `id` and derived fields. */
  fields: FieldDef[];
  fieldsByName: Map<string, FieldDef>;
  /** Interfaces the type implements. */
  interfaces: string[];
  /** `@entity(timeseries: true)`: immutable data points with an auto-assigned Int8 id and the block's timestamp. */
  timeseries: boolean;
  /**
   * Set for an `@aggregation` type: not an entity the mappings write, but rolled up from its source timeseries into
   * one table per interval, and queried with `interval`.
   */
  aggregation?: AggregationDef;
}

export interface InterfaceType {
  name: string;
  fields: FieldDef[];
  implementations: string[];
}

export interface SubgraphSchema {
  /** The schema.graphql text it was parsed from. */
  source: string;
  entities: Map<string, EntityType>;
  interfaces: Map<string, InterfaceType>;
  enums: Map<string, string[]>;
  /** `@fulltext` query fields of the `_Schema_` type, by name. */
  fulltext: Map<string, FulltextDefinition>;
}

/** Thrown for a schema this runtime cannot serve; the message names the type and field. */
export class SchemaError extends Error {
  override name = "SchemaError";
}

/** Options of {@link parseSchema}. */
export interface ParseSchemaOptions {
  /** The manifest's specVersion: timeseries, aggregations and Int8 ids need 1.1.0. Default: no version checks. */
  specVersion?: string;
}

interface EntityNode {
  name: string;
  immutable: boolean;
  timeseries: boolean;
  fields: readonly FieldDefinitionNode[];
  interfaces: string[];
  aggregation?: ObjectTypeDefinitionNode;
}

/** Parses schema.graphql text. Throws a SchemaError (graph-node's message where graph-node validates the same). */
export function parseSchema(source: string, options: ParseSchemaOptions = {}): SubgraphSchema {
  const document = parse(source);
  const invalid = validateTimeseriesSchema(document, options.specVersion);
  if (invalid.length > 0) throw new SchemaError(invalid.join("; "));
  const enums = new Map<string, string[]>();
  const entityNodes: EntityNode[] = [];
  const interfaceNodes: { name: string; fields: readonly FieldDefinitionNode[] }[] = [];

  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(definition.name.value, (definition.values ?? []).map((value) => value.name.value));
    } else if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      interfaceNodes.push({ name: definition.name.value, fields: definition.fields ?? [] });
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      const entity = definition.directives?.find((d) => d.name.value === "entity");
      const aggregation = definition.directives?.some((d) => d.name.value === "aggregation") ? definition : undefined;
      if (!entity && !aggregation) continue; // e.g. _Schema_ for fulltext
      const flag = (name: string) => {
        const arg = entity?.arguments?.find((a) => a.name.value === name);
        return arg?.value.kind === Kind.BOOLEAN ? arg.value.value : undefined;
      };
      const timeseries = flag("timeseries") ?? false;
      entityNodes.push({
        name: definition.name.value,
        // Timeseries are immutable (graph-node: `immutable` defaults to `timeseries`); so are aggregation buckets.
        immutable: aggregation !== undefined || (flag("immutable") ?? timeseries),
        timeseries,
        fields: definition.fields ?? [],
        interfaces: (definition.interfaces ?? []).map((i) => i.name.value),
        aggregation,
      });
    }
  }

  const entityNames = new Set(entityNodes.map((e) => e.name));
  const interfaceNames = new Set(interfaceNodes.map((i) => i.name));
  const kindOf = (name: string, owner: string): FieldType["kind"] => {
    if ((SCALARS as readonly string[]).includes(name)) return "scalar";
    if (enums.has(name)) return "enum";
    if (entityNames.has(name)) return "entity";
    if (interfaceNames.has(name)) return "interface";
    throw new SchemaError(`${owner}: unknown type ${name}`);
  };
  const fieldDef = (node: FieldDefinitionNode, owner: string): FieldDef => {
    const type = fieldType(node.type, (name) => kindOf(name, `${owner}.${node.name.value}`), `${owner}.${node.name.value}`);
    const derived = node.directives?.find((d) => d.name.value === "derivedFrom");
    const derivedArg = derived?.arguments?.find((a) => a.name.value === "field");
    const def: FieldDef = { name: node.name.value, type };
    if (derived) {
      if (derivedArg?.value.kind !== Kind.STRING) throw new SchemaError(`${owner}.${node.name.value}: @derivedFrom needs field: "..."`);
      def.derivedFrom = derivedArg.value.value;
    }
    return def;
  };

  const entities = new Map<string, EntityType>();
  for (const node of entityNodes) {
    const fields = node.fields.map((f) => fieldDef(f, node.name));
    const id = fields.find((f) => f.name === "id");
    if (!id) throw new SchemaError(`${node.name}: entity has no id field`);
    const idType = id.type.name === "ID" || id.type.name === "String" ? "String" : id.type.name;
    if (idType !== "String" && idType !== "Bytes" && idType !== "Int8") {
      throw new SchemaError(`${node.name}.id: id must be ID, String, Bytes or Int8, not ${id.type.name}`);
    }
    entities.set(node.name, {
      name: node.name,
      immutable: node.immutable,
      idType,
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
      interfaces: node.interfaces,
      timeseries: node.timeseries,
      ...(node.aggregation ? { aggregation: aggregationDef(node.aggregation) } : {}),
    });
  }
  const interfaces = new Map<string, InterfaceType>();
  for (const node of interfaceNodes) {
    interfaces.set(node.name, {
      name: node.name,
      fields: node.fields.map((f) => fieldDef(f, node.name)),
      implementations: [...entities.values()].filter((e) => e.interfaces.includes(node.name)).map((e) => e.name),
    });
  }
  // Check derived fields point at a real field.
  for (const entity of entities.values()) {
    for (const field of entity.fields) {
      if (!field.derivedFrom) continue;
      const target = entities.get(field.type.name) ?? interfaces.get(field.type.name);
      if (!target || !target.fields.some((f) => f.name === field.derivedFrom)) {
        throw new SchemaError(`${entity.name}.${field.name}: @derivedFrom field ${field.derivedFrom} not found on ${field.type.name}`);
      }
    }
  }
  const fulltext = parseFulltextDefinitions(document, entities);
  if (fulltext.errors.length > 0) throw new SchemaError(`_Schema_: ${fulltext.errors.join("; ")}`);
  return { source, entities, interfaces, enums, fulltext: new Map(fulltext.definitions.map((d) => [d.name, d])) };
}

function fieldType(node: TypeNode, kindOf: (name: string) => FieldType["kind"], where: string): FieldType {
  let nonNull = false;
  let current = node;
  if (current.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    current = current.type;
  }
  if (current.kind === Kind.LIST_TYPE) {
    let item = current.type;
    let itemNonNull = false;
    if (item.kind === Kind.NON_NULL_TYPE) {
      itemNonNull = true;
      item = item.type;
    }
    if (item.kind !== Kind.NAMED_TYPE) throw new SchemaError(`${where}: lists of lists are not supported`);
    return { name: item.name.value, kind: kindOf(item.name.value), nonNull, list: { itemNonNull } };
  }
  if (current.kind !== Kind.NAMED_TYPE) throw new SchemaError(`${where}: unsupported type`);
  return { name: current.name.value, kind: kindOf(current.name.value), nonNull };
}

/** The scalar that stores a field's values: the scalar itself, "String" for enums, the target's id type for references. */
export function storageScalar(schema: SubgraphSchema, type: FieldType): ScalarName {
  if (type.kind === "scalar") return type.name === "ID" ? "String" : (type.name as ScalarName);
  if (type.kind === "enum") return "String";
  if (type.kind === "entity") return schema.entities.get(type.name)!.idType;
  // Interfaces: all implementations share one id type in practice.
  const impl = schema.interfaces.get(type.name)!.implementations[0];
  return impl ? schema.entities.get(impl)!.idType : "String";
}
