/**
 * The lineage query the project's benchmark measures (model version → training run → dataset versions → licences →
 * attestations) over HTTP on PGlite: correct answers, one store query per field per level whatever the fan-out, and
 * its latency next to a baseline of the same store queries issued directly, in the same process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.js";
import type { EntityQuery, Store } from "../../../src/indexer/store/types.js";
import { ALICE, BOB, openStore, post, scaledLineageBlock, schema } from "./fixtures.js";

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
const SETUP = { datasets: 60, models: 10, versionsPerModel: 3, perRun: 12 };

beforeAll(async () => {
  store = await openStore();
  const { block, changes, modelVersionIds } = scaledLineageBlock(SETUP);
  await store.commitBlock(block, changes);
  versionIds = modelVersionIds;
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmLineage" });
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
    const recording: Store = {
      init: () => store.init(),
      status: () => store.status(),
      loadCurrent: (type) => store.loadCurrent(type),
      commitBlock: (block, changes) => store.commitBlock(block, changes),
      blockHash: (number) => store.blockHash(number),
      revertTo: (block) => store.revertTo(block),
      setError: (error) => store.setError(error),
      find: (query) => (recorded.push(query), store.find(query)),
      close: () => store.close(),
    };
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
    expect(percentile(graphql, 0.5)).toBeLessThan(percentile(direct, 0.5) * 1.5 + 3);
  });
});
