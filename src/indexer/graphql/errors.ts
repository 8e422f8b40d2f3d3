/**
 * Query errors with graph-node's messages (`graph/src/data/query/error.rs`, `QueryExecutionError`'s `Display`) and its
 * JSON shape: `{ "locations": [{ "line", "column" }], "message" }` where graph-node reports a position, `{ "message" }`
 * otherwise. Which errors are "attestable" (deterministic) follows `QueryExecutionError::is_attestable`; the server
 * reports it in the `graph-attestable` response header like graph-node.
 */
import { printRValue, type RValue } from "./input-values.ts";

/** A position in the query text (1-based), or graph-node's `Pos::default()` (0, 0) for schema-generated arguments. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One entry of a response's `errors` array, exactly as graph-node serialises it. */
export interface GraphQLErrorJson {
  locations?: SourcePosition[];
  message: string;
}

/** graph-node's position for arguments the API schema generates (`q::Pos::default()`). */
export const SCHEMA_POSITION: SourcePosition = { line: 0, column: 0 };

/**
 * An error graph-node would put in a response's `errors`. Carries the exact message, the location graph-node reports
 * (if any) and whether the error is deterministic (attestable).
 */
export class QueryExecutionError extends Error {
  override name = "QueryExecutionError";
  /** Reported as `locations: [position]` when set. */
  readonly position?: SourcePosition;
  /** Whether graph-node considers the error deterministic (`graph-attestable` header). */
  readonly attestable: boolean;

  constructor(message: string, options: { position?: SourcePosition; attestable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.position = options.position;
    this.attestable = options.attestable ?? true;
  }

  /** The error as graph-node serialises it in `errors`. */
  toJSON(): GraphQLErrorJson {
    return this.position ? { locations: [{ ...this.position }], message: this.message } : { message: this.message };
  }
}

/** The request itself is unusable (not JSON, no `query`, …); answered with HTTP 400 `{ "error": message }`. */
export class BadRequestError extends Error {
  override name = "BadRequestError";
}

/** Constructors for graph-node's `QueryExecutionError` variants, with its messages. */
export const QueryErrors = {
  operationNameRequired: () => new QueryExecutionError("Operation name required"),
  notSupported: (what: string) => new QueryExecutionError(`Not supported: ${what}`),
  nonNull: (position: SourcePosition, field: string) =>
    new QueryExecutionError(`Null value resolved for non-null field \`${field}\``, { position }),
  listValue: (position: SourcePosition, field: string) =>
    new QueryExecutionError(`Non-list value resolved for list field \`${field}\``, { position, attestable: false }),
  namedType: (type: string) => new QueryExecutionError(`Failed to resolve named type \`${type}\``),
  abstractType: (type: string) => new QueryExecutionError(`Failed to resolve abstract type \`${type}\``),
  invalidArgument: (position: SourcePosition, argument: string, value: RValue) =>
    new QueryExecutionError(`Invalid value provided for argument \`${argument}\`: ${printRValue(value)}`, { position }),
  missingArgument: (position: SourcePosition, argument: string) =>
    new QueryExecutionError(`No value provided for required argument: \`${argument}\``, { position }),
  invalidVariableType: (position: SourcePosition, variable: string) =>
    new QueryExecutionError(`Variable \`${variable}\` must have an input type`, { position }),
  missingVariable: (position: SourcePosition, variable: string) =>
    new QueryExecutionError(`No value provided for required variable \`${variable}\``, { position }),
  orderByNotSupported: (entity: string, field: string) =>
    new QueryExecutionError(`Ordering by \`${field}\` is not supported for type \`${entity}\``),
  unknownField: (position: SourcePosition, type: string, field: string) =>
    new QueryExecutionError(`Type \`${type}\` has no field \`${field}\``, { position }),
  invalidOrFilterStructure: (fields: string[]) => {
    const list = fields.join(", ");
    const example = `Instead of:\nwhere: { ${list}, or: [...] }\n\nUse:\nwhere: { or: [{ ${list}, ... }, { ${list}, ... }] }`;
    return new QueryExecutionError(
      `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${list} alongside 'or' operator.\n\n${example}`,
    );
  },
  range: (argument: "first" | "skip", max: number, actual: number) =>
    new QueryExecutionError(`The \`${argument}\` argument must be between 0 and ${max}, but is ${actual}`, {
      attestable: false,
    }),
  filterNotSupported: (value: string, filter: string) =>
    new QueryExecutionError(`Filter not supported by value \`${value}\`: \`${filter}\``),
  /** `ChildFilterNestingNotSupportedError`: the store's message (see store/errors.ts), not attestable in graph-node. */
  childFilterNesting: (message: string) => new QueryExecutionError(message, { attestable: false }),
  invalidFilter: () => new QueryExecutionError("Filter must by an object"),
  entityField: (entity: string, attribute: string) =>
    new QueryExecutionError(`Entity \`${entity}\` has no attribute \`${attribute}\``),
  listTypes: (filter: string, values: string[]) =>
    new QueryExecutionError(
      `Values passed to filter \`${filter}\` must be of the same type but are of different types: ${values.join(", ")}`,
    ),
  listFilter: (filter: string) => new QueryExecutionError(`Non-list value passed to \`${filter}\` filter`),
  valueParse: (type: string, error: string) => new QueryExecutionError(`Failed to decode \`${type}\` value: \`${error}\``),
  attributeType: (value: string, type: string) =>
    new QueryExecutionError(`Query contains value with invalid type \`${type}\`: \`${value}\``),
  resolveEntities: (message: string) =>
    new QueryExecutionError(`Failed to get entities from store: ${message}`, { attestable: false }),
  store: (message: string, cause?: unknown) => new QueryExecutionError(`Store error: ${message}`, { attestable: false, cause }),
  ambiguousDerivedFromResult: (position: SourcePosition, field: string, targetType: string, targetField: string) =>
    new QueryExecutionError(
      `Ambiguous result for derived field \`${field}\`: Multiple \`${targetType}\` entities refer back via \`${targetField}\``,
      { position, attestable: false },
    ),
  enumCoercion: (position: SourcePosition, field: string, value: RValue, enumType: string, values: readonly string[]) =>
    new QueryExecutionError(
      `Failed to coerce value \`${printDisplay(value)}\` of field \`${field}\` to enum type \`${enumType}\`. Possible values are: ${values.join(", ")}`,
      { position },
    ),
  scalarCoercion: (position: SourcePosition, field: string, value: RValue, scalar: string) =>
    new QueryExecutionError(
      `Failed to coerce value \`${printDisplay(value)}\` of field \`${field}\` to scalar type \`${scalar}\``,
      { position },
    ),
  tooDeep: (maxDepth: number) =>
    new QueryExecutionError(`query has a depth that exceeds the limit of \`${maxDepth}\``, { attestable: false }),
  tooComplex: (complexity: bigint, maxComplexity: number) =>
    new QueryExecutionError(
      `query potentially returns \`${complexity}\` entities or more and thereby exceeds the limit of \`${maxComplexity}\` entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using \`first\` to return smaller collections`,
      { attestable: false },
    ),
  tooManyFields: (fields: number, maxFields: number) =>
    new QueryExecutionError(
      `query selects \`${fields}\` fields once its fragments are expanded and thereby exceeds the limit of \`${maxFields}\` fields. Use fewer aliases or spread fragments fewer times`,
      { attestable: false },
    ),
  resultTooBig: (size: number, limit: number) =>
    new QueryExecutionError(`the result size of ${size} is larger than the allowed limit of ${limit}`, { attestable: false }),
  fulltextRequiresFilter: () => new QueryExecutionError("fulltext search queries can only use EntityFilter::Equal"),
  fulltextSyntax: (message: string) =>
    new QueryExecutionError(
      `Invalid fulltext search query syntax. Error: ${message}. Hint: Search terms with spaces need to be enclosed in single quotes`,
    ),
  timeout: () => new QueryExecutionError("Query timed out", { attestable: false }),
  cyclicalFragment: (name: string) => new QueryExecutionError(`query has fragment cycle including \`${name}\``),
  undefinedFragment: (name: string) => new QueryExecutionError(`fragment \`${name}\` is not defined`),
  deploymentNotFound: (idOrName: string) =>
    new QueryExecutionError(`deployment \`${idOrName}\` does not exist`, { attestable: false }),
  internal: (message: string) => new QueryExecutionError(`internal error: ${message}`, { attestable: false }),
} as const;

/** graph-node's message for queries while indexing errors are visible (`QueryError::IndexingError`). */
export const INDEXING_ERROR = new QueryExecutionError("indexing_error", { attestable: false });

/** `r::Value`'s `Display` (used inside some of graph-node's messages). */
export function printDisplay(value: RValue): string {
  return printRValue(value, "display");
}
