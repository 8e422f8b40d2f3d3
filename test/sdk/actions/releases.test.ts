/** Release actions: deployments, rollbacks, take-downs, anchored decision batches and the status views. */
import { beforeAll, describe, expect, it } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id } from "ethers";
import {
  PedigreeContractError,
  InvalidInputError,
  anchorDecisions,
  approveVersion,
  attest,
  deployVersion,
  liveVersion,
  publishModelVersion,
  revokeAttestation,
  rollback,
  takeDown,
  verifyDecision,
  versionStatus,
  type PedigreeClient,
} from "../../../src/sdk/index.ts";
import { caught, licensedDataset, modelWithVersion, newModelVersion, sdkFixture, type SdkFixture } from "./fixture.ts";
import { WORLDWIDE, regionSet } from "../../../src/core/regions.ts";

let f: SdkFixture;
let modelId: bigint;
let v1: bigint;
let v2: bigint;
let v1Approval: bigint;

async function approve(client: PedigreeClient, versionId: bigint): Promise<bigint> {
  const { attestationId } = await attest(f.clients.approver, {
    subjectType: "model-version",
    subjectId: versionId,
    kind: "release-approval",
    evidenceHash: id(`memo ${versionId}`),
    evidenceURI: "ipfs://memo",
  });
  await approveVersion(client, { versionId, attestationIds: [attestationId] });
  return attestationId;
}

beforeAll(async () => {
  f = await sdkFixture();
  const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
  const uses = [{ datasetVersionId: data.versionId, licenceId: data.licenceId }];
  ({ modelId, versionId: v1 } = await modelWithVersion(f.clients.mlTeam, uses));
  ({ versionId: v2 } = await publishModelVersion(f.clients.mlTeam, {
    modelId,
    version: { ...newModelVersion(), parentVersionId: v1 },
    trainingRun: { data: uses, region: "DE", startedAt: 1n, endedAt: 2n },
  }));
  v1Approval = await approve(f.clients.mlTeam, v1);
  await approve(f.clients.mlTeam, v2);
});

describe("deployVersion / rollback / takeDown / liveVersion / versionStatus", () => {
  it("deploys, replaces, rolls back and takes down, as the views show", async () => {
    expect(await liveVersion(f.clients.stranger, { modelId, environment: "production" })).toBeNull();

    const first = await deployVersion(f.clients.mlTeam, { versionId: v1, environment: "production", regions: "EU" });
    expect(first).toMatchObject({ modelId, versionId: v1, environment: "production", previousDeploymentId: 0n });
    expect(first.deploymentId).toBe(1n);
    expect(await liveVersion(f.clients.stranger, { modelId, environment: "production" })).toBe(v1);
    expect(await f.protocol.releases.getDeployment(first.deploymentId)).toEqual([modelId, v1, 0n, 0n]);

    const second = await deployVersion(f.clients.mlTeam, { versionId: v2, environment: "production", regions: "EU" });
    expect(second.previousDeploymentId).toBe(first.deploymentId);
    expect(await versionStatus(f.clients.stranger, { versionId: v2, environment: "production" })).toEqual({
      exists: true,
      modelId,
      approved: true,
      releasable: true,
      live: true,
      deploymentId: second.deploymentId,
      liveButNotReleasable: false,
    });
    expect((await versionStatus(f.clients.stranger, { versionId: v1, environment: "production" })).live).toBe(false);

    const already = (await caught(deployVersion(f.clients.mlTeam, { versionId: v2, environment: "production", regions: "EU" }))) as PedigreeContractError;
    expect(already.message).toBe(`AlreadyLive: model version ${v2} is already live in "production".`);

    const back = await rollback(f.clients.mlTeam, { modelId, environment: "production", reason: "bias regression" });
    expect(back).toMatchObject({
      modelId,
      environment: "production",
      fromDeploymentId: second.deploymentId,
      fromVersionId: v2,
      liveDeploymentId: first.deploymentId,
      liveVersionId: v1,
    });
    expect(await liveVersion(f.clients.stranger, { modelId, environment: "production" })).toBe(v1);

    const down = await takeDown(f.clients.mlTeam, { modelId, environment: "production", reason: "incident" });
    expect(down).toMatchObject({ modelId, fromDeploymentId: first.deploymentId, fromVersionId: v1 });
    expect(await liveVersion(f.clients.stranger, { modelId, environment: "production" })).toBeNull();

    const nothing = (await caught(takeDown(f.clients.mlTeam, { modelId, environment: "production", reason: "again" }))) as PedigreeContractError;
    expect(nothing.message).toBe(`NothingLive: nothing of model ${modelId} is live in "production".`);
  });

  it("refuses unapproved or no-longer-valid versions and strangers, with decoded errors", async () => {
    const { versionId: unapproved } = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version: newModelVersion(),
      trainingRun: { data: [], region: "DE", startedAt: 1n, endedAt: 2n },
    });
    const notApproved = (await caught(deployVersion(f.clients.mlTeam, { versionId: unapproved, environment: "staging", regions: "EU" }))) as PedigreeContractError;
    expect(notApproved.message).toBe(
      `VersionNotApproved: model version ${unapproved} has not passed its release gate, so it can be neither deployed nor anchor decisions. Approve it first (approveVersion).`,
    );

    const stranger = (await caught(deployVersion(f.clients.stranger, { versionId: v1, environment: "staging", regions: "EU" }))) as PedigreeContractError;
    expect(stranger.errorName).toBe("NotModelOperator");
    expect(stranger.args).toEqual({ modelId, account: f.accounts.stranger.address });

    await revokeAttestation(f.clients.approver, { attestationId: v1Approval, reason: "memo withdrawn" });
    expect((await versionStatus(f.clients.mlTeam, { versionId: v1, environment: "staging" })).releasable).toBe(false);
    const invalid = (await caught(deployVersion(f.clients.mlTeam, { versionId: v1, environment: "staging", regions: "EU" }))) as PedigreeContractError;
    expect(invalid.errorName).toBe("ApprovalNoLongerValid");

    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    await expect(deployVersion(f.clients.mlTeam, { versionId: v2, environment: "", regions: "EU" })).rejects.toThrow(InvalidInputError);
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);

    expect(await versionStatus(f.clients.mlTeam, { versionId: 9_999n, environment: "staging" })).toEqual({
      exists: false,
      modelId: 0n,
      approved: false,
      releasable: false,
      live: false,
      deploymentId: 0n,
      liveButNotReleasable: false,
    });
  });
});

describe("deployVersion: the regions a deployment serves", () => {
  it("records the regions served and refuses regions outside the lineage's deployment territory, naming the licence", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam, { territories: { training: "EEA", deployment: "EU" } });
    const { versionId } = await modelWithVersion(f.clients.mlTeam, [{ datasetVersionId: data.versionId, licenceId: data.licenceId }]);
    await approve(f.clients.mlTeam, versionId);

    const refused = (await caught(deployVersion(f.clients.mlTeam, { versionId, environment: "global", regions: "EU,CH,US" }))) as PedigreeContractError;
    expect(refused.errorName).toBe("DeploymentOutsideTerritory");
    expect(refused.args).toEqual({ licenceId: data.licenceId, regions: regionSet("EU,CH,US", "r"), allowed: regionSet("EU", "r") });
    expect(refused.message).toBe(
      `DeploymentOutsideTerritory: the deployment would serve CH, US, outside the deployment territory of licence ${data.licenceId} (EU), of the version's lineage or the system's retrieval data. ` +
        "Serve only regions inside it (deployVersion, deploySystem regions), or deploy what was trained, or retrieves, on data licensed for those regions.",
    );
    expect(await liveVersion(f.clients.stranger, { modelId: (await f.protocol.models.getVersion(versionId)).modelId, environment: "global" })).toBeNull();

    const deployed = await deployVersion(f.clients.mlTeam, { versionId, environment: "eu", regions: ["DE", "FR"] });
    expect(deployed.regions).toBe(regionSet("DE,FR", "r"));
    const everywhere = await deployVersion(f.clients.mlTeam, { versionId: v2, environment: "everywhere", regions: "WORLDWIDE" });
    expect(everywhere.regions).toBe(WORLDWIDE);
  });

  it("refuses missing, empty or unknown regions before sending", async () => {
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const cases: [unknown, string][] = [
      [undefined, 'regions is required: the regions the deployment serves, e.g. "EU", "DE,FR" or "WORLDWIDE"'],
      [" , ", "regions is empty: give regions such as EU,CH or WORLDWIDE"],
      ["EU,XX", 'regions: "XX" is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, US) nor a group (EU, EEA, WORLDWIDE)'],
      [1n << 249n, `regions has bits that name no region: 0x${(1n << 249n).toString(16)}`],
    ];
    for (const [regions, message] of cases) {
      const error = await caught(deployVersion(f.clients.mlTeam, { versionId: v2, environment: "staging", regions: regions as never }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).message).toBe(message);
    }
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
  });
});

describe("versionStatus: live but no longer releasable", () => {
  it("flags a live version whose approving attestation was revoked after it went live", async () => {
    const { versionId } = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version: { ...newModelVersion(), parentVersionId: v1 },
      trainingRun: { data: [], region: "DE", startedAt: 1n, endedAt: 2n },
    });
    const approval = await approve(f.clients.mlTeam, versionId);
    await deployVersion(f.clients.mlTeam, { versionId, environment: "canary", regions: "EU" });
    expect((await versionStatus(f.clients.stranger, { versionId, environment: "canary" })).liveButNotReleasable).toBe(false);
    await revokeAttestation(f.clients.approver, { attestationId: approval, reason: "memo withdrawn" });
    expect(await versionStatus(f.clients.stranger, { versionId, environment: "canary" })).toMatchObject({
      releasable: false,
      live: true,
      liveButNotReleasable: true,
    });
    // Elsewhere it is not live, so not flagged.
    expect((await versionStatus(f.clients.stranger, { versionId, environment: "production" })).liveButNotReleasable).toBe(false);
  });
});

describe("anchorDecisions / verifyDecision", () => {
  it("anchors a batch root and proves a decision came from the version", async () => {
    const decisions = Array.from({ length: 50 }, (_, i) => id(`decision ${i}`));
    const tree = StandardMerkleTree.of(decisions.map((hash) => [hash]), ["bytes32"]);
    const result = await anchorDecisions(f.clients.mlTeam, {
      versionId: v2,
      root: tree.root,
      count: decisions.length,
      windowStart: new Date("2026-01-03T00:00:00Z"),
      windowEnd: 1_767_484_800n,
      regions: "DE,AT",
      uri: "s3://decisions/2026-01-03.jsonl",
    });
    expect(result).toMatchObject({ root: tree.root, versionId: v2, modelId, count: 50n, regions: regionSet("DE,AT", "r") });
    const anchoredAt = (await f.protocol.ethers.provider.getBlock(result.blockNumber))!.timestamp;
    expect(await f.protocol.releases.getDecisionBatch(v2, tree.root)).toEqual([50n, 1_767_398_400n, 1_767_484_800n, BigInt(anchoredAt)]);

    const asked = decisions[17];
    const proof = tree.getProof([asked]);
    expect(await verifyDecision(f.clients.stranger, { versionId: v2, root: tree.root, recordHash: asked, proof })).toEqual({ included: true });
    expect(await verifyDecision(f.clients.stranger, { versionId: v2, root: tree.root, recordHash: id("forged"), proof })).toEqual({
      included: false,
    });

    // Another version never anchored this root: the answer is not borrowed from v2's batch.
    const unknown = (await caught(
      verifyDecision(f.clients.stranger, { versionId: v1, root: tree.root, recordHash: asked, proof }),
    )) as PedigreeContractError;
    expect(unknown.message).toBe(
      `UnknownBatch: model version ${v1} anchored no decision batch ${tree.root}. ` +
        "Check the root and the version that made the decisions.",
    );
    // v1 may anchor the same root as its own batch: a root cannot be captured by whoever anchors it first.
    await anchorDecisions(f.clients.mlTeam, { versionId: v1, root: tree.root, count: 50, windowStart: 0, windowEnd: 0, regions: "EU", uri: "" });
    expect(await verifyDecision(f.clients.stranger, { versionId: v1, root: tree.root, recordHash: asked, proof })).toEqual({ included: true });

    const twice = (await caught(
      anchorDecisions(f.clients.mlTeam, { versionId: v2, root: tree.root, count: 1, windowStart: 0, windowEnd: 0, regions: "EU", uri: "" }),
    )) as PedigreeContractError;
    expect(twice.message).toBe(
      `BatchAlreadyAnchored: model version ${v2} already anchored decision batch ${tree.root}. Nothing to do: the batch is on-chain.`,
    );

    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    await expect(
      verifyDecision(f.clients.stranger, { versionId: 0n, root: tree.root, recordHash: asked, proof }),
    ).rejects.toThrow("versionId must be a positive id; ids start at 1");
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);

    await expect(
      anchorDecisions(f.clients.mlTeam, { versionId: v2, root: id("r"), count: 1, windowStart: 10, windowEnd: 5, regions: "EU", uri: "" }),
    ).rejects.toThrow("the window ends (5) before it starts (10)");
    await expect(
      anchorDecisions(f.clients.mlTeam, { versionId: v2, root: id("r"), count: 0, windowStart: 1, windowEnd: 5, regions: "EU", uri: "" }),
    ).rejects.toThrow("count must be at least 1");
    await expect(
      anchorDecisions(f.clients.mlTeam, { versionId: v2, root: id("r"), count: 1, windowStart: 1, windowEnd: 5, uri: "" } as never),
    ).rejects.toThrow('regions is required: where the decisions were made, e.g. "EU", "DE,FR" or "WORLDWIDE"');
    await expect(
      anchorDecisions(f.clients.mlTeam, { versionId: v2, root: id("r"), count: 1, windowStart: 1, windowEnd: 5, regions: "EU,QQ", uri: "" }),
    ).rejects.toThrow('regions: "QQ" is not an ISO 3166-1 alpha-2 country code');
  });
});
