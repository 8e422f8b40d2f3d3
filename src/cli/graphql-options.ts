/**
 * `pedigree node`'s options for its GraphQL server: graph-node's query limits — as flags, or from graph-node's
 * environment variables (`GRAPH_GRAPHQL_MAX_DEPTH`, …; a flag wins) — and what the server accepts over HTTP.
 *
 * @example
 * addGraphQLOptions(program.command("node"));
 * const { queryLimits, http } = graphqlSettings(options, process.env, "127.0.0.1");
 */
import type { Command } from "commander";
import { HttpPolicy, HttpPolicyError } from "../indexer/graphql/http-policy.ts";
import {
  DEFAULT_QUERY_LIMITS,
  HTTP_DEFAULTS,
  LIMIT_ENV_VARS,
  QueryLimitsError,
  queryLimitsFromEnv,
  resolveQueryLimits,
  type QueryLimits,
} from "../indexer/graphql/limits.ts";
import { CliError } from "./errors.ts";

/** The flags as commander hands them over. */
export interface GraphQLFlags {
  maxComplexity?: string;
  maxDepth?: string;
  maxFirst?: string;
  maxSkip?: string;
  maxFields?: string;
  queryTimeout?: string;
  errorResultSize?: string;
  maxBodyBytes?: string;
  corsOrigin?: string[];
  allowedHost?: string[];
  maxConcurrentQueries?: string;
}

/** What `startIndexer` takes. */
export interface GraphQLSettings {
  queryLimits: QueryLimits;
  http: { maxBodyBytes: number; maxConcurrentQueries: number; corsOrigins: string[]; allowedHosts: string[] };
}

/** The flag of each limit (the timeout flag is in seconds, like graph-node's variable). */
const FLAGS: Readonly<Record<keyof QueryLimits, keyof GraphQLFlags>> = {
  maxComplexity: "maxComplexity",
  maxDepth: "maxDepth",
  maxFirst: "maxFirst",
  maxSkip: "maxSkip",
  maxFields: "maxFields",
  queryTimeoutMs: "queryTimeout",
  errorResultSize: "errorResultSize",
};

const kebab = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Adds the GraphQL flags to `command`. */
export function addGraphQLOptions(command: Command): Command {
  const d = DEFAULT_QUERY_LIMITS;
  const env = (key: keyof QueryLimits) => LIMIT_ENV_VARS[key];
  return command
    .option("--max-depth <n>", `deepest nesting of a query's selections (${env("maxDepth")}; default ${d.maxDepth})`)
    .option("--max-fields <n>", `fields a query may select once its fragments are expanded (${env("maxFields")}; default ${d.maxFields})`)
    .option("--max-first <n>", `largest \`first\` (${env("maxFirst")}; default ${d.maxFirst})`)
    .option("--max-skip <n>", `largest \`skip\` (${env("maxSkip")}; default ${d.maxSkip})`)
    .option("--max-complexity <n>", `graph-node's complexity limit (${env("maxComplexity")}; default none)`)
    .option("--query-timeout <seconds>", `no store query starts after this (${env("queryTimeoutMs")}; default ${d.queryTimeoutMs / 1000})`)
    .option("--error-result-size <bytes>", `bytes a query may load and answer (${env("errorResultSize")}; default ${d.errorResultSize})`)
    .option("--max-body-bytes <bytes>", `largest request body (default ${HTTP_DEFAULTS.maxBodyBytes})`)
    .option("--max-concurrent-queries <n>", `queries run at once; ${HTTP_DEFAULTS.maxQueuedQueries} more wait, others get 503 (default ${HTTP_DEFAULTS.maxConcurrentQueries})`)
    .option("--cors-origin <origin...>", "let pages of these origins query from a browser (https://dapp.example, or * for any; default none)")
    .option("--allowed-host <host...>", "host names served besides localhost when listening on a loopback address (default none)");
}

/** A whole number from a flag or variable (`_` allowed as a digit separator). */
function count(text: string, what: string, min: number): number {
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < min) throw new CliError(`${what} must be a whole number ≥ ${min}, not ${text}`);
  return value;
}

/**
 * The settings from `flags` over graph-node's variables in `env`, validated.
 *
 * @throws CliError naming the flag (and variable) of an unusable value.
 */
export function graphqlSettings(flags: GraphQLFlags, env: Readonly<Record<string, string | undefined>>, bindHost: string): GraphQLSettings {
  let queryLimits: QueryLimits;
  try {
    const overrides: Partial<QueryLimits> = queryLimitsFromEnv(env);
    for (const [key, flag] of Object.entries(FLAGS) as [keyof QueryLimits, keyof GraphQLFlags][]) {
      const text = flags[flag];
      if (typeof text !== "string") continue;
      if (key === "queryTimeoutMs") {
        const seconds = Number(text);
        if (!(seconds > 0)) throw new CliError(`--query-timeout must be a number of seconds > 0, not ${text}`);
        overrides.queryTimeoutMs = Math.round(seconds * 1000);
      } else {
        overrides[key] = count(text, kebab(flag), 0);
      }
    }
    queryLimits = resolveQueryLimits(overrides);
  } catch (error) {
    if (!(error instanceof QueryLimitsError)) throw error;
    throw new CliError(`${kebab(FLAGS[error.setting])} / ${LIMIT_ENV_VARS[error.setting]}: ${error.message}`);
  }
  const http = {
    maxBodyBytes: flags.maxBodyBytes === undefined ? HTTP_DEFAULTS.maxBodyBytes : count(flags.maxBodyBytes, "--max-body-bytes", 1),
    maxConcurrentQueries:
      flags.maxConcurrentQueries === undefined ? HTTP_DEFAULTS.maxConcurrentQueries : count(flags.maxConcurrentQueries, "--max-concurrent-queries", 1),
    corsOrigins: flags.corsOrigin ?? [],
    allowedHosts: flags.allowedHost ?? [],
  };
  try {
    new HttpPolicy({ bindHost, corsOrigins: http.corsOrigins, allowedHosts: http.allowedHosts });
  } catch (error) {
    if (error instanceof HttpPolicyError) throw new CliError(`--cors-origin: ${error.message}`);
    throw error;
  }
  return { queryLimits, http };
}
