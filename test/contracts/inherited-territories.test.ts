/**
 * Territories passed down dataset derivations: a dataset version derived from parents inherits the territories of
 * every licence a parent was used under and every parent's own inherited territories, so that derived data cannot
 * shed a restriction by being sold under worldwide terms. Training runs and deployments of models trained on it are
 * held to them (ModelRegistry reads them through DatasetRegistry.trainingUse), and each refusal names the licence on
 * the derived version with its effective territory. Worldwide lineages store nothing more.
 *
 * The laundering scenario: the creator sells clinical notes A for training in the EEA and deployment in the EU;
 * creator2 derives B from A under that licence and sells B worldwide; mlTeam trains on B.
 *
 * One chain is deployed for the whole file; every test starts from a snapshot of the shared setup below.
 */
import { describe, expect, it } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { WORLDWIDE, regionIndex, regionSet } from "../../src/core/regions.ts";
import { attestation, datasetVersion, deployProtocol, hash32, Kind, modelVersion, Subject, terms, restoreBeforeEach, trainingRun, type Protocol } from "../helpers/protocol.ts";
import { eventOf, expectRevert, storageWrites } from "../helpers/assertions.ts";

const ZERO32 = "0x" + "00".repeat(32);
/** One region's index, as runs carry it. */
const at = (code: string) => BigInt(regionIndex(code, "region"));
/** A region set, as territories and deployments carry it. */
const set = (regions: string) => regionSet(regions, "regions");
const EEA = set("EEA");
const EU = set("EU");
const DACH = set("DE,AT,CH");
/** IDatasetRegistry.LicenceStatus.WrongLicensee */
const WRONG_LICENSEE = 5n;

interface Data {
  datasetId: bigint;
  version: bigint;
}

interface World {
  p: Protocol;
  /** The creator's clinical notes: EEA training, EU deployment. mlTeam and creator2 each hold a licence. */
  notes: Data & { creator2Licence: bigint };
  /** creator2's worldwide-terms dataset derived from the notes under creator2's licence; mlTeam holds a licence. */
  derived: Data & { licence: bigint };
  /** mlTeam's commercial model. */
  model: bigint;
}

let w: World;
let p: Protocol;

/** `owner` registers a dataset with terms (worldwide unless given), derived from `parents` under `licences`. */
async function registerWithTerms(owner: HardhatEthersSigner, territories: [bigint, bigint] = [WORLDWIDE, WORLDWIDE], parents: bigint[] = [], licences: bigint[] = []) {
  const input = terms([{ recipient: owner.address, bps: 10_000 }], { trainingTerritories: territories[0], deploymentTerritories: territories[1] });
  const published = await eventOf(
    p.datasets.connect(owner).registerDatasetWithTerms(datasetVersion(), parents, licences, ZERO32, input),
    p.datasets,
    "DatasetVersionPublished",
  );
  return { datasetId: published.args.datasetId as bigint, version: published.args.versionId as bigint, event: published };
}

async function buyLicence(datasetId: bigint, licensee: HardhatEthersSigner) {
  const { currentTermsId } = await p.datasets.getDataset(datasetId);
  const acquired = await eventOf(
    p.royalties.connect(licensee).acquireLicence(datasetId, licensee.address, currentTermsId, { value: 10n ** 18n }),
    p.datasets,
    "LicenceAcquired",
  );
  return acquired.args.licenceId as bigint;
}

async function setup(): Promise<World> {
  p = await deployProtocol();
  const { creator, creator2, mlTeam } = p.accounts;
  const notes = await registerWithTerms(creator, [EEA, EU]);
  const creator2Licence = await buyLicence(notes.datasetId, creator2);
  const derived = await registerWithTerms(creator2, [WORLDWIDE, WORLDWIDE], [notes.version], [creator2Licence]);
  const licence = await buyLicence(derived.datasetId, mlTeam);
  const registered = await eventOf(p.models.connect(mlTeam).registerModel(true, hash32("card"), "ipfs://card"), p.models, "ModelRegistered");
  return {
    p,
    notes: { datasetId: notes.datasetId, version: notes.version, creator2Licence },
    derived: { datasetId: derived.datasetId, version: derived.version, licence },
    model: registered.args.modelId as bigint,
  };
}

restoreBeforeEach(async () => {
  w = await setup();
  return p;
});

/** mlTeam publishes a version of its model trained in `region` on (dataset version, licence) `uses`. */
function trainTx(region: string, uses: [bigint, bigint][], parent = 0n) {
  return p.models.connect(p.accounts.mlTeam).publishVersion(w.model, modelVersion(parent), trainingRun(uses, at(region)));
}

async function train(region: string, uses: [bigint, bigint][], parent = 0n) {
  return (await eventOf(trainTx(region, uses, parent), p.models, "ModelVersionPublished")).args.versionId as bigint;
}

/** What a refused publication must leave as it was. */
async function publicationState() {
  const published = await p.models.queryFilter(p.models.filters.ModelVersionPublished());
  return { versionCount: (await p.models.getModel(w.model)).versionCount, published: published.length };
}

async function approve(versionId: bigint) {
  const attested = await eventOf(
    p.attestations.connect(p.accounts.approver).attest(attestation(Subject.ModelVersion, versionId, Kind.ReleaseApproval)),
    p.attestations,
    "Attested",
  );
  await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [attested.args.id as bigint]);
}

// ------------------------------------------------------------------ the dataset registry

describe("a derived dataset version inherits its parents' licence territories", () => {
  it("emits and answers the inherited territories, while its own terms stay worldwide", async () => {
    const [event] = await p.datasets.queryFilter(p.datasets.filters.DatasetVersionPublished(w.derived.version));
    expect([event!.args.inheritedTrainingTerritories, event!.args.inheritedDeploymentTerritories]).toEqual([EEA, EU]);
    expect([...(await p.datasets.inheritedTerritories(w.derived.version))]).toEqual([EEA, EU]);
    const { currentTermsId } = await p.datasets.getDataset(w.derived.datasetId);
    expect([...(await p.datasets.territoriesOf(currentTermsId))]).toEqual([WORLDWIDE, WORLDWIDE]);
    // The licence on the derived version is held to the inherited territories on top of its worldwide terms.
    expect([...(await p.datasets.licenceTerritories(w.derived.licence, w.derived.version))]).toEqual([EEA, EU]);
    const use = await p.datasets.trainingUse(w.derived.licence, w.derived.version, p.accounts.mlTeam.address, true);
    expect([...use]).toEqual([0n, WORLDWIDE & ~EEA, WORLDWIDE & ~EU]);
    // Data nothing restricts inherits every region; an unknown version, none.
    expect([...(await p.datasets.inheritedTerritories(w.notes.version))]).toEqual([WORLDWIDE, WORLDWIDE]);
    expect([...(await p.datasets.inheritedTerritories(99n))]).toEqual([0n, 0n]);
  });

  it("passes them down two levels, intersected with every other parent's licence", async () => {
    const { creator, stranger } = p.accounts;
    const dach = await registerWithTerms(creator, [DACH, DACH]);
    const strangerOnDerived = await buyLicence(w.derived.datasetId, stranger);
    const strangerOnDach = await buyLicence(dach.datasetId, stranger);
    const grandchild = await registerWithTerms(stranger, [WORLDWIDE, WORLDWIDE], [w.derived.version, dach.version], [strangerOnDerived, strangerOnDach]);
    expect([...(await p.datasets.inheritedTerritories(grandchild.version))]).toEqual([EEA & DACH, EU & DACH]);
    // A model trained on the grandchild is held to both: the licence on the grandchild is named.
    const mlLicence = await buyLicence(grandchild.datasetId, p.accounts.mlTeam);
    await expectRevert(trainTx("FR", [[grandchild.version, mlLicence]]), p.models, "TrainingOutsideTerritory", [mlLicence, at("FR"), EEA & DACH]);
    await expectRevert(trainTx("CH", [[grandchild.version, mlLicence]]), p.models, "TrainingOutsideTerritory", [mlLicence, at("CH"), EEA & DACH]);
    expect([...(await p.models.territoriesOf(await train("AT", [[grandchild.version, mlLicence]])))]).toEqual([EEA & DACH, EU & DACH]);
    // The parent keeps what it inherited: a child narrows only itself.
    expect([...(await p.datasets.inheritedTerritories(w.derived.version))]).toEqual([EEA, EU]);
  });

  it("passes them down the owner's own derivations: a new version of the derived data cannot drop them", async () => {
    const { creator, creator2 } = p.accounts;
    const next = await eventOf(
      p.datasets.connect(creator2).publishVersion(w.derived.datasetId, datasetVersion(), [w.derived.version], [0n], hash32("dedupe")),
      p.datasets,
      "DatasetVersionPublished",
    );
    const nextVersion = next.args.versionId as bigint;
    expect([next.args.inheritedTrainingTerritories, next.args.inheritedDeploymentTerritories]).toEqual([EEA, EU]);
    expect([...(await p.datasets.inheritedTerritories(nextVersion))]).toEqual([EEA, EU]);
    // mlTeam's licence of the dataset covers the new version, with the same effective territory.
    await expectRevert(trainTx("US", [[nextVersion, w.derived.licence]]), p.models, "TrainingOutsideTerritory", [w.derived.licence, at("US"), EEA]);
    // The owner's own terms bind licensees, not the owner: a derivation of its own restricted data inherits nothing.
    const own = await eventOf(
      p.datasets.connect(creator).publishVersion(w.notes.datasetId, datasetVersion(), [w.notes.version], [0n], ZERO32),
      p.datasets,
      "DatasetVersionPublished",
    );
    expect([...(await p.datasets.inheritedTerritories(own.args.versionId as bigint))]).toEqual([WORLDWIDE, WORLDWIDE]);
  });

  it("stores nothing more for a derivation of worldwide data, and two slots for a restricted one", async () => {
    const { creator, creator2 } = p.accounts;
    const world = await registerWithTerms(creator);
    const worldLicence = await buyLicence(world.datasetId, creator2);
    const plain = await p.datasets.connect(creator2).registerDataset(datasetVersion(), [], [], ZERO32);
    const ofWorldwide = await p.datasets.connect(creator2).registerDataset(datasetVersion(), [world.version], [worldLicence], ZERO32);
    const ofRestricted = await p.datasets
      .connect(creator2)
      .registerDataset(datasetVersion(), [w.notes.version], [w.notes.creator2Licence], ZERO32);
    const writes = [await storageWrites(p.ethers.provider, plain.hash), await storageWrites(p.ethers.provider, ofWorldwide.hash)];
    expect(writes[1]).toBe(writes[0]);
    // The excluded training regions and the excluded deployment regions.
    expect(await storageWrites(p.ethers.provider, ofRestricted.hash)).toBe(writes[0] + 2);
  });

  it("refuses the wrong account as before: no one derives from the data, or trains on it, under another's licence", async () => {
    const { stranger } = p.accounts;
    await expectRevert(
      p.datasets.connect(stranger).registerDataset(datasetVersion(), [w.notes.version], [w.notes.creator2Licence], ZERO32),
      p.datasets,
      "ParentNotUsable",
      [w.notes.version, w.notes.creator2Licence, WRONG_LICENSEE],
    );
    const theirs = await eventOf(p.models.connect(stranger).registerModel(true, hash32("card"), "ipfs://card"), p.models, "ModelRegistered");
    const run = trainingRun([[w.derived.version, w.derived.licence]], at("IE"));
    await expectRevert(
      p.models.connect(stranger).publishVersion(theirs.args.modelId as bigint, modelVersion(), run),
      p.models,
      "DatasetVersionNotUsable",
      [w.derived.version, w.derived.licence, WRONG_LICENSEE],
    );
    await expectRevert(
      p.models.connect(stranger).publishVersion(w.model, modelVersion(), run),
      p.models,
      "NotModelOwner",
      [w.model, stranger.address],
    );
  });
});

// ------------------------------------------------------------------ enforcement on models trained on derived data

describe("a model trained on derived data is held to the parent's territories", () => {
  it("refuses a run in the US on the worldwide-terms derived data, naming its licence and the effective EEA; nothing is written", async () => {
    const before = await publicationState();
    await expectRevert(trainTx("US", [[w.derived.version, w.derived.licence]]), p.models, "TrainingOutsideTerritory", [
      w.derived.licence,
      at("US"),
      EEA,
    ]);
    expect(await publicationState()).toEqual(before);
    const versionId = await train("IE", [[w.derived.version, w.derived.licence]]);
    expect([...(await p.models.territoriesOf(versionId))]).toEqual([EEA, EU]);
    expect((await p.models.getVersion(versionId)).territoriesFrom).toBe(versionId);
  });

  it("refuses a deployment outside the inherited deployment territory, naming the licence on the derived data", async () => {
    const versionId = await train("IE", [[w.derived.version, w.derived.licence]]);
    await approve(versionId);
    const team = p.releases.connect(p.accounts.mlTeam);
    for (const regions of [set("US"), set("EU,CH"), WORLDWIDE]) {
      await expectRevert(team.deploy(versionId, "production", regions), p.releases, "DeploymentOutsideTerritory", [w.derived.licence, regions, EU]);
    }
    expect(await p.releases.queryFilter(p.releases.filters.Deployed())).toHaveLength(0);
    const deployed = await eventOf(team.deploy(versionId, "production", set("DE,FR")), p.releases, "Deployed");
    expect(deployed.args.regions).toBe(set("DE,FR"));
  });

  it("binds a fine-tune of that model, naming the licence on the derived data from the lineage", async () => {
    const base = await train("IE", [[w.derived.version, w.derived.licence]]);
    const world = await registerWithTerms(p.accounts.creator);
    const worldLicence = await buyLicence(world.datasetId, p.accounts.mlTeam);
    await expectRevert(trainTx("US", [[world.version, worldLicence]], base), p.models, "TrainingOutsideTerritory", [w.derived.licence, at("US"), EEA]);
    const fineTune = await train("NO", [[world.version, worldLicence]], base);
    expect(await p.models.licenceExcluding(fineTune, 1n << at("US"), 0)).toEqual([w.derived.licence, EEA]);
    expect(await p.models.licenceExcluding(fineTune, set("CH"), 1)).toEqual([w.derived.licence, EU]);
  });

  it("names the first licence whose effective territory excludes the region, the derived data's before the rest", async () => {
    const dach = await registerWithTerms(p.accounts.creator, [DACH, DACH]);
    const dachLicence = await buyLicence(dach.datasetId, p.accounts.mlTeam);
    // France: the DACH terms leave it out; the derived data's effective EEA does not.
    await expectRevert(trainTx("FR", [[w.derived.version, w.derived.licence], [dach.version, dachLicence]]), p.models, "TrainingOutsideTerritory", [
      dachLicence,
      at("FR"),
      DACH,
    ]);
    // Switzerland: inside DACH, outside the derived data's effective EEA.
    await expectRevert(trainTx("CH", [[dach.version, dachLicence], [w.derived.version, w.derived.licence]]), p.models, "TrainingOutsideTerritory", [
      w.derived.licence,
      at("CH"),
      EEA,
    ]);
  });
});
