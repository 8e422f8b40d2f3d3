/**
 * A dataset version's data-handling context (origin regions, handling policy) and the territories it inherits from
 * the licences it was derived under, through the SDK against the deployed protocol: what the actions send, what
 * datasetVersions reads back from the events, and the bad input refused before anything is sent.
 */
import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { id } from "ethers";
import {
  InvalidInputError,
  PedigreeContractError,
  acquireLicence,
  datasetVersions,
  publishDatasetVersion,
  publishModelVersion,
  registerDataset,
  registerModel,
  type DatasetVersionInput,
} from "../../../src/sdk/index.ts";
import { WORLDWIDE, regionSet } from "../../../src/core/regions.ts";
import { caught, ethTerms, newDatasetVersion, newModelVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

const EU = regionSet("EU", "origin");
const EEA = regionSet("EEA", "training");

let f: SdkFixture;
let policyFile: string;
const POLICY_TEXT = "GDPR special category: health data. PII present, pseudonymised. Consent basis: Art. 9(2)(a).\n";

beforeAll(async () => {
  f = await sdkFixture();
  policyFile = join(await mkdtemp(join(tmpdir(), "pedigree-policy-")), "handling-policy.md");
  await writeFile(policyFile, POLICY_TEXT);
});

describe("data-handling context", () => {
  it("sends the origin and a policy hashed from its file, and reads every version's context back from the events", async () => {
    const registered = await registerDataset(f.clients.creator, {
      version: { ...newDatasetVersion("ipfs://bafy-notes"), origin: "EU", handlingPolicy: { file: policyFile, uri: "ipfs://bafy-policy" } },
    });
    const policyHash = id("pii policy v2");
    const next = await publishDatasetVersion(f.clients.creator, {
      datasetId: registered.datasetId,
      version: { ...newDatasetVersion("ipfs://bafy-notes-v2"), origin: ["de", "AT"], handlingPolicy: { hash: policyHash } },
      parents: [registered.versionId],
    });
    const undeclared = await publishDatasetVersion(f.clients.creator, { datasetId: registered.datasetId, version: newDatasetVersion() });

    const versions = await datasetVersions(f.clients.stranger, { datasetId: registered.datasetId });
    expect(versions.map((v) => [v.versionId, v.number])).toEqual([
      [registered.versionId, 1],
      [next.versionId, 2],
      [undeclared.versionId, 3],
    ]);
    const sha256 = `0x${createHash("sha256").update(POLICY_TEXT).digest("hex")}`;
    expect(versions[0]).toMatchObject({ origin: EU, handlingPolicy: { hash: sha256, uri: "ipfs://bafy-policy" }, uri: "ipfs://bafy-notes" });
    expect(versions[1]).toMatchObject({
      origin: regionSet("DE,AT", "origin"),
      handlingPolicy: { hash: policyHash, uri: "" },
      parents: [{ versionId: registered.versionId, licenceId: 0n }],
    });
    expect(versions[2]!.origin).toBe(0n);
    expect(versions[2]!.handlingPolicy).toBeUndefined();
    for (const version of versions) expect(version.inheritedTerritories).toEqual({ training: WORLDWIDE, deployment: WORLDWIDE });
    expect(versions[1]!.hash).toBe(next.hash);
    expect(await datasetVersions(f.clients.stranger, { datasetId: 999n })).toEqual([]);
  });

  it("refuses a bad origin or policy before sending anything: one-line error naming the field, nonce unchanged", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const provider = f.protocol.ethers.provider;
    const nonceBefore = await provider.getTransactionCount(f.accounts.creator.address);
    const cases: [Partial<DatasetVersionInput>, string, RegExp][] = [
      [{ origin: "EU,XX" }, "version.origin", /"XX" is not an ISO 3166-1 alpha-2 country code/],
      [{ origin: "" }, "version.origin", /is empty/],
      [{ origin: 1n << 250n }, "version.origin", /bits that name no region/],
      [{ handlingPolicy: {} }, "version.handlingPolicy", /needs exactly one of hash \(32 bytes\) or file/],
      [{ handlingPolicy: { hash: id("p"), file: policyFile } }, "version.handlingPolicy", /needs exactly one of/],
      [{ handlingPolicy: { hash: "0x1234" } }, "version.handlingPolicy.hash", /bytes32|32-byte|64 hex/],
      [{ handlingPolicy: { file: join(tmpdir(), "no-such-policy.md") } }, "version.handlingPolicy.file", /does not exist: check the path/],
      [{ handlingPolicy: { hash: id("p"), uri: "" } }, "version.handlingPolicy.uri", /non-empty string/],
    ];
    for (const [context, field, message] of cases) {
      for (const send of [
        () => registerDataset(f.clients.creator, { version: { ...newDatasetVersion(), ...context } }),
        () => publishDatasetVersion(f.clients.creator, { datasetId, version: { ...newDatasetVersion(), ...context } }),
      ]) {
        const error = (await caught(send())) as InvalidInputError;
        expect(error, field).toBeInstanceOf(InvalidInputError);
        expect(error.field).toBe(field);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain("\n");
      }
    }
    expect(await provider.getTransactionCount(f.accounts.creator.address)).toBe(nonceBefore);
  });
});

describe("territories inherited through dataset derivations", () => {
  it("returns what a derived version inherits; a model trained on it outside them is refused, naming its licence", async () => {
    // creator2's notes may be trained on in the EEA only; creator derives a dataset from them and sells it worldwide.
    const notes = await registerDataset(f.clients.creator2, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator2.address, { territories: { training: "EEA", deployment: "EU" } }),
    });
    const { licenceId: creatorLicence } = await acquireLicence(f.clients.creator, { datasetId: notes.datasetId });
    const derived = await registerDataset(f.clients.creator, {
      version: newDatasetVersion("ipfs://bafy-derived"),
      parents: [{ versionId: notes.versionId, licenceId: creatorLicence }],
      terms: ethTerms(f.accounts.creator.address),
    });
    expect(notes.inheritedTerritories).toEqual({ training: WORLDWIDE, deployment: WORLDWIDE });
    expect(derived.inheritedTerritories).toEqual({ training: EEA, deployment: EU });
    const [record] = await datasetVersions(f.clients.stranger, { datasetId: derived.datasetId });
    expect(record!.inheritedTerritories).toEqual({ training: EEA, deployment: EU });

    const { licenceId } = await acquireLicence(f.clients.mlTeam, { datasetId: derived.datasetId });
    const { modelId } = await registerModel(f.clients.mlTeam, { commercial: true, metadataHash: id("card"), uri: "ipfs://card" });
    const trainIn = (region: string) =>
      publishModelVersion(f.clients.mlTeam, {
        modelId,
        version: newModelVersion(),
        trainingRun: { data: [{ datasetVersionId: derived.versionId, licenceId }], codeHash: id("code"), region, startedAt: 1n, endedAt: 2n },
      });
    const refused = (await caught(trainIn("US"))) as PedigreeContractError;
    expect(refused.errorName).toBe("TrainingOutsideTerritory");
    expect(refused.message).toMatch(new RegExp(`computed in US, outside the training territory of licence ${licenceId} \\(EEA\\)`));
    const trained = await trainIn("IE");
    expect([...(await f.protocol.models.territoriesOf(trained.versionId))]).toEqual([EEA, EU]);
  });
});
