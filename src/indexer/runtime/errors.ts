/**
 * Errors of the WASM host. Each carries a short message that says what went wrong and, where it helps, what to do.
 */

/** The subgraph manifest (subgraph.yaml) or a file it names cannot be used. */
export class ManifestError extends Error {
  override name = "ManifestError";
  /** The manifest file the problem was found in. */
  readonly manifestPath: string;

  constructor(manifestPath: string, message: string, options?: { cause?: unknown }) {
    super(`${manifestPath}: ${message}`, options);
    this.manifestPath = manifestPath;
  }
}

/**
 * A mapping's WASM module cannot be loaded: it imports host functions this runtime does not provide, or it lacks the
 * exports `graph build` produces. Raised at load time, never in the middle of indexing.
 */
export class ModuleLoadError extends Error {
  override name = "ModuleLoadError";
  /** The .wasm file. */
  readonly file: string;
  /** Imports (module.field) this runtime does not implement, if that is the problem. */
  readonly unsupportedImports: string[];

  constructor(file: string, message: string, unsupportedImports: string[] = [], options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
    this.unsupportedImports = unsupportedImports;
  }
}

/**
 * Why a host function failed. `deterministic` errors fail the handler the same way on every run (graph-node fails the
 * subgraph at that block); others (a chain call that could not be answered) may succeed on a retry.
 */
export type HostErrorCode =
  | "abort"
  | "critical-log"
  | "division-by-zero"
  | "invalid-argument"
  | "unknown-entity-type"
  | "invalid-id"
  | "id-mismatch"
  | "undefined-fields"
  | "missing-field"
  | "wrong-type"
  | "derived-field"
  | "immutable"
  | "conflicting-id"
  | "unsupported"
  | "chain"
  | "data-source"
  | "timeout"
  | "gas";

/** A host function refused its input or could not do its job; the running handler fails with this message. */
export class HostError extends Error {
  override name = "HostError";
  readonly code: HostErrorCode;
  readonly deterministic: boolean;

  constructor(code: HostErrorCode, message: string, options?: { deterministic?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.deterministic = options?.deterministic ?? true;
  }
}

/**
 * A handler failed: the mapping aborted (an `assert`, a `!` on null, `log.critical`), a host function rejected a
 * call, or the WASM trapped. graph-node fails the subgraph at this block; the indexing loop should discard the block's
 * writes (EntityCache.discardBlock) and record the error.
 */
export class HandlerError extends Error {
  override name = "HandlerError";
  /** The mapping function, e.g. `handleTransfer`. */
  readonly handler: string;
  /** The data source (or template instance) the handler belongs to. */
  readonly dataSource: string;
  readonly blockNumber: bigint;
  readonly blockHash: string;
  /** Lowercase 0x-hex, or null for block handlers. */
  readonly transactionHash: string | null;
  /** Whether the failure will repeat on every run (false e.g. when the chain could not answer an eth_call). */
  readonly deterministic: boolean;
  /** The failure without the handler/block context, e.g. "Mapping aborted at src/x.ts, line 3, column 5, with message: boom". */
  readonly reason: string;

  constructor(details: {
    handler: string;
    dataSource: string;
    blockNumber: bigint;
    blockHash: string;
    transactionHash: string | null;
    reason: string;
    deterministic: boolean;
    cause?: unknown;
  }) {
    // graph-node prefixes the error with "transaction <hash>" for log triggers.
    const context = details.transactionHash ? `transaction ${details.transactionHash.replace(/^0x/, "")}: ` : "";
    super(
      `handler ${details.handler} of data source ${details.dataSource} failed at block #${details.blockNumber} ` +
        `(${details.blockHash}): ${context}${details.reason}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.handler = details.handler;
    this.dataSource = details.dataSource;
    this.blockNumber = details.blockNumber;
    this.blockHash = details.blockHash;
    this.transactionHash = details.transactionHash;
    this.deterministic = details.deterministic;
    this.reason = details.reason;
  }
}

/** A trigger cannot be run: unknown data source or handler, or the event does not match its ABI. */
export class TriggerError extends Error {
  override name = "TriggerError";
}
