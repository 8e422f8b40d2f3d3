/**
 * System versions (SystemRegistry) and their releases (ReleaseRegistry.deploySystem, anchorSystemDecisions,
 * systemStatus): a model version plus its prompt, retrieval index, policy and tools. A configuration change is a new
 * system version of the same model without new weights; retrieval data is licence-checked like training data and
 * narrows where the system may be deployed; system versions pass a release gate of their own. Every path runs from the
 * right and the wrong account; every refusal names its arguments and writes nothing.
 *
 * One chain is deployed for the whole file; every test starts from a snapshot of the shared setup below.
 */
import { describe, expect, it } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id as keccakText } from "ethers";
import { WORLDWIDE, regionSet } from "../../src/core/regions.ts";
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
import { eventOf, expectRevert, normalise } from "../helpers/assertions.ts";

const ZERO32 = "0x" + "00".repeat(32);
const PROD = "production";
const set = (regions: string) => regionSet(regions, "regions");
const EU = set("EU");
const DACH = set("DE,AT,CH");
const SERVED = set("DE,FR");
/** IDatasetRegistry.LicenceStatus */
const Status = {
  UnknownDatasetVersion: 1,
  LicenceRefunded: 2,
  UnknownLicence: 3,
  WrongDataset: 4,
  WrongLicensee: 5,
  Expired: 6,
  DerivativesForbidden: 7,
  CommercialUseForbidden: 8,
} as const;

/** Ethers Results (and nested ones) to plain arrays, numbers to bigint, strings lower-cased: comparable with toEqual. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return normalise(Array.from(value, plain));
  return normalise(value);
}

// ------------------------------------------------------------------ shared setup

interface Licensed {
  datasetId: bigint;
  version: bigint;
  licence: bigint;
}

interface World {
  p: Protocol;
  /** Dataset versions of creator, each with mlTeam's licence (one-day licences for `expiring`). */
  data: Record<"world" | "eu" | "dach" | "research" | "noDerivatives" | "expiring" | "withdrawn" | "revoked" | "refunded", Licensed>;
  /** mlTeam's commercial model: v1 and v2 approved (other weights), v3 published only. */
  model: bigint;
  v1: bigint;
  v2: bigint;
  v3: bigint;
  /** The attestation that approved v1. */
  approvalV1: bigint;
  /** mlTeam's non-commercial model with one version. */
  researchModel: bigint;
  researchV1: bigint;
  /** v1 of a model trained on EU-deployable data (its lineage restricts deployments to the EU). */
  euModel: bigint;
  euV1: bigint;
}

async function licensed(p: Protocol, overrides: Parameters<typeof terms>[1] = {}): Promise<Licensed> {
  const { creator, mlTeam } = p.accounts;
  const input = terms([{ recipient: creator.address, bps: 10_000 }], overrides);
  const published = await eventOf(
    p.datasets.connect(creator).registerDatasetWithTerms(datasetVersion(), [], [], ZERO32, input),
    p.datasets,
    "DatasetVersionPublished",
  );
  const datasetId = published.args.datasetId as bigint;
  const { currentTermsId } = await p.datasets.getDataset(datasetId);
  const acquired = await eventOf(
    p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, currentTermsId, { value: input.price }),
    p.datasets,
    "LicenceAcquired",
  );
  return { datasetId, version: published.args.versionId as bigint, licence: acquired.args.licenceId as bigint };
}

async function registerModel(p: Protocol, commercial = true, owner = p.accounts.mlTeam) {
  const registered = await eventOf(p.models.connect(owner).registerModel(commercial, hash32("card"), "ipfs://card"), p.models, "ModelRegistered");
  return registered.args.modelId as bigint;
}

async function publishModelVersion(p: Protocol, modelId: bigint, uses: [bigint, bigint][]) {
  const published = await eventOf(p.models.connect(p.accounts.mlTeam).publishVersion(modelId, modelVersion(), trainingRun(uses)), p.models, "ModelVersionPublished");
  return published.args.versionId as bigint;
}

/** The approver signs off `subjectId` of `subjectType` (release approval unless `kind` says otherwise). */
async function attest(p: Protocol, subjectType: number, subjectId: bigint, kind: number = Kind.ReleaseApproval, expiresAt = 0n) {
  const signer = kind === Kind.ReleaseApproval ? p.accounts.approver : p.accounts.evaluator;
  const attested = await eventOf(p.attestations.connect(signer).attest(attestation(subjectType, subjectId, kind, { expiresAt })), p.attestations, "Attested");
  return attested.args.id as bigint;
}

async function approveModelVersion(p: Protocol, versionId: bigint) {
  const approval = await attest(p, Subject.ModelVersion, versionId);
  await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [approval]);
  return approval;
}

async function setup(): Promise<World> {
  const p = await deployProtocol();
  const data = {
    world: await licensed(p),
    eu: await licensed(p, { deploymentTerritories: EU }),
    dach: await licensed(p, { deploymentTerritories: DACH }),
    research: await licensed(p, { commercialUse: false }),
    noDerivatives: await licensed(p, { derivativesAllowed: false }),
    expiring: await licensed(p, { duration: 86_400 }),
    withdrawn: await licensed(p),
    revoked: await licensed(p),
    refunded: await licensed(p),
  };
  const { creator } = p.accounts;
  await p.datasets.connect(creator).withdrawDataset(data.withdrawn.datasetId, "no longer offered");
  await p.datasets.connect(creator).revokeConsent(data.revoked.datasetId, "consent withdrawn");
  await p.datasets.connect(creator).revokeConsent(data.refunded.datasetId, "consent withdrawn");
  await p.datasets.connect(creator).refundLicence(data.refunded.licence, { value: await p.datasets.refundDue(data.refunded.licence) });

  const training: [bigint, bigint][] = [[data.world.version, data.world.licence]];
  const model = await registerModel(p);
  const v1 = await publishModelVersion(p, model, training);
  const v2 = await publishModelVersion(p, model, training);
  const v3 = await publishModelVersion(p, model, training);
  const approvalV1 = await approveModelVersion(p, v1);
  await approveModelVersion(p, v2);
  const researchModel = await registerModel(p, false);
  const researchV1 = await publishModelVersion(p, researchModel, training);
  const euModel = await registerModel(p);
  const euV1 = await publishModelVersion(p, euModel, [[data.eu.version, data.eu.licence]]);
  await approveModelVersion(p, euV1);
  return { p, data, model, v1, v2, v3, approvalV1, researchModel, researchV1, euModel, euV1 };
}

let w: World;
let p: Protocol;
restoreBeforeEach(async () => {
  w = await setup();
  return (p = w.p);
});

// ------------------------------------------------------------------ helpers

type DataName = keyof World["data"];

/** A configuration with fresh digests; `retrieval` false leaves the index 0. */
function config(overrides: Partial<Record<"promptHash" | "retrievalIndex" | "policyHash" | "toolsHash", string>> = {}, retrieval = false) {
  return {
    promptHash: hash32("prompt"),
    retrievalIndex: retrieval ? hash32("index") : ZERO32,
    policyHash: hash32("policy"),
    toolsHash: hash32("tools"),
    ...overrides,
  };
}

interface PublishOptions {
  parent?: bigint;
  data?: DataName[];
  cfg?: ReturnType<typeof config>;
  signer?: HardhatEthersSigner;
  uri?: string;
}

function publishTx(modelVersionId: bigint, options: PublishOptions = {}) {
  const data = options.data ?? [];
  const cfg = options.cfg ?? config({}, data.length > 0);
  return p.systems
    .connect(options.signer ?? p.accounts.mlTeam)
    .publishSystemVersion(
      modelVersionId,
      options.parent ?? 0n,
      cfg,
      data.map((name) => w.data[name].version),
      data.map((name) => w.data[name].licence),
      options.uri ?? "ipfs://system-card",
    );
}

async function publish(modelVersionId: bigint, options: PublishOptions = {}) {
  const published = await eventOf(publishTx(modelVersionId, options), p.systems, "SystemVersionPublished");
  return published.args.systemId as bigint;
}

/** What a refused publication must leave as it was: the events and the next id. */
async function publicationState() {
  const published = await p.systems.queryFilter(p.systems.filters.SystemVersionPublished());
  const nextId = await p.systems.connect(p.accounts.mlTeam).publishSystemVersion.staticCall(w.v1, 0n, config(), [], [], "").catch(() => 0n);
  return { published: published.length, nextId };
}

/** Approves system version `systemId` with a release approval about it; returns the attestation. */
async function approveSystem(systemId: bigint, expiresAt = 0n) {
  const approval = await attest(p, Subject.SystemVersion, systemId, Kind.ReleaseApproval, expiresAt);
  await p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [approval]);
  return approval;
}

async function approvedSystem(modelVersionId = w.v1, options: PublishOptions = {}) {
  const systemId = await publish(modelVersionId, options);
  const approval = await approveSystem(systemId);
  return { systemId, approval };
}

async function deploySystem(systemId: bigint, regions = SERVED, environment = PROD, signer = p.accounts.mlTeam) {
  const deployed = await eventOf(p.releases.connect(signer).deploySystem(systemId, environment, regions), p.releases, "Deployed");
  return deployed.args.deploymentId as bigint;
}

async function revoke(attestationId: bigint) {
  await p.attestations.connect(p.accounts.admin).revoke(attestationId, "withdrawn");
}

/** Storage writes (SSTORE) of a mined transaction, from the node's struct-log trace. */
async function storageWrites(tx: ReturnType<typeof publishTx>): Promise<number> {
  const hash = (await tx).hash;
  const trace = await p.ethers.provider.send("debug_traceTransaction", [hash, { disableStack: true, disableMemory: true }]);
  return (trace.structLogs as { op: string }[]).filter((log) => log.op === "SSTORE").length;
}

// ------------------------------------------------------------------ publishSystemVersion

describe("publishSystemVersion", () => {
  it("records a model version with its configuration, and the event carries everything", async () => {
    const cfg = config({}, true);
    const tx = p.systems.connect(p.accounts.mlTeam).publishSystemVersion(w.v1, 0n, cfg, [w.data.world.version], [w.data.world.licence], "ipfs://triage-system");
    const published = await eventOf(tx, p.systems, "SystemVersionPublished");
    expect(plain(published.args)).toEqual(
      plain([
        1n, w.model, w.v1, 0n, cfg.promptHash, cfg.retrievalIndex, cfg.policyHash, cfg.toolsHash,
        [w.data.world.version], [w.data.world.licence], "ipfs://triage-system", p.accounts.mlTeam.address,
      ]),
    );
    const [system, stored] = await p.systems.getSystemVersion(1n);
    expect(plain(system)).toEqual(plain([w.model, w.v1, 0n, false, false]));
    expect(plain(stored)).toEqual(plain([cfg.promptHash, cfg.retrievalIndex, cfg.policyHash, cfg.toolsHash]));
    expect(await p.systems.subjectExists(Subject.SystemVersion, 1n)).toBe(true);
    expect(await p.systems.subjectExists(Subject.ModelVersion, 1n)).toBe(false);
    expect(await p.systems.deploymentTerritoryOf(1n)).toBe(WORLDWIDE);
    expect(await p.systems.isReleasable(1n)).toBe(false);
  });

  it("records a prompt change on the same weights — which ModelRegistry refuses as a new version — with its parent", async () => {
    const first = await publish(w.v1);
    // The same weights cannot be published again as a model version.
    const { weightsHash } = (await p.models.queryFilter(p.models.filters.ModelVersionPublished(w.v1)))[0]!.args;
    const again = { ...modelVersion(), weightsHash };
    await expectRevert(
      p.models.connect(p.accounts.mlTeam).publishVersion(w.model, again, trainingRun([[w.data.world.version, w.data.world.licence]])),
      p.models,
      "AlreadyClaimed",
      [p.accounts.mlTeam.address, weightsHash, w.v1],
    );
    const [, firstConfig] = await p.systems.getSystemVersion(first);
    const promptChange = { ...plainConfig(firstConfig), promptHash: hash32("prompt-v2") };
    const second = await publish(w.v1, { parent: first, cfg: promptChange });
    const [system, stored] = await p.systems.getSystemVersion(second);
    expect(plain(system)).toEqual(plain([w.model, w.v1, first, false, false]));
    expect(stored.promptHash).toBe(promptChange.promptHash);
    expect(stored.policyHash).toBe(firstConfig.policyHash);
    // A weights change under the same configuration is a new system version too, of the same model.
    const third = await publish(w.v2, { parent: second, cfg: promptChange });
    expect(plain((await p.systems.getSystemVersion(third))[0])).toEqual(plain([w.model, w.v2, second, false, false]));
  });

  it("refuses a version that changes neither the weights nor the configuration (NothingChanged); nothing is written", async () => {
    const cfg = config();
    const first = await publish(w.v1, { cfg });
    const before = await publicationState();
    await expectRevert(publishTx(w.v1, { parent: first, cfg }), p.systems, "NothingChanged", [first]);
    // The URI is not configuration.
    await expectRevert(publishTx(w.v1, { parent: first, cfg, uri: "ipfs://another-card" }), p.systems, "NothingChanged", [first]);
    expect(await publicationState()).toEqual(before);
    // Each digest alone is a change.
    for (const field of ["promptHash", "policyHash", "toolsHash"] as const) {
      await publish(w.v1, { parent: first, cfg: { ...cfg, [field]: hash32(field) } });
    }
    await publish(w.v1, { parent: first, cfg: { ...cfg, retrievalIndex: hash32("index") }, data: ["world"] });
  });

  it("refuses an unknown parent and a parent of another model", async () => {
    await expectRevert(publishTx(w.v1, { parent: 9n }), p.systems, "UnknownSystemVersion", [9n]);
    const research = await publish(w.researchV1);
    await expectRevert(publishTx(w.v1, { parent: research }), p.systems, "ParentOfAnotherModel", [research, w.model]);
  });

  it("takes the model's owner or an operator for all its tokens; refuses a stranger, a token-approved account and an unknown version", async () => {
    const { stranger, relayer, mlTeam } = p.accounts;
    const before = await publicationState();
    await expectRevert(publishTx(w.v1, { signer: stranger }), p.systems, "NotModelOperator", [w.model, stranger.address]);
    // Approving the single model token lets the account transfer it, not manage it.
    await p.models.connect(mlTeam).approve(relayer.address, w.model);
    await expectRevert(publishTx(w.v1, { signer: relayer }), p.systems, "NotModelOperator", [w.model, relayer.address]);
    await expectRevert(publishTx(99n), p.models, "UnknownModelVersion", [99n]);
    expect(await publicationState()).toEqual(before);
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    const published = await eventOf(publishTx(w.v1, { signer: relayer }), p.systems, "SystemVersionPublished");
    expect(published.args.publisher).toBe(relayer.address);
  });

  it("refuses retrieval lists of different lengths, an index without its data and data without an index", async () => {
    const tx = (index: string, versions: bigint[], licences: bigint[]) =>
      p.systems.connect(p.accounts.mlTeam).publishSystemVersion(w.v1, 0n, config({ retrievalIndex: index }), versions, licences, "");
    const index = hash32("index");
    const { version, licence } = w.data.world;
    await expectRevert(tx(index, [version, version], [licence]), p.systems, "RetrievalDataLengthMismatch", [2n, 1n]);
    await expectRevert(tx(index, [], []), p.systems, "RetrievalIndexMismatch", [index, 0n]);
    await expectRevert(tx(ZERO32, [version], [licence]), p.systems, "RetrievalIndexMismatch", [ZERO32, 1n]);
  });

  it("licence-checks retrieval data like training data, naming the dataset version, the licence and the reason; nothing is written", async () => {
    const { mlTeam, stranger } = p.accounts;
    const before = await publicationState();
    const tx = (version: bigint, licence: bigint, modelVersionId = w.v1) =>
      p.systems.connect(mlTeam).publishSystemVersion(modelVersionId, 0n, config({}, true), [version], [licence], "");
    const { world, eu, research, noDerivatives, expiring, refunded } = w.data;
    await expectRevert(tx(99n, world.licence), p.systems, "RetrievalDataNotUsable", [99n, world.licence, Status.UnknownDatasetVersion]);
    await expectRevert(tx(world.version, 99n), p.systems, "RetrievalDataNotUsable", [world.version, 99n, Status.UnknownLicence]);
    await expectRevert(tx(world.version, eu.licence), p.systems, "RetrievalDataNotUsable", [world.version, eu.licence, Status.WrongDataset]);
    await expectRevert(tx(noDerivatives.version, noDerivatives.licence), p.systems, "RetrievalDataNotUsable", [noDerivatives.version, noDerivatives.licence, Status.DerivativesForbidden]);
    await expectRevert(tx(refunded.version, refunded.licence), p.systems, "RetrievalDataNotUsable", [refunded.version, refunded.licence, Status.LicenceRefunded]);
    // A commercial model needs a commercial licence; a research model does not.
    await expectRevert(tx(research.version, research.licence), p.systems, "RetrievalDataNotUsable", [research.version, research.licence, Status.CommercialUseForbidden]);
    await p.connection.networkHelpers.time.increase(86_400);
    await expectRevert(tx(expiring.version, expiring.licence), p.systems, "RetrievalDataNotUsable", [expiring.version, expiring.licence, Status.Expired]);
    expect(await publicationState()).toEqual(before);
    await eventOf(tx(research.version, research.licence, w.researchV1), p.systems, "SystemVersionPublished");

    // A licence the stranger holds does not cover mlTeam's model, nor does mlTeam's cover the stranger's.
    const { currentTermsId } = await p.datasets.getDataset(world.datasetId);
    const bought = await eventOf(p.royalties.connect(stranger).acquireLicence(world.datasetId, stranger.address, currentTermsId, { value: 10n ** 18n }), p.datasets, "LicenceAcquired");
    const strangers = bought.args.licenceId as bigint;
    await expectRevert(tx(world.version, strangers), p.systems, "RetrievalDataNotUsable", [world.version, strangers, Status.WrongLicensee]);
    const strangerModel = await registerModel(p, true, stranger);
    const strangerVersion = (await eventOf(p.models.connect(stranger).publishVersion(strangerModel, modelVersion(), trainingRun()), p.models, "ModelVersionPublished")).args.versionId as bigint;
    await expectRevert(
      p.systems.connect(stranger).publishSystemVersion(strangerVersion, 0n, config({}, true), [world.version], [world.licence], ""),
      p.systems,
      "RetrievalDataNotUsable",
      [world.version, world.licence, Status.WrongLicensee],
    );
    await eventOf(
      p.systems.connect(stranger).publishSystemVersion(strangerVersion, 0n, config({}, true), [world.version], [strangers], ""),
      p.systems,
      "SystemVersionPublished",
    );
  });

  it("refuses a retrieval index built from a withdrawn or consent-revoked dataset, whose licence is still valid", async () => {
    const { withdrawn, revoked } = w.data;
    // The licences still let the model train (ModelRegistry's rule): retrieval serves the data itself, so it may not.
    expect(await p.datasets.licenceStatus(withdrawn.licence, withdrawn.version, p.accounts.mlTeam.address, true)).toBe(0n);
    expect(await p.datasets.licenceStatus(revoked.licence, revoked.version, p.accounts.mlTeam.address, true)).toBe(0n);
    const before = await publicationState();
    await expectRevert(publishTx(w.v1, { data: ["world", "withdrawn"] }), p.systems, "RetrievalDataWithdrawn", [withdrawn.version, withdrawn.datasetId, false]);
    await expectRevert(publishTx(w.v1, { data: ["revoked"] }), p.systems, "RetrievalDataWithdrawn", [revoked.version, revoked.datasetId, true]);
    expect(await publicationState()).toEqual(before);
  });

  it("stores what the retrieval licences' deployment territories exclude, only when they exclude something", async () => {
    const worldwide = await publish(w.v1, { data: ["world"] });
    expect((await p.systems.getSystemVersion(worldwide))[0].territoryRestricted).toBe(false);
    expect(await p.systems.deploymentTerritoryOf(worldwide)).toBe(WORLDWIDE);
    expect(plain(await p.systems.retrievalLicenceExcluding(worldwide, set("US")))).toEqual(plain([0n, WORLDWIDE]));

    const restricted = await publish(w.v1, { data: ["world", "eu", "dach"] });
    expect((await p.systems.getSystemVersion(restricted))[0].territoryRestricted).toBe(true);
    expect(await p.systems.deploymentTerritoryOf(restricted)).toBe(EU & DACH);
    // The first licence leaving a region out is named, with its own territory.
    expect(plain(await p.systems.retrievalLicenceExcluding(restricted, set("CH")))).toEqual(plain([w.data.eu.licence, EU]));
    expect(plain(await p.systems.retrievalLicenceExcluding(restricted, set("FR")))).toEqual(plain([w.data.dach.licence, DACH]));
    expect(plain(await p.systems.retrievalLicenceExcluding(restricted, set("DE")))).toEqual(plain([0n, WORLDWIDE]));
    expect(await p.systems.deploymentTerritoryOf(99n)).toBe(0n);

    // Worldwide retrieval data costs no storage beyond the digests; restricted data adds two slots (the excluded
    // regions and up to three restricting licences).
    const cfg = (label: string) => config({ retrievalIndex: hash32(label) });
    const base = await storageWrites(p.systems.connect(p.accounts.mlTeam).publishSystemVersion(w.v1, 0n, cfg("a"), [w.data.world.version], [w.data.world.licence], ""));
    const narrowed = await storageWrites(p.systems.connect(p.accounts.mlTeam).publishSystemVersion(w.v1, 0n, cfg("b"), [w.data.eu.version], [w.data.eu.licence], ""));
    expect(narrowed - base).toBe(2);
    // Zero digests are not written.
    const bare = await storageWrites(p.systems.connect(p.accounts.mlTeam).publishSystemVersion(w.v1, 0n, config({ policyHash: ZERO32, toolsHash: ZERO32 }), [], [], ""));
    expect(base - bare).toBe(3);
  });
});

/** A struct read back from the chain as a plain configuration object. */
function plainConfig(stored: { promptHash: string; retrievalIndex: string; policyHash: string; toolsHash: string }) {
  return { promptHash: stored.promptHash, retrievalIndex: stored.retrievalIndex, policyHash: stored.policyHash, toolsHash: stored.toolsHash };
}

// ------------------------------------------------------------------ release gate

describe("approveSystemVersion", () => {
  it("passes the gate with attestations about the system version; releasable once its model version is too", async () => {
    const systemId = await publish(w.v3);
    const approval = await attest(p, Subject.SystemVersion, systemId);
    const approved = await eventOf(p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [approval]), p.systems, "SystemVersionApproved");
    expect(plain(approved.args)).toEqual(plain([systemId, w.model, [approval], p.accounts.mlTeam.address]));
    expect((await p.systems.getSystemVersion(systemId))[0].approved).toBe(true);
    expect(plain(await p.systems.approvalAttestations(systemId))).toEqual(plain([approval]));
    // v3 has not passed its own gate.
    expect(await p.systems.isReleasable(systemId)).toBe(false);
    await approveModelVersion(p, w.v3);
    expect(await p.systems.isReleasable(systemId)).toBe(true);
  });

  it("applies the model's release policy, naming the kinds missing; its declared-data flag is the model version's concern", async () => {
    const { mlTeam } = p.accounts;
    const bit = (...kinds: number[]) => kinds.reduce((bits, kind) => bits | (1n << BigInt(kind)), 0n);
    await p.models.connect(mlTeam).setReleasePolicy(w.model, bit(Kind.SafetyEvaluation, Kind.BiasCheck, Kind.ReleaseApproval) | 1n);
    const systemId = await publish(w.v1);
    const approval = await attest(p, Subject.SystemVersion, systemId);
    await expectRevert(
      p.systems.connect(mlTeam).approveSystemVersion(systemId, [approval]),
      p.systems,
      "RequiredAttestationsMissing",
      [Subject.SystemVersion, systemId, bit(Kind.SafetyEvaluation, Kind.BiasCheck)],
    );
    const safety = await attest(p, Subject.SystemVersion, systemId, Kind.SafetyEvaluation);
    const bias = await attest(p, Subject.SystemVersion, systemId, Kind.BiasCheck);
    await p.systems.connect(mlTeam).approveSystemVersion(systemId, [safety, bias, approval]);
    expect(await p.systems.isReleasable(systemId)).toBe(true);
  });

  it("refuses attestations about the model version, or about another system version", async () => {
    const systemId = await publish(w.v1);
    const other = await publish(w.v2);
    const aboutVersion = await attest(p, Subject.ModelVersion, w.v1);
    const aboutOther = await attest(p, Subject.SystemVersion, other);
    await expectRevert(p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [aboutVersion]), p.systems, "AttestationNotForSubject", [aboutVersion, Subject.SystemVersion, systemId]);
    await expectRevert(p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [aboutOther]), p.systems, "AttestationNotForSubject", [aboutOther, Subject.SystemVersion, systemId]);
    expect((await p.systems.getSystemVersion(systemId))[0].approved).toBe(false);
  });

  it("refuses a revoked or expired attestation", async () => {
    const systemId = await publish(w.v1);
    const revoked = await attest(p, Subject.SystemVersion, systemId);
    await revoke(revoked);
    await expectRevert(p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [revoked]), p.systems, "AttestationNotValid", [revoked]);
    const now = BigInt(await p.connection.networkHelpers.time.latest());
    const expiring = await attest(p, Subject.SystemVersion, systemId, Kind.ReleaseApproval, now + 100n);
    await p.connection.networkHelpers.time.increaseTo(now + 100n);
    await expectRevert(p.systems.connect(p.accounts.mlTeam).approveSystemVersion(systemId, [expiring]), p.systems, "AttestationNotValid", [expiring]);
  });

  it("refuses approving twice, a stranger, the approver and an unknown system version", async () => {
    const { stranger, approver, mlTeam } = p.accounts;
    const systemId = await publish(w.v1);
    const approval = await attest(p, Subject.SystemVersion, systemId);
    await expectRevert(p.systems.connect(stranger).approveSystemVersion(systemId, [approval]), p.systems, "NotModelOperator", [w.model, stranger.address]);
    // Holding the release-approver role does not make one the model's operator.
    await expectRevert(p.systems.connect(approver).approveSystemVersion(systemId, [approval]), p.systems, "NotModelOperator", [w.model, approver.address]);
    await expectRevert(p.systems.connect(mlTeam).approveSystemVersion(99n, [approval]), p.systems, "UnknownSystemVersion", [99n]);
    await p.systems.connect(mlTeam).approveSystemVersion(systemId, [approval]);
    await expectRevert(p.systems.connect(mlTeam).approveSystemVersion(systemId, [approval]), p.systems, "SystemAlreadyApproved", [systemId]);
  });

  it("isReleasable turns false when the system's approval or its model version's is revoked", async () => {
    const { systemId, approval } = await approvedSystem();
    expect(await p.systems.isReleasable(systemId)).toBe(true);
    await revoke(approval);
    expect(await p.systems.isReleasable(systemId)).toBe(false);
    const other = (await approvedSystem(w.v1, { cfg: config() })).systemId;
    expect(await p.systems.isReleasable(other)).toBe(true);
    await revoke(w.approvalV1);
    expect(await p.systems.isReleasable(other)).toBe(false);
    expect(await p.systems.isReleasable(99n)).toBe(false);
  });

  it("attestations name system versions as subjects: known ones only", async () => {
    const systemId = await publish(w.v1);
    await attest(p, Subject.SystemVersion, systemId, Kind.SafetyEvaluation);
    await expectRevert(
      p.attestations.connect(p.accounts.evaluator).attest(attestation(Subject.SystemVersion, systemId + 1n, Kind.SafetyEvaluation)),
      p.attestations,
      "UnknownSubject",
      [Subject.SystemVersion, systemId + 1n],
    );
  });
});

// ------------------------------------------------------------------ deploySystem

describe("deploySystem", () => {
  it("puts an approved system version live: the deployment names its system and model version", async () => {
    const { mlTeam } = p.accounts;
    const { systemId } = await approvedSystem();
    const tx = p.releases.connect(mlTeam).deploySystem(systemId, PROD, SERVED);
    const deployed = await eventOf(tx, p.releases, "Deployed");
    expect(plain(deployed.args)).toEqual(plain([1n, w.model, w.v1, systemId, keccakText(PROD), PROD, 0n, SERVED, mlTeam.address]));
    expect(plain(await p.releases.getDeployment(1n))).toEqual(plain([w.model, w.v1, 0n, systemId]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
    expect((await p.releases.versionStatus(w.v1, PROD)).live).toBe(true);
  });

  it("refuses a stranger and an unknown system version; an operator may deploy", async () => {
    const { stranger, relayer, mlTeam } = p.accounts;
    const { systemId } = await approvedSystem();
    await expectRevert(p.releases.connect(stranger).deploySystem(systemId, PROD, SERVED), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(p.releases.connect(mlTeam).deploySystem(99n, PROD, SERVED), p.systems, "UnknownSystemVersion", [99n]);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    await deploySystem(systemId, SERVED, PROD, relayer);
  });

  it("refuses what is not releasable, naming the gate: the system's, the model version's, or an approval revoked since", async () => {
    const { mlTeam } = p.accounts;
    const deployTx = (systemId: bigint) => p.releases.connect(mlTeam).deploySystem(systemId, PROD, SERVED);
    const unapproved = await publish(w.v1);
    await expectRevert(deployTx(unapproved), p.releases, "SystemNotApproved", [unapproved]);
    // The system passed its gate, but its model version did not pass its own.
    const onV3 = (await approvedSystem(w.v3)).systemId;
    await expectRevert(deployTx(onV3), p.releases, "VersionNotApproved", [w.v3]);
    const revokedSystem = await approvedSystem(w.v2);
    await revoke(revokedSystem.approval);
    await expectRevert(deployTx(revokedSystem.systemId), p.releases, "SystemApprovalNoLongerValid", [revokedSystem.systemId]);
    const onV1 = (await approvedSystem(w.v1)).systemId;
    await revoke(w.approvalV1);
    await expectRevert(deployTx(onV1), p.releases, "ApprovalNoLongerValid", [w.v1]);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
  });

  it("refuses the same system version twice, but takes another system or the bare version on the same weights", async () => {
    const { mlTeam } = p.accounts;
    const first = (await approvedSystem()).systemId;
    const second = (await approvedSystem(w.v1, { parent: first })).systemId;
    const d1 = await deploySystem(first);
    await expectRevert(p.releases.connect(mlTeam).deploySystem(first, PROD, SERVED), p.releases, "AlreadyLive", [w.v1, first, PROD]);
    const d2 = await deploySystem(second);
    expect(plain(await p.releases.getDeployment(d2))).toEqual(plain([w.model, w.v1, d1, second]));
    const bare = await eventOf(p.releases.connect(mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "Deployed");
    expect(bare.args.systemId).toBe(0n);
    await expectRevert(p.releases.connect(mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "AlreadyLive", [w.v1, 0n, PROD]);
    await deploySystem(first);
  });

  it("serves only regions inside the retrieval data's deployment territory, naming the retrieval licence; nothing is written", async () => {
    const { systemId } = await approvedSystem(w.v1, { data: ["world", "eu", "dach"] });
    const deployTx = (regions: bigint) => p.releases.connect(p.accounts.mlTeam).deploySystem(systemId, PROD, regions);
    await expectRevert(deployTx(set("DE,CH")), p.releases, "DeploymentOutsideTerritory", [w.data.eu.licence, set("DE,CH"), EU]);
    await expectRevert(deployTx(set("DE,FR")), p.releases, "DeploymentOutsideTerritory", [w.data.dach.licence, set("DE,FR"), DACH]);
    await expectRevert(deployTx(0n), p.releases, "EmptyRegionSet", []);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
    await deploySystem(systemId, set("DE,AT"));
    // The bare model version has no retrieval data: it may serve where the system may not.
    await p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, set("US"));
  });

  it("checks the model version's lineage territory too, before the retrieval data's", async () => {
    const { systemId } = await approvedSystem(w.euV1, { data: ["dach"] });
    const deployTx = (regions: bigint) => p.releases.connect(p.accounts.mlTeam).deploySystem(systemId, PROD, regions);
    // Switzerland: outside the training data's EU, inside the retrieval data's DACH.
    await expectRevert(deployTx(set("CH")), p.releases, "DeploymentOutsideTerritory", [w.data.eu.licence, set("CH"), EU]);
    // France: inside the EU, outside DACH.
    await expectRevert(deployTx(set("FR")), p.releases, "DeploymentOutsideTerritory", [w.data.dach.licence, set("FR"), DACH]);
    await deploySystem(systemId, set("DE,AT"));
  });
});

describe("rollback and take-down of system deployments", () => {
  it("rolls back to the previous system version while it is releasable, and refuses once its approval is revoked", async () => {
    const { mlTeam, stranger } = p.accounts;
    const first = await approvedSystem();
    const second = (await approvedSystem(w.v1, { parent: first.systemId })).systemId;
    const d1 = await deploySystem(first.systemId);
    const d2 = await deploySystem(second);
    await expectRevert(p.releases.connect(stranger).rollback(w.model, PROD, "regression"), p.releases, "NotModelOperator", [w.model, stranger.address]);
    const snapshot = await p.connection.networkHelpers.takeSnapshot();
    const back = await eventOf(p.releases.connect(mlTeam).rollback(w.model, PROD, "regression"), p.releases, "RolledBack");
    expect([back.args.fromDeploymentId, back.args.toDeploymentId, back.args.toVersionId]).toEqual([d2, d1, w.v1]);
    expect((await p.releases.systemStatus(first.systemId, PROD)).live).toBe(true);
    await snapshot.restore();

    await revoke(first.approval);
    await expectRevert(p.releases.connect(mlTeam).rollback(w.model, PROD, "regression"), p.releases, "SystemApprovalNoLongerValid", [first.systemId]);
    expect((await p.releases.systemStatus(second, PROD)).live).toBe(true);
    // Taking it down needs no approval.
    await p.releases.connect(mlTeam).takeDown(w.model, PROD, "regression");
    expect((await p.releases.systemStatus(second, PROD)).deploymentId).toBe(0n);
  });

  it("refuses a rollback to a system version whose model version's approval was revoked", async () => {
    const first = (await approvedSystem()).systemId;
    const onV2 = (await approvedSystem(w.v2, { parent: first })).systemId;
    await deploySystem(first);
    await deploySystem(onV2);
    await revoke(w.approvalV1);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "regression"), p.releases, "ApprovalNoLongerValid", [w.v1]);
  });

  it("rolls back from a system version to the bare model version", async () => {
    const { systemId } = await approvedSystem();
    await p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, SERVED);
    await deploySystem(systemId);
    await p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "prompt regression");
    expect((await p.releases.systemStatus(systemId, PROD)).live).toBe(false);
    expect((await p.releases.versionStatus(w.v1, PROD)).live).toBe(true);
  });
});

// ------------------------------------------------------------------ decisions

describe("anchorSystemDecisions", () => {
  const tree = (label: string, count = 3) =>
    StandardMerkleTree.of(Array.from({ length: count }, (_, i) => [keccakText(`${label}:${i}`)]), ["bytes32"]);

  it("anchors a batch for the system's model version, the event naming the system and its policy", async () => {
    const { mlTeam } = p.accounts;
    const cfg = config();
    const { systemId } = await approvedSystem(w.v1, { cfg });
    const batch = tree("system");
    const tx = p.releases.connect(mlTeam).anchorSystemDecisions(systemId, batch.root, 3n, 1_700_000_000n, 1_700_003_600n, SERVED, "ipfs://decisions");
    const anchored = await eventOf(tx, p.releases, "DecisionBatchAnchored");
    expect(plain(anchored.args)).toEqual(
      plain([batch.root, w.v1, w.model, systemId, cfg.policyHash, 3n, 1_700_000_000n, 1_700_003_600n, SERVED, "ipfs://decisions", mlTeam.address]),
    );
    expect((await p.releases.getDecisionBatch(w.v1, batch.root)).count).toBe(3n);
    const [record] = batch.at(1)!;
    expect(await p.releases.verifyDecision(w.v1, batch.root, record, batch.getProof(1))).toBe(true);
  });

  it("refuses a stranger, an unknown or unapproved system version, and a root its model version anchored already", async () => {
    const { mlTeam, stranger } = p.accounts;
    const { systemId } = await approvedSystem();
    const unapproved = await publish(w.v1);
    const batch = tree("refused");
    const anchorTx = (id: bigint, signer = mlTeam) => p.releases.connect(signer).anchorSystemDecisions(id, batch.root, 3n, 0n, 0n, SERVED, "");
    await expectRevert(anchorTx(systemId, stranger), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(anchorTx(99n), p.systems, "UnknownSystemVersion", [99n]);
    await expectRevert(anchorTx(unapproved), p.releases, "SystemNotApproved", [unapproved]);
    await expectRevert(p.releases.connect(mlTeam).anchorSystemDecisions(systemId, ZERO32, 3n, 0n, 0n, SERVED, ""), p.releases, "ZeroRoot", []);
    await expectRevert(p.releases.connect(mlTeam).anchorSystemDecisions(systemId, batch.root, 3n, 0n, 0n, 0n, ""), p.releases, "EmptyRegionSet", []);
    expect((await p.releases.getDecisionBatch(w.v1, batch.root)).count).toBe(0n);
    await p.releases.connect(mlTeam).anchorDecisions(w.v1, batch.root, 3n, 0n, 0n, SERVED, "");
    await expectRevert(anchorTx(systemId), p.releases, "BatchAlreadyAnchored", [w.v1, batch.root]);
  });

  it("still anchors the evidence of a system whose approval was revoked since", async () => {
    const { systemId, approval } = await approvedSystem();
    await revoke(approval);
    await p.releases.connect(p.accounts.mlTeam).anchorSystemDecisions(systemId, tree("late").root, 3n, 0n, 0n, SERVED, "");
  });
});

// ------------------------------------------------------------------ status

describe("systemStatus", () => {
  it("answers what an agent checks, through every state", async () => {
    const status = async (systemId: bigint) => plain(await p.releases.systemStatus(systemId, PROD));
    expect(await status(99n)).toEqual(plain([false, 0n, 0n, false, false, false, 0n, false]));
    const systemId = await publish(w.v1);
    expect(await status(systemId)).toEqual(plain([true, w.model, w.v1, false, false, false, 0n, false]));
    const approval = await approveSystem(systemId);
    expect(await status(systemId)).toEqual(plain([true, w.model, w.v1, true, true, false, 0n, false]));
    const deploymentId = await deploySystem(systemId);
    expect(await status(systemId)).toEqual(plain([true, w.model, w.v1, true, true, true, deploymentId, false]));
    await revoke(approval);
    expect(await status(systemId)).toEqual(plain([true, w.model, w.v1, true, false, true, deploymentId, true]));
    // The bare version live on the same weights is not this system.
    await p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, SERVED);
    expect(await status(systemId)).toEqual(plain([true, w.model, w.v1, true, false, false, deploymentId + 1n, false]));
  });
});
