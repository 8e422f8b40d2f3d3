/**
 * Territories enforced on training runs (ModelRegistry.publishVersion) and deployments (ReleaseRegistry.deploy): the
 * run's region must lie in the training territory, and the regions a deployment serves in the deployment territory, of
 * every licence in the version's lineage — its own run's and, through fine-tune parents, every ancestor's. Each refusal
 * names the first licence that leaves a region out, with what that licence allows, and writes nothing.
 *
 * One chain is deployed for the whole file; every test starts from a snapshot of the shared setup below.
 */
import { describe, expect, it } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { WORLDWIDE, regionIndex, regionSet } from "../../src/core/regions.ts";
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
import { eventOf, expectRevert, storageWrites as countStorageWrites } from "../helpers/assertions.ts";

const ZERO32 = "0x" + "00".repeat(32);
const PROD = "production";

/** One region's index, as runs carry it. */
const at = (code: string) => BigInt(regionIndex(code, "region"));
/** A region set, as territories and deployments carry it. */
const set = (regions: string) => regionSet(regions, "regions");
const EEA = set("EEA");
const EU = set("EU");
const DACH = set("DE,AT,CH");
const NORTH_AMERICA = set("US,CA");
/** IModelRegistry.Territory */
const Territory = { Training: 0, Deployment: 1 } as const;

// ------------------------------------------------------------------ shared setup

interface World {
  p: Protocol;
  /** Dataset versions of creator, each with mlTeam's licence, by their territories (training / deployment). */
  data: Record<"world" | "eea" | "dach" | "trainEeaOnly" | "deployNaOnly", { version: bigint; licence: bigint }>;
  /** mlTeam's commercial model. */
  model: bigint;
}

async function registerDataset(p: Protocol, training: bigint, deployment: bigint) {
  const { creator } = p.accounts;
  const input = terms([{ recipient: creator.address, bps: 10_000 }], { trainingTerritories: training, deploymentTerritories: deployment });
  const published = await eventOf(
    p.datasets.connect(creator).registerDatasetWithTerms(datasetVersion(), [], [], ZERO32, input),
    p.datasets,
    "DatasetVersionPublished",
  );
  return { datasetId: published.args.datasetId as bigint, version: published.args.versionId as bigint };
}

async function buyLicence(p: Protocol, datasetId: bigint, licensee: HardhatEthersSigner) {
  const { currentTermsId } = await p.datasets.getDataset(datasetId);
  const acquired = await eventOf(
    p.royalties.connect(licensee).acquireLicence(datasetId, licensee.address, currentTermsId, { value: 10n ** 18n }),
    p.datasets,
    "LicenceAcquired",
  );
  return acquired.args.licenceId as bigint;
}

async function licensed(p: Protocol, training: bigint, deployment: bigint) {
  const { datasetId, version } = await registerDataset(p, training, deployment);
  return { datasetId, version, licence: await buyLicence(p, datasetId, p.accounts.mlTeam) };
}

async function registerModel(p: Protocol, owner: HardhatEthersSigner) {
  const registered = await eventOf(p.models.connect(owner).registerModel(true, hash32("card"), "ipfs://card"), p.models, "ModelRegistered");
  return registered.args.modelId as bigint;
}

async function setup(): Promise<World> {
  const p = await deployProtocol();
  const data = {
    world: await licensed(p, WORLDWIDE, WORLDWIDE),
    eea: await licensed(p, EEA, EU),
    dach: await licensed(p, DACH, DACH),
    trainEeaOnly: await licensed(p, EEA, WORLDWIDE),
    deployNaOnly: await licensed(p, WORLDWIDE, NORTH_AMERICA),
  };
  return { p, data, model: await registerModel(p, p.accounts.mlTeam) };
}

let w: World;
let p: Protocol;
restoreBeforeEach(async () => {
  w = await setup();
  return (p = w.p);
});

// ------------------------------------------------------------------ helpers

type Use = keyof World["data"];
const uses = (...names: Use[]): [bigint, bigint][] => names.map((name) => [w.data[name].version, w.data[name].licence]);

/** mlTeam (or `signer`) publishes a version of `model` trained on `data` in `region`, fine-tuned from `parent`. */
function publishTx(region: string | bigint, data: Use[], parent = 0n, signer = p.accounts.mlTeam, model = w.model) {
  const index = typeof region === "string" ? at(region) : region;
  return p.models.connect(signer).publishVersion(model, modelVersion(parent), trainingRun(uses(...data), index));
}

async function publish(region: string, data: Use[], parent = 0n, signer = p.accounts.mlTeam, model = w.model) {
  const published = await eventOf(publishTx(region, data, parent, signer, model), p.models, "ModelVersionPublished");
  return published.args.versionId as bigint;
}

/** What a refused publication must leave as it was. */
async function publicationState(model = w.model) {
  const published = await p.models.queryFilter(p.models.filters.ModelVersionPublished());
  return { versionCount: (await p.models.getModel(model)).versionCount, published: published.length };
}

/** The approver signs off `versionId` and mlTeam passes it through its gate (the default policy). */
async function approve(versionId: bigint) {
  const attested = await eventOf(
    p.attestations.connect(p.accounts.approver).attest(attestation(Subject.ModelVersion, versionId, Kind.ReleaseApproval)),
    p.attestations,
    "Attested",
  );
  await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [attested.args.id as bigint]);
}

async function deploy(versionId: bigint, regions: bigint, environment = PROD) {
  const deployed = await eventOf(p.releases.connect(p.accounts.mlTeam).deploy(versionId, environment, regions), p.releases, "Deployed");
  return deployed.args;
}

/** Storage writes (SSTORE) of a mined transaction. */
const storageWrites = (hash: string) => countStorageWrites(p.ethers.provider, hash);

// ------------------------------------------------------------------ training runs

describe("publishVersion: the run's region against its own licences", () => {
  it("publishes a run computed inside the training territory and records its region and compute provider", async () => {
    const run = trainingRun(uses("eea", "world"), at("IE"));
    const tx = p.models.connect(p.accounts.mlTeam).publishVersion(w.model, modelVersion(), run);
    const recorded = await eventOf(tx, p.models, "TrainingRunRecorded");
    expect([recorded.args.region, recorded.args.computeProvider]).toEqual([at("IE"), run.computeProvider]);
    const versionId = recorded.args.versionId as bigint;
    expect([...(await p.models.territoriesOf(versionId))]).toEqual([EEA, EU]);
    // Its own run narrowed the territories: it is where they are stored.
    expect((await p.models.getVersion(versionId)).territoriesFrom).toBe(versionId);
  });

  it("refuses a run computed outside it, naming the licence, the region and what the licence allows; nothing is written", async () => {
    const before = await publicationState();
    await expectRevert(publishTx("US", ["world", "eea"]), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("US"), EEA]);
    // Switzerland is next door but outside the EEA.
    await expectRevert(publishTx("CH", ["eea"]), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("CH"), EEA]);
    expect(await publicationState()).toEqual(before);
    // The next publication takes the id a refused one would have taken.
    expect(await publish("NO", ["eea"])).toBe(1n);
  });

  it("names the first of the run's licences that leaves the region out, with that licence's own territory", async () => {
    // France: in the EEA, not in DACH.
    await expectRevert(publishTx("FR", ["world", "eea", "dach"]), p.models, "TrainingOutsideTerritory", [w.data.dach.licence, at("FR"), DACH]);
    // Switzerland: in DACH, not in the EEA.
    await expectRevert(publishTx("CH", ["dach", "eea"]), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("CH"), EEA]);
    // The US: both leave it out; the first in the run's order is named.
    await expectRevert(publishTx("US", ["dach", "eea"]), p.models, "TrainingOutsideTerritory", [w.data.dach.licence, at("US"), DACH]);
    await expectRevert(publishTx("US", ["eea", "dach"]), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("US"), EEA]);
    // Germany: inside both, and the version may be deployed only where both allow.
    const versionId = await publish("DE", ["eea", "dach"]);
    expect([...(await p.models.territoriesOf(versionId))]).toEqual([EEA & DACH, EU & DACH]);
  });

  it("a deployment-only restriction does not restrict where training runs", async () => {
    const versionId = await publish("JP", ["deployNaOnly"]);
    expect([...(await p.models.territoriesOf(versionId))]).toEqual([WORLDWIDE, NORTH_AMERICA]);
  });

  it("checks the territory for the right account and refuses the wrong one first", async () => {
    const { stranger } = p.accounts;
    // Not the model's owner: refused as such, whatever the region.
    await expectRevert(publishTx("US", ["eea"], 0n, stranger), p.models, "NotModelOwner", [w.model, stranger.address]);
    // Its own model on mlTeam's licence: the licence is not the stranger's.
    const own = await registerModel(p, stranger);
    await expectRevert(publishTx("US", ["eea"], 0n, stranger, own), p.models, "DatasetVersionNotUsable", [w.data.eea.version, w.data.eea.licence, 5]);
    // Its own licence of the same data carries the same territory.
    const licence = await buyLicence(p, await p.datasets.datasetOfVersion(w.data.eea.version), stranger);
    const run = trainingRun([[w.data.eea.version, licence]], at("US"));
    await expectRevert(p.models.connect(stranger).publishVersion(own, modelVersion(), run), p.models, "TrainingOutsideTerritory", [licence, at("US"), EEA]);
    const inside = await eventOf(
      p.models.connect(stranger).publishVersion(own, modelVersion(), trainingRun([[w.data.eea.version, licence]], at("IS"))),
      p.models,
      "TrainingRunRecorded",
    );
    expect(inside.args.region).toBe(at("IS"));
  });

  it("refuses a region index that names no region, before any licence is read; nothing is written", async () => {
    const before = await publicationState();
    await expectRevert(publishTx(249n, ["world"]), p.models, "UnknownRegion", [249n]);
    await expectRevert(publishTx(2n ** 255n, []), p.models, "UnknownRegion", [2n ** 255n]);
    // Even on a dataset version that does not exist: the region is input, checked first.
    const run = trainingRun([[999n, 999n]], 300n);
    await expectRevert(p.models.connect(p.accounts.mlTeam).publishVersion(w.model, modelVersion(), run), p.models, "UnknownRegion", [300n]);
    expect(await publicationState()).toEqual(before);
    // The first and the last regions of the list are regions.
    await publish("AD", ["world"]);
    expect(await publish("ZW", ["world"])).toBe(2n);
  });
});

describe("publishVersion: territories inherited through fine-tune parents", () => {
  it("binds a grandchild to its grandparent's licence, though the versions between train on worldwide data", async () => {
    const grandparent = await publish("DE", ["eea"]);
    const parent = await publish("FR", ["world"], grandparent);
    // The parent's own data restricts nothing, yet its lineage does: its territories are the grandparent's.
    expect([...(await p.models.territoriesOf(parent))]).toEqual([EEA, EU]);
    expect((await p.models.getVersion(parent)).territoriesFrom).toBe(grandparent);

    const before = await publicationState();
    await expectRevert(publishTx("US", ["world"], parent), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("US"), EEA]);
    expect(await publicationState()).toEqual(before);
    const child = await publish("NO", ["world"], parent);
    expect(await p.models.licenceExcluding(child, 1n << at("US"), Territory.Training)).toEqual([w.data.eea.licence, EEA]);
    expect(await p.models.licenceExcluding(child, EEA, Territory.Training)).toEqual([0n, WORLDWIDE]);
  });

  it("names the run's own licence before an ancestor's, and the nearest ancestor's before a farther one's", async () => {
    const grandparent = await publish("DE", ["eea"]);
    const parent = await publish("AT", ["dach"], grandparent);
    expect([...(await p.models.territoriesOf(parent))]).toEqual([EEA & DACH, EU & DACH]);
    // The US: the parent's DACH licence is nearer than the grandparent's EEA one.
    await expectRevert(publishTx("US", ["world"], parent), p.models, "TrainingOutsideTerritory", [w.data.dach.licence, at("US"), DACH]);
    // France: the parent's DACH licence leaves it out, the grandparent's EEA one does not.
    await expectRevert(publishTx("FR", ["world"], parent), p.models, "TrainingOutsideTerritory", [w.data.dach.licence, at("FR"), DACH]);
    // Switzerland: inside DACH, outside the EEA: the grandparent's licence is named.
    await expectRevert(publishTx("CH", ["world"], parent), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("CH"), EEA]);
    // The run's own licence first.
    await expectRevert(publishTx("CH", ["trainEeaOnly"], parent), p.models, "TrainingOutsideTerritory", [w.data.trainEeaOnly.licence, at("CH"), EEA]);
  });

  it("binds another owner's fine-tune of a restricted version, once derivation is granted", async () => {
    const { mlTeam, stranger } = p.accounts;
    const base = await publish("DE", ["eea"]);
    await p.models.connect(mlTeam).grantDerivation(w.model, stranger.address, true);
    const theirs = await registerModel(p, stranger);
    await expectRevert(publishTx("US", [], base, stranger, theirs), p.models, "TrainingOutsideTerritory", [w.data.eea.licence, at("US"), EEA]);
    const fineTune = await publish("PL", [], base, stranger, theirs);
    expect([...(await p.models.territoriesOf(fineTune))]).toEqual([EEA, EU]);
  });
});

describe("publishVersion: worldwide lineages", () => {
  it("train anywhere and store nothing more than a run on no data", async () => {
    const worldwide = await publishTx("US", ["world"]);
    const noData = await publishTx("BR", []);
    const restricted = await publishTx("DE", ["eea"]);
    const writes = [await storageWrites(worldwide.hash), await storageWrites(noData.hash), await storageWrites(restricted.hash)];
    expect(writes[0]).toBe(writes[1]);
    // A run that narrows the territories stores its excluded training and deployment regions and, in one more slot,
    // its restricting licence.
    expect(writes[2]).toBe(writes[0] + 3);
    for (const versionId of [1n, 2n]) {
      expect([...(await p.models.territoriesOf(versionId))]).toEqual([WORLDWIDE, WORLDWIDE]);
      expect((await p.models.getVersion(versionId)).territoriesFrom).toBe(0n);
      expect(await p.models.licenceExcluding(versionId, WORLDWIDE, Territory.Deployment)).toEqual([0n, WORLDWIDE]);
    }
    // A fine-tune of a worldwide parent inherits nothing.
    const child = await publish("CN", ["world"], 1n);
    expect([...(await p.models.territoriesOf(child))]).toEqual([WORLDWIDE, WORLDWIDE]);
  });

  it("a fine-tune on worldwide data of a restricted parent stores nothing more: it points at the parent", async () => {
    const worldwideParent = await publish("US", ["world"]);
    const restrictedParent = await publish("DE", ["eea"]);
    const ofWorldwide = await publishTx("BR", ["world"], worldwideParent);
    const ofRestricted = await publishTx("PT", ["world"], restrictedParent);
    expect(await storageWrites(ofRestricted.hash)).toBe(await storageWrites(ofWorldwide.hash));
    const child = (await eventOf(ofRestricted, p.models, "ModelVersionPublished")).args.versionId as bigint;
    expect((await p.models.getVersion(child)).territoriesFrom).toBe(restrictedParent);
    expect([...(await p.models.territoriesOf(child))]).toEqual([EEA, EU]);
  });

  it("answers the views for unknown versions without reverting", async () => {
    expect([...(await p.models.territoriesOf(99n))]).toEqual([0n, 0n]);
    expect(await p.models.licenceExcluding(99n, WORLDWIDE, Territory.Training)).toEqual([0n, WORLDWIDE]);
  });
});

// ------------------------------------------------------------------ deployments

describe("deploy: the regions served against the lineage's deployment territory", () => {
  it("serves regions inside it, recorded in the Deployed event", async () => {
    const versionId = await publish("DE", ["eea"]);
    await approve(versionId);
    const deployed = await deploy(versionId, set("DE,FR"));
    expect(deployed.regions).toBe(set("DE,FR"));
    expect((await deploy(versionId, EU, "eu-wide")).regions).toBe(EU);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(versionId);
  });

  it("refuses regions outside it, naming the licence, the regions asked and what the licence allows; nothing is written", async () => {
    const versionId = await publish("DE", ["eea"]);
    await approve(versionId);
    const live = await deploy(versionId, EU, "staging");
    for (const regions of [set("EU,CH"), set("US"), WORLDWIDE, EEA]) {
      await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(versionId, PROD, regions), p.releases, "DeploymentOutsideTerritory", [
        w.data.eea.licence,
        regions,
        EU,
      ]);
    }
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
    expect((await p.releases.getDeployment(live.deploymentId + 1n)).modelId).toBe(0n);
    expect(await p.releases.queryFilter(p.releases.filters.Deployed())).toHaveLength(1);
  });

  it("names the licence that leaves out a served region when two licences restrict differently", async () => {
    const versionId = await publish("DE", ["eea", "dach"]);
    await approve(versionId);
    // France: the EEA licence may deploy there (EU), the DACH one may not.
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(versionId, PROD, set("DE,FR")), p.releases, "DeploymentOutsideTerritory", [
      w.data.dach.licence,
      set("DE,FR"),
      DACH,
    ]);
    // Switzerland: the DACH licence may, the EU-only one may not.
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(versionId, PROD, set("CH")), p.releases, "DeploymentOutsideTerritory", [
      w.data.eea.licence,
      set("CH"),
      EU,
    ]);
    expect((await deploy(versionId, set("DE,AT"))).regions).toBe(set("DE,AT"));
  });

  it("binds a fine-tune two levels down to its grandparent's deployment territory", async () => {
    const grandparent = await publish("DE", ["eea"]);
    const parent = await publish("FR", ["world"], grandparent);
    const child = await publish("IT", ["world"], parent);
    await approve(child);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(child, PROD, set("US")), p.releases, "DeploymentOutsideTerritory", [
      w.data.eea.licence,
      set("US"),
      EU,
    ]);
    expect((await deploy(child, set("IT"))).regions).toBe(set("IT"));
  });

  it("lets a worldwide lineage, or one restricted only for training, serve anywhere", async () => {
    const worldwide = await publish("US", ["world"]);
    const trainingOnly = await publish("DE", ["trainEeaOnly"]);
    for (const versionId of [worldwide, trainingOnly]) {
      await approve(versionId);
      expect((await deploy(versionId, WORLDWIDE, `env-${versionId}`)).regions).toBe(WORLDWIDE);
    }
  });

  it("refuses a deployment-only restriction outside it, though training ran anywhere", async () => {
    const versionId = await publish("JP", ["deployNaOnly"]);
    await approve(versionId);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(versionId, PROD, set("US,MX")), p.releases, "DeploymentOutsideTerritory", [
      w.data.deployNaOnly.licence,
      set("US,MX"),
      NORTH_AMERICA,
    ]);
    expect((await deploy(versionId, NORTH_AMERICA)).regions).toBe(NORTH_AMERICA);
  });

  it("refuses an empty or unknown region set, and the wrong account before looking at regions", async () => {
    const versionId = await publish("DE", ["eea"]);
    await approve(versionId);
    const team = p.releases.connect(p.accounts.mlTeam);
    await expectRevert(team.deploy(versionId, PROD, 0n), p.releases, "EmptyRegionSet", []);
    await expectRevert(team.deploy(versionId, PROD, EU | (1n << 249n)), p.releases, "UnknownRegions", [1n << 249n]);
    await expectRevert(team.deploy(versionId, PROD, 2n ** 256n - 1n), p.releases, "UnknownRegions", [2n ** 256n - 1n - WORLDWIDE]);
    const { stranger } = p.accounts;
    for (const regions of [0n, set("US"), EU]) {
      await expectRevert(p.releases.connect(stranger).deploy(versionId, PROD, regions), p.releases, "NotModelOperator", [w.model, stranger.address]);
    }
    expect(await p.releases.queryFilter(p.releases.filters.Deployed())).toHaveLength(0);
  });
});

// ------------------------------------------------------------------ the DatasetRegistry views the enforcement reads

describe("DatasetRegistry.trainingUse / licenceTerritories (data derived from worldwide data)", () => {
  it("returns the licence status with the regions its territories exclude, none for worldwide terms", async () => {
    const { mlTeam } = p.accounts;
    expect([...(await p.datasets.trainingUse(w.data.world.licence, w.data.world.version, mlTeam.address, true))]).toEqual([0n, 0n, 0n]);
    expect([...(await p.datasets.trainingUse(w.data.eea.licence, w.data.eea.version, mlTeam.address, true))]).toEqual([
      0n,
      WORLDWIDE & ~EEA,
      WORLDWIDE & ~EU,
    ]);
    // The status is licenceStatus's: here WrongLicensee (5) and UnknownLicence (3).
    expect((await p.datasets.trainingUse(w.data.eea.licence, w.data.eea.version, p.accounts.stranger.address, true))[0]).toBe(5n);
    expect([...(await p.datasets.trainingUse(99n, w.data.eea.version, mlTeam.address, true))]).toEqual([3n, 0n, 0n]);
  });

  it("returns the allowed territories of a licence's terms, which new terms do not change", async () => {
    expect([...(await p.datasets.licenceTerritories(w.data.eea.licence, w.data.eea.version))]).toEqual([EEA, EU]);
    expect([...(await p.datasets.licenceTerritories(w.data.world.licence, w.data.world.version))]).toEqual([WORLDWIDE, WORLDWIDE]);
    expect([...(await p.datasets.licenceTerritories(99n, w.data.eea.version))]).toEqual([0n, 0n]);
    const { creator } = p.accounts;
    const datasetId = await p.datasets.datasetOfVersion(w.data.eea.version);
    await p.datasets.connect(creator).setTerms(datasetId, terms([{ recipient: creator.address, bps: 10_000 }]));
    expect([...(await p.datasets.licenceTerritories(w.data.eea.licence, w.data.eea.version))]).toEqual([EEA, EU]);
  });
});
