/**
 * Prepared statements on PGlite: each SQL text is parsed once and run by name, the least recently used is closed
 * beyond the capacity, and a failure leaves no statement behind that a later run would trip over.
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SqlError } from "../../../src/indexer/store/executor.ts";
import { PreparedStatements } from "../../../src/indexer/store/pglite-statements.ts";

describe("PreparedStatements", () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec("create table t (id int4 primary key, name text)");
  });
  beforeEach(async () => {
    await db.exec("deallocate all"); // each test counts the statements of its own PreparedStatements
  });
  afterAll(async () => {
    await db?.close();
  });

  /** The SQL of the statements the session holds (read with PGlite's own unnamed statement). */
  const prepared = async () =>
    (await db.query<{ statement: string }>("select statement from pg_prepared_statements order by prepare_time")).rows.map((row) => row.statement);

  it("parses a statement once and runs it again by name with other parameters", async () => {
    const statements = new PreparedStatements(db);
    statements.run("insert into t values ($1::int4, $2::text)", ["1", "one"]);
    statements.run("insert into t values ($1::int4, $2::text)", ["2", null]);
    expect(statements.size).toBe(1);
    expect(statements.run("select id, name, id > 1 as big from t order by id")).toEqual([
      { id: 1, name: "one", big: false },
      { id: 2, name: null, big: true },
    ]);
    expect(await prepared()).toEqual(["insert into t values ($1::int4, $2::text)", "select id, name, id > 1 as big from t order by id"]);
    statements.run("delete from t");
  });

  it("closes the least recently used statement beyond its capacity", async () => {
    const statements = new PreparedStatements(db, 2);
    statements.run("select 1 as a");
    statements.run("select 2 as b");
    statements.run("select 1 as a"); // used again: "select 2" is now the oldest
    expect(statements.run("select 3 as c")).toEqual([{ c: 3 }]);
    expect(statements.size).toBe(2);
    expect(await prepared()).toEqual(["select 1 as a", "select 3 as c"]);
  });

  it("keeps no statement whose parse failed, and the next statement runs", () => {
    const statements = new PreparedStatements(db);
    expect(() => statements.run("selec 1")).toThrow(SqlError);
    expect(statements.size).toBe(0);
    expect(statements.run("select 1 as one")).toEqual([{ one: 1 }]);
  });

  it("closes a statement whose first run failed after its parse, so that none is left behind", async () => {
    const statements = new PreparedStatements(db);
    expect(() => statements.run("select 1 / $1::int4 as q", ["0"])).toThrow(/division by zero/);
    expect(statements.size).toBe(0);
    expect(statements.run("select 1 / $1::int4 as q", ["1"])).toEqual([{ q: 1 }]); // prepared under a new name
    expect(await prepared()).toEqual(["select 1 / $1::int4 as q"]); // the first one was closed ahead of it
  });

  it("keeps a prepared statement when a later run fails, and runs it again", () => {
    const statements = new PreparedStatements(db);
    expect(statements.run("select 10 / $1::int4 as q", ["2"])).toEqual([{ q: 5 }]);
    expect(() => statements.run("select 10 / $1::int4 as q", ["0"])).toThrow(SqlError);
    expect(statements.size).toBe(1);
    expect(statements.run("select 10 / $1::int4 as q", ["5"])).toEqual([{ q: 2 }]);
  });

  it("prepares again a statement whose table changed its columns under it", async () => {
    const statements = new PreparedStatements(db);
    await db.exec("create table u (a int4); insert into u values (1)");
    expect(statements.run("select * from u")).toEqual([{ a: 1 }]);
    await db.exec("alter table u add column b text");
    expect(() => statements.run("select * from u")).toThrow(/cached plan must not change result type/);
    expect(statements.run("select * from u")).toEqual([{ a: 1, b: null }]);
  });

  it("refuses a reply that ends before ReadyForQuery (PGlite failed, or answered later than it returned)", async () => {
    // Half of the reply the real database gives, then a rejection: what a PGlite that stops mid-statement would do.
    const half = (message: Uint8Array, options: { onRawData: (chunk: Uint8Array) => void }) => {
      options.onRawData(new Uint8Array([0x31, 0, 0, 0, 4])); // ParseComplete
      return Promise.reject(new Error("PGlite stopped"));
    };
    const statements = new PreparedStatements({ execProtocolRawStream: half } as unknown as PGlite);
    expect(() => statements.run("select 1 as one")).toThrow(/ended before ReadyForQuery/);
    await new Promise((resolve) => setImmediate(resolve)); // the rejection is handled: no unhandled rejection fails the run
  });
});
