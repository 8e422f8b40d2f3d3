/**
 * `@fulltext` search end to end: the fulltext fixture subgraph (compiled by graph-cli) indexes Ping events of a real
 * contract on a real chain into Note entities, and its `noteSearch` field answers over HTTP as graph-node's does —
 * on PGlite and on PostgreSQL. Expected behaviour from graph-node: graph/src/schema/api.rs (`query_field_for_fulltext`),
 * graphql/src/store/query.rs (`build_filter`, `build_order`: rank ascending, ties by id), store/postgres/src/
 * relational_queries.rs (`@@ to_tsquery(text)`, `ts_rank`) and graph/src/data/query/error.rs (messages).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import type { Indexer } from "../../src/indexer/indexer.ts";
import { FIXTURE_STORES, indexFixture } from "./fixture-indexer.ts";
import { PingChild__factory, type PingChild } from "../../types/index.ts";
import { post } from "./graphql/fixtures.ts";
import { ensureFixtureBuilt } from "./runtime/fixture-build.ts";


/** Notes by id, written in this order, one transaction (and block) each; note 4 is rewritten last. */
const NOTES: [number, string][] = [
  [1, "Red fox|The quick brown fox jumps over the lazy dog"],
  [2, "Lazy afternoon|A dog sleeps in the sun"],
  [3, "Foxes and hounds|Fox after fox after fox: the hounds chase the foxes"],
  [4, "Cooking|Recipes for pasta"],
  [5, "Dogma"],
];
const REWRITE: [number, string] = [4, "Cooking for foxes|Recipes for pasta, hunted by a fox"];

let chain: LocalChain;
let notes: PingChild;
let deployBlock: number;
/** The block that wrote the last of NOTES, and the one that rewrote note 4. */
let beforeRewrite: number;
let rewriteBlock: number;
let manifest: string;
let dir: string;

async function ping([value, text]: [number, string]): Promise<number> {
  return (await (await notes.ping(value, text)).wait())!.blockNumber;
}

beforeAll(async () => {
  manifest = ensureFixtureBuilt("fulltext");
  chain = await startLocalChain();
  notes = await new PingChild__factory(chain.signers[0]).deploy();
  deployBlock = (await notes.deploymentTransaction()!.wait())!.blockNumber;
  for (const note of NOTES) beforeRewrite = await ping(note);
  rewriteBlock = await ping(REWRITE);
  dir = await mkdtemp(join(tmpdir(), "pedigree-fulltext-"));
}, 300_000);

afterAll(async () => {
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(FIXTURE_STORES)("noteSearch on $name", ({ name, options }) => {
  let indexer: Indexer;

  beforeAll(async () => {
    indexer = await indexFixture(manifest, chain.url, { name, options: options(dir, "fulltext") }, { name: "Notes", address: notes.target as string, startBlock: deployBlock });
    await indexer.waitForBlock(rewriteBlock);
  }, 120_000);

  afterAll(async () => {
    await indexer?.stop();
  });

  /** The ids `noteSearch(<args>)` returns, in order; fails on errors. */
  async function search(args: string): Promise<string[]> {
    const body = await post(indexer.url, `{ noteSearch(${args}) { id } }`);
    expect(body.errors).toBeUndefined();
    return (body.data.noteSearch as { id: string }[]).map((n) => n.id);
  }

  it("matches a word in either included field, stemmed by the `en` configuration", async () => {
    // "foxes" and "Fox" stem to 'fox'; note 1 has it in the title and the body, note 4 only since its rewrite.
    expect((await search(`text: "fox"`)).sort()).toEqual(["1", "3", "4"]);
    expect(await search(`text: "sleeping"`)).toEqual(["2"]);
    expect(await search(`text: "cat"`)).toEqual([]);
  });

  it("orders by rank ascending, like graph-node (the field has no orderDirection), ties by id ascending", async () => {
    // 'fox' occurs twice in note 1, twice in note 4 and five times in note 3: 3 ranks highest, so it comes last.
    expect(await search(`text: "fox"`)).toEqual(["1", "4", "3"]);
    // 'dog' once in each of notes 1 and 2: same rank, so by id.
    expect(await search(`text: "dog"`)).toEqual(["1", "2"]);
    // The field has neither orderBy nor orderDirection; graph-node drops unknown arguments, so they change nothing.
    expect(await search(`text: "fox", orderBy: id, orderDirection: desc`)).toEqual(["1", "4", "3"]);
  });

  it("supports the query syntax: prefix :*, & (and), | (or), ! (not), <-> (followed by)", async () => {
    expect(await search(`text: "dog:*"`)).toEqual(expect.arrayContaining(["1", "2", "5"]));
    expect((await search(`text: "dog:*"`)).length).toBe(3);
    expect(await search(`text: "fox & dog"`)).toEqual(["1"]);
    expect((await search(`text: "pasta | hound"`)).sort()).toEqual(["3", "4"]);
    expect((await search(`text: "fox & !pasta"`)).sort()).toEqual(["1", "3"]);
    expect(await search(`text: "brown <-> fox"`)).toEqual(["1"]);
    expect(await search(`text: "fox <-> brown"`)).toEqual([]);
  });

  it("pages with first and skip in rank order", async () => {
    expect(await search(`text: "fox", first: 2`)).toEqual(["1", "4"]);
    expect(await search(`text: "fox", first: 2, skip: 1`)).toEqual(["4", "3"]);
    expect(await search(`text: "fox", skip: 3`)).toEqual([]);
  });

  it("answers as of an earlier block (note 4 before its rewrite)", async () => {
    expect(await search(`text: "fox", block: { number: ${beforeRewrite} }`)).toEqual(["1", "3"]);
    expect(await search(`text: "pasta", block: { number: ${beforeRewrite} }`)).toEqual(["4"]);
    expect(await search(`text: "fox", block: { number: ${deployBlock} }`)).toEqual([]);
  });

  it("combines the search with where", async () => {
    expect(await search(`text: "fox", where: { revision_gt: 1 }`)).toEqual(["4"]);
    expect(await search(`text: "fox | dog", where: { title_starts_with: "Red" }`)).toEqual(["1"]);
  });

  it("returns the entity's fields, not the tsvector", async () => {
    const body = await post(indexer.url, `{ noteSearch(text: "dogma") { id title body revision } }`);
    expect(body).toEqual({ data: { noteSearch: [{ id: "5", title: "Dogma", body: null, revision: 1 }] } });
  });

  it("reports a search text Postgres cannot parse with graph-node's message", async () => {
    const body = await post(indexer.url, `{ noteSearch(text: "red fox") { id } }`);
    expect(body).toEqual({
      errors: [
        {
          message:
            'Invalid fulltext search query syntax. Error: syntax error in tsquery: "red fox". ' +
            "Hint: Search terms with spaces need to be enclosed in single quotes",
        },
      ],
    });
  });

  it("requires text", async () => {
    const missing = await post(indexer.url, `{ noteSearch(first: 1) { id } }`);
    expect(missing.errors?.[0]?.message).toBe("No value provided for required argument: `text`");
  });

  it("is a Query field with graph-node's arguments and type [Note!]!, and _Schema_ is not a type", async () => {
    const typeRef = "name kind ofType { name kind ofType { name kind ofType { name kind } } }";
    const body = await post(
      indexer.url,
      `{ __type(name: "Query") { fields { name args { name defaultValue type { ${typeRef} } } type { ${typeRef} } } }
         schemaType: __type(name: "_Schema_") { name } }`,
    );
    const fields = body.data.__type.fields as { name: string; args: { name: string; defaultValue: string | null; type: unknown }[]; type: unknown }[];
    const field = fields.find((f) => f.name === "noteSearch")!;
    const named = (name: string, kind = "SCALAR") => ({ name, kind, ofType: null });
    const nonNull = (ofType: unknown) => ({ name: null, kind: "NON_NULL", ofType });
    expect(field.args.map((a) => [a.name, a.defaultValue])).toEqual([
      ["text", null],
      ["first", "100"],
      ["skip", "0"],
      ["block", null],
      ["where", null],
      ["subgraphError", "deny"],
    ]);
    expect(field.args[0]!.type).toEqual(nonNull(named("String")));
    expect(field.args[4]!.type).toEqual(named("Note_filter", "INPUT_OBJECT"));
    // The type reference above is four levels deep: the innermost one has no ofType.
    expect(field.type).toEqual(nonNull({ name: null, kind: "LIST", ofType: nonNull({ name: "Note", kind: "OBJECT" }) }));
    // After the entity fields and before _meta, as graph-node's add_query_type appends them.
    expect(fields.map((f) => f.name)).toEqual(["note", "notes", "noteSearch", "_meta"]);
    expect(body.data.schemaType).toBeNull();
  });
});
