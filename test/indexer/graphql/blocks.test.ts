/**
 * Which block a query sees: time travel by number, hash and number_gte (also inside nested fields), graph-node's
 * errors for blocks that are not indexed, `_meta`, the `subgraphError` policy when indexing failed, reverts and
 * removals — all over HTTP against the real PGlite store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { ALICE, BOB, TIMESTAMP, blockPtr, hashOf, lineageStore, openStore, post, schema } from "./fixtures.ts";

const DEPLOYMENT = "QmBlocksTest";

/** Runs `body` with a server over its own lineage store (for tests that change the store). */
async function withServer(body: (server: GraphQLServer, store: Store) => Promise<void>, store?: Store): Promise<void> {
  const own = store ?? (await lineageStore());
  const server = await startGraphQLServer({ store: own, schema, subgraphName: "pedigree/lineage", deployment: DEPLOYMENT });
  try {
    await body(server, own);
  } finally {
    await server.close();
    await own.close();
  }
}

describe("time travel", () => {
  let store: Store;
  let server: GraphQLServer;
  beforeAll(async () => {
    store = await lineageStore();
    server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: DEPLOYMENT });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  const DATASET = "{ versionCount owner { id } versions { id } licences { id } }";

  it("answers as of a block number, resolving references and derived fields at that block", async () => {
    const { data } = await post(server.url, `{ old: dataset(id: "1", block: { number: 2 }) ${DATASET} now: dataset(id: "1") ${DATASET} }`);
    expect(data.old).toEqual({ versionCount: 2, owner: { id: ALICE }, versions: [{ id: "1" }, { id: "2" }], licences: [{ id: "1" }] });
    expect(data.now).toEqual({
      versionCount: 3,
      owner: { id: BOB },
      versions: [{ id: "1" }, { id: "2" }, { id: "4" }],
      licences: [{ id: "1" }],
    });
    const early = await post(server.url, '{ datasets(block: { number: 1 }) { id withdrawn } licences(block: { number: 1 }) { id } }');
    expect(early.data).toEqual({ datasets: [{ id: "1", withdrawn: false }, { id: "2", withdrawn: false }], licences: [] });
  });

  it("answers as of a block hash, and says when the hash is unknown", async () => {
    const { data } = await post(
      server.url,
      `{ dataset(id: "1", block: { hash: "${hashOf(2)}" }) { versionCount }
         _meta(block: { hash: "${hashOf(2)}" }) { block { number hash parentHash } } }`,
    );
    expect(data).toEqual({ dataset: { versionCount: 2 }, _meta: { block: { number: 2, hash: hashOf(2), parentHash: hashOf(1) } } });
    const unknown = await post(server.url, `{ datasets(block: { hash: "0x${"ab".repeat(32)}" }) { id } }`);
    expect(unknown).toEqual({ errors: [{ message: "Failed to decode `block.hash` value: `no block with that hash found`" }] });
  });

  it("answers number_gte at the latest block once it is indexed", async () => {
    const { data } = await post(server.url, "{ dataset(id: \"1\", block: { number_gte: 3 }) { versionCount } _meta(block: { number_gte: 2 }) { block { number hash } } }");
    expect(data).toEqual({ dataset: { versionCount: 3 }, _meta: { block: { number: 4, hash: hashOf(4) } } });
  });

  it("rejects blocks past the head with graph-node's message naming the latest indexed block, and returns no data", async () => {
    expect(await post(server.url, '{ datasets { id } later: datasets(block: { number: 5 }) { id } }')).toEqual({
      errors: [
        {
          message:
            "Failed to decode `block.number` value: `subgraph QmBlocksTest has only indexed up to block number 4 and data for block number 5 is therefore not yet available`",
        },
      ],
    });
    expect(await post(server.url, "{ datasets(block: { number_gte: 10 }) { id } }")).toEqual({
      errors: [
        {
          message:
            "Failed to decode `block.number_gte` value: `subgraph QmBlocksTest has only indexed up to block number 4 and data for block number 10 is therefore not yet available`",
        },
      ],
    });
    expect(await post(server.url, "{ datasets(block: { number: -1 }) { id } }")).toEqual({
      errors: [
        {
          message:
            "Failed to decode `block.number` value: `subgraph QmBlocksTest only has data starting at block number 0 and data for block number -1 is therefore not available`",
        },
      ],
    });
    expect(await post(server.url, "{ datasets(block: {}) { id } }")).toEqual({
      errors: [{ locations: [{ line: 0, column: 0 }], message: "Invalid value provided for argument `block`: Object({})" }],
    });
  });

  it("reports _meta for the latest block and for past blocks like graph-node (no hash when asked by number)", async () => {
    const { data } = await post(
      server.url,
      `{ latest: _meta { block { number hash timestamp parentHash __typename } deployment hasIndexingErrors __typename }
         past: _meta(block: { number: 2 }) { block { number hash timestamp parentHash } hasIndexingErrors } }`,
    );
    expect(data).toEqual({
      latest: {
        block: { number: 4, hash: hashOf(4), timestamp: TIMESTAMP(4), parentHash: hashOf(3), __typename: "_Block_" },
        deployment: DEPLOYMENT,
        hasIndexingErrors: false,
        __typename: "_Meta_",
      },
      past: { block: { number: 2, hash: null, timestamp: null, parentHash: null }, hasIndexingErrors: false },
    });
  });

  it("sends the latest indexed block in the graph-indexed header", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ datasets { id } }" }),
    });
    expect(JSON.parse(response.headers.get("graph-indexed")!)).toEqual({ hash: hashOf(4), number: 4, timestamp: TIMESTAMP(4) });
    expect(response.headers.get("graph-attestable")).toBe("true");
  });
});

describe("subgraphError and indexing errors", () => {
  it("denies data by default, allows it on request, keeps _meta, and leaves earlier blocks unaffected", async () => {
    await withServer(async (server, store) => {
      await store.setError({ message: "Mapping aborted at ~lib/mapping.ts", blockNumber: 5, blockHash: hashOf(5), handler: "handleAttested" });

      expect(await post(server.url, "{ datasets { id } }")).toEqual({ errors: [{ message: "indexing_error" }] });
      expect(await post(server.url, "{ datasets(subgraphError: allow) { id } }")).toEqual({
        data: { datasets: [{ id: "1" }, { id: "2" }] },
        errors: [{ message: "indexing_error" }],
      });
      // One denying field denies the whole block group.
      expect(await post(server.url, "{ a: datasets(subgraphError: allow) { id } b: accounts(first: 1) { id } }")).toEqual({
        errors: [{ message: "indexing_error" }],
      });
      expect(await post(server.url, "{ datasets { id } _meta { hasIndexingErrors } }")).toEqual({
        data: { _meta: { hasIndexingErrors: true } },
        errors: [{ message: "indexing_error" }],
      });
      // The failing block counts as indexed, with the data of the last good block; _meta alone carries no error.
      expect(await post(server.url, "{ _meta { hasIndexingErrors block { number hash parentHash } } }")).toEqual({
        data: { _meta: { hasIndexingErrors: true, block: { number: 5, hash: hashOf(5), parentHash: hashOf(4) } } },
      });
      expect(await post(server.url, "{ datasets(block: { number: 4 }) { id } }")).toEqual({ data: { datasets: [{ id: "1" }, { id: "2" }] } });
      expect(await post(server.url, "{ datasets(block: { number: 5 }, subgraphError: allow) { id } }")).toEqual({
        data: { datasets: [{ id: "1" }, { id: "2" }] },
        errors: [{ message: "indexing_error" }],
      });
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ datasets { id } }" }),
      });
      expect(response.headers.get("graph-attestable")).toBe("false");

      await store.setError(null);
      expect(await post(server.url, "{ datasets { id } _meta { hasIndexingErrors block { number } } }")).toEqual({
        data: { datasets: [{ id: "1" }, { id: "2" }], _meta: { hasIndexingErrors: false, block: { number: 4 } } },
      });
    });
  });

  it("says a deployment without blocks has not started syncing", async () => {
    await withServer(async (server) => {
      expect(await post(server.url, "{ datasets { id } }")).toEqual({
        errors: [
          {
            message:
              "Store error: query execution failed: Subgraph `QmBlocksTest` has not started syncing yet. Wait for it to ingest a few blocks before querying it",
          },
        ],
      });
    }, await openStore());
  });
});

describe("reverts and removals", () => {
  it("forgets reverted blocks: their data, their numbers and their hashes", async () => {
    await withServer(async (server, store) => {
      await store.revertTo(blockPtr(3));
      expect((await post(server.url, '{ dataset(id: "2") { withdrawn } }')).data).toEqual({ dataset: { withdrawn: false } });
      expect((await post(server.url, "{ datasets(block: { number: 4 }) { id } }")).errors[0].message).toContain(
        "has only indexed up to block number 3 and data for block number 4",
      );
      expect(await post(server.url, `{ datasets(block: { hash: "${hashOf(4)}" }) { id } }`)).toEqual({
        errors: [{ message: "Failed to decode `block.hash` value: `no block with that hash found`" }],
      });
    });
  });

  it("drops removed entities from later blocks but keeps them in earlier ones", async () => {
    await withServer(async (server, store) => {
      await store.commitBlock(blockPtr(5), [{ entityType: "DatasetVersion", id: "4", data: null }]);
      const { data } = await post(
        server.url,
        '{ now: datasetVersions { id } before: datasetVersions(block: { number: 4 }) { id } dataset(id: "1") { versions { id } } }',
      );
      expect(data).toEqual({
        now: [{ id: "1" }, { id: "2" }, { id: "3" }],
        before: [{ id: "1" }, { id: "2" }, { id: "3" }, { id: "4" }],
        dataset: { versions: [{ id: "1" }, { id: "2" }] },
      });
    });
  });
});
