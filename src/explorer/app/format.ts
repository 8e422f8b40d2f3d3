/** Small display helpers of the explorer's pages. */
import type { TxStamp } from "../../audit/types.ts";

/** A block's time as an ISO date and time (UTC), and its number. */
export function when(stamp: TxStamp): string {
  return `${new Date(stamp.timestamp * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC · block ${stamp.blockNumber}`;
}

/** An address or hash shortened for a table cell (the full value in the title). */
export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}
