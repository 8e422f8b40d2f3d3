/**
 * Copies of small byte ranges that share 8 KiB ArrayBuffers, as Node's Buffer pool shares its own — but as plain
 * Uint8Arrays: a Buffer's `slice` is a view and its `toString` is text, and entities' Bytes values are Uint8Arrays
 * everywhere else (the store's codec, equality, tests).
 *
 * Why: every Bytes a handler stores (ids, hashes, addresses) is copied out of WASM memory and lives on in the entity
 * cache. A copy with an ArrayBuffer of its own is three objects the collector copies and tracks (the view, the
 * ArrayBuffer and its backing store, with an extension swept on every scavenge); a view into a shared chunk is one.
 * Handlers alone over the 50 000-event benchmark chain: a fifth less time in scavenges, a tenth less in all
 * (docs/indexer-scale.md). A chunk lives as long as any copy in it, as with Node's pool; copies longer than half a
 * chunk get an ArrayBuffer of their own, so one small survivor never holds more than a chunk.
 */
export const BYTE_POOL_CHUNK = 8 * 1024;
const POOLED_MAX = BYTE_POOL_CHUNK >>> 1;
/** Below this length a loop copies faster than `set` over a temporary `subarray`. */
const LOOP_COPY_MAX = 64;

export class BytePool {
  private chunk = new Uint8Array(BYTE_POOL_CHUNK);
  private used = 0;

  /** A copy of `length` bytes of `from` at `start`. */
  copy(from: Uint8Array, start: number, length: number): Uint8Array {
    if (length > POOLED_MAX) return from.slice(start, start + length);
    if (this.used + length > BYTE_POOL_CHUNK) {
      this.chunk = new Uint8Array(BYTE_POOL_CHUNK);
      this.used = 0;
    }
    const chunk = this.chunk;
    const at = this.used;
    if (length <= LOOP_COPY_MAX) for (let i = 0; i < length; i++) chunk[at + i] = from[start + i]!;
    else chunk.set(from.subarray(start, start + length), at);
    this.used = (at + length + 7) & ~7; // 8-byte aligned, as Node's pool
    return chunk.subarray(at, at + length);
  }
}
