/**
 * DDL for a deployment: its SQL schema, one table per entity type with the indexes `find`, `commitBlock` and
 * `revertTo` rely on, the meta table (head, error), the block-hash table and the `commit$` function that applies
 * blocks in one statement.
 *
 * Indexes, and which query each one serves:
 * - mutable `btree (id)`: an entity by id at any block (a handful of versions per id, filtered by `block_range @>`),
 *   closing the current version on update, child filters and `parent__child` ordering through a reference, and the
 *   default order by id;
 * - immutable `unique (id)`: the same, and it rejects a second insert of an immutable entity;
 * - `btree (reference, id) where reference is not null` on every single-reference column and `gin (references)` on
 *   every list of references: reverse lookups for @derivedFrom fields and child filters (`store.loadRelated`,
 *   `{ versions { … } }`). A child collection is read in id order (the default order, and clients page with `id_gt`),
 *   which the `id` in the key serves without sorting every child: on a 300 000-event store, an account's 6 207 events
 *   `where actor = $1 order by id limit 1000` took 8 ms with `(actor)` (bitmap scan, top-N sort), 1.4 ms with
 *   `(actor, id)`. Partial because most references are sparse (13 of provenance_event's are null on most rows) and
 *   null keys with distinct ids would no longer collapse: `ref = $1` and `ref = any($1)` imply `ref is not null`, so
 *   the planner uses the partial index for both;
 * - `brin (lower(block_range), coalesce(upper(block_range), 2147483647), vid)` (mutable) and `brin (block$, vid)`
 *   (immutable): reverts and `_change_block` look for recent blocks, and rows are stored in block order, so a BRIN
 *   index finds them for almost no write cost (graph-node does the same).
 * - `gin (fulltext)` on the tsvector column of each `@fulltext` field (graph-node indexes them the same way): the
 *   search's `@@` match.
 * Other attributes are not indexed (graph-node indexes them all): every index slows every commit, and a filter on
 * an unindexed attribute scans one table at the query's block. Ids and references are indexed whole, so an id longer
 * than about 2 700 bytes cannot be stored.
 */
import { allTables, type ColumnLayout, type FulltextColumn, type Layout, type TableLayout } from "./layout.ts";
import { quoteIdent, quoteLiteral } from "./executor.ts";
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
    `create table ${layout.dataSourceTable} (
  seq int4 primary key,
  block int4 not null,
  data jsonb not null
)`,
  ];
  for (const table of allTables(layout)) statements.push(...tableDdl(table));
  statements.push(commitFunctionDdl(layout));
  return statements;
}

/** Message the commit function raises when the block is not after the head; the store recognises it. */
export const HEAD_GUARD_MESSAGE = "pedigree-store: block is not after the head";

/** Key of a table's changes in the commit function's JSON document. */
export function changesKey(table: TableLayout): string {
  return `t${table.position}`;
}

/**
 * Key of a table's column in the rows of the commit function's JSON document: its position, the shortest key there
 * is (rows omit null columns, which jsonb_to_recordset reads as null).
 */
export function rowKey(position: number): string {
  return position.toString(36);
}

/**
 * `commit$(first int4, last int4, hash text, parent_hash text, timestamp int8, hashes jsonb, changes jsonb)` applies
 * the blocks `first`..`last` in one call: moves the head to `last` (raising unless `first` comes after the head),
 * records the blocks' hashes, then per touched table (key `t<position>` of `changes`) closes the current version of
 * each id in `close` at its block and inserts `rows` with their range `[from$, to$)` (open when `to$` is null).
 *
 * PL/pgSQL keeps the plans of its statements (forced generic: the inputs are always one JSON document), so a commit
 * costs one short statement to parse and no planning; that is what lets tens of changes commit in a few milliseconds
 * on PGlite. A cached plan outlives the table sizes it was made for (PGlite never analyzes), so the function forbids
 * sequential scans and hash/merge joins: closing versions is always a nested loop over the id index, whatever the
 * table held when the plan was made. The body is generated from the schema only; values arrive as JSON arguments.
 */
function commitFunctionDdl(layout: Layout): string {
  const lines = [
    `create function ${layout.commitFunction}(int4, int4, text, text, int8, jsonb, jsonb) returns void language plpgsql`,
    "set plan_cache_mode = force_generic_plan set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off",
    "as $body$",
    "begin",
    `  update ${layout.metaTable} set head_number = $2, head_hash = $3, head_parent_hash = $4, head_timestamp = $5`,
    "    where id = 1 and (head_number is null or head_number < $1);",
    "  if not found then",
    `    raise exception using message = ${quoteLiteral(HEAD_GUARD_MESSAGE)}, errcode = 'P0001';`,
    "  end if;",
    `  insert into ${layout.blockHashTable} (number, hash, parent_hash, timestamp)`,
    "    select x.number, x.hash, x.parent_hash, x.timestamp from jsonb_to_recordset($6) as x(number int4, hash text, parent_hash text, timestamp int8)",
    "    on conflict (number) do update set hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp;",
  ];
  for (const table of layout.tables.values()) {
    const key = quoteLiteral(changesKey(table));
    const columns = table.columns.map((c) => c.quoted).join(", ");
    const values = table.columns.map((_, i) => `x."${rowKey(i)}"`).join(", ");
    const recordset = table.columns.map((c, i) => `"${rowKey(i)}" ${c.sqlType}${c.list ? "[]" : ""}`).join(", ");
    lines.push(`  if $7 ? ${key} then`);
    if (!table.immutable) {
      lines.push(
        `    update ${table.qualified} t set block_range = int4range(lower(t.block_range), x.block)`,
        `      from jsonb_to_recordset($7->${key}->'close') as x(id ${table.id.sqlType}, block int4)`,
        `      where t.id = x.id and upper_inf(t.block_range);`,
        `    insert into ${table.qualified} (${columns}, block_range)`,
        `      select ${values}, int4range(x."from$", x."to$") from jsonb_to_recordset($7->${key}->'rows') as x(${recordset}, "from$" int4, "to$" int4);`,
      );
    } else {
      lines.push(
        `    insert into ${table.qualified} (${columns}, "block$")`,
        `      select ${values}, x."from$" from jsonb_to_recordset($7->${key}->'rows') as x(${recordset}, "from$" int4);`,
      );
    }
    lines.push("  end if;");
  }
  lines.push("end", "$body$");
  return lines.join("\n");
}

function tableDdl(table: TableLayout): string[] {
  const definitions = ["vid bigserial primary key"];
  definitions.push(table.immutable ? `"block$" int4 not null` : "block_range int4range not null");
  for (const column of table.columns) definitions.push(columnDefinition(column));
  for (const fulltext of table.fulltext.values()) definitions.push(fulltextColumnDefinition(fulltext));
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
  // Rollups read a timeseries by time range, and cumulative ones the latest bucket per group (graph-node indexes both).
  const timestamp = table.columnsByField.get("timestamp");
  if (table.entity.timeseries && timestamp) index("timestamp$", `(${timestamp.quoted})`);
  if (table.entity.aggregation && timestamp) {
    const dims = table.entity.aggregation.dimensions.map((d) => table.columnsByField.get(d)!.quoted);
    index("group$", `(${[...dims, timestamp.quoted].join(", ")})`);
  }
  for (const column of table.columns) {
    if (!column.references || column.field.name === "id") continue;
    index(column.name, column.list ? `using gin (${column.quoted})` : `(${column.quoted}, id) where ${column.quoted} is not null`);
  }
  for (const fulltext of table.fulltext.values()) index(fulltext.name, `using gin (${fulltext.quoted})`);
  return statements;
}

/**
 * A fulltext field's tsvector, generated by the database from the included columns: graph-node's writer inserts
 * `to_tsvector(language, v1) || to_tsvector(language, v2)` over the non-null values (`''::tsvector` when all are
 * null; relational_queries.rs, `process_vec_ast`). A null column contributes an empty tsvector here, and
 * concatenating an empty tsvector shifts no positions, so the value is the same. Generated by the database rather
 * than computed by the writer, so that every path that writes rows (commit$, reverts reopening versions) keeps it
 * right in both PGlite and PostgreSQL with no code of ours.
 */
function fulltextColumnDefinition(fulltext: FulltextColumn): string {
  const config = `${quoteLiteral(fulltext.definition.config)}::regconfig`;
  const parts = fulltext.sources.map((column) => `to_tsvector(${config}, coalesce(${column.quoted}, ''))`);
  const expression = parts.length > 0 ? parts.join(" || ") : "''::tsvector";
  return `${fulltext.quoted} tsvector generated always as (${expression}) stored`;
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
