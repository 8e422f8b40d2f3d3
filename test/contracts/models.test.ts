/**
 * ModelRegistry: model registration, version publication with licence-checked training runs, fine-tune lineage,
 * ERC-721 ownership (operators, transfers) and the release gate (policies, approvals, releasability).
 *
 * One chain is deployed for the whole file; every test starts from a snapshot of the shared setup below.
 */
import { describe, expect, it } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  attestation,
  datasetVersion,
  deployProtocol,
  hash32,
  Kind,
  modelVersion,
  Subject,
  terms,
  trainingRun,
  type Protocol,
  restoreBeforeEach,
} from "../helpers/protocol.ts";
import { eventOf, eventsOf, expectRevert, normalise } from "../helpers/assertions.ts";

const ZERO32 = "0x" + "00".repeat(32);
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const DAY = 24 * 3600;

/** LicenceStatus, as in contracts/datasets/IDatasetRegistry.sol. */
const Status = {
  Valid: 0,
  UnknownDatasetVersion: 1,
  LicenceRefunded: 2,
  UnknownLicence: 3,
  WrongDataset: 4,
  WrongLicensee: 5,
  Expired: 6,
  DerivativesForbidden: 7,
  CommercialUseForbidden: 8,
} as const;

const bit = (...kinds: number[]) => kinds.reduce((mask, kind) => mask | (1n << BigInt(kind)), 0n);

/** Ethers Results (and nested ones) to plain arrays, numbers to bigint, strings lower-cased: comparable with toEqual. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return normalise(Array.from(value, plain));
  return normalise(value);
}

// ------------------------------------------------------------------ local builders on top of the fixture

type Terms = Parameters<typeof terms>[1];

async function registerDataset(p: Protocol, owner: HardhatEthersSigner, overrides: Terms = {}) {
  const tx = p.datasets
    .connect(owner)
    .registerDatasetWithTerms(datasetVersion(), [], [], ZERO32, terms([{ recipient: owner.address, bps: 10_000 }], overrides));
  const published = await eventOf(tx, p.datasets, "DatasetVersionPublished");
  const termsSet = await eventOf(tx, p.datasets, "TermsSet");
  return { datasetId: published.args.datasetId as bigint, versionId: published.args.versionId as bigint, termsId: termsSet.args.termsId as bigint };
}

async function publishDatasetVersion(p: Protocol, owner: HardhatEthersSigner, datasetId: bigint) {
  const published = await eventOf(
    p.datasets.connect(owner).publishVersion(datasetId, datasetVersion(), [], [], ZERO32),
    p.datasets,
    "DatasetVersionPublished",
  );
  return published.args.versionId as bigint;
}

/** `payer` buys a licence of `datasetId` for `licensee` under its current terms, paying their price. */
async function buyLicence(p: Protocol, datasetId: bigint, licensee: HardhatEthersSigner, payer: HardhatEthersSigner = licensee) {
  const { currentTermsId } = await p.datasets.getDataset(datasetId);
  const { terms: current } = await p.datasets.getTerms(currentTermsId);
  const acquired = await eventOf(
    p.royalties.connect(payer).acquireLicence(datasetId, licensee.address, currentTermsId, { value: current.price }),
    p.datasets,
    "LicenceAcquired",
  );
  return acquired.args.licenceId as bigint;
}

async function registerModel(p: Protocol, owner: HardhatEthersSigner, commercial = true) {
  const registered = await eventOf(
    p.models.connect(owner).registerModel(commercial, hash32("model-card"), "ipfs://bafybeimodelcard"),
    p.models,
    "ModelRegistered",
  );
  return registered.args.modelId as bigint;
}

async function publish(
  p: Protocol,
  signer: HardhatEthersSigner,
  modelId: bigint,
  uses: [bigint, bigint][],
  parentVersionId = 0n,
) {
  const version = modelVersion(parentVersionId);
  const run = trainingRun(uses);
  const published = await eventOf(p.models.connect(signer).publishVersion(modelId, version, run), p.models, "ModelVersionPublished");
  return { versionId: published.args.versionId as bigint, version, run };
}

/** Issues `kind` about model version `versionId` from the account holding its role; returns the attestation id. */
async function attest(p: Protocol, versionId: bigint, kind: number, overrides: Parameters<typeof attestation>[3] = {}, subjectType: number = Subject.ModelVersion) {
  const signer = kind === Kind.ReleaseApproval ? p.accounts.approver : kind === Kind.SafetyEvaluation || kind === Kind.BiasCheck ? p.accounts.evaluator : p.accounts.auditor;
  const attested = await eventOf(p.attestations.connect(signer).attest(attestation(subjectType, versionId, kind, overrides)), p.attestations, "Attested");
  return attested.args.id as bigint;
}

// ------------------------------------------------------------------ shared setup

interface World {
  p: Protocol;
  /** Dataset "A" of creator: commercial use + derivatives, one year, 1 ETH; two versions. */
  dsA: bigint;
  dvA1: bigint;
  dvA2: bigint;
  /** Dataset "B" of creator2, default terms. */
  dsB: bigint;
  dvB: bigint;
  /** Dataset of creator whose terms forbid commercial use. */
  dvNonCommercial: bigint;
  dsNonCommercial: bigint;
  /** Dataset of creator whose terms forbid derivatives. */
  dvNoDerivatives: bigint;
  dsNoDerivatives: bigint;
  /** Dataset of creator whose licences last one day. */
  dvShort: bigint;
  dsShort: bigint;
  /** mlTeam's licences for each dataset above. */
  licA: bigint;
  licB: bigint;
  licNonCommercial: bigint;
  licNoDerivatives: bigint;
  licShort: bigint;
  /** mlTeam's models: commercial and non-commercial. */
  commercialModel: bigint;
  researchModel: bigint;
}

async function setup(): Promise<World> {
  const p = await deployProtocol();
  const { creator, creator2, mlTeam } = p.accounts;
  const a = await registerDataset(p, creator);
  const dvA2 = await publishDatasetVersion(p, creator, a.datasetId);
  const b = await registerDataset(p, creator2);
  const nc = await registerDataset(p, creator, { commercialUse: false });
  const nd = await registerDataset(p, creator, { derivativesAllowed: false });
  const short = await registerDataset(p, creator, { duration: DAY });
  return {
    p,
    dsA: a.datasetId,
    dvA1: a.versionId,
    dvA2,
    dsB: b.datasetId,
    dvB: b.versionId,
    dsNonCommercial: nc.datasetId,
    dvNonCommercial: nc.versionId,
    dsNoDerivatives: nd.datasetId,
    dvNoDerivatives: nd.versionId,
    dsShort: short.datasetId,
    dvShort: short.versionId,
    licA: await buyLicence(p, a.datasetId, mlTeam),
    licB: await buyLicence(p, b.datasetId, mlTeam),
    licNonCommercial: await buyLicence(p, nc.datasetId, mlTeam),
    licNoDerivatives: await buyLicence(p, nd.datasetId, mlTeam),
    licShort: await buyLicence(p, short.datasetId, mlTeam),
    commercialModel: await registerModel(p, mlTeam, true),
    researchModel: await registerModel(p, mlTeam, false),
  };
}

let w: World;
let p: Protocol;
restoreBeforeEach(async () => {
  w = await setup();
  return (p = w.p);
});

// ------------------------------------------------------------------ registration

describe("registerModel", () => {
  it("mints the model to the caller and emits Transfer, ModelRegistered and the default ReleasePolicySet", async () => {
    const { stranger } = p.accounts;
    const metadataHash = hash32("card");
    const tx = p.models.connect(stranger).registerModel(true, metadataHash, "ipfs://card");
    const modelId = await p.models.connect(stranger).registerModel.staticCall(true, metadataHash, "ipfs://card");
    expect(modelId).toBe(3n); // two models in the shared setup

    const transfer = await eventOf(tx, p.models, "Transfer");
    expect(plain(transfer.args)).toEqual(plain([ZERO_ADDRESS, stranger.address, 3n]));
    const registered = await eventOf(tx, p.models, "ModelRegistered");
    expect(plain(registered.args)).toEqual(plain([3n, stranger.address, true, metadataHash, "ipfs://card"]));
    const policy = await eventOf(tx, p.models, "ReleasePolicySet");
    expect(plain(policy.args)).toEqual(plain([3n, bit(Kind.ReleaseApproval), stranger.address]));
    expect(bit(Kind.ReleaseApproval)).toBe(64n);

    expect(await p.models.ownerOf(3n)).toBe(stranger.address);
    expect(await p.models.balanceOf(stranger.address)).toBe(1n);
    expect(plain(await p.models.getModel(3n))).toEqual(plain([0, true]));
    expect(await p.models.releasePolicy(3n)).toBe(64n);
    expect(await p.models.isOwnerOrOperator(3n, stranger.address)).toBe(true);
    expect(await p.models.isOwnerOrOperator(3n, p.accounts.mlTeam.address)).toBe(false);
  });

  it("records whether the model is commercial and numbers models sequentially", async () => {
    expect(plain(await p.models.getModel(w.commercialModel))).toEqual(plain([0, true]));
    expect(plain(await p.models.getModel(w.researchModel))).toEqual(plain([0, false]));
    expect([w.commercialModel, w.researchModel]).toEqual([1n, 2n]);
    const next = await eventOf(p.models.connect(p.accounts.creator).registerModel(false, ZERO32, ""), p.models, "ModelRegistered");
    expect(plain(next.args)).toEqual(plain([3n, p.accounts.creator.address, false, ZERO32, ""]));
  });

  it("is an ERC-721 named Pedigree Model (PDGM)", async () => {
    expect(await p.models.name()).toBe("Pedigree Model");
    expect(await p.models.symbol()).toBe("PDGM");
  });

  it("refuses views of unknown models", async () => {
    await expectRevert(p.models.getModel(99n), p.models, "UnknownModel", [99n]);
    await expectRevert(p.models.getModel(0n), p.models, "UnknownModel", [0n]);
    expect(await p.models.isOwnerOrOperator(99n, p.accounts.mlTeam.address)).toBe(false);
    expect(await p.models.releasePolicy(99n)).toBe(0n);
  });
});

// ------------------------------------------------------------------ publication

describe("publishVersion", () => {
  it("publishes a version with its training run over licensed dataset versions", async () => {
    const { mlTeam } = p.accounts;
    const version = modelVersion(0n, "ipfs://weights-v1");
    const run = trainingRun([
      [w.dvA1, w.licA],
      [w.dvB, w.licB],
    ]);
    const versionId = await p.models.connect(mlTeam).publishVersion.staticCall(w.commercialModel, version, run);
    expect(versionId).toBe(1n);
    const tx = p.models.connect(mlTeam).publishVersion(w.commercialModel, version, run);

    const published = await eventOf(tx, p.models, "ModelVersionPublished");
    expect(plain(published.args)).toEqual(
      plain([1n, w.commercialModel, 1, version.weightsHash, version.manifestRoot, version.configHash, 0n, "ipfs://weights-v1", mlTeam.address]),
    );
    const recorded = await eventOf(tx, p.models, "TrainingRunRecorded");
    expect(plain(recorded.args)).toEqual(
      plain([1n, w.commercialModel, [w.dvA1, w.dvB], [w.licA, w.licB], run.codeHash, run.hyperparametersHash, run.startedAt, run.endedAt, run.region, run.computeProvider, true, true]),
    );

    expect(await p.models.versionByWeights(mlTeam.address, version.weightsHash)).toBe(1n);
    expect(await p.models.versionByWeights(mlTeam.address, hash32("never-published"))).toBe(0n);
    expect(await p.models.versionByWeights(p.accounts.stranger.address, version.weightsHash)).toBe(0n);
    // [modelId, number, approved, dataDeclared, commercialData, parentVersionId, territoriesFrom]
    expect(plain(await p.models.getVersion(1n))).toEqual(plain([w.commercialModel, 1, false, true, true, 0n, 0n]));
    expect(plain(await p.models.getModel(w.commercialModel))).toEqual(plain([1, true]));
    expect(await p.models.approvalAttestations(1n)).toEqual([]);
    expect(await p.models.isReleasable(1n)).toBe(false);
  });

  it("numbers versions within their model while version ids are global", async () => {
    const { mlTeam } = p.accounts;
    const first = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    const other = await publish(p, mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    const second = await publish(p, mlTeam, w.commercialModel, [[w.dvA2, w.licA]]);
    expect([first.versionId, other.versionId, second.versionId]).toEqual([1n, 2n, 3n]);
    expect(plain(await p.models.getVersion(first.versionId))).toEqual(plain([w.commercialModel, 1, false, true, true, 0n, 0n]));
    expect(plain(await p.models.getVersion(other.versionId))).toEqual(plain([w.researchModel, 1, false, true, true, 0n, 0n]));
    expect(plain(await p.models.getVersion(second.versionId))).toEqual(plain([w.commercialModel, 2, false, true, true, 0n, 0n]));
    expect((await p.models.getModel(w.commercialModel)).versionCount).toBe(2n);
    expect((await p.models.getModel(w.researchModel)).versionCount).toBe(1n);
    expect(await p.models.versionByWeights(mlTeam.address, second.version.weightsHash)).toBe(3n);
  });

  it("uses any version of a dataset the licence covers (a licence is per dataset, not per version)", async () => {
    const later = await publishDatasetVersion(p, p.accounts.creator, w.dsA);
    const { versionId } = await publish(p, p.accounts.mlTeam, w.commercialModel, [
      [w.dvA1, w.licA],
      [w.dvA2, w.licA],
      [later, w.licA],
    ]);
    expect(versionId).toBe(1n);
  });

  it("accepts a version with no training data at all, marked as undeclared data", async () => {
    const recorded = await eventOf(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(), trainingRun([])),
      p.models,
      "TrainingRunRecorded",
    );
    expect(plain([recorded.args.datasetVersionIds, recorded.args.licenceIds])).toEqual([[], []]);
    expect([recorded.args.dataDeclared, recorded.args.commercialData]).toEqual([false, true]);
    expect((await p.models.getModel(w.commercialModel)).versionCount).toBe(1n);
    expect((await p.models.getVersion(recorded.args.versionId)).dataDeclared).toBe(false);
  });

  it("accepts a training window that starts and ends at the same time", async () => {
    const run = { ...trainingRun([[w.dvA1, w.licA]]), startedAt: 1_700_000_000n, endedAt: 1_700_000_000n };
    const recorded = await eventOf(p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(), run), p.models, "TrainingRunRecorded");
    expect(recorded.args.startedAt).toBe(1_700_000_000n);
    expect(recorded.args.endedAt).toBe(1_700_000_000n);
  });

  it("records a fine-tune: a new model whose version names the base model's version as parent", async () => {
    const { mlTeam } = p.accounts;
    const base = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    const fineTuneModel = await registerModel(p, mlTeam, true);
    const version = modelVersion(base.versionId);
    const run = trainingRun([[w.dvB, w.licB]]);
    const published = await eventOf(p.models.connect(mlTeam).publishVersion(fineTuneModel, version, run), p.models, "ModelVersionPublished");
    expect(plain(published.args)).toEqual(
      plain([2n, fineTuneModel, 1, version.weightsHash, version.manifestRoot, version.configHash, base.versionId, version.uri, mlTeam.address]),
    );
    expect(plain(await p.models.getVersion(2n))).toEqual(plain([fineTuneModel, 1, false, true, true, base.versionId, 0n]));
    // the base model is untouched
    expect((await p.models.getModel(w.commercialModel)).versionCount).toBe(1n);
  });

  it("lineage laundering: refuses another owner's version as parent unless its model granted derivation", async () => {
    const { mlTeam, stranger: mallory } = p.accounts;
    const base = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    const malloryModel = await registerModel(p, mallory, true);
    // Mallory declares mlTeam's version as her parent, with no training data of her own: refused.
    await expectRevert(
      p.models.connect(mallory).publishVersion(malloryModel, modelVersion(base.versionId), trainingRun([])),
      p.models,
      "ParentNotDerivable",
      [base.versionId, mallory.address],
    );
    expect(await p.models.derivationAllowed(w.commercialModel, mallory.address)).toBe(false);
    expect((await p.models.getModel(malloryModel)).versionCount).toBe(0n);

    // Only the parent model's owner grants derivation, to one account or to anyone (address 0).
    await expectRevert(p.models.connect(mallory).grantDerivation(w.commercialModel, mallory.address, true), p.models, "NotModelOwner", [
      w.commercialModel,
      mallory.address,
    ]);
    const granted = await eventOf(p.models.connect(mlTeam).grantDerivation(w.commercialModel, mallory.address, true), p.models, "DerivationGranted");
    expect(plain(granted.args)).toEqual(plain([w.commercialModel, mallory.address, true, mlTeam.address]));
    const licence = await buyLicence(p, w.dsB, mallory);
    const child = await publish(p, mallory, malloryModel, [[w.dvB, licence]], base.versionId);
    expect(plain(await p.models.getVersion(child.versionId))).toEqual(plain([malloryModel, 1, false, true, true, base.versionId, 0n]));

    await p.models.connect(mlTeam).grantDerivation(w.commercialModel, mallory.address, false);
    await expectRevert(
      p.models.connect(mallory).publishVersion(malloryModel, modelVersion(base.versionId), trainingRun([[w.dvB, licence]])),
      p.models,
      "ParentNotDerivable",
      [base.versionId, mallory.address],
    );
    await p.models.connect(mlTeam).grantDerivation(w.commercialModel, ZERO_ADDRESS, true);
    expect(await p.models.derivationAllowed(w.commercialModel, mallory.address)).toBe(true);
    await publish(p, mallory, malloryModel, [[w.dvB, licence]], base.versionId);
  });

  it("carries data terms down the lineage: a commercial fine-tune of a non-commercially trained parent is refused", async () => {
    const { mlTeam } = p.accounts;
    const research = await publish(p, mlTeam, w.researchModel, [[w.dvNonCommercial, w.licNonCommercial]]);
    expect(plain(await p.models.getVersion(research.versionId))).toEqual(plain([w.researchModel, 1, false, true, false, 0n, 0n]));
    await expectRevert(
      p.models.connect(mlTeam).publishVersion(w.commercialModel, modelVersion(research.versionId), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "ParentDataNotCommercial",
      [research.versionId],
    );
    // A research fine-tune inherits the restriction; undeclared data also carries down.
    const child = await publish(p, mlTeam, w.researchModel, [[w.dvA1, w.licA]], research.versionId);
    expect(plain(await p.models.getVersion(child.versionId))).toEqual(plain([w.researchModel, 2, false, true, false, research.versionId, 0n]));
    const undeclared = await publish(p, mlTeam, w.commercialModel, []);
    const grandchild = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]], undeclared.versionId);
    expect(plain(await p.models.getVersion(grandchild.versionId))).toEqual(plain([w.commercialModel, 2, false, false, true, undeclared.versionId, 0n]));
  });

  it("squatting: weights first registered by someone else do not lock their owner out", async () => {
    const { mlTeam, stranger: mallory } = p.accounts;
    const weights = modelVersion();
    const malloryModel = await registerModel(p, mallory, false);
    await eventOf(p.models.connect(mallory).publishVersion(malloryModel, weights, trainingRun([])), p.models, "ModelVersionPublished");
    const own = await eventOf(
      p.models.connect(mlTeam).publishVersion(w.commercialModel, { ...modelVersion(), weightsHash: weights.weightsHash }, trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "ModelVersionPublished",
    );
    expect(await p.models.versionByWeights(mlTeam.address, weights.weightsHash)).toBe(own.args.versionId);
    expect(await p.models.versionByWeights(mallory.address, weights.weightsHash)).toBe(1n);

    // Commit–reveal works the same way as for dataset fingerprints.
    const salt = hash32("salt");
    const next = modelVersion();
    const commitment = await p.models.claimCommitment(mlTeam.address, next.weightsHash, salt);
    await p.models.connect(mlTeam).commitClaim(commitment);
    const published = await eventOf(
      p.models.connect(mlTeam).publishVersion(w.commercialModel, next, trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "ModelVersionPublished",
    );
    const proven = await eventOf(p.models.proveClaimPriority(mlTeam.address, next.weightsHash, salt), p.models, "ClaimPriorityProven");
    expect(plain(proven.args)).toEqual(plain([published.args.versionId, mlTeam.address, next.weightsHash, await p.models.commitmentTime(commitment)]));
  });

  it("refuses an unknown parent version", async () => {
    await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(2n), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "UnknownModelVersion",
      [2n],
    );
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(999n), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "UnknownModelVersion",
      [999n],
    );
    expect((await p.models.getModel(w.commercialModel)).versionCount).toBe(1n);
  });

  it("refuses a zero weights hash", async () => {
    await expectRevert(
      p.models
        .connect(p.accounts.mlTeam)
        .publishVersion(w.commercialModel, { ...modelVersion(), weightsHash: ZERO32 }, trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "ZeroWeightsHash",
      [],
    );
    expect(await p.models.versionByWeights(p.accounts.mlTeam.address, ZERO32)).toBe(0n);
  });

  it("refuses weights its owner already claimed, in the same or another of its models", async () => {
    const { mlTeam } = p.accounts;
    const first = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    const again = { ...modelVersion(), weightsHash: first.version.weightsHash };
    await expectRevert(
      p.models.connect(mlTeam).publishVersion(w.commercialModel, again, trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "AlreadyClaimed",
      [mlTeam.address, first.version.weightsHash, first.versionId],
    );
    await expectRevert(
      p.models.connect(mlTeam).publishVersion(w.researchModel, again, trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "AlreadyClaimed",
      [mlTeam.address, first.version.weightsHash, first.versionId],
    );
  });

  it("refuses dataset and licence lists of different lengths", async () => {
    const run = { ...trainingRun([[w.dvA1, w.licA]]), datasetVersionIds: [w.dvA1, w.dvB] };
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(), run),
      p.models,
      "TrainingDataLengthMismatch",
      [2n, 1n],
    );
    const fewer = { ...trainingRun([[w.dvA1, w.licA]]), datasetVersionIds: [] };
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(), fewer),
      p.models,
      "TrainingDataLengthMismatch",
      [0n, 1n],
    );
  });

  it("refuses a training run that ends before it starts", async () => {
    const run = { ...trainingRun([[w.dvA1, w.licA]]), startedAt: 1_700_000_100n, endedAt: 1_700_000_099n };
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.commercialModel, modelVersion(), run),
      p.models,
      "InvalidTrainingWindow",
      [1_700_000_100n, 1_700_000_099n],
    );
  });

  it("refuses callers who neither own nor operate the model", async () => {
    const { stranger } = p.accounts;
    await expectRevert(
      p.models.connect(stranger).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "NotModelOwner",
      [w.commercialModel, stranger.address],
    );
  });

  it("refuses unknown models", async () => {
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(99n, modelVersion(), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "UnknownModel",
      [99n],
    );
  });
});

// ------------------------------------------------------------------ training data checks

describe("training data must be licensed", () => {
  const refuse = async (modelId: bigint, uses: [bigint, bigint][], datasetVersionId: bigint, licenceId: bigint, status: number, signer?: HardhatEthersSigner) =>
    expectRevert(
      p.models.connect(signer ?? p.accounts.mlTeam).publishVersion(modelId, modelVersion(), trainingRun(uses)),
      p.models,
      "DatasetVersionNotUsable",
      [datasetVersionId, licenceId, status],
    );

  it("UnknownDatasetVersion (1): a dataset version that does not exist", async () => {
    await refuse(w.commercialModel, [[999n, w.licA]], 999n, w.licA, Status.UnknownDatasetVersion);
    await refuse(w.commercialModel, [[0n, w.licA]], 0n, w.licA, Status.UnknownDatasetVersion);
  });

  it("a withdrawn dataset stays usable under licences sold before; LicenceRefunded (2) once the owner refunds", async () => {
    const { creator, mlTeam } = p.accounts;
    await p.datasets.connect(creator).withdrawDataset(w.dsA, "no longer offered");
    await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    await p.datasets.connect(creator).revokeConsent(w.dsA, "consent revoked");
    const before = await publish(p, mlTeam, w.commercialModel, [[w.dvA2, w.licA]]);
    await p.datasets.connect(creator).refundLicence(w.licA, { value: 10n ** 18n });
    await refuse(w.commercialModel, [[w.dvA1, w.licA]], w.dvA1, w.licA, Status.LicenceRefunded);
    await refuse(w.commercialModel, [[w.dvA2, w.licA]], w.dvA2, w.licA, Status.LicenceRefunded);
    expect(plain(await p.models.getVersion(before.versionId))).toEqual(plain([w.commercialModel, 2, false, true, true, 0n, 0n]));
    // other datasets are unaffected
    await publish(p, mlTeam, w.commercialModel, [[w.dvB, w.licB]]);
  });

  it("UnknownLicence (3): a licence that was never granted", async () => {
    await refuse(w.commercialModel, [[w.dvA1, 999n]], w.dvA1, 999n, Status.UnknownLicence);
    await refuse(w.commercialModel, [[w.dvA1, 0n]], w.dvA1, 0n, Status.UnknownLicence);
  });

  it("WrongDataset (4): a licence of another dataset", async () => {
    await refuse(w.commercialModel, [[w.dvA1, w.licB]], w.dvA1, w.licB, Status.WrongDataset);
    await refuse(w.commercialModel, [[w.dvB, w.licA]], w.dvB, w.licA, Status.WrongDataset);
  });

  it("WrongLicensee (5): a licence held by someone other than the model owner", async () => {
    const strangersLicence = await buyLicence(p, w.dsA, p.accounts.stranger);
    await refuse(w.commercialModel, [[w.dvA1, strangersLicence]], w.dvA1, strangersLicence, Status.WrongLicensee);
  });

  it("Expired (6): the licence's duration has passed (valid until the second before expiry)", async () => {
    const { expiresAt } = await p.datasets.getLicence(w.licShort);
    const helpers = p.connection.networkHelpers;
    await helpers.time.setNextBlockTimestamp(expiresAt - 1n);
    await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvShort, w.licShort]]);
    await helpers.time.setNextBlockTimestamp(expiresAt);
    await refuse(w.commercialModel, [[w.dvShort, w.licShort]], w.dvShort, w.licShort, Status.Expired);
    await helpers.time.increase(30 * DAY);
    await refuse(w.commercialModel, [[w.dvShort, w.licShort]], w.dvShort, w.licShort, Status.Expired);
    // a fresh licence makes the data usable again
    const renewed = await buyLicence(p, w.dsShort, p.accounts.mlTeam);
    await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvShort, renewed]]);
  });

  it("DerivativesForbidden (7): terms that do not allow derivatives, for commercial and research models", async () => {
    await refuse(w.commercialModel, [[w.dvNoDerivatives, w.licNoDerivatives]], w.dvNoDerivatives, w.licNoDerivatives, Status.DerivativesForbidden);
    await refuse(w.researchModel, [[w.dvNoDerivatives, w.licNoDerivatives]], w.dvNoDerivatives, w.licNoDerivatives, Status.DerivativesForbidden);
  });

  it("CommercialUseForbidden (8): a commercial model on non-commercial terms; a research model is fine", async () => {
    await refuse(w.commercialModel, [[w.dvNonCommercial, w.licNonCommercial]], w.dvNonCommercial, w.licNonCommercial, Status.CommercialUseForbidden);
    const { versionId } = await publish(p, p.accounts.mlTeam, w.researchModel, [[w.dvNonCommercial, w.licNonCommercial]]);
    expect(plain(await p.models.getVersion(versionId))).toEqual(plain([w.researchModel, 1, false, true, false, 0n, 0n]));
  });

  it("reports the first unusable pair, after valid ones", async () => {
    await refuse(
      w.commercialModel,
      [
        [w.dvA1, w.licA],
        [w.dvB, w.licB],
        [w.dvNoDerivatives, w.licNoDerivatives],
        [w.dvNonCommercial, w.licNonCommercial],
      ],
      w.dvNoDerivatives,
      w.licNoDerivatives,
      Status.DerivativesForbidden,
    );
    expect((await p.models.getModel(w.commercialModel)).versionCount).toBe(0n);
  });

  it("agrees with DatasetRegistry.licenceStatus for the model owner", async () => {
    const { mlTeam } = p.accounts;
    expect(await p.datasets.licenceStatus(w.licA, w.dvA1, mlTeam.address, true)).toBe(BigInt(Status.Valid));
    expect(await p.datasets.licenceStatus(w.licNonCommercial, w.dvNonCommercial, mlTeam.address, true)).toBe(BigInt(Status.CommercialUseForbidden));
    expect(await p.datasets.licenceStatus(w.licNonCommercial, w.dvNonCommercial, mlTeam.address, false)).toBe(BigInt(Status.Valid));
  });

  it("accepts a licence bought for the model owner by a third party", async () => {
    const { mlTeam, creator2 } = p.accounts;
    const { currentTermsId } = await p.datasets.getDataset(w.dsB);
    const acquired = await eventOf(
      p.royalties.connect(creator2).acquireLicence(w.dsB, mlTeam.address, currentTermsId, { value: 10n ** 18n }),
      p.datasets,
      "LicenceAcquired",
    );
    expect(acquired.args.licensee).toBe(mlTeam.address);
    expect(acquired.args.payer).toBe(creator2.address);
    const gift = acquired.args.licenceId as bigint;
    const recorded = await eventOf(
      p.models.connect(mlTeam).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvB, gift]])),
      p.models,
      "TrainingRunRecorded",
    );
    expect(plain(recorded.args.licenceIds)).toEqual([gift]);
  });
});

// ------------------------------------------------------------------ ERC-721 operators and transfers

describe("ownership", () => {
  it("an operator (setApprovalForAll) publishes with the owner's licences, not its own", async () => {
    const { mlTeam, relayer } = p.accounts;
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    expect(await p.models.isOwnerOrOperator(w.commercialModel, relayer.address)).toBe(true);

    const published = await eventOf(
      p.models.connect(relayer).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "ModelVersionPublished",
    );
    expect(published.args.publisher).toBe(relayer.address);
    expect(await p.models.ownerOf(w.commercialModel)).toBe(mlTeam.address);

    const relayersLicence = await buyLicence(p, w.dsB, relayer);
    await expectRevert(
      p.models.connect(relayer).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvB, relayersLicence]])),
      p.models,
      "DatasetVersionNotUsable",
      [w.dvB, relayersLicence, Status.WrongLicensee],
    );

    // the operator may also set the policy and approve
    const policy = await eventOf(p.models.connect(relayer).setReleasePolicy(w.commercialModel, bit(1, 6)), p.models, "ReleasePolicySet");
    expect(plain(policy.args)).toEqual(plain([w.commercialModel, bit(1, 6), relayer.address]));

    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, false);
    expect(await p.models.isOwnerOrOperator(w.commercialModel, relayer.address)).toBe(false);
    await expectRevert(
      p.models.connect(relayer).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "NotModelOwner",
      [w.commercialModel, relayer.address],
    );
  });

  it("an account approved for one model (approve) manages nothing: it may only transfer the token", async () => {
    const { mlTeam, relayer } = p.accounts;
    await p.models.connect(mlTeam).approve(relayer.address, w.researchModel);
    expect(await p.models.isOwnerOrOperator(w.researchModel, relayer.address)).toBe(false);
    const notOwner = [w.researchModel, relayer.address];
    const asRelayer = p.models.connect(relayer);
    await expectRevert(asRelayer.publishVersion(w.researchModel, modelVersion(), trainingRun([[w.dvA1, w.licA]])), p.models, "NotModelOwner", notOwner);
    await expectRevert(asRelayer.setReleasePolicy(w.researchModel, bit(6)), p.models, "NotModelOwner", notOwner);
    await expectRevert(asRelayer.grantDerivation(w.researchModel, relayer.address, true), p.models, "NotModelOwner", notOwner);
    expect((await p.models.getModel(w.researchModel)).versionCount).toBe(0n);
  });

  it("after a transfer the new owner publishes with its own licences; the old owner and its operators are refused; history stays", async () => {
    const { mlTeam, creator2, relayer } = p.accounts;
    const v1 = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);

    const transfer = await eventOf(
      p.models.connect(mlTeam).transferFrom(mlTeam.address, creator2.address, w.commercialModel),
      p.models,
      "Transfer",
    );
    expect(plain(transfer.args)).toEqual(plain([mlTeam.address, creator2.address, w.commercialModel]));
    expect(await p.models.ownerOf(w.commercialModel)).toBe(creator2.address);

    // the old owner's licences no longer count: they are not held by the model owner
    await expectRevert(
      p.models.connect(creator2).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvA1, w.licA]])),
      p.models,
      "DatasetVersionNotUsable",
      [w.dvA1, w.licA, Status.WrongLicensee],
    );
    const ownLicence = await buyLicence(p, w.dsA, creator2);
    const v2 = await publish(p, creator2, w.commercialModel, [[w.dvA1, ownLicence]]);
    expect(plain(await p.models.getVersion(v2.versionId))).toEqual(plain([w.commercialModel, 2, false, true, true, 0n, 0n]));

    for (const former of [mlTeam, relayer]) {
      expect(await p.models.isOwnerOrOperator(w.commercialModel, former.address)).toBe(false);
      await expectRevert(
        p.models.connect(former).publishVersion(w.commercialModel, modelVersion(), trainingRun([[w.dvA1, ownLicence]])),
        p.models,
        "NotModelOwner",
        [w.commercialModel, former.address],
      );
      await expectRevert(p.models.connect(former).setReleasePolicy(w.commercialModel, bit(6)), p.models, "NotModelOwner", [w.commercialModel, former.address]);
    }

    // history stays
    expect(plain(await p.models.getVersion(v1.versionId))).toEqual(plain([w.commercialModel, 1, false, true, true, 0n, 0n]));
    expect(await p.models.versionByWeights(mlTeam.address, v1.version.weightsHash)).toBe(v1.versionId);
    expect(await p.models.versionByWeights(creator2.address, v2.version.weightsHash)).toBe(v2.versionId);
    expect(plain(await p.models.getModel(w.commercialModel))).toEqual(plain([2, true]));
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(64n);
  });
});

// ------------------------------------------------------------------ subjects

describe("subjectExists", () => {
  it("answers for model versions and training runs only", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    expect(await p.models.subjectExists(Subject.ModelVersion, versionId)).toBe(true);
    expect(await p.models.subjectExists(Subject.TrainingRun, versionId)).toBe(true);
    expect(await p.models.subjectExists(Subject.ModelVersion, versionId + 1n)).toBe(false);
    expect(await p.models.subjectExists(Subject.TrainingRun, versionId + 1n)).toBe(false);
    expect(await p.models.subjectExists(Subject.ModelVersion, 0n)).toBe(false);
    for (const other of [Subject.None, Subject.DatasetVersion, Subject.Licence, Subject.Deployment]) {
      expect(await p.models.subjectExists(other, versionId)).toBe(false);
    }
  });

  it("lets attesters attest a training run by its version id", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    const attested = await eventOf(
      p.attestations.connect(p.accounts.auditor).attest(attestation(Subject.TrainingRun, versionId, Kind.LicenceCompliance)),
      p.attestations,
      "Attested",
    );
    expect(attested.args.subjectId).toBe(versionId);
    await expectRevert(
      p.attestations.connect(p.accounts.auditor).attest(attestation(Subject.TrainingRun, versionId + 1n, Kind.LicenceCompliance)),
      p.attestations,
      "UnknownSubject",
      [Subject.TrainingRun, versionId + 1n],
    );
  });

  it("refuses getVersion of an unknown version", async () => {
    await expectRevert(p.models.getVersion(1n), p.models, "UnknownModelVersion", [1n]);
    await expectRevert(p.models.getVersion(0n), p.models, "UnknownModelVersion", [0n]);
  });
});

// ------------------------------------------------------------------ release policy

describe("setReleasePolicy", () => {
  it("requires safety evaluation, bias check and release approval (bits 1, 2, 6)", async () => {
    const mask = bit(Kind.SafetyEvaluation, Kind.BiasCheck, Kind.ReleaseApproval);
    expect(mask).toBe(70n);
    const set = await eventOf(p.models.connect(p.accounts.mlTeam).setReleasePolicy(w.commercialModel, mask), p.models, "ReleasePolicySet");
    expect(plain(set.args)).toEqual(plain([w.commercialModel, 70n, p.accounts.mlTeam.address]));
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(70n);
    expect(await p.models.releasePolicy(w.researchModel)).toBe(64n);
  });

  it("accepts every built-in kind together", async () => {
    const all = bit(1, 2, 3, 4, 5, 6);
    await p.models.connect(p.accounts.mlTeam).setReleasePolicy(w.commercialModel, all);
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(all);
  });

  it("refuses a policy without release approval", async () => {
    const { mlTeam } = p.accounts;
    await expectRevert(p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, bit(1, 2)), p.models, "PolicyMissingReleaseApproval", [6n]);
    await expectRevert(p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, 0n), p.models, "PolicyMissingReleaseApproval", [0n]);
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(64n);
  });

  it("refuses a policy requiring an undefined kind, until the admin defines it", async () => {
    const { mlTeam, admin, auditor } = p.accounts;
    await expectRevert(p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, bit(6, 9)), p.models, "PolicyKindUndefined", [9]);
    await expectRevert(p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, bit(6, 255)), p.models, "PolicyKindUndefined", [255]);
    await expectRevert(p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, bit(1, 6, 8, 9)), p.models, "PolicyKindUndefined", [8]);
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(64n);

    await p.attestations.connect(admin).defineKind(9, await p.attestations.AUDITOR_ROLE(), "provenance-audit");
    await p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, bit(6, 9));
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(bit(6, 9));

    // and the gate then needs that kind
    const { versionId } = await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]]);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await expectRevert(p.models.connect(mlTeam).approveVersion(versionId, [approval]), p.models, "RequiredAttestationsMissing", [Subject.ModelVersion, versionId, bit(9)]);
    const audit = await eventOf(p.attestations.connect(auditor).attest(attestation(Subject.ModelVersion, versionId, 9)), p.attestations, "Attested");
    await p.models.connect(mlTeam).approveVersion(versionId, [approval, audit.args.id as bigint]);
    expect(await p.models.isReleasable(versionId)).toBe(true);
  });

  it("refuses strangers and unknown models", async () => {
    const { stranger, mlTeam } = p.accounts;
    await expectRevert(p.models.connect(stranger).setReleasePolicy(w.commercialModel, 70n), p.models, "NotModelOwner", [w.commercialModel, stranger.address]);
    await expectRevert(p.models.connect(mlTeam).setReleasePolicy(99n, 70n), p.models, "UnknownModel", [99n]);
    expect(await p.models.releasePolicy(w.commercialModel)).toBe(64n);
  });
});

// ------------------------------------------------------------------ release gate

describe("approveVersion", () => {
  const POLICY = bit(Kind.SafetyEvaluation, Kind.BiasCheck, Kind.ReleaseApproval);

  async function gatedVersion() {
    await p.models.connect(p.accounts.mlTeam).setReleasePolicy(w.commercialModel, POLICY);
    return (await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvA1, w.licA]])).versionId;
  }

  it("with only the release approval, reports the kinds still missing", async () => {
    const versionId = await gatedVersion();
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [approval]), p.models, "RequiredAttestationsMissing", [Subject.ModelVersion, versionId, bit(1, 2)]);
    const safety = await attest(p, versionId, Kind.SafetyEvaluation);
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [approval, safety]), p.models, "RequiredAttestationsMissing", [Subject.ModelVersion, versionId, bit(2)]);
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(versionId, []), p.models, "RequiredAttestationsMissing", [Subject.ModelVersion, versionId, POLICY]);
    expect((await p.models.getVersion(versionId)).approved).toBe(false);
  });

  it("with every required kind, approves the version and records the attestations", async () => {
    const versionId = await gatedVersion();
    const safety = await attest(p, versionId, Kind.SafetyEvaluation);
    const bias = await attest(p, versionId, Kind.BiasCheck);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    expect(await p.models.isReleasable(versionId)).toBe(false);

    const approved = await eventOf(
      p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [safety, bias, approval]),
      p.models,
      "VersionApproved",
    );
    expect(plain(approved.args)).toEqual(plain([versionId, w.commercialModel, [safety, bias, approval], p.accounts.mlTeam.address]));
    expect(plain(await p.models.getVersion(versionId))).toEqual(plain([w.commercialModel, 1, true, true, true, 0n, 0n]));
    expect(plain(await p.models.approvalAttestations(versionId))).toEqual(plain([safety, bias, approval]));
    expect(await p.models.isReleasable(versionId)).toBe(true);
  });

  it("under the default policy, the release approval alone suffices; extra kinds are accepted and recorded", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(versionId, []), p.models, "RequiredAttestationsMissing", [Subject.ModelVersion, versionId, 64n]);
    const redTeam = await attest(p, versionId, Kind.RedTeamReport);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [redTeam, approval]);
    expect(plain(await p.models.approvalAttestations(versionId))).toEqual(plain([redTeam, approval]));
    expect(await p.models.isReleasable(versionId)).toBe(true);
  });

  it("an operator may approve; approvedBy is the operator", async () => {
    const { mlTeam, relayer } = p.accounts;
    const { versionId } = await publish(p, mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    const approved = await eventOf(p.models.connect(relayer).approveVersion(versionId, [approval]), p.models, "VersionApproved");
    expect(approved.args.approvedBy).toBe(relayer.address);
  });

  it("refuses an attestation about another version, or about the training run of this one", async () => {
    const versionId = await gatedVersion();
    const other = (await publish(p, p.accounts.mlTeam, w.commercialModel, [[w.dvB, w.licB]])).versionId;
    const safety = await attest(p, versionId, Kind.SafetyEvaluation);
    const bias = await attest(p, versionId, Kind.BiasCheck);
    const approvalOfOther = await attest(p, other, Kind.ReleaseApproval);
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [safety, bias, approvalOfOther]),
      p.models,
      "AttestationNotForSubject",
      [approvalOfOther, Subject.ModelVersion, versionId],
    );
    const aboutRun = await attest(p, versionId, Kind.LicenceCompliance, {}, Subject.TrainingRun);
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [aboutRun, safety]),
      p.models,
      "AttestationNotForSubject",
      [aboutRun, Subject.ModelVersion, versionId],
    );
    expect((await p.models.getVersion(versionId)).approved).toBe(false);
  });

  it("refuses an unknown attestation id (reverted by the attestation registry)", async () => {
    const versionId = await gatedVersion();
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [42n]), p.attestations, "UnknownAttestation", [42n]);
  });

  it("refuses a revoked attestation", async () => {
    const versionId = await gatedVersion();
    const safety = await attest(p, versionId, Kind.SafetyEvaluation);
    const bias = await attest(p, versionId, Kind.BiasCheck);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await p.attestations.connect(p.accounts.evaluator).revoke(bias, "dataset slice missing");
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [safety, bias, approval]),
      p.models,
      "AttestationNotValid",
      [bias],
    );
  });

  it("refuses an expired attestation", async () => {
    const versionId = await gatedVersion();
    const now = BigInt(await p.connection.networkHelpers.time.latest());
    const safety = await attest(p, versionId, Kind.SafetyEvaluation, { expiresAt: now + 100n });
    const bias = await attest(p, versionId, Kind.BiasCheck);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await p.connection.networkHelpers.time.increaseTo(now + 100n);
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [safety, bias, approval]),
      p.models,
      "AttestationNotValid",
      [safety],
    );
  });

  it("refuses approving twice", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [approval]);
    const another = await attest(p, versionId, Kind.ReleaseApproval);
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [another]), p.models, "AlreadyApproved", [versionId]);
    expect(plain(await p.models.approvalAttestations(versionId))).toEqual(plain([approval]));
  });

  it("refuses strangers and unknown versions", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    const { stranger, approver } = p.accounts;
    await expectRevert(p.models.connect(stranger).approveVersion(versionId, [approval]), p.models, "NotModelOwner", [w.researchModel, stranger.address]);
    // holding the release-approver role does not make one the model's operator
    await expectRevert(p.models.connect(approver).approveVersion(versionId, [approval]), p.models, "NotModelOwner", [w.researchModel, approver.address]);
    await expectRevert(p.models.connect(p.accounts.mlTeam).approveVersion(99n, [approval]), p.models, "UnknownModelVersion", [99n]);
  });

  it("isReleasable turns false when an approving attestation is later revoked", async () => {
    const versionId = await gatedVersion();
    const ids = [
      await attest(p, versionId, Kind.SafetyEvaluation),
      await attest(p, versionId, Kind.BiasCheck),
      await attest(p, versionId, Kind.ReleaseApproval),
    ];
    await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, ids);
    expect(await p.models.isReleasable(versionId)).toBe(true);
    const revoked = await eventOf(p.attestations.connect(p.accounts.admin).revoke(ids[0], "benchmark contamination"), p.attestations, "AttestationRevoked");
    expect(revoked.args.id).toBe(ids[0]);
    expect(await p.models.isReleasable(versionId)).toBe(false);
    // the approval itself stays on record
    expect((await p.models.getVersion(versionId)).approved).toBe(true);
    expect(plain(await p.models.approvalAttestations(versionId))).toEqual(plain(ids));
  });

  it("isReleasable turns false when an approving attestation expires", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    const now = BigInt(await p.connection.networkHelpers.time.latest());
    const approval = await attest(p, versionId, Kind.ReleaseApproval, { expiresAt: now + 1000n });
    await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [approval]);
    expect(await p.models.isReleasable(versionId)).toBe(true);
    await p.connection.networkHelpers.time.increaseTo(now + 1000n);
    expect(await p.models.isReleasable(versionId)).toBe(false);
  });

  it("a later policy change applies to later approvals only", async () => {
    const { mlTeam } = p.accounts;
    const v1 = (await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]])).versionId;
    const v2 = (await publish(p, mlTeam, w.commercialModel, [[w.dvA2, w.licA]])).versionId;
    await p.models.connect(mlTeam).approveVersion(v1, [await attest(p, v1, Kind.ReleaseApproval)]);
    await p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, POLICY);
    expect(await p.models.isReleasable(v1)).toBe(true);
    await expectRevert(
      p.models.connect(mlTeam).approveVersion(v2, [await attest(p, v2, Kind.ReleaseApproval)]),
      p.models,
      "RequiredAttestationsMissing",
      [Subject.ModelVersion, v2, bit(1, 2)],
    );
  });

  it("REQUIRE_DECLARED_DATA (bit 0) refuses versions whose lineage has undeclared training data", async () => {
    const { mlTeam } = p.accounts;
    const flag = await p.models.REQUIRE_DECLARED_DATA();
    expect(flag).toBe(1n);
    await p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, flag | bit(Kind.ReleaseApproval));
    const undeclared = (await publish(p, mlTeam, w.commercialModel, [])).versionId;
    const fineTune = (await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]], undeclared)).versionId;
    const declared = (await publish(p, mlTeam, w.commercialModel, [[w.dvA1, w.licA]])).versionId;
    for (const versionId of [undeclared, fineTune]) {
      const approval = await attest(p, versionId, Kind.ReleaseApproval);
      await expectRevert(p.models.connect(mlTeam).approveVersion(versionId, [approval]), p.models, "UndeclaredTrainingData", [versionId]);
    }
    await p.models.connect(mlTeam).approveVersion(declared, [await attest(p, declared, Kind.ReleaseApproval)]);
    expect(await p.models.isReleasable(declared)).toBe(true);
    // Without the flag, the undeclared version passes (and stays marked as such).
    await p.models.connect(mlTeam).setReleasePolicy(w.commercialModel, bit(Kind.ReleaseApproval));
    await p.models.connect(mlTeam).approveVersion(undeclared, [await attest(p, undeclared, Kind.ReleaseApproval)]);
    expect((await p.models.getVersion(undeclared)).dataDeclared).toBe(false);
  });

  it("emits nothing else than VersionApproved", async () => {
    const { versionId } = await publish(p, p.accounts.mlTeam, w.researchModel, [[w.dvA1, w.licA]]);
    const approval = await attest(p, versionId, Kind.ReleaseApproval);
    const tx = p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [approval]);
    expect(await eventsOf(tx, p.models, "VersionApproved")).toHaveLength(1);
    const receipt = await (await tx).wait();
    expect(receipt!.logs).toHaveLength(1);
  });
});
