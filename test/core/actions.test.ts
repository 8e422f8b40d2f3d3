import { describe, expect, it } from "vitest";
import { AbiCoder, keccak256 } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  actionBatch,
  actionBatchFile,
  actionProof,
  actionRecordHash,
  loadActionBatch,
  parseActionProof,
  parseActionRecord,
  type ActionRecord,
} from "../../src/core/actions.ts";
import { DecisionTree } from "../../src/core/merkle.ts";
import { InvalidInputError } from "../../src/core/errors.ts";

const intent = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const record = (n: number, extra: Partial<ActionRecord> = {}): ActionRecord => ({
  actionId: `a-${n}`,
  intentHash: intent(n + 1),
  reference: `ticket-${n}`,
  policyCheck: "passed",
  timestamp: 1_760_000_000 + n,
  ...extra,
});

describe("action records", () => {
  it("hash as abi.encode(string, bytes32, string, uint8, uint64), policy checks skipped 0 / passed 1 / failed 2", () => {
    const r = record(1, { policyCheck: "failed" });
    const expected = keccak256(
      AbiCoder.defaultAbiCoder().encode(["string", "bytes32", "string", "uint8", "uint64"], [r.actionId, r.intentHash, r.reference, 2, r.timestamp]),
    );
    expect(actionRecordHash(r)).toBe(expected);
    expect(actionRecordHash({ ...r, policyCheck: "passed" })).not.toBe(expected);
  });

  it("batch into the tree StandardMerkleTree.of(hashes, [bytes32]) builds, window over their timestamps", () => {
    const records = [record(5), record(2), record(9)];
    const batch = actionBatch(records);
    const oz = StandardMerkleTree.of(records.map((r) => [actionRecordHash(r)]), ["bytes32"]);
    expect(batch.root).toBe(oz.root);
    expect([batch.count, batch.windowStart, batch.windowEnd]).toEqual([3, 1_760_000_002, 1_760_000_009]);
  });

  it("prove a record, and the proof file checks back", () => {
    const batch = actionBatch([record(1), record(2), record(3)]);
    const file = JSON.parse(JSON.stringify(actionProof(7, batch, "a-2")));
    const proof = parseActionProof(file);
    expect(proof.agentId).toBe(7n);
    expect(DecisionTree.verify(proof.root, proof.recordHash, proof.proof)).toBe(true);
  });

  it("refuse an edited record, a stated hash that is not the record's, and a foreign file", () => {
    const batch = actionBatch([record(1), record(2)]);
    const file = actionProof(1, batch, "a-1");
    expect(() => parseActionProof({ ...file, record: { ...file.record, reference: "other" } })).toThrow(/the record hashes to 0x[0-9a-f]{64}, not the stated/);
    const edited = parseActionProof({ ...file, recordHash: undefined, record: { ...file.record, reference: "other" } });
    expect(DecisionTree.verify(edited.root, edited.recordHash, edited.proof)).toBe(false);
    expect(() => parseActionProof({ format: "pedigree-decisions-v1" })).toThrow(/not an action proof file/);
  });

  it("round-trip a batch file, refusing one whose records do not make its root", () => {
    const batch = actionBatch([record(1), record(2)]);
    const file = JSON.parse(JSON.stringify(actionBatchFile(3, batch)));
    expect(loadActionBatch(file).batch.root).toBe(batch.root);
    file.records[0].timestamp += 1;
    expect(() => loadActionBatch(file)).toThrow(/rebuild to root .* not the recorded/);
  });

  it("refuse bad records with one line naming the field", () => {
    const cases: [unknown, RegExp][] = [
      [null, /record must be an object/],
      [{ ...record(1), actionId: "" }, /record\.actionId must not be empty/],
      [{ ...record(1), intentHash: "0x12" }, /record\.intentHash/],
      [{ ...record(1), policyCheck: "ok" }, /record\.policyCheck must be one of skipped, passed, failed, got "ok"/],
      [{ ...record(1), timestamp: -1 }, /record\.timestamp must be unix seconds/],
      [{ ...record(1), timestamp: 1.5 }, /record\.timestamp must be unix seconds/],
      [{ ...record(1), reference: "x".repeat(1025) }, /record\.reference is longer than 1024 bytes/],
    ];
    for (const [value, message] of cases) {
      let caught: unknown;
      try {
        parseActionRecord(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidInputError);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).not.toContain("\n");
    }
    expect(() => actionBatch([])).toThrow(/at least one action record/);
    expect(() => actionBatch([record(1), record(1)])).toThrow(/action id "a-1" appears twice \(records\[0\] and records\[1\]\)/);
    expect(() => actionProof(1, actionBatch([record(1)]), "nope")).toThrow(/action "nope" is not in this batch/);
  });
});
