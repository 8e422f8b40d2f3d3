/** What the CLI prints on a terminal: chain data is user text, so control characters never reach the terminal raw. */
import { describe, expect, it } from "vitest";
import { terminalText } from "../../src/cli/output.ts";

describe("terminalText", () => {
  it("shows escape sequences, newlines, DEL, C1 controls and bidi overrides as \\uXXXX", () => {
    expect(terminalText("prod\u001b[2J\u001b]0;title\u0007")).toBe("prod\\u001b[2J\\u001b]0;title\\u0007");
    expect(terminalText("a\nCONFLICT none\r")).toBe("a\\u000aCONFLICT none\\u000d");
    expect(terminalText("x\u007f\u009by")).toBe("x\\u007f\\u009by");
    expect(terminalText("invoice\u202egpj.exe")).toBe("invoice\\u202egpj.exe");
  });

  it("leaves printable text, accents and emoji as they are", () => {
    const text = "Zürich — naïve 東京 🚀 tab-free";
    expect(terminalText(text)).toBe(text);
  });
});
