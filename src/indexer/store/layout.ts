/**
 * How the subgraph schema maps onto SQL tables, graph-node style: one table per entity type in the deployment's own
 * SQL schema, snake_case table and column names, one column per stored field (none for @derivedFrom fields), and the
 * versioning columns `vid` plus `block_range` (mutable types) or `block$` (immutable types).
 */
import { createHash } from "node:crypto";
import type { FulltextDefinition } from "../schema/fulltext.ts";
import type { AggregationInterval } from "../schema/aggregation.ts";
import { storageScalar, type EntityType, type FieldDef, type ScalarName, type SubgraphSchema } from "../schema/schema.ts";
import { LayoutError } from "./errors.ts";
import { quoteIdent } from "./executor.ts";

/** How values of one column are stored: the storage scalar decides the SQL type and the codec. */
export type StorageKind = "text" | "int4" | "int8" | "bigint" | "bigdecimal" | "boolean" | "bytea" | "timestamp";

/** One stored field. */
export interface ColumnLayout {
  field: FieldDef;
  /** SQL column name (snake_case of the field name). */
  name: string;
  /** The quoted column name. */
  quoted: string;
  kind: StorageKind;
  list: boolean;
  nonNull: boolean;
  /** Element SQL type without `[]` or collation, e.g. `text`, `numeric`, `bytea` (also the cast for parameters). */
  sqlType: string;
  /** The column's full SQL type, e.g. `text[] collate "C"`, `numeric`. Text is compared and sorted bytewise (C). */
  columnType: string;
  /** For references: the entity types the value may point at (implementations for an interface). */
  references?: string[];
  /** For enums: the allowed values. */
  enumValues?: string[];
}

/**
 * A `@fulltext` field's tsvector column (graph-node `Column::new_fulltext`): named after the field, snake_cased,
 * generated from the included String columns and GIN-indexed (ddl.ts). Never selected as entity data.
 */
export interface FulltextColumn {
  definition: FulltextDefinition;
  /** SQL column name (snake_case of the fulltext field's name). */
  name: string;
  quoted: string;
  /** The included fields' columns, in the directive's order. */
  sources: ColumnLayout[];
}

/** One entity type's table. */
export interface TableLayout {
  entity: EntityType;
  /** SQL table name (snake_case of the type name). */
  name: string;
  /** `"namespace"."table"`. */
  qualified: string;
  immutable: boolean;
  /** Position of the table in the schema, used to name indexes uniquely. */
  position: number;
  id: ColumnLayout;
  /** Stored columns in field order, `id` first. */
  columns: ColumnLayout[];
  columnsByField: Map<string, ColumnLayout>;
  /** tsvector columns of the `@fulltext` fields that include this type, by fulltext field name. */
  fulltext: Map<string, FulltextColumn>;
}

/** The whole deployment's layout. */
export interface Layout {
  schema: SubgraphSchema;
  /** The SQL schema holding the deployment's tables. */
  namespace: string;
  quotedNamespace: string;
  tables: Map<string, TableLayout>;
  /**
   * Per `@aggregation` type, its table per interval (`stats_hour`, `stats_day`: graph-node's
   * `Layout::aggregation_table`), immutable rows `block$` being the block whose timestamp closed the bucket.
   */
  aggregationTables: Map<string, Map<AggregationInterval, TableLayout>>;
  /** `"namespace"."meta$"`: head, error, layout hash. */
  metaTable: string;
  /** `"namespace"."block_hash$"`: hash of every committed block, for reorg detection. */
  blockHashTable: string;
  /** Data sources created by handlers through templates, in creation order (restored on restart). */
  dataSourceTable: string;
  /** `"namespace"."commit$"`: applies one block's changes (see ddl.ts). */
  commitFunction: string;
}

/** Columns graph-node reserves for versioning; no field may map onto them. */
const RESERVED_COLUMNS = new Set(["vid", "block_range", "block$"]);
const MAX_IDENTIFIER_BYTES = 63;

const SQL_TYPES: Record<StorageKind, string> = {
  text: "text",
  int4: "int4",
  int8: "int8",
  bigint: "numeric",
  bigdecimal: "numeric",
  boolean: "boolean",
  bytea: "bytea",
  timestamp: "int8",
};

/** graph-node's snake_case: `ModelVersion` → `model_version`, `documentURI` → `document_uri`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

function storageKind(scalar: ScalarName, isEnum: boolean): StorageKind {
  if (isEnum) return "text";
  switch (scalar) {
    case "ID":
    case "String":
      return "text";
    case "Int":
      return "int4";
    case "Int8":
      return "int8";
    case "BigInt":
      return "bigint";
    case "BigDecimal":
      return "bigdecimal";
    case "Boolean":
      return "boolean";
    case "Bytes":
      return "bytea";
    case "Timestamp":
      return "timestamp";
  }
}

function checkIdentifier(name: string, what: string): void {
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new LayoutError(`${what} \`${name}\` is longer than Postgres' ${MAX_IDENTIFIER_BYTES}-byte identifier limit`, {
      hint: "use a shorter name in schema.graphql (or a shorter deployment name)",
    });
  }
}

/** Computes the table layout of `schema` inside SQL schema `namespace`. Throws a LayoutError on name clashes. */
export function buildLayout(schema: SubgraphSchema, namespace: string): Layout {
  if (namespace.length === 0) throw new LayoutError("The deployment name (SQL schema) must not be empty");
  checkIdentifier(namespace, "Deployment name");
  const quotedNamespace = quoteIdent(namespace);
  const tables = new Map<string, TableLayout>();
  const aggregationTables = new Map<string, Map<AggregationInterval, TableLayout>>();
  const tableNames = new Map<string, string>();
  let position = 0;
  const tableEntries = [...schema.entities.values()].flatMap((entity): { entity: EntityType; interval?: AggregationInterval; name: string }[] =>
    entity.aggregation
      ? entity.aggregation.intervals.map((interval) => ({ entity, interval, name: `${snakeCase(entity.name)}_${interval}` }))
      : [{ entity, name: snakeCase(entity.name) }],
  );
  for (const { entity, interval, name } of tableEntries) {
    checkIdentifier(name, `Table name of ${entity.name}`);
    const clash = tableNames.get(name);
    if (clash) throw new LayoutError(`Entity types ${clash} and ${entity.name} both map to table \`${name}\``);
    if (name.endsWith("$")) throw new LayoutError(`Entity type ${entity.name} maps to a reserved table name`);
    tableNames.set(name, entity.name);

    const columns: ColumnLayout[] = [];
    const columnNames = new Map<string, string>();
    for (const field of entity.fields) {
      if (field.derivedFrom) continue;
      const column = columnLayout(schema, entity, field);
      checkIdentifier(column.name, `Column name of ${entity.name}.${field.name}`);
      if (RESERVED_COLUMNS.has(column.name)) {
        throw new LayoutError(`Field ${entity.name}.${field.name} maps to the reserved column \`${column.name}\``, {
          hint: "rename the field; vid, block_range and block$ hold entity versions",
        });
      }
      const other = columnNames.get(column.name);
      if (other) throw new LayoutError(`Fields ${entity.name}.${other} and ${field.name} both map to column \`${column.name}\``);
      columnNames.set(column.name, field.name);
      columns.push(column);
    }
    const id = columns.find((c) => c.field.name === "id")!;
    columns.splice(columns.indexOf(id), 1);
    columns.unshift(id);
    const columnsByField = new Map(columns.map((c) => [c.field.name, c]));
    const table: TableLayout = {
      entity,
      name,
      qualified: `${quotedNamespace}.${quoteIdent(name)}`,
      immutable: entity.immutable,
      position: position++,
      id,
      columns,
      columnsByField,
      fulltext: interval === undefined ? fulltextColumns(schema, entity, columnsByField, columnNames) : new Map(),
    };
    if (interval === undefined) tables.set(entity.name, table);
    else {
      let perInterval = aggregationTables.get(entity.name);
      if (!perInterval) aggregationTables.set(entity.name, (perInterval = new Map()));
      perInterval.set(interval, table);
    }
  }
  return {
    schema,
    namespace,
    quotedNamespace,
    tables,
    aggregationTables,
    metaTable: `${quotedNamespace}.${quoteIdent("meta$")}`,
    blockHashTable: `${quotedNamespace}.${quoteIdent("block_hash$")}`,
    dataSourceTable: `${quotedNamespace}.${quoteIdent("data_source$")}`,
    commitFunction: `${quotedNamespace}.${quoteIdent("commit$")}`,
  };
}

/** The tsvector columns of the fulltext fields over `entity`; LayoutError when one clashes with a column. */
function fulltextColumns(
  schema: SubgraphSchema,
  entity: EntityType,
  columnsByField: ReadonlyMap<string, ColumnLayout>,
  columnNames: Map<string, string>,
): Map<string, FulltextColumn> {
  const result = new Map<string, FulltextColumn>();
  for (const definition of schema.fulltext.values()) {
    if (definition.entity !== entity.name) continue;
    const name = snakeCase(definition.name);
    checkIdentifier(name, `Column name of the fulltext field ${definition.name}`);
    const other = columnNames.get(name);
    if (other || RESERVED_COLUMNS.has(name)) {
      throw new LayoutError(`The fulltext field ${definition.name} maps to column \`${name}\` of ${entity.name}, which ${other ? `field ${other}` : "versioning"} uses`, {
        hint: "rename the @fulltext field",
      });
    }
    columnNames.set(name, definition.name);
    const sources = definition.fields.map((field) => columnsByField.get(field)!);
    result.set(definition.name, { definition, name, quoted: quoteIdent(name), sources });
  }
  return result;
}

function columnLayout(schema: SubgraphSchema, entity: EntityType, field: FieldDef): ColumnLayout {
  const type = field.type;
  const name = field.name === "id" ? "id" : snakeCase(field.name);
  const kind = field.name === "id" ? idKind(entity.idType) : storageKind(storageScalar(schema, type), type.kind === "enum");
  const column: ColumnLayout = {
    field,
    name,
    quoted: quoteIdent(name),
    kind,
    list: type.list !== undefined,
    nonNull: type.nonNull || field.name === "id",
    sqlType: SQL_TYPES[kind],
    columnType: `${SQL_TYPES[kind]}${type.list ? "[]" : ""}${kind === "text" ? ' collate "C"' : ""}`,
  };
  if (type.kind === "entity") column.references = [type.name];
  if (type.kind === "interface") column.references = [...(schema.interfaces.get(type.name)?.implementations ?? [])];
  if (type.kind === "enum") column.enumValues = schema.enums.get(type.name) ?? [];
  return column;
}

function idKind(idType: EntityType["idType"]): StorageKind {
  return idType === "Bytes" ? "bytea" : idType === "Int8" ? "int8" : "text";
}

/** Every table of entities: the entity types' and the aggregations' (one per interval). */
export function allTables(layout: Layout): TableLayout[] {
  return [...layout.tables.values(), ...[...layout.aggregationTables.values()].flatMap((perInterval) => [...perInterval.values()])];
}

/**
 * The entity types a query on `typeName` covers: the type itself, or an interface's implementations; for an
 * aggregation, its table of `interval`.
 */
export function tablesFor(layout: Layout, typeName: string, interval?: AggregationInterval): TableLayout[] | undefined {
  const perInterval = layout.aggregationTables.get(typeName);
  if (perInterval) {
    const table = interval === undefined ? undefined : perInterval.get(interval);
    return table ? [table] : undefined;
  }
  const table = layout.tables.get(typeName);
  if (table) return [table];
  const iface = layout.schema.interfaces.get(typeName);
  if (!iface) return undefined;
  return iface.implementations.map((name) => layout.tables.get(name)!);
}

/** A stable fingerprint of DDL text, stored in the meta table to detect a deployment reopened with another schema. */
export function layoutHash(ddl: string): string {
  return createHash("sha256").update(ddl).digest("hex");
}
