/**
 * The operator's limits on GraphQL queries, named after graph-node's settings (`graph/src/env/graphql.rs`) and read
 * from the same environment variables by `pedigree node`. graph-node leaves most of them unlimited; here every limit
 * that bounds the work or memory of one query is on by default (see {@link DEFAULT_QUERY_LIMITS} for why each value).
 *
 * @example
 * const limits = resolveQueryLimits({ maxDepth: 32, queryTimeoutMs: 5_000 }); // the rest are the defaults
 * const fromEnv = queryLimitsFromEnv(process.env);                              // GRAPH_GRAPHQL_MAX_DEPTH=32 …
 */

export interface QueryLimits {
  /**
   * `GRAPH_GRAPHQL_MAX_COMPLEXITY`: graph-node's complexity bound — the entities a query could return if every
   * collection returned `first` rows ("query potentially returns `N` entities or more …"). null: unlimited.
   */
  maxComplexity: number | null;
  /** `GRAPH_GRAPHQL_MAX_DEPTH`: nesting of selection sets (a fragment counts as one level), 1..255. */
  maxDepth: number;
  /** `GRAPH_GRAPHQL_MAX_FIRST`: the largest `first` a collection field accepts. */
  maxFirst: number;
  /** `GRAPH_GRAPHQL_MAX_SKIP`: the largest `skip` a collection field accepts. */
  maxSkip: number;
  /**
   * `GRAPH_GRAPHQL_MAX_FIELDS` (not a graph-node setting): fields the query selects once every fragment is expanded,
   * aliases included. Bounds what fragments spread several times and thousands of aliases make the server do.
   */
  maxFields: number;
  /** `GRAPH_GRAPHQL_QUERY_TIMEOUT` (seconds there, milliseconds here): no store query starts after this time. */
  queryTimeoutMs: number;
  /**
   * `GRAPH_GRAPHQL_ERROR_RESULT_SIZE`: bytes a query may load from the store and bytes of its JSON answer; beyond,
   * "the result size of N is larger than the allowed limit of M".
   */
  errorResultSize: number;
}

/**
 * Safe defaults, each chosen to admit every query the audit client and the reports send (measured over their test
 * suites: at most depth 14, 927 fields after fragments, 29 KB of query text; answers of a few KB):
 * - maxComplexity unlimited (graph-node's default): its measure multiplies `first` along nested collections. The
 *   audit client's documents measure at most 7 × 10^9 (test/audit/documents.test.ts: lineage is fetched level by
 *   level, never nested deeply), so a limit such as 10^10 refuses deep nesting like the query of death (10^15) and
 *   admits every audit and report. The actual work is bounded by the limits below whatever it is set to.
 * - maxDepth 64 (graph-node: 255): four times the deepest query the project sends.
 * - maxFirst 1000 (graph-node's default).
 * - maxSkip 5000 (graph-node: 4294967295): The Graph's hosted service limit; a large `skip` makes the store scan and
 *   drop that many rows in one statement that cannot be interrupted. Page with `where: { id_gt: … }` instead.
 * - maxFields 5000: five times the largest query the project sends.
 * - queryTimeoutMs 10 s (graph-node: none).
 * - errorResultSize 16 MiB (graph-node: unlimited): bench/query.ts shows the process growing by about 100–150 MB
 *   while the attacks run against it, each stopped by this limit.
 */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxComplexity: null,
  maxDepth: 64,
  maxFirst: 1000,
  maxSkip: 5000,
  maxFields: 5000,
  queryTimeoutMs: 10_000,
  errorResultSize: 16 * 1024 * 1024,
});

/**
 * Defaults of the HTTP server's own limits: the largest request body (256 KiB: the project's largest query is 29 KB),
 * queries running at once and queries waiting for a slot (beyond, 503).
 */
export const HTTP_DEFAULTS = Object.freeze({ maxBodyBytes: 256 * 1024, maxConcurrentQueries: 4, maxQueuedQueries: 64 });

/** A limit has an unusable value; the message names the setting and what it accepts. */
export class QueryLimitsError extends Error {
  override name = "QueryLimitsError";

  constructor(
    message: string,
    /** The setting at fault. */
    readonly setting: keyof QueryLimits,
  ) {
    super(message);
  }
}

const U32_MAX = 4_294_967_295;

/** Accepted range of each setting (whole numbers). */
const RANGES: Readonly<Record<keyof QueryLimits, readonly [number, number]>> = {
  maxComplexity: [1, Number.MAX_SAFE_INTEGER],
  maxDepth: [1, 255],
  maxFirst: [1, U32_MAX],
  maxSkip: [0, U32_MAX],
  maxFields: [1, Number.MAX_SAFE_INTEGER],
  queryTimeoutMs: [1, 2_147_483_647],
  errorResultSize: [1, Number.MAX_SAFE_INTEGER],
};

/**
 * The defaults with `overrides` applied (undefined keeps the default).
 *
 * @throws QueryLimitsError when a value is not a whole number in its range.
 */
export function resolveQueryLimits(overrides: Partial<QueryLimits> = {}): QueryLimits {
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS };
  for (const key of Object.keys(RANGES) as (keyof QueryLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (value === null && key === "maxComplexity") {
      limits.maxComplexity = null;
      continue;
    }
    const [min, max] = RANGES[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new QueryLimitsError(`${key} must be a whole number from ${min} to ${max}, not ${String(value)}`, key);
    }
    limits[key] = value as never;
  }
  return limits;
}

/** The environment variables `pedigree node` reads, by setting (graph-node's names). */
export const LIMIT_ENV_VARS: Readonly<Record<keyof QueryLimits, string>> = {
  maxComplexity: "GRAPH_GRAPHQL_MAX_COMPLEXITY",
  maxDepth: "GRAPH_GRAPHQL_MAX_DEPTH",
  maxFirst: "GRAPH_GRAPHQL_MAX_FIRST",
  maxSkip: "GRAPH_GRAPHQL_MAX_SKIP",
  maxFields: "GRAPH_GRAPHQL_MAX_FIELDS",
  queryTimeoutMs: "GRAPH_GRAPHQL_QUERY_TIMEOUT",
  errorResultSize: "GRAPH_GRAPHQL_ERROR_RESULT_SIZE",
};

/**
 * Limits set in `env` (graph-node's variables; `GRAPH_GRAPHQL_QUERY_TIMEOUT` in seconds, the others whole numbers,
 * `_` allowed as a digit separator like graph-node's `NoUnderscores`). Unset or empty variables are left out.
 *
 * @throws QueryLimitsError naming the variable when a value is not a number.
 */
export function queryLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<QueryLimits> {
  const limits: Partial<QueryLimits> = {};
  for (const [key, name] of Object.entries(LIMIT_ENV_VARS) as [keyof QueryLimits, string][]) {
    const text = env[name]?.trim();
    if (!text) continue;
    const value = Number(text.replaceAll("_", ""));
    if (!Number.isFinite(value)) throw new QueryLimitsError(`${name} must be a number, not ${JSON.stringify(text)}`, key);
    limits[key] = key === "queryTimeoutMs" ? Math.round(value * 1000) : value;
  }
  return limits;
}
