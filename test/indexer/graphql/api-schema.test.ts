/**
 * The generated API schema, read back over HTTP through introspection like a client would, against graph-node's
 * conventions (graph/src/schema/api.rs and its tests; Inflector's pluralisation for query field names).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiSchemaError, buildApiSchema } from "../../../src/indexer/graphql/api-schema.ts";
import { camelCasedNames } from "../../../src/indexer/graphql/naming.ts";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { lineageStore, post, schema } from "./fixtures.ts";

let store: Store;
let server: GraphQLServer;

beforeAll(async () => {
  store = await lineageStore();
  server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmApiSchemaTest" });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
const TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

/** `[Foo!]!` notation of an introspected type. */
function show(type: TypeRef): string {
  if (type.kind === "NON_NULL") return `${show(type.ofType!)}!`;
  if (type.kind === "LIST") return `[${show(type.ofType!)}]`;
  return type.name!;
}

async function introspectType(name: string) {
  const { data } = await post(
    server.url,
    `query ($name: String!) { __type(name: $name) {
      name kind
      fields { name type { ${TYPE_REF} } args { name defaultValue type { ${TYPE_REF} } } }
      inputFields { name type { ${TYPE_REF} } }
      enumValues { name }
    } }`,
    { name },
  );
  return data.__type;
}

describe("query field names", () => {
  it("follows graph-node's camelCase and Inflector pluralisation, with _collection when they coincide", async () => {
    const query = await introspectType("Query");
    const names: string[] = query.fields.map((f: { name: string }) => f.name);
    for (const expected of [
      "account",
      "accounts",
      "dataset",
      "datasets",
      "datasetVersion",
      "datasetVersions",
      "licenceTerms",
      "licenceTerms_collection",
      "trainingRun",
      "trainingRuns",
      "trainingDatasetUse",
      "trainingDatasetUses",
      "decisionBatch",
      "decisionBatches",
      "provenanceEvent",
      "provenanceEvents",
      "royaltyBalances",
      "_meta",
    ]) {
      expect(names).toContain(expected);
    }
    // Entity fields come in pairs per type in schema order, then _meta.
    expect(names.slice(0, 6)).toEqual(["account", "accounts", "roleMembership", "roleMemberships", "dataset", "datasets"]);
    expect(names[names.length - 1]).toBe("_meta");
  });

  it("ports Inflector's rules (uncountables, suffix rules, case sensitivity, separators)", () => {
    expect(camelCasedNames("DatasetVersion")).toEqual(["datasetVersion", "datasetVersions"]);
    expect(camelCasedNames("Series")).toEqual(["series", "series_collection"]);
    expect(camelCasedNames("Box")).toEqual(["box", "boxes"]);
    expect(camelCasedNames("Status")).toEqual(["status", "statuses"]);
    expect(camelCasedNames("Category")).toEqual(["category", "categories"]);
    expect(camelCasedNames("knife")).toEqual(["knife", "knives"]);
    // Inflector's rules are case-sensitive and see the whole type name.
    expect(camelCasedNames("Knife")).toEqual(["knife", "knifes"]);
    // Inflector's rule `(\w*(pe)(?:rson|ople))$ => "ople"` keeps the whole match, so graph-node really says this:
    expect(camelCasedNames("person")).toEqual(["person", "personople"]);
    expect(camelCasedNames("Person")).toEqual(["person", "persons"]);
    expect(camelCasedNames("ERC20Token")).toEqual(["erc20Token", "erc20Tokens"]);
    expect(camelCasedNames("Token_Transfer")).toEqual(["tokenTransfer", "tokenTransfers"]);
  });
});

describe("root fields", () => {
  it("declares the collection field's arguments, types and defaults like graph-node", async () => {
    const query = await introspectType("Query");
    const datasets = query.fields.find((f: { name: string }) => f.name === "datasets");
    expect(show(datasets.type)).toBe("[Dataset!]!");
    expect(datasets.args.map((a: { name: string; type: TypeRef; defaultValue: string | null }) => [a.name, show(a.type), a.defaultValue])).toEqual([
      ["skip", "Int", "0"],
      ["first", "Int", "100"],
      ["orderBy", "Dataset_orderBy", null],
      ["orderDirection", "OrderDirection", null],
      ["where", "Dataset_filter", null],
      ["block", "Block_height", null],
      ["subgraphError", "_SubgraphErrorPolicy_!", "deny"],
    ]);
  });

  it("declares the single-entity field with id, block and subgraphError", async () => {
    const query = await introspectType("Query");
    const dataset = query.fields.find((f: { name: string }) => f.name === "dataset");
    expect(show(dataset.type)).toBe("Dataset");
    expect(dataset.args.map((a: { name: string; type: TypeRef }) => [a.name, show(a.type)])).toEqual([
      ["id", "ID!"],
      ["block", "Block_height"],
      ["subgraphError", "_SubgraphErrorPolicy_!"],
    ]);
    const meta = query.fields.find((f: { name: string }) => f.name === "_meta");
    expect(show(meta.type)).toBe("_Meta_");
    expect(meta.args.map((a: { name: string; type: TypeRef }) => [a.name, show(a.type)])).toEqual([["block", "Block_height"]]);
  });
});

describe("entity types", () => {
  it("gives entity list fields (derived or not) collection arguments, and none to scalar lists", async () => {
    const dataset = await introspectType("Dataset");
    const versions = dataset.fields.find((f: { name: string }) => f.name === "versions");
    expect(show(versions.type)).toBe("[DatasetVersion!]!");
    expect(versions.args.map((a: { name: string; type: TypeRef; defaultValue: string | null }) => [a.name, show(a.type), a.defaultValue])).toEqual([
      ["skip", "Int", "0"],
      ["first", "Int", "100"],
      ["orderBy", "DatasetVersion_orderBy", null],
      ["orderDirection", "OrderDirection", null],
      ["where", "DatasetVersion_filter", null],
    ]);
    const run = await introspectType("TrainingRun");
    const datasetVersions = run.fields.find((f: { name: string }) => f.name === "datasetVersions");
    expect(datasetVersions.args.map((a: { name: string }) => a.name)).toEqual(["skip", "first", "orderBy", "orderDirection", "where"]);
    const model = await introspectType("Model");
    const kinds = model.fields.find((f: { name: string }) => f.name === "requiredKindIds");
    expect(show(kinds.type)).toBe("[Int!]!");
    expect(kinds.args).toEqual([]);
    const creator = dataset.fields.find((f: { name: string }) => f.name === "creator");
    expect(show(creator.type)).toBe("Account!");
    expect(creator.args).toEqual([]);
  });
});

describe("filter input types", () => {
  it("generates every suffix graph-node generates for Dataset_filter, in graph-node's order", async () => {
    const filter = await introspectType("Dataset_filter");
    const fields: [string, string][] = filter.inputFields.map((f: { name: string; type: TypeRef }) => [f.name, show(f.type)]);
    const numeric = (name: string, type: string): [string, string][] =>
      ["", "_not", "_gt", "_lt", "_gte", "_lte"].map((s) => [`${name}${s}`, type] as [string, string]).concat([
        [`${name}_in`, `[${type}!]`],
        [`${name}_not_in`, `[${type}!]`],
      ]);
    const text = (name: string): [string, string][] => [
      ...numeric(name, "String"),
      ...[
        "contains",
        "contains_nocase",
        "not_contains",
        "not_contains_nocase",
        "starts_with",
        "starts_with_nocase",
        "not_starts_with",
        "not_starts_with_nocase",
        "ends_with",
        "ends_with_nocase",
        "not_ends_with",
        "not_ends_with_nocase",
      ].map((s) => [`${name}_${s}`, "String"] as [string, string]),
    ];
    expect(fields).toEqual([
      ...numeric("id", "ID"),
      ...numeric("datasetId", "BigInt"),
      // A reference to an entity with a Bytes id filters as String (graph-node's id_type_as_scalar), plus `creator_`.
      ...text("creator"),
      ["creator_", "Account_filter"],
      ...text("owner"),
      ["owner_", "Account_filter"],
      ["withdrawn", "Boolean"],
      ["withdrawn_not", "Boolean"],
      ["withdrawn_in", "[Boolean!]"],
      ["withdrawn_not_in", "[Boolean!]"],
      ...numeric("withdrawnAt", "BigInt"),
      ...text("withdrawalReason"),
      ["consentRevoked", "Boolean"],
      ["consentRevoked_not", "Boolean"],
      ["consentRevoked_in", "[Boolean!]"],
      ["consentRevoked_not_in", "[Boolean!]"],
      ...numeric("consentRevokedAt", "BigInt"),
      ...text("consentRevocationReason"),
      ...text("consentRevokedBy"),
      ["consentRevokedBy_", "Account_filter"],
      ...numeric("versionCount", "Int"),
      ...text("currentTerms"),
      ["currentTerms_", "LicenceTerms_filter"],
      // @derivedFrom fields only get the nested filter.
      ["termsClearances_", "TermsClearance_filter"],
      ["refunds_", "LicenceRefund_filter"],
      ["versions_", "DatasetVersion_filter"],
      ["terms_", "LicenceTerms_filter"],
      ["licences_", "Licence_filter"],
      ["payments_", "Payment_filter"],
      ["royaltyCredits_", "RoyaltyCredit_filter"],
      ["trainingUses_", "TrainingDatasetUse_filter"],
      ["history_", "ProvenanceEvent_filter"],
      ...numeric("createdAtBlock", "BigInt"),
      ...numeric("createdAt", "BigInt"),
      ...numeric("createdTx", "Bytes"),
      ["createdTx_contains", "Bytes"],
      ["createdTx_not_contains", "Bytes"],
      ["_change_block", "BlockChangedFilter"],
      ["and", "[Dataset_filter]"],
      ["or", "[Dataset_filter]"],
    ]);
  });

  it("gives lists of references list filters (with _nocase for String ids), enums and scalar lists theirs", async () => {
    const run = await introspectType("TrainingRun_filter");
    const names = (f: { inputFields: { name: string; type: TypeRef }[] }, prefix: string) =>
      f.inputFields.filter((i) => i.name === prefix || i.name.startsWith(`${prefix}_`)).map((i) => [i.name, show(i.type)]);
    expect(names(run, "datasetVersions")).toEqual([
      ["datasetVersions", "[String!]"],
      ["datasetVersions_not", "[String!]"],
      ["datasetVersions_contains", "[String!]"],
      ["datasetVersions_contains_nocase", "[String!]"],
      ["datasetVersions_not_contains", "[String!]"],
      ["datasetVersions_not_contains_nocase", "[String!]"],
      ["datasetVersions_", "DatasetVersion_filter"],
    ]);
    const model = await introspectType("Model_filter");
    expect(names(model, "requiredKindIds")).toEqual([
      ["requiredKindIds", "[Int!]"],
      ["requiredKindIds_not", "[Int!]"],
      ["requiredKindIds_contains", "[Int!]"],
      ["requiredKindIds_not_contains", "[Int!]"],
    ]);
    const attestation = await introspectType("Attestation_filter");
    expect(names(attestation, "subjectType")).toEqual([
      ["subjectType", "SubjectType"],
      ["subjectType_not", "SubjectType"],
      ["subjectType_in", "[SubjectType!]"],
      ["subjectType_not_in", "[SubjectType!]"],
    ]);
    const account = await introspectType("Account_filter");
    expect(names(account, "id").map(([n]) => n)).toEqual([
      "id",
      "id_not",
      "id_gt",
      "id_lt",
      "id_gte",
      "id_lte",
      "id_in",
      "id_not_in",
      "id_contains",
      "id_not_contains",
    ]);
  });
});

describe("orderBy enums", () => {
  it("lists every field and parent__child for scalar and enum fields of single references", async () => {
    const orderBy = await introspectType("DatasetVersion_orderBy");
    const values: string[] = orderBy.enumValues.map((v: { name: string }) => v.name);
    expect(values.slice(0, 12)).toEqual([
      "id",
      "versionId",
      "dataset",
      "dataset__id",
      "dataset__datasetId",
      "dataset__withdrawn",
      "dataset__withdrawnAt",
      "dataset__withdrawalReason",
      "dataset__consentRevoked",
      "dataset__consentRevokedAt",
      "dataset__consentRevocationReason",
      "dataset__versionCount",
    ]);
    // graph-node offers no child ordering through references or lists of the child (dataset.creator, dataset.versions).
    expect(values).not.toContain("dataset__creator");
    expect(values).not.toContain("dataset__versions");
    expect(values).not.toContain("dataset__currentTerms");
    expect(values).toContain("publisher__id");
    // Lists and derived fields are listed themselves but get no children.
    expect(values).toContain("parents");
    expect(values).toContain("children");
    expect(values).not.toContain("parents__id");
    const attestation = await introspectType("Attestation_orderBy");
    expect(attestation.enumValues.map((v: { name: string }) => v.name)).toContain("kind__name");
    expect(attestation.enumValues.map((v: { name: string }) => v.name)).toContain("subjectType");
  });
});

describe("built-in types", () => {
  it("has graph-node's meta types, block and error-policy inputs, order direction and scalars", async () => {
    const meta = await introspectType("_Meta_");
    expect(meta.fields.map((f: { name: string; type: TypeRef }) => [f.name, show(f.type)])).toEqual([
      ["block", "_Block_!"],
      ["deployment", "String!"],
      ["hasIndexingErrors", "Boolean!"],
    ]);
    const block = await introspectType("_Block_");
    expect(block.fields.map((f: { name: string; type: TypeRef }) => [f.name, show(f.type)])).toEqual([
      ["hash", "Bytes"],
      ["number", "Int!"],
      ["timestamp", "Int"],
      ["parentHash", "Bytes"],
    ]);
    const height = await introspectType("Block_height");
    expect(height.inputFields.map((f: { name: string; type: TypeRef }) => [f.name, show(f.type)])).toEqual([
      ["hash", "Bytes"],
      ["number", "Int"],
      ["number_gte", "Int"],
    ]);
    const changed = await introspectType("BlockChangedFilter");
    expect(changed.inputFields.map((f: { name: string; type: TypeRef }) => [f.name, show(f.type)])).toEqual([["number_gte", "Int!"]]);
    expect((await introspectType("_SubgraphErrorPolicy_")).enumValues.map((v: { name: string }) => v.name)).toEqual(["allow", "deny"]);
    expect((await introspectType("OrderDirection")).enumValues.map((v: { name: string }) => v.name)).toEqual(["asc", "desc"]);
    for (const scalar of ["BigInt", "BigDecimal", "Bytes", "Int8", "Timestamp"]) {
      expect((await introspectType(scalar)).kind).toBe("SCALAR");
    }
    const { data } = await post(server.url, "{ __schema { directives { name } queryType { name } mutationType { name } } }");
    expect(data.__schema.directives.map((d: { name: string }) => d.name)).toEqual(["skip", "include", "entity", "subgraphId", "derivedFrom"]);
    expect(data.__schema.queryType).toEqual({ name: "Query" });
    expect(data.__schema.mutationType).toBeNull();
  });

  it("answers graphql-js's full introspection query (what GraphiQL and codegen send)", async () => {
    const { getIntrospectionQuery, buildClientSchema } = await import("graphql");
    const result = await post(server.url, getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    const client = buildClientSchema(result.data);
    expect(client.getQueryType()?.getFields().datasetVersions).toBeDefined();
  });
});

describe("@fulltext query fields", () => {
  const schemaWith = (name: string) =>
    parseSchema(`type _Schema_ @fulltext(name: "${name}", language: en, algorithm: rank, include: [{ entity: "Note", fields: [{ name: "title" }] }])
type Note @entity(immutable: true) { id: ID!, title: String! }`);

  it("are added after the entity fields and before _meta, and _Schema_ is not copied (graph/src/schema/api.rs)", () => {
    const api = buildApiSchema(schemaWith("noteSearch"));
    expect(Object.keys(api.schema.getQueryType()!.getFields())).toEqual(["note", "notes", "noteSearch", "_meta"]);
    expect(api.queryFields.get("noteSearch")).toEqual({ kind: "fulltext", typeName: "Note" });
    expect(api.schema.getType("_Schema_")).toBeUndefined();
  });

  it("refuse a name that is already a query field", () => {
    expect(() => buildApiSchema(schemaWith("notes"))).toThrow(
      new ApiSchemaError("query field notes for the @fulltext field clashes with another query field"),
    );
  });
});
