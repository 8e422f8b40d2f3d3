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
import { id, parseEther, ZeroAddress, ZeroHash, type ContractTransactionResponse } from "ethers";
import { LICENCE_STATUSES } from "../src/core/constants.ts";
import { deployLocally } from "../src/dev/deploy.ts";
import {
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  ModelRegistry__factory,
  ReleaseRegistry__factory,
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

/** Runs the story and returns every identifier and answer; `log` receives one line per step. */
export async function runExample(log: (line: string) => void = () => {}): Promise<ExampleResult> {
  const steps: string[] = [];
  const say = (line: string) => {
    steps.push(line);
    log(line);
  };
  const connection = await network.create();
  const { ethers } = connection;
  const [admin, creator, curator, mlTeam, evaluator, approver] = await ethers.getSigners();

  const { addresses } = await deployLocally({ connection }, {
    admin: admin.address,
    evaluators: [evaluator.address],
    releaseApprovers: [approver.address],
  });
  const datasets = DatasetRegistry__factory.connect(addresses.datasets, admin);
  const attestations = AttestationRegistry__factory.connect(addresses.attestations, admin);
  const models = ModelRegistry__factory.connect(addresses.models, admin);
  const releases = ReleaseRegistry__factory.connect(addresses.releases, admin);
  say(`Deployed DatasetRegistry ${await datasets.getAddress()}, ModelRegistry ${await models.getAddress()}`);

  // 1. A data creator registers a dataset: fingerprint, manifest root, URI; terms: 0.5 ETH, 1 year, 80/20 split.
  const price = parseEther("0.5");
  const version = {
    fingerprint: id("clinical-notes-v1: sha256 of the data"),
    manifestRoot: id("clinical-notes-v1: merkle root of per-file sha256"),
    metadataHash: id("clinical-notes-v1: datasheet"),
    uri: "ipfs://bafybeiclinicalnotesv1",
  };
  const terms = {
    currency: ZeroAddress,
    price,
    duration: 365 * 24 * 3600,
    commercialUse: true,
    derivativesAllowed: true,
    documentHash: id("Pedigree Clinical Data Licence 1.0"),
    documentURI: "ipfs://bafybeilicencetext",
    splits: [
      { recipient: creator.address, bps: 8_000 },
      { recipient: curator.address, bps: 2_000 },
    ],
  };
  const [datasetId, datasetVersionId, termsId] = await datasets
    .connect(creator)
    .registerDatasetWithTerms.staticCall(version, [], [], ZeroHash, terms);
  await mined(datasets.connect(creator).registerDatasetWithTerms(version, [], [], ZeroHash, terms));
  say(`Creator registered dataset ${datasetId} (version ${datasetVersionId}) under terms ${termsId}: 0.5 ETH, 80/20`);

  // 2. The ML team registers a model; publishing without a licence is refused with a named error.
  const modelId = await models.connect(mlTeam).registerModel.staticCall(true, id("model card"), "ipfs://bafymodelcard");
  await mined(models.connect(mlTeam).registerModel(true, id("model card"), "ipfs://bafymodelcard"));
  const weights = {
    weightsHash: id("triage-model v1 weights"),
    manifestRoot: id("triage-model v1 files"),
    configHash: id("triage-model v1 config"),
    parentVersionId: 0n,
    uri: "s3://models/triage/v1",
  };
  const run = (licenceId: bigint) => ({
    datasetVersionIds: [datasetVersionId],
    licenceIds: [licenceId],
    codeHash: id("git:3f2a9c1"),
    hyperparametersHash: id("lr=3e-4,epochs=3"),
    startedAt: 1_767_225_600n,
    endedAt: 1_767_312_000n,
  });
  let unlicensedPublishError = "";
  try {
    await models.connect(mlTeam).publishVersion.staticCall(modelId, weights, run(1n));
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data ? models.interface.parseError(data) : null;
    unlicensedPublishError = parsed
      ? `${parsed.name}(datasetVersionId ${parsed.args[0]}, licenceId ${parsed.args[1]}, ${LICENCE_STATUSES[Number(parsed.args[2])]})`
      : String(error);
  }
  say(`Publishing before buying a licence is refused: ${unlicensedPublishError}`);

  // 3. The ML team buys a licence, paying the creators through the split.
  const licenceId = await datasets.connect(mlTeam).acquireLicence.staticCall(datasetId, mlTeam.address, termsId, { value: price });
  await mined(datasets.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId, { value: price }));
  say(`ML team acquired licence ${licenceId}; creator is owed ${await datasets.royaltiesOf(creator.address, ZeroAddress)} wei`);

  // 4. It publishes version 1 with its training run.
  const modelVersionId = await models.connect(mlTeam).publishVersion.staticCall(modelId, weights, run(licenceId));
  await mined(models.connect(mlTeam).publishVersion(modelId, weights, run(licenceId)));
  say(`ML team published model ${modelId} version ${modelVersionId}, trained on dataset version ${datasetVersionId}`);

  // 5. The release policy asks for a safety evaluation and a release approval; both attest, the gate opens.
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

  // 6. It goes live in production.
  const deploymentId = await releases.connect(mlTeam).deploy.staticCall(modelVersionId, "production");
  await mined(releases.connect(mlTeam).deploy(modelVersionId, "production"));
  const liveVersion = await releases.liveVersion(modelId, "production");
  say(`Deployment ${deploymentId}: version ${liveVersion} is live in production`);

  // 7. Decisions it made are anchored as a Merkle root for this version; one decision is proven to be in its batch.
  const decisions = Array.from({ length: 1_000 }, (_, i) => id(`decision ${i}: patient ${i % 97} triaged`));
  const tree = StandardMerkleTree.of(
    decisions.map((hash) => [hash]),
    ["bytes32"],
  );
  await mined(releases.connect(mlTeam).anchorDecisions(modelVersionId, tree.root, decisions.length, 1_767_398_400n, 1_767_484_800n, "s3://decisions/2026-01-03.jsonl"));
  const asked = decisions[421];
  const decisionVerified = await releases.verifyDecision(modelVersionId, tree.root, asked, tree.getProof([asked]));
  say(`Decision #421 is in the batch ${tree.root.slice(0, 10)}… version ${modelVersionId} anchored: ${decisionVerified}`);

  // 8. The creators pull their royalties.
  const creatorRoyalty = await datasets.royaltiesOf(creator.address, ZeroAddress);
  const curatorRoyalty = await datasets.royaltiesOf(curator.address, ZeroAddress);
  await mined(datasets.connect(creator).withdrawRoyalties(ZeroAddress, creator.address));
  await mined(datasets.connect(curator).withdrawRoyalties(ZeroAddress, curator.address));
  say(`Creator withdrew ${creatorRoyalty} wei, curator ${curatorRoyalty} wei`);

  return {
    datasetId,
    datasetVersionId,
    licenceId,
    modelId,
    modelVersionId,
    attestationIds: [safetyId, approvalId],
    deploymentId,
    liveVersion,
    decisionRoot: tree.root,
    decisionVerified,
    royaltiesWithdrawn: { creator: creatorRoyalty, curator: curatorRoyalty },
    unlicensedPublishError,
    steps,
  };
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<void> {
  const receipt = await (await tx).wait();
  if (receipt?.status !== 1) throw new Error(`transaction ${receipt?.hash} failed`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runExample((line) => console.log(line));
}
