/**
 * The PostgreSQL executor runs its statements by name: each connection parses a text once, at most 256 texts get a
 * name, and a named statement whose table changed under it runs again unnamed instead of failing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgExecutor } from "../../../src/indexer/store/executor-pg.ts";
import type { SqlExecutor } from "../../../src/indexer/store/executor.ts";
import { DATABASE_URL, PG_SKIP_REASON } from "./helpers.ts";

describe.skipIf(!DATABASE_URL)(`named statements on PostgreSQL${DATABASE_URL ? "" : ` (${PG_SKIP_REASON})`}`, () => {
  let db: SqlExecutor;
  const table = `named_statements_${process.pid}`;

  beforeAll(async () => {
    // One connection, so that the session asked about pg_prepared_statements is the one that ran the statements.
    db = await openPgExecutor(DATABASE_URL!, { maxConnections: 1 });
    await db.exec(`drop table if exists ${table}; create table ${table} (x int4)`);
  });
  afterAll(async () => {
    await db?.exec(`drop table if exists ${table}`);
    await db?.close();
  });

  const prepared = async () => (await db.query<{ statement: string }>("select statement from pg_prepared_statements")).map((row) => row.statement);

  it("parses a text once and runs it again by name with other parameters", async () => {
    const insert = `insert into ${table} values ($1::int4)`;
    await db.query(insert, ["1"]);
    await db.query(insert, ["2"]);
    expect(await db.query(`select x from ${table} order by x`)).toEqual([{ x: 1 }, { x: 2 }]);
    expect((await prepared()).filter((statement) => statement === insert)).toHaveLength(1);
  });

  it("names at most 256 texts and runs the others unnamed", async () => {
    for (let i = 0; i < 300; i++) expect(await db.query(`select ${i} as n`)).toEqual([{ n: i }]);
    const named = await prepared();
    expect(named.length).toBe(256);
    expect(named).not.toContain("select 299 as n");
  });

  it("runs a statement whose table changed under it again, unnamed, except inside a transaction", async () => {
    await db.exec(`drop table ${table}; create table ${table} (x int4)`);
    await db.query(`insert into ${table} values (7)`);
    // Unnamed from here on: the earlier tests used up the 256 names, so ask a fresh executor.
    const fresh = await openPgExecutor(DATABASE_URL!, { maxConnections: 1 });
    try {
      const select = `select * from ${table}`;
      expect(await fresh.query(select)).toEqual([{ x: 7 }]);
      await fresh.exec(`alter table ${table} add column y text`);
      expect(await fresh.query(select)).toEqual([{ x: 7, y: null }]);

      const other = `select *, 1 as one from ${table}`;
      expect(await fresh.query(other)).toEqual([{ x: 7, y: null, one: 1 }]);
      await fresh.exec(`alter table ${table} drop column y`);
      await expect(fresh.transaction((tx) => tx.query(other))).rejects.toThrow(/cached plan must not change result type/);
      expect(await fresh.query(other)).toEqual([{ x: 7, one: 1 }]);
    } finally {
      await fresh.close();
    }
  });
});
