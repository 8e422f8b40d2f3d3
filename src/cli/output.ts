/**
 * What commands print: human-readable lines by default, or one JSON document with `--json` (integers as decimal
 * strings, so that no id or amount loses precision). Diagnostics go to stderr; stdout carries only the result.
 */
import { ZeroAddress, formatUnits } from "ethers";
import { terminalText, toJsonValue } from "../core/output.ts";

/** The JSON text of a result. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}

/** A row of human output: label and value (left out when the value is undefined). */
export type Row = readonly [label: string, value: string | number | bigint | boolean | undefined];

/**
 * A heading followed by aligned `label  value` rows.
 *
 * @example
 * block("dataset 1 registered", [["version", 1n], ["owner", "0x…"]]);
 */
export function block(heading: string, rows: readonly Row[]): string[] {
  const shown = rows.filter(([, value]) => value !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return [heading, ...shown.map(([label, value]) => `  ${label.padEnd(width)}  ${formatValue(value)}`)];
}

function formatValue(value: string | number | bigint | boolean | undefined): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** The row naming a transaction and its block. */
export function txRow(result: { hash: string; blockNumber: number }): Row {
  return ["transaction", `${result.hash} (block ${result.blockNumber})`];
}

/** An amount in a currency, e.g. `0.5 ETH` or `25000000 units of token 0x…`. */
export function formatAmount(amount: bigint, currency: string, decimals?: number, symbol?: string): string {
  if (currency === ZeroAddress) return `${formatUnits(amount, 18)} ETH`;
  if (decimals !== undefined) return `${formatUnits(amount, decimals)} ${symbol ?? `of token ${currency}`}`;
  return `${amount} units of token ${currency}`;
}

/** A unix time as ISO 8601, or `never` for 0. */
export function formatTime(seconds: bigint | number, zero = "never"): string {
  const value = Number(seconds);
  if (value === 0) return zero;
  return `${new Date(value * 1000).toISOString().replace(".000Z", "Z")}`;
}


/** Where a command prints. */
export class Output {
  constructor(
    /** `--json`: one JSON document on stdout. */
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /**
   * Prints a result: `data` as JSON with `--json`, otherwise the human lines.
   *
   * @example
   * out.result({ datasetId: 1n }, () => block("dataset 1 registered", []));
   */
  result(data: object, human: () => string[]): void {
    this.stdout.write(this.json ? jsonText(data) : `${human().map(terminalText).join("\n")}\n`);
  }

  /** A warning on stderr, always shown. */
  warn(message: string): void {
    this.stderr.write(`pedigree: warning: ${terminalText(message)}\n`);
  }

  /** Progress for a person watching (stderr, only on a terminal and without `--json`). */
  progress(message: string): void {
    if (!this.json && this.stderr.isTTY) this.stderr.write(`${terminalText(message)}\n`);
  }

  /** Whether stderr is a terminal a progress bar can be drawn on. */
  get interactive(): boolean {
    return !this.json && Boolean(this.stderr.isTTY);
  }
}
