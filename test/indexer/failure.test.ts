/**
 * A handler failure stops indexing at that block with nothing of the block written, `_meta.hasIndexingErrors`
 * turns true, and a log line names the handler, block, transaction and message. Provoked realistically: the
 * DatasetRegistry data source starts after dataset 1 was registered, so publishing a new version of dataset 1 makes
 * the mapping's `Dataset.load(id)!` abort.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id } from "ethers";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally, type LocalDeployment } from "../../src/dev/deploy.ts";
import { createPedigreeClient, publishDatasetVersion, registerDataset } from "../../src/sdk/index.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { startIndexer, type Indexer } from "../../src/indexer/indexer.ts";

let chain: LocalChain;
let deployment: LocalDeployment;
let indexer: Indexer;
const logs: string[] = [];
let failingBlock: number;
let failingTx: string;
let secondDatasetBlock: number;

beforeAll(async () => {
  chain = await startLocalChain();
  deployment = await deployLocally(chain, { admin: chain.signers[0].address });
  const alice = createPedigreeClient({ runner: chain.signers[1], addresses: deployment.addresses });
  const first = await registerDataset(alice, { version: { fingerprint: id("before the start block"), uri: "ipfs://one" } });
  const second = await registerDataset(alice, { version: { fingerprint: id("indexed dataset"), uri: "ipfs://two" } });
  secondDatasetBlock = second.blockNumber;
  const failing = await publishDatasetVersion(alice, { datasetId: first.datasetId, version: { fingerprint: id("v2 of an unindexed dataset"), uri: "ipfs://three" } });
  failingBlock = failing.blockNumber;
  failingTx = failing.hash;
  await registerDataset(alice, { version: { fingerprint: id("after the failure"), uri: "ipfs://four" } });

  const overrides = indexerOverrides(deployment.locations);
  indexer = await startIndexer({
    subgraph: "build",
    rpcUrl: chain.url,
    addresses: overrides.addresses,
    startBlocks: { ...overrides.startBlocks, DatasetRegistry: first.blockNumber + 1 },
    port: 0,
    cacheQueries: false,
    log: (line) => logs.push(line),
  });
  await indexer.done; // the loop ends at the failure
}, 120_000);

afterAll(async () => {
  await indexer?.stop();
  await chain?.close();
});

async function query(body: string) {
  const response = await fetch(indexer.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: body }) });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

describe("a failing handler", () => {
  it("stops at the failing block, keeps everything before it and nothing of it", async () => {
    const status = await indexer.status();
    expect(status.head?.number).toBe(failingBlock - 1);
    expect(status.error).toMatchObject({ blockNumber: failingBlock, handler: "handleDatasetVersionPublished" });
    expect(status.error?.transactionHash).toBe(failingTx);
    await expect(indexer.waitForBlock(failingBlock, 1000)).rejects.toThrow(`indexing failed at block #${failingBlock}`);
    expect(indexer.stats().failed?.blockNumber).toBe(failingBlock);
    expect(secondDatasetBlock).toBeLessThan(failingBlock);
  });

  it("logs one line naming the handler, the block, the transaction and the message", () => {
    const line = logs.find((l) => l.startsWith("handler handleDatasetVersionPublished"));
    expect(line).toBeDefined();
    expect(line).toContain(`block #${failingBlock}`);
    expect(line).toContain(failingTx);
    expect(line).toMatch(/abort|null/i);
  });

  it("reports the error through GraphQL as graph-node does", async () => {
    const meta = await query("{ _meta { hasIndexingErrors block { number } } }");
    expect(meta.data._meta.hasIndexingErrors).toBe(true);
    const denied = await query("{ datasets { id } }");
    expect(denied.errors?.[0].message).toMatch(/indexing_error/);
    const allowed = await query("{ datasets(subgraphError: allow) { id versions { id } } }");
    expect(allowed.data.datasets).toEqual([{ id: "2", versions: [{ id: "2" }] }]);
  });
});
