/** Times, transaction references and orderings of the dossier (decimal strings, as the subgraph writes them). */
import type { TxStamp } from "../audit/types.ts";
import type { TxRef, UnixTime } from "./types.ts";

/** ISO-8601 of a unix time in seconds, or null when it is 0 or out of the Date range. */
export function isoTime(unix: string | number | bigint | null | undefined): string | null {
  if (unix === null || unix === undefined) return null;
  let seconds: bigint;
  try {
    seconds = BigInt(unix);
  } catch {
    return null;
  }
  if (seconds <= 0n || seconds > 8_640_000_000_000n) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** A unix time (null: 0, not set). */
export function unixTime(unix: number | null | undefined): UnixTime {
  const value = String(unix ?? 0);
  return { unix: value, time: isoTime(value) };
}

/** Where an audit answer says something happened. */
export function txRef(stamp: TxStamp): TxRef {
  return {
    txHash: stamp.transactionHash,
    block: String(stamp.blockNumber),
    timestamp: String(stamp.timestamp),
    time: isoTime(stamp.timestamp) ?? "",
  };
}

/** Numeric order of decimal strings (ids, blocks), text order otherwise. */
export function compareNumeric(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts by a decimal id. */
export const byNumericId =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    compareNumeric(key(a), key(b));

/** Block order of transaction references. */
export function compareTx(a: TxRef, b: TxRef): number {
  return compareNumeric(a.block, b.block);
}
