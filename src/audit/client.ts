/**
 * The audit client: a GraphQL connection to the Pedigree lineage subgraph — the embedded indexer of this project, a
 * graph-node, or Subgraph Studio — with optional time travel. Every audit function takes one.
 *
 * Time travel: a client created with `block` (or derived with {@link AuditClient.at}) adds graph-node's
 * `block: { number: N }` argument to every root field of every query it sends (`_meta` included), so any audit can be
 * asked "as of block N". Nested fields follow their root field's block, as graph-node does.
 */
import { InvalidInputError } from "../core/errors.ts";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ClientError, GraphQLClient } from "graphql-request";
import pLimit, { type LimitFunction } from "p-limit";
import { Kind, print, type ArgumentNode, type DocumentNode, type ObjectFieldNode, type SelectionSetNode, type ValueNode } from "graphql";
import {
  AuditError,
  BlockNotIndexedError,
  SubgraphQueryError,
  SubgraphUnreachableError,
} from "./errors.ts";
import { MetaDocument } from "./generated/graphql.ts";
import { DEFAULT_TIMEOUT_MS, noAnswerWithin } from "../core/timeouts.ts";

/** Default of {@link AuditClientOptions.maxConcurrentRequests}: twice the queries the embedded server runs at once. */
const DEFAULT_CONCURRENT_REQUESTS = 8;

/** graph-node's `Block_height`: a block number, a block hash, or "at least this block". */
export type BlockConstraint = { number: number } | { hash: string } | { number_gte: number };

/** A block to query at: a number (or bigint), or a {@link BlockConstraint}. */
export type BlockInput = number | bigint | BlockConstraint;

/** Options of {@link createAuditClient}. */
export interface AuditClientOptions {
  /** GraphQL endpoint, e.g. `http://127.0.0.1:8000/subgraphs/name/pedigree` or a Subgraph Studio query URL. */
  url: string;
  /** Answer every query as of this block (time travel); latest when omitted. */
  block?: BlockInput;
  /** Extra HTTP headers (e.g. `Authorization` for a gateway). */
  headers?: Record<string, string>;
  /** Give up on an answer after this many milliseconds (default 30 000); the connection is closed then. */
  timeoutMs?: number;
  /** The fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /**
   * Requests in flight at once, across this client and those derived from it (default 8); the others wait their turn,
   * and their timeout starts when they are sent. Audits fan out (the report asks for the royalties of every dataset in
   * scope at once), and a server answers "service is overloaded" beyond the queries it runs and queues.
   */
  maxConcurrentRequests?: number;
}

/** The subgraph's `_meta`: the block an answer reflects. */
export interface SubgraphMeta {
  blockNumber: number;
  /** Null when the query asked for a block number (graph-node does not look the hash up). */
  blockHash: string | null;
  /** Unix seconds, when the endpoint reports it. */
  timestamp: number | null;
  deployment: string;
  hasIndexingErrors: boolean;
}

/** Counters of a client and the clients derived from it (for checking how many round trips an audit takes). */
export interface AuditClientStats {
  /** GraphQL requests sent. */
  requests: number;
}

/**
 * A connection to the lineage subgraph, pinned to a block or following the latest one.
 *
 * @example
 * const client = createAuditClient({ url: "http://127.0.0.1:8000/subgraphs/name/pedigree" });
 * const then = client.at(1234); // every audit through `then` answers as of block 1234
 */
export interface AuditClient {
  /** The GraphQL endpoint. */
  readonly url: string;
  /** The block every query is answered at, or undefined for the latest indexed block. */
  readonly block: BlockConstraint | undefined;
  /** Request counter, shared with the clients derived with {@link at}. */
  readonly stats: AuditClientStats;
  /**
   * The same endpoint answering as of `block` (null or undefined: the latest block).
   *
   * @example
   * const before = await liveAt(client.at(result.blocks.beforeRollback), { modelId: 1n, environment: "production" });
   */
  at(block: BlockInput | null | undefined): AuditClient;
  /**
   * Sends one GraphQL document (with the client's block added to every root field) and returns its data, typed by the
   * document: the audit's documents live in ./documents/*.graphql and are typed from the subgraph's schema by
   * graphql-codegen (`npm run build`).
   *
   * @example
   * import { MetaDocument } from "./generated/graphql.ts";
   * const { _meta } = await client.request(MetaDocument, {});
   * @throws SubgraphUnreachableError, SubgraphQueryError, BlockNotIndexedError — one-line messages naming the URL.
   */
  request<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult>;
  /**
   * The block the client's answers reflect, and the deployment.
   *
   * @example
   * const { blockNumber } = await client.meta();
   */
  meta(): Promise<SubgraphMeta>;
}

/** Normalises a {@link BlockInput}. */
export function toBlockConstraint(block: BlockInput, field = "block"): BlockConstraint {
  const checkNumber = (n: unknown, name: string): number => {
    const value = typeof n === "bigint" ? Number(n) : n;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > 2 ** 31 - 1) {
      throw new InvalidInputError(field, `${name} ${String(n)} is not a block number; give a non-negative integer`);
    }
    return value;
  };
  if (typeof block === "number" || typeof block === "bigint") return { number: checkNumber(block, field) };
  if (block === null || typeof block !== "object") {
    throw new InvalidInputError(field, `${field} must be a block number or { number }, { hash } or { number_gte }`);
  }
  if ("hash" in block) {
    if (typeof block.hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(block.hash)) {
      throw new InvalidInputError(field, `${field}.hash ${String(block.hash)} is not a block hash; give 0x and 64 hex digits`);
    }
    return { hash: block.hash.toLowerCase() };
  }
  if ("number" in block) return { number: checkNumber(block.number, `${field}.number`) };
  if ("number_gte" in block) return { number_gte: checkNumber(block.number_gte, `${field}.number_gte`) };
  throw new InvalidInputError(field, `${field} must be a block number or { number }, { hash } or { number_gte }`);
}

function blockArgument(block: BlockConstraint): ArgumentNode {
  const [key, raw] = Object.entries(block)[0] as [string, number | string];
  const value: ValueNode = typeof raw === "number" ? { kind: Kind.INT, value: String(raw) } : { kind: Kind.STRING, value: raw };
  const field: ObjectFieldNode = { kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: key }, value };
  return {
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: "block" },
    value: { kind: Kind.OBJECT, fields: [field] },
  };
}

/**
 * Adds `block: {…}` to every root field (except introspection fields and those that already have one): the fields of
 * each operation and of each fragment on `Query` (root fields a document shares between operations).
 */
export function withBlock(document: DocumentNode, block: BlockConstraint): DocumentNode {
  const argument = blockArgument(block);
  const addTo = (selectionSet: SelectionSetNode): SelectionSetNode => ({
    ...selectionSet,
    selections: selectionSet.selections.map((selection) => {
      if (selection.kind !== Kind.FIELD || selection.name.value.startsWith("__")) return selection;
      if (selection.arguments?.some((a) => a.name.value === "block")) return selection;
      return { ...selection, arguments: [...(selection.arguments ?? []), argument] };
    }),
  });
  return {
    ...document,
    definitions: document.definitions.map((definition) => {
      if (definition.kind === Kind.OPERATION_DEFINITION) return { ...definition, selectionSet: addTo(definition.selectionSet) };
      if (definition.kind === Kind.FRAGMENT_DEFINITION && definition.typeCondition.name.value === "Query") {
        return { ...definition, selectionSet: addTo(definition.selectionSet) };
      }
      return definition;
    }),
  };
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

function firstLine(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** Turns whatever a request threw into an {@link AuditError} with a one-line message. */
function translate(error: unknown, url: string, timeoutMs: number): AuditError {
  if (error instanceof AuditError) return error;
  if (error instanceof ClientError) {
    const errors = error.response.errors;
    if (errors && errors.length > 0) {
      const message = String(errors[0]!.message ?? "");
      const ahead = /has only indexed up to block number (\d+) and data for block number (\d+)/.exec(message);
      if (ahead) return new BlockNotIndexedError(url, Number(ahead[2]), Number(ahead[1]), undefined, { cause: error });
      const before = /only has data starting at block number (\d+) and data for block number (\d+)/.exec(message);
      if (before) {
        return new BlockNotIndexedError(url, Number(before[2]), null, `its data starts at block ${before[1]}`, { cause: error });
      }
      if (/no block with that hash found/.test(message)) {
        return new BlockNotIndexedError(url, null, null, "no indexed block has that hash", { cause: error });
      }
      return new SubgraphQueryError(url, firstLine(message), { cause: error });
    }
    const status = error.response.status;
    return new SubgraphUnreachableError(url, status >= 200 && status < 300 ? "the answer is not GraphQL" : `HTTP ${status}`, {
      cause: error,
    });
  }
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure?.name === "TimeoutError" || failure?.name === "AbortError") {
    return new SubgraphUnreachableError(url, noAnswerWithin(timeoutMs), { cause: error });
  }
  if (failure?.name === "SyntaxError") return new SubgraphUnreachableError(url, "the answer is not GraphQL JSON", { cause: error });
  const code = failure?.cause?.code;
  const reason = (code && NETWORK_REASONS[code]) ?? firstLine(failure?.cause?.message ?? failure?.message ?? String(error));
  return new SubgraphUnreachableError(url, reason, { cause: error });
}

class GraphAuditClient implements AuditClient {
  readonly url: string;
  readonly block: BlockConstraint | undefined;
  readonly stats: AuditClientStats;
  readonly #graph: GraphQLClient;
  readonly #options: AuditClientOptions;
  readonly #timeoutMs: number;
  readonly #documents = new WeakMap<DocumentNode, string>();
  /** Shared with the clients derived with {@link at}, like the stats. */
  readonly #limit: LimitFunction;

  constructor(options: AuditClientOptions, block: BlockConstraint | undefined, stats: AuditClientStats, limit: LimitFunction) {
    this.#options = options;
    this.stats = stats;
    this.#limit = limit;
    this.url = options.url;
    this.block = block;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#graph = new GraphQLClient(options.url, {
      headers: options.headers,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  at(block: BlockInput | null | undefined): AuditClient {
    return new GraphAuditClient(this.#options, block === null || block === undefined ? undefined : toBlockConstraint(block), this.stats, this.#limit);
  }

  /** The document's text with the client's block, printed once per document. */
  #text(document: DocumentNode): string {
    let text = this.#documents.get(document);
    if (text === undefined) {
      text = print(this.block ? withBlock(document, this.block) : document);
      this.#documents.set(document, text);
    }
    return text;
  }

  async request<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const text = this.#text(document);
    this.stats.requests++;
    try {
      return await this.#limit(() => this.#graph.request<TResult>({ document: text, variables, signal: AbortSignal.timeout(this.#timeoutMs) }));
    } catch (error) {
      throw translate(error, this.url, this.#timeoutMs);
    }
  }

  async meta(): Promise<SubgraphMeta> {
    const { _meta } = await this.request(MetaDocument, {});
    if (!_meta) throw new SubgraphUnreachableError(this.url, "the answer has no _meta: it is not a subgraph");
    return {
      blockNumber: _meta.block.number,
      blockHash: _meta.block.hash,
      timestamp: _meta.block.timestamp,
      deployment: _meta.deployment,
      hasIndexingErrors: _meta.hasIndexingErrors,
    };
  }
}

/**
 * Creates an {@link AuditClient} for a lineage subgraph endpoint. Nothing is sent until the first audit.
 *
 * @example
 * import { createAuditClient, whatTrainedThis } from "./audit/index.ts";
 * const client = createAuditClient({ url: "http://127.0.0.1:8000/subgraphs/name/pedigree" });
 * const lineage = await whatTrainedThis(client, 3n);
 * const asOfBlock = await whatTrainedThis(client.at(120), 3n);
 * @throws InvalidInputError when `url` is not an http(s) URL or `block` is malformed.
 */
export function createAuditClient(options: AuditClientOptions): AuditClient {
  if (options === null || typeof options !== "object" || typeof options.url !== "string") {
    throw new InvalidInputError("url", "the subgraph URL is required; give e.g. http://127.0.0.1:8000/subgraphs/name/pedigree");
  }
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new InvalidInputError("url", `${JSON.stringify(options.url)} is not a URL; give e.g. http://127.0.0.1:8000/subgraphs/name/pedigree`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidInputError("url", `the subgraph URL ${options.url} must use http or https`);
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new InvalidInputError("timeoutMs", `timeoutMs ${String(options.timeoutMs)} must be a positive number of milliseconds`);
  }
  const concurrent = options.maxConcurrentRequests ?? DEFAULT_CONCURRENT_REQUESTS;
  if (!(Number.isSafeInteger(concurrent) && concurrent > 0)) {
    throw new InvalidInputError("maxConcurrentRequests", `maxConcurrentRequests ${String(concurrent)} must be a whole number ≥ 1`);
  }
  const block = options.block === undefined ? undefined : toBlockConstraint(options.block);
  return new GraphAuditClient(options, block, { requests: 0 }, pLimit(concurrent));
}
