import { readFileSync } from "node:fs";
import { parseSchema } from "../../../../src/indexer/schema/schema.ts";
import { buildApiSchema } from "../../../../src/indexer/graphql/api-schema.ts";
const api = buildApiSchema(parseSchema(readFileSync("schema.graphql", "utf8")));
console.log(Object.keys(api.schema.getTypeMap()).filter((n) => !n.includes("_filter") && !n.includes("_orderBy")).join(" "));
