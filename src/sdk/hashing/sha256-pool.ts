/**
 * A small pool of file-hashing workers (sha256-worker.ts), one per core by default. Batches of ranges go to whichever
 * worker has the fewest in flight (two at most each, so none idles between batches); results come back per batch.
 * A worker that dies or cannot start has its batches re-queued; with no worker left, the rest is hashed on the
 * calling thread, so a broken worker setup costs speed, never a wrong or missing digest.
 */
import { threadId, Worker } from "node:worker_threads";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { HashItemError, hashItemSync, READ_CHUNK } from "./sha256-file.ts";
import type { HashFailure, HashItem } from "./sha256-file.ts";

/** What each thread did, for diagnostics (and for tests to see that the work was spread). */
export interface ThreadStats {
  /** Node thread id (0 is the main thread). */
  threadId: number;
  /** Ranges hashed (files or shards). */
  items: number;
  /** Bytes hashed. */
  bytes: number;
}

interface Slot {
  worker: Worker;
  threadId: number;
  inFlight: Map<number, number>; // batch id → batch index
  alive: boolean;
  stats: ThreadStats;
}

const IN_FLIGHT_PER_WORKER = 2;

const workerUrl = (): URL => {
  const ext = extname(fileURLToPath(import.meta.url)) || ".js";
  return new URL(`./sha256-worker${ext}`, import.meta.url);
};

/**
 * Hashes `batches` of ranges on `workers` worker threads (0: on the calling thread). Returns the digests of each
 * batch (32 bytes per range, in order) and per-thread stats. `progress` gets one BigInt64 slot per worker plus a last
 * one for the calling thread; each slot counts bytes read. Rejects with the first HashItemError.
 *
 * @example
 * const { digests } = await hashBatches([[{ path, offset: 0, length: size, checkEof: true }]], 2, progress);
 */
export async function hashBatches(
  batches: HashItem[][],
  workers: number,
  progress: BigInt64Array,
  signal?: AbortSignal,
): Promise<{ digests: Uint8Array[]; threads: ThreadStats[] }> {
  const digests: Uint8Array[] = new Array(batches.length);
  const mainStats: ThreadStats = { threadId, items: 0, bytes: 0 };
  const slots: Slot[] = [];
  const queue: number[] = batches.map((_, i) => i).reverse(); // pop() takes the next batch
  let remaining = batches.length;
  let nextId = 0;

  const result = new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      for (const slot of slots) void slot.worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => finish(signal?.reason ?? new Error("aborted"));
    signal?.addEventListener("abort", onAbort);
    if (signal?.aborted) return onAbort();

    const runInline = (): void => {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      const mainSlot = progress.length - 1;
      try {
        while (queue.length > 0 && !settled) {
          const index = queue.pop()!;
          const batch = batches[index]!;
          const out = new Uint8Array(32 * batch.length);
          batch.forEach((item, i) => {
            out.set(hashItemSync(item, buffer, (n) => Atomics.add(progress, mainSlot, BigInt(n))), 32 * i);
            mainStats.items++;
            mainStats.bytes += item.length;
          });
          digests[index] = out;
          remaining--;
        }
        if (remaining === 0) finish();
      } catch (error) {
        finish(error);
      }
    };

    const dispatch = (): void => {
      if (settled) return;
      if (remaining === 0) return finish();
      const live = slots.filter((s) => s.alive);
      if (live.length === 0) return runInline();
      for (;;) {
        if (queue.length === 0) return;
        const slot = live.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
        if (slot.inFlight.size >= IN_FLIGHT_PER_WORKER) return;
        const index = queue.pop()!;
        const id = nextId++;
        slot.inFlight.set(id, index);
        slot.worker.postMessage({ id, items: batches[index] });
      }
    };

    const lose = (slot: Slot): void => {
      if (!slot.alive) return;
      slot.alive = false;
      for (const index of slot.inFlight.values()) queue.push(index);
      slot.inFlight.clear();
      dispatch();
    };

    for (let i = 0; i < workers; i++) {
      let worker: Worker;
      try {
        worker = new Worker(workerUrl(), { workerData: { progress: progress.buffer, slot: i } });
      } catch {
        break;
      }
      const slot: Slot = { worker, threadId: worker.threadId, inFlight: new Map(), alive: true, stats: { threadId: worker.threadId, items: 0, bytes: 0 } };
      slots.push(slot);
      worker.on("message", (message: { id: number; digests?: Uint8Array; failure?: HashFailure }) => {
        const index = slot.inFlight.get(message.id);
        if (index === undefined) return;
        slot.inFlight.delete(message.id);
        if (message.failure) return finish(new HashItemError(message.failure));
        digests[index] = message.digests!;
        slot.stats.items += batches[index]!.length;
        slot.stats.bytes += batches[index]!.reduce((sum, item) => sum + item.length, 0);
        remaining--;
        dispatch();
      });
      worker.on("error", () => lose(slot));
      worker.on("exit", () => lose(slot));
    }
    dispatch();
  });
  await result;
  const threads = slots.map((s) => s.stats).filter((s) => s.items > 0);
  if (mainStats.items > 0) threads.push(mainStats);
  return { digests, threads };
}
