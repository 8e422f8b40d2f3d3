/**
 * The generated WebAssembly keccak (src/core/hashing/keccak/) against a reference, ethers' keccak256 (@noble/hashes
 * underneath): the sponge on inputs around every block boundary, the batch of 32-byte words (two at a time in SIMD
 * lanes, and the odd last one), the OpenZeppelin tree nodes, the shared-memory module, and helper threads.
 */
import { randomBytes } from "node:crypto";
import { concat, keccak256 } from "ethers";
import { describe, expect, it } from "vitest";
import { JOB_HASH32 } from "../../../src/core/hashing/keccak/jobs.ts";
import { KeccakPool } from "../../../src/core/hashing/keccak/pool.ts";
import { DATA_START, KeccakWasm, keccak256Bytes } from "../../../src/core/hashing/keccak/wasm.ts";

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString("hex")}`;

/** The 32-byte words at `at` in `k`'s memory, as hex. */
function wordsAt(k: KeccakWasm, at: number, n: number): string[] {
  const memory = k.bytes();
  return Array.from({ length: n }, (_, i) => hex(memory.subarray(at + 32 * i, at + 32 * i + 32)));
}

/** The reference OpenZeppelin node: keccak256 of the two children, the smaller (as an unsigned integer) first. */
function referenceNode(left: string, right: string): string {
  return BigInt(left) <= BigInt(right) ? keccak256(concat([left, right])) : keccak256(concat([right, left]));
}

describe("keccak256 (the sponge)", () => {
  it("equals ethers' keccak256 for inputs around every block boundary (136 bytes)", () => {
    for (const length of [0, 1, 31, 32, 33, 64, 135, 136, 137, 271, 272, 273, 1000, 4096]) {
      const data = randomBytes(length);
      expect(hex(keccak256Bytes(data)), `length ${length}`).toBe(keccak256(data));
    }
  });

  it("gives the published digests of the empty string and of \"abc\"", () => {
    expect(hex(keccak256Bytes(new Uint8Array(0)))).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    expect(hex(keccak256Bytes(new TextEncoder().encode("abc")))).toBe(
      "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
    );
  });
});

describe("hash32 (a batch of 32-byte words)", () => {
  for (const n of [1, 2, 3, 64, 1001]) {
    it(`n = ${n}: every word's digest equals ethers' keccak256, in place and to another address`, () => {
      const words = randomBytes(32 * n);
      const k = new KeccakWasm();
      k.reserve(64 * n);
      k.bytes().set(words, DATA_START);
      const expected = Array.from({ length: n }, (_, i) => keccak256(words.subarray(32 * i, 32 * i + 32)));

      k.hash32(DATA_START, DATA_START + 32 * n, n);
      expect(wordsAt(k, DATA_START + 32 * n, n)).toEqual(expected);
      k.hash32(DATA_START, DATA_START, n);
      expect(wordsAt(k, DATA_START, n)).toEqual(expected);
    });
  }
});

describe("tree (OpenZeppelin nodes)", () => {
  for (const leaves of [2, 3, 8, 37]) {
    it(`${leaves} leaves: every node is keccak256 of its sorted children`, () => {
      const size = 2 * leaves - 1;
      const k = new KeccakWasm();
      k.reserve(32 * size);
      k.bytes().set(randomBytes(32 * leaves), DATA_START + 32 * (leaves - 1));
      const nodes = wordsAt(k, DATA_START, size);
      for (let i = leaves - 2; i >= 0; i--) nodes[i] = referenceNode(nodes[2 * i + 1]!, nodes[2 * i + 2]!);

      k.tree(DATA_START, leaves - 2, 0);
      expect(wordsAt(k, DATA_START, size)).toEqual(nodes);
    });
  }
});

describe("shared memory and helper threads", () => {
  it("the shared-memory module hashes as the plain one", () => {
    const n = 257;
    const words = randomBytes(32 * n);
    const shared = new KeccakWasm({ sharedBytes: 32 * n });
    shared.bytes().set(words, DATA_START);
    shared.hash32(DATA_START, DATA_START, n);
    expect(wordsAt(shared, DATA_START, n)).toEqual(Array.from({ length: n }, (_, i) => keccak256(words.subarray(32 * i, 32 * i + 32))));
  });

  it("a helper thread hashes chunks in the shared memory, with the results one thread computes", () => {
    const n = 4096;
    const words = randomBytes(32 * n);
    const single = new KeccakWasm();
    single.reserve(32 * n);
    single.bytes().set(words, DATA_START);
    single.hash32(DATA_START, DATA_START, n);

    const pool = KeccakPool.open(32 * n, 2);
    try {
      pool.k.bytes().set(words, DATA_START);
      // Publish only chunk 0 and wait for it without working: only the helper can do it.
      pool.run(JOB_HASH32, 2, [DATA_START, n, n / 2, 1], (publish) => {
        publish(1);
        const sleep = new Int32Array(new SharedArrayBuffer(4));
        for (let waited = 0; pool.completedChunks() < 1 && waited < 30_000; waited += 10) Atomics.wait(sleep, 0, 0, 10);
      });
      expect(pool.mainChunks).toBeLessThan(2); // the helper did chunk 0 (and maybe chunk 1)
      expect(wordsAt(pool.k, DATA_START, n)).toEqual(wordsAt(single, DATA_START, n));
    } finally {
      pool.close();
    }
  });
});
