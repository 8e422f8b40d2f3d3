/**
 * Scalar encodings and the types the project's schema does not use: BigDecimal, Int8 (also as id), Timestamp, Bytes
 * ids, scalar lists, interfaces (queries, fragments, derived lists and references of interface type), over HTTP
 * against the real PGlite store with a small dedicated schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphQLServer, type GraphQLServer } from "../../../src/indexer/graphql/server.ts";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import type { Store } from "../../../src/indexer/store/types.ts";
import { BigDecimal, hexToBytes } from "../../../src/indexer/values.ts";
import { blockPtr, openStore, post } from "./fixtures.ts";

const SOURCE = `
interface Asset {
  id: Int8!
  name: String!
  holder: Holder!
  mintedAt: Timestamp!
}

type Coin implements Asset @entity(immutable: false) {
  id: Int8!
  name: String!
  holder: Holder!
  mintedAt: Timestamp!
  amount: BigDecimal!
  supply: BigInt!
  decimals: Int!
  hash: Bytes!
  active: Boolean!
  tags: [String!]!
  ratio: BigDecimal
}

type Nft implements Asset @entity(immutable: true) {
  id: Int8!
  name: String!
  holder: Holder!
  mintedAt: Timestamp!
  uri: String!
}

type Holder @entity(immutable: false) {
  id: Bytes!
  label: String!
  assets: [Asset!]! @derivedFrom(field: "holder")
  coins: [Coin!]! @derivedFrom(field: "holder")
  primary: Coin @derivedFrom(field: "holder")
  favourite: Asset
  watchlist: [Coin!]!
}
`;

const A = "0xaaaa";
const B = "0xbbbb";
const BIG_ID = "9999999999";
const MINTED = (n: number) => 1_700_000_000_000_000n + BigInt(n) * 1_000_000n;

let store: Store;
let server: GraphQLServer;

beforeAll(async () => {
  const schema = parseSchema(SOURCE);
  store = await openStore(schema);
  const coin = (id: bigint, name: string, holder: string, minted: number, amount: string, extra: Record<string, unknown>) => ({
    entityType: "Coin",
    id: id.toString(),
    data: {
      id,
      name,
      holder: hexToBytes(holder),
      mintedAt: MINTED(minted),
      amount: BigDecimal.parse(amount),
      supply: 0n,
      decimals: 18,
      hash: hexToBytes("0x00"),
      active: true,
      tags: [],
      ratio: null,
      ...extra,
    },
  });
  await store.commitBlock(blockPtr(1), [
    { entityType: "Holder", id: A, data: { id: hexToBytes(A), label: "A", favourite: 3n, watchlist: [2n, 1n] } },
    { entityType: "Holder", id: B, data: { id: hexToBytes(B), label: "B", favourite: null, watchlist: [] } },
    coin(1n, "Gold", A, 0, "1.5", { supply: 10n ** 30n, hash: hexToBytes("0xDEADBEEF"), tags: ["x", "Y"] }),
    coin(2n, "Silver", B, 1, "0.000001", { supply: -5n, decimals: 6, active: false, ratio: BigDecimal.parse("123456789.987654321") }),
    coin(BigInt(BIG_ID), "Big", A, 3, "100", { tags: ["big"] }),
    { entityType: "Nft", id: "3", data: { id: 3n, name: "Art", holder: hexToBytes(A), mintedAt: MINTED(2), uri: "ipfs://art" } },
  ]);
  server = await startGraphQLServer({ store, schema, subgraphName: "test/assets", deployment: "QmScalars" });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

async function ids(query: string): Promise<string[]> {
  const result = await post(server.url, query);
  expect(result.errors).toBeUndefined();
  const [list] = Object.values(result.data) as { id: string }[][];
  return list!.map((entity) => entity.id);
}

describe("scalar encodings", () => {
  it("encodes Int8 and BigInt and BigDecimal as strings, Timestamp as a string of microseconds, Bytes as lowercase hex", async () => {
    const { data } = await post(server.url, "{ coins { id name amount supply decimals hash active tags mintedAt ratio } }");
    expect(data.coins).toEqual([
      {
        id: "1",
        name: "Gold",
        amount: "1.5",
        supply: "1000000000000000000000000000000",
        decimals: 18,
        hash: "0xdeadbeef",
        active: true,
        tags: ["x", "Y"],
        mintedAt: "1700000000000000",
        ratio: null,
      },
      {
        id: "2",
        name: "Silver",
        amount: "0.000001",
        supply: "-5",
        decimals: 6,
        hash: "0x00",
        active: false,
        tags: [],
        mintedAt: "1700000001000000",
        ratio: "123456789.987654321",
      },
      {
        id: BIG_ID,
        name: "Big",
        amount: "100",
        supply: "0",
        decimals: 18,
        hash: "0x00",
        active: true,
        tags: ["big"],
        mintedAt: "1700000003000000",
        ratio: null,
      },
    ]);
    const holder = await post(server.url, `{ holder(id: "0xAAAA") { id label } }`);
    expect(holder.data).toEqual({ holder: { id: A, label: "A" } });
  });
});

describe("filters on BigDecimal, Int8, Timestamp and scalar lists", () => {
  it("accepts Int8 as Int or string, also for ids beyond 32 bits", async () => {
    expect(await ids('{ coins(where: { id_gt: "1" }) { id } }')).toEqual(["2", BIG_ID]);
    expect(await ids(`{ coins(where: { id_in: [1, "${BIG_ID}"] }) { id } }`)).toEqual(["1", BIG_ID]);
    const { data } = await post(server.url, `{ a: coin(id: "${BIG_ID}") { name } b: coin(id: 2) { name } }`);
    expect(data).toEqual({ a: { name: "Big" }, b: { name: "Silver" } });
  });

  it("compares BigDecimal with strings, Int and Float literals", async () => {
    expect(await ids('{ coins(where: { amount_gt: "1" }) { id } }')).toEqual(["1", BIG_ID]);
    expect(await ids("{ coins(where: { amount: 1.5 }) { id } }")).toEqual(["1"]);
    expect(await ids("{ coins(where: { amount_lt: 1 }) { id } }")).toEqual(["2"]);
    expect(await ids('{ coins(where: { supply_lt: "0" }) { id } }')).toEqual(["2"]);
    expect(await ids("{ coins(orderBy: amount, orderDirection: desc) { id } }")).toEqual([BIG_ID, "1", "2"]);
  });

  it("compares Timestamps given as strings of microseconds and rejects anything else", async () => {
    expect(await ids('{ coins(where: { mintedAt_gte: "1700000001000000" }) { id } }')).toEqual(["2", BIG_ID]);
    const result = await post(server.url, '{ coins(where: { mintedAt: "yesterday" }) { id } }');
    expect(result).toEqual({
      errors: [
        { locations: [{ line: 0, column: 0 }], message: 'Invalid value provided for argument `where`: Object({"mintedAt": String("yesterday")})' },
      ],
    });
  });

  it("filters scalar lists, including case-insensitively for strings", async () => {
    expect(await ids('{ coins(where: { tags_contains: ["Y"] }) { id } }')).toEqual(["1"]);
    expect(await ids('{ coins(where: { tags_contains_nocase: ["y"] }) { id } }')).toEqual(["1"]);
    expect(await ids('{ coins(where: { tags_not_contains: ["big"] }) { id } }')).toEqual(["1", "2"]);
  });
});

describe("interfaces", () => {
  it("queries an interface across its implementations with fragments and __typename, in one order", async () => {
    const { data } = await post(
      server.url,
      "{ assets(orderBy: mintedAt) { __typename id name ... on Coin { amount } ... on Nft { uri } } }",
    );
    expect(data.assets).toEqual([
      { __typename: "Coin", id: "1", name: "Gold", amount: "1.5" },
      { __typename: "Coin", id: "2", name: "Silver", amount: "0.000001" },
      { __typename: "Nft", id: "3", name: "Art", uri: "ipfs://art" },
      { __typename: "Coin", id: BIG_ID, name: "Big", amount: "100" },
    ]);
    expect(await ids('{ assets(where: { name_starts_with: "S" }) { id } }')).toEqual(["2"]);
    expect(await ids("{ assets(first: 2, skip: 1, orderBy: id, orderDirection: desc) { id } }")).toEqual(["3", "2"]);
    expect((await post(server.url, '{ asset(id: "3") { __typename name } }')).data).toEqual({ asset: { __typename: "Nft", name: "Art" } });
  });

  it("resolves derived lists and references of interface type, and filters through them", async () => {
    const { data } = await post(
      server.url,
      `{ holders { id assets { __typename id } coins { id } favourite { __typename id ... on Nft { uri } } watchlist { id } } }`,
    );
    expect(data.holders).toEqual([
      {
        id: A,
        assets: [
          { __typename: "Coin", id: "1" },
          { __typename: "Nft", id: "3" },
          { __typename: "Coin", id: BIG_ID },
        ],
        coins: [{ id: "1" }, { id: BIG_ID }],
        favourite: { __typename: "Nft", id: "3", uri: "ipfs://art" },
        watchlist: [{ id: "1" }, { id: "2" }],
      },
      { id: B, assets: [{ __typename: "Coin", id: "2" }], coins: [{ id: "2" }], favourite: null, watchlist: [] },
    ]);
    expect(await ids("{ holders(where: { favourite: 3 }) { id } }")).toEqual([A]);
    expect(await ids('{ holders(where: { favourite_: { name: "Art" } }) { id } }')).toEqual([A]);
    expect(await ids('{ holders(where: { assets_: { name: "Silver" } }) { id } }')).toEqual([B]);
    expect(await ids("{ holders(where: { watchlist_contains: [2] }) { id } }")).toEqual([A]);
  });

  it("resolves a single @derivedFrom field, and reports two entities pointing back like graph-node", async () => {
    expect((await post(server.url, `{ holder(id: "${B}") { primary { id name } } }`)).data).toEqual({ holder: { primary: { id: "2", name: "Silver" } } });
    expect(await post(server.url, "{ holders {\n  primary { id }\n} }")).toEqual({
      errors: [
        { locations: [{ line: 2, column: 3 }], message: "Ambiguous result for derived field `primary`: Multiple `Coin` entities refer back via `holder`" },
      ],
    });
  });

  it("types references to Int8-id entities as Int in filters and generates interface query fields", async () => {
    const { data } = await post(
      server.url,
      `{ holder: __type(name: "Holder_filter") { inputFields { name type { name kind ofType { name kind ofType { name } } } } }
         query: __type(name: "Query") { fields { name } } }`,
    );
    const fields = new Map<string, { name: string | null; kind: string; ofType: { name: string | null; ofType: { name: string } | null } | null }>(
      data.holder.inputFields.map((f: { name: string; type: never }) => [f.name, f.type]),
    );
    expect(fields.get("favourite")?.name).toBe("Int");
    expect(fields.get("watchlist")?.ofType?.ofType?.name).toBe("Int");
    expect(fields.has("watchlist_contains_nocase")).toBe(false);
    expect(fields.has("favourite_")).toBe(true);
    expect(fields.has("assets_")).toBe(true);
    expect(data.query.fields.map((f: { name: string }) => f.name)).toEqual([
      "coin",
      "coins",
      "nft",
      "nfts",
      "holder",
      "holders",
      "asset",
      "assets",
      "_meta",
    ]);
  });
});
