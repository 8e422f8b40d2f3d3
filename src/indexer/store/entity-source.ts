/**
 * EntitySource over the store's tables: one entity by id, or the entities referencing one, current at the head —
 * the same statements as `loadCurrent` with a filter, run synchronously.
 */
import type { Entity } from "../values.ts";
import type { SyncSqlRunner } from "./executor.ts";
import type { Layout } from "./layout.ts";
import { currentEntitiesStatement } from "./query.ts";
import type { EntitySource, Filter } from "./types.ts";

export class SqlEntitySource implements EntitySource {
  readonly #runner: SyncSqlRunner;
  readonly #layout: Layout;
  #reads = 0;

  constructor(runner: SyncSqlRunner, layout: Layout) {
    this.#runner = runner;
    this.#layout = layout;
  }

  get(entityType: string, id: string): Entity | null {
    return this.#read(entityType, { kind: "compare", field: "id", op: "eq", value: id })[0] ?? null;
  }

  referencing(entityType: string, field: string, id: string): Entity[] {
    const list = this.#layout.tables.get(entityType)?.columns.find((column) => column.field.name === field)?.list;
    return this.#read(entityType, list ? { kind: "list", field, op: "contains", value: [id], nocase: false } : { kind: "compare", field, op: "eq", value: id });
  }

  hold<T>(work: () => T): Promise<T> {
    return this.#runner.hold(work);
  }

  get reads(): number {
    return this.#reads;
  }

  close(): Promise<void> {
    return this.#runner.close();
  }

  #read(entityType: string, filter: Filter): Entity[] {
    const { text, params, decode } = currentEntitiesStatement(this.#layout, entityType, filter);
    this.#reads += 1;
    return this.#runner.query(text, params).map(decode);
  }
}
