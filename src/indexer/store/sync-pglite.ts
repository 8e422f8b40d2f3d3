/**
 * SyncSqlRunner on PGlite: Postgres runs in this thread as WebAssembly, so a statement can run synchronously, through
 * PGlite's execProtocolRawSync and the wire protocol (messages written and read with pg-protocol, node-postgres'
 * implementation). PGlite is one connection shared by the whole process: hold() takes PGlite's own transaction and
 * query locks, so that no other statement (a GraphQL query in flight, a transaction) interleaves with these.
 */
import type { PGlite } from "@electric-sql/pglite";
import { serialize } from "pg-protocol";
import { Parser } from "pg-protocol/dist/parser.js";
import type { BackendMessage, DataRowMessage, RowDescriptionMessage } from "pg-protocol/dist/messages.js";
import { toSqlError, type SqlParam, type SqlRow, type SyncSqlRunner } from "./executor.ts";

/** Type OIDs whose text both drivers parse (executor.ts conventions); every other column stays text. */
const PARSE_TEXT: Record<number, (text: string) => unknown> = {
  16: (text) => text === "t", // bool
  21: Number, // int2
  23: Number, // int4
  114: (text) => JSON.parse(text), // json
  3802: (text) => JSON.parse(text), // jsonb
};

/** The synchronous runner of an open PGlite database. */
export function pgliteSyncRunner(db: PGlite): SyncSqlRunner {
  /** Prepared statements by SQL text: the store issues a few shapes of reads, each many times. */
  const prepared = new Map<string, string>();
  let statements = 0; // a fresh name per Parse: a statement whose first run failed may exist under its name
  let held = false;
  return {
    query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): R[] {
      if (!held) throw new Error("PGlite: a synchronous read outside hold() could interleave with another statement");
      let name = prepared.get(sql);
      const parse = name === undefined ? serialize.parse({ name: (name = `pedigree_${statements++}`), text: sql }) : null;
      const message = Buffer.concat([
        ...(parse ? [parse] : []),
        serialize.bind({ statement: name, values: [...params] }),
        serialize.describe({ type: "P" }),
        serialize.execute({}),
        serialize.sync(),
      ]);
      const rows = readRows<R>(db.execProtocolRawSync(message));
      if (parse) prepared.set(sql, name);
      return rows;
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

/** The rows of a reply, with values parsed as the drivers do; a database error is thrown as SqlError. */
function readRows<R>(reply: Uint8Array): R[] {
  let columns: { name: string; parse: ((text: string) => unknown) | undefined }[] = [];
  const rows: R[] = [];
  let failure: unknown = null;
  new Parser().parse(Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength), (message: BackendMessage) => {
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
    }
  });
  if (failure !== null) throw toSqlError(failure);
  return rows;
}
