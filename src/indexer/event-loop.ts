/**
 * Turns of the event loop for work that would otherwise never give one. Work chained only through promises runs as
 * microtasks and does not return to the event loop, so I/O that completed meanwhile waits until it does: the HTTP
 * answers of a range the block stream fetches ahead, a commit's answer from PostgreSQL or from the PGlite thread, the
 * other requests of the GraphQL server.
 */
import { performance } from "node:perf_hooks";

/** Gives the event loop a turn whenever `everyMs` milliseconds have passed since the last one. */
export class EventLoopTurns {
  readonly #everyMs: number;
  #lastTurn = performance.now();

  constructor(everyMs: number) {
    this.#everyMs = everyMs;
  }

  /** Resolves after a turn of the event loop if one is due, otherwise at once (as a microtask). */
  async take(): Promise<void> {
    if (performance.now() - this.#lastTurn <= this.#everyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#lastTurn = performance.now();
  }
}
