/**
 * A small pool of file-hashing workers (sha256-worker.ts), one per core by default. The pool can be started before
 * the work is known (fingerprint starts it while it is still listing a large directory, hiding the workers' start-up).
 * Batches go to idle workers first; a worker still starting gets one batch at most; a ready worker gets a second one
 * queued behind its first only when that first is small (so two large shards never queue on one worker while
 * another idles, and small batches do not wait on message round trips).
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
  /** Node thread id (the calling thread's own id when it hashed inline). */
  threadId: number;
  /** Ranges hashed (files or shards). */
  items: number;
  /** Bytes hashed. */
  bytes: number;
}

/** The digests of each batch (32 bytes per range, in order) and who hashed what. */
export interface HashResult {
  digests: Uint8Array[];
  threads: ThreadStats[];
}

interface Slot {
  worker: Worker;
  ready: boolean;
  alive: boolean;
  /** batch id → batch index */
  inFlight: Map<number, number>;
  inFlightBytes: number;
  stats: ThreadStats;
}

interface Job {
  batches: HashItem[][];
  bytes: number[];
  queue: number[];
  digests: Uint8Array[];
  remaining: number;
  settle: (error?: unknown) => void;
}

/** A worker gets a second batch queued behind the first only while what it has in flight is below this. */
const QUEUE_BEHIND_BYTES = 32 * 2 ** 20;

const workerUrl = (): URL => {
  const ext = extname(fileURLToPath(import.meta.url)) || ".js";
  return new URL(`./sha256-worker${ext}`, import.meta.url);
};

/**
 * Worker threads hashing byte ranges of files. `progress` has one BigInt64 slot per worker plus a last one for the
 * calling thread; each counts bytes read.
 *
 * @example
 * const progress = new BigInt64Array(new SharedArrayBuffer(8 * 3));
 * const pool = HashPool.start(2, progress);
 * try {
 *   const { digests } = await pool.run([[{ path, offset: 0, length: size, checkEof: true }]]);
 * } finally {
 *   pool.close();
 * }
 */
export class HashPool {
  private readonly slots: Slot[] = [];
  private readonly progress: BigInt64Array;
  private job: Job | undefined;
  private nextId = 0;
  private readonly mainStats: ThreadStats = { threadId, items: 0, bytes: 0 };

  private constructor(workers: number, progress: BigInt64Array) {
    this.progress = progress;
    for (let i = 0; i < workers; i++) {
      let worker: Worker;
      try {
        worker = new Worker(workerUrl(), { workerData: { progress: progress.buffer, slot: i } });
      } catch {
        break;
      }
      const slot: Slot = {
        worker,
        ready: false,
        alive: true,
        inFlight: new Map(),
        inFlightBytes: 0,
        stats: { threadId: worker.threadId, items: 0, bytes: 0 },
      };
      this.slots.push(slot);
      worker.on("message", (message: { ready?: true; id?: number; digests?: Uint8Array; failure?: HashFailure }) => {
        if (message.ready) {
          slot.ready = true;
          this.dispatch();
        } else {
          this.receive(slot, message.id!, message.digests, message.failure);
        }
      });
      worker.on("error", () => this.lose(slot));
      worker.on("exit", () => this.lose(slot));
    }
  }

  /** Starts `workers` threads (they load in the background; {@link run} uses each once it is ready). */
  static start(workers: number, progress: BigInt64Array): HashPool {
    return new HashPool(workers, progress);
  }

  /**
   * Hashes `batches` of ranges; rejects with the first HashItemError (or the signal's reason).
   *
   * @example
   * const { digests, threads } = await pool.run(batches, AbortSignal.timeout(60_000));
   */
  run(batches: HashItem[][], signal?: AbortSignal): Promise<HashResult> {
    if (this.job) throw new Error("HashPool.run is already running; await it before starting another");
    return new Promise<HashResult>((resolve, reject) => {
      const onAbort = (): void => job.settle(signal?.reason ?? new Error("aborted"));
      const job: Job = {
        batches,
        bytes: batches.map((b) => b.reduce((sum, item) => sum + item.length, 0)),
        queue: batches.map((_, i) => i).reverse(), // pop() takes the next one
        digests: new Array(batches.length),
        remaining: batches.length,
        settle: (error) => {
          if (this.job !== job) return;
          this.job = undefined;
          signal?.removeEventListener("abort", onAbort);
          if (error !== undefined) {
            this.close();
            reject(error);
          } else {
            const threads = this.slots.map((s) => s.stats).filter((s) => s.items > 0);
            if (this.mainStats.items > 0) threads.push(this.mainStats);
            resolve({ digests: job.digests, threads });
          }
        },
      };
      this.job = job;
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort);
      this.dispatch();
    });
  }

  /** Terminates the workers. */
  close(): void {
    for (const slot of this.slots) {
      slot.alive = false;
      void slot.worker.terminate();
    }
  }

  private dispatch(): void {
    const job = this.job;
    if (!job) return;
    if (job.remaining === 0) return job.settle();
    if (!this.slots.some((s) => s.alive)) return this.runInline(job);
    // Who takes the next batch: an idle ready worker, else a still-starting worker with nothing yet (it will hash it
    // once loaded; if it never loads, the batch is re-queued), else a ready worker whose one batch is small.
    const rank = (s: Slot): number => {
      if (!s.alive) return 0;
      if (s.inFlight.size === 0) return s.ready ? 3 : 2;
      return s.ready && s.inFlight.size === 1 && s.inFlightBytes < QUEUE_BEHIND_BYTES ? 1 : 0;
    };
    for (;;) {
      if (job.queue.length === 0) return;
      let best: Slot | undefined;
      let bestRank = 0;
      for (const s of this.slots) {
        const r = rank(s);
        if (r > bestRank) [best, bestRank] = [s, r];
      }
      if (!best) return;
      const index = job.queue.pop()!;
      const id = this.nextId++;
      best.inFlight.set(id, index);
      best.inFlightBytes += job.bytes[index]!;
      best.worker.postMessage({ id, items: job.batches[index] });
    }
  }

  private receive(slot: Slot, id: number, digests: Uint8Array | undefined, failure: HashFailure | undefined): void {
    const job = this.job;
    const index = slot.inFlight.get(id);
    if (!job || index === undefined) return;
    slot.inFlight.delete(id);
    slot.inFlightBytes -= job.bytes[index]!;
    if (failure) return job.settle(new HashItemError(failure));
    job.digests[index] = digests!;
    slot.stats.items += job.batches[index]!.length;
    slot.stats.bytes += job.bytes[index]!;
    job.remaining--;
    this.dispatch();
  }

  private lose(slot: Slot): void {
    if (!slot.alive) return;
    slot.alive = false;
    const job = this.job;
    if (job) for (const index of slot.inFlight.values()) job.queue.push(index);
    slot.inFlight.clear();
    slot.inFlightBytes = 0;
    this.dispatch();
  }

  /** The fallback: the rest of the job on the calling thread. */
  private runInline(job: Job): void {
    try {
      const result = hashInline(job.queue.reverse().map((i) => job.batches[i]!), this.progress, this.progress.length - 1);
      job.queue.forEach((batchIndex, i) => {
        job.digests[batchIndex] = result.digests[i]!;
      });
      this.mainStats.items += result.threads[0]?.items ?? 0;
      this.mainStats.bytes += result.threads[0]?.bytes ?? 0;
      job.queue.length = 0;
      job.remaining = 0;
      job.settle();
    } catch (error) {
      job.settle(error);
    }
  }
}

/**
 * Hashes `batches` on the calling thread (for inputs too small to be worth starting workers), counting bytes into
 * `progress[slot]`.
 *
 * @example
 * const { digests } = hashInline([[{ path, offset: 0, length: size, checkEof: true }]], progress, 0);
 * @throws HashItemError for the first range that cannot be hashed.
 */
export function hashInline(batches: HashItem[][], progress: BigInt64Array, slot: number): HashResult {
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const stats: ThreadStats = { threadId, items: 0, bytes: 0 };
  const count = (n: number): void => void Atomics.add(progress, slot, BigInt(n));
  const digests = batches.map((batch) => {
    const out = new Uint8Array(32 * batch.length);
    batch.forEach((item, i) => {
      out.set(hashItemSync(item, buffer, count), 32 * i);
      stats.items++;
      stats.bytes += item.length;
    });
    return out;
  });
  return { digests, threads: stats.items > 0 ? [stats] : [] };
}
