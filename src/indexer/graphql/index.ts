/**
 * The GraphQL API of the embedded graph-node-compatible runtime: graph-node's generated API schema, its query
 * execution semantics over the entity store, and its HTTP endpoint.
 *
 * @example
 * import { startGraphQLServer } from "./indexer/graphql/index.ts";
 * const server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmLocal" });
 * console.log(server.url); // http://127.0.0.1:<port>/subgraphs/name/pedigree/lineage
 */
export { buildApiSchema, ApiSchemaError, type ApiSchema, type QueryFieldInfo } from "./api-schema.ts";
export { camelCasedNames, toCamelCase, toPlural } from "./naming.ts";
export {
  createQueryExecutor,
  QueryExecutor,
  type GraphQLRequest,
  type GraphQLResponseBody,
  type IndexedBlockInfo,
  type QueryExecutorOptions,
  type QueryOutcome,
} from "./execute.ts";
export { QueryExecutionError, type GraphQLErrorJson, type SourcePosition } from "./errors.ts";
export { startGraphQLServer, GraphQLServerError, type GraphQLServer, type GraphQLServerOptions } from "./server.ts";
export {
  DEFAULT_QUERY_LIMITS,
  HTTP_DEFAULTS,
  LIMIT_ENV_VARS,
  QueryLimitsError,
  queryLimitsFromEnv,
  resolveQueryLimits,
  type QueryLimits,
} from "./limits.ts";
export { HttpPolicyError } from "./http-policy.ts";
