/** A sliding-window rate meter for progress lines ("120 blocks/s"). */
export class RateMeter {
  private readonly samples: { at: number; amount: number }[] = [];
  private total = 0;
  private readonly windowMs: number;

  /** @param windowMs how far back rates look. */
  constructor(windowMs = 10_000) {
    this.windowMs = windowMs;
  }

  /** Records `amount` units done now. */
  add(amount: number, now = performance.now()): void {
    this.samples.push({ at: now, amount });
    this.total += amount;
    this.trim(now);
  }

  /** Units per second over the window (or since the first sample when younger, counting at least one second). */
  perSecond(now = performance.now()): number {
    this.trim(now);
    if (this.samples.length === 0) return 0;
    const span = Math.max(now - this.samples[0].at, 1_000);
    const amount = this.samples.reduce((sum, sample) => sum + sample.amount, 0);
    return (amount * 1000) / span;
  }

  /** Units recorded since creation. */
  get count(): number {
    return this.total;
  }

  private trim(now: number): void {
    while (this.samples.length > 0 && now - this.samples[0].at > this.windowMs) this.samples.shift();
  }
}
