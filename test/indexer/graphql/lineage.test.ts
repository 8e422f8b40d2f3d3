/**
 * The lineage query the project's benchmark measures (model version → training run → dataset versions → licences →
 * attestations) over HTTP on PGlite: correct answers, one store query per field per level whatever the fan-out, and
 * its latency next to a baseline of the same store queries issued directly, in the same process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import type { EntityChange, EntityQuery, Store } from "../../../src/indexer/store/types.ts";
import { ALICE, BOB, blockPtr, openStore, post, scaledLineageBlock, schema } from "./fixtures.ts";

const LINEAGE = `query Lineage($id: ID!) {
  modelVersion(id: $id) {
    id number uri
    model { id modelId }
    trainingRun {
      id startedAt endedAt
      datasetVersions { id number uri fingerprint
        dataset { id datasetId creator { id } currentTerms { id price } }
        attestations(where: { revoked: false }) { id kind { name } attester { id } }
      }
      licences { id amount licensee { id } terms { id documentURI } attestations { id revoked } }
      attestations { id }
    }
    attestations(orderBy: createdAt, orderDirection: desc) { id subjectType revoked attester { id } }
  }
}`;

/**
 * One store query per field and level: modelVersion; model, trainingRun, attestations; datasetVersions, licences,
 * attestations, attester; dataset, attestations, licensee, terms, attestations; creator and attester (one merged
 * Account lookup), kind. `currentTerms` is answered from the entities the level above loaded (`terms`).
 */
const LINEAGE_STORE_QUERIES = 15;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

let store: Store;
let server: GraphQLServer;
let versionIds: string[];
let committed: EntityChange[];
const SETUP = { datasets: 60, models: 10, versionsPerModel: 3, perRun: 12 };

beforeAll(async () => {
  store = await openStore();
  const { block, changes, modelVersionIds } = scaledLineageBlock(SETUP);
  await store.commitBlock(block, changes);
  versionIds = modelVersionIds;
  committed = changes;
  // Latency is measured without the response cache (every request does the full work).
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmLineage", cacheResults: false });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

describe("lineage query", () => {
  it("returns the whole lineage of a model version", async () => {
    const { data, errors } = await post(server.url, LINEAGE, { id: versionIds[4] });
    expect(errors).toBeUndefined();
    const run = data.modelVersion.trainingRun;
    expect(run.datasetVersions).toHaveLength(SETUP.perRun);
    for (const version of run.datasetVersions) {
      expect(version.dataset.currentTerms.id).toBe(version.dataset.id);
      expect([ALICE, BOB]).toContain(version.dataset.creator.id);
      expect(version.attestations).toHaveLength(2);
      expect(version.attestations[0].kind.name).toMatch(/Evaluation|Audit/);
    }
    expect(run.licences.length).toBeGreaterThanOrEqual(SETUP.perRun / 3);
    for (const licence of run.licences) {
      expect(licence.terms.id).toBe(licence.id);
      expect(licence.attestations).toEqual([{ id: expect.any(String), revoked: false }]);
    }
    expect(data.modelVersion.attestations).toEqual([{ id: expect.any(String), subjectType: "ModelVersion", revoked: false, attester: { id: expect.any(String) } }]);
  });

  it("issues one store query per field per level, whatever the number of entities", async () => {
    for (const id of [versionIds[0]!, versionIds[versionIds.length - 1]!]) {
      const outcome = await server.executor.execute({ query: LINEAGE, variables: { id } });
      expect(outcome.body.errors).toBeUndefined();
      expect(outcome.storeQueries).toBe(LINEAGE_STORE_QUERIES);
    }
  });

  it("answers fast: latency over HTTP next to the same store queries issued directly", async () => {
    // Record the store queries one lineage query makes, to replay them directly as the baseline.
    const recorded: EntityQuery[] = [];
    const recording = new Proxy(store, {
      get(target, property) {
        if (property === "find") return (query: EntityQuery) => (recorded.push(query), target.find(query));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const probe = await startGraphQLServer({ store: recording, schema, subgraphName: "probe", deployment: "QmLineage" });
    await post(probe.url, LINEAGE, { id: versionIds[7] });
    await probe.close();

    const rounds = 200;
    for (let i = 0; i < 30; i++) await post(server.url, LINEAGE, { id: versionIds[i % versionIds.length] });
    const graphql: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let start = performance.now();
      await post(server.url, LINEAGE, { id: versionIds[i % versionIds.length] });
      graphql.push(performance.now() - start);
      start = performance.now();
      await store.status();
      for (const query of recorded) await store.find(query);
      direct.push(performance.now() - start);
    }
    const report = {
      setup: `${SETUP.datasets} datasets x 3 versions, ${SETUP.models * SETUP.versionsPerModel} model versions, ${SETUP.perRun} dataset versions per run; PGlite in memory; ${rounds} rounds`,
      graphqlOverHttpMs: { p50: percentile(graphql, 0.5).toFixed(2), p95: percentile(graphql, 0.95).toFixed(2) },
      directStoreQueriesMs: { p50: percentile(direct, 0.5).toFixed(2), p95: percentile(direct, 0.95).toFixed(2), queries: recorded.length + 1 },
      ratioP50: (percentile(graphql, 0.5) / percentile(direct, 0.5)).toFixed(2),
    };
    console.log("lineage latency", JSON.stringify(report, null, 2));
    // The GraphQL layer (parsing, HTTP, batching, completion) adds little to the store work it cannot avoid.
    expect(percentile(graphql, 0.5)).toBeLessThan(percentile(direct, 0.5) * 2 + 5);
  });

  it("reuses an error-free response until the next block, like graph-node's query cache", async () => {
    const cached = await startGraphQLServer({ store, schema, subgraphName: "cached", deployment: "QmLineage" });
    try {
      const id = versionIds[3]!;
      const first = await cached.executor.execute({ query: LINEAGE, variables: { id } });
      expect(first.storeQueries).toBe(LINEAGE_STORE_QUERIES);
      const again = await cached.executor.execute({ query: LINEAGE, variables: { id } });
      expect(again.storeQueries).toBe(0);
      expect(again.body).toEqual(first.body);

      const warm: number[] = [];
      for (let i = 0; i < 200; i++) {
        const start = performance.now();
        await post(cached.url, LINEAGE, { id });
        warm.push(performance.now() - start);
      }
      console.log("lineage latency, repeated query (cached)", { p50: percentile(warm, 0.5).toFixed(2), p95: percentile(warm, 0.95).toFixed(2) });

      // A new block changes the answer: nothing stale is served.
      const version = committed.find((c) => c.entityType === "ModelVersion" && c.id === id)!;
      await store.commitBlock(blockPtr(2), [{ ...version, data: { ...version.data!, uri: "ipfs://republished" } }]);
      const after = await cached.executor.execute({ query: LINEAGE, variables: { id } });
      expect(after.storeQueries).toBe(LINEAGE_STORE_QUERIES);
      expect((after.body.data!.modelVersion as { uri: string }).uri).toBe("ipfs://republished");
      // Responses with errors are not reused.
      const failing = { query: "{ datasets(first: 5000) { id } }" };
      await cached.executor.execute(failing);
      expect((await cached.executor.execute(failing)).body.errors).toHaveLength(1);
    } finally {
      await cached.close();
    }
  });
});
