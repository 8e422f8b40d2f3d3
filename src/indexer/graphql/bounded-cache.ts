/**
 * A least-recently-used cache bounded by entries and by bytes (as the caller weighs its entries). Entries heavier than
 * `maxEntryBytes` are not kept, so one large value cannot evict everything else.
 *
 * @example
 * const cache = new BoundedCache<string, string>({ entries: 100, bytes: 1 << 20, maxEntryBytes: 1 << 16 });
 * cache.set("key", "value", 5);
 * cache.get("key"); // "value" (now the most recently used)
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(private readonly limits: { entries: number; bytes: number; maxEntryBytes: number }) {}

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of the entries held. */
  get totalBytes(): number {
    return this.bytes;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` (weighing `bytes`) unless it is too heavy, evicting the least recently used entries as needed. */
  set(key: K, value: V, bytes: number): void {
    if (bytes > this.limits.maxEntryBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.entries && this.bytes <= this.limits.bytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
