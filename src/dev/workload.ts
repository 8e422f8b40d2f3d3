/**
 * Synthetic provenance traffic for benchmarks and resilience tests: rounds of "a creator registers a licensed dataset,
 * the ML team licenses it, trains a model version on it, an evaluator attests the version several times", sent
 * straight through the contracts on a local chain, optionally many transactions per block.
 */
import { id, parseEther } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  ModelRegistry__factory,
} from "../../types/index.ts";
import type { LocalChain, LocalDeployment } from "../sdk/local-chain.ts";

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

/**
 * Plays the workload. `creators` register datasets, `mlTeam` licenses and trains, `evaluator` (which must hold the
 * evaluator role) attests.
 */
export async function playWorkload(
  chain: LocalChain,
  deployment: LocalDeployment,
  cast: { creators: HardhatEthersSigner[]; mlTeam: HardhatEthersSigner; evaluator: HardhatEthersSigner },
  options: WorkloadOptions,
): Promise<WorkloadResult> {
  const attestations = options.attestationsPerRound ?? 8;
  const roundsPerBlock = options.roundsPerBlock ?? 0;
  const provider = chain.connection.ethers.provider;
  const datasets = DatasetRegistry__factory.connect(deployment.addresses.datasets, cast.mlTeam);
  const models = ModelRegistry__factory.connect(deployment.addresses.models, cast.mlTeam);
  const registry = AttestationRegistry__factory.connect(deployment.addresses.attestations, cast.evaluator);
  const price = parseEther("0.01");
  const firstBlock = (await provider.getBlockNumber()) + 1;

  await (await models.registerModel(true, id("workload model"), "ipfs://workload-model")).wait();
  let events = 3; // Transfer, ModelRegistered, ReleasePolicySet
  let transactions = 1;
  const nonces = new Map<string, number>();
  const nonceOf = async (signer: HardhatEthersSigner) => {
    const next = nonces.get(signer.address) ?? (await provider.getTransactionCount(signer.address, "pending"));
    nonces.set(signer.address, next + 1);
    return next;
  };

  // Ids are sequential on a fresh deployment, so later transactions can name earlier ones before they are mined.
  let datasetId = Number(await countDatasets(datasets));
  let licenceId = datasetId; // one licence per dataset in this workload
  let modelVersionId = 0;
  const batched = roundsPerBlock > 0;
  if (batched) await provider.send("evm_setAutomine", [false]);
  try {
    for (let round = 0; round < options.rounds; round++) {
      const creator = cast.creators[round % cast.creators.length];
      const pending = [];
      pending.push(
        await datasets.connect(creator).registerDatasetWithTerms(
          { fingerprint: id(`workload dataset ${round}`), manifestRoot: id(`manifest ${round}`), metadataHash: id(`meta ${round}`), uri: `ipfs://workload/${round}` },
          [],
          [],
          id("workload pipeline"),
          {
            currency: "0x0000000000000000000000000000000000000000",
            price,
            duration: 0,
            commercialUse: true,
            derivativesAllowed: true,
            documentHash: id("licence"),
            documentURI: "spdx:CC-BY-4.0",
            splits: [
              { recipient: creator.address, bps: 9_000 },
              { recipient: cast.creators[(round + 1) % cast.creators.length].address, bps: 1_000 },
            ],
          },
          { nonce: await nonceOf(creator), gasLimit: 600_000 },
        ),
      );
      datasetId += 1;
      licenceId += 1;
      const versionId = datasetId; // one version per dataset
      pending.push(await datasets.acquireLicence(datasetId, cast.mlTeam.address, datasetId, { value: price, nonce: await nonceOf(cast.mlTeam), gasLimit: 300_000 }));
      pending.push(
        await models.publishVersion(
          1,
          { weightsHash: id(`workload weights ${round}`), manifestRoot: id(`files ${round}`), configHash: id("config"), parentVersionId: modelVersionId, uri: `s3://workload/${round}` },
          { datasetVersionIds: [versionId], licenceIds: [licenceId], codeHash: id("code"), hyperparametersHash: id("hp"), startedAt: 1n, endedAt: 2n },
          { nonce: await nonceOf(cast.mlTeam), gasLimit: 600_000 },
        ),
      );
      modelVersionId += 1;
      pending.push(
        await registry.multiAttest(
          Array.from({ length: attestations }, (_, i) => ({
            subjectType: 2,
            subjectId: modelVersionId,
            kind: 1 + (i % 2),
            expiresAt: 0,
            refId: 0,
            evidenceHash: id(`evidence ${round}-${i}`),
            evidenceURI: `ipfs://evidence/${round}/${i}`,
          })),
          { nonce: await nonceOf(cast.evaluator), gasLimit: 200_000 + 80_000 * attestations },
        ),
      );
      transactions += pending.length;
      events += EVENTS_PER_ROUND_BASE + attestations;
      if (!batched) {
        for (const tx of pending) await tx.wait();
      } else if ((round + 1) % roundsPerBlock === 0 || round === options.rounds - 1) {
        await provider.send("evm_mine", []);
        for (const tx of pending) await tx.wait();
      }
      if (!batched || (round + 1) % roundsPerBlock === 0) options.onProgress?.(round + 1);
    }
  } finally {
    if (batched) await provider.send("evm_setAutomine", [true]);
  }
  return { events, transactions, firstBlock, lastBlock: await provider.getBlockNumber() };
}

async function countDatasets(datasets: ReturnType<typeof DatasetRegistry__factory.connect>): Promise<bigint> {
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
