/**
 * Compiles the `where` Filter AST into a SQL predicate on one table alias, with graph-node's SQL
 * (store/postgres/src/relational_queries.rs, `Filter::walk_ast`):
 *
 * - `compare`: `=`, `<>`, `>`, … on the column; a null value means `is null` / `is not null`; `_not` and the other
 *   comparisons never match a null column. `_in` / `_not_in` as graph-node's `in_array` (see {@link compileIn}).
 * - `text`: `like` / `ilike` (and `not …`) with graph-node's pattern: the value keeps `%` and `_` as wildcards
 *   ({@link likePattern}); the negated forms never match a null column. Case folding is Postgres' under the C
 *   collation graph-node requires. On Bytes: `position(value in column) > 0` (`= 0` negated); starts/ends_with on
 *   Bytes (not offered by graph-node's API schema) compare prefixes and suffixes; `_nocase` is rejected there.
 * - `list`: `_contains` means the list holds every given item (`@>`); `_not_contains` that it holds none of them
 *   (`not &&`); `_contains_nocase` that some item matches some given value as an ILIKE pattern, and
 *   `_not_contains_nocase` its negation (which also matches a null list), exactly as graph-node.
 * - `child`: `exists (…)` over the referenced (or, for @derivedFrom, the referencing) table at the same block, for a
 *   reference, a list of references or a derived field; interfaces cover all implementations. A child filter inside
 *   another is refused with graph-node's "Child filter nesting not supported" error.
 * - `changeBlock`: the visible version was written at or after the block.
 * - `fulltext`: the `@fulltext` field's tsvector `@@ to_tsquery(text)` (graph-node relational_queries.rs: the query
 *   text goes to `to_tsquery` without a configuration, so the database's `default_text_search_config` parses it).
 */
import type { FieldDef } from "../schema/schema.ts";
import { valueDisplay, type Value } from "../values.ts";
import { listLiteral, scalarText, ValueTypeError } from "./codec.ts";
import { ChildFilterNestingError, QueryError } from "./errors.ts";
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
  /** Compiling the filter of a child filter (graph-node's `ColumnQual::Child`): another child filter is refused. */
  withinChild?: boolean;
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
    return compileIn(ctx, table, ref, column, value, op === "not_in");
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

/**
 * `_in` / `_not_in` as graph-node's `in_array` writes them (store/postgres/src/relational_queries.rs): an empty list
 * matches nothing (both forms); null in the list adds `is null` (`_in`) or `is not null` (`_not_in`), joined with `or`
 * to the comparison with the other values — so `_not_in: [null, x]` matches every non-null value, x included.
 */
function compileIn(ctx: FilterContext, table: TableLayout, ref: string, column: ColumnLayout, values: Value[], negated: boolean): string {
  const present = values.filter((v) => v !== null);
  const parts: string[] = [];
  if (present.length < values.length) parts.push(`${ref} ${negated ? "is not null" : "is null"}`);
  if (present.length > 0) {
    const list = ctx.sql.param(encodeList(column, table, present), `${column.sqlType}[]`);
    parts.push(negated ? `${ref} <> all(${list})` : `${ref} = any(${list})`);
  }
  return parts.length === 0 ? "false" : parts.length === 1 ? parts[0]! : `(${parts.join(" or ")})`;
}

/**
 * The LIKE pattern graph-node builds (relational_queries.rs `contains`, `starts_or_ends_with`): the value is a pattern
 * as given — `%` and `_` stay wildcards, `\\` escapes —, `_contains` wraps it in `%…%` unless it already starts or ends
 * with `%`.
 */
export function likePattern(base: "contains" | "starts_with" | "ends_with", value: string): string {
  if (base === "starts_with") return `${value}%`;
  if (base === "ends_with") return `%${value}`;
  return value.startsWith("%") || value.endsWith("%") ? value : `%${value}%`;
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
    const pattern = likePattern(base, encode(column, table, value));
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
  // graph-node: `[not] exists (select 1 from unnest(col) as elem where elem ilike any($values))` — the list holds an
  // item matching any given value as an ILIKE pattern; the negation also matches a null list.
  const item = ctx.sql.alias("elem");
  const matches = `exists (select 1 from unnest(${ref}) as ${item}(v) where ${item}.v ilike any(${list}))`;
  return op === "contains" ? matches : `not ${matches}`;
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
  if (ctx.withinChild) {
    // graph-node's `Filter::new` with `ColumnQual::Child` (relational_queries.rs) and StoreError's message (err.rs).
    const display = describeChild(ctx.layout, table, field, filter);
    throw new ChildFilterNestingError(`Child filter nesting not supported by value \`${childAttr(table, field)}\`: \`${display}\``);
  }
  if (relation.targets.length === 0) return "false";
  const inner: FilterContext = { ...ctx, withinChild: true };
  const parts = relation.targets.map((target) => {
    const child = ctx.sql.alias();
    const where = [relation.join(target, child, alias), atBlock(target, child, ctx.blockRef), compileFilter(inner, target, child, filter)];
    return `exists (select 1 from ${target.qualified} ${child} where ${where.join(" and ")})`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join(" or ")})`;
}

/** The attribute graph-node names a child filter by: the field, or for @derivedFrom the field it is derived from. */
function childAttr(table: TableLayout, field: string): string {
  return fieldOf(table, field).derivedFrom ?? field;
}

const COMPARE_DISPLAY: Record<CompareOp, string> = { eq: "=", not: "!=", gt: ">", lt: "<", gte: ">=", lte: "<=", in: "in", not_in: "not in" };

/** A filter as graph-node's `EntityFilter` `Display` prints it (graph/src/components/store/mod.rs), for messages. */
export function describeFilter(layout: Layout, table: TableLayout, filter: Filter): string {
  switch (filter.kind) {
    case "and":
    case "or":
      return filter.filters.map((f) => describeFilter(layout, table, f)).join(` ${filter.kind} `);
    case "compare": {
      const op = COMPARE_DISPLAY[filter.op];
      if (Array.isArray(filter.value) && (filter.op === "in" || filter.op === "not_in")) {
        return `${filter.field} ${op} (${filter.value.map(valueDisplay).join(",")})`;
      }
      return `${filter.field} ${op} ${valueDisplay(filter.value)}`;
    }
    case "text":
    case "list": {
      const negated = filter.op.startsWith("not_");
      const base = negated ? filter.op.slice(4) : filter.op;
      const value = filter.value instanceof Uint8Array || Array.isArray(filter.value) ? valueDisplay(filter.value) : filter.value;
      const shape = base === "starts_with" ? `^${value}*` : base === "ends_with" ? `*${value}$` : `*${value}*`;
      return `${filter.field} ${negated ? "!~" : "~"} ${shape}${filter.nocase ? "i" : ""}`;
    }
    case "changeBlock":
      return `block >= ${filter.numberGte}`;
    case "child":
      return describeChild(layout, table, filter.field, filter.filter);
    case "fulltext":
      return `${filter.field} = ${filter.text}`;
  }
}

/** `join on {attr} with {Type}({filter})`, one per implementation (joined by `or`) for an interface. */
function describeChild(layout: Layout, table: TableLayout, field: string, filter: Filter): string {
  const attr = childAttr(table, field);
  const targets = relationOf(layout, table, field).targets;
  return targets.map((target) => `join on ${attr} with ${target.entity.name}(${describeFilter(layout, target, filter)})`).join(" or ");
}
