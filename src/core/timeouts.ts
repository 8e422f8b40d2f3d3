/**
 * How long Pedigree waits for a node or a subgraph to answer. One default for every network call: long enough for a
 * busy public RPC endpoint or a heavy GraphQL query on a loaded graph-node (they take seconds, rarely tens of
 * seconds), short enough that a script notices a dead or hung peer within half a minute instead of hanging.
 */

/** The default time to wait for one answer, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A timeout as people read it: `200 ms`, `1 s`, `2.5 s`.
 *
 * @example
 * formatTimeout(30_000); // "30 s"
 */
export function formatTimeout(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * The reason given when a peer did not answer in time.
 *
 * @example
 * noAnswerWithin(1000); // "no answer within 1 s"
 */
export function noAnswerWithin(ms: number): string {
  return `no answer within ${formatTimeout(ms)}`;
}
