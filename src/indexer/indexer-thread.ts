/**
 * startIndexerThread: the indexer (startIndexer) in a worker thread, so that the calling thread stays free whatever a
 * handler does — it keeps receiving signals and can always stop the indexer. The chain follower, the WASM handlers,
 * the store and the GraphQL server all live in the worker (PGlite serves one thread). stop() asks the worker to stop
 * cleanly (the blocks processed so far are committed, the store is closed) and terminates it if it has not stopped
 * within the grace period: V8 interrupts even a handler in the middle of a loop, and the store is crash-safe, so a
 * restart resumes at the last committed block.
 *
 * @example
 * const thread = await startIndexerThread({ subgraph: "build", rpcUrl: "http://127.0.0.1:8545", dataDir: ".pedigree-db" });
 * console.log(thread.url);
 * process.once("SIGTERM", () => void thread.stop());
 */
import { Worker } from "node:worker_threads";
import type { IndexerOptions } from "./indexer.ts";
import type { ParentMessage, ThreadMessage, ThreadWorkerData } from "./indexer-thread-worker.ts";
import { progressToStderr } from "./progress.ts";

/** How long stop() waits for a clean stop before it terminates the thread. */
export const STOP_GRACE_MS = 5_000;

/** The indexer thread could not start; the message says why. */
export class IndexerThreadStartError extends Error {
  override name = "IndexerThreadStartError";

  constructor(
    message: string,
    /** The subgraph, the store or an option is unusable, and nothing was done. */
    readonly badInput: boolean,
  ) {
    super(message);
  }
}

export interface IndexerThread {
  /** GraphQL endpoint, as Indexer.url. */
  url: string;
  deployment: string;
  /**
   * Settles when indexing ends: resolves after stop() or a handler failure (the GraphQL API is still served), rejects
   * when indexing failed otherwise or the thread died.
   */
  ended: Promise<void>;
  /**
   * Stops the indexer and its thread: "stopped" when it stopped within `graceMs`, "terminated" when it had to be
   * interrupted (e.g. in the middle of a handler). Calling it again with 0 terminates at once.
   */
  stop(graceMs?: number): Promise<"stopped" | "terminated">;
}

/** Imports tsx's loader, then the worker module (both by URL), and runs it; a failure to load is a failed start. */
const BOOTSTRAP = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.tsx)
  .then((tsx) => { tsx.register(); return import(workerData.module); })
  .then(
    (worker) => worker.run(workerData),
    (error) => parentPort.postMessage({ kind: "start-failed", badInput: false, message: "the indexer thread failed to load: " + (error && error.message) }),
  );
`;

/**
 * Starts the indexer in a worker thread; resolves once its GraphQL API is served. `log` and `progress` run in the
 * calling thread.
 *
 * @throws IndexerThreadStartError when the indexer could not start (`badInput` when nothing was done because the
 * subgraph, the store or an option is unusable).
 */
export function startIndexerThread(options: IndexerOptions): Promise<IndexerThread> {
  const { log = (line: string) => process.stderr.write(`${line}\n`), progress, ...rest } = options;
  const showProgress = progress === true ? progressToStderr : progress || null;
  const workerData: ThreadWorkerData = {
    module: new URL("./indexer-thread-worker.ts", import.meta.url).href,
    tsx: import.meta.resolve("tsx/esm/api"),
    options: { ...rest, progress: showProgress !== null },
  };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
  let stopping = false;
  let endIndexing!: (error: Error | null) => void;
  const ended = new Promise<void>((resolve, reject) => {
    endIndexing = (error) => (error ? reject(error) : resolve());
  });
  ended.catch(() => {}); // observed by the caller; never an unhandled rejection here

  async function stop(graceMs = STOP_GRACE_MS): Promise<"stopped" | "terminated"> {
    stopping = true;
    worker.postMessage({ kind: "stop" } satisfies ParentMessage);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
    const outcome = await Promise.race([exited.then(() => "stopped" as const), late]);
    clearTimeout(timer);
    if (outcome === "stopped") return "stopped";
    await worker.terminate();
    return "terminated";
  }

  return new Promise((resolve, reject) => {
    worker.on("message", (message: ThreadMessage) => {
      switch (message.kind) {
        case "log":
          return log(message.line);
        case "progress":
          return showProgress?.(message.line);
        case "started":
          return resolve({ url: message.url, deployment: message.deployment, ended, stop });
        case "start-failed":
          void worker.terminate();
          return reject(new IndexerThreadStartError(message.message, message.badInput));
        case "ended":
          return endIndexing(message.error === null ? null : new Error(message.error));
      }
    });
    worker.on("error", (error) => {
      reject(new IndexerThreadStartError(`the indexer thread failed: ${error.message}`, false));
      endIndexing(error);
    });
    void exited.then((code) => {
      reject(new IndexerThreadStartError(`the indexer thread exited (code ${code}) before it started`, false));
      endIndexing(stopping ? null : new Error(`the indexer thread exited unexpectedly (code ${code})`));
    });
  });
}
