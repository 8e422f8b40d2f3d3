/**
 * Collects the parameters of one SQL statement as it is generated, hands out fresh table aliases, and writes the
 * block-range predicates every query needs. Values only ever enter SQL as `$n::type` placeholders.
 */
import type { SqlParam } from "./executor.ts";
import type { TableLayout } from "./layout.ts";

export class SqlBuilder {
  readonly params: SqlParam[] = [];
  #aliases = 0;

  /** Adds a parameter and returns its placeholder with a cast, e.g. `$3::numeric`. */
  param(value: SqlParam, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }

  /** A table alias not used elsewhere in the statement. */
  alias(prefix = "c"): string {
    this.#aliases += 1;
    return `${prefix}${this.#aliases}`;
  }
}

/**
 * The version of each entity visible at the block whose number `blockRef` holds: the version whose range contains it
 * (mutable), or any row created at or before it (immutable).
 */
export function atBlock(table: TableLayout, alias: string, blockRef: string): string {
  return table.immutable ? `${alias}."block$" <= ${blockRef}` : `${alias}.block_range @> ${blockRef}`;
}

/** Versions written at or after the block whose number `blockRef` holds (`_change_block: { number_gte }`). */
export function changedSince(table: TableLayout, alias: string, blockRef: string): string {
  return table.immutable ? `${alias}."block$" >= ${blockRef}` : `lower(${alias}.block_range) >= ${blockRef}`;
}
