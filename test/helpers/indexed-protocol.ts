/**
 * Test fixture: the protocol deployed on a fresh local chain (Hardhat EDR served over HTTP), indexed live by the
 * embedded runtime from the built subgraph, with the registries bound to each named account — for scenarios a test
 * plays transaction by transaction straight through the contracts (attacks included), then audits over GraphQL.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import {
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  ModelRegistry__factory,
  ReleaseRegistry__factory,
  RoyaltyRegistry__factory,
  type AttestationRegistry,
  type DatasetRegistry,
  type ModelRegistry,
  type ReleaseRegistry,
  type RoyaltyRegistry,
} from "../../types/index.ts";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { deployLocally, type LocalDeployment } from "../../src/dev/deploy.ts";
import { indexLocally } from "../../src/dev/local-indexer.ts";
import type { Indexer } from "../../src/indexer/indexer.ts";

/** The registries as one account sees them. */
export interface Registries {
  datasets: DatasetRegistry;
  royalties: RoyaltyRegistry;
  models: ModelRegistry;
  attestations: AttestationRegistry;
  releases: ReleaseRegistry;
}

export type Role = "admin" | "creator" | "attacker" | "mlTeam" | "evaluator" | "approver" | "steward" | "stranger";

export interface IndexedProtocol {
  chain: LocalChain;
  deployment: LocalDeployment;
  signers: Record<Role, HardhatEthersSigner>;
  /** Lower-case addresses, as the subgraph spells them. */
  address: Record<Role, string>;
  /** The registries bound to `role`'s signer. */
  as(role: Role): Registries;
  indexer: Indexer;
  /** GraphQL endpoint of the indexed subgraph. */
  url: string;
  /** Sends a transaction and waits for it to be mined; returns its block number. */
  send(tx: Promise<ContractTransactionResponse>): Promise<number>;
  /** Waits until the indexer has indexed the chain's latest block. */
  sync(): Promise<number>;
  close(): Promise<void>;
}

export async function indexedProtocol(): Promise<IndexedProtocol> {
  const chain = await startLocalChain();
  const [admin, creator, attacker, mlTeam, evaluator, approver, steward, stranger] = chain.signers;
  const signers: Record<Role, HardhatEthersSigner> = { admin, creator, attacker, mlTeam, evaluator, approver, steward, stranger };
  const deployment = await deployLocally(chain, {
    admin: admin.address,
    evaluators: [evaluator.address],
    releaseApprovers: [approver.address],
    dataStewards: [steward.address],
  });
  const { addresses } = deployment;
  const as = (role: Role): Registries => ({
    datasets: DatasetRegistry__factory.connect(addresses.datasets, signers[role]),
    royalties: RoyaltyRegistry__factory.connect(addresses.royalties, signers[role]),
    models: ModelRegistry__factory.connect(addresses.models, signers[role]),
    attestations: AttestationRegistry__factory.connect(addresses.attestations, signers[role]),
    releases: ReleaseRegistry__factory.connect(addresses.releases, signers[role]),
  });
  const indexer = await indexLocally(chain, deployment, { pollIntervalMs: 50 });
  const provider = chain.connection.ethers.provider;
  return {
    chain,
    deployment,
    signers,
    address: Object.fromEntries(Object.entries(signers).map(([role, s]) => [role, s.address.toLowerCase()])) as Record<Role, string>,
    as,
    indexer,
    url: indexer.url,
    async send(tx) {
      const receipt = await (await tx).wait();
      return receipt!.blockNumber;
    },
    async sync() {
      const block = await provider.getBlockNumber();
      await indexer.waitForBlock(block);
      return block;
    },
    async close() {
      await indexer.stop();
      await chain.close();
    },
  };
}
