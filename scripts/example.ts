/**
 * The worked example of the README, end to end on a fresh in-process Hardhat chain:
 *
 *   npm run example
 *
 * A data creator registers a licensed dataset with a royalty split, an ML team buys a licence and publishes a model
 * version trained on it, an evaluator and a release approver attest, the version passes its release gate and goes
 * live, a batch of decisions is anchored for that version and one decision is proven to be in it, and the creators
 * withdraw their royalties. `test/scripts/example.test.ts` runs the same function and checks every answer.
 */
import { pathToFileURL } from "node:url";
import { network } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeBytes32String, id, parseEther, ZeroAddress, ZeroHash, type ContractTransactionResponse } from "ethers";
import { LICENCE_STATUSES } from "../src/core/constants.ts";
import { WORLDWIDE, regionIndex, regionSet } from "../src/core/regions.ts";
import { deployLocally } from "../src/dev/deploy.ts";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  RoyaltyRegistry__factory,
  ModelRegistry__factory,
  ReleaseRegistry__factory,
  type AttestationRegistry,
  type DatasetRegistry,
  type RoyaltyRegistry,
  type ModelRegistry,
  type ReleaseRegistry,
} from "../types/index.ts";

/** Attestation subject types and kinds, as numbered in the contracts. */
const MODEL_VERSION = 2;
const SAFETY_EVALUATION = 1;
const RELEASE_APPROVAL = 6;

export interface ExampleResult {
  datasetId: bigint;
  datasetVersionId: bigint;
  licenceId: bigint;
  modelId: bigint;
  modelVersionId: bigint;
  attestationIds: bigint[];
  deploymentId: bigint;
  liveVersion: bigint;
  decisionRoot: string;
  /** Whether decision #421 is in the batch the model version anchored. */
  decisionVerified: boolean;
  royaltiesWithdrawn: { creator: bigint; curator: bigint };
  unlicensedPublishError: string;
  steps: string[];
}

/** The deployed registries and the accounts of the story, and where its lines go. */
interface Stage {
  say(line: string): void;
  datasets: DatasetRegistry;
  royalties: RoyaltyRegistry;
  attestations: AttestationRegistry;
  models: ModelRegistry;
  releases: ReleaseRegistry;
  accounts: Record<"admin" | "creator" | "curator" | "mlTeam" | "evaluator" | "approver", HardhatEthersSigner>;
}

/** Runs the story and returns every identifier and answer; `log` receives one line per step. */
export async function runExample(log: (line: string) => void = () => {}): Promise<ExampleResult> {
  const steps: string[] = [];
  const stage = await deploy((line) => {
    steps.push(line);
    log(line);
  });
  const data = await registerDataset(stage);
  const model = await registerModelRefusedWithoutLicence(stage, data.datasetVersionId);
  const { licenceId, modelVersionId } = await licenseAndPublish(stage, data, model);
  const release = await approveAndDeploy(stage, model.modelId, modelVersionId);
  const decisions = await anchorAndProve(stage, modelVersionId);
  const royaltiesWithdrawn = await withdrawRoyalties(stage);
  return {
    datasetId: data.datasetId,
    datasetVersionId: data.datasetVersionId,
    licenceId,
    modelId: model.modelId,
    modelVersionId,
    ...release,
    ...decisions,
    royaltiesWithdrawn,
    unlicensedPublishError: model.unlicensedPublishError,
    steps,
  };
}

/** A fresh in-process chain with the protocol deployed: the evaluator and the approver hold their roles. */
async function deploy(say: (line: string) => void): Promise<Stage> {
  const connection = await network.create();
  const [admin, creator, curator, mlTeam, evaluator, approver] = await connection.ethers.getSigners();
  const { addresses } = await deployLocally(
    { connection },
    { admin: admin!.address, evaluators: [evaluator!.address], releaseApprovers: [approver!.address] },
  );
  const stage: Stage = {
    say,
    datasets: DatasetRegistry__factory.connect(addresses.datasets, admin),
    royalties: RoyaltyRegistry__factory.connect(addresses.royalties, admin),
    attestations: AttestationRegistry__factory.connect(addresses.attestations, admin),
    models: ModelRegistry__factory.connect(addresses.models, admin),
    releases: ReleaseRegistry__factory.connect(addresses.releases, admin),
    accounts: { admin: admin!, creator: creator!, curator: curator!, mlTeam: mlTeam!, evaluator: evaluator!, approver: approver! },
  };
  say(`Deployed DatasetRegistry ${addresses.datasets}, ModelRegistry ${addresses.models}`);
  return stage;
}

const PRICE = parseEther("0.5");

/** 1. A data creator registers a dataset: fingerprint, manifest root, URI; terms: 0.5 ETH, 1 year, 80/20 split. */
async function registerDataset({ say, datasets, accounts: { creator, curator } }: Stage) {
  const version = {
    fingerprint: id("clinical-notes-v1: sha256 of the data"),
    manifestRoot: id("clinical-notes-v1: merkle root of per-file sha256"),
    metadataHash: id("clinical-notes-v1: datasheet"),
    uri: "ipfs://bafybeiclinicalnotesv1",
    originRegions: regionSet("EU", "origin"), // collected in EU hospitals
    handlingPolicyHash: id("clinical-notes-v1: GDPR special-category data, pseudonymised, consent basis Art. 9(2)(a)"),
    handlingPolicyURI: "ipfs://bafybeihandlingpolicy",
  };
  const terms = {
    currency: ZeroAddress,
    price: PRICE,
    duration: 365 * 24 * 3600,
    commercialUse: true,
    derivativesAllowed: true,
    documentHash: id("Pedigree Clinical Data Licence 1.0"),
    documentURI: "ipfs://bafybeilicencetext",
    splits: [
      { recipient: creator.address, bps: 8_000 },
      { recipient: curator.address, bps: 2_000 },
    ],
    trainingTerritories: WORLDWIDE,
    deploymentTerritories: WORLDWIDE,
    unitPrice: 0n,
    unit: "",
    derivativeRoyaltyBps: 0,
  };
  const [datasetId, datasetVersionId, termsId] = await datasets
    .connect(creator)
    .registerDatasetWithTerms.staticCall(version, [], [], ZeroHash, terms);
  await mined(datasets.connect(creator).registerDatasetWithTerms(version, [], [], ZeroHash, terms));
  say(`Creator registered dataset ${datasetId} (version ${datasetVersionId}) under terms ${termsId}: 0.5 ETH, 80/20`);
  return { datasetId, datasetVersionId, termsId };
}

/** The weights of version 1, and its training run on the dataset version under `licenceId`. */
function versionOne(datasetVersionId: bigint, licenceId: bigint) {
  const weights = {
    weightsHash: id("triage-model v1 weights"),
    manifestRoot: id("triage-model v1 files"),
    configHash: id("triage-model v1 config"),
    parentVersionId: 0n,
    uri: "s3://models/triage/v1",
  };
  const run = {
    datasetVersionIds: [datasetVersionId],
    licenceIds: [licenceId],
    codeHash: id("git:3f2a9c1"),
    hyperparametersHash: id("lr=3e-4,epochs=3"),
    startedAt: 1_767_225_600n,
    endedAt: 1_767_312_000n,
    region: BigInt(regionIndex("IE", "region")), // computed in Ireland
    computeProvider: encodeBytes32String("example-cloud"),
  };
  return { weights, run };
}

/** 2. The ML team registers a model; publishing without a licence is refused with a named error. */
async function registerModelRefusedWithoutLicence({ say, models, accounts: { mlTeam } }: Stage, datasetVersionId: bigint) {
  const modelId = await models.connect(mlTeam).registerModel.staticCall(true, id("model card"), "ipfs://bafymodelcard");
  await mined(models.connect(mlTeam).registerModel(true, id("model card"), "ipfs://bafymodelcard"));
  const { weights, run } = versionOne(datasetVersionId, 1n);
  let unlicensedPublishError = "";
  try {
    await models.connect(mlTeam).publishVersion.staticCall(modelId, weights, run);
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data ? models.interface.parseError(data) : null;
    unlicensedPublishError = parsed
      ? `${parsed.name}(datasetVersionId ${parsed.args[0]}, licenceId ${parsed.args[1]}, ${LICENCE_STATUSES[Number(parsed.args[2])]})`
      : String(error);
  }
  say(`Publishing before buying a licence is refused: ${unlicensedPublishError}`);
  return { modelId, unlicensedPublishError };
}

/** 3. The ML team buys a licence, paying the creators through the split; 4. it publishes version 1 with its training run. */
async function licenseAndPublish(
  { say, datasets, royalties, models, accounts: { creator, mlTeam } }: Stage,
  data: { datasetId: bigint; datasetVersionId: bigint; termsId: bigint },
  model: { modelId: bigint },
) {
  const licenceId = await royalties.connect(mlTeam).acquireLicence.staticCall(data.datasetId, mlTeam.address, data.termsId, { value: PRICE });
  await mined(royalties.connect(mlTeam).acquireLicence(data.datasetId, mlTeam.address, data.termsId, { value: PRICE }));
  say(`ML team acquired licence ${licenceId}; creator is owed ${await royalties.royaltiesOf(creator.address, ZeroAddress)} wei`);

  const { weights, run } = versionOne(data.datasetVersionId, licenceId);
  const modelVersionId = await models.connect(mlTeam).publishVersion.staticCall(model.modelId, weights, run);
  await mined(models.connect(mlTeam).publishVersion(model.modelId, weights, run));
  say(`ML team published model ${model.modelId} version ${modelVersionId}, trained on dataset version ${data.datasetVersionId}`);
  return { licenceId, modelVersionId };
}

/** 5. The release policy asks for a safety evaluation and a release approval; both attest, the gate opens; 6. it goes live. */
async function approveAndDeploy(stage: Stage, modelId: bigint, modelVersionId: bigint) {
  const { say, attestations, models, releases, accounts: { mlTeam, evaluator, approver } } = stage;
  await mined(models.connect(mlTeam).setReleasePolicy(modelId, (1n << BigInt(SAFETY_EVALUATION)) | (1n << BigInt(RELEASE_APPROVAL))));
  const request = (kind: number, evidence: string) => ({
    subjectType: MODEL_VERSION,
    subjectId: modelVersionId,
    kind,
    expiresAt: 0n,
    refId: 0n,
    evidenceHash: id(evidence),
    evidenceURI: `ipfs://${evidence}`,
  });
  const safetyId = await attestations.connect(evaluator).attest.staticCall(request(SAFETY_EVALUATION, "safety-report"));
  await mined(attestations.connect(evaluator).attest(request(SAFETY_EVALUATION, "safety-report")));
  const approvalId = await attestations.connect(approver).attest.staticCall(request(RELEASE_APPROVAL, "release-memo"));
  await mined(attestations.connect(approver).attest(request(RELEASE_APPROVAL, "release-memo")));
  await mined(models.connect(mlTeam).approveVersion(modelVersionId, [safetyId, approvalId]));
  say(`Evaluator attested ${safetyId}, approver attested ${approvalId}; version ${modelVersionId} approved`);

  const regions = regionSet("EU", "regions"); // where production serves
  const deploymentId = await releases.connect(mlTeam).deploy.staticCall(modelVersionId, "production", regions);
  await mined(releases.connect(mlTeam).deploy(modelVersionId, "production", regions));
  const liveVersion = await releases.liveVersion(modelId, "production");
  say(`Deployment ${deploymentId}: version ${liveVersion} is live in production`);
  return { attestationIds: [safetyId, approvalId], deploymentId, liveVersion };
}

/** 7. Decisions it made are anchored as a Merkle root for this version; one decision is proven to be in its batch. */
async function anchorAndProve({ say, releases, accounts: { mlTeam } }: Stage, modelVersionId: bigint) {
  const decisions = Array.from({ length: 1_000 }, (_, i) => id(`decision ${i}: patient ${i % 97} triaged`));
  const tree = StandardMerkleTree.of(
    decisions.map((hash) => [hash]),
    ["bytes32"],
  );
  const madeIn = regionSet("DE,FR", "regions"); // where the decisions were made
  await mined(releases.connect(mlTeam).anchorDecisions(modelVersionId, tree.root, decisions.length, 1_767_398_400n, 1_767_484_800n, madeIn, "s3://decisions/2026-01-03.jsonl"));
  const asked = decisions[421]!;
  const decisionVerified = await releases.verifyDecision(modelVersionId, tree.root, asked, tree.getProof([asked]));
  say(`Decision #421 is in the batch ${tree.root.slice(0, 10)}… version ${modelVersionId} anchored: ${decisionVerified}`);
  return { decisionRoot: tree.root, decisionVerified };
}

/** 8. The creators pull their royalties. */
async function withdrawRoyalties({ say, royalties, accounts: { creator, curator } }: Stage) {
  const creatorRoyalty = await royalties.royaltiesOf(creator.address, ZeroAddress);
  const curatorRoyalty = await royalties.royaltiesOf(curator.address, ZeroAddress);
  await mined(royalties.connect(creator).withdrawRoyalties(ZeroAddress, creator.address));
  await mined(royalties.connect(curator).withdrawRoyalties(ZeroAddress, curator.address));
  say(`Creator withdrew ${creatorRoyalty} wei, curator ${curatorRoyalty} wei`);
  return { creator: creatorRoyalty, curator: curatorRoyalty };
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<void> {
  const receipt = await (await tx).wait();
  if (receipt?.status !== 1) throw new Error(`transaction ${receipt?.hash} failed`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runExample((line) => console.log(line));
}
