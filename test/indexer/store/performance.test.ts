/**
 * Performance guards on PGlite in memory with the project's schema: commit throughput, batched commits of small
 * blocks, lineage lookups, and that those lookups use the indexes (no sequential scan of the big tables). Thresholds
 * are several times below what the benchmark measures (store-bench.ts), so a shared, busy machine does not make
 * them flaky; CPU time is used for throughput for the same reason.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { openPGliteExecutor } from "../../../src/indexer/store/executor-pglite.ts";
import type { SqlExecutor, SqlParam } from "../../../src/indexer/store/executor.ts";
import { buildLayout } from "../../../src/indexer/store/layout.ts";
import { SqlStore } from "../../../src/indexer/store/store.ts";
import type { EntityQuery } from "../../../src/indexer/store/types.ts";
import { PedigreeWorkload } from "./fixtures/pedigree-workload.ts";

const schema = parseSchema(readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"));

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function lineageQueries(id: string, block: number): EntityQuery[] {
  const where = (field: string) => ({ kind: "compare" as const, field, op: "eq" as const, value: id });
  return [
    { entityType: "ModelVersion", block, first: 1, skip: 0, filter: where("id") },
    { entityType: "Attestation", block, first: 100, skip: 0, filter: where("modelVersion") },
    { entityType: "ModelVersion", block, first: 100, skip: 0, filter: where("parent") },
    { entityType: "Deployment", block, first: 100, skip: 0, filter: where("version") },
    { entityType: "ProvenanceEvent", block, first: 100, skip: 0, filter: where("modelVersion"), orderBy: { field: "timestamp" }, orderDirection: "desc" },
  ];
}

describe("performance — PGlite in memory, schema.graphql", () => {
  let db: SqlExecutor;
  let store: SqlStore;
  const recorded: { sql: string; params: readonly SqlParam[] }[] = [];
  const workload = new PedigreeWorkload(5);
  const BLOCKS = 400;

  beforeAll(async () => {
    db = await openPGliteExecutor();
    // Record the statements `find` runs, to EXPLAIN them.
    const recording: SqlExecutor = {
      query: (sql, params = []) => {
        recorded.push({ sql, params });
        return db.query(sql, params);
      },
      exec: (sql) => db.exec(sql),
      transaction: (work) => db.transaction(work),
      openSyncRunner: () => db.openSyncRunner(),
      close: () => db.close(),
    };
    store = new SqlStore(recording, buildLayout(schema, "perf"));
    await store.init();
  });
  afterAll(async () => {
    await db?.close();
  });

  it(`commits blocks of ~30 changes at well over 2 000 changes per CPU-second (${BLOCKS} blocks)`, async () => {
    const blocks = Array.from({ length: BLOCKS }, (_, i) => workload.block(i + 1, 10));
    const changes = blocks.reduce((n, b) => n + b.changes.length, 0);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const { block, changes } of blocks) await store.commitBlock(block, changes);
    const cpuSeconds = cpuMs(cpu) / 1000;
    const wallSeconds = (performance.now() - started) / 1000;
    console.log(
      `[store perf] ${changes} changes in ${BLOCKS} blocks: ${Math.round(changes / wallSeconds)} changes/s wall, ` +
        `${Math.round(changes / cpuSeconds)} changes per CPU-second`,
    );
    expect(changes / cpuSeconds).toBeGreaterThan(2000);
  }, 120_000);

  it("commits small blocks several times cheaper in batches (commitBlocks)", async () => {
    const next = BLOCKS + 1;
    const single = Array.from({ length: 100 }, (_, i) => workload.block(next + i, 1));
    const batched = Array.from({ length: 100 }, (_, i) => workload.block(next + 100 + i, 1));
    let cpu = process.cpuUsage();
    for (const { block, changes } of single) await store.commitBlock(block, changes);
    const singleMs = cpuMs(cpu);
    cpu = process.cpuUsage();
    for (let i = 0; i < batched.length; i += 20) await store.commitBlocks(batched.slice(i, i + 20));
    const batchedMs = cpuMs(cpu);
    console.log(`[store perf] 100 one-event blocks: ${(singleMs / 100).toFixed(2)} ms CPU each one by one, ${(batchedMs / 100).toFixed(2)} ms in batches of 20`);
    expect(batchedMs * 2).toBeLessThan(singleMs);
  }, 60_000);

  it("looks up a model version and its derived lists in milliseconds, through indexes", async () => {
    const head = (await store.status()).head!.number;
    const ids = [...workload.modelVersions.keys()];
    const latencies: number[] = [];
    for (let i = 0; i < 60; i++) {
      const queries = lineageQueries(ids[(i * 37) % ids.length]!, head);
      const started = performance.now();
      const [version] = await Promise.all(queries.map((q) => store.find(q)));
      latencies.push(performance.now() - started);
      expect(version).toHaveLength(1);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[latencies.length >> 1]!;
    console.log(`[store perf] lineage lookup (5 queries): median ${median.toFixed(2)} ms`);
    expect(median).toBeLessThan(50);

    recorded.length = 0;
    for (const query of lineageQueries(ids[7]!, head)) await store.find(query);
    const plans: string[] = [];
    for (const { sql, params } of recorded) {
      plans.push((await db.query(`explain ${sql}`, params)).map((row) => String(Object.values(row)[0])).join("\n"));
    }
    for (const plan of plans) expect(plan, plan).not.toMatch(/Seq Scan on (model_version|attestation|provenance_event)/);
    expect(plans[0]).toMatch(/Index.* on "model_version\$id\$"/);
    expect(plans[1]).toMatch(/Index.* on "attestation\$model_version"/);
    expect(plans[2]).toMatch(/Index.* on "model_version\$parent"/);
    expect(plans[4]).toMatch(/Index.* on "provenance_event\$model_version"/);
  }, 60_000);

  it("pages through a reference's children in id order on its (reference, id) index, without sorting them", async () => {
    await store.refreshStatistics(); // as the indexer does once caught up with the chain
    const head = (await store.status()).head!.number;
    const [busiest] = await db.query<{ actor: string; n: number }>(
      `select '0x' || encode(actor, 'hex') as actor, count(*)::int4 as n from perf.provenance_event group by actor order by 2 desc limit 1`,
    );
    expect(busiest!.n).toBeGreaterThan(20);
    recorded.length = 0;
    const filter = { kind: "compare" as const, field: "actor", op: "eq" as const, value: busiest!.actor };
    const page = await store.find({ entityType: "ProvenanceEvent", block: head, first: 10, skip: 0, filter });
    expect(page).toHaveLength(10);
    const [{ sql, params }] = recorded;
    const plan = (await db.query(`explain ${sql!}`, params)).map((row) => String(Object.values(row)[0])).join("\n");
    expect(plan, plan).toMatch(/Index Scan using "provenance_event\$actor"/);
    expect(plan, plan).not.toMatch(/Sort/);
  }, 60_000);
});
