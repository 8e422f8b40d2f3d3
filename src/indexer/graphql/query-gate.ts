/**
 * Admission of queries: at most `concurrent` run at once, at most `queued` more wait their turn (first come, first
 * served), and beyond that a query is turned away at once. This bounds what a burst of requests can hold in memory
 * to `concurrent` times what one query may (its limits) plus the waiting requests' bodies.
 *
 * @example
 * const gate = new QueryGate({ concurrent: 4, queued: 64 });
 * const outcome = await gate.run(() => executor.execute(request)); // throws GateFullError when 68 are in
 */

/** Too many queries are running and waiting; graph-node's "service is overloaded" message. */
export class GateFullError extends Error {
  override name = "GateFullError";

  constructor() {
    super("service is overloaded and can not run the query right now. Please try again in a few minutes");
  }
}

export class QueryGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: { concurrent: number; queued: number }) {}

  /** Queries running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `task` once a slot is free.
   *
   * @throws GateFullError (without running `task`) when every slot and queue place is taken.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrent) {
      if (this.waiting.length >= this.limits.queued) throw new GateFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
