/**
 * Errors of the audit client. Every `message` is one line: what went wrong, naming the URL, id or file concerned, and
 * what to do about it — ready to print in a terminal or a report.
 */
import { PedigreeError } from "../core/errors.ts";

/** Machine-readable category of an {@link AuditError}. */
export type AuditErrorCode =
  | "SUBGRAPH_UNREACHABLE"
  | "SUBGRAPH_QUERY"
  | "BLOCK_NOT_INDEXED"
  | "NOT_IN_SUBGRAPH"
  | "INVALID_INPUT"
  | "PROOF_UNAVAILABLE"
  | "CHAIN";

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * Base class of every error the audit functions throw.
 *
 * @example
 * try {
 *   await whatTrainedThis(client, 99n);
 * } catch (error) {
 *   if (error instanceof AuditError) console.error(error.message); // one line
 * }
 */
export class AuditError extends PedigreeError {
  override name = "AuditError";
  readonly code: AuditErrorCode;
  constructor(code: AuditErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * The GraphQL endpoint cannot be reached, or does not answer like a GraphQL endpoint.
 *
 * @example
 * // SubgraphUnreachableError: cannot reach the subgraph at http://127.0.0.1:9/subgraphs/name/pedigree (connection
 * // refused); check the URL and that the indexer or graph-node is running
 */
export class SubgraphUnreachableError extends AuditError {
  override name = "SubgraphUnreachableError";
  readonly url: string;
  readonly reason: string;
  constructor(url: string, reason: string, options: { cause?: unknown } = {}) {
    super(
      "SUBGRAPH_UNREACHABLE",
      `cannot reach the subgraph at ${url} (${reason}); check the URL and that the indexer or graph-node is running`,
      options,
    );
    this.url = url;
    this.reason = reason;
  }
}

/**
 * The endpoint answered the query with GraphQL errors (e.g. it serves another schema).
 *
 * @example
 * // SubgraphQueryError: the subgraph at http://…/pedigree rejected the query (Type `Query` has no field `modelVersion`);
 * // check that the URL serves the Pedigree subgraph (schema.graphql)
 */
export class SubgraphQueryError extends AuditError {
  override name = "SubgraphQueryError";
  readonly url: string;
  /** The first GraphQL error message. */
  readonly detail: string;
  constructor(url: string, detail: string, options: { cause?: unknown } = {}) {
    super(
      "SUBGRAPH_QUERY",
      `the subgraph at ${url} rejected the query (${detail}); check that the URL serves the Pedigree subgraph (schema.graphql)`,
      options,
    );
    this.url = url;
    this.detail = detail;
  }
}

/**
 * A time-travel query asked for a block the subgraph has not indexed (yet), or before its start block.
 *
 * @example
 * // BlockNotIndexedError: block 9000 is not available in the subgraph at http://… (indexed up to block 120); ask for
 * // an earlier block or wait for the indexer to catch up
 */
export class BlockNotIndexedError extends AuditError {
  override name = "BlockNotIndexedError";
  readonly url: string;
  readonly block: number | null;
  readonly indexedUpTo: number | null;
  constructor(url: string, block: number | null, indexedUpTo: number | null, detail?: string, options: { cause?: unknown } = {}) {
    const what = block === null ? "the requested block" : `block ${block}`;
    const why = indexedUpTo !== null ? `indexed up to block ${indexedUpTo}` : (detail ?? "not indexed");
    super(
      "BLOCK_NOT_INDEXED",
      `${what} is not available in the subgraph at ${url} (${why}); ask for a block the subgraph has indexed or wait for the indexer to catch up`,
      options,
    );
    this.url = url;
    this.block = block;
    this.indexedUpTo = indexedUpTo;
  }
}

/** What kind of thing was looked up (used in {@link NotInSubgraphError} messages). */
export type SubjectLabel =
  | "dataset"
  | "dataset version"
  | "licence"
  | "model"
  | "model version"
  | "attestation"
  | "deployment"
  | "account"
  | "decision batch"
  | "environment"
  | "agent";

/**
 * An id the subgraph does not know (at the block asked for).
 *
 * @example
 * // NotInSubgraphError: model version 99 is not in the subgraph at http://…/pedigree; check the id or wait for the
 * // indexer to catch up
 */
export class NotInSubgraphError extends AuditError {
  override name = "NotInSubgraphError";
  readonly url: string;
  readonly subject: SubjectLabel;
  readonly id: string;
  readonly block: number | null;
  constructor(url: string, subject: SubjectLabel, id: string, block: number | null = null) {
    const asOf = block === null ? "" : ` as of block ${block}`;
    super("NOT_IN_SUBGRAPH", `${subject} ${id} is not in the subgraph at ${url}${asOf}; check the id or wait for the indexer to catch up`);
    this.url = url;
    this.subject = subject;
    this.id = id;
    this.block = block;
  }
}

/**
 * A decision cannot be checked on-chain because no Merkle proof can be built for it.
 *
 * @example
 * // ProofUnavailableError: no proof for record 0x12… in batch 0xab…; pass the batch's records file or a proof
 */
export class ProofUnavailableError extends AuditError {
  override name = "ProofUnavailableError";
  constructor(message: string) {
    super("PROOF_UNAVAILABLE", message);
  }
}

/**
 * An on-chain read failed (node unreachable, wrong address, unknown batch on that chain).
 *
 * @example
 * // ChainReadError: ReleaseRegistry.verifyDecision at 0x5F… failed: Cannot reach the Ethereum node at http://…
 */
export class ChainReadError extends AuditError {
  override name = "ChainReadError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("CHAIN", message, options);
  }
}
