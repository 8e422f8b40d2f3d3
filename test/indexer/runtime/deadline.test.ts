/**
 * The handler deadline: a handler that never returns — a loop, or recursion without any loop — fails at its
 * deadline with a non-deterministic HandlerError instead of holding the thread forever, the runtime keeps working
 * afterwards, and handlers that finish are not disturbed by the checks. Real mappings compiled by `graph build`
 * (fixtures/runaway), run by the real runtime.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { HandlerError } from "../../../src/indexer/runtime/errors.ts";
import { loadRunaway, registerDataset, runawayManifest } from "./runaway.ts";
import { txHash } from "./helpers.ts";

beforeAll(() => void runawayManifest(), 300_000);

const load = (handlerTimeoutSeconds?: number) => loadRunaway({ handlerTimeoutSeconds });

/** Runs the handler for `DatasetRegistered(datasetId)`; the error it failed with, or the entity it wrote. */
function register(runtime: SubgraphRuntime, datasetId: number) {
  const { error, cache, seconds } = registerDataset(runtime, datasetId);
  return { error, seen: error ? null : cache.get("Seen", String(datasetId)), seconds };
}

describe("handler deadline", () => {
  let runtime: SubgraphRuntime;
  beforeAll(async () => {
    runtime = await load(0.5);
  });

  it("stops a handler that loops forever, with a non-deterministic failure naming handler, block, transaction and timeout", () => {
    const { error, seconds } = register(runtime, 2);
    expect(error).toBeInstanceOf(HandlerError);
    expect(error!.deterministic).toBe(false);
    expect(error!.handler).toBe("handleDatasetRegistered");
    expect(error!.blockNumber).toBe(42n);
    expect(error!.transactionHash).toBe(txHash(2));
    expect(error!.reason).toBe("Handler 'handleDatasetRegistered' hit the timeout of '0.5' seconds (GRAPH_MAPPING_HANDLER_TIMEOUT sets it)");
    expect(seconds).toBeGreaterThanOrEqual(0.5);
    expect(seconds).toBeLessThan(10); // generous: proves the loop was interrupted, not how fast
  });

  it("stops recursion that never ends and has no loop", () => {
    const { error } = register(runtime, 3);
    expect(error?.reason).toMatch(/hit the timeout of '0\.5' seconds/);
  });

  it("keeps working after a timeout, and does not disturb handlers that finish", () => {
    expect(register(runtime, 1).seen).toMatchObject({ work: 0n });
    // fib(25): about 250 000 calls, so the gas allowance runs out and is refilled along the way.
    expect(register(runtime, 100).seen).toMatchObject({ work: 75_025n });
  });
});

describe("handler timeout setting", () => {
  it("is on by default", async () => {
    expect((await load()).handlerTimeoutSeconds).toBe(10);
  });

  it("0 means no limit: a handler far slower than a tiny deadline completes", async () => {
    // fib(38): ~1.3e8 calls, hundreds of milliseconds — past a 20 ms deadline, fine without one.
    expect(register(await load(0.02), 113).error?.reason).toMatch(/hit the timeout of '0\.02' seconds/);
    expect(register(await load(0), 113).seen).toMatchObject({ work: 39_088_169n });
  });

  it("refuses a negative or non-numeric timeout", async () => {
    await expect(load(-1)).rejects.toThrow("the handler timeout must be a number of seconds ≥ 0 (0: no limit), not -1");
    await expect(load(Number.NaN)).rejects.toThrow(RangeError);
  });
});
