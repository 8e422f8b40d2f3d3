/**
 * The demo scenario on a real chain: every step lands, and the chain's own views agree with what it reports.
 * (The indexed picture of the same scenario is checked in test/indexer/e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { deployLocally, startLocalChain, type LocalChain, type LocalDeployment } from "../../src/sdk/local-chain.ts";
import { playScenario, type Cast, type ScenarioResult } from "../../src/demo/scenario.ts";
import { DatasetRegistry__factory, ReleaseRegistry__factory } from "../../types/index.js";

let chain: LocalChain;
let deployment: LocalDeployment;
let result: ScenarioResult;

beforeAll(async () => {
  chain = await startLocalChain();
  const [admin, alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer] = chain.signers;
  deployment = await deployLocally(chain, {
    admin: admin.address,
    evaluators: [evaluator.address],
    auditors: [auditor.address],
    releaseApprovers: [approver.address],
    dataStewards: [steward.address],
  });
  const cast: Cast = { alice, bob, carol, curator, mlTeam, evaluator, auditor, approver, steward, relayer };
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
    expect(await releases.verifyDecision(result.decisions.root, record, tree.getProof([record]))).toEqual([true, result.modelVersions.triageV1]);
    const datasets = DatasetRegistry__factory.connect(deployment.addresses.datasets, chain.connection.ethers.provider);
    expect((await datasets.getDataset(result.datasets.radiology)).withdrawn).toBe(true);
    expect(result.blocks.afterRollback).toBeGreaterThan(result.blocks.beforeRollback);
    expect(result.log.length).toBeGreaterThanOrEqual(15);
  });
});
