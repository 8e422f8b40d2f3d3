/**
 * The Store implementation: ties the layout, the writer and the query compiler to one SqlExecutor.
 */
import { createHash } from "node:crypto";
import type { Entity, Value } from "../values.ts";
import { deploymentDdl, HEAD_GUARD_MESSAGE } from "./ddl.ts";
import { FulltextSyntaxError, LayoutError, StoreError, WriteError } from "./errors.ts";
import { SqlError, type SqlExecutor } from "./executor.ts";
import { allTables, layoutHash, type Layout, type TableLayout } from "./layout.ts";
import { STATISTICS_DELAY_MS, TableStatistics } from "./statistics.ts";
import { currentEntityIds, findEntities, loadCurrentEntities } from "./query.ts";
import { SqlEntitySource } from "./entity-source.ts";
import type { BlockCommit, BlockPtr, EntityChange, EntityQuery, EntitySource, IndexingError, IndexingStatus, Store, StoredDataSource } from "./types.ts";
import { buildCommit, checkBlockPtr, revertBlocks } from "./writer.ts";
import { buildRollups, lastRollupTime, rollUp, type Rollup } from "./rollup.ts";

interface MetaRow {
  layout_hash: string;
  head_number: number | null;
  head_hash: string | null;
  head_parent_hash: string | null;
  head_timestamp: string | null;
  error: IndexingError | null;
}

export interface SqlStoreOptions {
  /** How long due planner statistics wait for refreshStatistics() before a commit refreshes them (0: at once). */
  statisticsDelayMs?: number;
}

export class SqlStore implements Store {
  readonly layout: Layout;
  readonly #db: SqlExecutor;
  readonly #ddl: string[];
  readonly #hash: string;
  /** When each table's planner statistics are due (read from the catalog on the first commit). */
  #statistics: TableStatistics | undefined;
  /** Tables whose statistics are due and not refreshed yet, and since when (performance.now()). */
  readonly #due = new Set<TableLayout>();
  #dueSince: number | null = null;
  readonly #statisticsDelayMs: number;
  readonly #rollups: Rollup[];
  /** Time (seconds) of the last rollup: the last committed block's; undefined until read from the tables. */
  #lastRollup: number | null | undefined;

  constructor(db: SqlExecutor, layout: Layout, options: SqlStoreOptions = {}) {
    this.#db = db;
    this.layout = layout;
    this.#statisticsDelayMs = options.statisticsDelayMs ?? STATISTICS_DELAY_MS;
    this.#ddl = deploymentDdl(layout);
    this.#hash = layoutHash(this.#ddl.join(";\n"));
    this.#rollups = buildRollups(layout);
  }

  /** The DDL statements of this deployment (for inspection and tests). */
  get ddl(): readonly string[] {
    return this.#ddl;
  }

  async init(): Promise<void> {
    const { layout } = this;
    await this.#db.transaction(async (tx) => {
      // Serialise concurrent initialisations of the same deployment (several processes on one server).
      const lockKey = BigInt.asIntN(64, BigInt(`0x${createHash("sha256").update(`pedigree:${layout.namespace}`).digest("hex").slice(0, 16)}`));
      await tx.query("select pg_advisory_xact_lock($1::int8)", [lockKey.toString()]);
      const [found] = await tx.query<{ exists: boolean }>("select to_regclass($1::text) is not null as exists", [layout.metaTable]);
      if (found?.exists) {
        const [meta] = await tx.query<{ layout_hash: string }>(`select layout_hash from ${layout.metaTable} where id = 1`);
        if (meta?.layout_hash !== this.#hash) {
          throw new LayoutError(`Deployment \`${layout.namespace}\` holds tables of a different schema (or of another store version)`, {
            hint: "use another deployment name for this schema, or drop the old SQL schema (or delete the data directory) to re-index",
          });
        }
        return;
      }
      for (const statement of this.#ddl) await tx.exec(statement);
      await tx.query(`insert into ${layout.metaTable} (id, layout_hash) values (1, $1::text)`, [this.#hash]);
    });
  }

  async #meta(): Promise<MetaRow> {
    const [row] = await this.#db.query<MetaRow & Record<string, unknown>>(
      `select layout_hash, head_number, head_hash, head_parent_hash, head_timestamp::text as head_timestamp, error::json as error ` +
        `from ${this.layout.metaTable} where id = 1`,
    );
    if (!row) throw new StoreError(`Deployment \`${this.layout.namespace}\` is not initialised`, { hint: "call init() first" });
    return row;
  }

  async status(): Promise<IndexingStatus> {
    const meta = await this.#meta();
    const head: BlockPtr | null =
      meta.head_number === null
        ? null
        : { number: meta.head_number, hash: meta.head_hash!, parentHash: meta.head_parent_hash!, timestamp: Number(meta.head_timestamp) };
    return { head, error: meta.error };
  }

  loadCurrent(entityType: string): Promise<Entity[]> {
    return loadCurrentEntities(this.#db, this.layout, entityType);
  }

  currentIds(entityType: string, pageSize = 10_000): AsyncIterable<Value[]> {
    return currentEntityIds(this.#db, this.layout, entityType, pageSize);
  }

  openEntitySource(): EntitySource {
    return new SqlEntitySource(this.#db.openSyncRunner(), this.layout);
  }

  commitBlock(block: BlockPtr, changes: EntityChange[]): Promise<void> {
    return this.commitBlocks([{ block, changes }]);
  }

  async commitBlocks(blocks: BlockCommit[]): Promise<void> {
    const { text, params } = buildCommit(this.layout, blocks);
    const created = blocks.flatMap((b) => b.dataSources ?? []);
    let lastRollup = this.#lastRollup ?? null;
    try {
      if (created.length === 0 && this.#rollups.length === 0) {
        await this.#db.query(text, params);
      } else {
        // Data sources and rollups are part of the blocks' state: same transaction as the entities and the head.
        await this.#db.transaction(async (tx) => {
          await tx.query(text, params);
          if (this.#rollups.length > 0) {
            // graph-node (writable.rs LastRollup): read from the tables once (none: unknown), then the last block's time.
            if (this.#lastRollup === undefined) lastRollup = await lastRollupTime(tx, this.#rollups);
            lastRollup = await rollUp(tx, this.#rollups, lastRollup, blocks.map((b) => b.block));
          }
          if (created.length === 0) return;
          const [{ next }] = await tx.query<{ next: number }>(`select coalesce(max(seq), 0) + 1 as next from ${this.layout.dataSourceTable}`);
          for (const [i, ds] of created.entries()) {
            await tx.query(`insert into ${this.layout.dataSourceTable} (seq, block, data) values ($1::int4, $2::int4, $3::jsonb)`, [
              String(Number(next) + i),
              String(ds.block),
              JSON.stringify(ds.data),
            ]);
          }
        });
      }
    } catch (error) {
      throw await this.#explainWriteFailure(error, blocks[0]!.block);
    }
    if (this.#rollups.length > 0) this.#lastRollup = lastRollup;
    await this.#recordGrowth(blocks);
  }

  /**
   * Counts the committed changes towards the tables' next statistics refresh (a table is due when it doubled, see
   * TableStatistics). Due tables are refreshed by refreshStatistics(), which the indexer calls once caught up with the
   * chain, or by the first commit `statisticsDelayMs` after they became due: while catching up, an `analyze` (a third
   * of a second for a 30 000-row table on PGlite) does not hold every few seconds the commits the handlers wait for.
   * PGlite has no autovacuum, so without this the planner would keep guessing table sizes and selectivities for `find`.
   */
  async #recordGrowth(blocks: readonly BlockCommit[]): Promise<void> {
    try {
      this.#statistics ??= await TableStatistics.read(this.#db, this.layout);
    } catch {
      return; // best effort, see refreshStatistics()
    }
    for (const table of this.#statistics.record(blocks)) this.#due.add(table);
    if (this.#due.size > 0) this.#dueSince ??= performance.now();
    if (this.#dueSince !== null && performance.now() - this.#dueSince >= this.#statisticsDelayMs) await this.refreshStatistics();
  }

  get statisticsDue(): boolean {
    return this.#due.size > 0;
  }

  /**
   * Refreshes now the planner statistics of the tables that are due. Best effort: statistics only steer plans, so a
   * failure here fails nothing.
   */
  async refreshStatistics(): Promise<void> {
    if (this.#due.size === 0) return;
    const tables = [...this.#due];
    this.#due.clear();
    this.#dueSince = null;
    try {
      await this.#db.exec(`analyze ${tables.map((t) => t.qualified).join(", ")}`);
    } catch {
      // ignored, see above
    }
  }

  async #explainWriteFailure(error: unknown, block: BlockPtr): Promise<unknown> {
    if (!(error instanceof SqlError)) return error;
    const table = allTables(this.layout).find((t) => t.name === error.table);
    const column = table?.columns.find((c) => c.name === error.column);
    const where = table ? `${table.entity.name}${column ? `.${column.field.name}` : ""}` : "an entity";
    const options = { details: error.detail ?? error.message, cause: error };
    switch (error.code) {
      case "P0001":
        if (error.message.includes(HEAD_GUARD_MESSAGE)) {
          const { head } = await this.status();
          return new WriteError(`Block ${block.number} is not after the head (block ${head?.number ?? "none"}); nothing was written`, {
            ...options,
            hint: "commit blocks in increasing order; use revertTo() before re-indexing a block",
          });
        }
        break;
      case "23505":
        return new WriteError(`${where} is immutable and already exists; an immutable entity is written once`, options);
      case "23502":
        return new WriteError(`${where} is non-null but missing`, options);
      case "23514":
        return new WriteError(`Invalid value for ${where} (not a value of its enum)`, options);
      case "22P02":
      case "22003":
        return new WriteError(`Invalid value for ${where}: ${error.message}`, options);
    }
    return new StoreError(`Commit of block ${block.number} failed: ${error.message}`, options);
  }

  async loadDataSources(): Promise<StoredDataSource[]> {
    const rows = await this.#db.query<{ block: number; data: unknown }>(`select block, data from ${this.layout.dataSourceTable} order by seq`);
    return rows.map((row) => ({ block: Number(row.block), data: typeof row.data === "string" ? JSON.parse(row.data) : row.data }));
  }

  async blockHash(number: number): Promise<string | null> {
    if (!Number.isInteger(number) || number < 0 || number > 2147483647) return null;
    const [row] = await this.#db.query<{ hash: string }>(`select hash from ${this.layout.blockHashTable} where number = $1::int4`, [String(number)]);
    return row?.hash ?? null;
  }

  async revertTo(block: BlockPtr | null): Promise<void> {
    if (block !== null) checkBlockPtr(block, "revertTo");
    await this.#db.transaction(async (tx) => {
      const [meta] = await tx.query<{ head_number: number | null }>(`select head_number from ${this.layout.metaTable} where id = 1 for update`);
      const head = meta?.head_number ?? null;
      if (block !== null && (head === null || block.number > head)) {
        throw new WriteError(`Cannot revert to block ${block.number}: it is after the head (block ${head ?? "none"})`);
      }
      await revertBlocks(tx, this.layout, block);
    });
    // graph-node (writable.rs revert_block_operations) re-reads the last rollup from the tables; none: keeps it.
    if (this.#rollups.length > 0) this.#lastRollup = (await lastRollupTime(this.#db, this.#rollups)) ?? this.#lastRollup;
  }

  async setError(error: IndexingError | null): Promise<void> {
    await this.#db.query(`update ${this.layout.metaTable} set error = $1::jsonb where id = 1`, [error === null ? null : JSON.stringify(error)]);
  }

  async find(query: EntityQuery): Promise<Entity[]> {
    try {
      if (this.layout.tables.has(query.entityType) || !this.layout.schema.interfaces.has(query.entityType)) {
        return await findEntities(this.#db, this.layout, query);
      }
      // An interface query takes two statements; read both from one snapshot.
      return await this.#db.transaction(async (tx) => {
        await tx.exec("set transaction isolation level repeatable read");
        return findEntities(tx, this.layout, query);
      });
    } catch (error) {
      // graph-node recognises a bad fulltext search text by Postgres' message (store/postgres/src/relational.rs).
      if (error instanceof SqlError && error.message.startsWith("syntax error in tsquery")) {
        throw new FulltextSyntaxError("Invalid fulltext search text", { details: error.message, cause: error });
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
