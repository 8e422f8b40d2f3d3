/**
 * DDL for a deployment: its SQL schema, one table per entity type with the indexes `find`, `commitBlock` and
 * `revertTo` rely on, the meta table (head, error) and the block-hash table.
 *
 * Indexes, and which query each one serves:
 * - mutable `btree (id)`: an entity by id at any block (a handful of versions per id, filtered by `block_range @>`),
 *   closing the current version on update, child filters and `parent__child` ordering through a reference, and the
 *   default order by id;
 * - immutable `unique (id)`: the same, and it rejects a second insert of an immutable entity;
 * - `btree (reference)` on every single-reference column and `gin (references)` on every list of references: reverse
 *   lookups for @derivedFrom fields and child filters (`store.loadRelated`, `{ versions { … } }`);
 * - `brin (lower(block_range), coalesce(upper(block_range), 2147483647), vid)` (mutable) and `brin (block$, vid)`
 *   (immutable): reverts and `_change_block` look for recent blocks, and rows are stored in block order, so a BRIN
 *   index finds them for almost no write cost (graph-node does the same).
 * Other attributes are not indexed: every extra index slows every commit, and filters on them scan one table.
 */
import type { ColumnLayout, Layout, TableLayout } from "./layout.js";
import { quoteIdent, quoteLiteral } from "./executor.js";
import { createHash } from "node:crypto";

/** Largest block number Postgres' int4 can hold; graph-node's BLOCK_NUMBER_MAX. */
export const BLOCK_NUMBER_MAX = 2147483647;

/** All statements creating the deployment, in order. The text is also what the layout hash is computed from. */
export function deploymentDdl(layout: Layout): string[] {
  const statements = [
    `create schema if not exists ${layout.quotedNamespace}`,
    `create table ${layout.metaTable} (
  id int4 primary key check (id = 1),
  layout_hash text not null,
  head_number int4,
  head_hash text,
  head_parent_hash text,
  head_timestamp int8,
  error jsonb
)`,
    `create table ${layout.blockHashTable} (
  number int4 primary key,
  hash text not null,
  parent_hash text not null,
  timestamp int8 not null
)`,
    // Lets a single statement abort itself (e.g. when the head moved): raises when `ok` is not true.
    `create function ${layout.assertFunction}(ok boolean, message text) returns boolean language plpgsql as $body$
begin
  if ok is not true then
    raise exception using message = message, errcode = 'P0001';
  end if;
  return true;
end
$body$`,
  ];
  for (const table of layout.tables.values()) statements.push(...tableDdl(table));
  return statements;
}

function tableDdl(table: TableLayout): string[] {
  const definitions = ["vid bigserial primary key"];
  definitions.push(table.immutable ? `"block$" int4 not null` : "block_range int4range not null");
  for (const column of table.columns) definitions.push(columnDefinition(column));
  if (table.immutable) definitions.push(`constraint ${indexName(table, "id$")} unique (id)`);
  const statements = [`create table ${table.qualified} (\n  ${definitions.join(",\n  ")}\n)`];
  const index = (suffix: string, spec: string) =>
    statements.push(`create index ${indexName(table, suffix)} on ${table.qualified} ${spec}`);

  if (table.immutable) {
    index("brin$", `using brin ("block$", vid)`);
  } else {
    index("id$", `(id)`);
    index("brin$", `using brin (lower(block_range), coalesce(upper(block_range), ${BLOCK_NUMBER_MAX}), vid)`);
  }
  for (const column of table.columns) {
    if (!column.references || column.field.name === "id") continue;
    index(column.name, column.list ? `using gin (${column.quoted})` : `(${column.quoted})`);
  }
  return statements;
}

function columnDefinition(column: ColumnLayout): string {
  let sql = `${column.quoted} ${column.columnType}`;
  if (column.nonNull) sql += " not null";
  if (column.enumValues) {
    const values = column.enumValues.map(quoteLiteral).join(", ");
    sql += column.list ? ` check (${column.quoted} <@ array[${values}]::text[])` : ` check (${column.quoted} in (${values}))`;
  }
  return sql;
}

/**
 * `table$suffix`: `$` never occurs in names derived from GraphQL, so index names cannot clash with table names, and
 * the fixed suffixes (`id$`, `brin$`) cannot clash with column names.
 */
function indexName(table: TableLayout, suffix: string): string {
  const name = `${table.name}$${suffix}`;
  if (Buffer.byteLength(name) <= 63) return quoteIdent(name);
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 12);
  return quoteIdent(`i${table.position}$${digest}`);
}
