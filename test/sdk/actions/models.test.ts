/** Model actions: registration, versions trained on licensed data, release policies and the release gate. */
import { beforeAll, describe, expect, it } from "vitest";
import { ZeroHash, decodeBytes32String, id } from "ethers";
import { regionIndex } from "../../../src/core/regions.ts";
import {
  PedigreeContractError,
  InvalidInputError,
  acquireLicence,
  approveVersion,
  attest,
  grantDerivation,
  publishModelVersion,
  registerModel,
  refundLicence,
  revokeConsent,
  setReleasePolicy,
  withdrawDataset,
  type PedigreeClient,
} from "../../../src/sdk/index.ts";
import {
  caught,
  licensedDataset,
  modelWithVersion,
  newModelVersion,
  sdkFixture,
  type SdkFixture,
} from "./fixture.ts";

let f: SdkFixture;
beforeAll(async () => {
  f = await sdkFixture();
});

const run = (data: { datasetVersionId: bigint; licenceId: bigint }[]) => ({
  data,
  codeHash: id("git:abc"),
  hyperparametersHash: id("lr=3e-4"),
  region: "DE",
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
    expect(await f.protocol.models.versionByWeights(f.accounts.mlTeam.address, version.weightsHash)).toBe(result.versionId);
    expect([result.dataDeclared, result.commercialData]).toEqual([true, true]);
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
    // Its own run names no data: its lineage does not declare all its training data, although its parent's does.
    expect(fineTune.dataDeclared).toBe(false);
    const declaredFineTune = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version: { ...newModelVersion(), parentVersionId: result.versionId },
      trainingRun: run([{ datasetVersionId: data.versionId, licenceId: data.licenceId }]),
    });
    expect(declaredFineTune.dataDeclared).toBe(true);
  });

  it("refuses a training window that ends before it starts, before sending", async () => {
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const error = await caught(
      publishModelVersion(f.clients.mlTeam, {
        modelId,
        version: newModelVersion(),
        trainingRun: { data: [], region: "DE", startedAt: 200n, endedAt: 100n },
      }),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("trainingRun.endedAt");
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
      `${message(good.versionId, 9_999n, "UnknownLicence")} Acquire a licence of the dataset (acquireLicence).`,
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

    // LicenceRefunded: consent revoked and the licence refunded (a mere withdrawal keeps the licence valid)
    const refunded = await licensedDataset(f.clients.creator, team);
    await withdrawDataset(f.clients.creator, { datasetId: refunded.datasetId, reason: "superseded" });
    const stillValid = await publishModelVersion(team, {
      modelId: commercial,
      version: newModelVersion(),
      trainingRun: run([{ datasetVersionId: refunded.versionId, licenceId: refunded.licenceId }]),
    });
    expect(stillValid.versionId).toBeGreaterThan(0n);
    await revokeConsent(f.clients.creator, { datasetId: refunded.datasetId, reason: "consent revoked" });
    await refundLicence(f.clients.creator, { licenceId: refunded.licenceId });
    error = await publishError(team, commercial, refunded.versionId, refunded.licenceId);
    expect(error.message).toBe(
      `${message(refunded.versionId, refunded.licenceId, "LicenceRefunded")} The dataset's owner revoked consent and refunded this licence; withdraw the refund (withdrawRoyalties) and use other data.`,
    );

    // Expired: a one-minute licence, two minutes later
    const shortLived = await licensedDataset(f.clients.creator, team, { duration: 60 });
    await f.protocol.connection.networkHelpers.time.increase(120);
    error = await publishError(team, commercial, shortLived.versionId, shortLived.licenceId);
    expect(error.formattedArgs.status).toBe("Expired");
    expect(error.message).toBe(
      `${message(shortLived.versionId, shortLived.licenceId, "Expired")} Acquire a new licence (acquireLicence).`,
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
    expect(error.message).toMatch(/^NotModelOwner: 0x[0-9a-fA-F]{40} is neither the owner of model \d+ nor an operator for all its owner's tokens\./);
  });
});

describe("publishModelVersion: where the run was computed", () => {
  /** The TrainingRunRecorded event of a published version. */
  async function recorded(versionId: bigint, blockNumber: number) {
    const [event] = await f.protocol.models.queryFilter(f.protocol.models.filters.TrainingRunRecorded(versionId), blockNumber, blockNumber);
    return event!.args;
  }

  it("records the region from a country code and the compute provider from a name or a 32-byte id", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam, { territories: { training: "EEA", deployment: "EU" } });
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: true, uri: "ipfs://card" });
    const uses = [{ datasetVersionId: data.versionId, licenceId: data.licenceId }];
    const named = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version: newModelVersion(),
      trainingRun: { ...run(uses), region: "ie", computeProvider: "eu-gpu-cloud:dublin" },
    });
    const first = await recorded(named.versionId, named.blockNumber);
    expect(first.region).toBe(BigInt(regionIndex("IE", "region")));
    expect(decodeBytes32String(first.computeProvider)).toBe("eu-gpu-cloud:dublin");

    const providerId = id("provider registry entry 42");
    const withId = await publishModelVersion(f.clients.mlTeam, {
      modelId,
      version: newModelVersion(),
      trainingRun: { ...run(uses), region: "NO", computeProvider: providerId },
    });
    expect((await recorded(withId.versionId, withId.blockNumber)).computeProvider).toBe(providerId);
    const undeclared = await publishModelVersion(f.clients.mlTeam, { modelId, version: newModelVersion(), trainingRun: run(uses) });
    expect((await recorded(undeclared.versionId, undeclared.blockNumber)).computeProvider).toBe(ZeroHash);
  });

  it("refuses a missing region, a group, an unknown code or an overlong provider name before sending", async () => {
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const refused = async (trainingRun: Record<string, unknown>) =>
      (await caught(publishModelVersion(f.clients.mlTeam, { modelId, version: newModelVersion(), trainingRun: { ...run([]), ...trainingRun } as never }))) as InvalidInputError;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ region: undefined }, "trainingRun.region", 'trainingRun.region is required: the ISO 3166-1 alpha-2 code of one country, e.g. "DE"'],
      [{ region: "EU" }, "trainingRun.region", "trainingRun.region must be one country, not the group EU: give a code such as DE"],
      [{ region: "XX" }, "trainingRun.region", 'trainingRun.region: "XX" is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, US) nor a group (EU, EEA, WORLDWIDE)'],
      [
        { computeProvider: "a-name-that-is-far-too-long-for-32-bytes" },
        "trainingRun.computeProvider",
        'trainingRun.computeProvider must be a name of 1 to 31 bytes (e.g. "aws:eu-central-1") or a 32-byte hex id',
      ],
    ];
    for (const [input, field, message] of cases) {
      const error = await refused(input);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect([error.field, error.message]).toEqual([field, message]);
    }
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
  });

  it("decodes TrainingOutsideTerritory with the licence, the region and the allowed regions, own or inherited", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam, { territories: { training: "EEA", deployment: "EU" } });
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: true, uri: "ipfs://card" });
    const uses = [{ datasetVersionId: data.versionId, licenceId: data.licenceId }];
    const expected =
      `TrainingOutsideTerritory: the training run was computed in US, outside the training territory of licence ${data.licenceId} (EEA), used by this run or an ancestor's. ` +
      "Train in a region that licence allows, or on data licensed for training where you compute.";
    const own = (await caught(
      publishModelVersion(f.clients.mlTeam, { modelId, version: newModelVersion(), trainingRun: { ...run(uses), region: "US" } }),
    )) as PedigreeContractError;
    expect(own.errorName).toBe("TrainingOutsideTerritory");
    expect(own.args).toEqual({ licenceId: data.licenceId, region: BigInt(regionIndex("US", "region")), allowed: own.args.allowed });
    expect(own.formattedArgs).toMatchObject({ region: "US", allowed: "EEA" });
    expect(own.message).toBe(expected);

    // A fine-tune on no data of its own inherits the parent's territory.
    const parent = await publishModelVersion(f.clients.mlTeam, { modelId, version: newModelVersion(), trainingRun: run(uses) });
    const inherited = (await caught(
      publishModelVersion(f.clients.mlTeam, {
        modelId,
        version: { ...newModelVersion(), parentVersionId: parent.versionId },
        trainingRun: { ...run([]), region: "US" },
      }),
    )) as PedigreeContractError;
    expect(inherited.message).toBe(expected);
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
    expect(missing.args).toEqual({ subjectType: 2n, subjectId: versionId, missingKinds: (1n << 1n) | (1n << 2n) });
    expect(missing.message).toBe(
      `RequiredAttestationsMissing: model version ${versionId} lacks attestations its release policy requires: safety-evaluation, bias-check. ` +
        "Have the attesters attest (attest, multiAttest) and pass their attestation ids.",
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

describe("grantDerivation: fine-tunes of another owner's model", () => {
  it("refuses a fine-tune without a grant, allows it with one, and stops allowing it when taken back", async () => {
    const base = await modelWithVersion(f.clients.mlTeam, [], false);
    const { modelId: theirs } = await registerModel(f.clients.stranger, { commercial: false, uri: "ipfs://their-card" });
    const fineTune = () =>
      publishModelVersion(f.clients.stranger, {
        modelId: theirs,
        version: { ...newModelVersion(), parentVersionId: base.versionId },
        trainingRun: run([]),
      });
    const refused = (await caught(fineTune())) as PedigreeContractError;
    expect(refused.message).toBe(
      `ParentNotDerivable: ${f.accounts.stranger.address} may not fine-tune model version ${base.versionId}: its model belongs to someone else, who has not granted derivation. ` +
        "Ask that model's owner to grant you derivation (grantDerivation).",
    );

    // Only the owner may grant: the stranger cannot grant itself.
    const self = (await caught(grantDerivation(f.clients.stranger, { modelId: base.modelId, grantee: f.accounts.stranger.address }))) as PedigreeContractError;
    expect(self.errorName).toBe("NotModelOwner");

    const granted = await grantDerivation(f.clients.mlTeam, { modelId: base.modelId, grantee: f.accounts.stranger.address });
    expect(granted).toMatchObject({ modelId: base.modelId, grantee: f.accounts.stranger.address, allowed: true, grantedBy: f.accounts.mlTeam.address });
    expect(await f.protocol.models.derivationAllowed(base.modelId, f.accounts.stranger.address)).toBe(true);
    expect((await fineTune()).versionId).toBeGreaterThan(base.versionId);

    await grantDerivation(f.clients.mlTeam, { modelId: base.modelId, grantee: f.accounts.stranger.address, allowed: false });
    expect((await caught(fineTune()) as PedigreeContractError).errorName).toBe("ParentNotDerivable");

    const open = await grantDerivation(f.clients.mlTeam, { modelId: base.modelId, grantee: "anyone" });
    expect(open.grantee).toBe("0x0000000000000000000000000000000000000000");
    expect(await f.protocol.models.derivationAllowed(base.modelId, f.accounts.relayer.address)).toBe(true);
  });

  it("refuses a commercial fine-tune of a parent trained on non-commercial data", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam, { commercialUse: false });
    const base = await modelWithVersion(f.clients.mlTeam, [{ datasetVersionId: data.versionId, licenceId: data.licenceId }], false);
    expect((await f.protocol.models.getVersion(base.versionId)).commercialData).toBe(false);
    await grantDerivation(f.clients.mlTeam, { modelId: base.modelId, grantee: "anyone" });
    const { modelId } = await registerModel(f.clients.stranger, { commercial: true, uri: "ipfs://card" });
    const error = (await caught(
      publishModelVersion(f.clients.stranger, { modelId, version: { ...newModelVersion(), parentVersionId: base.versionId }, trainingRun: run([]) }),
    )) as PedigreeContractError;
    expect(error.message).toBe(
      `ParentDataNotCommercial: model version ${base.versionId} was trained on data not licensed for commercial use, so a commercial model cannot fine-tune it. ` +
        "Fine-tune it in a non-commercial model, or pick a parent whose training data is licensed commercially.",
    );
  });

  it("refuses a grantee that is neither an address nor anyone, before sending", async () => {
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: false, uri: "ipfs://card" });
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const error = await caught(grantDerivation(f.clients.mlTeam, { modelId, grantee: "everyone" }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe('grantee must be an Ethereum address (0x followed by 40 hex digits), got "everyone"');
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
  });
});

describe("release policy requiring declared training data", () => {
  it("sets bit 0 and then refuses to approve a version that declares no data", async () => {
    const { modelId, versionId } = await modelWithVersion(f.clients.mlTeam, [], false);
    const policy = await setReleasePolicy(f.clients.mlTeam, { modelId, kinds: ["release-approval"], requireDeclaredData: true });
    expect(policy).toMatchObject({ requiredKinds: (1n << 6n) | 1n, kinds: [6], requireDeclaredData: true });
    const { attestationId } = await attest(f.clients.approver, { subjectType: "model-version", subjectId: versionId, kind: "release-approval" });
    const error = (await caught(approveVersion(f.clients.mlTeam, { versionId, attestationIds: [attestationId] }))) as PedigreeContractError;
    expect(error.message).toBe(
      `UndeclaredTrainingData: model version ${versionId} does not declare its training data (its run, or an ancestor's, names no registered dataset), which its release policy requires. ` +
        "Publish a version whose training run names its licensed datasets, or change the release policy.",
    );
    // Without the flag, the same version passes.
    await setReleasePolicy(f.clients.mlTeam, { modelId, kinds: ["release-approval"] });
    expect((await approveVersion(f.clients.mlTeam, { versionId, attestationIds: [attestationId] })).versionId).toBe(versionId);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
