/** System-version actions: publish (with a parent's configuration kept), approve, deploy, anchor decisions, status. */
import { beforeAll, describe, expect, it } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroHash, id } from "ethers";
import {
  InvalidInputError,
  PedigreeContractError,
  anchorSystemDecisions,
  approveSystemVersion,
  approveVersion,
  attest,
  deploySystem,
  publishSystemVersion,
  revokeAttestation,
  systemStatus,
  verifyDecision,
  withdrawDataset,
  type PedigreeClient,
} from "../../../src/sdk/index.ts";
import { regionSet } from "../../../src/core/regions.ts";
import { caught, licensedDataset, modelWithVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

let f: SdkFixture;
let mlTeam: PedigreeClient;
let modelId: bigint;
let v1: bigint;
let otherVersion: bigint;
let world: { datasetId: bigint; versionId: bigint; licenceId: bigint };
let eu: { datasetId: bigint; versionId: bigint; licenceId: bigint };

const prompt = id("You are a triage assistant.");
const policy = id("guardrails v1");
const tools = id("[lookup_icd10]");
const index = id("retrieval index v1");

async function releaseApproval(subjectType: "model-version" | "system-version", subjectId: bigint): Promise<bigint> {
  const evidence = { evidenceHash: id(`memo ${subjectType} ${subjectId}`), evidenceURI: "ipfs://memo" };
  const { attestationId } = await attest(f.clients.approver, { subjectType, subjectId, kind: "release-approval", ...evidence });
  return attestationId;
}

/** How many transactions mlTeam has sent: a refusal before sending leaves it as it was. */
const sent = () => f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);

beforeAll(async () => {
  f = await sdkFixture();
  mlTeam = f.clients.mlTeam;
  world = await licensedDataset(f.clients.creator, mlTeam);
  eu = await licensedDataset(f.clients.creator, mlTeam, { territories: { deployment: "EU" } });
  ({ modelId, versionId: v1 } = await modelWithVersion(mlTeam, [{ datasetVersionId: world.versionId, licenceId: world.licenceId }]));
  ({ versionId: otherVersion } = await modelWithVersion(mlTeam, []));
  await approveVersion(mlTeam, { versionId: v1, attestationIds: [await releaseApproval("model-version", v1)] });
});

describe("publishSystemVersion", () => {
  it("publishes a configuration with its retrieval data, and a prompt update that keeps the rest of its parent's", async () => {
    const first = await publishSystemVersion(mlTeam, {
      modelVersionId: v1,
      config: { promptHash: prompt, retrievalIndex: index, policyHash: policy, toolsHash: tools },
      retrievalData: [{ datasetVersionId: world.versionId, licenceId: world.licenceId }],
      uri: "ipfs://system-card",
    });
    expect(first).toMatchObject({
      modelId,
      modelVersionId: v1,
      parentId: 0n,
      config: { promptHash: prompt, retrievalIndex: index, policyHash: policy, toolsHash: tools },
      retrievalData: [{ datasetVersionId: world.versionId, licenceId: world.licenceId }],
    });

    const newPrompt = id("You are a careful triage assistant.");
    const update = await publishSystemVersion(mlTeam, { modelVersionId: v1, parentId: first.systemId, config: { promptHash: newPrompt }, uri: "ipfs://system-card-2" });
    expect(update).toMatchObject({
      parentId: first.systemId,
      config: { promptHash: newPrompt, retrievalIndex: index, policyHash: policy, toolsHash: tools },
      retrievalData: [{ datasetVersionId: world.versionId, licenceId: world.licenceId }],
    });
    // null clears a digest; dropping retrieval clears its data too.
    const noTools = await publishSystemVersion(mlTeam, { modelVersionId: v1, parentId: update.systemId, config: { toolsHash: null, retrievalIndex: null }, uri: "x" });
    expect(noTools.config).toEqual({ promptHash: newPrompt, retrievalIndex: ZeroHash, policyHash: policy, toolsHash: ZeroHash });
    expect(noTools.retrievalData).toEqual([]);
  });

  it("refuses before sending a version that changes nothing, an unknown parent and a parent of another model", async () => {
    const base = await publishSystemVersion(mlTeam, { modelVersionId: v1, config: { promptHash: id("same") }, uri: "x" });
    const before = await sent();
    const same = (await caught(publishSystemVersion(mlTeam, { modelVersionId: v1, parentId: base.systemId, config: {}, uri: "y" }))) as PedigreeContractError;
    expect(same).toBeInstanceOf(PedigreeContractError);
    expect(same.message).toBe(
      `NothingChanged: the new system version would run the same weights with the same configuration as system version ${base.systemId}. ` +
        `Change the prompt, retrieval index, policy, tools or model version, or keep running system version ${base.systemId}.`,
    );
    const unknown = (await caught(publishSystemVersion(mlTeam, { modelVersionId: v1, parentId: 999n, config: {}, uri: "y" }))) as PedigreeContractError;
    expect(unknown.message).toBe("UnknownSystemVersion: system version 999 does not exist. Check the system version id.");
    const foreign = (await caught(publishSystemVersion(mlTeam, { modelVersionId: otherVersion, parentId: base.systemId, config: {}, uri: "y" }))) as PedigreeContractError;
    expect(foreign.errorName).toBe("ParentOfAnotherModel");
    expect(foreign.args).toEqual({ parentId: base.systemId, modelId: modelId + 1n });
    expect(await sent()).toBe(before);
    // Other weights under the same configuration are a change.
    const moved = await publishSystemVersion(mlTeam, { modelVersionId: v1, parentId: base.systemId, config: { policyHash: policy }, uri: "z" });
    expect(moved.parentId).toBe(base.systemId);
  });

  it("refuses bad input before sending: malformed digests, an index without its data, data without an index", async () => {
    const before = await sent();
    const bad = (parameters: Parameters<typeof publishSystemVersion>[1]) => caught(publishSystemVersion(mlTeam, parameters));
    expect(await bad({ modelVersionId: v1, config: { promptHash: "0x1234" }, uri: "x" })).toBeInstanceOf(InvalidInputError);
    const noData = (await bad({ modelVersionId: v1, config: { retrievalIndex: index }, uri: "x" })) as InvalidInputError;
    expect(noData.field).toBe("retrievalData");
    expect(noData.message).toMatch(/^retrieval index 0x[0-9a-f]{64} needs the dataset versions it was built from/);
    const noIndex = (await bad({ modelVersionId: v1, config: {}, retrievalData: [{ datasetVersionId: world.versionId, licenceId: world.licenceId }], uri: "x" })) as InvalidInputError;
    expect(noIndex.field).toBe("config.retrievalIndex");
    expect(await bad({ modelVersionId: 0n, config: {}, uri: "x" })).toBeInstanceOf(InvalidInputError);
    expect(await bad({ modelVersionId: v1, config: {}, uri: "" })).toBeInstanceOf(InvalidInputError);
    expect(await sent()).toBe(before);
  });

  it("explains the registry's refusals of retrieval data: unlicensed, withdrawn", async () => {
    const other = await licensedDataset(f.clients.creator, f.clients.stranger);
    const unlicensed = (await caught(
      publishSystemVersion(mlTeam, { modelVersionId: v1, config: { retrievalIndex: index }, retrievalData: [{ datasetVersionId: other.versionId, licenceId: other.licenceId }], uri: "x" }),
    )) as PedigreeContractError;
    expect(unlicensed.message).toBe(
      `RetrievalDataNotUsable: dataset version ${other.versionId} cannot be used for retrieval under licence ${other.licenceId} (WrongLicensee). ` +
        "The model's owner must hold the licence; acquire one with the model owner as licensee (acquireLicence).",
    );
    const gone = await licensedDataset(f.clients.creator, mlTeam);
    await withdrawDataset(f.clients.creator, { datasetId: gone.datasetId, reason: "retired" });
    const withdrawn = (await caught(
      publishSystemVersion(mlTeam, { modelVersionId: v1, config: { retrievalIndex: index }, retrievalData: [{ datasetVersionId: gone.versionId, licenceId: gone.licenceId }], uri: "x" }),
    )) as PedigreeContractError;
    expect(withdrawn.message).toBe(
      `RetrievalDataWithdrawn: dataset version ${gone.versionId} belongs to dataset ${gone.datasetId}, which its creator withdrew: ` +
        "a retrieval index serves the data itself, so it may not be built from it. Rebuild the retrieval index without that dataset.",
    );
  });
});

describe("approveSystemVersion / deploySystem / systemStatus", () => {
  it("approves, deploys inside the retrieval territory, and reports the status with the configuration", async () => {
    const { systemId } = await publishSystemVersion(mlTeam, {
      modelVersionId: v1,
      config: { promptHash: prompt, retrievalIndex: id("eu index"), policyHash: policy },
      retrievalData: [{ datasetVersionId: eu.versionId, licenceId: eu.licenceId }],
      uri: "ipfs://eu-system",
    });
    const aboutVersion = await releaseApproval("model-version", v1);
    const wrong = (await caught(approveSystemVersion(mlTeam, { systemId, attestationIds: [aboutVersion] }))) as PedigreeContractError;
    expect(wrong.message).toBe(`AttestationNotForSubject: attestation ${aboutVersion} is not about system version ${systemId}. Pass attestations whose subject is this system version.`);
    const notYet = (await caught(deploySystem(mlTeam, { systemId, environment: "production", regions: "DE" }))) as PedigreeContractError;
    expect(notYet.message).toBe(
      `SystemNotApproved: system version ${systemId} has not passed its release gate, so it can be neither deployed nor anchor decisions. Approve it first (approveSystemVersion).`,
    );

    const approval = await releaseApproval("system-version", systemId);
    const approved = await approveSystemVersion(mlTeam, { systemId, attestationIds: [approval] });
    expect(approved).toMatchObject({ systemId, modelId, attestationIds: [approval] });

    const outside = (await caught(deploySystem(mlTeam, { systemId, environment: "production", regions: "DE,CH" }))) as PedigreeContractError;
    expect(outside.errorName).toBe("DeploymentOutsideTerritory");
    expect(outside.args).toEqual({ licenceId: eu.licenceId, regions: regionSet("DE,CH", "r"), allowed: regionSet("EU", "r") });
    const deployed = await deploySystem(mlTeam, { systemId, environment: "production", regions: "DE,FR" });
    expect(deployed).toMatchObject({ modelId, versionId: v1, systemId, environment: "production", regions: regionSet("DE,FR", "r") });

    const status = await systemStatus(f.clients.stranger, { systemId, environment: "production" });
    expect(status).toEqual({
      exists: true,
      modelId,
      modelVersionId: v1,
      approved: true,
      releasable: true,
      live: true,
      deploymentId: deployed.deploymentId,
      liveButNotReleasable: false,
      config: { promptHash: prompt, retrievalIndex: id("eu index"), policyHash: policy, toolsHash: ZeroHash },
    });
    await revokeAttestation(f.clients.approver, { attestationId: approval, reason: "prompt injection found" });
    expect(await systemStatus(f.clients.stranger, { systemId, environment: "production" })).toMatchObject({ releasable: false, live: true, liveButNotReleasable: true });
    expect(await systemStatus(f.clients.stranger, { systemId: 999n, environment: "production" })).toMatchObject({ exists: false, config: null });
  });

  it("names the missing kinds of the model's policy for a system version", async () => {
    const { systemId } = await publishSystemVersion(mlTeam, { modelVersionId: otherVersion, config: { promptHash: prompt }, uri: "x" });
    const missing = (await caught(approveSystemVersion(mlTeam, { systemId, attestationIds: [] }))) as PedigreeContractError;
    expect(missing.message).toBe(
      `RequiredAttestationsMissing: system version ${systemId} lacks attestations its release policy requires: release-approval. ` +
        "Have the attesters attest (attest, multiAttest) and pass their attestation ids.",
    );
  });
});

describe("anchorSystemDecisions", () => {
  it("anchors for the system's model version, with the system and its policy; refuses a bad batch before sending", async () => {
    const { systemId } = await publishSystemVersion(mlTeam, { modelVersionId: v1, config: { promptHash: id("anchoring"), policyHash: policy }, uri: "x" });
    await approveSystemVersion(mlTeam, { systemId, attestationIds: [await releaseApproval("system-version", systemId)] });
    const records = [id("decision 1"), id("decision 2"), id("decision 3")];
    const tree = StandardMerkleTree.of(records.map((record) => [record]), ["bytes32"]);
    const batch = { root: tree.root, count: 3, windowStart: 1_767_398_400n, windowEnd: 1_767_484_800n, regions: "DE", uri: "s3://decisions" };
    const before = await sent();
    expect(await caught(anchorSystemDecisions(mlTeam, { systemId, ...batch, count: 0 }))).toBeInstanceOf(InvalidInputError);
    expect(await caught(anchorSystemDecisions(mlTeam, { systemId, ...batch, windowEnd: 1n }))).toBeInstanceOf(InvalidInputError);
    expect(await sent()).toBe(before);

    const anchored = await anchorSystemDecisions(mlTeam, { systemId, ...batch });
    expect(anchored).toMatchObject({ root: tree.root, versionId: v1, modelId, systemId, policyHash: policy, count: 3n, regions: regionSet("DE", "r") });
    const verified = await verifyDecision(f.clients.stranger, { versionId: v1, root: tree.root, recordHash: records[1]!, proof: tree.getProof(1) });
    expect(verified.included).toBe(true);
  });
});
