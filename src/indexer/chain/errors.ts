/**
 * Errors of the chain follower. Each carries a one-line message for logs and CLIs, optional details, and a hint
 * saying what the user can do next.
 */

/** Base class of every error raised by src/indexer/chain. */
export class ChainError extends Error {
  /** Extra context (method, block range, raw node message …), not repeated in `message`. */
  readonly details: Record<string, unknown>;
  /** What the user can do about it, if anything. */
  readonly hint: string | undefined;

  constructor(message: string, options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
    this.hint = options.hint;
  }
}

/**
 * The JSON-RPC endpoint could not be reached (connection refused, DNS failure, reset, no answer in time) even after
 * the client's retries.
 *
 * @example "cannot reach JSON-RPC at http://127.0.0.1:8545: connection refused"
 */
export class RpcUnreachableError extends ChainError {
  readonly url: string;
  /** Short reason: "connection refused", "host not found", "no answer within 30000 ms" … */
  readonly reason: string;

  constructor(url: string, reason: string, options: { attempts: number; cause?: unknown }) {
    super(`cannot reach JSON-RPC at ${url}: ${reason}`, {
      details: { attempts: options.attempts },
      hint: "Check that the node is running and that the URL (host, port, path) is right.",
      cause: options.cause,
    });
    this.url = url;
    this.reason = reason;
  }
}

/** The endpoint answered with an HTTP error status and no JSON-RPC body (429, 502, 503, 413 …). */
export class RpcHttpError extends ChainError {
  readonly url: string;
  readonly status: number;

  constructor(url: string, status: number, body: string, attempts: number) {
    super(`JSON-RPC at ${url} answered HTTP ${status}${body ? `: ${oneLine(body, 200)}` : ""}`, {
      details: { status, body: body.slice(0, 2000), attempts },
      hint: status === 401 || status === 403 ? "The endpoint refused the request: check its API key." : undefined,
    });
    this.url = url;
    this.status = status;
  }
}

/** The node answered a call with a JSON-RPC error object. */
export class RpcResponseError extends ChainError {
  readonly url: string;
  readonly method: string;
  /** JSON-RPC error code (e.g. -32005 limit exceeded, 3 execution reverted). */
  readonly code: number;
  /** The node's message, verbatim. */
  readonly rpcMessage: string;
  /** The error's `data` member, verbatim (revert data for eth_call on most nodes). */
  readonly data: unknown;

  constructor(url: string, method: string, error: { code?: unknown; message?: unknown; data?: unknown }) {
    const code = typeof error.code === "number" ? error.code : 0;
    const rpcMessage = typeof error.message === "string" ? error.message : JSON.stringify(error);
    super(`${method} failed at ${url}: ${oneLine(rpcMessage, 300)} (code ${code})`, {
      details: { method, code, data: error.data },
    });
    this.url = url;
    this.method = method;
    this.code = code;
    this.rpcMessage = rpcMessage;
    this.data = error.data;
  }
}

/** The node's answer was not valid JSON-RPC (not JSON, wrong ids, missing results). */
export class RpcProtocolError extends ChainError {
  constructor(url: string, problem: string, body?: string) {
    super(`invalid JSON-RPC answer from ${url}: ${problem}`, {
      details: body === undefined ? {} : { body: body.slice(0, 2000) },
      hint: "Check that the URL points at an Ethereum JSON-RPC endpoint.",
    });
  }
}

/** The request was cancelled (BlockStream.stop(), an aborted signal). */
export class RpcAbortedError extends ChainError {
  constructor(url: string) {
    super(`JSON-RPC request to ${url} was cancelled`);
  }
}

/** The node returned chain data the stream cannot use (a block it just announced is missing, a bad field …). */
export class ChainDataError extends ChainError {}

/**
 * The node's answers kept contradicting each other while a block range was fetched (the chain was reorganising
 * under the stream); raised after a few attempts.
 */
export class ChainInconsistentError extends ChainError {}

/** A synchronous host call (ethereum.call, getBalance, hasCode) failed or did not finish in time. */
export class SyncRpcError extends ChainError {}

/** Collapses whitespace and cuts long node messages so errors stay on one line. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
