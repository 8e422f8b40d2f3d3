/**
 * The audit's GraphQL documents, as generated from src/audit/documents/*.graphql: each is valid against the API schema
 * graph-node serves for schema.graphql, and each stays within what graph-node accepts — graph-node measures a query's
 * complexity (the entities it could return: `first` multiplied along nested collections) in a u64 and refuses one
 * that overflows, whatever its configured limit.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Kind, validate, type DocumentNode, type FragmentDefinitionNode } from "graphql";
import * as generated from "../../src/audit/generated/graphql.ts";
import { buildApiSchema } from "../../src/indexer/graphql/api-schema.ts";
import { checkQueryShape } from "../../src/indexer/graphql/query-shape.ts";
import { DEFAULT_QUERY_LIMITS } from "../../src/indexer/graphql/limits.ts";
import { parseSchema } from "../../src/indexer/schema/schema.ts";
import { withBlock } from "../../src/audit/client.ts";

const api = buildApiSchema(parseSchema(readFileSync("schema.graphql", "utf8")));
const documents = Object.entries(generated).filter(([name]) => name.endsWith("Document")) as Array<[string, DocumentNode]>;

/** graph-node's complexity of a document's operation (with no variable `first`). */
function complexityOf(document: DocumentNode): bigint {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return checkQueryShape(api.schema, operation.selectionSet, fragments, new Map(), { ...DEFAULT_QUERY_LIMITS, maxComplexity: null }).complexity;
}

describe("the audit's GraphQL documents", () => {
  it("are generated, one typed document per operation", () => {
    expect(documents.map(([name]) => name)).toEqual(expect.arrayContaining(["LineageStartDocument", "LineageUpDocument", "WhoActedOnDocument", "MetaDocument"]));
  });

  it.each(documents)("%s is valid against the API schema, also with a block (time travel)", (_name, document) => {
    expect(validate(api.schema, document)).toEqual([]);
    expect(validate(api.schema, withBlock(document, { number: 7 }))).toEqual([]);
  });

  it.each(documents)("%s has a complexity graph-node accepts (below 2^64, and below 10^12)", (_name, document) => {
    const complexity = complexityOf(document);
    expect(complexity < 2n ** 64n).toBe(true);
    expect(complexity < 10n ** 12n).toBe(true);
  });
});
