/**
 * The indexer's loop (src/indexer/indexer.ts) as the rest of the process sees it while it catches up.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally, type LocalDeployment } from "../../src/dev/deploy.ts";
import { playWorkload } from "../../src/dev/workload.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { startIndexer, type IndexerOptions } from "../../src/indexer/indexer.ts";

let chain: LocalChain;
let deployment: LocalDeployment;
let dir: string;

beforeAll(async () => {
  chain = await startLocalChain();
  const [admin, evaluator, mlTeam, ...creators] = chain.signers;
  deployment = await deployLocally(chain, { admin: admin.address, evaluators: [evaluator.address] });
  // About 400 blocks of a few events each; 1 200 attestations, more than ANALYZE_MIN_CHANGES rows in their tables.
  await playWorkload(chain, deployment, { creators: creators.slice(0, 4), mlTeam, evaluator }, { rounds: 100, attestationsPerRound: 12 });
  dir = await mkdtemp(join(tmpdir(), "pedigree-indexer-"));
}, 180_000);

afterAll(async () => {
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Resolves on the next run of this thread's timers, which only a turn of the event loop gives. */
const nextTimer = () => new Promise((resolve) => setTimeout(resolve, 0));

/** An indexer of the workload's chain into a new PGlite directory `name`. */
const indexInto = (name: string, options: Partial<IndexerOptions> = {}) =>
  startIndexer({
    subgraph: "build",
    rpcUrl: chain.url,
    dataDir: join(dir, name),
    ...indexerOverrides(deployment.locations),
    port: 0,
    log: () => {},
    ...options,
  });

describe("the indexer catching up", () => {
  it("gives the event loop turns while it processes a range, so that I/O and timers run meanwhile", async () => {
    const last = await chain.connection.ethers.provider.getBlockNumber();
    // The whole chain in one eth_getLogs range: without turns, nothing else would run until processing waits for
    // the store (a fourth batch of 100 blocks waiting to be committed) or for the node, here after the last block.
    const indexer = await indexInto("db", { maxRange: 100_000, targetTriggersPerRange: Number.POSITIVE_INFINITY });
    try {
      let firstSeen = 0;
      while (firstSeen === 0 && indexer.stats().head !== last) {
        await nextTimer();
        firstSeen = indexer.stats().blocksProcessed;
      }
      await indexer.waitForBlock(last, 120_000);
      const { blocksProcessed } = indexer.stats();
      expect(blocksProcessed).toBeGreaterThan(200);
      expect(firstSeen).toBeGreaterThan(0);
      expect(firstSeen).toBeLessThan(blocksProcessed / 4);
    } finally {
      await indexer.stop();
    }
  }, 180_000);

  it("refreshes the planner statistics that commits found due once it has caught up, not inside those commits", async () => {
    const last = await chain.connection.ethers.provider.getBlockNumber();
    const indexer = await indexInto("statistics");
    try {
      // A table passing ANALYZE_MIN_CHANGES rows is due from the commit that passed it until the indexer is at the head.
      let sawDue = false;
      while (indexer.stats().head !== last) {
        sawDue ||= indexer.store.statisticsDue;
        await nextTimer();
      }
      await indexer.waitForBlock(last, 120_000);
      await indexer.statisticsRefreshed();
      expect(sawDue).toBe(true);
      expect(indexer.store.statisticsDue).toBe(false);
    } finally {
      await indexer.stop();
    }
  }, 180_000);
});
