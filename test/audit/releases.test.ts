/**
 * Release audits on the demo scenario (real local chain, embedded indexer): which version was live when (by block and
 * by time, around the rollback), and which version produced a decision, verified on-chain by ReleaseRegistry.
 */
import { InvalidInputError } from "../../src/core/errors.ts";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcProvider, id as keccakText } from "ethers";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import { DecisionTree } from "../../src/core/merkle.ts";
import {
  ChainReadError,
  NotInSubgraphError,
  ProofUnavailableError,
  createAuditClient,
  liveAt,
  whichVersionProduced,
  type AuditClient,
} from "../../src/audit/index.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";

let fixture: IndexedScenario;
let result: ScenarioResult;
let client: AuditClient;
let provider: JsonRpcProvider;
let dir: string;
const id = (value: bigint) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  client = createAuditClient({ url: fixture.url });
  provider = new JsonRpcProvider(fixture.chain.url, undefined, { staticNetwork: true });
  dir = await mkdtemp(join(tmpdir(), "pedigree-audit-"));
}, 180_000);

afterAll(async () => {
  provider?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
  await fixture?.close();
});

const blockTime = async (block: number) => (await provider.getBlock(block))!.timestamp;

describe("liveAt", () => {
  const production = () => ({ modelId: result.models.triage, environment: "production" });

  it("has v1 live now, v2 live before the rollback and v1 again after it", async () => {
    const now = await liveAt(client, production());
    expect(now.at.resolvedFrom).toBe("latest");
    expect(now.live).toMatchObject({ version: { id: id(result.modelVersions.triageV1), number: 1 }, deploymentId: id(result.deployments.triageV1) });
    expect(now.live!.deployed.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);

    const before = await liveAt(client, { ...production(), block: result.blocks.beforeRollback });
    expect(before.at).toMatchObject({ blockNumber: result.blocks.beforeRollback, resolvedFrom: "block" });
    expect(before.live).toMatchObject({ version: { id: id(result.modelVersions.triageV2), number: 2 }, deploymentId: id(result.deployments.triageV2) });

    const after = await liveAt(client, { ...production(), block: result.blocks.afterRollback });
    expect(after.live?.version.id).toBe(id(result.modelVersions.triageV1));
  });

  it("maps a time to the block of the last deployment change at or before it", async () => {
    const v2Deployed = await liveAt(client, { ...production(), block: result.blocks.beforeRollback });
    const deployedAt = v2Deployed.live!.deployed;
    const rollbackTime = await blockTime(result.blocks.afterRollback);

    const audit = createAuditClient({ url: fixture.url });
    const between = await liveAt(audit, { ...production(), timestamp: rollbackTime - 1 });
    expect(audit.stats.requests).toBe(2);
    expect(between.at).toMatchObject({
      resolvedFrom: "timestamp",
      timestamp: rollbackTime - 1,
      blockNumber: deployedAt.blockNumber,
      lastChange: { action: "Deployed", blockNumber: deployedAt.blockNumber, transactionHash: deployedAt.transactionHash },
    });
    expect(between.live?.version.id).toBe(id(result.modelVersions.triageV2));

    const atRollback = await liveAt(client, { ...production(), timestamp: new Date(rollbackTime * 1000) });
    expect(atRollback.at.lastChange).toMatchObject({ action: "RolledBack", blockNumber: result.blocks.afterRollback });
    expect(atRollback.live?.version.id).toBe(id(result.modelVersions.triageV1));

    // Before the first deployment nothing was live, though the model existed.
    const first = await liveAt(client, { ...production(), block: result.blocks.beforeRollback });
    const early = await liveAt(client, { ...production(), timestamp: (await blockTime(first.live!.deployed.blockNumber)) - 1000 });
    expect(early).toMatchObject({ live: null, environmentExists: false, at: { lastChange: null } });
  });

  it("says nothing is live in an environment never deployed to, or for a model never deployed", async () => {
    expect(await liveAt(client, { modelId: result.models.triage, environment: "staging" })).toMatchObject({ environmentExists: false, live: null });
    expect(await liveAt(client, { modelId: result.models.radiologyTriage, environment: "production" })).toMatchObject({ live: null });
  });

  it("names unknown models and refuses ambiguous input", async () => {
    await expect(liveAt(client, { modelId: 12n, environment: "production" })).rejects.toThrow(
      `model 12 is not in the subgraph at ${fixture.url}; check the id or wait for the indexer to catch up`,
    );
    await expect(liveAt(client, { modelId: 12n, environment: "production", timestamp: 1 })).rejects.toThrow(NotInSubgraphError);
    await expect(liveAt(client, { ...production(), block: 1, timestamp: 1 })).rejects.toThrow("give either block or timestamp, not both");
    await expect(liveAt(client, { ...production(), block: 10_000 })).rejects.toThrow(`block 10000 is not available in the subgraph at ${fixture.url}`);
  });
});

describe("whichVersionProduced", () => {
  const releases = () => fixture.deployment.addresses.releases;
  const dump = () => DecisionTree.build(result.decisions.records).dump();

  it("finds the batch of a decision and the chain confirms triage v1 produced it", async () => {
    const recordHash = result.decisions.records[42]!;
    const file = join(dir, "batch-0001.json");
    await writeFile(file, JSON.stringify(dump()));
    const audit = createAuditClient({ url: fixture.url });
    const answer = await whichVersionProduced(audit, { recordHash, records: file, provider, releases: releases() });
    expect(audit.stats.requests).toBe(1);
    expect(answer).toMatchObject({
      verified: true,
      verifiedOffChain: true,
      root: result.decisions.root,
      recordIndex: 42,
      inRecordsFile: true,
      producedBy: { id: id(result.modelVersions.triageV1) },
      competing: false,
      firstAnchoredBy: id(result.modelVersions.triageV1),
      registry: releases(),
    });
    // One version anchored the root: one anchoring, verified on chain with its version.
    expect(answer.anchors).toHaveLength(1);
    expect(answer.anchors[0]).toMatchObject({
      verified: true,
      version: { id: id(result.modelVersions.triageV1), modelId: id(result.models.triage) },
      model: { id: id(result.models.triage) },
      batch: { root: result.decisions.root, count: 1000, uri: "s3://acme/decisions/triage-v1/batch-0001.jsonl" },
    });
    expect(answer.statement).toContain(`model version ${result.modelVersions.triageV1} (model ${result.models.triage}`);
    expect(answer.proof.length).toBe(10); // ⌈log2(1000)⌉ siblings
    expect(answer.anchors[0]!.batch.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("gives the on-chain verdict false for a record that is not in the batch", async () => {
    const foreign = keccakText("decision 9999: someone else's record");
    const answer = await whichVersionProduced(client, { recordHash: foreign, records: dump(), provider, releases: releases() });
    expect(answer).toMatchObject({ verified: false, producedBy: null, inRecordsFile: false, recordIndex: null, proof: [] });
    expect(answer.anchors.map((a) => [a.version.id, a.verified])).toEqual([[id(result.modelVersions.triageV1), false]]);
    // A proof of another record does not prove this one either.
    const tree = DecisionTree.build(result.decisions.records);
    const wrong = await whichVersionProduced(client, {
      recordHash: result.decisions.records[42]!,
      root: result.decisions.root,
      proof: tree.proofAt(43),
      provider,
      releases: releases(),
    });
    expect(wrong).toMatchObject({ verified: false, verifiedOffChain: false });
    const right = await whichVersionProduced(client, {
      recordHash: result.decisions.records[7]!,
      root: result.decisions.root,
      proof: tree.proofAt(7),
      provider,
      releases: releases(),
    });
    expect(right.verified).toBe(true);
  });

  it("explains what is missing or wrong", async () => {
    const recordHash = result.decisions.records[0]!;
    await expect(whichVersionProduced(client, { recordHash, root: result.decisions.root, provider, releases: releases() })).rejects.toThrow(ProofUnavailableError);
    const unknownRoot = keccakText("never anchored");
    await expect(
      whichVersionProduced(client, { recordHash, root: unknownRoot, proof: [], provider, releases: releases() }),
    ).rejects.toThrow(`decision batch ${unknownRoot} is not in the subgraph at ${fixture.url}`);
    await expect(
      whichVersionProduced(client, { recordHash, root: unknownRoot, records: dump(), provider, releases: releases() }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      whichVersionProduced(client, { recordHash, records: join(dir, "missing.json"), provider, releases: releases() }),
    ).rejects.toThrow(`cannot read the records file ${join(dir, "missing.json")} (ENOENT); check the path`);
    // Another contract than the ReleaseRegistry: the chain read fails with one line.
    const error = await whichVersionProduced(client, { recordHash, records: dump(), provider, releases: fixture.deployment.addresses.datasets }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainReadError);
    expect((error as Error).message).toContain(`ReleaseRegistry.verifyDecision at ${fixture.deployment.addresses.datasets} failed`);
    expect((error as Error).message).not.toContain("\n");
  });
});
