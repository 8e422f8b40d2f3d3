/**
 * PGlite in a worker thread (the executor createStore opens): statements, transactions, database errors and
 * synchronous reads cross the thread intact, and the worker's work does not block this thread.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlError, type SqlExecutor, type SyncSqlRunner } from "../../../src/indexer/store/executor.ts";
import { openPGliteThreadExecutor } from "../../../src/indexer/store/pglite-thread.ts";

describe("PGlite in a worker thread", () => {
  let db: SqlExecutor;
  let reader: SyncSqlRunner;

  beforeAll(async () => {
    db = await openPGliteThreadExecutor();
    reader = db.openSyncRunner();
    await db.exec("create table t (id int4 primary key, name text)");
  });
  afterAll(async () => {
    await reader?.close();
    await db?.close();
  });

  it("runs statements and returns their rows as the in-thread executor does", async () => {
    await db.query("insert into t values ($1::int4, $2::text), (2, null)", ["1", "one"]);
    expect(await db.query("select id, name, id > 1 as big, json_build_object('n', id) as j from t order by id")).toEqual([
      { id: 1, name: "one", big: false, j: { n: 1 } },
      { id: 2, name: null, big: true, j: { n: 2 } },
    ]);
  });

  it("commits a transaction, and rolls one back when its work throws", async () => {
    await db.transaction(async (tx) => {
      await tx.query("insert into t values (3, 'three')");
      expect(await tx.query("select count(*)::int4 as n from t")).toEqual([{ n: 3 }]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into t values (4, 'four')");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.query("select id from t order by id")).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it("reports a database error as SqlError with its SQLSTATE and constraint, and rolls back its transaction", async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query("insert into t values (5, 'five')");
        await tx.query("insert into t values (1, 'again')");
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SqlError);
    expect(failure).toMatchObject({ code: "23505", constraint: "t_pkey" });
    expect(await db.query("select count(*)::int4 as n from t where id = 5")).toEqual([{ n: 0 }]);
  });

  it("answers synchronous reads inside hold() only", async () => {
    expect(() => reader.query("select 1")).toThrow(/outside hold\(\)/);
    const rows = await reader.hold(() => reader.query("select name from t where id = $1::int4", ["3"]));
    expect(rows).toEqual([{ name: "three" }]);
    await reader.hold(() => expect(() => reader.query("select * from missing")).toThrow(/missing/));
  });

  it("starts hold() only once a transaction has ended, so that a read never waits for this blocked thread", async () => {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query("insert into t values (6, 'six')");
      order.push("inserted");
      await released;
      order.push("ending");
    });
    const held = reader.hold(() => {
      order.push("held");
      return reader.query("select count(*)::int4 as n from t where id = 6");
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect(await held).toEqual([{ n: 1 }]);
    await transaction;
    expect(order).toEqual(["inserted", "ending", "held"]);
  });

  it("runs a long statement in the worker while this thread goes on", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await db.query("select pg_sleep(0.3)");
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(10); // this thread's timers ran during the 300 ms statement
  });

  it("refuses statements once closed", async () => {
    const other = await openPGliteThreadExecutor();
    await other.close();
    await expect(other.query("select 1")).rejects.toThrow(/closed/);
  });
});
