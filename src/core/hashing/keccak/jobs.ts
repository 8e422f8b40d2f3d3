/**
 * The work the keccak threads share, and the control block they coordinate through. Used by both the main thread
 * (pool.ts) and the helper threads (worker.ts); no dependencies, erasable TypeScript only.
 *
 * A job is split into chunks; every thread claims the next chunk with an atomic increment until none are left, so a
 * helper that starts late (or never) only means the main thread does more of the work itself. Chunks may be
 * published gradually (AVAIL): the main thread parses input while helpers already hash what is ready.
 */
import type { KeccakExports } from "./wasm.ts";

/** Int32 slots of the control block. */
export const CTRL = {
  /** Bumped (and notified) when a new job is posted. */
  GEN: 0,
  /** Job type (JOB_*). */
  TYPE: 1,
  /** Next chunk to claim. */
  NEXT: 2,
  /** Chunks finished. */
  DONE: 3,
  /** Chunks in the job. */
  TOTAL: 4,
  /** Chunks that may be claimed (published so far). */
  AVAIL: 5,
  /** Set to 1 by a thread whose chunk failed. */
  ERROR: 6,
  /** Job parameters. */
  P0: 8,
  P1: 9,
  P2: 10,
  P3: 11,
  SIZE: 16,
} as const;

export const JOB_EXIT = 0;
/** Hash records in place, `P3` times: chunk c covers values [c·P2, (c+1)·P2) ∩ [0, P1) at P0. */
export const JOB_HASH32 = 1;
/** Internal nodes of the subtrees rooted at depth P2 of the tree at P0 with P1 leaves; chunk c = subtree c. */
export const JOB_SUBTREES = 2;

/** Runs chunk `c` of the job described in `ctrl`. */
export function runChunk(k: KeccakExports, ctrl: Int32Array, c: number): void {
  const type = ctrl[CTRL.TYPE];
  const p0 = ctrl[CTRL.P0]!;
  const p1 = ctrl[CTRL.P1]!;
  const p2 = ctrl[CTRL.P2]!;
  if (type === JOB_HASH32) {
    const from = c * p2;
    const count = Math.min(p1, from + p2) - from;
    for (let r = 0; r < ctrl[CTRL.P3]!; r++) k.hash32(p0 + 32 * from, p0 + 32 * from, count);
  } else if (type === JOB_SUBTREES) {
    buildSubtree(k, p0, p1, 2 ** p2 - 1 + c);
  }
}

/**
 * Internal nodes of the subtree rooted at node `root` of an n-leaf OpenZeppelin tree at `base`, bottom level first.
 * The descendants of `root` at h levels below it are the nodes (root + 1)·2^h − 1 … (root + 2)·2^h − 2.
 */
export function buildSubtree(k: KeccakExports, base: number, n: number, root: number): void {
  const lastInternal = n - 2;
  let h = 0;
  while ((root + 1) * 2 ** (h + 1) - 1 <= lastInternal) h++;
  for (; h >= 0; h--) {
    const lo = (root + 1) * 2 ** h - 1;
    const hi = Math.min(lo + 2 ** h - 1, lastInternal);
    if (lo <= hi) k.tree(base, hi, lo);
  }
}

/**
 * Posts a job: parameters first, then the chunk counter, then the generation bump that wakes the helpers. NEXT is
 * parked at a huge value while the job is rewritten, so a helper still returning from the previous job cannot claim
 * a chunk of a half-written one.
 */
export function postJob(ctrl: Int32Array, type: number, total: number, available: number, params: number[]): void {
  Atomics.store(ctrl, CTRL.NEXT, 0x3fffffff);
  Atomics.store(ctrl, CTRL.TYPE, type);
  params.forEach((p, i) => Atomics.store(ctrl, CTRL.P0 + i, p));
  Atomics.store(ctrl, CTRL.TOTAL, total);
  Atomics.store(ctrl, CTRL.AVAIL, available);
  Atomics.store(ctrl, CTRL.DONE, 0);
  Atomics.store(ctrl, CTRL.ERROR, 0);
  Atomics.store(ctrl, CTRL.NEXT, 0);
  Atomics.add(ctrl, CTRL.GEN, 1);
  Atomics.notify(ctrl, CTRL.GEN);
}

/**
 * Claims and runs chunks until the job has none left; returns how many this thread ran. Waits (up to `waitMs` at a
 * time) for chunks not yet published.
 */
export function work(k: KeccakExports, ctrl: Int32Array, waitMs = 50): number {
  let ran = 0;
  for (;;) {
    const c = Atomics.add(ctrl, CTRL.NEXT, 1);
    if (c >= ctrl[CTRL.TOTAL]!) return ran;
    for (let avail = Atomics.load(ctrl, CTRL.AVAIL); avail <= c; avail = Atomics.load(ctrl, CTRL.AVAIL)) {
      Atomics.wait(ctrl, CTRL.AVAIL, avail, waitMs);
    }
    try {
      runChunk(k, ctrl, c);
    } catch (error) {
      Atomics.store(ctrl, CTRL.ERROR, 1);
      throw error;
    } finally {
      Atomics.add(ctrl, CTRL.DONE, 1);
      Atomics.notify(ctrl, CTRL.DONE);
    }
    ran++;
  }
}
