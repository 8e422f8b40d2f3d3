/** Small display helpers of the explorer's pages. */
import { ZERO_ADDRESS, type TxStamp } from "../../audit/types.ts";

/** A block's time as an ISO date and time (UTC), and its number. */
export function when(stamp: TxStamp): string {
  return `${new Date(stamp.timestamp * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC · block ${stamp.blockNumber}`;
}

/** An address or hash shortened for a table cell (the full value in the title). */
export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

/** An amount in its currency's smallest unit: ETH for native ether (wei / 10^18), else the token's units. */
export function amount(value: string, currency: string): string {
  if (currency !== ZERO_ADDRESS) return `${value} (token ${short(currency)})`;
  const wei = BigInt(value);
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return `${whole}${fraction ? `.${fraction}` : ""} ETH`;
}
