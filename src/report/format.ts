/** Formatting shared by the renderers: amounts, durations, shares, labels. Output is plain text (escape it). */
import type { TxRef, UnixTime, VersionDossier } from "./types.ts";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH = `0x${"0".repeat(64)}`;

/** Whole-line text: whitespace (newlines included) collapsed to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `amount` (base units) in `currency`: ETH for the zero address, else base units of the token. */
export function formatAmount(amount: string, currency: string): string {
  if (currency.toLowerCase() === ZERO_ADDRESS) return `${formatUnits(amount, 18)} ETH`;
  return `${amount} base units of token ${currency}`;
}

function formatUnits(value: string, decimals: number): string {
  const v = BigInt(value);
  const base = 10n ** BigInt(decimals);
  const whole = v / base;
  const fraction = (v % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** Seconds as "365 days", "12 h", "perpetual" for 0. */
export function formatDuration(seconds: string): string {
  const s = BigInt(seconds);
  if (s === 0n) return "perpetual";
  if (s % 86_400n === 0n) return `${s / 86_400n} days`;
  if (s % 3_600n === 0n) return `${s / 3_600n} h`;
  return `${s} s`;
}

/** Basis points as a percentage: 7000 → "70 %". */
export function formatBps(bps: number): string {
  const whole = Math.floor(bps / 100);
  const rest = bps % 100;
  return `${rest === 0 ? whole : (bps / 100).toFixed(2).replace(/0+$/, "")} %`;
}

/** ISO time of a unix time, or a word for 0. */
export function formatTime(t: UnixTime | null | undefined, zero = "never"): string {
  if (!t) return "—";
  if (t.unix === "0") return zero;
  return t.time ?? `unix ${t.unix}`;
}

/** "block 32 · 2026-11-21T20:25:36Z" (the hash is rendered separately, as code). */
export function txWhen(tx: TxRef): string {
  return `block ${tx.block} · ${tx.time || `unix ${tx.timestamp}`}`;
}

/** A hash that is all zeros was not provided. */
export function isZeroHash(hash: string): boolean {
  return hash === ZERO_HASH;
}

/** Short form of a hash or address for diagrams: 0x1234…abcd. */
export function shortHex(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}


/** A title line for the dossier's subject. */
export function subjectTitle(d: VersionDossier): string {
  return `model ${d.model.id}, version ${d.version.number} (model version id ${d.version.id})`;
}

/** Human label of a model version record. */
export function versionLabel(v: { id: string; modelId: string; number: number }): string {
  return `model version ${v.id} (model ${v.modelId} v${v.number})`;
}



/** Dataset version label: "dataset version 2 (dataset 1 v2)". */
export function datasetVersionLabel(v: { id: string; datasetId: string; number: number }): string {
  return `dataset version ${v.id} (dataset ${v.datasetId} v${v.number})`;
}

/** Subject label of an attestation. */
export function subjectLabel(subject: { type: string; id: string }): string {
  const words: Record<string, string> = {
    DatasetVersion: "dataset version",
    ModelVersion: "model version",
    TrainingRun: "training run",
    Licence: "licence",
    Deployment: "deployment",
  };
  return `${words[subject.type] ?? subject.type} ${subject.id}`;
}
