/** EntityIdFilter: no false negatives, a false-positive rate as designed, fixed memory, bad sizes refused. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FILTER_BITS, EntityIdFilter } from "../../../src/indexer/runtime/id-filter.ts";

/** Ids shaped like the subgraph's: transaction hash and log index, Bytes ids, Int8 ids. */
function idOf(i: number): string {
  const hex = i.toString(16).padStart(8, "0");
  return i % 3 === 0 ? `0x${hex.repeat(8)}-${i % 7}` : i % 3 === 1 ? `0x${hex}` : String(i);
}

describe("EntityIdFilter", () => {
  it("never forgets an id it was given", () => {
    const ids = new EntityIdFilter(2 ** 20);
    for (let i = 0; i < 100_000; i++) ids.add("Attestation", idOf(i));
    let forgotten = 0;
    for (let i = 0; i < 100_000; i++) if (!ids.mayHave("Attestation", idOf(i))) forgotten += 1;
    expect(forgotten).toBe(0);
    expect(ids.added).toBe(100_000);
  });

  it("keeps types apart: the same id under another type is not known", () => {
    const ids = new EntityIdFilter();
    ids.add("Model", "0x01");
    expect(ids.mayHave("Model", "0x01")).toBe(true);
    expect(ids.mayHave("Dataset", "0x01")).toBe(false);
    expect(ids.mayHave("Model0x", "01")).toBe(false); // type and id are separated, not concatenated
  });

  it("answers 'maybe' for new ids at about the designed rate, and fills up gracefully", () => {
    const bits = 2 ** 20; // 1 Mbit: the default's load of 2 million ids scaled down to 31 250
    const ids = new EntityIdFilter(bits);
    const falsePositives = (from: number, count: number) => {
      let n = 0;
      for (let i = from; i < from + count; i++) if (ids.mayHave("ProvenanceEvent", idOf(i))) n += 1;
      return n / count;
    };
    for (let i = 0; i < 31_250; i++) ids.add("ProvenanceEvent", idOf(i));
    // (1 - e^(-5·31 250 / 2^20))^5 ≈ 5·10^-5
    expect(falsePositives(10_000_000, 200_000)).toBeLessThan(2e-4);
    for (let i = 31_250; i < 156_250; i++) ids.add("ProvenanceEvent", idOf(i));
    // Five times the design load: (1 - e^(-0.745))^5 ≈ 0.04, still mostly "no"
    const crowded = falsePositives(10_000_000, 200_000);
    expect(crowded).toBeGreaterThan(0.02);
    expect(crowded).toBeLessThan(0.07);
  });

  it("takes the same memory however many ids it holds", () => {
    const ids = new EntityIdFilter();
    expect(ids.bytes).toBe(DEFAULT_FILTER_BITS / 8);
    for (let i = 0; i < 10_000; i++) ids.add("Account", idOf(i));
    expect(ids.bytes).toBe(DEFAULT_FILTER_BITS / 8);
  });

  it("refuses a size that is not a power of two in range", () => {
    expect(() => new EntityIdFilter(1000)).toThrow("bits must be a power of two between 32 and 2^31, got 1000");
    expect(() => new EntityIdFilter(16)).toThrow(RangeError);
  });
});
