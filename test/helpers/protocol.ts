/**
 * Test fixture: a fresh in-process Hardhat chain with the Pedigree protocol deployed through its Ignition module,
 * the named accounts every suite uses, and builders for the common inputs.
 */
import { network } from "hardhat";
import { beforeAll, beforeEach } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  AgentRegistry__factory,
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  RoyaltyRegistry__factory,
  ModelRegistry__factory,
  ReleaseRegistry__factory,
  SystemRegistry__factory,
  type AgentRegistry,
  type AttestationRegistry,
  type DatasetRegistry,
  type RoyaltyRegistry,
  type ModelRegistry,
  type ReleaseRegistry,
  type SystemRegistry,
} from "../../types/index.ts";
import { deployLocally } from "../../src/dev/deploy.ts";
import { WORLDWIDE, regionIndex } from "../../src/core/regions.ts";
import type { HardhatConnection } from "../../src/dev/local-chain.ts";

export const ETH = "0x0000000000000000000000000000000000000000";

/** Attestation subject types, as in contracts/common/Subjects.sol. */
export const Subject = { None: 0, DatasetVersion: 1, ModelVersion: 2, TrainingRun: 3, Licence: 4, Deployment: 5, SystemVersion: 6, Agent: 7, UsageReport: 8 } as const;
/** Built-in attestation kinds. */
export const Kind = {
  SafetyEvaluation: 1,
  BiasCheck: 2,
  RedTeamReport: 3,
  Consent: 4,
  LicenceCompliance: 5,
  ReleaseApproval: 6,
  UsageDispute: 7,
} as const;

export type Accounts = Record<
  "admin" | "creator" | "creator2" | "mlTeam" | "evaluator" | "auditor" | "approver" | "steward" | "stranger" | "relayer",
  HardhatEthersSigner
>;

export interface Protocol {
  connection: HardhatConnection;
  ethers: HardhatConnection["ethers"];
  accounts: Accounts;
  datasets: DatasetRegistry;
  royalties: RoyaltyRegistry;
  attestations: AttestationRegistry;
  models: ModelRegistry;
  releases: ReleaseRegistry;
  systems: SystemRegistry;
  agents: AgentRegistry;
}

/** Starts a new in-process chain and deploys the protocol with the Ignition module. */
export async function deployProtocol(): Promise<Protocol> {
  const connection = await network.create();
  const { ethers } = connection;
  const signers = await ethers.getSigners();
  const [admin, creator, creator2, mlTeam, evaluator, auditor, approver, steward, stranger, relayer] = signers;
  const accounts: Accounts = { admin, creator, creator2, mlTeam, evaluator, auditor, approver, steward, stranger, relayer };
  const { addresses } = await deployLocally(
    { connection },
    {
      admin: admin.address,
      evaluators: [evaluator.address],
      auditors: [auditor.address],
      releaseApprovers: [approver.address],
      dataStewards: [steward.address],
    },
  );
  return {
    connection,
    ethers,
    accounts,
    datasets: DatasetRegistry__factory.connect(addresses.datasets, admin),
    royalties: RoyaltyRegistry__factory.connect(addresses.royalties, admin),
    attestations: AttestationRegistry__factory.connect(addresses.attestations, admin),
    models: ModelRegistry__factory.connect(addresses.models, admin),
    releases: ReleaseRegistry__factory.connect(addresses.releases, admin),
    systems: SystemRegistry__factory.connect(addresses.systems, admin),
    agents: AgentRegistry__factory.connect(addresses.agents, admin),
  };
}

let counter = 0;
/** A fresh, distinct 32-byte value (fingerprints, hashes) labelled for readable failures. */
export function hash32(label = "value"): string {
  counter += 1;
  return `0x${Buffer.from(`${label}:${counter}`).toString("hex").padEnd(64, "0").slice(0, 64)}`;
}

/** Dataset version input with fresh hashes; no data-handling context (origin undeclared, no handling policy). */
export function datasetVersion(uri = "ipfs://bafybeigdyrztdataset") {
  return {
    fingerprint: hash32("data"),
    manifestRoot: hash32("manifest"),
    metadataHash: hash32("meta"),
    uri,
    originRegions: 0n,
    handlingPolicyHash: `0x${"00".repeat(32)}`,
    handlingPolicyURI: "",
  };
}

/** Licence terms; defaults: 1 ETH, one year, commercial + derivatives, a single recipient. */
export function terms(
  splits: { recipient: string; bps: number }[],
  overrides: Partial<{
    currency: string;
    price: bigint;
    duration: number;
    commercialUse: boolean;
    derivativesAllowed: boolean;
    documentHash: string;
    documentURI: string;
    trainingTerritories: bigint;
    deploymentTerritories: bigint;
    unitPrice: bigint;
    unit: string;
    derivativeRoyaltyBps: number;
  }> = {},
) {
  return {
    currency: ETH,
    price: 10n ** 18n,
    duration: 365 * 24 * 3600,
    commercialUse: true,
    derivativesAllowed: true,
    documentHash: hash32("licence-text"),
    documentURI: "spdx:CC-BY-4.0",
    splits,
    trainingTerritories: WORLDWIDE,
    deploymentTerritories: WORLDWIDE,
    unitPrice: 0n,
    unit: "",
    derivativeRoyaltyBps: 0,
    ...overrides,
  };
}

/** Model version input with fresh hashes. */
export function modelVersion(parentVersionId = 0n, uri = "ipfs://bafybeimodelweights") {
  return { weightsHash: hash32("weights"), manifestRoot: hash32("files"), configHash: hash32("config"), parentVersionId, uri };
}

/** Training run input over (datasetVersionId, licenceId) pairs; computed in Germany unless `region` says otherwise. */
export function trainingRun(uses: [bigint, bigint][] = [], region: bigint = BigInt(regionIndex("DE", "region"))) {
  return {
    datasetVersionIds: uses.map(([v]) => v),
    licenceIds: uses.map(([, l]) => l),
    codeHash: hash32("code"),
    hyperparametersHash: hash32("hparams"),
    startedAt: 1_700_000_000n,
    endedAt: 1_700_086_400n,
    region,
    computeProvider: hash32("compute-provider"),
  };
}

/** An attestation request. */
export function attestation(subjectType: number, subjectId: bigint, kind: number, overrides: Partial<{ expiresAt: bigint; refId: bigint; evidenceHash: string; evidenceURI: string }> = {}) {
  return {
    subjectType,
    subjectId,
    kind,
    expiresAt: 0n,
    refId: 0n,
    evidenceHash: hash32("evidence"),
    evidenceURI: "ipfs://bafybeievidencereport",
    ...overrides,
  };
}

/**
 * Builds a test file's world once — `setup` deploys and prepares it, and returns its protocol — and restores the chain
 * to that point before each test, so every test starts from the same state without redeploying.
 *
 * @example
 * let w: World;
 * restoreBeforeEach(async () => (w = await setup()).p);
 */
export function restoreBeforeEach(setup: () => Promise<Protocol>): void {
  let restore: () => Promise<void>;
  beforeAll(async () => {
    const snapshot = await (await setup()).connection.networkHelpers.takeSnapshot();
    restore = () => snapshot.restore();
  });
  beforeEach(async () => {
    await restore();
  });
}
