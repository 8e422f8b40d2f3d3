/**
 * The `runaway` fixture subgraph (fixtures/runaway): handlers that never return, for the handler deadline and the
 * gas limit. Dataset 2 spins in a loop, datasets 3 to 99 recurse without end, datasets from 100 on compute
 * fib(id − 75) and return, dataset 1 returns at once.
 */
import { readFileSync } from "node:fs";
import { Interface } from "ethers";
import { SubgraphRuntime, type RuntimeOptions } from "../../../src/indexer/runtime/runtime.ts";
import type { HandlerError } from "../../../src/indexer/runtime/errors.ts";
import type { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { block, encodeLog, eventTrigger, transaction, txHash } from "./helpers.ts";
import { ensureFixtureBuilt } from "./fixture-build.ts";

const REGISTRY = "0x00000000000000000000000000000000000000d5";
const OWNER = "0x00000000000000000000000000000000000000a1";

/** The built fixture's manifest (built on first use: call it from a `beforeAll` with a long timeout). */
export function runawayManifest(): string {
  return ensureFixtureBuilt("runaway");
}

/** The fixture's runtime, its registry at a fixed address. */
export function loadRunaway(options: Omit<RuntimeOptions, "addresses"> = {}): Promise<SubgraphRuntime> {
  return SubgraphRuntime.load(runawayManifest(), { ...options, addresses: { DatasetRegistry: REGISTRY } });
}

export interface RunawayRun {
  /** Gas the handler used; null when it failed. */
  gas: number | null;
  error: HandlerError | null;
  /** The block's entities (discarded after a failure). */
  cache: EntityCache;
  seconds: number;
}

let registryAbi: Interface | null = null;

/** The fixture's DatasetRegistry ABI, read once. */
function registry(): Interface {
  return (registryAbi ??= new Interface(JSON.parse(readFileSync(runawayManifest().replace("subgraph.yaml", "DatasetRegistry/DatasetRegistry.json"), "utf8"))));
}

/** Runs the handler of `DatasetRegistered(datasetId)` in a block of its own. */
export function registerDataset(runtime: SubgraphRuntime, datasetId: number): RunawayRun {
  const cache = runtime.createEntityCache();
  cache.beginBlock();
  const blk = block(BigInt(40 + datasetId));
  const hash = txHash(datasetId);
  const log = encodeLog(registry(), "DatasetRegistered", [datasetId, OWNER], { address: REGISTRY, block: blk, txHash: hash, logIndex: 0n });
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const { gasUsed } = runtime.runTrigger(eventTrigger("DatasetRegistry", "handleDatasetRegistered", log, blk, transaction(hash)), cache);
    return { gas: gasUsed, error: null, cache, seconds: seconds() };
  } catch (error) {
    cache.discardBlock();
    return { gas: null, error: error as HandlerError, cache, seconds: seconds() };
  }
}
