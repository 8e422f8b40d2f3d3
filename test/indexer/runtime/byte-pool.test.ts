/** BytePool: copies out of WASM memory that share chunks, yet behave as copies of their own. */
import { describe, expect, it } from "vitest";
import { BYTE_POOL_CHUNK, BytePool } from "../../../src/indexer/runtime/byte-pool.ts";

const memory = Uint8Array.from({ length: 3 * BYTE_POOL_CHUNK }, (_, i) => (i * 7 + 3) & 0xff);
const expected = (start: number, length: number) => [...memory.subarray(start, start + length)];

describe("BytePool", () => {
  it("copies the range, short (loop) and long (set) alike, as plain Uint8Arrays", () => {
    const pool = new BytePool();
    for (const [start, length] of [[0, 0], [5, 1], [100, 20], [333, 32], [1000, 64], [2000, 65], [3000, 1500]] as const) {
      const copy = pool.copy(memory, start, length);
      expect(Object.getPrototypeOf(copy)).toBe(Uint8Array.prototype);
      expect([...copy]).toEqual(expected(start, length));
    }
  });

  it("is a copy: writing the source or a neighbouring copy changes nothing in it", () => {
    const source = memory.slice(0, 256);
    const pool = new BytePool();
    const a = pool.copy(source, 10, 20);
    const b = pool.copy(source, 40, 20);
    expect(a.buffer).toBe(b.buffer); // shared chunk
    source.fill(0);
    b.fill(0xee);
    expect([...a]).toEqual(expected(10, 20));
    expect(b.every((x) => x === 0xee)).toBe(true);
  });

  it("starts a new chunk when the copy does not fit, and leaves the earlier copies intact", () => {
    const pool = new BytePool();
    const copies: { copy: Uint8Array; start: number }[] = [];
    for (let i = 0; i < 1000; i++) copies.push({ copy: pool.copy(memory, i * 13, 33), start: i * 13 });
    expect(new Set(copies.map(({ copy }) => copy.buffer)).size).toBeGreaterThan(1);
    for (const { copy, start } of copies) {
      expect(copy.byteOffset % 8).toBe(0);
      expect(copy.byteOffset + copy.length).toBeLessThanOrEqual(BYTE_POOL_CHUNK);
      expect([...copy]).toEqual(expected(start, 33));
    }
  });

  it("gives a copy longer than half a chunk an ArrayBuffer of its own", () => {
    const pool = new BytePool();
    const length = BYTE_POOL_CHUNK / 2 + 1;
    const copy = pool.copy(memory, 7, length);
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(length);
    expect([...copy]).toEqual(expected(7, length));
    expect(pool.copy(memory, 0, BYTE_POOL_CHUNK / 2).buffer.byteLength).toBe(BYTE_POOL_CHUNK);
  });
});
