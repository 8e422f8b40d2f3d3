/**
 * Synthetic provenance traffic for benchmarks and resilience tests: rounds of "a creator registers a licensed dataset,
 * the ML team licenses it, trains a model version on it, an evaluator attests the version several times", sent
 * straight through the contracts on a local chain, optionally many transactions per block.
 */
import { ZeroAddress, ZeroHash, id, parseEther, type ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { WORLDWIDE, regionIndex } from "../core/regions.ts";
import {
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  ModelRegistry__factory,
  RoyaltyRegistry__factory,
  type AttestationRegistry,
  type DatasetRegistry,
  type RoyaltyRegistry,
  type ModelRegistry,
} from "../../types/index.ts";
import type { LocalDeployment } from "./deploy.ts";
import type { LocalChain } from "./local-chain.ts";

export interface WorkloadOptions {
  /** Rounds to play. */
  rounds: number;
  /** Attestations per round (one multiAttest). */
  attestationsPerRound?: number;
  /** Rounds per block (automine is switched off meanwhile); 0 = one transaction per block. */
  roundsPerBlock?: number;
  /** Called after each block with the number of rounds done. */
  onProgress?: (roundsDone: number) => void;
}

export interface WorkloadResult {
  /** Events the contracts emitted. */
  events: number;
  transactions: number;
  firstBlock: number;
  lastBlock: number;
}

/** Events per round: dataset (Transfer, DatasetRegistered, DatasetVersionPublished, TermsSet), licence
 * (LicenceAcquired, 2 × RoyaltyCredited), model version (ModelVersionPublished, TrainingRunRecorded), attestations. */
const EVENTS_PER_ROUND_BASE = 9;

type Signer = HardhatEthersSigner;

/** The registries and accounts one workload sends through, and the next nonce of each account. */
interface Senders {
  datasets: DatasetRegistry;
  /** The treasury, which sells the licences. */
  royalties: RoyaltyRegistry;
  models: ModelRegistry;
  attestations: AttestationRegistry;
  cast: { creators: Signer[]; mlTeam: Signer; evaluator: Signer };
  attestationsPerRound: number;
  nonceOf(signer: Signer): Promise<number>;
}

const PRICE = parseEther("0.01");
/** Fees given up front, so that sending a transaction asks the node nothing (ethers would fetch the fee data each time). */
const FEES = { maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
/** Where every training run of the workload is computed (Germany). */
const DE = BigInt(regionIndex("DE", "region"));

/**
 * Plays the workload. `creators` register datasets, `mlTeam` licenses and trains, `evaluator` (which must hold the
 * evaluator role) attests.
 */
export async function playWorkload(
  chain: LocalChain,
  deployment: LocalDeployment,
  cast: { creators: Signer[]; mlTeam: Signer; evaluator: Signer },
  options: WorkloadOptions,
): Promise<WorkloadResult> {
  const roundsPerBlock = options.roundsPerBlock ?? 0;
  const provider = chain.connection.ethers.provider;
  const senders = sendersOf(deployment, cast, options.attestationsPerRound ?? 8, provider);
  const firstBlock = (await provider.getBlockNumber()) + 1;
  await (await senders.models.registerModel(true, id("workload model"), "ipfs://workload-model")).wait();
  let events = 3; // Transfer, ModelRegistered, ReleasePolicySet
  let transactions = 1;

  // Ids are sequential on a fresh deployment, so later transactions can name earlier ones before they are mined.
  const firstDatasetId = Number(await countDatasets(senders.datasets)) + 1;
  const batched = roundsPerBlock > 0;
  if (batched) await provider.send("evm_setAutomine", [false]);
  try {
    for (let round = 0; round < options.rounds; round++) {
      const pending = await sendRound(senders, round, firstDatasetId + round);
      transactions += pending.length;
      events += EVENTS_PER_ROUND_BASE + senders.attestationsPerRound;
      const fullBlock = !batched || (round + 1) % roundsPerBlock === 0;
      const blockEnds = fullBlock || round === options.rounds - 1;
      if (batched && blockEnds) await provider.send("evm_mine", []);
      if (blockEnds) for (const tx of pending) await tx.wait();
      if (fullBlock) options.onProgress?.(round + 1);
    }
  } finally {
    if (batched) await provider.send("evm_setAutomine", [true]);
  }
  return { events, transactions, firstBlock, lastBlock: await provider.getBlockNumber() };
}

function sendersOf(
  deployment: LocalDeployment,
  cast: Senders["cast"],
  attestationsPerRound: number,
  provider: LocalChain["connection"]["ethers"]["provider"],
): Senders {
  const nonces = new Map<string, number>();
  return {
    datasets: DatasetRegistry__factory.connect(deployment.addresses.datasets, cast.mlTeam),
    royalties: RoyaltyRegistry__factory.connect(deployment.addresses.royalties, cast.mlTeam),
    models: ModelRegistry__factory.connect(deployment.addresses.models, cast.mlTeam),
    attestations: AttestationRegistry__factory.connect(deployment.addresses.attestations, cast.evaluator),
    cast,
    attestationsPerRound,
    async nonceOf(signer) {
      const next = nonces.get(signer.address) ?? (await provider.getTransactionCount(signer.address, "pending"));
      nonces.set(signer.address, next + 1);
      return next;
    },
  };
}

/**
 * One round's four transactions, sent without waiting: dataset `datasetId` with terms (its version, licence and, in
 * this workload, model version share its number, since each round makes one of each), its licence to the ML team, a
 * model version trained on it, and the evaluator's attestations of that version.
 */
async function sendRound(s: Senders, round: number, datasetId: number): Promise<ContractTransactionResponse[]> {
  const { creators, mlTeam, evaluator } = s.cast;
  const creator = creators[round % creators.length]!;
  const modelVersionId = round + 1;
  const terms = {
    currency: ZeroAddress,
    price: PRICE,
    duration: 0,
    commercialUse: true,
    derivativesAllowed: true,
    documentHash: id("licence"),
    documentURI: "spdx:CC-BY-4.0",
    splits: [
      { recipient: creator.address, bps: 9_000 },
      { recipient: creators[(round + 1) % creators.length]!.address, bps: 1_000 },
    ],
    trainingTerritories: WORLDWIDE,
    deploymentTerritories: WORLDWIDE,
    unitPrice: 0n,
    unit: "",
    derivativeRoyaltyBps: 0,
  };
  const version = { fingerprint: id(`workload dataset ${round}`), manifestRoot: id(`manifest ${round}`), metadataHash: id(`meta ${round}`), uri: `ipfs://workload/${round}`, originRegions: 0n, handlingPolicyHash: ZeroHash, handlingPolicyURI: "" };
  const weights = { weightsHash: id(`workload weights ${round}`), manifestRoot: id(`files ${round}`), configHash: id("config"), parentVersionId: modelVersionId - 1, uri: `s3://workload/${round}` };
  const run = { datasetVersionIds: [datasetId], licenceIds: [datasetId], codeHash: id("code"), hyperparametersHash: id("hp"), startedAt: 1n, endedAt: 2n, region: DE, computeProvider: id("compute") };
  const requests = Array.from({ length: s.attestationsPerRound }, (_, i) => ({
    subjectType: 2,
    subjectId: modelVersionId,
    kind: 1 + (i % 2),
    expiresAt: 0,
    refId: 0,
    evidenceHash: id(`evidence ${round}-${i}`),
    evidenceURI: `ipfs://evidence/${round}/${i}`,
  }));
  return [
    await s.datasets.connect(creator).registerDatasetWithTerms(version, [], [], id("workload pipeline"), terms, { nonce: await s.nonceOf(creator), gasLimit: 600_000, ...FEES }),
    await s.royalties.acquireLicence(datasetId, mlTeam.address, datasetId, { value: PRICE, nonce: await s.nonceOf(mlTeam), gasLimit: 300_000, ...FEES }),
    await s.models.publishVersion(1, weights, run, { nonce: await s.nonceOf(mlTeam), gasLimit: 600_000, ...FEES }),
    await s.attestations.multiAttest(requests, { nonce: await s.nonceOf(evaluator), gasLimit: 200_000 + 80_000 * s.attestationsPerRound, ...FEES }),
  ];
}

async function countDatasets(datasets: DatasetRegistry): Promise<bigint> {
  // Datasets are ERC-721 tokens numbered from 1; find the first unused id (workloads start on fresh deployments).
  let n = 0n;
  while (true) {
    try {
      await datasets.ownerOf(n + 1n);
      n += 1n;
    } catch {
      return n;
    }
  }
}
