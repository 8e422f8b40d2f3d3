/**
 * Several threads hashing in one shared keccak memory: the main thread plus helper workers (worker.ts), all
 * claiming chunks of the current job (jobs.ts). Synchronous from the caller's side — the main thread works
 * too and then blocks (Atomics.wait) until the helpers' chunks are done — so `DecisionTree.build` stays synchronous.
 *
 * A helper that fails to start costs nothing but speed: chunks nobody claims are done by the main thread.
 */
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { PedigreeError } from "../../errors.ts";
import { CTRL, JOB_EXIT, postJob, work } from "./jobs.ts";
import { KeccakWasm, MAX_THREADS, keccakModule } from "./wasm.ts";

/** Thrown when a helper thread failed while hashing. */
export class KeccakThreadError extends PedigreeError {
  override name = "KeccakThreadError";
  constructor(reason: string) {
    super(`a keccak helper thread ${reason}; retry with { threads: 1 } to hash on the main thread only`, { code: "HASH_THREAD_FAILED" });
  }
}

/** How long the main thread waits for helpers' chunks before giving up. */
const HELPER_TIMEOUT_MS = 120_000;

const workerUrl = (): URL => {
  const ext = extname(fileURLToPath(import.meta.url)) || ".js";
  return new URL(`./worker${ext}`, import.meta.url);
};

/** Threads to use by default: the cores available, at most {@link MAX_THREADS}. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
}

/**
 * A shared keccak memory of `bytes` caller bytes and `threads − 1` helpers. Close it when done (helpers exit).
 *
 * @example
 * const pool = KeccakPool.open(96 * n, 2);
 * try { pool.run(JOB_HASH32, chunks, [ptr, n, chunkSize, 2]); } finally { pool.close(); }
 */
export class KeccakPool {
  readonly k: KeccakWasm;
  readonly threads: number;
  private readonly ctrl: Int32Array;
  private readonly workers: Worker[] = [];
  /** Chunks run by the main thread in the last job (the rest ran on helpers). */
  mainChunks = 0;

  private constructor(bytes: number, threads: number) {
    this.k = new KeccakWasm({ sharedBytes: bytes });
    this.threads = Math.max(1, Math.min(MAX_THREADS, threads));
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL.SIZE));
    const module = keccakModule(true);
    for (let thread = 1; thread < this.threads; thread++) {
      try {
        const worker = new Worker(workerUrl(), {
          workerData: { module, memory: this.k.memory, control: this.ctrl.buffer, thread },
        });
        worker.on("error", () => {
          // Unclaimed chunks fall to the main thread; a failure inside a chunk is reported through CTRL.ERROR.
        });
        worker.unref();
        this.workers.push(worker);
      } catch {
        break;
      }
    }
  }

  static open(bytes: number, threads: number): KeccakPool {
    return new KeccakPool(bytes, threads);
  }

  /**
   * Runs a job of `total` chunks on all threads and returns when every chunk is done. With `produce`, chunks are
   * published by it (it calls `publish(count)` as chunks become ready) while helpers already work on them.
   */
  run(type: number, total: number, params: number[], produce?: (publish: (count: number) => void) => void): void {
    const ctrl = this.ctrl;
    postJob(ctrl, type, total, produce ? 0 : total, params);
    if (produce) {
      produce((count) => {
        Atomics.store(ctrl, CTRL.AVAIL, count);
        Atomics.notify(ctrl, CTRL.AVAIL);
      });
      Atomics.store(ctrl, CTRL.AVAIL, total);
      Atomics.notify(ctrl, CTRL.AVAIL);
    }
    this.mainChunks = work(this.k.fns, ctrl);
    const deadline = Date.now() + HELPER_TIMEOUT_MS;
    for (let done = Atomics.load(ctrl, CTRL.DONE); done < total; done = Atomics.load(ctrl, CTRL.DONE)) {
      if (Atomics.load(ctrl, CTRL.ERROR)) break;
      if (Date.now() > deadline) throw new KeccakThreadError(`did not finish within ${HELPER_TIMEOUT_MS / 1000} s`);
      Atomics.wait(ctrl, CTRL.DONE, done, 50);
    }
    if (Atomics.load(ctrl, CTRL.ERROR)) throw new KeccakThreadError("failed");
  }

  /** Chunks of the current job finished so far, by any thread. */
  completedChunks(): number {
    return Atomics.load(this.ctrl, CTRL.DONE);
  }

  /** Lets the helpers exit. */
  close(): void {
    postJob(this.ctrl, JOB_EXIT, 0, 0, []);
  }
}
