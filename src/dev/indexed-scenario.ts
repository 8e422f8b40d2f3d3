/**
 * The one indexed scenario the demo, the tests and the benchmarks share: a fresh local chain (Hardhat EDR served over
 * HTTP), the protocol deployed with the cast's roles, the embedded indexer following it from the built subgraph, and
 * the demo story (./scenario.ts) played through the SDK and indexed to its last block.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Indexer } from "../indexer/indexer.ts";
import { deployLocally, type LocalDeployment } from "./deploy.ts";
import { startLocalChain, type LocalChain } from "./local-chain.ts";
import { indexLocally } from "./local-indexer.ts";
import { playScenario, type Cast, type ScenarioResult } from "./scenario.ts";

/** The cast as the local chain's accounts, and the admin who deployed. */
export type ScenarioCast = Record<keyof Cast | "admin", HardhatEthersSigner>;

/** A local chain with the protocol deployed and the scenario's cast holding their roles. */
export interface ScenarioChain {
  chain: LocalChain;
  deployment: LocalDeployment;
  cast: ScenarioCast;
}

export interface IndexedScenario extends ScenarioChain {
  result: ScenarioResult;
  indexer: Indexer;
  /** GraphQL endpoint of the indexed subgraph. */
  url: string;
  close(): Promise<void>;
}

export interface IndexedScenarioOptions {
  /** Preferred JSON-RPC and GraphQL ports; taken ones fall back to any free port. Default: any free port. */
  rpcPort?: number;
  graphqlPort?: number;
  /** How often the indexer polls the chain (default 100 ms). */
  pollIntervalMs?: number;
  /** Called when the chain, the deployment and the indexer are up, before the story is played. */
  onReady?(setup: ScenarioChain & { indexer: Indexer }): void;
  /** Called with one line per step of the story. */
  onStep?(line: string): void;
}

/**
 * Starts a local chain and deploys the protocol, the scenario's evaluator, auditor, approver and data steward holding
 * their roles.
 *
 * @example
 * const { chain, deployment, cast } = await startScenarioChain();
 * const result = await playScenario(deployment.addresses, cast);
 */
export async function startScenarioChain(rpcPort = 0): Promise<ScenarioChain> {
  const chain = await startLocalChain(rpcPort, { fallbackToAnyPort: true });
  const [admin, alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer, mallory, agentWallet] = chain.signers;
  const cast = { admin, alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer, mallory, agentWallet } as ScenarioCast;
  const deployment = await deployLocally(chain, {
    admin: cast.admin.address,
    evaluators: [cast.evaluator.address],
    auditors: [cast.auditor.address],
    releaseApprovers: [cast.approver.address],
    dataStewards: [cast.steward.address],
  });
  return { chain, deployment, cast };
}

/**
 * The scenario played on a fresh local chain while the embedded indexer follows it; resolves once the indexer has
 * indexed the story's last block.
 *
 * @example
 * const fixture = await indexedScenario();
 * const trained = await whatTrainedThis(createAuditClient({ url: fixture.url }), fixture.result.modelVersions.triageV2);
 * await fixture.close();
 */
export async function indexedScenario(options: IndexedScenarioOptions = {}): Promise<IndexedScenario> {
  const { chain, deployment, cast } = await startScenarioChain(options.rpcPort);
  const indexer = await indexLocally(chain, deployment, {
    port: options.graphqlPort,
    fallbackToAnyPort: true,
    pollIntervalMs: options.pollIntervalMs,
  }).catch(async (error: unknown) => {
    await chain.close();
    throw error;
  });
  const close = async () => {
    await indexer.stop();
    await chain.close();
  };
  try {
    options.onReady?.({ chain, deployment, cast, indexer });
    const result = await playScenario(deployment.addresses, cast, options.onStep);
    await indexer.waitForBlock(result.blocks.end);
    return { chain, deployment, cast, result, indexer, url: indexer.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
