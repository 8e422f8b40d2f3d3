/**
 * `_Schema_ @fulltext` directives as parseSchema reads and checks them: the definition a valid directive gives, and
 * each of graph-node's validation messages (graph/src/schema/mod.rs `SchemaValidationError`, raised by
 * graph/src/schema/input/mod.rs `validate_fulltext_directives` and the `_Schema_` checks).
 */
import { describe, expect, it } from "vitest";
import { FULLTEXT_LANGUAGES } from "../../../src/indexer/schema/fulltext.ts";
import { parseSchema, SchemaError } from "../../../src/indexer/schema/schema.ts";

const NOTE = `
type Note @entity(immutable: false) {
  id: ID!
  title: String!
  body: String
  tags: [String!]!
  revision: Int!
}`;

/** A schema with one `@fulltext` directive whose arguments are `args`. */
const withFulltext = (args: string, extra = "") => `type _Schema_ @fulltext(${args})${extra}\n${NOTE}`;
const VALID = `name: "noteSearch", language: en, algorithm: rank, include: [{ entity: "Note", fields: [{ name: "title" }, { name: "body" }] }]`;

function schemaError(source: string): string {
  try {
    parseSchema(source);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as Error).message;
  }
  throw new Error("parseSchema accepted the schema");
}

describe("@fulltext definitions", () => {
  it("reads name, language (and its Postgres configuration), algorithm, entity and fields in order", () => {
    const schema = parseSchema(withFulltext(VALID));
    expect([...schema.fulltext.values()]).toEqual([
      { name: "noteSearch", language: "en", config: "english", algorithm: "rank", entity: "Note", fields: ["title", "body"] },
    ]);
    expect(schema.entities.has("_Schema_")).toBe(false);
  });

  it("accepts every language graph-node's FulltextLanguage does, and proximityRank", () => {
    expect(Object.keys(FULLTEXT_LANGUAGES)).toEqual(["simple", "da", "nl", "en", "fi", "fr", "de", "hu", "it", "no", "pt", "ro", "ru", "es", "sv", "tr"]);
    for (const language of Object.keys(FULLTEXT_LANGUAGES)) {
      const schema = parseSchema(withFulltext(VALID.replace("language: en", `language: ${language}`).replace("algorithm: rank", "algorithm: proximityRank")));
      expect(schema.fulltext.get("noteSearch")).toMatchObject({ language, config: FULLTEXT_LANGUAGES[language], algorithm: "proximityRank" });
    }
  });

  it("reads several directives; only the first include of each counts, as in graph-node", () => {
    const second = `name: "titleSearch", language: simple, algorithm: rank, include: [{ entity: "Note", fields: [{ name: "title" }] }, { entity: "Note", fields: [{ name: "body" }] }]`;
    const schema = parseSchema(withFulltext(VALID, ` @fulltext(${second})`));
    expect([...schema.fulltext.keys()]).toEqual(["noteSearch", "titleSearch"]);
    expect(schema.fulltext.get("titleSearch")?.fields).toEqual(["title"]);
  });
});

describe("@fulltext validation, with graph-node's messages", () => {
  const cases: [string, string, string][] = [
    ["a field on _Schema_", `type _Schema_ { id: ID! }\n${NOTE}`, "_Schema_ type is only for @fulltext and must not have any fields"],
    ["another directive on _Schema_", `type _Schema_ @illegal\n${NOTE}`, "The _Schema_ type only allows @fulltext directives"],
    ["no name", withFulltext(VALID.replace(`name: "noteSearch", `, "")), "Fulltext directive name undefined"],
    [
      "a name equal to an entity field",
      withFulltext(VALID.replace(`"noteSearch"`, `"title"`)),
      "Fulltext directive name overlaps with an existing entity field or a top-level query field: title",
    ],
    [
      "a name equal to a field's camel-cased plural",
      withFulltext(VALID.replace(`"noteSearch"`, `"titles"`)),
      "Fulltext directive name overlaps with an existing entity field or a top-level query field: titles",
    ],
    ["no language", withFulltext(VALID.replace("language: en, ", "")), "Fulltext language is undefined"],
    ["a language given as a string", withFulltext(VALID.replace("language: en", `language: "en"`)), "Fulltext language is undefined"],
    ["an unknown language", withFulltext(VALID.replace("language: en", "language: english")), "Fulltext language is invalid: english"],
    ["no algorithm", withFulltext(VALID.replace("algorithm: rank, ", "")), "Fulltext algorithm is undefined"],
    ["an unknown algorithm", withFulltext(VALID.replace("algorithm: rank", "algorithm: bm25")), "Fulltext algorithm is invalid: bm25"],
    ["no include", withFulltext(VALID.replace(/, include: .*$/, "")), "Fulltext directive requires an 'include' list"],
    ["an empty include", withFulltext(VALID.replace(/include: .*$/, "include: []")), "Fulltext directive requires an 'include' list"],
    ["an include that is not an object", withFulltext(VALID.replace(/include: .*$/, `include: ["Note"]`)), "Fulltext 'include' list must contain an object"],
    [
      "an include without fields",
      withFulltext(VALID.replace(/include: .*$/, `include: [{ entity: "Note" }]`)),
      "Fulltext 'include' object must contain 'entity' (String) and 'fields' (List) attributes",
    ],
    [
      "an unknown entity",
      withFulltext(VALID.replace(`entity: "Note"`, `entity: "Memo"`)),
      "Fulltext directive includes an entity not found on the subgraph schema",
    ],
    [
      "a field without a name",
      withFulltext(VALID.replace(`{ name: "body" }`, `{ field: "body" }`)),
      "Fulltext include field must have a 'name' attribute",
    ],
    ["an unknown field", withFulltext(VALID.replace(`"body"`, `"text"`)), "Fulltext entity field, text, not found or not a string"],
    ["a field that is not a String", withFulltext(VALID.replace(`"body"`, `"revision"`)), "Fulltext entity field, revision, not found or not a string"],
    ["a list of strings", withFulltext(VALID.replace(`"body"`, `"tags"`)), "Fulltext entity field, tags, not found or not a string"],
  ];

  it.each(cases)("refuses %s", (_, source, message) => {
    expect(schemaError(source)).toBe(`_Schema_: ${message}`);
  });

  it("refuses two directives of one name, once per directive like graph-node", () => {
    const conflict = "Fulltext directive name overlaps with type: noteSearch";
    expect(schemaError(withFulltext(VALID, ` @fulltext(${VALID})`))).toBe(`_Schema_: ${conflict}; ${conflict}`);
  });

  it("reports every problem at once, like graph-node", () => {
    const source = withFulltext(VALID.replace("language: en", "language: xx").replace("algorithm: rank", "algorithm: yy"));
    expect(schemaError(source)).toBe("_Schema_: Fulltext language is invalid: xx; Fulltext algorithm is invalid: yy");
  });
});
