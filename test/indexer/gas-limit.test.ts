/**
 * The gas limit end to end: a subgraph whose handler loops forever (fixtures/runaway), indexed from a real chain with
 * the Pedigree contracts deployed, fails that handler with graph-node's "Gas limit exceeded" instead of hanging —
 * with no handler timeout at all — and GraphQL reports `_meta.hasIndexingErrors` while serving what came before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dirname } from "node:path";
import { id } from "ethers";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally } from "../../src/dev/deploy.ts";
import { createPedigreeClient, registerDataset } from "../../src/sdk/index.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { startIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { runawayManifest } from "./runtime/runaway.ts";

let chain: LocalChain;
let indexer: Indexer;
const logs: string[] = [];
let loopingBlock: number;

beforeAll(async () => {
  const manifest = runawayManifest();
  chain = await startLocalChain();
  const deployment = await deployLocally(chain, { admin: chain.signers[0].address });
  const alice = createPedigreeClient({ runner: chain.signers[1], addresses: deployment.addresses });
  const first = await registerDataset(alice, { version: { fingerprint: id("returns at once"), uri: "ipfs://one" } });
  const second = await registerDataset(alice, { version: { fingerprint: id("loops forever"), uri: "ipfs://two" } });
  expect([first.datasetId, second.datasetId]).toEqual([1n, 2n]); // the fixture's mapping loops for dataset 2
  loopingBlock = second.blockNumber;
  const overrides = indexerOverrides(deployment.locations);
  indexer = await startIndexer({
    subgraph: dirname(manifest),
    rpcUrl: chain.url,
    addresses: { DatasetRegistry: overrides.addresses.DatasetRegistry! },
    startBlocks: { DatasetRegistry: first.blockNumber },
    port: 0,
    handlerTimeoutSeconds: 0,
    maxGasPerHandler: 10_000_000_000,
    log: (line) => logs.push(line),
  });
  await indexer.done; // the loop ends at the failure
}, 180_000);

afterAll(async () => {
  await indexer?.stop();
  await chain?.close();
});

describe("a handler past the gas limit", () => {
  it("fails its block deterministically with graph-node's message, keeping the blocks before it", async () => {
    const status = await indexer.status();
    expect(status.error).toMatchObject({ blockNumber: loopingBlock, handler: "handleDatasetRegistered" });
    expect(status.error?.message).toMatch(/Gas limit exceeded\. Used: \d+/);
    expect(status.head?.number).toBe(loopingBlock - 1);
    const line = logs.find((l) => l.startsWith("handler handleDatasetRegistered"));
    expect(line).toMatch(/Gas limit exceeded\. Used: \d+$/); // no "(not deterministic …)" suffix
  });

  it("shows in _meta.hasIndexingErrors, and what was indexed before stays queryable", async () => {
    const query = async (text: string) => {
      const response = await fetch(indexer.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: text }) });
      return (await response.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
    };
    expect((await query("{ _meta { hasIndexingErrors } }")).data?._meta.hasIndexingErrors).toBe(true);
    expect((await query("{ seens { id } }")).errors).toEqual([{ message: "indexing_error" }]);
    expect((await query("{ seens(subgraphError: allow) { id work } }")).data?.seens).toEqual([{ id: "1", work: "0" }]);
  });
});
