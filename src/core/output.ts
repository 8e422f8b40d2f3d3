/**
 * Plain data for the outside world, chain-free: a JSON-safe copy of a result (the CLI's --json, the MCP server's
 * structured content) and text made safe to print on a terminal (the CLI's lines, the MCP server's one-line messages).
 */

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
