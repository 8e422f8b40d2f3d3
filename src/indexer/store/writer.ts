/**
 * Writes: committing blocks' changes and reverting blocks.
 *
 * A commit (of one block, or of a batch of consecutive blocks) is ONE SQL statement, hence one transaction and one
 * round trip whatever the number of changes: a call of the deployment's `commit$` function (ddl.ts) that moves the
 * head (aborting unless the first block comes after it), records the block hashes, and per mutable type closes the
 * current versions of the changed ids (`upper(block_range) = block`) and inserts the new versions `[block, ∞)`; per
 * immutable type it inserts rows at `block$`. All rows of a table travel in one JSON document read by
 * `jsonb_to_recordset`.
 */
import type { Value } from "../values.ts";
import { jsonValue, scalarText, ValueTypeError } from "./codec.ts";
import { BLOCK_NUMBER_MAX, changesKey, rowKey } from "./ddl.ts";
import { WriteError } from "./errors.ts";
import type { SqlParam, SqlRunner } from "./executor.ts";
import { allTables, type Layout, type TableLayout } from "./layout.ts";
import type { BlockPtr, EntityChange } from "./types.ts";

export function checkBlockPtr(block: BlockPtr, what: string): void {
  if (!Number.isInteger(block.number) || block.number < 0 || block.number > BLOCK_NUMBER_MAX) {
    throw new WriteError(`${what}: block number must be an integer between 0 and ${BLOCK_NUMBER_MAX}, got ${block.number}`);
  }
  if (typeof block.hash !== "string" || typeof block.parentHash !== "string") {
    throw new WriteError(`${what}: block ${block.number} needs a hash and a parentHash`);
  }
  if (!Number.isSafeInteger(block.timestamp)) throw new WriteError(`${what}: block ${block.number} has an invalid timestamp ${block.timestamp}`);
}

/** The id of a change (always a string) as the text its id column parses. */
function idText(table: TableLayout, id: string): string {
  try {
    if (table.id.kind === "bytea") {
      if (!/^0x([0-9a-fA-F]{2})*$/.test(id)) throw new ValueTypeError(`expected 0x-hex, got ${JSON.stringify(id)}`);
      return scalarText("bytea", id);
    }
    if (table.id.kind === "int8") {
      if (!/^-?\d+$/.test(id)) throw new ValueTypeError(`expected a decimal Int8, got ${JSON.stringify(id)}`);
      return scalarText("int8", BigInt(id));
    }
    return scalarText("text", id);
  } catch (error) {
    if (error instanceof ValueTypeError) throw new WriteError(`Invalid id for ${table.entity.name}: ${error.message}`);
    throw error;
  }
}

/** A change's entity as a row of the commit document: values keyed by column position (rowKey), nulls left out. */
function rowJson(table: TableLayout, id: string, data: Record<string, Value>): Record<string, unknown> {
  for (const key of Object.keys(data)) {
    if (table.columnsByField.has(key)) continue;
    const field = table.entity.fieldsByName.get(key);
    throw new WriteError(
      field ? `${table.entity.name}.${key} is derived (@derivedFrom) and cannot be stored` : `${table.entity.name} has no field \`${key}\``,
      { details: `entity ${table.entity.name} ${id}` },
    );
  }
  const row: Record<string, unknown> = {};
  table.columns.forEach((column, position) => {
    const value = data[column.field.name] ?? null;
    if (value === null) {
      if (column !== table.id && column.nonNull) {
        throw new WriteError(`${table.entity.name}.${column.field.name} is non-null but missing`, { details: `entity ${table.entity.name} ${id}` });
      }
      return;
    }
    try {
      row[rowKey(position)] = jsonValue(column, value);
    } catch (error) {
      if (error instanceof ValueTypeError) {
        throw new WriteError(`Invalid value for ${table.entity.name}.${column.field.name}: ${error.message}`, {
          details: `entity ${table.entity.name} ${id}`,
        });
      }
      throw error;
    }
  });
  return row;
}

/** One block's changes, as `commitBlocks` takes them. */
export interface BlockChanges {
  block: BlockPtr;
  changes: EntityChange[];
}

/** A table's part of the commit document (see `commitFunctionDdl` in ddl.ts). */
interface TableChanges {
  /** Mutable tables: the current version of `id` is closed at `block` (its first change in the batch). */
  close: { id: string; block: number }[];
  /**
   * New rows keyed by column position (rowKey), plus `from$` and, when a later block of the batch changes it again,
   * `to$`.
   */
  rows: Record<string, unknown>[];
}

/**
 * The statement that commits `blocks` (consecutive, increasing, at least one): one call of the deployment's
 * `commit$` function (ddl.ts) with all their changes as one JSON document. Within the batch an entity changed in
 * several blocks gets one version per change, `[block, next change)`; the last one stays open.
 */
export function buildCommit(layout: Layout, blocks: readonly BlockChanges[]): { text: string; params: SqlParam[] } {
  if (blocks.length === 0) throw new WriteError("commitBlocks needs at least one block");
  // Per table and id: the entity's changes in block order, one per block (the last change of a block wins, as
  // graph-node writes one version per entity and block).
  const byTable = new Map<TableLayout, Map<string, { block: number; change: EntityChange }[]>>();
  let previous: number | null = null;
  for (const { block, changes } of blocks) {
    checkBlockPtr(block, "commitBlock");
    if (previous !== null && block.number <= previous) {
      throw new WriteError(`Blocks must be committed in increasing order: block ${block.number} follows block ${previous}`);
    }
    previous = block.number;
    for (const change of changes) {
      const table = layout.tables.get(change.entityType);
      if (!table) throw new WriteError(`Unknown entity type \`${change.entityType}\` in the changes of block ${block.number}`);
      let perId = byTable.get(table);
      if (!perId) byTable.set(table, (perId = new Map()));
      const key = idText(table, change.id);
      let history = perId.get(key);
      if (!history) perId.set(key, (history = []));
      const last = history[history.length - 1];
      if (last && last.block === block.number) last.change = change;
      else history.push({ block: block.number, change });
    }
  }

  const document: Record<string, TableChanges> = {};
  for (const [table, perId] of byTable) {
    const part: TableChanges = { close: [], rows: [] };
    const idKey = rowKey(table.columns.indexOf(table.id));
    for (const [id, history] of perId) {
      if (table.immutable && history.length > 1) {
        throw new WriteError(`${table.entity.name} is immutable; entity ${history[0]!.change.id} is written in blocks ${history.map((h) => h.block).join(" and ")}`);
      }
      if (!table.immutable) part.close.push({ id, block: history[0]!.block });
      history.forEach(({ block, change }, i) => {
        if (change.data === null) {
          if (table.immutable) throw new WriteError(`${table.entity.name} is immutable; entity ${change.id} cannot be removed`);
          return;
        }
        const row = rowJson(table, change.id, change.data);
        if (row[idKey] !== undefined && row[idKey] !== id) {
          throw new WriteError(`Entity ${table.entity.name} ${change.id} carries a different id in its data`, { details: String(row[idKey]) });
        }
        row[idKey] = id;
        row.from$ = block;
        const next = history[i + 1];
        if (next) row.to$ = next.block;
        part.rows.push(row);
      });
    }
    document[changesKey(table)] = part;
  }
  const hashes = blocks.map(({ block }) => ({ number: block.number, hash: block.hash, parent_hash: block.parentHash, timestamp: block.timestamp }));
  const first = blocks[0]!.block;
  const last = blocks[blocks.length - 1]!.block;
  return {
    text: `select ${layout.commitFunction}($1::int4, $2::int4, $3::text, $4::text, $5::int8, $6::jsonb, $7::jsonb)`,
    params: [
      String(first.number),
      String(last.number),
      last.hash,
      last.parentHash,
      String(last.timestamp),
      JSON.stringify(hashes),
      JSON.stringify(document),
    ],
  };
}

/**
 * Undoes every block after `block` (all of them when null) in one transaction: deletes versions created after it,
 * reopens the ranges closed after it, deletes immutable rows created after it, forgets block hashes after it, clears
 * an indexing error recorded after it, and moves the head. The caller checks that `block` is not after the head.
 */
export async function revertBlocks(tx: SqlRunner, layout: Layout, block: BlockPtr | null): Promise<void> {
  // Aggregation buckets are immutable rows at the block that closed them: reverting that block deletes them, and
  // the next block past the bucket's end rolls it up again (graph-node relational.rs `revert_block`, rollup.rs).
  const tables = allTables(layout);
  if (block === null) {
    const names = [...tables.map((t) => t.qualified), layout.blockHashTable, layout.dataSourceTable].join(", ");
    await tx.exec(`truncate ${names}`);
    await tx.query(
      `update ${layout.metaTable} set head_number = null, head_hash = null, head_parent_hash = null, head_timestamp = null, error = null where id = 1`,
    );
    return;
  }
  const number = String(block.number);
  for (const table of tables) {
    if (table.immutable) {
      await tx.query(`delete from ${table.qualified} where "block$" > $1::int4`, [number]);
    } else {
      await tx.query(`delete from ${table.qualified} where lower(block_range) > $1::int4`, [number]);
      await tx.query(
        `update ${table.qualified} set block_range = int4range(lower(block_range), null) ` +
          `where coalesce(upper(block_range), ${BLOCK_NUMBER_MAX}) > $1::int4 and not upper_inf(block_range)`,
        [number],
      );
    }
  }
  await tx.query(`delete from ${layout.blockHashTable} where number > $1::int4`, [number]);
  await tx.query(`delete from ${layout.dataSourceTable} where block > $1::int4`, [number]);
  await tx.query(
    `insert into ${layout.blockHashTable} (number, hash, parent_hash, timestamp) values ($1::int4, $2::text, $3::text, $4::int8) ` +
      `on conflict (number) do update set hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp`,
    [number, block.hash, block.parentHash, String(block.timestamp)],
  );
  await tx.query(
    `update ${layout.metaTable} set head_number = $1::int4, head_hash = $2::text, head_parent_hash = $3::text, head_timestamp = $4::int8, ` +
      `error = case when (error->>'blockNumber')::int8 > $1::int4 then null else error end where id = 1`,
    [number, block.hash, block.parentHash, String(block.timestamp)],
  );
}
