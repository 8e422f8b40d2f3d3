/**
 * Statements on PGlite: the store's executor (openPGliteExecutor: named prepared statements run in one call into
 * PGlite's WebAssembly, src/indexer/store/pglite-statements.ts) against PGlite's own query() (six calls, the SQL parsed
 * every time) on a second database filled with the same rows and started with the same settings, in one process, in
 * alternating rounds. The table and the statements have the store's shapes: versions
 * of entities with a block range, looked up by ids at a block, by a reference ordered by id, and counted.
 *
 *   npm run bench:pglite-statements                   (100 000 rows, 10 000 statements per round)
 *   npm run bench:pglite-statements -- --rows 400000
 *
 * A benchmark reports; it does not enforce: a missed target prints FAIL, exit code 0.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { openPGliteExecutor, PGLITE_START_PARAMS } from "../src/indexer/store/executor-pglite.ts";
import type { SqlParam } from "../src/indexer/store/executor.ts";

const { values: args } = parseArgs({ options: { rows: { type: "string" }, statements: { type: "string" } } });
const ROWS = Number(args.rows ?? 100_000);
const STATEMENTS = Number(args.statements ?? 10_000);
if (!Number.isSafeInteger(ROWS) || ROWS < 1000) throw new Error(`--rows must be a whole number ≥ 1000, not ${args.rows}`);
if (!Number.isSafeInteger(STATEMENTS) || STATEMENTS < 100) throw new Error(`--statements must be a whole number ≥ 100, not ${args.statements}`);
const ROUNDS = 3;

const SETUP = `
  create table version (vid int8 generated always as identity primary key, id text not null, block_range int4range not null,
    owner text not null, number int4 not null, uri text, content jsonb);
  insert into version (id, block_range, owner, number, uri, content)
    select 'v' || i, int4range(i / 10, null), 'owner' || (i % 1000), i % 97, 'ipfs://' || md5(i::text), jsonb_build_object('n', i)
    from generate_series(1, ${ROWS}) as i;
  create index version_id on version (id);
  create index version_brin on version using brin (lower(block_range), coalesce(upper(block_range), 2147483647), vid);
  create index version_owner on version (owner, id) where owner is not null;
  analyze version;`;
const store = await openPGliteExecutor(); // in memory
await store.exec(SETUP);
const plain = await PGlite.create({ startParams: [...PGLITE_START_PARAMS] }); // the store's settings
await plain.exec(SETUP);

/** The store's three shapes of read, with parameters that vary from one statement to the next. */
const shapes: ((i: number) => { sql: string; params: SqlParam[] })[] = [
  (i) => ({
    sql: "select id, owner, number, uri, content from version where block_range @> $1::int4 and id = any($2::text[]) order by id limit $3::int8",
    params: [String(ROWS / 10), `{v${1 + (i % ROWS)},v${1 + ((i * 7) % ROWS)}}`, "100"],
  }),
  (i) => ({
    sql: "select id, number from version where block_range @> $1::int4 and owner = $2::text order by id limit $3::int8",
    params: [String(ROWS / 10), `owner${i % 1000}`, "20"],
  }),
  (i) => ({ sql: "select count(*)::int4 as n from version where owner = $1::text and number < $2::int4", params: [`owner${i % 1000}`, String(i % 97)] }),
];
const statementOf = (i: number) => shapes[i % shapes.length]!(i);

const prepared = (sql: string, params: SqlParam[]) => store.query(sql, params);
const viaQuery = async (sql: string, params: SqlParam[]) => (await plain.query(sql, params)).rows;

// Same answers both ways, first.
for (let i = 0; i < 30; i++) {
  const { sql, params } = statementOf(i);
  if (JSON.stringify(await prepared(sql, params)) !== JSON.stringify(await viaQuery(sql, params))) throw new Error(`different rows for ${sql}`);
}

async function statementsPerSecond(run: (sql: string, params: SqlParam[]) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < STATEMENTS; i++) {
    const { sql, params } = statementOf(i);
    await run(sql, params);
  }
  return STATEMENTS / ((performance.now() - started) / 1000);
}

console.log("PGlite statements benchmark\n");
console.log("Setup");
console.log(`  machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}, two PGlite databases in memory, ${PGLITE_START_PARAMS.find((p) => p.startsWith("shared_buffers=")) ?? "shared_buffers at PGlite's default"}`);
console.log(`  ${ROWS.toLocaleString("en-US")} entity versions (block range; the store's id, BRIN and reference indexes); ${STATEMENTS.toLocaleString("en-US")} statements per round, 3 shapes of store read; best of ${ROUNDS} alternating rounds`);
let best = { prepared: 0, query: 0 };
for (let round = 0; round < ROUNDS; round++) {
  best = { prepared: Math.max(best.prepared, await statementsPerSecond(prepared)), query: Math.max(best.query, await statementsPerSecond(viaQuery)) };
}
const row = (label: string, value: number, note = "") => console.log(`  ${label.padEnd(48)} ${Math.round(value).toLocaleString("en-US").padStart(10)}  ${note}`);
console.log("\nStatements per second");
row("the store's executor (prepared statements)", best.prepared, `${(best.prepared / best.query).toFixed(2)}× query()`);
row("baseline: PGlite's query()", best.query);
console.log("\nTargets");
console.log(`  ${best.prepared >= 1.2 * best.query ? "PASS" : "FAIL"}  prepared statements at least 1.2× query()'s rate (${(best.prepared / best.query).toFixed(2)}×)`);
await store.close();
await plain.close();
