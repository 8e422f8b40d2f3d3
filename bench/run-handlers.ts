/** The runtime alone over fetched blocks: every event trigger through the handlers, in-memory entity cache, no store. */
import type { BlockEvent } from "../src/indexer/chain/index.ts";
import type { SubgraphRuntime } from "../src/indexer/runtime/index.ts";

/** Runs the event triggers of `blocks` in order; the time taken, the triggers run and the gas they used. */
export function runHandlers(runtime: SubgraphRuntime, blocks: readonly BlockEvent[]): { ms: number; triggers: number; gas: number } {
  const cache = runtime.createEntityCache();
  let triggers = 0;
  let gas = 0;
  const started = performance.now();
  for (const { block, logs, transactions } of blocks) {
    cache.beginBlock();
    for (const log of logs) {
      for (const match of runtime.matchLog(log)) {
        const transaction = transactions.get(log.transactionHash.toLowerCase())!;
        const trigger = { kind: "event", dataSource: match.dataSource.id, handler: match.handler.handler, log, block, transaction, receipt: null } as const;
        gas += runtime.runTrigger(trigger, cache).gasUsed;
        triggers++;
      }
    }
    cache.commitBlock();
  }
  return { ms: performance.now() - started, triggers, gas };
}
