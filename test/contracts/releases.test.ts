/**
 * ReleaseRegistry: deployments of approved model versions to named environments, rollbacks, the agent-facing
 * version status, and anchored Merkle batches of decision records.
 *
 * One chain is deployed for the whole file; every test starts from a snapshot of the shared setup below.
 */
import { describe, expect, it } from "vitest";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id as keccakText, keccak256, AbiCoder, concat } from "ethers";
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
import { regionSet } from "../../src/core/regions.ts";

const ZERO32 = "0x" + "00".repeat(32);
const PROD = "production";
const STAGING = "staging";
/** The regions every deployment of this file serves (the data's territories are worldwide). */
const SERVED = regionSet("EU,CH", "regions");

/** Ethers Results (and nested ones) to plain arrays, numbers to bigint, strings lower-cased: comparable with toEqual. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return normalise(Array.from(value, plain));
  return normalise(value);
}

// ------------------------------------------------------------------ local builders on top of the fixture

async function registerModel(p: Protocol, owner: HardhatEthersSigner) {
  const registered = await eventOf(p.models.connect(owner).registerModel(true, hash32("card"), "ipfs://card"), p.models, "ModelRegistered");
  return registered.args.modelId as bigint;
}

async function publish(p: Protocol, owner: HardhatEthersSigner, modelId: bigint, uses: [bigint, bigint][]) {
  const published = await eventOf(
    p.models.connect(owner).publishVersion(modelId, modelVersion(), trainingRun(uses)),
    p.models,
    "ModelVersionPublished",
  );
  return published.args.versionId as bigint;
}

/** The approver signs off `versionId` (optionally with an expiry) and the model owner passes it through the gate. */
async function approve(p: Protocol, versionId: bigint, expiresAt = 0n) {
  const attested = await eventOf(
    p.attestations.connect(p.accounts.approver).attest(attestation(Subject.ModelVersion, versionId, Kind.ReleaseApproval, { expiresAt })),
    p.attestations,
    "Attested",
  );
  const attestationId = attested.args.id as bigint;
  await p.models.connect(p.accounts.mlTeam).approveVersion(versionId, [attestationId]);
  return attestationId;
}

async function deploy(p: Protocol, versionId: bigint, environment: string, signer: HardhatEthersSigner = p.accounts.mlTeam) {
  const deployed = await eventOf(p.releases.connect(signer).deploy(versionId, environment, SERVED), p.releases, "Deployed");
  return deployed.args.deploymentId as bigint;
}

/** The leaf ReleaseRegistry.verifyDecision recomputes: keccak256(bytes.concat(keccak256(abi.encode(recordHash)))). */
function leafOf(recordHash: string) {
  return keccak256(concat([keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [recordHash]))]));
}

/** OpenZeppelin's commutative pair hash. */
function hashPair(a: string, b: string) {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

function decisionTree(records: string[]) {
  return StandardMerkleTree.of(
    records.map((r) => [r]),
    ["bytes32"],
  );
}

function records(count: number, label = "decision") {
  return Array.from({ length: count }, (_, i) => keccakText(`${label}:${i}`));
}

// ------------------------------------------------------------------ shared setup

interface World {
  p: Protocol;
  /** A dataset version and mlTeam's licence for it. */
  dataVersion: bigint;
  licence: bigint;
  /** mlTeam's model with v1 and v2 approved, v3 published but not approved. */
  model: bigint;
  v1: bigint;
  v2: bigint;
  v3: bigint;
  approvalV1: bigint;
  approvalV2: bigint;
  /** A second model of mlTeam with one approved version. */
  otherModel: bigint;
  otherV1: bigint;
}

async function setup(): Promise<World> {
  const p = await deployProtocol();
  const { creator, mlTeam } = p.accounts;
  const registered = eventOf(
    p.datasets.connect(creator).registerDatasetWithTerms(datasetVersion(), [], [], ZERO32, terms([{ recipient: creator.address, bps: 10_000 }])),
    p.datasets,
    "DatasetVersionPublished",
  );
  const { datasetId, versionId: dataVersion } = (await registered).args as unknown as { datasetId: bigint; versionId: bigint };
  const { currentTermsId } = await p.datasets.getDataset(datasetId);
  const acquired = await eventOf(
    p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, currentTermsId, { value: 10n ** 18n }),
    p.datasets,
    "LicenceAcquired",
  );
  const licence = acquired.args.licenceId as bigint;

  const model = await registerModel(p, mlTeam);
  const v1 = await publish(p, mlTeam, model, [[dataVersion, licence]]);
  const v2 = await publish(p, mlTeam, model, [[dataVersion, licence]]);
  const v3 = await publish(p, mlTeam, model, [[dataVersion, licence]]);
  const approvalV1 = await approve(p, v1);
  const approvalV2 = await approve(p, v2);
  const otherModel = await registerModel(p, mlTeam);
  const otherV1 = await publish(p, mlTeam, otherModel, [[dataVersion, licence]]);
  await approve(p, otherV1);
  return { p, dataVersion, licence, model, v1, v2, v3, approvalV1, approvalV2, otherModel, otherV1 };
}

let w: World;
let p: Protocol;
restoreBeforeEach(async () => {
  w = await setup();
  return (p = w.p);
});

// ------------------------------------------------------------------ deploy

describe("deploy", () => {
  it("puts an approved version live in production", async () => {
    const { mlTeam } = p.accounts;
    expect(await p.releases.connect(mlTeam).deploy.staticCall(w.v1, PROD, SERVED)).toBe(1n);
    const deployed = await eventOf(p.releases.connect(mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "Deployed");
    expect(plain(deployed.args)).toEqual(plain([1n, w.model, w.v1, 0n, keccakText(PROD), PROD, 0n, SERVED, mlTeam.address]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
    expect(plain(await p.releases.getDeployment(1n))).toEqual(plain([w.model, w.v1, 0n, 0n]));
    expect(await p.releases.subjectExists(Subject.Deployment, 1n)).toBe(true);
  });

  it("replaces the live version and remembers the previous deployment", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    const deployed = await eventOf(p.releases.connect(p.accounts.mlTeam).deploy(w.v2, PROD, SERVED), p.releases, "Deployed");
    expect(plain(deployed.args)).toEqual(plain([2n, w.model, w.v2, 0n, keccakText(PROD), PROD, d1, SERVED, p.accounts.mlTeam.address]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v2);
    expect(plain(await p.releases.getDeployment(2n))).toEqual(plain([w.model, w.v2, d1, 0n]));
    // the earlier record is unchanged
    expect(plain(await p.releases.getDeployment(d1))).toEqual(plain([w.model, w.v1, 0n, 0n]));
  });

  it("redeploys a version that is no longer the live one", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    const d2 = await deploy(p, w.v2, PROD);
    const d3 = await deploy(p, w.v1, PROD);
    expect(plain(await p.releases.getDeployment(d3))).toEqual(plain([w.model, w.v1, d2, 0n]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
    expect([d1, d2, d3]).toEqual([1n, 2n, 3n]);
  });

  it("refuses a version that has not passed its release gate", async () => {
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(w.v3, PROD, SERVED), p.releases, "VersionNotApproved", [w.v3]);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
  });

  it("refuses an approved version whose approval was revoked", async () => {
    await p.attestations.connect(p.accounts.approver).revoke(w.approvalV1, "jailbreak found");
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "ApprovalNoLongerValid", [w.v1]);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
  });

  it("refuses an approved version whose approval expired", async () => {
    const helpers = p.connection.networkHelpers;
    const now = BigInt(await helpers.time.latest());
    const v = await publish(p, p.accounts.mlTeam, w.model, [[w.dataVersion, w.licence]]);
    await approve(p, v, now + 500n);
    await deploy(p, v, STAGING);
    await helpers.time.increaseTo(now + 500n);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(v, PROD, SERVED), p.releases, "ApprovalNoLongerValid", [v]);
  });

  it("refuses the version already live in that environment", async () => {
    await deploy(p, w.v1, PROD);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "AlreadyLive", [w.v1, 0n, PROD]);
    // environments are compared exactly
    await deploy(p, w.v1, "Production");
    expect(await p.releases.liveVersion(w.model, "Production")).toBe(w.v1);
  });

  it("refuses an empty environment name", async () => {
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(w.v1, "", SERVED), p.releases, "EmptyEnvironment", []);
  });

  it("refuses callers who neither own nor operate the model", async () => {
    const { stranger, approver } = p.accounts;
    await expectRevert(p.releases.connect(stranger).deploy(w.v1, PROD, SERVED), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(p.releases.connect(approver).deploy(w.v1, PROD, SERVED), p.releases, "NotModelOperator", [w.model, approver.address]);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
  });

  it("lets an ERC-721 operator of the model deploy, and follows transfers of the model", async () => {
    const { mlTeam, relayer, creator2 } = p.accounts;
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    const deployed = await eventOf(p.releases.connect(relayer).deploy(w.v1, PROD, SERVED), p.releases, "Deployed");
    expect(deployed.args.deployer).toBe(relayer.address);

    await p.models.connect(mlTeam).transferFrom(mlTeam.address, creator2.address, w.model);
    for (const former of [mlTeam, relayer]) {
      await expectRevert(p.releases.connect(former).deploy(w.v2, PROD, SERVED), p.releases, "NotModelOperator", [w.model, former.address]);
    }
    await deploy(p, w.v2, PROD, creator2);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v2);
  });

  it("refuses an unknown version (reverted by the model registry)", async () => {
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(999n, PROD, SERVED), p.models, "UnknownModelVersion", [999n]);
  });

  it("keeps environments independent, per model", async () => {
    await deploy(p, w.v1, STAGING);
    await deploy(p, w.v2, PROD);
    await deploy(p, w.otherV1, PROD);
    expect(await p.releases.liveVersion(w.model, STAGING)).toBe(w.v1);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v2);
    expect(await p.releases.liveVersion(w.otherModel, PROD)).toBe(w.otherV1);
    expect(await p.releases.liveVersion(w.otherModel, STAGING)).toBe(0n);
    // promoting v1 to production has production's previous deployment, not staging's
    const promoted = await eventOf(p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "Deployed");
    expect(promoted.args.previousDeploymentId).toBe(2n);

    // rolling production back touches neither staging nor the other model
    await p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "latency regression");
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v2);
    expect(await p.releases.liveVersion(w.model, STAGING)).toBe(w.v1);
    expect(await p.releases.liveVersion(w.otherModel, PROD)).toBe(w.otherV1);
  });

  it("keeps a deployment live after its approval is revoked, and flags it live-but-not-releasable", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    await p.attestations.connect(p.accounts.approver).revoke(w.approvalV1, "jailbreak found");
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
    expect(plain(await p.releases.versionStatus(w.v1, PROD))).toEqual(plain([true, w.model, true, false, true, d1, true]));
  });
});

// ------------------------------------------------------------------ rollback

describe("rollback", () => {
  it("returns the environment to the previous version, then clears it, then refuses", async () => {
    const { mlTeam } = p.accounts;
    const d1 = await deploy(p, w.v1, PROD);
    const d2 = await deploy(p, w.v2, PROD);

    expect(await p.releases.connect(mlTeam).rollback.staticCall(w.model, PROD, "accuracy drop")).toBe(d1);
    const back = await eventOf(p.releases.connect(mlTeam).rollback(w.model, PROD, "accuracy drop"), p.releases, "RolledBack");
    expect(plain(back.args)).toEqual(plain([w.model, keccakText(PROD), d2, d1, w.v2, w.v1, PROD, "accuracy drop", mlTeam.address]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
    expect(plain(await p.releases.versionStatus(w.v1, PROD))).toEqual(plain([true, w.model, true, true, true, d1, false]));
    expect(plain(await p.releases.versionStatus(w.v2, PROD))).toEqual(plain([true, w.model, true, true, false, d1, false]));

    expect(await p.releases.connect(mlTeam).rollback.staticCall(w.model, PROD, "incident")).toBe(0n);
    const cleared = await eventOf(p.releases.connect(mlTeam).rollback(w.model, PROD, "incident"), p.releases, "RolledBack");
    expect(plain(cleared.args)).toEqual(plain([w.model, keccakText(PROD), d1, 0n, w.v1, 0n, PROD, "incident", mlTeam.address]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
    expect(plain(await p.releases.versionStatus(w.v1, PROD))).toEqual(plain([true, w.model, true, true, false, 0n, false]));

    await expectRevert(p.releases.connect(mlTeam).rollback(w.model, PROD, "again"), p.releases, "NothingLive", [w.model, PROD]);
    // deployment records stay
    expect(plain(await p.releases.getDeployment(d2))).toEqual(plain([w.model, w.v2, d1, 0n]));
  });

  it("after a rollback the rolled-back-to version is live again and cannot be redeployed; a new deploy chains on it", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    await deploy(p, w.v2, PROD);
    await p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "");
    await expectRevert(p.releases.connect(p.accounts.mlTeam).deploy(w.v1, PROD, SERVED), p.releases, "AlreadyLive", [w.v1, 0n, PROD]);
    const d3 = await deploy(p, w.v2, PROD);
    expect(plain(await p.releases.getDeployment(d3))).toEqual(plain([w.model, w.v2, d1, 0n]));
    await p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "");
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
  });

  it("refuses when nothing is live in the environment", async () => {
    await deploy(p, w.v1, PROD);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).rollback(w.model, STAGING, "oops"), p.releases, "NothingLive", [w.model, STAGING]);
    await expectRevert(p.releases.connect(p.accounts.mlTeam).rollback(w.otherModel, PROD, "oops"), p.releases, "NothingLive", [w.otherModel, PROD]);
  });

  it("refuses to roll back to a version whose approval was revoked since; the environment stays as it was", async () => {
    await deploy(p, w.v1, PROD);
    await deploy(p, w.v2, PROD);
    await p.attestations.connect(p.accounts.admin).revoke(w.approvalV1, "licence dispute");
    await expectRevert(p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "bad release"), p.releases, "ApprovalNoLongerValid", [w.v1]);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v2);
  });

  it("rolls back a version whose own approval was revoked, to a still-valid one", async () => {
    await deploy(p, w.v1, PROD);
    await deploy(p, w.v2, PROD);
    await p.attestations.connect(p.accounts.approver).revoke(w.approvalV2, "bias regression");
    await p.releases.connect(p.accounts.mlTeam).rollback(w.model, PROD, "v2 approval revoked");
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
  });

  it("takes a version down when the one before it lost its approval too, leaving nothing live", async () => {
    const { mlTeam } = p.accounts;
    await deploy(p, w.v1, PROD);
    const d2 = await deploy(p, w.v2, PROD);
    await p.attestations.connect(p.accounts.admin).revoke(w.approvalV2, "unsafe");
    await p.attestations.connect(p.accounts.admin).revoke(w.approvalV1, "unsafe");
    await expectRevert(p.releases.connect(mlTeam).rollback(w.model, PROD, "unsafe"), p.releases, "ApprovalNoLongerValid", [w.v1]);
    expect(plain(await p.releases.versionStatus(w.v2, PROD))).toEqual(plain([true, w.model, true, false, true, d2, true]));

    const down = await eventOf(p.releases.connect(mlTeam).takeDown(w.model, PROD, "unsafe"), p.releases, "RolledBack");
    expect(plain(down.args)).toEqual(plain([w.model, keccakText(PROD), d2, 0n, w.v2, 0n, PROD, "unsafe", mlTeam.address]));
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(0n);
    expect(plain(await p.releases.versionStatus(w.v2, PROD))).toEqual(plain([true, w.model, true, false, false, 0n, false]));
    await expectRevert(p.releases.connect(mlTeam).takeDown(w.model, PROD, "again"), p.releases, "NothingLive", [w.model, PROD]);

    await approve(p, w.v3);
    const d3 = await deploy(p, w.v3, PROD);
    expect(plain(await p.releases.getDeployment(d3))).toEqual(plain([w.model, w.v3, 0n, 0n]));
  });

  it("takeDown refuses strangers and empty environments and leaves the live version alone", async () => {
    await deploy(p, w.v1, PROD);
    const { stranger, mlTeam } = p.accounts;
    await expectRevert(p.releases.connect(stranger).takeDown(w.model, PROD, "sabotage"), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(p.releases.connect(mlTeam).takeDown(w.model, "", ""), p.releases, "EmptyEnvironment", []);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
  });

  it("refuses strangers, unknown models and empty environments", async () => {
    await deploy(p, w.v1, PROD);
    const { stranger, mlTeam } = p.accounts;
    await expectRevert(p.releases.connect(stranger).rollback(w.model, PROD, "sabotage"), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(p.releases.connect(mlTeam).rollback(99n, PROD, ""), p.releases, "NotModelOperator", [99n, mlTeam.address]);
    await expectRevert(p.releases.connect(mlTeam).rollback(w.model, "", ""), p.releases, "EmptyEnvironment", []);
    expect(await p.releases.liveVersion(w.model, PROD)).toBe(w.v1);
  });

  it("an operator for all may roll back (`by` is the operator); a single-token approval may not", async () => {
    const { mlTeam, relayer, stranger } = p.accounts;
    await deploy(p, w.v1, PROD);
    await p.models.connect(mlTeam).approve(stranger.address, w.model);
    await expectRevert(p.releases.connect(stranger).rollback(w.model, PROD, "pager"), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(p.releases.connect(stranger).deploy(w.v2, PROD, SERVED), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    const back = await eventOf(p.releases.connect(relayer).rollback(w.model, PROD, "pager"), p.releases, "RolledBack");
    expect(back.args.by).toBe(relayer.address);
  });
});

// ------------------------------------------------------------------ views

describe("views", () => {
  it("versionStatus tells an agent whether a version exists, is approved, releasable and live", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    // fields: exists, modelId, approved, releasable, live, deploymentId
    expect(plain(await p.releases.versionStatus(w.v1, PROD))).toEqual(plain([true, w.model, true, true, true, d1, false]));
    expect(plain(await p.releases.versionStatus(w.v1, STAGING))).toEqual(plain([true, w.model, true, true, false, 0n, false]));
    expect(plain(await p.releases.versionStatus(w.v2, PROD))).toEqual(plain([true, w.model, true, true, false, d1, false]));
    expect(plain(await p.releases.versionStatus(w.v3, PROD))).toEqual(plain([true, w.model, false, false, false, d1, false]));
    expect(plain(await p.releases.versionStatus(w.otherV1, PROD))).toEqual(plain([true, w.otherModel, true, true, false, 0n, false]));
    await p.attestations.connect(p.accounts.approver).revoke(w.approvalV2, "withdrawn");
    expect(plain(await p.releases.versionStatus(w.v2, PROD))).toEqual(plain([true, w.model, true, false, false, d1, false]));
  });

  it("versionStatus of an unknown version says it does not exist", async () => {
    expect(plain(await p.releases.versionStatus(999n, PROD))).toEqual(plain([false, 0n, false, false, false, 0n, false]));
    expect(plain(await p.releases.versionStatus(0n, PROD))).toEqual(plain([false, 0n, false, false, false, 0n, false]));
  });

  it("views of an empty environment revert (except versionStatus of an unknown version)", async () => {
    await expectRevert(p.releases.versionStatus(w.v1, ""), p.releases, "EmptyEnvironment", []);
    await expectRevert(p.releases.liveVersion(w.model, ""), p.releases, "EmptyEnvironment", []);
    // the unknown-version early return happens before the environment is checked
    expect(plain(await p.releases.versionStatus(999n, ""))).toEqual(plain([false, 0n, false, false, false, 0n, false]));
  });

  it("getDeployment and subjectExists(Deployment) for known and unknown deployments", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    expect(plain(await p.releases.getDeployment(d1))).toEqual(plain([w.model, w.v1, 0n, 0n]));
    expect(plain(await p.releases.getDeployment(2n))).toEqual(plain([0n, 0n, 0n, 0n]));
    expect(await p.releases.subjectExists(Subject.Deployment, d1)).toBe(true);
    expect(await p.releases.subjectExists(Subject.Deployment, 2n)).toBe(false);
    expect(await p.releases.subjectExists(Subject.Deployment, 0n)).toBe(false);
    for (const other of [Subject.None, Subject.DatasetVersion, Subject.ModelVersion, Subject.TrainingRun, Subject.Licence]) {
      expect(await p.releases.subjectExists(other, d1)).toBe(false);
    }
  });

  it("deployments can be attested (the attestation registry asks the release registry)", async () => {
    const d1 = await deploy(p, w.v1, PROD);
    const attested = await eventOf(
      p.attestations.connect(p.accounts.auditor).attest(attestation(Subject.Deployment, d1, Kind.RedTeamReport)),
      p.attestations,
      "Attested",
    );
    expect(attested.args.subjectId).toBe(d1);
    await expectRevert(
      p.attestations.connect(p.accounts.auditor).attest(attestation(Subject.Deployment, d1 + 1n, Kind.RedTeamReport)),
      p.attestations,
      "UnknownSubject",
      [Subject.Deployment, d1 + 1n],
    );
  });
});

// ------------------------------------------------------------------ decision batches

describe("decision batches", () => {
  /** Anchors `tree` for `versionId` as `signer` (mlTeam by default). */
  const anchor = (versionId: bigint, tree: { root: string }, count: bigint, signer = p.accounts.mlTeam, window: [bigint, bigint] = [0n, 0n]) =>
    p.releases.connect(signer).anchorDecisions(versionId, tree.root, count, window[0], window[1], SERVED, "");
  const proofOf = (tree: ReturnType<typeof decisionTree>, record: string) => tree.getProof(tree.leafLookup([record]));

  it("anchors a batch and verifies every member record", async () => {
    const { mlTeam } = p.accounts;
    const batch = records(7);
    const tree = decisionTree(batch);
    const tx = p.releases.connect(mlTeam).anchorDecisions(w.v1, tree.root, 7n, 1_700_000_000n, 1_700_003_600n, SERVED, "ipfs://decisions-1");
    const anchored = await eventOf(tx, p.releases, "DecisionBatchAnchored");
    expect(plain(anchored.args)).toEqual(
      plain([tree.root, w.v1, w.model, 0n, ZERO32, 7n, 1_700_000_000n, 1_700_003_600n, SERVED, "ipfs://decisions-1", mlTeam.address]),
    );
    const block = await p.ethers.provider.getBlock((await (await tx).wait())!.blockNumber);
    expect(plain(await p.releases.getDecisionBatch(w.v1, tree.root))).toEqual(plain([7n, 1_700_000_000n, 1_700_003_600n, block!.timestamp]));

    for (const [index, [record]] of tree.entries()) {
      expect(tree.leafHash([record])).toBe(leafOf(record));
      expect(await p.releases.verifyDecision(w.v1, tree.root, record, tree.getProof(index))).toBe(true);
    }
  });

  it("rejects a non-member record and a wrong proof", async () => {
    const batch = records(8);
    const tree = decisionTree(batch);
    await anchor(w.v2, tree, 8n);
    const outsider = keccakText("decision:not-in-batch");
    expect(await p.releases.verifyDecision(w.v2, tree.root, outsider, tree.getProof(0))).toBe(false);
    // a member with another member's proof
    expect(await p.releases.verifyDecision(w.v2, tree.root, batch[1], tree.getProof(5))).toBe(false);
    // a member with an empty or tampered proof
    expect(await p.releases.verifyDecision(w.v2, tree.root, batch[1], [])).toBe(false);
    const tampered = [...tree.getProof(1)];
    tampered[0] = hash32("tampered");
    expect(await p.releases.verifyDecision(w.v2, tree.root, batch[1], tampered)).toBe(false);
    // an inner node offered as a record does not verify (leaves are double-hashed)
    const proof = tree.getProof(0);
    const parent = hashPair(tree.leafHash(tree.at(0)!), proof[0]);
    // the parent node with the rest of the proof does reach the root (so a single-hashed leaf would be forgeable) ...
    expect(proof.slice(1).reduce(hashPair, parent)).toBe(tree.root);
    // ... but the registry double-hashes the record, so the inner node is not accepted as a record
    expect(await p.releases.verifyDecision(w.v2, tree.root, parent, proof.slice(1))).toBe(false);
  });

  it("verifies a one-record batch with an empty proof", async () => {
    const [only] = records(1, "single");
    const tree = decisionTree([only]);
    expect(tree.root).toBe(leafOf(only));
    await anchor(w.v1, tree, 1n, p.accounts.mlTeam, [5n, 5n]);
    expect(await p.releases.verifyDecision(w.v1, tree.root, only, [])).toBe(true);
  });

  it("verifies a proof for arbitrary records of a 1000-record batch", async () => {
    const batch = records(1000, "large");
    const tree = decisionTree(batch);
    await anchor(w.v1, tree, 1000n, p.accounts.mlTeam, [1_700_000_000n, 1_700_086_400n]);
    for (const index of [0, 1, 499, 737, 998, 999]) {
      // StandardMerkleTree sorts leaves, so look the record's tree index up
      const proof = proofOf(tree, batch[index]);
      expect(proof.length).toBeGreaterThanOrEqual(9);
      expect(await p.releases.verifyDecision(w.v1, tree.root, batch[index], proof)).toBe(true);
    }
    expect(await p.releases.verifyDecision(w.v1, tree.root, keccakText("large:1000"), tree.getProof(0))).toBe(false);
  });

  it("keeps batches of different versions apart", async () => {
    const [aRecords, bRecords] = [records(3, "a"), records(3, "b")];
    const [a, b] = [decisionTree(aRecords), decisionTree(bRecords)];
    await anchor(w.v1, a, 3n);
    await anchor(w.otherV1, b, 3n);
    expect(await p.releases.verifyDecision(w.v1, a.root, aRecords[2], proofOf(a, aRecords[2]))).toBe(true);
    expect(await p.releases.verifyDecision(w.otherV1, b.root, bRecords[0], proofOf(b, bRecords[0]))).toBe(true);
    expect((await p.releases.getDecisionBatch(w.otherV1, b.root)).count).toBe(3n);
    // a record of batch a does not verify against batch b, and batch a is not a batch of the other version
    expect(await p.releases.verifyDecision(w.otherV1, b.root, aRecords[2], proofOf(a, aRecords[2]))).toBe(false);
    await expectRevert(p.releases.verifyDecision(w.otherV1, a.root, aRecords[2], proofOf(a, aRecords[2])), p.releases, "UnknownBatch", [w.otherV1, a.root]);
  });

  it("squatting: an unapproved, never-deployed version with no training data cannot anchor a decision root", async () => {
    const { stranger: mallory } = p.accounts;
    const malloryModel = await registerModel(p, mallory);
    const malloryVersion = await publish(p, mallory, malloryModel, []);
    const batch = records(5, "team-decisions");
    const tree = decisionTree(batch);
    await expectRevert(anchor(malloryVersion, tree, 5n, mallory), p.releases, "VersionNotApproved", [malloryVersion]);
    // mlTeam's own unapproved version is refused as well
    await expectRevert(anchor(w.v3, tree, 5n), p.releases, "VersionNotApproved", [w.v3]);
    await anchor(w.v1, tree, 5n);
    expect(await p.releases.verifyDecision(w.v1, tree.root, batch[3], proofOf(tree, batch[3]))).toBe(true);
  });

  it("squatting: a root anchored first by another approved version does not capture the owner's lookup", async () => {
    // Mallory owns an approved version (say she is a licensed team) and copies mlTeam's pending anchor transaction.
    const { stranger: mallory } = p.accounts;
    const malloryModel = await registerModel(p, mallory);
    const malloryVersion = await publish(p, mallory, malloryModel, []);
    const approval = await eventOf(
      p.attestations.connect(p.accounts.approver).attest(attestation(Subject.ModelVersion, malloryVersion, Kind.ReleaseApproval)),
      p.attestations,
      "Attested",
    );
    await p.models.connect(mallory).approveVersion(malloryVersion, [approval.args.id as bigint]);
    const batch = records(4, "captured");
    const tree = decisionTree(batch);
    await anchor(malloryVersion, tree, 4n, mallory);
    await anchor(w.v1, tree, 4n);
    // Each batch answers for its own version: mlTeam's is intact, Mallory's is a separate, visible claim.
    expect(await p.releases.verifyDecision(w.v1, tree.root, batch[0], proofOf(tree, batch[0]))).toBe(true);
    expect(await p.releases.verifyDecision(malloryVersion, tree.root, batch[0], proofOf(tree, batch[0]))).toBe(true);
    expect((await p.releases.getDecisionBatch(w.v1, tree.root)).count).toBe(4n);
    expect((await p.releases.getDecisionBatch(malloryVersion, tree.root)).count).toBe(4n);
  });

  it("an operator may anchor; `operator` is the operator", async () => {
    const { mlTeam, relayer } = p.accounts;
    await p.models.connect(mlTeam).setApprovalForAll(relayer.address, true);
    const anchored = await eventOf(anchor(w.v1, decisionTree(records(2, "op")), 2n, relayer), p.releases, "DecisionBatchAnchored");
    expect(anchored.args.operator).toBe(relayer.address);
  });

  it("refuses an unknown batch on verification", async () => {
    const root = hash32("never-anchored");
    await expectRevert(p.releases.verifyDecision(w.v1, root, keccakText("x"), []), p.releases, "UnknownBatch", [w.v1, root]);
    await expectRevert(p.releases.verifyDecision(w.v1, ZERO32, keccakText("x"), []), p.releases, "UnknownBatch", [w.v1, ZERO32]);
    expect(plain(await p.releases.getDecisionBatch(w.v1, root))).toEqual(plain([0n, 0n, 0n, 0n]));
  });

  it("refuses a root anchored before for the same version; another version may anchor it too", async () => {
    const tree = decisionTree(records(4, "dup"));
    await anchor(w.v1, tree, 4n);
    await expectRevert(anchor(w.v1, tree, 4n), p.releases, "BatchAlreadyAnchored", [w.v1, tree.root]);
    await anchor(w.v2, tree, 4n);
    expect((await p.releases.getDecisionBatch(w.v1, tree.root)).count).toBe(4n);
    expect((await p.releases.getDecisionBatch(w.v2, tree.root)).count).toBe(4n);
  });

  it("records the regions the decisions were made in, even outside the deployment territory, and refuses empty or unknown sets", async () => {
    const { mlTeam } = p.accounts;
    const root = decisionTree(records(3, "regions")).root;
    // Evidence is never refused: a batch made where the version may not be deployed is recorded as such.
    const anywhere = regionSet("US,BR", "regions");
    const anchored = await eventOf(p.releases.connect(mlTeam).anchorDecisions(w.v1, root, 3n, 0n, 0n, anywhere, ""), p.releases, "DecisionBatchAnchored");
    expect(anchored.args.regions).toBe(anywhere);
    const other = decisionTree(records(3, "regions-bad")).root;
    await expectRevert(p.releases.connect(mlTeam).anchorDecisions(w.v1, other, 3n, 0n, 0n, 0n, ""), p.releases, "EmptyRegionSet", []);
    await expectRevert(p.releases.connect(mlTeam).anchorDecisions(w.v1, other, 3n, 0n, 0n, 1n << 250n, ""), p.releases, "UnknownRegions", [1n << 250n]);
    expect((await p.releases.getDecisionBatch(w.v1, other)).count).toBe(0n);
  });

  it("refuses a zero root, an empty batch and an inverted window", async () => {
    const { mlTeam } = p.accounts;
    const root = decisionTree(records(2, "checks")).root;
    await expectRevert(p.releases.connect(mlTeam).anchorDecisions(w.v1, ZERO32, 2n, 0n, 0n, SERVED, ""), p.releases, "ZeroRoot", []);
    await expectRevert(p.releases.connect(mlTeam).anchorDecisions(w.v1, root, 0n, 0n, 0n, SERVED, ""), p.releases, "EmptyDecisionBatch", []);
    await expectRevert(
      p.releases.connect(mlTeam).anchorDecisions(w.v1, root, 2n, 1_700_000_001n, 1_700_000_000n, SERVED, ""),
      p.releases,
      "InvalidWindow",
      [1_700_000_001n, 1_700_000_000n],
    );
    expect(plain(await p.releases.getDecisionBatch(w.v1, root))).toEqual(plain([0n, 0n, 0n, 0n]));
  });

  it("refuses strangers and unknown versions", async () => {
    const { mlTeam, stranger } = p.accounts;
    const root = decisionTree(records(2, "auth")).root;
    await expectRevert(p.releases.connect(stranger).anchorDecisions(w.v1, root, 2n, 0n, 0n, SERVED, ""), p.releases, "NotModelOperator", [w.model, stranger.address]);
    await expectRevert(p.releases.connect(mlTeam).anchorDecisions(999n, root, 2n, 0n, 0n, SERVED, ""), p.models, "UnknownModelVersion", [999n]);
    await expectRevert(p.releases.connect(mlTeam).anchorDecisions(0n, root, 2n, 0n, 0n, SERVED, ""), p.models, "UnknownModelVersion", [0n]);
  });
});
