/**
 * What commands print: human-readable lines by default, or one JSON document with `--json` (integers as decimal
 * strings, so that no id or amount loses precision). Diagnostics go to stderr; stdout carries only the result.
 */
import { ZeroAddress, formatUnits } from "ethers";

/** A JSON-safe copy: bigints become decimal strings, Dates ISO strings, undefined fields are left out. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item));
  if (value !== null && typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) result[key] = toJsonValue(item);
    return result;
  }
  return value;
}

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

/** C0 and C1 controls (escape sequences start here), DEL, line separators and bidirectional overrides. */
const UNSAFE_ON_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A line made safe to print on a terminal: every control character (an ANSI escape sequence that would recolour,
 * move the cursor or rewrite the title; a newline that would forge a line; a bidi override that would reorder text)
 * shown as its `\uXXXX` escape instead. Chain data is user text: environment names, reasons, URIs.
 *
 * @example
 * terminalText("prod\u001b[2Jction"); // "prod\\u001b[2Jction"
 */
export function terminalText(line: string): string {
  return line.replace(UNSAFE_ON_TERMINAL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
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
