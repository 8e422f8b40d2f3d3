/**
 * The demo scenario on a real chain: every step lands, and the chain's own views agree with what it reports.
 * (The indexed picture of the same scenario is checked in test/indexer/e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, id, parseEther } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { LocalDeployment } from "../../src/dev/deploy.ts";
import { startScenarioChain, type ScenarioCast } from "../../src/dev/indexed-scenario.ts";
import type { LocalChain } from "../../src/dev/local-chain.ts";
import { playScenario, type ScenarioResult } from "../../src/dev/scenario.ts";
import { RoyaltyRegistry__factory, DatasetRegistry__factory, ModelRegistry__factory, ReleaseRegistry__factory } from "../../types/index.ts";
import { LICENCE_STATUSES } from "../../src/core/constants.ts";
import { WORLDWIDE, regionSet } from "../../src/core/regions.ts";

let chain: LocalChain;
let deployment: LocalDeployment;
let result: ScenarioResult;

beforeAll(async () => {
  let cast: ScenarioCast;
  ({ chain, deployment, cast } = await startScenarioChain());
  result = await playScenario(deployment.addresses, cast);
}, 120_000);

afterAll(async () => {
  await chain?.close();
});

describe("demo scenario", () => {
  it("pays the creators exactly their splits and leaves v1 live after the rollback", async () => {
    expect(result.royalties).toEqual({ alice: parseEther("0.35"), curator: parseEther("0.15"), bob: parseEther("0.2") });
    const releases = ReleaseRegistry__factory.connect(deployment.addresses.releases, chain.connection.ethers.provider);
    expect(await releases.liveVersion(result.models.triage, "production")).toBe(result.modelVersions.triageV1);
    const tree = StandardMerkleTree.of(result.decisions.records.map((r) => [r]), ["bytes32"]);
    const record = result.decisions.records[7];
    expect(await releases.verifyDecision(result.modelVersions.triageV1, result.decisions.root, record, tree.getProof([record]))).toBe(true);
    expect(result.blocks.afterRollback).toBeGreaterThan(result.blocks.beforeRollback);
    expect(result.log.length).toBeGreaterThanOrEqual(20);
  });

  it("trains inside the clinical notes' EEA territory, serves the EU, and is refused the US with nothing written", async () => {
    const provider = chain.connection.ethers.provider;
    const models = ModelRegistry__factory.connect(deployment.addresses.models, provider);
    const releases = ReleaseRegistry__factory.connect(deployment.addresses.releases, provider);
    const [training, deployable] = await models.territoriesOf(result.modelVersions.triageV1);
    expect([training, deployable]).toEqual([regionSet("EEA", "t"), regionSet("EU", "d")]);
    // The fine-tune on radiology images (worldwide terms) inherits them from its parent.
    expect([...(await models.territoriesOf(result.modelVersions.radiologyTriageV1))]).toEqual([training, deployable]);
    expect([...(await models.territoriesOf(result.modelVersions.copyV1))]).toEqual([WORLDWIDE, WORLDWIDE]);

    expect(result.refusedDeployment).toMatchObject({
      environment: "production-us",
      regions: "US",
      errorName: "DeploymentOutsideTerritory",
      licenceId: result.licences.clinicalNotes,
    });
    expect(result.refusedDeployment.message).toMatch(/^DeploymentOutsideTerritory: the deployment would serve US, outside the deployment territory of licence \d+ \(EU\)/);
    expect(result.log.some((line) => line.includes("tried to serve version") && line.includes("refused"))).toBe(true);
    expect(await releases.liveVersion(result.models.triage, "production-us")).toBe(0n);
    const deployed = await releases.queryFilter(releases.filters.Deployed());
    expect(deployed.map((event) => [event.args.environment, event.args.systemId, event.args.regions])).toEqual([
      ["production", 0n, regionSet("EU", "r")],
      ["production", 0n, regionSet("EU", "r")],
      ["assistant", result.systems.assistant, regionSet("EU", "r")],
      ["assistant", result.systems.promptUpdate, regionSet("EU", "r")],
    ]);
  });

  it("voids the radiology licence only with a pro-rata refund after Bob revoked consent", async () => {
    const provider = chain.connection.ethers.provider;
    const datasets = DatasetRegistry__factory.connect(deployment.addresses.datasets, provider);
    const royalties = RoyaltyRegistry__factory.connect(deployment.addresses.royalties, provider);
    const radiology = await datasets.getDataset(result.datasets.radiology);
    expect([radiology.withdrawn, radiology.consentRevoked]).toEqual([true, true]);
    const licence = await datasets.getLicence(result.licences.radiology);
    expect(licence.refunded).toBe(true);
    const status = await datasets.licenceStatus(result.licences.radiology, result.datasetVersions.radiologyV1, licence.licensee, true);
    expect(LICENCE_STATUSES[Number(status)]).toBe("LicenceRefunded");
    // price × time left / duration, at the refund's block
    const [event] = await datasets.queryFilter(datasets.filters.LicenceRefunded(result.licences.radiology));
    const refundedAt = BigInt((await provider.getBlock(event!.blockNumber))!.timestamp);
    expect(result.refund.amount).toBe((parseEther("0.2") * (licence.expiresAt - refundedAt)) / (180n * 86_400n));
    expect(result.refund.amount).toBeGreaterThan(parseEther("0.19"));
    // The ML team withdrew the refund; the surplus Bob sent over what was due when mined stays his to withdraw.
    expect(await royalties.royaltiesOf(licence.licensee, ZeroAddress)).toBe(0n);
    expect(await royalties.royaltiesOf(await chain.signers[2]!.getAddress(), ZeroAddress)).toBe(result.refund.surplus);
  });

  it("lets Alice publish the fingerprint Mallory squatted, and proves her commitment came first", async () => {
    const provider = chain.connection.ethers.provider;
    const datasets = DatasetRegistry__factory.connect(deployment.addresses.datasets, provider);
    const [, alice, , , , mlTeam, , , , , , mallory] = chain.signers;
    const { claim } = result;
    expect(await datasets.versionByFingerprint(mallory!.address, claim.fingerprint)).toBe(result.datasetVersions.squat);
    expect(await datasets.versionByFingerprint(alice!.address, claim.fingerprint)).toBe(result.datasetVersions.clinicalNotesV3);
    expect(claim.committedBlock).toBeLessThan(claim.squatBlock);
    expect(claim.committedAt).toBe(BigInt((await provider.getBlock(claim.committedBlock))!.timestamp));
    expect(await datasets.commitmentTime(claim.commitment)).toBe(claim.committedAt);
    const [published] = await datasets.queryFilter(datasets.filters.DatasetVersionPublished(result.datasetVersions.clinicalNotesV3));
    expect(published!.args.parentVersionIds).toEqual([result.datasetVersions.clinicalNotesV2, result.datasetVersions.publicTextV1]);
    expect(published!.args.parentLicenceIds).toEqual([0n, result.licences.aliceOpenText]);

    const models = ModelRegistry__factory.connect(deployment.addresses.models, provider);
    const weights = id("triage v1 weights");
    expect(await models.versionByWeights(mlTeam!.address, weights)).toBe(result.modelVersions.triageV1);
    expect(await models.versionByWeights(mallory!.address, weights)).toBe(result.modelVersions.copyV1);
    const copy = await models.getVersion(result.modelVersions.copyV1);
    const triage = await models.getVersion(result.modelVersions.triageV1);
    expect([copy.dataDeclared, triage.dataDeclared, triage.commercialData]).toEqual([false, true, true]);
    expect((await models.releasePolicy(result.models.triage)) & 1n).toBe(1n); // declared training data required
  });
});
