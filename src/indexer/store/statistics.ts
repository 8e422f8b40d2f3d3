/**
 * When a table's planner statistics are due (`analyze`): once the changes committed to it since its last refresh
 * reach the rows it had then, with a floor of ANALYZE_MIN_CHANGES — each table's statistics are refreshed as it
 * doubles, so the work stays a small, shrinking share of indexing however large the table grows, and tables nothing
 * writes to are left alone. Postgres's autovacuum does the same with a smaller factor (10 % plus 50 rows); PGlite has
 * no autovacuum. An aggregation's tables are refreshed with their timeseries (they grow from it). The store runs the
 * due refreshes once the indexer has caught up with the chain, or STATISTICS_DELAY_MS after they became due.
 *
 * The rows at the last refresh start as the catalog's own figure (`pg_class.reltuples`, 0 when never analyzed), so a
 * store reopened at a million rows is not analyzed again after its first thousand changes.
 */
import type { SqlRunner } from "./executor.ts";
import type { Layout, TableLayout } from "./layout.ts";
import type { BlockCommit } from "./types.ts";

/**
 * How long due statistics wait for the indexer to catch up before a commit refreshes them (a PostgreSQL server's
 * autovacuum looks every 60 s).
 */
export const STATISTICS_DELAY_MS = 30_000;

/** Changes to a table before its first refresh. */
export const ANALYZE_MIN_CHANGES = 1000;

interface TableGrowth {
  /** Rows when the statistics were last refreshed (as far as this store knows). */
  rows: number;
  /** Changes committed since (each adds a row, a new version or an immutable entity, or closes one). */
  changed: number;
}

export class TableStatistics {
  readonly #layout: Layout;
  readonly #growth: Map<TableLayout, TableGrowth>;
  /** The aggregation tables (one per interval) of each timeseries table. */
  readonly #aggregations = new Map<TableLayout, TableLayout[]>();

  private constructor(layout: Layout, rows: Map<string, number>) {
    this.#layout = layout;
    this.#growth = new Map([...layout.tables.values()].map((table) => [table, { rows: rows.get(table.name) ?? 0, changed: 0 }]));
    for (const [name, perInterval] of layout.aggregationTables) {
      const source = layout.tables.get(layout.schema.entities.get(name)!.aggregation!.source)!;
      this.#aggregations.set(source, [...perInterval.values()]);
    }
  }

  /** The statistics state of the deployment's tables as the catalog records it. */
  static async read(db: SqlRunner, layout: Layout): Promise<TableStatistics> {
    const rows = await db.query<{ name: string; rows: string }>(
      "select c.relname as name, greatest(c.reltuples, 0)::int8::text as rows from pg_class c " +
        "join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1::text and c.relkind = 'r'",
      [layout.namespace],
    );
    return new TableStatistics(layout, new Map(rows.map((row) => [row.name, Number(row.rows)])));
  }

  /** Counts the committed blocks' changes; returns the tables whose statistics are due now (and counts them as refreshed). */
  record(blocks: readonly BlockCommit[]): TableLayout[] {
    for (const { changes } of blocks) {
      for (const { entityType } of changes) this.#growth.get(this.#layout.tables.get(entityType)!)!.changed += 1;
    }
    const due: TableLayout[] = [];
    for (const [table, growth] of this.#growth) {
      if (growth.changed < Math.max(ANALYZE_MIN_CHANGES, growth.rows)) continue;
      growth.rows += growth.changed;
      growth.changed = 0;
      due.push(table, ...(this.#aggregations.get(table) ?? []));
    }
    return due;
  }
}
