/**
 * Errors the entity store throws. Every error carries a short message, optional details and, where there is one,
 * what the caller can do next (`hint`).
 */

export interface StoreErrorOptions {
  /** More context: the offending value, the SQL error, … */
  details?: string;
  /** What the user or caller can do about it. */
  hint?: string;
  cause?: unknown;
}

/** Base class of every error the store throws on purpose. */
export class StoreError extends Error {
  override name = "StoreError";
  readonly details?: string;
  readonly hint?: string;

  constructor(message: string, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
    this.hint = options.hint;
  }
}

/**
 * A query the store cannot answer as asked: unknown entity type or field, a filter that does not fit the field's type,
 * an invalid block, `first` or `skip`. The GraphQL layer reports it to the client as a query error.
 *
 * @example
 * await store.find({ entityType: "Nope", block: 1, first: 10, skip: 0 });
 * // QueryError: Unknown entity type `Nope`
 */
export class QueryError extends StoreError {
  override name = "QueryError";
}

/**
 * A child filter inside a child filter (`a_: { b_: { … } }`), which graph-node refuses with this message
 * (`StoreError::ChildFilterNestingNotSupportedError`); the GraphQL layer reports the message as it is.
 */
export class ChildFilterNestingError extends QueryError {
  override name = "ChildFilterNestingError";
}

/**
 * Postgres refused a fulltext search text (`syntax error in tsquery: …`, its message in `details`); graph-node reports
 * it as `FulltextQueryInvalidSyntax`.
 */
export class FulltextSyntaxError extends QueryError {
  override name = "FulltextSyntaxError";
}

/**
 * A write the store refuses: a block not after the head, an immutable entity written twice or removed, a value that
 * does not fit its column, a missing non-null field. Nothing of the block is written.
 */
export class WriteError extends StoreError {
  override name = "WriteError";
}

/**
 * The schema cannot be laid out as tables (name clashes, overlong names), or the database already holds this
 * deployment with tables of a different schema.
 */
export class LayoutError extends StoreError {
  override name = "LayoutError";
}
