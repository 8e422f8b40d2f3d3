/**
 * The tiny query-executor interface the store runs all its SQL through. PGlite (Postgres compiled to WebAssembly) and
 * node-postgres both speak the Postgres protocol, so the store's SQL is the same for both; only this seam differs.
 *
 * Conventions that keep both drivers' results identical:
 * - parameters are always passed as strings (or null) and cast in SQL (`$1::int8`), so no driver serialises values;
 * - queries select only `text`, `int4`, `boolean` and `json` columns, which both drivers parse the same way
 *   (string, number, boolean, parsed JSON); everything else is cast in SQL (`col::text`, `encode(col, 'hex')`).
 */

import type { SyncAnswer } from "../sync-worker.ts";
import { StoreError } from "./errors.ts";

/** A parameter value: always a string (the store casts it in SQL) or null. */
export type SqlParam = string | null;

/** A result row as both drivers return it for the column types the store selects. */
export type SqlRow = Record<string, unknown>;

/** Runs statements; what a transaction callback receives. */
export interface SqlRunner {
  /** Runs one parameterised statement and returns its rows. */
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<R[]>;
  /** Runs one or more statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface SqlExecutor extends SqlRunner {
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** A runner of statements that answers synchronously, for WASM handlers' reads (close it before this executor). */
  openSyncRunner(): SyncSqlRunner;
  close(): Promise<void>;
}

/**
 * Runs statements synchronously: WASM handlers read the store through synchronous host functions. Reads only; each
 * sees what is committed.
 */
export interface SyncSqlRunner {
  /** Runs one parameterised statement and returns its rows (same conventions as SqlRunner.query). */
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): R[];
  /**
   * Runs `work`, which may call query(), and resolves with its result. On PGlite, which serves one connection to the
   * whole process, no other statement or transaction runs meanwhile; query() outside of hold() throws there.
   */
  hold<T>(work: () => T): Promise<T>;
  close(): Promise<void>;
}

/** A database error reported by Postgres, with the fields the store uses to explain it. */
export class SqlError extends Error {
  override name = "SqlError";
  /** SQLSTATE, e.g. 23505 for a unique violation. */
  readonly code?: string;
  readonly table?: string;
  readonly column?: string;
  readonly constraint?: string;
  readonly detail?: string;

  constructor(
    message: string,
    fields: { code?: string; table?: string; column?: string; constraint?: string; detail?: string; cause?: unknown },
  ) {
    super(message, { cause: fields.cause });
    this.code = fields.code;
    this.table = fields.table;
    this.column = fields.column;
    this.constraint = fields.constraint;
    this.detail = fields.detail;
  }
}

/** Wraps a driver error (both drivers put the Postgres error fields on the thrown object) into a SqlError. */
export function toSqlError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof SqlError) return error;
  const fields = error as Error & Partial<Record<"code" | "table" | "column" | "constraint" | "detail", unknown>>;
  if (typeof fields.code !== "string" || !/^[0-9A-Z]{5}$/.test(fields.code)) return error;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return new SqlError(error.message, {
    code: fields.code,
    table: text(fields.table),
    column: text(fields.column),
    constraint: text(fields.constraint),
    detail: text(fields.detail),
    cause: error,
  });
}

/**
 * What a worker thread answered for a statement (./sync-pg.ts, ./pglite-thread.ts), or its failure thrown here: a
 * database error as SqlError, with its SQLSTATE; no answer within `timeoutMs` (null) as StoreError.
 */
export function workerAnswer<T>(answer: SyncAnswer | null, database: string, timeoutMs: number): T {
  if (answer === null) {
    throw new StoreError(`A store read got no answer from ${database} within ${timeoutMs} ms`, { hint: "check the database" });
  }
  if (answer.ok) return answer.value as T;
  throw toSqlError(Object.assign(new Error(answer.message), answer.fields, { name: answer.name }));
}

/** Quotes an SQL identifier ("a""b"). */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new Error(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL string literal ('it''s'); only for names from the schema in DDL, never for user values. */
export function quoteLiteral(text: string): string {
  if (text.includes("\u0000")) throw new Error(`literal contains a NUL character: ${JSON.stringify(text)}`);
  return `'${text.replace(/'/g, "''")}'`;
}
