/**
 * Writes the GraphQL API schema graph-node serves for schema.graphql (entity queries, filters, `block`, `_meta`) to
 * generated/api-schema.graphql, for graphql-codegen to type the audit client's documents against (`npm run build`).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { buildApiSchema } from "../src/indexer/graphql/api-schema.ts";
import { parseSchema } from "../src/indexer/schema/schema.ts";

const api = buildApiSchema(parseSchema(readFileSync("schema.graphql", "utf8")));
mkdirSync("generated", { recursive: true });
writeFileSync("generated/api-schema.graphql", api.sdl);
