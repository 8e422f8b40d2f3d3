/** Output primitives: chain data is user text, so control characters never reach a terminal raw; results become plain JSON. */
import { describe, expect, it } from "vitest";
import { terminalText, toJsonValue } from "../../src/core/output.ts";

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

describe("toJsonValue", () => {
  it("turns bigints into decimal strings and dates into ISO strings, and leaves undefined fields out, at any depth", () => {
    const when = new Date("2026-01-03T00:00:00Z");
    expect(toJsonValue({ id: 2n ** 70n, at: when, gone: undefined, list: [1n, { nested: 3n }], text: "x", none: null })).toEqual({
      id: "1180591620717411303424",
      at: "2026-01-03T00:00:00.000Z",
      list: ["1", { nested: "3" }],
      text: "x",
      none: null,
    });
  });
});
