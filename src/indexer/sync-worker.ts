/**
 * Synchronous calls into a worker thread (written for Node's type stripping: the worker loads it unbuilt), for the
 * host functions WASM handlers call synchronously while the work behind them is asynchronous (JSON-RPC for
 * ethereum.call, a store query for store.get). Requests run in a worker thread; the calling thread blocks with
 * Atomics.wait on a SharedArrayBuffer until the worker has posted the answer, then reads it with receiveMessageOnPort.
 * The same worker also takes requests the calling thread does not wait for (request(): a commit of the store).
 *
 * The calling thread's event loop is frozen while it waits, so whatever the worker talks to must not run on that
 * thread.
 *
 * @example
 * // caller
 * const worker = new SyncWorker(new URL("./my-worker.ts", import.meta.url), { url }, 60_000);
 * const answer = worker.call({ op: "get", id: 1 }); // { ok: true, value } | { ok: false, … } | null (timed out)
 * // my-worker.ts
 * export function start(data: SyncWorkerData & { url: string }) {
 *   serveSyncRequests(data, async (request) => lookUp(data.url, request));
 * }
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type ResourceLimits } from "node:worker_threads";

/** What every sync worker receives, besides its own data. */
export interface SyncWorkerData {
  /** Int32Array[1] counter of answers posted. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

/**
 * An answer; `id` 0 reports a worker that failed to start. A failure carries the error's name, message and its own
 * string properties (a database error's SQLSTATE `code`, `constraint`, …).
 */
export type SyncAnswer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; name: string; message: string; fields: Record<string, string> };

/**
 * Loads the worker module by URL so it works whether this file runs under Node's type stripping, tsx or vitest, and
 * reports a module that fails to load as an answer instead of a silent hang.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
import(workerData.module).then(
  (m) => m.start(workerData),
  (error) => {
    workerData.port.postMessage({ id: 0, ok: false, name: "Error", message: "worker failed to load: " + (error && error.message) });
    const counter = new Int32Array(workerData.signal);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  },
);
`;

/** The calling side: starts the worker on first use (or at start()) and answers each call synchronously. */
export class SyncWorker {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private counter: Int32Array | null = null;
  private nextId = 1;
  private closed = false;
  /** Answers awaited by request(), by id. */
  private readonly awaited = new Map<number, (answer: SyncAnswer) => void>();
  private readonly module: URL;
  private readonly data: Record<string, unknown>;
  private readonly resourceLimits: ResourceLimits | undefined;
  readonly timeoutMs: number;

  /**
   * @param module URL of the worker module; it exports `start(data)`, which calls serveSyncRequests.
   * @param data Passed to `start` with the signal and the port (structured-cloneable).
   * @param timeoutMs Longest a call may block, worker start-up included.
   * @param resourceLimits The worker's heap sizes (Node's defaults when omitted).
   */
  constructor(module: URL, data: Record<string, unknown>, timeoutMs: number, resourceLimits?: ResourceLimits) {
    this.module = module;
    this.data = data;
    this.timeoutMs = timeoutMs;
    this.resourceLimits = resourceLimits;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends `request` and blocks until its answer; null when none came within the timeout. */
  call(request: object): SyncAnswer | null {
    if (!this.worker) this.launch();
    const port = this.port!;
    const counter = this.counter!;
    const id = this.nextId++;
    let seen = Atomics.load(counter, 0);
    port.postMessage({ ...request, id });
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
        const answer = message.message as SyncAnswer;
        if (answer.id === id) return answer;
        this.deliver(answer); // to request(); otherwise a late answer to a call that timed out
        if (answer.id === 0) return answer;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) return null;
      const now = Atomics.load(counter, 0);
      if (now !== seen) {
        seen = now;
        continue;
      }
      Atomics.wait(counter, 0, seen, remaining);
    }
  }

  /**
   * Sends `request` without blocking this thread; resolves with its answer (no timeout: for work that may take long,
   * such as a commit). Requests and calls are served in the order they are sent.
   */
  request(request: object): Promise<SyncAnswer> {
    if (!this.worker) this.launch();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.awaited.set(id, resolve);
      this.port!.ref(); // an awaited answer keeps the process alive
      this.port!.postMessage({ ...request, id });
    });
  }

  /** Hands an answer to the request() awaiting it (all of them for a worker that failed to start). */
  private deliver(answer: SyncAnswer): void {
    const ids = answer.id === 0 ? [...this.awaited.keys()] : [answer.id];
    for (const id of ids) {
      this.awaited.get(id)?.(answer);
      this.awaited.delete(id);
    }
    if (this.awaited.size === 0) this.port?.unref();
  }

  /**
   * Starts the worker thread now rather than at the first call or request, which then finds it running: its module
   * loads in the background meanwhile. Does nothing once started or closed.
   */
  start(): void {
    if (!this.worker && !this.closed) this.launch();
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.awaited.values()) resolve({ id: -1, ok: false, name: "Error", message: "the worker was closed", fields: {} });
    this.awaited.clear();
    const worker = this.worker;
    this.worker = null;
    this.port?.close();
    this.port = null;
    if (worker) await worker.terminate();
  }

  private launch(): void {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const workerData = { ...this.data, module: this.module.href, signal, port: port2 };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2], resourceLimits: this.resourceLimits });
    worker.unref();
    // Errors reach the waiting thread as answers; this only keeps an unexpected crash from being unhandled.
    worker.on("error", () => {});
    port1.on("message", (answer: SyncAnswer) => this.deliver(answer));
    port1.unref();
    this.worker = worker;
    this.port = port1;
    this.counter = new Int32Array(signal);
  }
}

/** The worker side: answers each request with `answer` (a rejection becomes a failed answer), then wakes the caller. */
export function serveSyncRequests<R extends { id: number }>(data: SyncWorkerData, answer: (request: R) => Promise<unknown>): void {
  const counter = new Int32Array(data.signal);
  data.port.on("message", (request: R) => {
    void answer(request).then(
      (value): SyncAnswer => ({ id: request.id, ok: true, value }),
      (error: unknown): SyncAnswer => {
        const failure = error instanceof Error ? error : new Error(String(error));
        const fields = Object.fromEntries(Object.entries(failure).filter(([key, value]) => typeof value === "string" && key !== "message" && key !== "stack"));
        return { id: request.id, ok: false, name: failure.name, message: failure.message, fields };
      },
    ).then((response) => {
      data.port.postMessage(response);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
    });
  });
}
