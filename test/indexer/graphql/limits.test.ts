/**
 * Query limits under attack (issue 17, findings 1 and 12), over HTTP against a real PGlite store holding relation
 * cycles (accounts own datasets, datasets have an owner; dataset versions derive from each other):
 * - the "query of death" around `accounts → datasetsOwned → owner → …` answers with a result-size error under the
 *   default limits, quickly, while `_meta` queries keep answering;
 * - loading stops at `errorResultSize` bytes and at the deadline (nothing more starts), with one error and no data;
 * - depth, fields after fragment expansion (a fragment "bomb", thousands of aliases) and, when set, graph-node's
 *   complexity are refused before any store query;
 * - `first` / `skip` beyond their limits — also beyond GraphQL's Int — get graph-node's range error;
 * - the limits are read from graph-node's environment variables and validated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import { DEFAULT_QUERY_LIMITS, QueryLimitsError, queryLimitsFromEnv, resolveQueryLimits } from "../../../src/indexer/graphql/limits.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { BoundedCache } from "../../../src/indexer/graphql/bounded-cache.ts";
import { RESULT_CACHE_LIMITS } from "../../../src/indexer/graphql/execute.ts";
import { openStore, ownershipBlock, post, schema, slowStore } from "./fixtures.ts";

const ACCOUNTS = 2;
const DATASETS_PER_ACCOUNT = 20;
const VERSIONS_PER_DATASET = 3;

let store: Store;
let server: GraphQLServer;

beforeAll(async () => {
  store = await openStore();
  const { block, changes } = ownershipBlock(ACCOUNTS, DATASETS_PER_ACCOUNT, VERSIONS_PER_DATASET);
  await store.commitBlock(block, changes);
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmLimits" });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

/** `levels` hops of `datasetsOwned(first: 1000) { owner { … } }` below `accounts(first: 1000)`, as in the issue. */
function cycleQuery(levels: number): string {
  let inner = "id owner { id }";
  for (let i = 0; i < levels; i++) inner = `id owner { id datasetsOwned(first: 1000) { ${inner} } }`;
  return `{ accounts(first: 1000) { id datasetsOwned(first: 1000) { ${inner} } } }`;
}

/** A server on the same store with `limits` (and defaults for the rest). */
async function withLimits<T>(limits: Parameters<typeof resolveQueryLimits>[0], run: (server: GraphQLServer) => Promise<T>, over: Store = store): Promise<T> {
  const limited = await startGraphQLServer({ store: over, schema, subgraphName: "pedigree/lineage", deployment: "QmLimits", limits });
  try {
    return await run(limited);
  } finally {
    await limited.close();
  }
}

/** The single error of a request that answered without data. */
async function onlyError(url: string, query: string, variables?: Record<string, unknown>): Promise<string> {
  const body = await post(url, query, variables);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  return body.errors[0].message;
}

describe("the query of death (a relation cycle with first: 1000 at every level)", () => {
  it("answers with graph-node's result-size error under the default limits, while _meta keeps answering", async () => {
    const query = cycleQuery(3);
    expect(query.length).toBeLessThan(260);
    const started = performance.now();
    const attack = post(server.url, query);
    const metas = await Promise.all(Array.from({ length: 5 }, () => post(server.url, "{ _meta { block { number } } }")));
    const body = await attack;
    const seconds = (performance.now() - started) / 1000;
    expect(metas).toEqual(Array.from({ length: 5 }, () => ({ data: { _meta: { block: { number: 1 } } } })));
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toMatch(new RegExp(`^the result size of \\d+ is larger than the allowed limit of ${DEFAULT_QUERY_LIMITS.errorResultSize}$`));
    // A generous bound that proves the work is cut short (the whole answer would be tens of megabytes).
    expect(seconds).toBeLessThan(10);
  });

  it("measures the answer before building it: a smaller cycle within the limit answers in full", async () => {
    const { data, errors } = await post(server.url, cycleQuery(1));
    expect(errors).toBeUndefined();
    expect(data.accounts).toHaveLength(ACCOUNTS);
    expect(data.accounts[0].datasetsOwned).toHaveLength(DATASETS_PER_ACCOUNT);
    expect(data.accounts[0].datasetsOwned[0].owner.datasetsOwned).toHaveLength(DATASETS_PER_ACCOUNT);
  });

  it("stops loading once errorResultSize bytes are loaded: no further store query starts", async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: datasetVersions(first: 1000) { id uri }`).join(" ");
    const outcome = await withLimits({ errorResultSize: 64 * 1024 }, (limited) => limited.executor.execute({ query: `{ ${aliases} }` }));
    expect(outcome.body.data).toBeUndefined();
    expect(outcome.body.errors).toHaveLength(1);
    expect(outcome.body.errors![0]!.message).toMatch(/^the result size of \d+ is larger than the allowed limit of 65536$/);
    // Each alias loads 120 versions (~25 KB): the third store query crosses the limit and no other starts.
    expect(outcome.storeQueries).toBeLessThanOrEqual(3);
    expect(outcome.attestable).toBe(false);
  });
});

describe("the query deadline", () => {
  it("answers 'Query timed out' once the deadline passed and starts no store query after it", async () => {
    const slow = slowStore(store, 40);
    const body = await withLimits({ queryTimeoutMs: 100 }, (limited) => post(limited.url, cycleQuery(4)), slow.store);
    expect(body).toEqual({ errors: [{ message: "Query timed out" }] });
    const callsAtAnswer = slow.calls();
    // Only the store queries started before the deadline ran (each takes 40 ms, the deadline is 100 ms).
    expect(callsAtAnswer).toBeLessThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.calls()).toBe(callsAtAnswer);
  });
});

describe("the store queries of one request", () => {
  it("run up to 3 at once (the independent fields of a level), each answered as if alone", async () => {
    const slow = slowStore(store, 20);
    const fields = Array.from({ length: 5 }, (_, i) => `p${i}: datasets(first: 4, skip: ${4 * i}, orderBy: id) { id owner { id } }`);
    const query = `{ ${fields.join(" ")} }`;
    const body = await withLimits({}, (limited) => post(limited.url, query), slow.store);
    expect(body).toEqual(await post(server.url, query));
    expect(body.data.p4).toHaveLength(4);
    expect(slow.calls()).toBe(6); // 5 pages of datasets, then their owners in one query
    expect(slow.mostInFlight()).toBe(3);
  });

  it("run one at a time while another request loads too, so that neither queues more than its share", async () => {
    const slow = slowStore(store, 100);
    const query = `{ ${Array.from({ length: 5 }, (_, i) => `p${i}: datasets(first: 4, skip: ${4 * i}, orderBy: id) { id }`).join(" ")} }`;
    await withLimits({}, async (limited) => {
      const first = post(limited.url, query); // alone: its first 3 queries start at once
      await new Promise((resolve) => setTimeout(resolve, 30));
      const second = post(limited.url, query); // arrives while those run: one query at a time
      for (const body of await Promise.all([first, second])) expect(body.errors).toBeUndefined();
    }, slow.store);
    expect(slow.mostInFlight()).toBe(4);
  });
});

describe("other queries under load", () => {
  it("answer while a heavy query is still loading, even from a store that never returns to the event loop", async () => {
    // A store answering from memory after 2 ms of CPU work, without a turn of the event loop in between (like an
    // in-process database under load): only the server's own turns let another request in.
    const versions = await store.find({ entityType: "DatasetVersion", block: 1, first: 1000, skip: 0, orderDirection: "asc" });
    let calls = 0;
    const busy = new Proxy(store, {
      get(target, property, receiver) {
        if (property === "find") {
          return () => {
            calls++;
            const until = performance.now() + 2;
            while (performance.now() < until);
            return Promise.resolve(versions);
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: datasetVersions(first: 1000) { id uri }`).join(" ");
    let callsWhenMetaAnswered = -1;
    let heavyAnswered = false;
    await withLimits(
      { errorResultSize: 512 * 1024 * 1024 },
      async (limited) => {
        const heavy = post(limited.url, `{ ${aliases} }`).then((body) => {
          expect(body.errors).toBeUndefined();
          heavyAnswered = true;
        });
        while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        const meta = post(limited.url, "{ _meta { block { number } } }").then((body) => {
          expect(body.data._meta.block.number).toBe(1);
          expect(heavyAnswered).toBe(false);
          callsWhenMetaAnswered = calls;
        });
        await Promise.all([heavy, meta]);
      },
      busy,
    );
    // _meta was answered while the heavy query had most of its 300 store queries still to run.
    expect(callsWhenMetaAnswered).toBeGreaterThan(0);
    expect(callsWhenMetaAnswered).toBeLessThan(150);
    expect(calls).toBe(300);
  });
});

describe("limits checked before anything runs", () => {
  it("refuses queries deeper than maxDepth (default 64) with graph-node's message", async () => {
    let deep = "id";
    for (let i = 0; i < 70; i++) deep = `id parents(first: 1) { ${deep} }`;
    const outcome = await server.executor.execute({ query: `{ datasetVersions(first: 1) { ${deep} } }` });
    expect(outcome.body).toEqual({ errors: [{ message: "query has a depth that exceeds the limit of `64`" }] });
    expect(outcome.storeQueries).toBe(0);
    // Within the limit it runs.
    const shallow = await withLimits({ maxDepth: 10 }, (limited) => limited.executor.execute({ query: "{ datasetVersions(first: 1) { parents { id } } }" }));
    expect(shallow.body.errors).toBeUndefined();
  });

  it("refuses a fragment bomb (fragments spreading the next one twice) without expanding it", async () => {
    const levels = 16;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on DatasetVersion { id }`
        : `fragment F${i} on DatasetVersion { a: parents(first: 1) { ...F${i + 1} } b: parents(first: 1) { ...F${i + 1} } }`,
    );
    const query = `{ datasetVersions(first: 1) { ...F0 } } ${fragments.join(" ")}`;
    const outcome = await server.executor.execute({ query });
    expect(outcome.body.errors?.[0]?.message).toMatch(
      /^query selects `\d+` fields once its fragments are expanded and thereby exceeds the limit of `5000` fields\. Use fewer aliases or spread fragments fewer times$/,
    );
    expect(outcome.storeQueries).toBe(0);
  });

  it("refuses thousands of aliases beyond maxFields before any store query", async () => {
    const aliases = Array.from({ length: 3000 }, (_, i) => `a${i}: accounts { id }`).join(" ");
    const outcome = await server.executor.execute({ query: `{ ${aliases} }` });
    expect(outcome.body).toEqual({
      errors: [
        {
          message:
            "query selects `6000` fields once its fragments are expanded and thereby exceeds the limit of `5000` fields. Use fewer aliases or spread fragments fewer times",
        },
      ],
    });
    expect(outcome.storeQueries).toBe(0);
  });

  it("refuses a batch (a JSON array of queries) as graph-node does, running none of them", async () => {
    let finds = 0;
    const counting: Store = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key === "find") return (...args: Parameters<Store["find"]>) => (finds++, target.find(...args));
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const batch = JSON.stringify(Array.from({ length: 1000 }, () => ({ query: cycleQuery(3) })));
    await withLimits({}, async (limited) => {
      const response = await fetch(limited.url, { method: "POST", headers: { "content-type": "application/json" }, body: batch });
      // graph-node's server/http/src/request.rs: the request must be one JSON object.
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "Request data is not an object" });
      // The counter works: one query after the batch is one store query.
      expect((await post(limited.url, "{ accounts(first: 1) { id } }")).data.accounts).toHaveLength(1);
    }, counting);
    expect(finds).toBe(1);
  });

  it("applies graph-node's complexity limit when set, counting a variable's `first` by its value", async () => {
    const query = "query ($n: Int) { accounts(first: $n) { datasetsOwned(first: 1000) { id } } }";
    const message = (complexity: number) =>
      `query potentially returns \`${complexity}\` entities or more and thereby exceeds the limit of \`100000\` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using \`first\` to return smaller collections`;
    await withLimits({ maxComplexity: 100_000 }, async (limited) => {
      expect(await onlyError(limited.url, query, { n: 1000 })).toBe(message(1000 + 1000 * 1000));
      // Without `first`, graph-node counts 100 per collection: 100 + 100 × 10 is within the limit.
      const { errors } = await post(limited.url, "{ accounts { datasetsOwned(first: 10) { id } } }");
      expect(errors).toBeUndefined();
    });
  });
});

describe("first and skip", () => {
  it("refuses skip beyond maxSkip (default 5000) and beyond GraphQL's Int with graph-node's range error", async () => {
    const error = (skip: number) => `The \`skip\` argument must be between 0 and 5000, but is ${skip}`;
    expect(await onlyError(server.url, "{ datasets(skip: 5001) { id } }")).toBe(error(5001));
    expect(await onlyError(server.url, "{ datasets(skip: 3000000000) { id } }")).toBe(error(3000000000));
    expect(await onlyError(server.url, "{ datasets(skip: 4294967296) { id } }")).toBe(error(4294967296));
    expect(await onlyError(server.url, "{ accounts { datasetsOwned(first: 99999999999) { id } } }")).toBe(
      "The `first` argument must be between 0 and 1000, but is 99999999999",
    );
    // Through a variable of type Int, a value beyond Int is named as sent (graph-node prints it wrapped to 32 bits).
    expect(await onlyError(server.url, "query ($skip: Int) { datasets(skip: $skip) { id } }", { skip: 3000000000 })).toBe(
      "Invalid value provided for argument `skip`: Int(Number(3000000000))",
    );
    const { data } = await post(server.url, "{ datasets(skip: 5000) { id } }");
    expect(data.datasets).toEqual([]);
  });

  it("follows maxFirst and maxSkip when configured", async () => {
    await withLimits({ maxFirst: 10, maxSkip: 2 }, async (limited) => {
      expect(await onlyError(limited.url, "{ datasets(first: 11) { id } }")).toBe("The `first` argument must be between 0 and 10, but is 11");
      expect(await onlyError(limited.url, "{ datasets(first: 5, skip: 3) { id } }")).toBe("The `skip` argument must be between 0 and 2, but is 3");
      // Like graph-node, a collection without `first` asks for 100.
      expect(await onlyError(limited.url, "{ datasets { id } }")).toBe("The `first` argument must be between 0 and 10, but is 100");
      expect((await post(limited.url, "{ datasets(first: 10, skip: 2) { id } }")).data.datasets).toHaveLength(10);
    });
  });
});

describe("settings", () => {
  it("reads graph-node's environment variables (timeout in seconds, _ as digit separator)", () => {
    expect(
      queryLimitsFromEnv({
        GRAPH_GRAPHQL_MAX_COMPLEXITY: "1_000_000",
        GRAPH_GRAPHQL_MAX_DEPTH: "32",
        GRAPH_GRAPHQL_MAX_FIRST: "500",
        GRAPH_GRAPHQL_MAX_SKIP: "0",
        GRAPH_GRAPHQL_MAX_FIELDS: "800",
        GRAPH_GRAPHQL_QUERY_TIMEOUT: "2.5",
        GRAPH_GRAPHQL_ERROR_RESULT_SIZE: "1048576",
        UNRELATED: "1",
      }),
    ).toEqual({ maxComplexity: 1_000_000, maxDepth: 32, maxFirst: 500, maxSkip: 0, maxFields: 800, queryTimeoutMs: 2500, errorResultSize: 1_048_576 });
    expect(queryLimitsFromEnv({ GRAPH_GRAPHQL_MAX_DEPTH: "" })).toEqual({});
    expect(() => queryLimitsFromEnv({ GRAPH_GRAPHQL_MAX_DEPTH: "deep" })).toThrow('GRAPH_GRAPHQL_MAX_DEPTH must be a number, not "deep"');
  });

  it("refuses unusable values with a message naming the setting and its range", () => {
    expect(resolveQueryLimits({})).toEqual(DEFAULT_QUERY_LIMITS);
    expect(() => resolveQueryLimits({ maxDepth: 300 })).toThrow(new QueryLimitsError("maxDepth must be a whole number from 1 to 255, not 300", "maxDepth"));
    expect(() => resolveQueryLimits({ queryTimeoutMs: 0 })).toThrow("queryTimeoutMs must be a whole number from 1 to 2147483647, not 0");
    expect(() => resolveQueryLimits({ maxFields: 1.5 })).toThrow("maxFields must be a whole number from 1 to");
  });
});

describe("caches", () => {
  it("keep within their entry and byte bounds, least recently used out first, oversized entries never in", () => {
    const cache = new BoundedCache<string, number>({ entries: 3, bytes: 100, maxEntryBytes: 60 });
    cache.set("a", 1, 40);
    cache.set("b", 2, 40);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3, 40); // 120 bytes: "b", the least recently used, goes
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
    expect(cache.totalBytes).toBe(80);
    cache.set("huge", 4, 61);
    expect(cache.get("huge")).toBeUndefined();
    for (const key of ["d", "e", "f", "g"]) cache.set(key, 0, 1);
    expect(cache.size).toBe(3);
    expect(RESULT_CACHE_LIMITS.maxEntryBytes * 16).toBe(RESULT_CACHE_LIMITS.bytes);
  });
});
