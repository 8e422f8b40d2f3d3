/**
 * SyncWorker: blocking calls and non-blocking requests to one worker thread, answered by id whatever the order in
 * which they complete; failures carry the error's string fields across the thread.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SyncWorker } from "../../src/indexer/sync-worker.ts";

const ECHO = new URL("./sync-worker-echo.ts", import.meta.url);

describe("SyncWorker", () => {
  let worker: SyncWorker;
  afterEach(async () => {
    await worker?.close();
  });

  it("answers a blocking call and a request", async () => {
    worker = new SyncWorker(ECHO, {}, 10_000);
    expect(worker.call({ echo: { a: [1, "x"] } })).toMatchObject({ ok: true, value: { a: [1, "x"] } });
    expect(await worker.request({ echo: 42n })).toMatchObject({ ok: true, value: 42n });
  });

  it("hands each request its own answer while a blocking call waits for another", async () => {
    worker = new SyncWorker(ECHO, {}, 10_000);
    const slow = worker.request({ echo: "slow", waitMs: 200 });
    const fast = worker.request({ echo: "fast", waitMs: 1 });
    // Blocks this thread past both requests' answers: they arrive during the call and must not be dropped.
    expect(worker.call({ echo: "call", waitMs: 300 })).toMatchObject({ ok: true, value: "call" });
    expect(await fast).toMatchObject({ ok: true, value: "fast" });
    expect(await slow).toMatchObject({ ok: true, value: "slow" });
  });

  it("starts the worker at start(), before any call, and the first call finds it running", async () => {
    const channel = new BroadcastChannel("sync-worker-echo");
    const started = new Promise<unknown>((resolve) => (channel.onmessage = (event) => resolve((event as MessageEvent).data)));
    worker = new SyncWorker(ECHO, {}, 10_000);
    worker.start();
    const startedAt = await started;
    channel.close();
    expect(worker.call({ startedAt: true })).toMatchObject({ ok: true, value: startedAt });
  });

  it("carries a failure's name, message and string fields", async () => {
    worker = new SyncWorker(ECHO, {}, 10_000);
    const answer = await worker.request({ fail: "duplicate key" });
    expect(answer).toEqual({ id: expect.any(Number), ok: false, name: "Error", message: "duplicate key", fields: { code: "23505", constraint: "t_pkey" } });
  });

  it("fails the requests waiting on a worker that cannot load, and on one that is closed", async () => {
    worker = new SyncWorker(new URL("./no-such-worker.ts", import.meta.url), {}, 10_000);
    expect(await worker.request({ echo: 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/failed to load/) });
    const closing = new SyncWorker(ECHO, {}, 10_000);
    const pending = closing.request({ echo: 1, waitMs: 5_000 });
    await closing.close();
    expect(await pending).toMatchObject({ ok: false, message: "the worker was closed" });
  });
});
