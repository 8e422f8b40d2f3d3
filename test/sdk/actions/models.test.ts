/** Model actions: registration, versions trained on licensed data, release policies and the release gate. */
import { beforeAll, describe, expect, it } from "vitest";
import { id } from "ethers";
import {
  PedigreeContractError,
  PedigreeValidationError,
  acquireLicence,
  approveVersion,
  attest,
  publishModelVersion,
  registerModel,
  setReleasePolicy,
  withdrawDataset,
  type PedigreeClient,
} from "../../../src/sdk/index.js";
import {
  caught,
  licensedDataset,
  modelWithVersion,
  newModelVersion,
  sdkFixture,
  type SdkFixture,
} from "./fixture.js";

let f: SdkFixture;
beforeAll(async () => {
  f = await sdkFixture();
});

const run = (data: { datasetVersionId: bigint; licenceId: bigint }[]) => ({
  data,
  codeHash: id("git:abc"),
  hyperparametersHash: id("lr=3e-4"),
  startedAt: 1_767_225_600n,
  endedAt: 1_767_312_000n,
});

async function publishError(owner: PedigreeClient, modelId: bigint, datasetVersionId: bigint, licenceId: bigint) {
  const error = await caught(
    publishModelVersion(owner, { modelId, version: newModelVersion(), trainingRun: run([{ datasetVersionId, licenceId }]) }),
  );
  expect(error).toBeInstanceOf(PedigreeContractError);
  return error as PedigreeContractError;
}

describe("registerModel / publishModelVersion", () => {
  it("registers a model with the default release policy", async () => {
    const result = await registerModel(f.clients.mlTeam, { commercial: true, metadataHash: id("card"), uri: "ipfs://card" });
    expect(result.modelId).toBe(1n);
    expect(result.owner).toBe(f.accounts.mlTeam.address);
    expect(result.releasePolicy).toEqual([6]);
    expect(await f.protocol.models.ownerOf(result.modelId)).toBe(f.accounts.mlTeam.address);
    expect((await f.protocol.models.getModel(result.modelId)).commercial).toBe(true);
    expect(await f.protocol.models.releasePolicy(result.modelId)).toBe(1n << 6n);
  });

  it("publishes a version with its training run on licensed data, and a fine-tune of it", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: true, uri: "ipfs://card" });
    const version = newModelVersion();
    const result = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version,
      trainingRun: {
        ...run([{ datasetVersionId: data.versionId, licenceId: data.licenceId }]),
        startedAt: new Date("2026-01-01T00:00:00Z"),
        endedAt: new Date("2026-01-02T00:00:00Z"),
      },
    });
    expect(result.modelId).toBe(modelId);
    expect(result.number).toBe(1);
    const stored = await f.protocol.models.getVersion(result.versionId);
    expect(stored.modelId).toBe(modelId);
    expect(stored.approved).toBe(false);
    expect(await f.protocol.models.versionByWeights(version.weightsHash)).toBe(result.versionId);
    const [recorded] = await f.protocol.models.queryFilter(
      f.protocol.models.filters.TrainingRunRecorded(result.versionId),
      result.blockNumber,
      result.blockNumber,
    );
    expect(recorded.args.datasetVersionIds).toEqual([data.versionId]);
    expect(recorded.args.licenceIds).toEqual([data.licenceId]);
    expect(recorded.args.startedAt).toBe(1_767_225_600n);

    const fineTune = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version: { ...newModelVersion(), parentVersionId: result.versionId },
      trainingRun: run([]),
    });
    expect(fineTune.number).toBe(2);
    expect(fineTune.versionId).toBe(result.versionId + 1n);
  });

  it("refuses a training window that ends before it starts, before sending", async () => {
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const error = await caught(
      publishModelVersion(f.clients.mlTeam, {
        modelId,
        version: newModelVersion(),
        trainingRun: { data: [], startedAt: 200n, endedAt: 100n },
      }),
    );
    expect(error).toBeInstanceOf(PedigreeValidationError);
    expect((error as PedigreeValidationError).field).toBe("trainingRun.endedAt");
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
  });

  it("names every LicenceStatus in DatasetVersionNotUsable, with what to do next", async () => {
    const team = f.clients.mlTeam;
    const commercial = (await registerModel(team, { commercial: true, uri: "ipfs://card" })).modelId;
    const good = await licensedDataset(f.clients.creator, team);
    const other = await licensedDataset(f.clients.creator2, team);
    const message = (versionId: bigint, licenceId: bigint, status: string) =>
      `DatasetVersionNotUsable: dataset version ${versionId} cannot be used under licence ${licenceId} (${status}).`;

    // UnknownDatasetVersion
    let error = await publishError(team, commercial, 9_999n, good.licenceId);
    expect(error.errorName).toBe("DatasetVersionNotUsable");
    expect(error.args).toEqual({ datasetVersionId: 9_999n, licenceId: good.licenceId, status: 1n });
    expect(error.formattedArgs.status).toBe("UnknownDatasetVersion");
    expect(error.message).toBe(`${message(9_999n, good.licenceId, "UnknownDatasetVersion")} Check the dataset version id.`);

    // UnknownLicence
    error = await publishError(team, commercial, good.versionId, 9_999n);
    expect(error.message).toBe(
      `${message(good.versionId, 9_999n, "UnknownLicence")} Acquire a licence with \`pedigree licence acquire\`.`,
    );

    // WrongDataset: a licence of another dataset
    error = await publishError(team, commercial, good.versionId, other.licenceId);
    expect(error.message).toMatch(new RegExp(`^${escape(message(good.versionId, other.licenceId, "WrongDataset"))} That licence is for another dataset`));

    // WrongLicensee: a licence held by someone else than the model owner
    const strangers = await acquireLicence(f.clients.stranger, { datasetId: good.datasetId });
    error = await publishError(team, commercial, good.versionId, strangers.licenceId);
    expect(error.message).toMatch(new RegExp(`^${escape(message(good.versionId, strangers.licenceId, "WrongLicensee"))} The model's owner must hold the licence`));

    // DerivativesForbidden
    const noDerivatives = await licensedDataset(f.clients.creator, team, { derivativesAllowed: false });
    error = await publishError(team, commercial, noDerivatives.versionId, noDerivatives.licenceId);
    expect(error.message).toMatch(new RegExp(`^${escape(message(noDerivatives.versionId, noDerivatives.licenceId, "DerivativesForbidden"))} Its terms forbid derivatives`));

    // CommercialUseForbidden: a commercial model on non-commercial terms
    const nonCommercial = await licensedDataset(f.clients.creator, team, { commercialUse: false });
    error = await publishError(team, commercial, nonCommercial.versionId, nonCommercial.licenceId);
    expect(error.message).toMatch(new RegExp(`^${escape(message(nonCommercial.versionId, nonCommercial.licenceId, "CommercialUseForbidden"))} The model is commercial`));

    // DatasetWithdrawn
    const withdrawn = await licensedDataset(f.clients.creator, team);
    await withdrawDataset(f.clients.creator, { datasetId: withdrawn.datasetId, reason: "consent revoked" });
    error = await publishError(team, commercial, withdrawn.versionId, withdrawn.licenceId);
    expect(error.message).toBe(
      `${message(withdrawn.versionId, withdrawn.licenceId, "DatasetWithdrawn")} Its creator withdrew the dataset; train on another dataset.`,
    );

    // Expired: a one-minute licence, two minutes later
    const shortLived = await licensedDataset(f.clients.creator, team, { duration: 60 });
    await f.protocol.connection.networkHelpers.time.increase(120);
    error = await publishError(team, commercial, shortLived.versionId, shortLived.licenceId);
    expect(error.formattedArgs.status).toBe("Expired");
    expect(error.message).toBe(
      `${message(shortLived.versionId, shortLived.licenceId, "Expired")} Acquire a new licence with \`pedigree licence acquire\`.`,
    );
    // A new licence fixes it.
    const renewed = await acquireLicence(team, { datasetId: shortLived.datasetId });
    const ok = await publishModelVersion(team, {
      modelId: commercial,
      version: newModelVersion(),
      trainingRun: run([{ datasetVersionId: shortLived.versionId, licenceId: renewed.licenceId }]),
    });
    expect(ok.versionId).toBeGreaterThan(0n);
  });

  it("refuses someone else's model with a decoded NotModelOwner", async () => {
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const error = (await caught(
      publishModelVersion(f.clients.stranger, { modelId, version: newModelVersion(), trainingRun: run([]) }),
    )) as PedigreeContractError;
    expect(error.errorName).toBe("NotModelOwner");
    expect(error.message).toMatch(/^NotModelOwner: 0x[0-9a-fA-F]{40} is neither the owner of model \d+ nor approved for it\./);
  });
});

describe("setReleasePolicy / approveVersion", () => {
  it("sets a policy from kind names and numbers, then approves once every kind is attested", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
    const { modelId, versionId } = await modelWithVersion(f.clients.mlTeam, [
      { datasetVersionId: data.versionId, licenceId: data.licenceId },
    ]);
    const policy = await setReleasePolicy(f.clients.mlTeam, { modelId, kinds: ["safety-evaluation", 2, "release-approval"] });
    expect(policy.requiredKinds).toBe((1n << 1n) | (1n << 2n) | (1n << 6n));
    expect(policy.kinds).toEqual([1, 2, 6]);
    expect(await f.protocol.models.releasePolicy(modelId)).toBe(policy.requiredKinds);

    const subject = { subjectType: "model-version" as const, subjectId: versionId, evidenceHash: id("report"), evidenceURI: "ipfs://report" };
    const approval = await attest(f.clients.approver, { ...subject, kind: "release-approval" });

    // Only the approval: the error lists the missing kinds by name.
    const missing = (await caught(
      approveVersion(f.clients.mlTeam, { versionId, attestationIds: [approval.attestationId] }),
    )) as PedigreeContractError;
    expect(missing.errorName).toBe("RequiredAttestationsMissing");
    expect(missing.args).toEqual({ versionId, missingKinds: (1n << 1n) | (1n << 2n) });
    expect(missing.message).toBe(
      `RequiredAttestationsMissing: model version ${versionId} lacks attestations its release policy requires: safety-evaluation, bias-check. ` +
        "Have the attesters attest (`pedigree attest`) and pass their attestation ids.",
    );

    const safety = await attest(f.clients.evaluator, { ...subject, kind: "safety-evaluation" });
    const bias = await attest(f.clients.evaluator, { ...subject, kind: "bias-check" });
    const ids = [safety.attestationId, bias.attestationId, approval.attestationId];
    const approved = await approveVersion(f.clients.mlTeam, { versionId, attestationIds: ids });
    expect(approved).toMatchObject({ versionId, modelId, attestationIds: ids });
    expect((await f.protocol.models.getVersion(versionId)).approved).toBe(true);
    expect(await f.protocol.models.approvalAttestations(versionId)).toEqual(ids);
    expect(await f.protocol.models.isReleasable(versionId)).toBe(true);

    const again = (await caught(approveVersion(f.clients.mlTeam, { versionId, attestationIds: ids }))) as PedigreeContractError;
    expect(again.message).toBe(`AlreadyApproved: model version ${versionId} is already approved.`);
  });

  it("refuses a policy without release-approval or with an unknown kind name, before sending", async () => {
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    await expect(setReleasePolicy(f.clients.mlTeam, { modelId, kinds: ["safety-evaluation"] })).rejects.toThrow(
      "a release policy must include release-approval; got safety-evaluation. Add release-approval to the kinds.",
    );
    await expect(setReleasePolicy(f.clients.mlTeam, { modelId, kinds: ["release-approval", "vibes-check" as never] })).rejects.toThrow(
      /kinds\[1\]: unknown attestation kind "vibes-check"/,
    );
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
    // A number the registry does not define is refused on-chain, and decoded.
    const error = (await caught(setReleasePolicy(f.clients.mlTeam, { modelId, kinds: [6, 42] }))) as PedigreeContractError;
    expect(error.errorName).toBe("PolicyKindUndefined");
    expect(error.message).toContain("the policy requires kind 42");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
