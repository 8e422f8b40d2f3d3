/**
 * Entity queries over HTTP against the real PGlite store: every filter suffix class, nested filters, and/or, ordering
 * (incl. parent__child), pagination and its limits, references, lists and @derivedFrom fields with their arguments,
 * GraphQL language features, and graph-node's error messages.
 */
import { GraphQLClient } from "graphql-request";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { ALICE, BOB, CAROL, lineageStore, post, schema } from "./fixtures.ts";

let store: Store;
let server: GraphQLServer;

beforeAll(async () => {
  store = await lineageStore();
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmQueryTest" });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

/** Ids of the entities a collection query returns. */
async function ids(query: string, variables?: Record<string, unknown>): Promise<string[]> {
  const result = await post(server.url, query, variables);
  expect(result.errors).toBeUndefined();
  const [list] = Object.values(result.data) as { id: string }[][];
  return list!.map((entity) => entity.id);
}

/** The single error message of a failed query (and that graph-node returned no data). */
async function errorOf(query: string, variables?: Record<string, unknown>): Promise<string> {
  const result = await post(server.url, query, variables);
  expect(result.data).toBeUndefined();
  expect(result.errors).toHaveLength(1);
  return result.errors[0].message;
}

const versions = (where: string, extra = "") => ids(`{ datasetVersions(where: ${where}${extra}) { id } }`);

describe("scalar filters", () => {
  it("compares Int and BigInt fields with equality, _not, _gt, _lt, _gte, _lte", async () => {
    expect(await versions("{ number: 1 }")).toEqual(["1", "3"]);
    expect(await versions("{ number_not: 1 }")).toEqual(["2", "4"]);
    expect(await versions("{ number_gt: 1 }")).toEqual(["2", "4"]);
    expect(await versions("{ number_lt: 2 }")).toEqual(["1", "3"]);
    expect(await versions("{ number_gte: 2 }")).toEqual(["2", "4"]);
    expect(await versions("{ number_lte: 2 }")).toEqual(["1", "2", "3"]);
    expect(await versions('{ versionId_gt: "2" }')).toEqual(["3", "4"]);
    // BigInt accepts Int literals too (graph-node coerces them to strings).
    expect(await versions("{ versionId_lte: 2 }")).toEqual(["1", "2"]);
  });

  it("filters ID, BigInt and enum fields with _in and _not_in", async () => {
    expect(await versions('{ id_in: ["4", "2", "9"] }')).toEqual(["2", "4"]);
    expect(await versions('{ id_not_in: ["1", "2"] }')).toEqual(["3", "4"]);
    expect(await versions('{ versionId_in: ["1", "4"] }')).toEqual(["1", "4"]);
    expect(await ids("{ attestations(where: { subjectType_in: [Licence, ModelVersion] }) { id } }")).toEqual(["3", "4"]);
    expect(await ids("{ attestations(where: { subjectType_not_in: [Licence] }) { id } }")).toEqual(["1", "2", "4"]);
    expect(await ids("{ attestations(where: { subjectType: DatasetVersion }) { id } }")).toEqual(["1", "2"]);
    expect(await ids("{ attestations(where: { subjectType_not: DatasetVersion }) { id } }")).toEqual(["3", "4"]);
    // graph-node also accepts enum values as strings.
    expect(await ids('{ attestations(where: { subjectType: "Licence" }) { id } }')).toEqual(["3"]);
  });

  it("supports every String suffix, with and without _nocase", async () => {
    expect(await versions('{ uri: "ar://gamma" }')).toEqual(["3"]);
    expect(await versions('{ uri_contains: "a" }')).toEqual(["1", "2", "3", "4"]);
    expect(await versions('{ uri_contains: "alpha" }')).toEqual([]);
    expect(await versions('{ uri_contains_nocase: "alpha" }')).toEqual(["1"]);
    expect(await versions('{ uri_not_contains: "ipfs" }')).toEqual(["3"]);
    expect(await versions('{ uri_not_contains_nocase: "ALPHA" }')).toEqual(["2", "3", "4"]);
    expect(await versions('{ uri_starts_with: "ipfs://" }')).toEqual(["1", "2", "4"]);
    expect(await versions('{ uri_starts_with_nocase: "IPFS://A" }')).toEqual(["1"]);
    expect(await versions('{ uri_not_starts_with: "ipfs://" }')).toEqual(["3"]);
    expect(await versions('{ uri_not_starts_with_nocase: "IPFS://" }')).toEqual(["3"]);
    expect(await versions('{ uri_ends_with: "a" }')).toEqual(["1", "3", "4"]);
    expect(await versions('{ uri_ends_with_nocase: "V2" }')).toEqual(["2"]);
    expect(await versions('{ uri_not_ends_with: "a" }')).toEqual(["2"]);
    expect(await versions('{ uri_not_ends_with_nocase: "A" }')).toEqual(["2"]);
    expect(await versions('{ uri_gt: "ipfs://beta" }')).toEqual(["2", "4"]);
    expect(await versions('{ uri_in: ["ar://gamma", "ipfs://delta"] }')).toEqual(["3", "4"]);
    // The value is a LIKE pattern, as in graph-node: % and _ are wildcards.
    expect(await versions('{ uri_contains: "%" }')).toEqual(["1", "2", "3", "4"]);
    expect(await versions('{ uri_contains: "ipfs://_e" }')).toEqual(["2", "4"]);
  });

  it("filters Bytes by value (any hex case), _in, ordering comparisons and byte substrings", async () => {
    expect(await versions('{ fingerprint: "0xF2" }')).toEqual(["2"]);
    expect(await versions('{ fingerprint_not: "0xf2" }')).toEqual(["1", "3", "4"]);
    expect(await versions('{ fingerprint_in: ["0xf1", "0xf4"] }')).toEqual(["1", "4"]);
    expect(await versions('{ fingerprint_gt: "0xf2" }')).toEqual(["3", "4"]);
    expect(await ids('{ datasets(where: { createdTx_contains: "0x02" }) { id } }')).toEqual(["2"]);
    expect(await ids('{ datasets(where: { createdTx_contains: "0xAA" }) { id } }')).toEqual(["1", "2"]);
    expect(await ids('{ datasets(where: { createdTx_not_contains: "0x02" }) { id } }')).toEqual(["1"]);
  });

  it("filters Booleans and null values", async () => {
    expect(await ids("{ datasets(where: { withdrawn: true }) { id } }")).toEqual(["2"]);
    expect(await ids("{ datasets(where: { withdrawn_not: true }) { id } }")).toEqual(["1"]);
    expect(await ids("{ datasets(where: { withdrawn_in: [true, false] }) { id } }")).toEqual(["1", "2"]);
    expect(await ids("{ datasets(where: { withdrawnAt: null }) { id } }")).toEqual(["1"]);
    expect(await ids("{ datasets(where: { withdrawnAt_not: null }) { id } }")).toEqual(["2"]);
  });
});

describe("reference and list filters", () => {
  it("filters references by the target's id, including Bytes ids given as hex strings", async () => {
    expect(await versions('{ dataset: "2" }')).toEqual(["3"]);
    expect(await versions('{ dataset_in: ["1"] }')).toEqual(["1", "2", "4"]);
    expect(await versions('{ dataset_not: "1" }')).toEqual(["3"]);
    expect(await versions(`{ publisher: "${BOB}" }`)).toEqual(["3"]);
    expect(await versions(`{ publisher_in: ["${BOB.toUpperCase().replace("0X", "0x")}"] }`)).toEqual(["3"]);
    expect(await ids(`{ attestations(where: { submitter_not: "${CAROL}" }) { id } }`)).toEqual(["4"]);
  });

  it("filters lists with equality, _not, _contains, _contains_nocase, _not_contains and _not_contains_nocase", async () => {
    expect(await versions('{ parents: ["1"] }')).toEqual(["2", "3"]);
    expect(await versions("{ parents: [] }")).toEqual(["1"]);
    expect(await versions("{ parents_not: [] }")).toEqual(["2", "3", "4"]);
    expect(await versions('{ parents_contains: ["1"] }')).toEqual(["2", "3"]);
    expect(await versions('{ parents_not_contains: ["1"] }')).toEqual(["1", "4"]);
    expect(await ids('{ trainingRuns(where: { datasetVersions_contains: ["1", "3"] }) { id } }')).toEqual(["1"]);
    expect(await ids('{ trainingRuns(where: { datasetVersions_contains: ["1", "4"] }) { id } }')).toEqual([]);
    expect(await ids("{ models(where: { requiredKindIds_contains: [1] }) { id } }")).toEqual(["1"]);
    expect(await ids("{ models(where: { requiredKindIds_not_contains: [5] }) { id } }")).toEqual(["1"]);
  });

  it("applies nested filters through references, lists of references and @derivedFrom fields", async () => {
    expect(await versions(`{ dataset_: { creator: "${BOB}" } }`)).toEqual(["3"]);
    expect(await versions("{ dataset_: { withdrawn: false, versionCount_gte: 3 } }")).toEqual(["1", "2", "4"]);
    expect(await ids("{ datasets(where: { versions_: { number_gte: 3 } }) { id } }")).toEqual(["1"]);
    expect(await ids('{ trainingRuns(where: { datasetVersions_: { uri_starts_with: "ar://" } }) { id } }')).toEqual(["1"]);
    expect(await ids("{ trainingRuns(where: { datasetVersions_: { number_gt: 5 } }) { id } }")).toEqual([]);
    // graph-node refuses a child filter inside another (store/postgres/src/relational_queries.rs, ColumnQual::Child).
    expect(await errorOf("{ attestations(where: { datasetVersion_: { dataset_: { withdrawn: true } } }) { id } }")).toBe(
      "Child filter nesting not supported by value `dataset`: `join on dataset with Dataset(withdrawn = true)`",
    );
  });

  it("combines conditions with and / or, and rejects column filters next to or with graph-node's message", async () => {
    expect(await versions('{ or: [{ number: 3 }, { uri: "ar://gamma" }] }')).toEqual(["3", "4"]);
    expect(await versions('{ and: [{ number_gte: 2 }, { uri_starts_with: "ipfs" }] }')).toEqual(["2", "4"]);
    expect(await versions('{ or: [{ and: [{ number: 1 }, { dataset: "1" }] }, { number: 3 }] }')).toEqual(["1", "4"]);
    expect(await errorOf('{ datasetVersions(where: { number: 1, or: [{ uri: "x" }] }) { id } }')).toBe(
      "Cannot mix column filters with 'or' operator at the same level. Found column filter(s) 'number' alongside 'or' operator.\n\n" +
        "Instead of:\nwhere: { 'number', or: [...] }\n\nUse:\nwhere: { or: [{ 'number', ... }, { 'number', ... }] }",
    );
  });

  it("filters by the block an entity version was written at (_change_block)", async () => {
    expect(await ids("{ datasets(where: { _change_block: { number_gte: 4 } }) { id } }")).toEqual(["2"]);
    expect(await ids("{ datasets(where: { _change_block: { number_gte: 3 } }) { id } }")).toEqual(["1", "2"]);
    expect(await versions("{ _change_block: { number_gte: 2 } }")).toEqual(["4"]);
  });
});

describe("ordering and pagination", () => {
  it("orders by id by default, by any scalar field in either direction, ties broken by id", async () => {
    expect(await ids("{ datasetVersions { id } }")).toEqual(["1", "2", "3", "4"]);
    expect(await ids("{ datasetVersions(orderBy: id, orderDirection: desc) { id } }")).toEqual(["4", "3", "2", "1"]);
    expect(await ids("{ datasetVersions(orderBy: number) { id } }")).toEqual(["1", "3", "2", "4"]);
    expect(await ids("{ datasetVersions(orderBy: number, orderDirection: desc) { id } }")).toEqual(["4", "2", "3", "1"]);
    expect(await ids("{ datasetVersions(orderBy: uri) { id } }")).toEqual(["3", "1", "2", "4"]);
    expect(await ids("{ datasetVersions(orderBy: fingerprint, orderDirection: desc) { id } }")).toEqual(["4", "3", "2", "1"]);
  });

  it("orders by a field of a referenced entity (parent__child)", async () => {
    expect(await ids("{ datasetVersions(orderBy: dataset__datasetId, orderDirection: desc) { id } }")).toEqual(["3", "4", "2", "1"]);
    expect(await ids("{ datasetVersions(orderBy: dataset__withdrawn) { id } }")).toEqual(["1", "2", "4", "3"]);
    expect(await ids("{ attestations(orderBy: kind__name) { id } }")).toEqual(["2", "3", "1", "4"]);
  });

  it("rejects ordering by lists, derived fields and references like graph-node does", async () => {
    expect(await errorOf("{ datasets(orderBy: versions) { id } }")).toBe("Ordering by `versions` is not supported for type `Dataset`");
    expect(await errorOf("{ datasetVersions(orderBy: parents) { id } }")).toBe(
      "Ordering by `parents` is not supported for type `DatasetVersion`",
    );
    expect(await errorOf("{ datasetVersions(orderBy: dataset) { id } }")).toBe(
      "Ordering by `dataset` is not supported for type `DatasetVersion`",
    );
    // graph-node coerces strings to enum values, so a quoted field name orders too; an unknown one is rejected.
    expect(await ids('{ datasetVersions(orderBy: "number") { id } }')).toEqual(["1", "3", "2", "4"]);
    expect(await errorOf('{ datasetVersions(orderBy: "size") { id } }')).toBe('Invalid value provided for argument `orderBy`: String("size")');
  });

  it("pages with first and skip, and enforces graph-node's limits and messages", async () => {
    expect(await ids("{ datasetVersions(first: 2) { id } }")).toEqual(["1", "2"]);
    expect(await ids("{ datasetVersions(first: 2, skip: 2) { id } }")).toEqual(["3", "4"]);
    expect(await ids("{ datasetVersions(skip: 3) { id } }")).toEqual(["4"]);
    expect(await ids("{ datasetVersions(first: 1000, skip: 10) { id } }")).toEqual([]);
    expect(await errorOf("{ datasetVersions(first: 1001) { id } }")).toBe("The `first` argument must be between 0 and 1000, but is 1001");
    expect(await errorOf("{ datasetVersions(first: 0) { id } }")).toBe("The `first` argument must be between 0 and 1000, but is 0");
    expect(await errorOf("{ datasetVersions(first: -5) { id } }")).toBe("The `first` argument must be between 0 and 1000, but is -5");
    // The default maxSkip is 5000 (graph-node's default is 4294967295; see limits.ts).
    expect(await errorOf("{ datasetVersions(skip: -1) { id } }")).toBe("The `skip` argument must be between 0 and 5000, but is -1");
    // Nested collections are checked too.
    expect(await errorOf('{ dataset(id: "1") { versions(first: 5000) { id } } }')).toBe(
      "The `first` argument must be between 0 and 1000, but is 5000",
    );
  });
});

describe("references, lists and derived fields", () => {
  it("resolves single references, references to Bytes-id entities and null references", async () => {
    const { data } = await post(
      server.url,
      '{ modelVersion(id: "1") { model { id modelId } publisher { id } parent { id } approval { id } trainingRun { id } } }',
    );
    expect(data.modelVersion).toEqual({
      model: { id: "1", modelId: "1" },
      publisher: { id: BOB },
      parent: null,
      approval: null,
      trainingRun: { id: "1" },
    });
  });

  it("returns lists of references in the store's order (by id), not the stored list's order", async () => {
    const { data } = await post(server.url, '{ trainingRun(id: "1") { datasetVersions { id } licences { id amount } } }');
    expect(data.trainingRun.datasetVersions).toEqual([{ id: "1" }, { id: "2" }, { id: "3" }]);
    expect(data.trainingRun.licences).toEqual([
      { id: "1", amount: "1000" },
      { id: "2", amount: "250" },
    ]);
  });

  it("applies where, orderBy, orderDirection, first and skip to list and derived fields, per parent", async () => {
    const { data } = await post(
      server.url,
      `{ datasets {
          id
          newest: versions(first: 1, orderBy: number, orderDirection: desc) { id number }
          rest: versions(skip: 1, orderBy: number) { id }
          ipfs: versions(where: { uri_starts_with: "ipfs" }) { id }
        }
        trainingRun(id: "1") { datasetVersions(where: { dataset: "1" }, orderBy: number, orderDirection: desc, first: 1) { id } } }`,
    );
    expect(data.datasets).toEqual([
      { id: "1", newest: [{ id: "4", number: 3 }], rest: [{ id: "2" }, { id: "4" }], ipfs: [{ id: "1" }, { id: "2" }, { id: "4" }] },
      { id: "2", newest: [{ id: "3", number: 1 }], rest: [], ipfs: [] },
    ]);
    expect(data.trainingRun.datasetVersions).toEqual([{ id: "2" }]);
  });

  it("resolves @derivedFrom fields backed by a single reference and by a list", async () => {
    const { data } = await post(
      server.url,
      `{ datasetVersions(orderBy: id) { id children { id } attestations(where: { revoked: false }) { id } trainingUses { id } } }`,
    );
    expect(data.datasetVersions).toEqual([
      { id: "1", children: [{ id: "2" }, { id: "3" }], attestations: [{ id: "1" }], trainingUses: [{ id: "1-0" }] },
      { id: "2", children: [{ id: "4" }], attestations: [], trainingUses: [{ id: "1-1" }] },
      { id: "3", children: [], attestations: [], trainingUses: [{ id: "1-2" }] },
      { id: "4", children: [], attestations: [], trainingUses: [] },
    ]);
    const account = await post(server.url, `{ account(id: "${ALICE}") { datasetsCreated { id } datasetsOwned { id } } }`);
    // Dataset 1 changed owner to BOB at block 3.
    expect(account.data.account).toEqual({ datasetsCreated: [{ id: "1" }], datasetsOwned: [] });
  });

  it("reports a dangling non-null reference as graph-node does: an error with its location, and no data", async () => {
    const result = await post(server.url, "{ decisionBatches {\n  id\n  version { id }\n} }");
    expect(result).toEqual({ errors: [{ locations: [{ line: 3, column: 3 }], message: "Null value resolved for non-null field `version`" }] });
  });

  it("looks up entities with Bytes ids by any hex spelling and returns null for missing ids", async () => {
    const { data } = await post(
      server.url,
      `{ a: account(id: "${ALICE.replace("a11ce", "A11CE")}") { id } b: account(id: "0x01") { id } c: dataset(id: "42") { id } d: decisionBatch(id: "0xDB01") { id uri } }`,
    );
    expect(data).toEqual({ a: { id: ALICE }, b: null, c: null, d: { id: "0xdb01", uri: "ipfs://decisions" } });
    expect(await errorOf('{ account(id: "0x123") { id } }')).toBe("Failed to decode `Bytes` value: `Odd number of digits`");
  });
});

describe("GraphQL language", () => {
  it("supports variables, aliases, fragments, inline fragments, __typename, @skip and @include", async () => {
    const result = await post(
      server.url,
      `query Versions($first: Int!, $where: DatasetVersion_filter, $withDataset: Boolean!) {
        __typename
        list: datasetVersions(first: $first, where: $where) {
          ...Parts
          ... on DatasetVersion { number }
          dataset @include(if: $withDataset) { id }
          uri @skip(if: true)
        }
      }
      fragment Parts on DatasetVersion { __typename id }`,
      { first: 2, where: { number: 1 }, withDataset: true },
    );
    expect(result).toEqual({
      data: {
        __typename: "Query",
        list: [
          { __typename: "DatasetVersion", id: "1", number: 1, dataset: { id: "1" } },
          { __typename: "DatasetVersion", id: "3", number: 1, dataset: { id: "2" } },
        ],
      },
    });
  });

  it("works with graphql-request, a common client", async () => {
    const client = new GraphQLClient(server.url);
    const data = await client.request<{ datasets: { id: string; creator: { id: string } }[] }>(
      "query ($creator: String!) { datasets(where: { creator: $creator }) { id creator { id } } }",
      { creator: ALICE },
    );
    expect(data.datasets).toEqual([{ id: "1", creator: { id: ALICE } }]);
  });

  it("reports graph-node's errors for unknown fields, bad arguments, variables and operations", async () => {
    expect(await post(server.url, "{\n  datasets { id nope }\n}")).toEqual({
      errors: [{ locations: [{ line: 2, column: 17 }], message: "Type `Dataset` has no field `nope`" }],
    });
    expect(await errorOf('{ datasets(first: "ten") { id } }')).toBe('Invalid value provided for argument `first`: String("ten")');
    expect(await errorOf("{ datasets(where: { nope: 1 }) { id } }")).toBe(
      'Invalid value provided for argument `where`: Object({"nope": Int(Number(1))})',
    );
    expect(await errorOf("{ dataset { id } }")).toBe("No value provided for required argument: `id`");
    expect(await errorOf("query ($id: ID!) { dataset(id: $id) { id } }")).toBe("No value provided for required variable `id`");
    expect(await errorOf("query A { datasets { id } } query B { accounts { id } }")).toBe("Operation name required");
    expect(await errorOf("mutation { datasets { id } }")).toBe("Not supported: Mutations are not supported");
    expect(await errorOf("{ ...Missing }")).toBe("fragment `Missing` is not defined");
    const parse = await post(server.url, "{ datasets { id }");
    expect(parse.data).toBeUndefined();
    expect(parse.errors[0].locations).toEqual([{ line: 1, column: 18 }]);
  });

  it("ignores unknown arguments and leaves out object fields without a selection, like graph-node", async () => {
    const { data, errors } = await post(server.url, '{ datasets(nope: 1, where: { id: "1" }) { id creator } }');
    expect(errors).toBeUndefined();
    expect(data).toEqual({ datasets: [{ id: "1" }] });
  });
});
