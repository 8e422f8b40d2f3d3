/**
 * The fast Merkle trees against @openzeppelin/merkle-tree: same leaves, same sorting, same tree, same root, same
 * proofs — for bytes32 decision records and for the manifest leaf (string, uint256, bytes32) — on one thread and on
 * several; plus dumps and the errors. The keccak they hash with has its own tests (test/core/hashing/keccak.test.ts).
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256 } from "ethers";
import {
  DecisionTree,
  EmptyTreeError,
  InvalidBytes32Error,
  IndexOutOfRangeError,
  InvalidDumpError,
  manifestLeaf,
  MerkleTree,
  NotInTreeError,
  processProof,
  RootMismatchError,
  standardTree,
  verifyProof,
  bytes32Leaf,
  PARALLEL_MIN_LEAVES,
} from "../../src/core/merkle.ts";

const hex32 = (): string => `0x${randomBytes(32).toString("hex")}`;
const SIZES = [1, 2, 3, 7, 1000];

/**
 * Random records, with repeated values where the size allows — a value three times, so that which occurrence sits
 * where in the tree (OpenZeppelin keeps input order among equal leaves) always shows in the proofs — and a value in
 * upper-case hex.
 */
function records(n: number): string[] {
  const out = Array.from({ length: n }, hex32);
  if (n >= 4) out[n - 1] = out[1]!;
  if (n >= 7) {
    out[n - 2] = out[1]!;
    out[3] = out[3]!.toUpperCase().replace("0X", "0x");
  }
  return out;
}

function ozDecisions(values: string[]): StandardMerkleTree<string[]> {
  return StandardMerkleTree.of(values.map((r) => [r]), ["bytes32"]);
}

describe("DecisionTree", () => {
  for (const n of SIZES) {
    for (const threads of [1, 2]) {
      it(`n = ${n}, ${threads} thread(s): same root and proofs as StandardMerkleTree.of(records.map((r) => [r]), ["bytes32"])`, () => {
        const values = records(n);
        const oz = ozDecisions(values);
        const ours = DecisionTree.build(values, { threads });
        expect(ours.root).toBe(oz.root);
        expect(ours.size).toBe(n);
        for (let i = 0; i < n; i++) {
          expect(ours.proofAt(i), `proofAt(${i})`).toEqual(oz.getProof(i));
          expect(ours.proof(values[i]!), `proof(value ${i})`).toEqual(oz.getProof([values[i]!]));
          expect(ours.tree.leaf(i)).toBe(oz.leafHash([values[i]!]));
        }
      });
    }
  }

  it("takes records as bytes too, with the same result", () => {
    const values = records(50);
    const bytes = values.map((v) => Buffer.from(v.slice(2), "hex"));
    const packed = Buffer.concat(bytes);
    const root = ozDecisions(values).root;
    expect(DecisionTree.build(bytes).root).toBe(root);
    expect(DecisionTree.fromRecordBytes(packed).root).toBe(root);
    expect(DecisionTree.fromRecordBytes(packed, { threads: 2 }).root).toBe(root);
  });

  it(`matches on a tree large enough for the default multi-threaded path (${PARALLEL_MIN_LEAVES + 1000} records)`, () => {
    const values = records(PARALLEL_MIN_LEAVES + 1000);
    const oz = ozDecisions(values);
    const ours = DecisionTree.build(values);
    expect(ours.root).toBe(oz.root);
    for (const i of [0, 1, 2, 777, 20_000, values.length - 2, values.length - 1]) {
      expect(ours.proofAt(i), `proofAt(${i})`).toEqual(oz.getProof(i));
    }
  });

  it("computes the leaf ReleaseRegistry.verifyDecision computes", () => {
    const record = hex32();
    const expected = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [record])));
    expect(DecisionTree.leafHash(record)).toBe(expected);
  });

  it("proves members and rejects non-members", () => {
    const values = records(100);
    const tree = DecisionTree.build(values);
    for (const i of [0, 13, 99]) {
      const proof = tree.proof(values[i]!);
      expect(DecisionTree.verify(tree.root, values[i]!, proof)).toBe(true);
      expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [values[i]!], proof)).toBe(true);
    }
    const outsider = hex32();
    expect(tree.indexOf(outsider)).toBe(-1);
    expect(() => tree.proof(outsider)).toThrow(NotInTreeError);
    expect(DecisionTree.verify(tree.root, outsider, tree.proofAt(0))).toBe(false);
    expect(DecisionTree.verify(tree.root, values[0]!, tree.proofAt(1))).toBe(false);
  });

  it("dumps its records and loads them back, checking the root", () => {
    const values = records(300);
    const tree = DecisionTree.build(values);
    const dump = JSON.parse(JSON.stringify(tree.dump()));
    expect(dump.records).toEqual(values.map((v) => v.toLowerCase()));
    const loaded = DecisionTree.load(dump);
    expect(loaded.root).toBe(tree.root);
    expect(loaded.proofAt(42)).toEqual(tree.proofAt(42));
    expect(loaded.recordAt(42)).toBe(values[42]!.toLowerCase());

    const tampered = { ...dump, records: [...dump.records] };
    tampered.records[7] = hex32();
    expect(() => DecisionTree.load(tampered)).toThrow(RootMismatchError);
    expect(() => DecisionTree.load({ ...dump, format: "standard-v1" })).toThrow(InvalidDumpError);
  });

  it("refuses empty batches and values that are not bytes32, naming the value", () => {
    expect(() => DecisionTree.build([])).toThrow(EmptyTreeError);
    expect(() => DecisionTree.build([hex32(), "0x1234"])).toThrow(InvalidBytes32Error);
    expect(() => DecisionTree.build([hex32(), `0x${"zz".repeat(32)}`])).toThrow(/record 1/);
    expect(() => DecisionTree.build([new Uint8Array(31)])).toThrow(InvalidBytes32Error);
    expect(() => DecisionTree.fromRecordBytes(new Uint8Array(33))).toThrow(InvalidBytes32Error);
    expect(() => DecisionTree.build([hex32()]).proofAt(1)).toThrow(IndexOutOfRangeError);
  });
});

describe("standardTree", () => {
  const types = ["string", "uint256", "bytes32"];
  const entries = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      path: `dir-${i % 3}/ü/${"x".repeat(i % 70)}${i}.bin`,
      size: i * 1_000_000_007,
      digest: hex32(),
    }));

  for (const n of SIZES) {
    it(`manifest leaves, n = ${n}: same root and proofs as StandardMerkleTree.of(values, ["string", "uint256", "bytes32"])`, () => {
      const values = entries(n);
      const oz = StandardMerkleTree.of(values.map((e) => [e.path, e.size, e.digest]), types);
      const ours = standardTree(manifestLeaf).of(values);
      expect(ours.root).toBe(oz.root);
      for (let i = 0; i < n; i++) {
        expect(ours.proof(i)).toEqual(oz.getProof(i));
        expect(ours.proof(values[i]!)).toEqual(oz.getProof(i));
        expect(ours.leafHash(values[i]!)).toBe(oz.leafHash([values[i]!.path, values[i]!.size, values[i]!.digest]));
      }
    });
  }

  it("bytes32 leaves: same as StandardMerkleTree, and the dump loads into StandardMerkleTree", () => {
    const values = records(64);
    const ours = standardTree(bytes32Leaf).of(values, { threads: 2 });
    const oz = ozDecisions(values);
    expect(ours.root).toBe(oz.root);
    const loaded = StandardMerkleTree.load(ours.toStandardDump() as Parameters<typeof StandardMerkleTree.load>[0]);
    expect(loaded.root).toBe(oz.root);
    expect(loaded.getProof(10)).toEqual(oz.getProof(10));
  });

  it("a manifest dump loads into StandardMerkleTree (which re-validates every node)", () => {
    const values = entries(37);
    const ours = standardTree(manifestLeaf).of(values);
    const loaded = StandardMerkleTree.load(ours.toStandardDump() as Parameters<typeof StandardMerkleTree.load>[0]);
    expect(loaded.root).toBe(ours.root);
  });

  it("verifies as MerkleProof does, and rejects a value not in the tree", () => {
    const values = entries(20);
    const factory = standardTree(manifestLeaf);
    const tree = factory.of(values);
    const proof = tree.proof(4);
    expect(factory.verify(tree.root, values[4]!, proof)).toBe(true);
    expect(factory.verify(tree.root, { ...values[4]!, size: values[4]!.size + 1 }, proof)).toBe(false);
    expect(() => tree.proof({ ...values[4]!, path: "elsewhere" })).toThrow(NotInTreeError);
    expect(processProof(tree.tree.leaf(4), proof)).toBe(tree.root);
    expect(verifyProof(tree.root, tree.tree.leaf(4), proof)).toBe(true);
  });

  it("MerkleTree.fromLeaves equals OpenZeppelin's tree over the same leaves", () => {
    const values = records(9);
    const oz = ozDecisions(values);
    const leaves = values.map((v) => oz.leafHash([v]));
    expect(MerkleTree.fromLeaves(leaves).root).toBe(oz.root);
    expect(() => MerkleTree.fromLeaves([])).toThrow(EmptyTreeError);
  });
});
