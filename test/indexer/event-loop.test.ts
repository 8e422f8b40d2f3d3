import { describe, expect, it } from "vitest";
import { performance } from "node:perf_hooks";
import { EventLoopTurns } from "../../src/indexer/event-loop.ts";

/** Keeps this thread busy for `ms` milliseconds without returning to the event loop. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("EventLoopTurns", () => {
  it("lets I/O callbacks waiting for the event loop run once the interval has passed", async () => {
    const turns = new EventLoopTurns(5);
    let ran = false;
    setImmediate(() => (ran = true));
    busy(10);
    await turns.take();
    expect(ran).toBe(true);
  });

  it("resolves without a turn within the interval, so that short work is not slowed by one turn each", async () => {
    const turns = new EventLoopTurns(1_000);
    let ran = false;
    setImmediate(() => (ran = true));
    for (let i = 0; i < 100; i++) await turns.take();
    expect(ran).toBe(false);
  });

  it("counts the interval from the last turn it gave", async () => {
    const turns = new EventLoopTurns(200);
    busy(210);
    await turns.take(); // a turn: the interval starts again
    let ran = false;
    setImmediate(() => (ran = true));
    await turns.take();
    expect(ran).toBe(false);
  });
});
