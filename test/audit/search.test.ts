/** The explorer's text search sends the user's text as a LIKE pattern that matches only itself (graph-node's `_contains`). */
import { describe, expect, it } from "vitest";
import { likeLiteral } from "../../src/audit/search.ts";

describe("likeLiteral", () => {
  it("escapes LIKE's wildcards and its escape character, and nothing else", () => {
    expect(likeLiteral("ipfs://a_b%c\\d")).toBe("ipfs://a\\_b\\%c\\\\d");
    expect(likeLiteral("plain text")).toBe("plain text");
  });
});
