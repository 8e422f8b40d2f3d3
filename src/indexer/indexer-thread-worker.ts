/**
 * The worker side of startIndexerThread (./indexer-thread.ts): starts the indexer with the options it was given,
 * reports its log and progress lines, its start and the end of indexing to the parent thread, and stops when asked.
 * Loaded by the bootstrap in indexer-thread.ts; importing it has no effect.
 */
import { parentPort } from "node:worker_threads";
import { IndexerStartError, startIndexer, type Indexer, type IndexerOptions } from "./indexer.ts";
import { ManifestError, ModuleLoadError } from "./runtime/errors.ts";
import { SchemaError } from "./schema/schema.ts";
import { LayoutError, StoreError } from "./store/errors.ts";

/** The indexer's options as they cross to the worker: data only, `progress` says whether to send progress lines. */
export type ThreadIndexerOptions = Omit<IndexerOptions, "log" | "progress"> & { progress: boolean };

export interface ThreadWorkerData {
  /** URL of this module. */
  module: string;
  /** URL of tsx's ESM API, registered before this module is imported (loader hooks do not reach worker threads). */
  tsx: string;
  options: ThreadIndexerOptions;
}

/** From the worker to its parent. */
export type ThreadMessage =
  | { kind: "log"; line: string }
  | { kind: "progress"; line: string }
  | { kind: "started"; url: string; deployment: string }
  /** `badInput`: the subgraph, the store directory or an option is unusable; nothing was done. */
  | { kind: "start-failed"; message: string; badInput: boolean }
  /** Indexing ended: after stop() or a handler failure (`error` null; GraphQL is still served), or it failed. */
  | { kind: "ended"; error: string | null };

/** From the parent to the worker. */
export type ParentMessage = { kind: "stop" };

/** Start-up errors that mean the input is wrong rather than something failing. */
const BAD_INPUT = [IndexerStartError, ManifestError, ModuleLoadError, SchemaError, LayoutError];

function startFailure(error: unknown): ThreadMessage {
  const hint = error instanceof StoreError && error.hint ? `: ${error.hint}` : "";
  return {
    kind: "start-failed",
    message: `${error instanceof Error ? error.message : String(error)}${hint}`,
    badInput: BAD_INPUT.some((type) => error instanceof type),
  };
}

/** Runs the indexer until the parent asks it to stop. */
export async function run(data: ThreadWorkerData): Promise<void> {
  const port = parentPort!;
  const post = (message: ThreadMessage) => port.postMessage(message);
  let indexer: Indexer;
  try {
    indexer = await startIndexer({
      ...data.options,
      log: (line) => post({ kind: "log", line }),
      progress: data.options.progress && ((line) => post({ kind: "progress", line })),
    });
  } catch (error) {
    post(startFailure(error));
    return;
  }
  port.on("message", (message: ParentMessage) => {
    if (message.kind === "stop") indexer.stop().then(() => process.exit(0), () => process.exit(1));
  });
  post({ kind: "started", url: indexer.url, deployment: indexer.deployment });
  indexer.done.then(
    () => post({ kind: "ended", error: null }),
    (error: unknown) => post({ kind: "ended", error: error instanceof Error ? error.message : String(error) }),
  );
}
