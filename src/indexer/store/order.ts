/**
 * Compiles `orderBy` into a sort expression. graph-node orders by the field, then by id in the same direction;
 * Postgres' default null placement applies (nulls last ascending, first descending). Text sorts bytewise (the
 * columns use the C collation, which graph-node requires of its database).
 *
 * A `@fulltext` field sorts by the rank of its tsvector against the search text (`ts_rank`, or `ts_rank_cd` for
 * `proximityRank`).
 *
 * `parent__child` sorts by a scalar of the single entity a reference (or a non-list @derivedFrom field) points at,
 * as that entity is at the query's block; entities without one sort as null.
 */
import { QueryError } from "./errors.ts";
import { fulltextColumn, relationOf, storedColumn, tsQuery, type FilterContext } from "./filter.ts";
import type { TableLayout } from "./layout.ts";
import { atBlock } from "./sql-builder.ts";
import type { OrderBy } from "./types.ts";

/** The SQL sort key for `orderBy` on rows of `table` aliased `alias`, or null when sorting by id only. */
export function compileSortKey(ctx: FilterContext, table: TableLayout, alias: string, orderBy: OrderBy | undefined): string | null {
  if (!orderBy) return null;
  if (orderBy.text !== undefined) {
    // graph-node `SortKey::sort_expr` for a TSVector column (relational_queries.rs).
    const column = fulltextColumn(table, orderBy.field);
    const rank = column.definition.algorithm === "proximityRank" ? "ts_rank_cd" : "ts_rank";
    return `${rank}(${alias}.${column.quoted}, ${tsQuery(ctx, orderBy.text)})`;
  }
  if (orderBy.child === undefined) {
    if (orderBy.field === "id") return null;
    const column = storedColumn(table, orderBy.field, "orderBy");
    if (column.list) throw new QueryError(`Cannot order by the list field \`${table.entity.name}.${orderBy.field}\``);
    return `${alias}.${column.quoted}`;
  }

  const relation = relationOf(ctx.layout, table, orderBy.field);
  if (relation.list) {
    throw new QueryError(`Cannot order by \`${orderBy.field}__${orderBy.child}\`: \`${table.entity.name}.${orderBy.field}\` is a list`);
  }
  if (relation.targets.length === 0) return "null";
  const keys = relation.targets.map((target) => {
    const column = storedColumn(target, orderBy.child!, "orderBy");
    if (column.list) throw new QueryError(`Cannot order by the list field \`${target.entity.name}.${orderBy.child}\``);
    const child = ctx.sql.alias();
    const where = [relation.join(target, child, alias), atBlock(target, child, ctx.blockRef)].join(" and ");
    // A derived one-to-one field could in principle match several children; take the first by id.
    const pick = relation.derived ? ` order by ${child}.id limit 1` : "";
    return `(select ${child}.${column.quoted} from ${target.qualified} ${child} where ${where}${pick})`;
  });
  return keys.length === 1 ? keys[0]! : `coalesce(${keys.join(", ")})`;
}
