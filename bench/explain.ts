/**
 * Query plans of the audit queries on a finished store (one `bench:indexer -- --keep <dir>` kept): serves GraphQL on
 * the store, runs the benchmark's queries (`<dir>/queries.json`) and the audit functions of src/audit and the report's
 * gather step (their read model's client), records every SQL statement the store runs for each, then runs each
 * statement under `explain (analyze, buffers)` and prints, per statement, its execution time and plan nodes, flagging
 * sequential scans, sorts of many rows and nested loops over unindexed scans. Full text plans go to
 * `<dir>/plans-<store>.txt`.
 *
 *   npm run bench:explain -- --dir /tmp/big-store                          (both stores the directory holds)
 *   npm run bench:explain -- --dir /tmp/big-store --stores postgres --add-indexes
 *
 * `--add-indexes` first creates the indexes of the current DDL (src/indexer/store/ddl.ts) that the store lacks and
 * analyzes the tables, so that plans before and after a DDL change compare on the same data without re-indexing. It
 * then rewrites the store's layout hash: an inspection tool's shortcut, not a migration (the indexer refuses stores
 * of an older layout and re-indexes them).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { createAuditClient } from "../src/audit/client.ts";
import * as audit from "../src/audit/index.ts";
import { gather } from "../src/report/gather.ts";
import { startLocalPostgres, type LocalPostgres } from "../src/dev/local-postgres.ts";
import { startGraphQLServer } from "../src/indexer/graphql/index.ts";
import { parseSchema } from "../src/indexer/schema/schema.ts";
import { deploymentDdl } from "../src/indexer/store/ddl.ts";
import { openPgExecutor } from "../src/indexer/store/executor-pg.ts";
import { openPGliteExecutor } from "../src/indexer/store/executor-pglite.ts";
import type { SqlExecutor, SqlParam, SqlRow, SqlRunner, SyncSqlRunner } from "../src/indexer/store/executor.ts";
import { allTables, buildLayout, layoutHash, type Layout } from "../src/indexer/store/layout.ts";
import { SqlStore } from "../src/indexer/store/store.ts";

const { values: args } = parseArgs({
  options: { dir: { type: "string" }, stores: { type: "string" }, "add-indexes": { type: "boolean" }, runs: { type: "string" } },
});
if (!args.dir) throw new Error("--dir <directory kept by bench:indexer --keep> is required");
const DIR = args.dir;
const STORES = (args.stores ?? "pglite,postgres").split(",").filter((store) => existsSync(join(DIR, store)));
/** Runs of each statement under explain analyze; the fastest is reported (the first ones warm the caches). */
const EXPLAIN_RUNS = Number(args.runs ?? 3);
/** The namespace the benchmark's indexer (startIndexer, name "pedigree") keeps its tables in. */
const NAMESPACE = "sgd_pedigree";
const { queries } = JSON.parse(readFileSync(join(DIR, "queries.json"), "utf8")) as { queries: Record<string, string> };
const schema = parseSchema(readFileSync("build/schema.graphql", "utf8"));
const layout = buildLayout(schema, NAMESPACE);

interface Statement {
  sql: string;
  params: readonly SqlParam[];
}

/** An executor that records the statements run through it while a label is set. */
class RecordingExecutor implements SqlExecutor {
  label: string | null = null;
  readonly recorded = new Map<string, Statement[]>();
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  #record(sql: string, params: readonly SqlParam[]): void {
    if (this.label === null) return;
    const list = this.recorded.get(this.label) ?? [];
    list.push({ sql, params });
    this.recorded.set(this.label, list);
  }

  query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    this.#record(sql, params);
    return this.#db.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.#db.exec(sql);
  }

  openSyncRunner(): SyncSqlRunner {
    return this.#db.openSyncRunner();
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) =>
      work({
        query: <R extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) => {
          this.#record(sql, params);
          return tx.query<R>(sql, params);
        },
        exec: (sql) => tx.exec(sql),
      }),
    );
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

/** An index definition compared loosely: Postgres prints it back with other quoting, case and parentheses. */
function normalisedIndex(definition: string): string {
  return definition.toLowerCase().replace(/using btree /, "").replace(/["()\s]/g, "");
}

/**
 * Creates the indexes of the current DDL the store lacks (or holds with another definition: those are replaced),
 * analyzes, and stamps the current layout hash.
 */
async function addMissingIndexes(db: SqlExecutor, target: Layout): Promise<string[]> {
  const statements = deploymentDdl(target);
  const changed: string[] = [];
  for (const statement of statements.filter((s) => s.startsWith("create index "))) {
    const name = `${target.quotedNamespace}.${/^create index (".*?") on /.exec(statement)![1]!}`;
    const [existing] = await db.query<{ definition: string | null }>("select pg_get_indexdef(to_regclass($1::text)) as definition", [name]);
    if (existing?.definition && normalisedIndex(existing.definition) === normalisedIndex(statement)) continue;
    const started = performance.now();
    if (existing?.definition) await db.exec(`drop index ${name}`);
    await db.exec(statement);
    changed.push(`${existing?.definition ? "replaced" : "created"}: ${statement}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  await db.exec(`analyze ${allTables(target).map((t) => t.qualified).join(", ")}`);
  await db.query(`update ${target.metaTable} set layout_hash = $1::text where id = 1`, [layoutHash(statements.join(";\n"))]);
  return changed;
}

/** The audit functions and the report's gather step, on ids the benchmark's workload created. */
function auditCalls(url: string, versionId: string, account: string): Record<string, () => Promise<unknown>> {
  const client = createAuditClient({ url });
  return {
    "audit whatTrainedThis": () => audit.whatTrainedThis(client, versionId),
    "audit whoActedOn": () => audit.whoActedOn(client, versionId),
    "audit wasDataUsed (dataset)": () => audit.wasDataUsed(client, { datasetId: versionId }),
    "audit wasDataUsed (dataset version)": () => audit.wasDataUsed(client, { datasetVersionId: versionId }),
    "audit history (model version)": () => audit.history(client, { type: "model-version", id: versionId }),
    "audit history (account)": () => audit.history(client, { type: "account", id: account }),
    "audit royalties (account)": () => audit.royalties(client, { account }),
    "audit datasetOverview": () => audit.datasetOverview(client, versionId),
    "audit datasetRoyalties": () => audit.datasetRoyalties(client, versionId),
    "audit changesSince": () => audit.changesSince(client, versionId),
    "audit agentsActingOn": () => audit.agentsActingOn(client, versionId),
    "audit search": () => audit.search(client, "dataset"),
    "report gather (dossier)": () => gather({ url, versionId }),
  };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Sort Method"?: string;
  Plans?: PlanNode[];
}

/** One line per plan node, indented by depth, with a ⚠ on the nodes that read or sort many rows for few. */
function describePlan(node: PlanNode, depth = 0, lines: string[] = []): string[] {
  const rows = node["Actual Rows"] * node["Actual Loops"];
  const removed = (node["Rows Removed by Filter"] ?? 0) * node["Actual Loops"];
  const target = [node["Index Name"] && `using ${node["Index Name"]}`, node["Relation Name"] && `on ${node["Relation Name"]}`].filter(Boolean).join(" ");
  const inputRows = node.Plans?.[0] ? node.Plans[0]["Actual Rows"] * node.Plans[0]["Actual Loops"] : 0;
  const warn =
    (node["Node Type"] === "Seq Scan" && rows + removed > 1000) ||
    removed > 1000 ||
    (node["Node Type"] === "Sort" && inputRows > 1000);
  const extra = [removed ? `${removed} removed by filter` : "", node["Sort Method"] ?? ""].filter(Boolean).join(", ");
  lines.push(`${warn ? "⚠" : " "} ${"  ".repeat(depth)}${node["Node Type"]} ${target} rows=${node["Actual Rows"]}×${node["Actual Loops"]}${extra ? ` (${extra})` : ""}`);
  for (const child of node.Plans ?? []) describePlan(child, depth + 1, lines);
  return lines;
}

/** Explains `statement` EXPLAIN_RUNS times; the fastest run's execution time, its JSON plan and its text plan. */
async function explain(db: SqlExecutor, statement: Statement): Promise<{ ms: number; plan: PlanNode; text: string }> {
  let best: { ms: number; plan: PlanNode } | null = null;
  for (let run = 0; run < EXPLAIN_RUNS; run++) {
    const [row] = await db.query(`explain (analyze, buffers, format json) ${statement.sql}`, statement.params);
    const raw = Object.values(row!)[0];
    const [result] = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode; "Execution Time": number }[];
    if (!best || result!["Execution Time"] < best.ms) best = { ms: result!["Execution Time"], plan: result!.Plan };
  }
  const textRows = await db.query(`explain (analyze, buffers) ${statement.sql}`, statement.params);
  const text = textRows.map((r) => String(Object.values(r)[0])).join("\n");
  return { ...best!, text };
}

/** The statement without its select list (the part that decides the plan), on one line. */
function shortSql(sql: string): string {
  const oneLine = sql.replace(/\s+/g, " ");
  const from = oneLine.search(new RegExp(` from (\\(|"${NAMESPACE}")`));
  return (from > 0 ? `select … ${oneLine.slice(from + 1)}` : oneLine).replaceAll(`"${NAMESPACE}".`, "").slice(0, 200);
}

async function openStore(store: string): Promise<{ db: SqlExecutor; postgres?: LocalPostgres }> {
  if (store === "pglite") return { db: await openPGliteExecutor(join(DIR, "pglite")) };
  const postgres = await startLocalPostgres({ dataDir: join(DIR, "postgres") });
  return { db: await openPgExecutor(postgres.url), postgres };
}

async function tableSizes(db: SqlExecutor): Promise<string[]> {
  const lines: string[] = [];
  for (const table of allTables(layout)) {
    const [row] = await db.query<{ n: string; size: string }>(
      `select count(*)::text as n, pg_size_pretty(pg_total_relation_size('${table.qualified.replace(/'/g, "''")}'))::text as size from ${table.qualified}`,
    );
    if (Number(row!.n) > 0) lines.push(`${table.name} ${row!.n} rows, ${row!.size}`);
  }
  return lines;
}

/** Runs every query and audit call once with recording on, and returns the statements each ran. */
async function recordStatements(recorder: RecordingExecutor, url: string): Promise<Map<string, Statement[]>> {
  const someVersion = /modelVersion\(id: "(\d+)"\)/.exec(Object.values(queries)[0]!)![1]!;
  const post = async (query: string) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };
  const top = await post(`{ royaltyBalances(first: 1, orderBy: credited, orderDirection: desc) { account { id } } }`);
  const account = (top.data!.royaltyBalances as { account: { id: string } }[])[0]!.account.id;
  const calls: Record<string, () => Promise<unknown>> = {
    ...Object.fromEntries(Object.entries(queries).map(([label, query]) => [label, () => post(query).then((body) => body.errors && Promise.reject(new Error(JSON.stringify(body.errors))))])),
    ...auditCalls(url, someVersion, account),
  };
  console.log("  end to end, once (GraphQL over HTTP, store, this process):");
  for (const [label, call] of Object.entries(calls)) {
    recorder.label = label;
    const started = performance.now();
    const failure = await call().then(() => "", (error: unknown) => `: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200));
    console.log(`    ${label}: ${(performance.now() - started).toFixed(1)} ms, ${recorder.recorded.get(label)?.length ?? 0} statements${failure}`);
  }
  recorder.label = null;
  return recorder.recorded;
}

async function explainStore(store: string): Promise<void> {
  const { db, postgres } = await openStore(store);
  try {
    console.log(`\n=== ${store} (${DIR}/${store})`);
    if (args["add-indexes"]) for (const line of await addMissingIndexes(db, layout)) console.log(`  ${line}`);
    for (const line of await tableSizes(db)) console.log(`  ${line}`);
    const recorder = new RecordingExecutor(db);
    const server = await startGraphQLServer({ store: new SqlStore(recorder, layout), schema, subgraphName: "pedigree", deployment: "QmExplain", cacheResults: false });
    const recorded = await recordStatements(recorder, server.url);
    await server.close();
    const full: string[] = [];
    const seen = new Set<string>();
    for (const [label, statements] of recorded) {
      const results = [];
      for (const statement of statements) {
        if (seen.has(statement.sql)) continue; // the same shape with other ids plans the same
        seen.add(statement.sql);
        results.push({ statement, ...(await explain(db, statement)) });
      }
      const total = results.reduce((sum, r) => sum + r.ms, 0);
      console.log(`\n${label}: ${statements.length} statements, ${results.length} new shapes, ${total.toFixed(2)} ms executing the new shapes`);
      for (const { statement, ms, plan, text } of results) {
        console.log(`  ${ms.toFixed(2).padStart(8)} ms  ${shortSql(statement.sql)}`);
        for (const line of describePlan(plan)) if (line.startsWith("⚠") || ms > 1) console.log(`    ${line}`);
        full.push(`-- ${label}\n${statement.sql}\n-- params: ${JSON.stringify(statement.params)}\n${text}\n`);
      }
    }
    writeFileSync(join(DIR, `plans-${store}.txt`), full.join("\n"));
  } finally {
    await db.close();
    await postgres?.stop();
  }
}

for (const store of STORES) await explainStore(store);
process.exit(0);
