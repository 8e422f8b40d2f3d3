/** "When is now?" — the time of the block an answer reflects, for deciding what had expired by then. */
import type { AuditClient } from "./client.ts";
import { InvalidInputError } from "../core/errors.ts";
import { BlockAtTimeDocument, BlockTimeDocument, LatestEntryDocument } from "./generated/graphql.ts";
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
  if (asOf.timestamp !== null) return { asOf, timestamp: asOf.timestamp, atLeast: asOf.timestamp };
  const [latest] = (await client.request(LatestEntryDocument, {})).latest;
  const timestamp = latest && Number(latest.blockNumber) === asOf.blockNumber ? Number(latest.timestamp) : null;
  return { asOf, timestamp, atLeast: timestamp ?? (latest ? Number(latest.timestamp) : 0) };
}

/**
 * Time travel by date: the last block with a provenance entry at or before `time` (unix seconds). The lineage graph
 * changes only at such blocks, so the answers as of that block are the answers as of `time`; null when nothing had
 * been recorded by then.
 *
 * @example
 * const at = await blockAtTime(client, Date.parse("2026-12-04T10:00Z") / 1000); // { blockNumber: 41, timestamp: … }
 */
export async function blockAtTime(client: AuditClient, time: number): Promise<{ blockNumber: number; timestamp: number } | null> {
  if (!Number.isFinite(time) || time < 0) throw new InvalidInputError("time", `a time must be unix seconds ≥ 0, not ${time}`);
  const data = await client.request(BlockAtTimeDocument, { time: String(Math.floor(time)) });
  const last = data.provenanceEvents[0];
  return last ? { blockNumber: Number(last.blockNumber), timestamp: Number(last.timestamp) } : null;
}
