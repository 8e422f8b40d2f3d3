/**
 * Test fixture: the demo scenario on a fresh local chain (Hardhat EDR served over HTTP), indexed by the embedded
 * runtime from the built subgraph, with the GraphQL URL, the chain, the deployment, the cast and the scenario's ids.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { deployLocally, startLocalChain, type LocalChain, type LocalDeployment } from "../../src/sdk/local-chain.ts";
import { playScenario, type Cast, type ScenarioResult } from "../../src/demo/scenario.ts";
import { startIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";

export interface IndexedScenario {
  chain: LocalChain;
  deployment: LocalDeployment;
  cast: Cast & { admin: HardhatEthersSigner };
  result: ScenarioResult;
  indexer: Indexer;
  /** GraphQL endpoint of the indexed subgraph. */
  url: string;
  close(): Promise<void>;
}

export async function indexedScenario(): Promise<IndexedScenario> {
  const chain = await startLocalChain();
  const [admin, alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer, mallory] = chain.signers;
  const deployment = await deployLocally(chain, {
    admin: admin.address,
    evaluators: [evaluator.address],
    auditors: [auditor.address],
    releaseApprovers: [approver.address],
    dataStewards: [steward.address],
  });
  const cast = { admin, alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer, mallory };
  const result = await playScenario(deployment.addresses, cast);
  const indexer = await startIndexer({
    subgraph: "build",
    rpcUrl: chain.url,
    ...indexerOverrides(deployment.locations),
    port: 0,
    pollIntervalMs: 100,
    log: () => {},
  });
  await indexer.waitForBlock(result.blocks.end);
  return {
    chain,
    deployment,
    cast,
    result,
    indexer,
    url: indexer.url,
    async close() {
      await indexer.stop();
      await chain.close();
    },
  };
}
