/**
 * Statements on PGlite as named prepared statements, run synchronously through PGlite's raw protocol interface and the
 * wire protocol (messages written and read with pg-protocol, node-postgres' implementation).
 *
 * PGlite's own query() makes six calls into its WebAssembly (parse, describe, bind, describe, execute, sync) and parses
 * the SQL every time; a statement prepared once then runs in one call. The 12 statements of the benchmark's lineage
 * query on the 1M-event store: 5.0–6.4 ms through query(), 3.0–3.5 ms prepared (PGlite in one thread, 200 runs).
 * Postgres plans them as it plans any prepared statement (PGLITE_START_PARAMS in ./executor-pglite.ts).
 *
 * The handlers' synchronous reads and the executor's statements share one PreparedStatements per database.
 *
 * Written here because PGlite's API has no prepared statements, and node-postgres' (over PGlite's node-postgres
 * connection) are asynchronous and never closed, while the handlers' reads must answer synchronously.
 * `npm run bench:pglite-statements` compares this path with query().
 */
import type { PGlite } from "@electric-sql/pglite";
import { serialize } from "pg-protocol";
import { Parser } from "pg-protocol/dist/parser.js";
import type { BackendMessage, DataRowMessage, RowDescriptionMessage } from "pg-protocol/dist/messages.js";
import { SqlError, toSqlError, type SqlParam, type SqlRow, type SyncSqlRunner } from "./executor.ts";

/** Type OIDs whose text both drivers parse (executor.ts conventions); every other column stays text. */
const PARSE_TEXT: Record<number, (text: string) => unknown> = {
  16: (text) => text === "t", // bool
  21: Number, // int2
  23: Number, // int4
  114: (text) => JSON.parse(text), // json
  3802: (text) => JSON.parse(text), // jsonb
};

/** Statements kept prepared (pgjdbc's default); beyond, the least recently used is closed. */
const DEFAULT_CAPACITY = 256;

/**
 * SQLSTATEs after which a prepared statement must be prepared again: "cached plan must not change result type" (a
 * table changed under it) and "prepared statement does not exist".
 */
const PREPARE_AGAIN = new Set(["0A000", "26000"]);

/**
 * Statements parsed in this thread so far: names are unique per thread, so that no two PreparedStatements on one
 * database (one session) ever prepare the same name.
 */
let parsed = 0;

/** One database's prepared statements, by SQL text. Callers hold PGlite's locks around run(). */
export class PreparedStatements {
  readonly #db: PGlite;
  readonly #capacity: number;
  /** Statement names by SQL text, least recently used first. */
  readonly #names = new Map<string, string>();
  /** Close messages sent ahead of the next statement: statements evicted, or whose Parse may have failed. */
  #closing: Uint8Array[] = [];

  constructor(db: PGlite, capacity = DEFAULT_CAPACITY) {
    this.#db = db;
    this.#capacity = capacity;
  }

  /** Statements prepared now. */
  get size(): number {
    return this.#names.size;
  }

  /** Runs `sql` with `params` and returns its rows; a database error is thrown as SqlError. */
  run<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): R[] {
    const known = this.#names.get(sql);
    const name = known ?? `pedigree_${parsed++}`; // fresh per Parse: a failed first run may leave its name until closed
    this.#names.delete(sql);
    this.#names.set(sql, name);
    if (this.#names.size > this.#capacity) this.#forget(this.#names.keys().next().value!);
    const message = Buffer.concat([
      ...this.#closing.splice(0),
      ...(known === undefined ? [serialize.parse({ name, text: sql })] : []),
      serialize.bind({ statement: name, values: [...params] }),
      serialize.describe({ type: "P" }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    try {
      return readRows<R>(exchange(this.#db, message));
    } catch (error) {
      if (known === undefined || (error instanceof SqlError && PREPARE_AGAIN.has(error.code ?? ""))) this.#forget(sql);
      throw error;
    }
  }

  #forget(sql: string): void {
    const name = this.#names.get(sql);
    if (name === undefined) return;
    this.#names.delete(sql);
    this.#closing.push(serialize.close({ type: "S", name }));
  }
}

/** The synchronous runner of an open PGlite database, on its prepared statements. */
export function pgliteSyncRunner(db: PGlite, statements: PreparedStatements): SyncSqlRunner {
  let held = false;
  return {
    query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): R[] {
      if (!held) throw new Error("PGlite: a synchronous read outside hold() could interleave with another statement");
      return statements.run<R>(sql, params);
    },
    async hold<T>(work: () => T): Promise<T> {
      return db._runExclusiveTransaction(() =>
        db.runExclusive(async () => {
          held = true;
          try {
            return work();
          } finally {
            held = false;
          }
        }),
      );
    },
    async close() {},
  };
}

/**
 * PGlite's reply to `message`, synchronously. execProtocolRawSync copies the reply three times and parses all of it
 * into messages of its own, which readRows then parses again: in an audit walk up a 1 725-version lineage, 4.1 s of
 * the PGlite thread's 25 s. execProtocolRawStream hands over the reply's chunks only, and without `syncToFs` awaits
 * nothing, so it has run to its end when it returns. Should a PGlite release make it wait, or should it fail (its
 * promise rejects), the reply lacks its ReadyForQuery and readRows refuses it.
 */
function exchange(db: PGlite, message: Uint8Array): Buffer {
  const chunks: Buffer[] = [];
  // Each chunk is a view of PGlite's memory, reused for the next: copied at once.
  db.execProtocolRawStream(message, { syncToFs: false, onRawData: (chunk) => void chunks.push(Buffer.from(chunk)) }).catch(() => {});
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The rows of a reply, with values parsed as the drivers do; a database error is thrown as SqlError. */
function readRows<R>(reply: Buffer): R[] {
  let columns: { name: string; parse: ((text: string) => unknown) | undefined }[] = [];
  const rows: R[] = [];
  let failure: unknown = null;
  let ended = false;
  new Parser().parse(reply, (message: BackendMessage) => {
    if (message.name === "rowDescription") {
      columns = (message as RowDescriptionMessage).fields.map((field) => ({ name: field.name, parse: PARSE_TEXT[field.dataTypeID] }));
    } else if (message.name === "dataRow") {
      const row: SqlRow = {};
      (message as DataRowMessage).fields.forEach((text: string | null, i) => {
        const column = columns[i]!;
        row[column.name] = text === null || column.parse === undefined ? text : column.parse(text);
      });
      rows.push(row as R);
    } else if (message.name === "error") {
      failure ??= message;
    } else if (message.name === "readyForQuery") {
      ended = true;
    }
  });
  if (failure !== null) throw toSqlError(failure);
  if (!ended) throw new SqlError("PGlite's reply ended before ReadyForQuery: the database stopped answering; open it again", {});
  return rows;
}
