/**
 * Compiles the `where` Filter AST into a SQL predicate on one table alias, with graph-node's semantics:
 *
 * - `compare`: `=`, `<>`, `>`, … on the column; a null value means `is null` / `is not null`; `_not`, `_not_in` and
 *   the other comparisons never match a null column. `_in` may list null (then it also matches `is null`).
 *   An empty `_in` matches nothing, an empty `_not_in` every non-null value (graph-node: nothing).
 * - `text`: `like` / `ilike` with `%` and `_` and `\` in the value escaped, so they match themselves; the negated forms
 *   never match a null column. Case folding is Postgres' under the C collation graph-node requires: ASCII letters.
 *   On Bytes: byte substring / prefix / suffix (`position`, `substring`); `_nocase` is rejected there.
 * - `list`: `_contains` means the list holds every given item (`@>`); `_not_contains` that it holds none of them
 *   (`not &&`, as graph-node); the `_nocase` forms compare items with `lower()`.
 * - `child`: `exists (…)` over the referenced (or, for @derivedFrom, the referencing) table at the same block, for a
 *   reference, a list of references or a derived field; interfaces cover all implementations. Child filters nest.
 * - `changeBlock`: the visible version was written at or after the block.
 * - `fulltext`: the `@fulltext` field's tsvector `@@ to_tsquery(text)` (graph-node relational_queries.rs: the query
 *   text goes to `to_tsquery` without a configuration, so the database's `default_text_search_config` parses it).
 */
import type { FieldDef } from "../schema/schema.ts";
import type { Value } from "../values.ts";
import { listLiteral, scalarText, ValueTypeError } from "./codec.ts";
import { QueryError } from "./errors.ts";
import type { ColumnLayout, FulltextColumn, Layout, TableLayout } from "./layout.ts";
import { tablesFor } from "./layout.ts";
import { atBlock, changedSince, type SqlBuilder } from "./sql-builder.ts";
import type { CompareOp, Filter, TextOp } from "./types.ts";

/** What compiling a filter needs besides the filter itself. */
export interface FilterContext {
  layout: Layout;
  sql: SqlBuilder;
  /** Placeholder holding the query's block number. */
  blockRef: string;
}

const COMPARE_SQL: Record<Exclude<CompareOp, "in" | "not_in">, string> = {
  eq: "=",
  not: "<>",
  gt: ">",
  lt: "<",
  gte: ">=",
  lte: "<=",
};

/** Returns a SQL predicate for `filter` on rows of `table` aliased `alias`. Throws QueryError for invalid filters. */
export function compileFilter(ctx: FilterContext, table: TableLayout, alias: string, filter: Filter): string {
  switch (filter.kind) {
    case "and":
      return filter.filters.length === 0 ? "true" : `(${filter.filters.map((f) => compileFilter(ctx, table, alias, f)).join(" and ")})`;
    case "or":
      return filter.filters.length === 0 ? "false" : `(${filter.filters.map((f) => compileFilter(ctx, table, alias, f)).join(" or ")})`;
    case "compare":
      return compileCompare(ctx, table, alias, filter.field, filter.op, filter.value);
    case "text":
      return compileText(ctx, table, alias, filter.field, filter.op, filter.value, filter.nocase);
    case "list":
      return compileList(ctx, table, alias, filter.field, filter.op, filter.value, filter.nocase);
    case "child":
      return compileChild(ctx, table, alias, filter.field, filter.filter);
    case "changeBlock":
      if (!Number.isInteger(filter.numberGte) || filter.numberGte < 0) {
        throw new QueryError(`_change_block.number_gte must be a non-negative block number, got ${filter.numberGte}`);
      }
      return changedSince(table, alias, ctx.sql.param(String(filter.numberGte), "int4"));
    case "fulltext":
      return `${alias}.${fulltextColumn(table, filter.field).quoted} @@ ${tsQuery(ctx, filter.text)}`;
    default:
      throw new QueryError(`Unknown filter kind ${JSON.stringify((filter as { kind: unknown }).kind)}`);
  }
}

/** Looks up a field of `table`'s entity type; QueryError if the type has no such field. */
export function fieldOf(table: TableLayout, name: string): FieldDef {
  const field = table.entity.fieldsByName.get(name);
  if (!field) throw new QueryError(`Type \`${table.entity.name}\` has no field \`${name}\``);
  return field;
}

/** The stored column of a field; QueryError for derived fields (they have no column). */
export function storedColumn(table: TableLayout, name: string, use: string): ColumnLayout {
  const field = fieldOf(table, name);
  const column = table.columnsByField.get(name);
  if (!column) {
    throw new QueryError(`\`${table.entity.name}.${field.name}\` is derived (@derivedFrom) and cannot be used in ${use}`, {
      hint: `filter through it with \`${field.name}_: { … }\``,
    });
  }
  return column;
}

/** The tsvector column of a `@fulltext` field that includes `table`'s type; QueryError otherwise. */
export function fulltextColumn(table: TableLayout, name: string): FulltextColumn {
  const column = table.fulltext.get(name);
  if (!column) throw new QueryError(`\`${name}\` is not a fulltext field of type \`${table.entity.name}\``);
  return column;
}

/** `to_tsquery($text)`, as graph-node writes it (no configuration: the database's default one applies). */
export function tsQuery(ctx: FilterContext, text: string): string {
  return `to_tsquery(${ctx.sql.param(text, "text")})`;
}

function encode(column: ColumnLayout, table: TableLayout, value: Value): string {
  try {
    return scalarText(column.kind, value);
  } catch (error) {
    if (error instanceof ValueTypeError) {
      throw new QueryError(`Invalid value for \`${table.entity.name}.${column.field.name}\`: ${error.message}`);
    }
    throw error;
  }
}

function encodeList(column: ColumnLayout, table: TableLayout, values: readonly Value[]): string {
  try {
    return listLiteral(column.kind, values);
  } catch (error) {
    if (error instanceof ValueTypeError) {
      throw new QueryError(`Invalid value for \`${table.entity.name}.${column.field.name}\`: ${error.message}`);
    }
    throw error;
  }
}

function compileCompare(ctx: FilterContext, table: TableLayout, alias: string, field: string, op: CompareOp, value: Value): string {
  const column = storedColumn(table, field, "a comparison");
  const ref = `${alias}.${column.quoted}`;
  const arrayCast = `${column.sqlType}[]`;

  if (op === "in" || op === "not_in") {
    if (column.list) throw new QueryError(`\`_${op}\` is not supported on the list field \`${table.entity.name}.${field}\``);
    if (!Array.isArray(value)) throw new QueryError(`\`${field}_${op}\` needs a list of values`);
    const present = value.filter((v) => v !== null);
    const hasNull = present.length < value.length;
    const encoded = encodeList(column, table, present);
    if (op === "in") {
      const parts = [];
      if (present.length > 0) parts.push(`${ref} = any(${ctx.sql.param(encoded, arrayCast)})`);
      if (hasNull) parts.push(`${ref} is null`);
      return parts.length === 0 ? "false" : `(${parts.join(" or ")})`;
    }
    // Like `_not`, `_not_in` never matches a null column (null in the list or not); an empty list keeps every other row.
    return `(${ref} is not null and ${ref} <> all(${ctx.sql.param(encoded, arrayCast)}))`;
  }

  const operator = COMPARE_SQL[op];
  if (!operator) throw new QueryError(`Unknown comparison \`${String(op)}\``);
  if (value === null) {
    if (op === "eq") return `${ref} is null`;
    if (op === "not") return `${ref} is not null`;
    throw new QueryError(`\`${table.entity.name}.${field}\` cannot be compared with null using \`_${op}\``);
  }
  if (column.list) {
    if (op !== "eq" && op !== "not") throw new QueryError(`\`_${op}\` is not supported on the list field \`${table.entity.name}.${field}\``);
    if (!Array.isArray(value)) throw new QueryError(`\`${table.entity.name}.${field}\` is a list; compare it with a list`);
    return `${ref} ${operator} ${ctx.sql.param(encodeList(column, table, value), arrayCast)}`;
  }
  if (Array.isArray(value)) throw new QueryError(`\`${table.entity.name}.${field}\` is not a list; compare it with a single value`);
  return `${ref} ${operator} ${ctx.sql.param(encode(column, table, value), column.sqlType)}`;
}

/** Escapes LIKE wildcards so the value matches literally (backslash is Postgres' default LIKE escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function compileText(
  ctx: FilterContext,
  table: TableLayout,
  alias: string,
  field: string,
  op: TextOp,
  value: string | Uint8Array,
  nocase: boolean,
): string {
  const column = storedColumn(table, field, "a text filter");
  const ref = `${alias}.${column.quoted}`;
  const negated = op.startsWith("not_");
  const base = negated ? op.slice(4) : op;
  if (base !== "contains" && base !== "starts_with" && base !== "ends_with") throw new QueryError(`Unknown text filter \`_${op}\``);
  if (column.list) throw new QueryError(`\`${table.entity.name}.${field}\` is a list; use a list filter for \`_${op}\``);

  if (column.kind === "text") {
    if (typeof value !== "string") throw new QueryError(`\`${table.entity.name}.${field}_${op}\` needs a string`);
    const escaped = escapeLike(encode(column, table, value));
    const pattern = base === "contains" ? `%${escaped}%` : base === "starts_with" ? `${escaped}%` : `%${escaped}`;
    return `${ref} ${negated ? "not " : ""}${nocase ? "ilike" : "like"} ${ctx.sql.param(pattern, "text")}`;
  }
  if (column.kind === "bytea") {
    if (nocase) throw new QueryError(`\`_${op}_nocase\` is not supported on the Bytes field \`${table.entity.name}.${field}\``);
    const bytes = ctx.sql.param(encode(column, table, value), "bytea");
    let predicate: string;
    if (base === "contains") predicate = `position(${bytes} in ${ref}) > 0`;
    else if (base === "starts_with") predicate = `substring(${ref} from 1 for length(${bytes})) = ${bytes}`;
    else predicate = `(length(${ref}) >= length(${bytes}) and substring(${ref} from length(${ref}) - length(${bytes}) + 1) = ${bytes})`;
    // A null column matches neither the filter nor its negation, like `not like` on strings.
    return negated ? `(${ref} is not null and not ${predicate})` : predicate;
  }
  throw new QueryError(`\`_${op}\` needs a String or Bytes field; \`${table.entity.name}.${field}\` is neither`);
}

function compileList(
  ctx: FilterContext,
  table: TableLayout,
  alias: string,
  field: string,
  op: "contains" | "not_contains",
  values: Value[],
  nocase: boolean,
): string {
  const column = storedColumn(table, field, "a list filter");
  const ref = `${alias}.${column.quoted}`;
  if (!column.list) throw new QueryError(`\`${table.entity.name}.${field}\` is not a list; \`_${op}\` on it needs a text filter`);
  if (!Array.isArray(values)) throw new QueryError(`\`${table.entity.name}.${field}_${op}\` needs a list of values`);
  if (op !== "contains" && op !== "not_contains") throw new QueryError(`Unknown list filter \`_${String(op)}\``);
  const list = ctx.sql.param(encodeList(column, table, values), `${column.sqlType}[]`);
  if (!nocase) return op === "contains" ? `${ref} @> ${list}` : `not (${ref} && ${list})`;

  if (column.kind !== "text") throw new QueryError(`\`_${op}_nocase\` needs a list of strings; \`${table.entity.name}.${field}\` is not`);
  const given = ctx.sql.alias("g");
  const item = ctx.sql.alias("h");
  const matches = `exists (select 1 from unnest(${ref}) as ${item}(v) where lower(${item}.v) = lower(${given}.v collate "C"))`;
  if (op === "contains") {
    return `(${ref} is not null and not exists (select 1 from unnest(${list}) as ${given}(v) where not ${matches}))`;
  }
  return `(${ref} is not null and not exists (select 1 from unnest(${list}) as ${given}(v) where ${matches}))`;
}

/** How a parent row of `table` joins to the rows of a related table through `field`. */
export interface Relation {
  /** The related entity tables (one, or an interface's implementations). */
  targets: TableLayout[];
  /** SQL joining `child` (a row of `target`) to the parent row `parent`. */
  join(target: TableLayout, child: string, parent: string): string;
  /** A @derivedFrom relation (the child points at the parent). */
  derived: boolean;
  /** The field holds a list (of references, or a derived list). */
  list: boolean;
}

/** Resolves a reference, list of references or @derivedFrom field of `table` into a join. */
export function relationOf(layout: Layout, table: TableLayout, name: string): Relation {
  const field = fieldOf(table, name);
  const type = field.type;
  if (type.kind !== "entity" && type.kind !== "interface") {
    throw new QueryError(`\`${table.entity.name}.${name}\` is not a reference to another entity type`);
  }
  const targets = tablesFor(layout, type.name) ?? [];
  const list = type.list !== undefined;
  if (field.derivedFrom) {
    const backing = field.derivedFrom;
    const backingColumn = (target: TableLayout) => {
      const column = target.columnsByField.get(backing);
      if (!column) throw new QueryError(`\`${target.entity.name}.${backing}\` (behind @derivedFrom of ${table.entity.name}.${name}) is not stored`);
      return column;
    };
    for (const target of targets) backingColumn(target);
    return {
      targets,
      derived: true,
      list,
      join: (target, child, parent) => {
        const column = backingColumn(target);
        return column.list
          ? `${child}.${column.quoted} @> array[${parent}.id]`
          : `${child}.${column.quoted} = ${parent}.id`;
      },
    };
  }
  const column = storedColumn(table, name, "a relation");
  return {
    targets,
    derived: false,
    list,
    join: (_target, child, parent) =>
      column.list ? `${child}.id = any(${parent}.${column.quoted})` : `${child}.id = ${parent}.${column.quoted}`,
  };
}

function compileChild(ctx: FilterContext, table: TableLayout, alias: string, field: string, filter: Filter): string {
  const relation = relationOf(ctx.layout, table, field);
  if (relation.targets.length === 0) return "false";
  const parts = relation.targets.map((target) => {
    const child = ctx.sql.alias();
    const where = [relation.join(target, child, alias), atBlock(target, child, ctx.blockRef), compileFilter(ctx, target, child, filter)];
    return `exists (select 1 from ${target.qualified} ${child} where ${where.join(" and ")})`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join(" or ")})`;
}
