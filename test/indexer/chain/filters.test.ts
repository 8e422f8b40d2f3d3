/**
 * FilterSet: how data source filters become eth_getLogs queries and which logs they match (no chain needed).
 */
import { describe, expect, it } from "vitest";
import { FilterSet } from "../../../src/indexer/chain/filters.ts";
import type { Log } from "../../../src/indexer/chain/types.ts";

const A = "0x" + "aa".repeat(20);
const B = "0x" + "bb".repeat(20);
const T1 = "0x" + "11".repeat(32);
const T2 = "0x" + "22".repeat(32);

function log(address: string, topic0: string, block: number): Log {
  return {
    address,
    topics: [topic0],
    data: "0x",
    logIndex: 0n,
    transactionIndex: 0n,
    transactionHash: "0x" + "00".repeat(32),
    blockNumber: BigInt(block),
    blockHash: "0x" + "00".repeat(32),
  };
}

describe("FilterSet", () => {
  it("merges the addresses of filters with the same events into one query, any case", () => {
    const set = new FilterSet([
      { addresses: [A.toUpperCase().replace("0X", "0x")], topic0s: [T2, T1] },
      { addresses: [B], topic0s: [T1, T2] },
      { addresses: [B], topic0s: [T1] },
    ]);
    expect(set.queries(5, 9)).toEqual([
      { fromBlock: 5, toBlock: 9, address: [A, B], topics: [[T1, T2]] },
      { fromBlock: 5, toBlock: 9, address: [B], topics: [[T1]] },
    ]);
  });

  it("leaves out filters that start after the range, and matches logs only from a filter's first block", () => {
    const set = new FilterSet([{ addresses: [A], topic0s: [T1] }]);
    set.add({ addresses: [B], topic0s: [T1], receiptTopic0s: [T1] }, 100);
    expect(set.queries(0, 99)).toHaveLength(1);
    expect(set.queries(0, 100)[0].address).toEqual([A, B]);
    expect(set.matches(log(B, T1, 99))).toBe(false);
    expect(set.matches(log(B, T1, 100))).toBe(true);
    expect(set.matches(log(A, T2, 100))).toBe(false);
    expect(set.needsReceipt(log(B, T1, 100))).toBe(true);
    expect(set.needsReceipt(log(A, T1, 100))).toBe(false);
  });

  it("splits long address lists and supports filters on any address or any event", () => {
    const many = Array.from({ length: 1201 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
    const set = new FilterSet([{ addresses: many, topic0s: [T1] }, { addresses: [], topic0s: [T2] }, { addresses: [A], topic0s: [] }]);
    const queries = set.queries(0, 0);
    expect(queries.map((q) => ("address" in q && Array.isArray(q.address) ? q.address.length : 0))).toEqual([500, 500, 201, 0, 1]);
    expect(queries[3]).toEqual({ fromBlock: 0, toBlock: 0, topics: [[T2]] });
    expect(queries[4]).toEqual({ fromBlock: 0, toBlock: 0, address: [A] });
    expect(set.matches(log(B, T2, 0))).toBe(true);
    expect(set.matches(log(A, T2 + "", 0))).toBe(true);
    expect(set.matches(log(B, T1, 0))).toBe(false);
  });
});
