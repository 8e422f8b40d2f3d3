/**
 * The runner's output, line for line as matchstick prints it: level prefixes (𝖷 error, ⚠️ warning, 💬 info, 🛠 debug,
 * √ success), two spaces of indent per level of nesting, and a test's log lines held back until its result line is
 * printed. Colours only on a terminal (util.styleText checks the stream, NO_COLOR and FORCE_COLOR).
 */
import { styleText } from "node:util";

export type Style = Parameters<typeof styleText>[0];

/** matchstick-as `log.Level`: 0 critical … 4 debug, 5 success. */
const PREFIXES: Record<number, [string, Style]> = {
  1: ["𝖷 ", ["bold", "red"]],
  2: ["⚠️  ", "yellow"],
  3: ["💬 ", "italic"],
  4: ["🛠  ", ["italic", "cyan"]],
  5: ["√ ", ["bold", "green"]],
};

export class Output {
  private indent = 0;
  private held: string[] | null = null;

  constructor(private readonly write: (text: string) => void) {}

  /** Text with a style, if the output stream takes colours. */
  styled(style: Style, text: string): string {
    return styleText(style, text, { validateStream: true, stream: process.stdout });
  }

  /** A line at the current indent: a log level's prefix and style (1 error … 5 success), or plain (level 6). */
  log(level: number, text: string): void {
    const prefix = PREFIXES[level];
    const line = " ".repeat(this.indent) + (prefix ? this.styled(prefix[1], prefix[0] + text) : text);
    if (this.held) this.held.push(line);
    else this.write(`${line}\n`);
  }

  /** A plain line in a style (suite names, describe names, summaries). */
  line(text: string, style?: Style): void {
    this.log(6, style ? this.styled(style, text) : text);
  }

  /** Back to no indent, nothing held (a critical error ends the run wherever it happened). */
  reset(): void {
    this.indent = 0;
    this.held = null;
  }

  nest(): void {
    this.indent += 2;
  }

  unnest(): void {
    this.indent = Math.max(0, this.indent - 2);
  }

  /** From now on, lines are held back (a test's logs). */
  hold(): void {
    this.held = [];
  }

  /** Stops holding lines back and returns them, joined, each ending in a newline. */
  release(): string {
    const text = (this.held ?? []).map((line) => `${line}\n`).join("");
    this.held = null;
    return text;
  }

  /** Writes text as it is (held logs, printed later). */
  raw(text: string): void {
    this.write(text);
  }
}
