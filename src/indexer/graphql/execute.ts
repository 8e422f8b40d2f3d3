/**
 * Executes GraphQL queries against the store exactly like graph-node's query runner
 * (`graphql/src/runner.rs`, `graphql/src/execution/*`, `graphql/src/store/{resolver,prefetch,query}.rs`):
 *
 * 1. parse; read the deployment state (head, indexing error);
 * 2. prepare the query (single operation, variables, fragments, directives, argument coercion);
 * 3. group consecutive root fields by their `block` constraint and locate each group's block (errors name the
 *    latest indexed block);
 * 4. per group: prefetch all entities level by level (one store query per field per level), complete the result,
 *    answer `_meta` and introspection, then apply the `subgraphError` policy when indexing errors are visible;
 * 5. merge the groups: `data` if any group has data, `errors` if any group has errors (graph-node never returns
 *    partial data within a group and omits `data` rather than sending `null`).
 *
 * The operator's {@link QueryLimits} bound each request: its shape is measured before anything runs (depth, fields,
 * complexity), its store queries stop at the deadline or once `errorResultSize` bytes are loaded, and its answer is
 * measured before it is built. A request that runs out answers with that one error and no data.
 *
 * @example
 * const executor = createQueryExecutor({ store, schema: parseSchema(sdl), deployment: "QmLocal" });
 * const { body } = await executor.execute({ query: "{ datasets(first: 5) { id creator { id } } }" });
 */
import { GraphQLError, parse, type DocumentNode } from "graphql";
import type { SubgraphSchema } from "../schema/schema.ts";
import type { Store } from "../store/types.ts";
import { buildApiSchema, type ApiSchema } from "./api-schema.ts";
import {
  BlockHashIndex,
  blockConstraint,
  deploymentState,
  hasIndexingErrorsAt,
  locateBlock,
  metaBlock,
  sameConstraint,
  type BlockConstraint,
  type DeploymentState,
  type ResolvedBlock,
} from "./blocks.ts";
import { BoundedCache } from "./bounded-cache.ts";
import { QueryBudget } from "./budget.ts";
import { completeObject, type JsonValue } from "./complete.ts";
import { INDEXING_ERROR, QueryErrors, QueryExecutionError, type GraphQLErrorJson } from "./errors.ts";
import { EnumValue } from "./input-values.ts";
import { executeIntrospection } from "./introspection.ts";
import { prefetch, StoreQueue, type Node, type PrefetchContext } from "./prefetch.ts";
import { resolveQueryLimits, type QueryLimits } from "./limits.ts";
import { prepareQuery, SelectionSet, type PreparedField, type PreparedQuery } from "./prepare.ts";
import { measureResult } from "./result-size.ts";

/** A GraphQL request as clients POST it. `operationName` is accepted and ignored, like graph-node does. */
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** A response body exactly as graph-node sends it. */
export interface GraphQLResponseBody {
  data?: { [key: string]: JsonValue };
  errors?: GraphQLErrorJson[];
}

/** The latest indexed block as graph-node reports it in the `graph-indexed` response header. */
export interface IndexedBlockInfo {
  hash: string;
  number: number;
  timestamp: number | null;
}

/** The outcome of one request. */
export interface QueryOutcome {
  body: GraphQLResponseBody;
  /** Whether every error is deterministic (graph-node's `graph-attestable` header). */
  attestable: boolean;
  /** The deployment's latest block, when known (`graph-indexed` header). */
  indexedBlock: IndexedBlockInfo | null;
  /** Number of store queries the request issued. */
  storeQueries: number;
}

export interface QueryExecutorOptions {
  store: Store;
  /** The subgraph schema (or an API schema already generated from it). */
  schema: SubgraphSchema | ApiSchema;
  /** Deployment id (IPFS hash of the manifest) reported by `_meta.deployment` and in error messages. */
  deployment: string;
  /**
   * The first block queries may ask for; earlier `block: { number }` constraints get graph-node's "only has data
   * starting at block number" error. graph-node uses the deployment's start block. Default 0.
   */
  earliestBlock?: number;
  /**
   * Reuse the response of an identical request (same query text and variables) while the deployment's head and
   * indexing error are unchanged, like graph-node's query result cache. Responses with errors are never reused.
   * Default true. Data at a block is immutable as long as its hash is: reverting and re-committing a block under the
   * same hash with different changes would be served stale results (a real chain cannot do that).
   */
  cacheResults?: boolean;
  /** Limits on each query (graph-node's settings); missing ones take the defaults of limits.ts. */
  limits?: Partial<QueryLimits>;
}

/** Bounds of the response cache (entries, and approximate bytes of JSON; one response at most a sixteenth). */
export const RESULT_CACHE_LIMITS = { entries: 1000, bytes: 64 * 1024 * 1024, maxEntryBytes: 4 * 1024 * 1024 } as const;
/**
 * Bounds of the parsed-document cache, in bytes of query text: a parsed document takes about 90 times its text in
 * memory, so this holds at most about 45 MB; longer queries are parsed every time.
 */
export const DOCUMENT_CACHE_LIMITS = { entries: 1000, bytes: 512 * 1024, maxEntryBytes: 64 * 1024 } as const;

type ErrorPolicy = "allow" | "deny";

interface Group {
  constraint: BlockConstraint;
  policy: ErrorPolicy;
  fields: PreparedField[];
}

/** What the groups of one request share: its store-query count and its budget. */
interface RunState {
  counter: { queries: number };
  budget: QueryBudget;
}

interface GroupResult {
  data?: { [key: string]: JsonValue };
  errors: QueryExecutionError[];
}

const INTROSPECTION_FIELDS = new Set(["__schema", "__type"]);
const META_FIELDS = new Set(["_meta", "__typename"]);

const isApiSchema = (schema: SubgraphSchema | ApiSchema): schema is ApiSchema => "sdl" in schema;

function asErrors(error: unknown): QueryExecutionError[] {
  const list = Array.isArray(error) ? error : [error];
  return list.map((e) =>
    e instanceof QueryExecutionError ? e : QueryErrors.store(e instanceof Error ? e.message : String(e), e),
  );
}

/** Executes queries of one deployment against a store. Create once, reuse for every request. */
export class QueryExecutor {
  /** The generated API schema (graph-node's). */
  readonly api: ApiSchema;
  private readonly store: Store;
  private readonly deployment: string;
  private readonly earliestBlock: number;
  private readonly hashes: BlockHashIndex;
  private readonly rootTypes: ReadonlyMap<string, string>;
  private readonly cacheResults: boolean;
  /** The limits every query runs under. */
  readonly limits: QueryLimits;
  /** Error-free outcomes by request and deployment state. */
  private readonly results = new BoundedCache<string, QueryOutcome>(RESULT_CACHE_LIMITS);
  /** Parsed documents by query text (clients send the same few queries over and over). */
  private readonly documents = new BoundedCache<string, DocumentNode>(DOCUMENT_CACHE_LIMITS);
  /** Requests loading from the store now. */
  private loading = 0;

  constructor(options: QueryExecutorOptions) {
    this.api = isApiSchema(options.schema) ? options.schema : buildApiSchema(options.schema);
    this.store = options.store;
    this.deployment = options.deployment;
    this.earliestBlock = options.earliestBlock ?? 0;
    this.cacheResults = options.cacheResults ?? true;
    this.limits = resolveQueryLimits(options.limits);
    this.hashes = new BlockHashIndex(options.store);
    const rootTypes = new Map<string, string>();
    for (const [name, info] of this.api.queryFields) if (info.kind !== "meta") rootTypes.set(name, info.typeName);
    this.rootTypes = rootTypes;
  }

  /** Runs one request and returns graph-node's response. Never throws for query problems. */
  async execute(request: GraphQLRequest): Promise<QueryOutcome> {
    const budget = QueryBudget.start(this.limits);
    const counter = { queries: 0 };
    let indexedBlock: IndexedBlockInfo | null = null;
    const outcome = (body: GraphQLResponseBody, errors: QueryExecutionError[]): QueryOutcome => ({
      body,
      attestable: errors.every((e) => e.attestable),
      indexedBlock,
      storeQueries: counter.queries,
    });
    const failed = (errors: QueryExecutionError[]) => outcome({ errors: errors.map((e) => e.toJSON()) }, errors);

    let document: DocumentNode;
    try {
      document = this.parse(request.query);
    } catch (error) {
      const parseError = error as GraphQLError;
      const location = parseError.locations?.[0];
      return failed([
        new QueryExecutionError(parseError.message, { position: location ? { line: location.line, column: location.column } : undefined }),
      ]);
    }

    let state: DeploymentState;
    try {
      state = await deploymentState(this.store, this.deployment, this.earliestBlock);
    } catch (error) {
      return failed(asErrors(error));
    }
    indexedBlock = {
      hash: state.latest.hash,
      number: state.latest.number,
      timestamp: state.head && state.latest.number === state.head.number ? state.head.timestamp : null,
    };
    const cacheKey = this.cacheResults ? this.cacheKey(request, state) : null;
    const cached = cacheKey === null ? undefined : this.results.get(cacheKey);
    if (cached) return { ...cached, storeQueries: 0 };

    let query: PreparedQuery;
    let groups: Group[];
    let blocks: ResolvedBlock[];
    try {
      query = prepareQuery(this.api.schema, document, request.variables ?? null, this.limits);
      groups = this.groups(query);
      blocks = [];
      for (const group of groups) blocks.push(await locateBlock(group.constraint, state, this.hashes));
    } catch (error) {
      return failed(asErrors(error));
    }

    const results: GroupResult[] = [];
    for (const [index, group] of groups.entries()) {
      results.push(await this.runGroup(query, group, blocks[index]!, state, { counter, budget }, request.variables));
      if (budget.failure) return failed([budget.failure]);
    }
    const errors = results.flatMap((r) => r.errors);
    const body: GraphQLResponseBody = {};
    if (results.some((r) => r.data !== undefined)) body.data = Object.assign({}, ...results.map((r) => r.data ?? {}));
    if (errors.length > 0) body.errors = errors.map((e) => e.toJSON());
    const result = outcome(body, errors);
    if (cacheKey !== null && errors.length === 0) {
      this.results.set(cacheKey, result, cacheKey.length + JSON.stringify(result.body).length);
    }
    return result;
  }

  /** Parses `query`, reusing earlier parses of the same text. */
  private parse(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      this.documents.set(query, document, query.length);
    }
    return document;
  }

  /** The request and everything about the deployment that could change its answer. */
  private cacheKey(request: GraphQLRequest, state: DeploymentState): string {
    const head = state.head ? `${state.head.number}:${state.head.hash}` : "-";
    const error = state.firstErrorBlock === null ? "-" : `${state.firstErrorBlock}:${state.latest.hash}`;
    return JSON.stringify([request.query, request.variables ?? null, head, error]);
  }

  /** `Query::block_constraint`: consecutive root fields with the same constraint form one group. */
  private groups(query: PreparedQuery): Group[] {
    const groups: Group[] = [];
    for (const field of query.selection.fieldsFor("Query")) {
      const constraint = blockConstraint(field.args.get("block"));
      const policyValue = field.args.get("subgraphError");
      let policy: ErrorPolicy = "deny";
      if (policyValue !== undefined && policyValue !== null) {
        if (!(policyValue instanceof EnumValue) || (policyValue.name !== "allow" && policyValue.name !== "deny")) {
          throw QueryErrors.invalidArgument({ line: 0, column: 0 }, "subgraphError", policyValue);
        }
        policy = policyValue.name;
      }
      const last = groups[groups.length - 1];
      if (last && sameConstraint(last.constraint, constraint)) {
        last.fields.push(field);
        if (policy === "deny") last.policy = "deny";
      } else {
        groups.push({ constraint, policy, fields: [field] });
      }
    }
    return groups;
  }

  /** Executes one group at its block and applies the error policy (`StoreResolver::post_process`). */
  private async runGroup(
    query: PreparedQuery,
    group: Group,
    block: ResolvedBlock,
    state: DeploymentState,
    run: RunState,
    variables: Record<string, unknown> | null | undefined,
  ): Promise<GroupResult> {
    const hasIndexingErrors = hasIndexingErrorsAt(state, block.number);
    let result: GroupResult;
    try {
      result = { data: await this.resolveGroup(query, group, block, state, hasIndexingErrors, run, variables), errors: [] };
    } catch (error) {
      result = { errors: asErrors(error) };
    }
    if (!hasIndexingErrors || result.errors.length > 0 || !result.data) return result;
    const keys = Object.keys(result.data);
    if (keys.every((key) => key === "_meta" || key === "_logs")) return result;
    if (group.policy === "allow") return { data: result.data, errors: [INDEXING_ERROR] };
    const kept: { [key: string]: JsonValue } = {};
    for (const key of ["_meta", "_logs", "__schema", "__type"]) if (key in result.data) kept[key] = result.data[key]!;
    return { data: Object.keys(kept).length > 0 ? kept : undefined, errors: [INDEXING_ERROR] };
  }

  /** Prefetches, completes, then adds `_meta`/`__typename` and introspection fields in graph-node's order. */
  private async resolveGroup(
    query: PreparedQuery,
    group: Group,
    block: ResolvedBlock,
    state: DeploymentState,
    hasIndexingErrors: boolean,
    run: RunState,
    variables: Record<string, unknown> | null | undefined,
  ): Promise<{ [key: string]: JsonValue }> {
    const introspection = group.fields.filter((f) => INTROSPECTION_FIELDS.has(f.name));
    const meta = group.fields.filter((f) => META_FIELDS.has(f.name));
    const dataFields = group.fields.filter((f) => !INTROSPECTION_FIELDS.has(f.name) && !META_FIELDS.has(f.name));

    let data: { [key: string]: JsonValue } = {};
    if (dataFields.length > 0 || meta.length > 0) {
      const root: Node = { typename: "Query", entity: {}, children: new Map() };
      const dataSelection = new SelectionSet(["Query"]);
      for (const field of dataFields) dataSelection.push(field);
      const ctx: PrefetchContext = {
        store: this.store,
        schema: this.api.subgraph,
        // The failing block (after the head) has the head's data; with no head there is no data at all (-1).
        block: state.head ? Math.min(block.number, state.head.number) : -1,
        cache: new Map(),
        queries: 0,
        budget: run.budget,
        limits: this.limits,
        queue: new StoreQueue(() => this.loading === 1),
      };
      this.loading++;
      try {
        await prefetch(ctx, root, dataSelection, this.rootTypes);
      } finally {
        this.loading--;
        run.counter.queries += ctx.queries;
      }
      for (const field of meta) {
        if (field.name === "_meta") root.children.set(field.responseKey, [await this.metaNode(field, block, state, hasIndexingErrors)]);
      }
      const selection = new SelectionSet(["Query"]);
      for (const field of [...dataFields, ...meta]) selection.push(field);
      measureResult(root, selection, run.budget);
      data = completeObject({ api: this.api.schema, subgraph: this.api.subgraph }, root, "Query", selection);
    }
    if (introspection.length > 0) Object.assign(data, await executeIntrospection(this.api.schema, query, introspection, variables));
    return data;
  }

  /** The `_meta` object for a block (graph-node's `lookup_meta`). */
  private async metaNode(field: PreparedField, block: ResolvedBlock, state: DeploymentState, hasIndexingErrors: boolean): Promise<Node> {
    const info = await metaBlock(block, state, this.store);
    const blockNode: Node = {
      typename: "_Block_",
      entity: { number: info.number, hash: info.hash, timestamp: info.timestamp, parentHash: info.parentHash },
      children: new Map(),
    };
    const node: Node = {
      typename: "_Meta_",
      entity: { deployment: this.deployment, hasIndexingErrors },
      children: new Map(),
    };
    for (const sub of field.selection.items.flatMap((item) => item.fields)) {
      if (sub.name === "block") node.children.set(sub.responseKey, [blockNode]);
    }
    return node;
  }
}

/**
 * Creates a query executor for one deployment.
 *
 * @throws ApiSchemaError when the schema cannot be served (a type clashes with a generated type).
 */
export function createQueryExecutor(options: QueryExecutorOptions): QueryExecutor {
  return new QueryExecutor(options);
}
