/**
 * Reorgs: the indexer follows a live chain, the chain drops blocks it already indexed (evm_snapshot / evm_revert) and
 * grows different ones. The indexer must roll its entities back to the common ancestor and re-index, ending with
 * exactly what a clean index of the final chain holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id, parseEther } from "ethers";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally, type LocalDeployment } from "../../src/dev/deploy.ts";
import { createPedigreeClient, registerDataset, acquireLicence, withdrawDataset } from "../../src/sdk/index.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { startIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { dumpAll, post, rpc } from "./helpers.ts";

let chain: LocalChain;
let deployment: LocalDeployment;
let live: Indexer;

beforeAll(async () => {
  chain = await startLocalChain();
  deployment = await deployLocally(chain, { admin: chain.signers[0].address });
  live = await startIndexer({ subgraph: "build", rpcUrl: chain.url, ...indexerOverrides(deployment.locations), port: 0, pollIntervalMs: 50, log: () => {} });
}, 120_000);

afterAll(async () => {
  await live?.stop();
  await chain?.close();
});

async function register(signer: number, label: string, price = parseEther("0.1")) {
  const client = createPedigreeClient({ runner: chain.signers[signer], addresses: deployment.addresses });
  return registerDataset(client, {
    version: { fingerprint: id(label), uri: `ipfs://${label}` },
    terms: { price, commercialUse: true, derivativesAllowed: true, documentURI: "spdx:CC-BY-4.0", splits: [{ recipient: chain.signers[signer].address, bps: 10_000 }] },
  });
}

describe("reorg handling", () => {
  it("rolls back to the common ancestor and re-indexes the new branch, matching a clean index", async () => {
    const kept = await register(1, "kept dataset");
    await acquireLicence(createPedigreeClient({ runner: chain.signers[2], addresses: deployment.addresses }), { datasetId: kept.datasetId });
    await live.waitForBlock(await chain.connection.ethers.provider.getBlockNumber());

    const snapshot = await rpc<string>(chain, "evm_snapshot");
    const ancestor = await chain.connection.ethers.provider.getBlockNumber();
    // The branch that will be dropped: a second dataset, a licence, and the first dataset withdrawn.
    const dropped = await register(3, "dropped dataset");
    await acquireLicence(createPedigreeClient({ runner: chain.signers[2], addresses: deployment.addresses }), { datasetId: dropped.datasetId });
    await withdrawDataset(createPedigreeClient({ runner: chain.signers[1], addresses: deployment.addresses }), { datasetId: kept.datasetId, reason: "dropped branch" });
    const droppedHead = await chain.connection.ethers.provider.getBlockNumber();
    await live.waitForBlock(droppedHead);
    const onDroppedBranch = (await post(live.url, `{ datasets(orderBy: datasetId) { id withdrawn } }`)).data as { datasets: { id: string; withdrawn: boolean }[] };
    expect(onDroppedBranch.datasets).toEqual([
      { id: "1", withdrawn: true },
      { id: "2", withdrawn: false },
    ]);

    // The chain reorganises: the three blocks vanish, a longer branch with other transactions replaces them.
    expect(await rpc<boolean>(chain, "evm_revert", [snapshot])).toBe(true);
    expect(await chain.connection.ethers.provider.getBlockNumber()).toBe(ancestor);
    await register(4, "other branch dataset", parseEther("0.3"));
    for (let i = 0; i < 4; i++) await rpc(chain, "evm_mine");
    const newHead = await chain.connection.ethers.provider.getBlockNumber();
    expect(newHead).toBeGreaterThan(droppedHead);
    const reindexed = await live.waitForBlock(newHead);
    expect(reindexed.hash).toBe((await chain.connection.ethers.provider.getBlock(newHead))!.hash);

    const clean = await startIndexer({ subgraph: "build", rpcUrl: chain.url, ...indexerOverrides(deployment.locations), port: 0, log: () => {} });
    try {
      await clean.waitForBlock(newHead);
      const [afterReorg, fromScratch] = await Promise.all([dumpAll(live.url), dumpAll(clean.url)]);
      expect(afterReorg).toEqual(fromScratch);
      expect(afterReorg.Dataset).toHaveLength(2);
      expect(afterReorg.Dataset.map((d: any) => [d.id, d.withdrawn, d.creator.id])).toEqual([
        ["1", false, chain.signers[1].address.toLowerCase()],
        ["2", false, chain.signers[4].address.toLowerCase()],
      ]);
      expect(afterReorg.Licence).toHaveLength(1);
      // Nothing of the dropped branch survives, not even in the immutable audit trail.
      expect(JSON.stringify(afterReorg)).not.toContain("dropped branch");
    } finally {
      await clean.stop();
    }
  });
});
