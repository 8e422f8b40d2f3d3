/** "When is now?" — the time of the block an answer reflects, for deciding what had expired by then. */
import type { AuditClient } from "./client.ts";
import { BlockTimeDocument } from "./generated/graphql.ts";
import { asOfOf } from "./shared.ts";
import type { AsOf } from "./types.ts";

/** The block of an answer and its time. */
export interface BlockTime {
  asOf: AsOf;
  /** Unix seconds of the block; null when unknown (time travel to a block without a provenance entry). */
  timestamp: number | null;
  /**
   * The best known lower bound of the block's time: its time, or that of the latest provenance entry at or before it
   * (0 before any entry). Time travel answers carry no block time (graph-node does not look it up).
   */
  atLeast: number;
}

/**
 * The block the client reads and its time, exact at the head, or as a lower bound when time-travelling.
 *
 * @example
 * const { asOf, atLeast } = await blockTime(client.at(120));
 */
export async function blockTime(client: AuditClient): Promise<BlockTime> {
  const data = await client.request(BlockTimeDocument, {});
  const asOf = asOfOf(client, data._meta);
  const latest = data.latest[0];
  const timestamp = asOf.timestamp ?? (latest && Number(latest.blockNumber) === asOf.blockNumber ? Number(latest.timestamp) : null);
  return { asOf, timestamp, atLeast: timestamp ?? (latest ? Number(latest.timestamp) : 0) };
}
