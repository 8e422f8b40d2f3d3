/**
 * HTTP server for a subgraph's GraphQL API, answering like graph-node's query node
 * (`server/http/src/service.rs`, `graph/src/data/query/result.rs`):
 *
 * - `POST /subgraphs/name/<name>` (and `POST /subgraphs/id/<deployment>`) with `{ query, variables }`: 200 with the
 *   graph-node response body and headers `graph-attestable`, `graph-indexed`. Another subgraph name:
 *   `deployment `<name>` does not exist`.
 * - POST without `Content-Type` or without a body, unparsable JSON, a missing or non-string `query`, non-object
 *   `variables`: 400 `{ "error": … }` with graph-node's messages.
 * - `OPTIONS` on those paths: the CORS preflight answer.
 *
 * Unlike graph-node, which answers every origin (`Access-Control-Allow-Origin: *`) and any body, the server protects
 * a developer's machine from the web pages open in their browser and itself from oversized work (see http-policy.ts,
 * limits.ts): a foreign `Host` on a loopback bind or a foreign `Origin` gets 403, a POST body that is not JSON 415,
 * a body over `maxBodyBytes` 413 (unread), and CORS headers go only to `corsOrigins`. At most
 * `maxConcurrentQueries` queries run at once and `maxQueuedQueries` wait; more get 503 with graph-node's "service is
 * overloaded" error. Each query runs under the executor's {@link QueryLimits}.
 * - `GET /subgraphs/name/<name>`: 302 to `/subgraphs/name/<name>/graphql` (graph-node's redirect), which serves the
 *   query console (see graphiql.ts); `GET /`: graph-node's index message.
 * - Any other path: 404 `{ "message": "Not found" }` (graph-node answers 200 with that body).
 *
 * @example
 * const server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmLocal" });
 * const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ query: "{ _meta { block { number } } }" }) });
 * await server.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseSchema, type SubgraphSchema } from "../schema/schema.ts";
import type { Store } from "../store/types.ts";
import { QueryErrors } from "./errors.ts";
import { createQueryExecutor, type GraphQLRequest, type QueryExecutor, type QueryOutcome } from "./execute.ts";
import { graphiqlHtml } from "./graphiql.ts";
import { staticAnswer, type StaticSite } from "./static-site.ts";
import { HttpPolicy, isJsonContentType } from "./http-policy.ts";
import { HTTP_DEFAULTS, type QueryLimits } from "./limits.ts";
import { GateFullError, QueryGate } from "./query-gate.ts";
import { BodyTooLargeError, readBody } from "./read-body.ts";

export interface GraphQLServerOptions {
  store: Store;
  /** The subgraph schema, parsed or as schema.graphql text. */
  schema: SubgraphSchema | string;
  /** The name the subgraph is served under (`/subgraphs/name/<subgraphName>`), e.g. "pedigree/lineage". */
  subgraphName: string;
  /** Deployment id reported by `_meta.deployment`; also served under `/subgraphs/id/<deployment>`. */
  deployment: string;
  /** The first queryable block (graph-node: the deployment's start block). Default 0. */
  earliestBlock?: number;
  /** Reuse error-free responses while the head is unchanged (graph-node's query cache). Default true. */
  cacheResults?: boolean;
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Limits on each query (graph-node's settings); missing ones take the defaults of limits.ts. */
  limits?: Partial<QueryLimits>;
  /** Largest request body in bytes. Default 262144 (256 KiB). */
  maxBodyBytes?: number;
  /** Origins other sites may query from (`https://dapp.example`), or `["*"]` for any. Default none. */
  corsOrigins?: readonly string[];
  /** Host names served on a loopback bind besides localhost, 127.0.0.1 and [::1]. Default none. */
  allowedHosts?: readonly string[];
  /** Queries run at once. Default 4. */
  maxConcurrentQueries?: number;
  /** Queries waiting for a slot; beyond, 503. Default 64. */
  maxQueuedQueries?: number;
  /** A static site served beside the API (the lineage explorer), told the subgraph's URL by its `config.json`. */
  site?: StaticSite;
}


export interface GraphQLServer {
  /** The subgraph's query URL: `http://<host>:<port>/subgraphs/name/<subgraphName>`. */
  url: string;
  port: number;
  /** The executor behind the server (for in-process queries with the same semantics). */
  executor: QueryExecutor;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Thrown when the server cannot start (bad subgraph name, port in use). */
export class GraphQLServerError extends Error {
  override name = "GraphQLServerError";
}

type Headers = Record<string, string>;

function send(res: ServerResponse, status: number, headers: Headers, body: string | Buffer): void {
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body).toString() });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Headers) =>
  send(res, status, { "Content-Type": "application/json", ...headers }, JSON.stringify(value));

/** `{ "error": message }` with `status` (400 is graph-node's `client_error`). */
const clientError = (res: ServerResponse, message: string, headers: Headers, status = 400) => sendJson(res, status, { error: message }, headers);

/** 413 without reading the rest of the body: the connection is closed once the answer is out. */
function refuseBody(res: ServerResponse, error: BodyTooLargeError, headers: Headers): void {
  res.once("finish", () => res.socket?.destroySoon());
  clientError(res, error.message, { ...headers, Connection: "close" }, 413);
}

/** A whole number ≥ 1 for an option, or its default. */
function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new GraphQLServerError(`${name} must be a whole number ≥ 1, not ${value}`);
  return value;
}

/** graph-node's `parse_graphql_request`; returns an error message for a 400 answer. */
function parseRequest(body: Buffer): GraphQLRequest | string {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) return "Request data is not an object";
  const object = json as Record<string, unknown>;
  if (!("query" in object)) return 'The "query" field is missing in request data';
  if (typeof object.query !== "string") return 'The "query" field is not a string';
  const variables = object.variables;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    return "Invalid query variables provided";
  }
  return {
    query: object.query,
    variables: (variables ?? null) as Record<string, unknown> | null,
    operationName: typeof object.operationName === "string" ? object.operationName : null,
  };
}

function sendOutcome(res: ServerResponse, outcome: QueryOutcome, headers: Headers): void {
  send(
    res,
    200,
    {
      "Content-Type": "application/json",
      ...headers,
      "graph-attestable": String(outcome.attestable),
      "graph-indexed": JSON.stringify(outcome.indexedBlock),
    },
    JSON.stringify(outcome.body),
  );
}

/**
 * Starts serving the subgraph's GraphQL API.
 *
 * @throws GraphQLServerError if the subgraph name is empty, an HTTP limit is not a whole number ≥ 1 or the port
 *   cannot be bound.
 * @throws HttpPolicyError for a CORS origin that is not an origin; QueryLimitsError for an unusable query limit.
 * @throws ApiSchemaError if the schema cannot be served.
 */
export async function startGraphQLServer(options: GraphQLServerOptions): Promise<GraphQLServer> {
  const subgraphName = options.subgraphName.split("/").filter((s) => s !== "").join("/");
  if (subgraphName === "") throw new GraphQLServerError("subgraphName must not be empty");
  const schema = typeof options.schema === "string" ? parseSchema(options.schema) : options.schema;
  const executor = createQueryExecutor({
    store: options.store,
    schema,
    deployment: options.deployment,
    earliestBlock: options.earliestBlock,
    cacheResults: options.cacheResults,
    limits: options.limits,
  });
  const host = options.host ?? "127.0.0.1";
  const policy = new HttpPolicy({ bindHost: host, corsOrigins: options.corsOrigins ?? [], allowedHosts: options.allowedHosts ?? [] });
  const maxBodyBytes = positive("maxBodyBytes", options.maxBodyBytes, HTTP_DEFAULTS.maxBodyBytes);
  const gate = new QueryGate({
    concurrent: positive("maxConcurrentQueries", options.maxConcurrentQueries, HTTP_DEFAULTS.maxConcurrentQueries),
    queued: positive("maxQueuedQueries", options.maxQueuedQueries, HTTP_DEFAULTS.maxQueuedQueries),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const segments = url.pathname.split("/").slice(1);
    const method = req.method ?? "GET";
    const isSubgraphPath =
      segments[0] === "subgraphs" && ((segments[1] === "name" && segments.length >= 3) || (segments[1] === "id" && segments.length === 3));

    const refusal = policy.refusal(req.headers);
    if (refusal) return clientError(res, refusal.error, {}, refusal.status);
    const cors = policy.corsHeaders(req.headers);

    if (method === "POST") {
      const contentType = req.headers["content-type"];
      if (contentType === undefined) return clientError(res, "Content-Type header is required", cors);
      if (!isJsonContentType(contentType)) {
        return clientError(res, `Content-Type must be application/json, not ${contentType}: send the query as JSON`, cors, 415);
      }
      const length = Number(req.headers["content-length"]);
      if (!Number.isInteger(length) || length <= 0) return clientError(res, "Body is required", cors);
    }

    if (method === "GET" && options.site) {
      const answer = await staticAnswer(options.site, url.pathname, `/subgraphs/name/${subgraphName}`);
      if (answer) return send(res, answer.status, answer.headers, answer.body);
    }
    if (method === "GET" && url.pathname === "/") {
      const message = "Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>";
      return sendJson(res, 200, { message }, cors);
    }
    if (method === "GET" && segments[0] === "subgraphs" && segments[segments.length - 1] === "graphql") {
      const inner = segments.slice(0, -1);
      if ((inner[1] === "name" && inner.length >= 3) || (inner[1] === "id" && inner.length === 3)) {
        return send(res, 200, { "Content-Type": "text/html; charset=utf-8", ...cors }, graphiqlHtml(subgraphName));
      }
    }
    if (method === "GET" && isSubgraphPath) {
      if ((url.searchParams.get("query") ?? "").trim().toLowerCase().startsWith("mutation")) {
        return clientError(res, "Can't use mutations with GET method", cors);
      }
      const location = `/${segments.filter((s) => s !== "").join("/")}/graphql`;
      return send(res, 302, { Location: location, "Content-Type": "text/plain; charset=utf-8", ...cors }, "Redirecting...");
    }
    if (method === "OPTIONS" && isSubgraphPath) {
      return send(res, 200, { ...cors, "Content-Type": "text/html; charset=utf-8" }, "");
    }
    if (method === "POST" && isSubgraphPath) {
      const target = segments.slice(2).filter((s) => s !== "").join("/");
      let body: Buffer;
      try {
        body = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuseBody(res, error, cors);
        throw error;
      }
      const request = parseRequest(body);
      if (typeof request === "string") return clientError(res, request, cors);
      const served = segments[1] === "name" ? target === subgraphName : target === options.deployment;
      if (!served) {
        const error = QueryErrors.deploymentNotFound(target);
        return sendOutcome(res, { body: { errors: [error.toJSON()] }, attestable: false, indexedBlock: null, storeQueries: 0 }, cors);
      }
      try {
        return sendOutcome(res, await gate.run(() => executor.execute(request)), cors);
      } catch (error) {
        if (error instanceof GateFullError) return sendJson(res, 503, { errors: [{ message: error.message }] }, { ...cors, "Retry-After": "1" });
        throw error;
      }
    }
    return sendJson(res, 404, { message: "Not found" }, cors);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      send(res, 500, { "Content-Type": "text/plain; charset=utf-8" }, `Internal server error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(new GraphQLServerError(`Cannot listen on ${host}:${options.port ?? 0}: ${error.message}`)));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/subgraphs/name/${subgraphName}`,
    port,
    executor,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
