/**
 * What one query may still spend while it runs (graph-node's query deadline and result-size check in
 * `graphql/src/store/prefetch.rs`): time until `queryTimeoutMs` has passed, and `errorResultSize` bytes of memory
 * for the entities it loaded from the store (graph-node also weighs what it loaded by its size in memory). Once either is exhausted the budget stays failed: every later check throws the same error,
 * so nothing more starts (a store query already running may finish) and the query answers with that single error.
 *
 * @example
 * const budget = QueryBudget.start(limits);
 * budget.check();                       // before each store query: throws "Query timed out" after the deadline
 * budget.spend(entitiesMemory(rows));   // after it: throws "the result size of N is larger than …"
 */
import { performance } from "node:perf_hooks";
import { BigDecimal, type Entity, type Value } from "../values.ts";
import { QueryErrors, type QueryExecutionError } from "./errors.ts";
import type { QueryLimits } from "./limits.ts";

export class QueryBudget {
  private spent = 0;
  private error: QueryExecutionError | null = null;

  private constructor(
    private readonly deadline: number,
    /** Bytes a query may load, and bytes its answer may have. */
    readonly maxBytes: number,
  ) {}

  /** A budget for a query starting now. */
  static start(limits: Pick<QueryLimits, "queryTimeoutMs" | "errorResultSize">): QueryBudget {
    return new QueryBudget(performance.now() + limits.queryTimeoutMs, limits.errorResultSize);
  }

  /** The error the query failed with, if it ran out of time or bytes. */
  get failure(): QueryExecutionError | null {
    return this.error;
  }

  /** Throws the budget's error if it failed before, or "Query timed out" once the deadline has passed. */
  check(): void {
    if (this.error) throw this.error;
    if (performance.now() > this.deadline) this.fail(QueryErrors.timeout());
  }

  /** Counts `bytes` loaded; throws the result-size error beyond {@link maxBytes}. */
  spend(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.maxBytes) this.fail(QueryErrors.resultTooBig(this.spent, this.maxBytes));
    this.check();
  }

  /** Records `error` as the budget's failure and throws it. */
  fail(error: QueryExecutionError): never {
    this.error ??= error;
    throw this.error;
  }
}

/**
 * Approximate heap bytes of a store value as the store hands it over (V8 sizes measured on Node 22: a Uint8Array
 * costs about 200 bytes besides its contents, a string about 24, a bigint about 32).
 */
function valueMemory(value: Value | undefined): number {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return 8;
  if (typeof value === "string") return 24 + value.length;
  if (typeof value === "bigint") return 32;
  if (value instanceof Uint8Array) return 200 + value.length;
  if (value instanceof BigDecimal) return 96;
  let total = 32;
  for (const item of value) total += 8 + valueMemory(item);
  return total;
}

/** Approximate heap bytes of loaded entities (each an object of its fields). */
export function entitiesMemory(entities: readonly Entity[]): number {
  let total = 0;
  for (const entity of entities) {
    total += 64;
    for (const key in entity) total += 8 + valueMemory(entity[key]);
  }
  return total;
}
