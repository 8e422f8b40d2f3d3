/**
 * Lineage audits on the demo scenario (played on a real local chain, indexed by the embedded indexer): what trained a
 * model (through fine-tunes and derivations), which models used some data and whether they are live, and what changed
 * between releases.
 */
import { InvalidInputError } from "../../src/core/errors.ts";
import { REGION_CODES, regionCodes, regionSet } from "../../src/core/regions.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther } from "ethers";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import {
  NotInSubgraphError,
  changesSince,
  createAuditClient,
  wasDataUsed,
  whatTrainedThis,
  type AuditClient,
  type TrainingDataEntry,
} from "../../src/audit/index.ts";
import { startIndexer } from "../../src/indexer/indexer.ts";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";

let fixture: IndexedScenario;
let result: ScenarioResult;
let client: AuditClient;
const who: Record<string, string> = {};
const id = (value: bigint) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  for (const [name, signer] of Object.entries(fixture.cast)) who[name] = signer.address.toLowerCase();
  client = createAuditClient({ url: fixture.url });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

const entryOf = (entries: TrainingDataEntry[], versionId: bigint) => entries.find((e) => e.datasetVersion.id === id(versionId));

describe("whatTrainedThis", () => {
  it("follows the fine-tune to triage v1's data and the derivation back to clinical notes v1, its parent in the version's answer", async () => {
    const audit = createAuditClient({ url: fixture.url });
    const answer = await whatTrainedThis(audit, result.modelVersions.radiologyTriageV1);
    // The version with its fine-tune parent (one answer); the data of both; clinical notes v1, which notes v2 derives from.
    expect(audit.stats.requests).toBe(3);
    const { datasetVersions: dv } = result;
    expect(answer.version.id).toBe(id(result.modelVersions.radiologyTriageV1));
    expect(answer.lineage.map((v) => v.id)).toEqual([id(result.modelVersions.radiologyTriageV1), id(result.modelVersions.triageV1)]);

    // Radiology images: its own training run.
    const radiology = entryOf(answer.datasetVersions, dv.radiologyV1)!;
    expect(radiology.paths).toEqual([
      expect.objectContaining({ how: "direct", fineTuneDepth: 0, derivationChain: [], licenceId: id(result.licences.radiology), description: "direct" }),
    ]);
    expect(radiology.dataset).toMatchObject({ withdrawn: true, withdrawalReason: "patient consent revoked", creator: who.bob });

    // Clinical notes v2: via the fine-tune of triage v1.
    const notesV2 = entryOf(answer.datasetVersions, dv.clinicalNotesV2)!;
    expect(notesV2.paths[0]).toMatchObject({
      how: "fine-tune",
      trainedBy: id(result.modelVersions.triageV1),
      fineTuneDepth: 1,
      derivationChain: [],
      licenceId: id(result.licences.clinicalNotes),
      description: `via fine-tune of model version ${result.modelVersions.triageV1}`,
    });
    expect(notesV2.licenceIds).toEqual([id(result.licences.clinicalNotes)]);

    // Clinical notes v1: nobody trained on it, but v2 was derived from it.
    const notesV1 = entryOf(answer.datasetVersions, dv.clinicalNotesV1)!;
    expect(notesV1.paths[0]).toMatchObject({
      how: "derivation",
      fineTuneDepth: 1,
      derivationChain: [id(dv.clinicalNotesV2)],
      description: `via fine-tune of model version ${result.modelVersions.triageV1}, via derivation into dataset version ${dv.clinicalNotesV2}`,
    });
    expect(notesV1.licenceIds).toEqual([]);
    expect(notesV1.datasetVersion.uri).toBe("ipfs://bafybeiclinicalnotesv1");

    // Open text via the fine-tune too; direct data listed first.
    expect(entryOf(answer.datasetVersions, dv.publicTextV1)!.paths[0]!.how).toBe("fine-tune");
    expect(answer.datasetVersions[0]!.datasetVersion.id).toBe(id(dv.radiologyV1));
    expect(answer.datasetVersions).toHaveLength(4);
    expect(answer.datasets.map((d) => d.id)).toEqual(
      [result.datasets.clinicalNotes, result.datasets.radiology, result.datasets.publicText].map(id).sort(),
    );
  });

  it("lists the licences with their terms and royalty splits, and the training runs", async () => {
    const answer = await whatTrainedThis(client, result.modelVersions.radiologyTriageV1);
    const notes = answer.licences.find((l) => l.id === id(result.licences.clinicalNotes))!;
    expect(notes).toMatchObject({
      datasetId: id(result.datasets.clinicalNotes),
      licensee: who.mlTeam,
      payer: who.mlTeam,
      amount: parseEther("0.5").toString(),
      terms: {
        price: parseEther("0.5").toString(),
        commercialUse: true,
        derivativesAllowed: true,
        documentURI: "ipfs://bafybeistmaryslicence",
        trainingTerritories: regionCodes(regionSet("EEA", "training")),
        deploymentTerritories: regionCodes(regionSet("EU", "deployment")),
        splits: [
          { recipient: who.alice, bps: 7000 },
          { recipient: who.curator, bps: 3000 },
        ],
      },
    });
    expect(notes.expiresAt).toBeGreaterThan(notes.acquired.timestamp);
    expect(notes.acquired.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(answer.licences.find((l) => l.id === id(result.licences.publicText))!.terms).toMatchObject({
      price: "0",
      documentURI: "spdx:CC-BY-4.0",
      trainingTerritories: REGION_CODES,
      deploymentTerritories: REGION_CODES,
      splits: [],
    });
    expect(answer.licences).toHaveLength(3);
    expect(answer.trainingRuns.map((r) => r.versionId)).toEqual([id(result.modelVersions.radiologyTriageV1), id(result.modelVersions.triageV1)]);
    expect(answer.trainingRuns[1]!.uses.map((u) => u.datasetVersionId)).toEqual([
      id(result.datasetVersions.clinicalNotesV2),
      id(result.datasetVersions.publicTextV1),
    ]);
  });

  it("keeps the base model to its own data", async () => {
    const answer = await whatTrainedThis(client, result.modelVersions.triageV1);
    expect(answer.lineage).toHaveLength(1);
    expect(answer.datasetVersions.map((e) => [e.datasetVersion.id, e.paths[0]!.how])).toEqual([
      [id(result.datasetVersions.clinicalNotesV2), "direct"],
      [id(result.datasetVersions.publicTextV1), "direct"],
      [id(result.datasetVersions.clinicalNotesV1), "derivation"],
    ]);
  });

  it("reports every path when data is reached twice (triage v2: notes v2 directly and through v1)", async () => {
    const answer = await whatTrainedThis(client, result.modelVersions.triageV2);
    const notesV2 = entryOf(answer.datasetVersions, result.datasetVersions.clinicalNotesV2)!;
    expect(notesV2.paths.map((p) => p.how)).toEqual(["direct", "fine-tune"]);
  });

  it("says which id is unknown", async () => {
    await expect(whatTrainedThis(client, 99n)).rejects.toThrow(
      new NotInSubgraphError(fixture.url, "model version", "99").message,
    );
    await expect(whatTrainedThis(client, 99n)).rejects.toThrow(
      `model version 99 is not in the subgraph at ${fixture.url}; check the id or wait for the indexer to catch up`,
    );
  });
});

describe("wasDataUsed", () => {
  it("finds triage v1, v2 and radiology-triage v1 behind clinical notes v1, and says triage v1 is live", async () => {
    const audit = createAuditClient({ url: fixture.url });
    const answer = await wasDataUsed(audit, { datasetVersionId: result.datasetVersions.clinicalNotesV1 });
    // The version, the claims of its fingerprint, then one round trip per level below it: notes v2; notes v3 and the
    // triage versions trained on v2; the fine-tune of triage v1.
    expect(audit.stats.requests).toBe(5);
    const { triageV1, triageV2, radiologyTriageV1 } = result.modelVersions;
    expect(answer.modelVersions.map((m) => m.version.id).sort()).toEqual([triageV1, triageV2, radiologyTriageV1].map(id).sort());
    const v1 = answer.modelVersions.find((m) => m.version.id === id(triageV1))!;
    expect(v1.live).toBe(true);
    expect(v1.liveIn).toEqual([
      expect.objectContaining({ environment: "production", deploymentId: id(result.deployments.triageV1), deployer: who.mlTeam }),
      expect.objectContaining({ environment: "assistant", deploymentId: id(result.deployments.assistantV1), deployer: who.mlTeam }),
    ]);
    expect(v1.paths[0]).toMatchObject({
      how: "derived",
      datasetVersionChain: [id(result.datasetVersions.clinicalNotesV1), id(result.datasetVersions.clinicalNotesV2)],
      licenceId: id(result.licences.clinicalNotes),
    });
    const v2 = answer.modelVersions.find((m) => m.version.id === id(triageV2))!;
    expect(v2).toMatchObject({ live: false, everDeployed: true });
    const fineTune = answer.modelVersions.find((m) => m.version.id === id(radiologyTriageV1))!;
    expect(fineTune).toMatchObject({ live: false, everDeployed: false });
    expect(fineTune.paths[0]).toMatchObject({ how: "fine-tune", trainedBy: id(triageV1), fineTunedFrom: id(triageV1), fineTuneDepth: 1 });
    expect(fineTune.paths[0]!.description).toBe(
      `fine-tuned from model version ${triageV1}, which was trained on dataset version ${result.datasetVersions.clinicalNotesV2} (derived from ${result.datasetVersions.clinicalNotesV1}) under licence ${result.licences.clinicalNotes}`,
    );
    expect(answer.anyLive).toBe(true);
    expect(answer.liveVersionIds).toEqual([id(triageV1)]);
    expect(answer.datasetVersions.map((d) => [d.datasetVersion.id, d.derivedFrom])).toEqual([
      [id(result.datasetVersions.clinicalNotesV1), []],
      [id(result.datasetVersions.clinicalNotesV2), [id(result.datasetVersions.clinicalNotesV1)]],
      // Clinical notes v3 (derived from v2) and the annotated notes (act 10, derived from v2) trained nothing yet.
      [id(result.datasetVersions.clinicalNotesV3), [id(result.datasetVersions.clinicalNotesV2)]],
      [id(result.usage.annotated.versionId), [id(result.datasetVersions.clinicalNotesV2)]],
    ]);
  });

  it("works per dataset: the withdrawn radiology images trained only the fine-tune, which is not deployed", async () => {
    const answer = await wasDataUsed(client, { datasetId: result.datasets.radiology });
    expect(answer.matchedBy).toBe("dataset");
    expect(answer.modelVersions.map((m) => [m.version.id, m.paths[0]!.how, m.live])).toEqual([
      [id(result.modelVersions.radiologyTriageV1), "direct", false],
    ]);
    expect(answer.datasetVersions[0]!.dataset.withdrawn).toBe(true);
    expect(answer.anyLive).toBe(false);
  });

  it("answers as of a block: before the rollback, v2 was the live user of the notes", async () => {
    const answer = await wasDataUsed(client.at(result.blocks.beforeRollback), { datasetId: result.datasets.clinicalNotes });
    expect(answer.asOf.blockNumber).toBe(result.blocks.beforeRollback);
    expect(answer.liveVersionIds).toEqual([id(result.modelVersions.triageV2)]);
    // Before triage v1 was published, nothing used the notes.
    const early = await wasDataUsed(client.at(Number((await whatTrainedThis(client, result.modelVersions.triageV1)).version.published.blockNumber) - 1), {
      datasetId: result.datasets.clinicalNotes,
    });
    expect(early.modelVersions).toEqual([]);
  });

  it("says which dataset is unknown", async () => {
    await expect(wasDataUsed(client, { datasetId: 42n })).rejects.toThrow(`dataset 42 is not in the subgraph at ${fixture.url}`);
  });

  it("walks down with queries a node bounding their complexity accepts, and answers the same there", async () => {
    // Two pages of 1 000 nested measure about 10^6 (graph-node's measure); a third nested page would reach 10^9.
    const bounded = await startIndexer({
      subgraph: "build",
      rpcUrl: fixture.chain.url,
      ...indexerOverrides(fixture.deployment.locations),
      port: 0,
      log: () => {},
      queryLimits: { maxComplexity: 100_000_000 },
    });
    try {
      await bounded.waitForBlock((await client.meta()).blockNumber);
      const strict = createAuditClient({ url: bounded.url });
      for (const parameters of [{ datasetId: result.datasets.clinicalNotes }, { datasetVersionId: result.datasetVersions.clinicalNotesV1 }]) {
        const answer = await wasDataUsed(strict, parameters);
        expect(answer.modelVersions.length).toBeGreaterThan(0);
        expect(answer).toEqual(await wasDataUsed(client, parameters));
      }
    } finally {
      await bounded.stop();
    }
  });
});

describe("changesSince", () => {
  it("compares v2 with v1, the release it replaced in production", async () => {
    const diff = await changesSince(client, result.modelVersions.triageV2);
    expect(diff.basis).toBe("previous-release");
    expect(diff.environment).toBe("production");
    expect(diff.previous?.id).toBe(id(result.modelVersions.triageV1));
    expect(diff.release?.deploymentId).toBe(id(result.deployments.triageV2));
    expect(diff.previousRelease?.deploymentId).toBe(id(result.deployments.triageV1));
    expect(diff.changed).toEqual(expect.arrayContaining(["weightsHash", "configHash", "uri"]));
    expect(diff.parent).toEqual({ from: null, to: id(result.modelVersions.triageV1), changed: true });
    // Open text is no longer trained on directly, but still behind v2 through the fine-tune of v1.
    expect(diff.trainingData.removed.map((u) => u.datasetVersionId)).toEqual([id(result.datasetVersions.publicTextV1)]);
    expect(diff.trainingData.kept.map((u) => u.datasetVersionId)).toEqual([id(result.datasetVersions.clinicalNotesV2)]);
    expect(diff.lineageData.removed).toEqual([]);
    expect(diff.licences.removed).toEqual([id(result.licences.publicText)]);
    // The bias check of v2 was revoked, and v2's training run has no licence-compliance attestation.
    expect(diff.attestations.kindsLost).toEqual(["bias-check", "licence-compliance"]);
    expect(diff.attestations.revoked.map((a) => a.id)).toEqual([id(result.attestations.revoked)]);
  });

  it("answers as of the block before the rollback: the bias check still held then", async () => {
    const diff = await changesSince(client.at(result.blocks.beforeRollback), result.modelVersions.triageV2);
    expect(diff.attestations.kindsLost).toEqual(["licence-compliance"]);
    expect(diff.attestations.revoked).toEqual([]);
  });

  it("knows a first release, and compares any two versions with `against`", async () => {
    const first = await changesSince(client, result.modelVersions.triageV1, { environment: "production" });
    expect(first.basis).toBe("first-release");
    expect(first.previous).toBeNull();
    expect(first.trainingData.added.map((u) => u.datasetVersionId)).toEqual([
      id(result.datasetVersions.clinicalNotesV2),
      id(result.datasetVersions.publicTextV1),
    ]);
    await expect(changesSince(client, result.modelVersions.radiologyTriageV1)).rejects.toThrow(InvalidInputError);
    await expect(changesSince(client, result.modelVersions.radiologyTriageV1)).rejects.toThrow(
      `model version ${result.modelVersions.radiologyTriageV1} was never deployed anywhere; pass against to compare it with another version`,
    );
    const fineTune = await changesSince(client, result.modelVersions.radiologyTriageV1, { against: result.modelVersions.triageV1 });
    expect(fineTune.basis).toBe("against");
    expect(fineTune.trainingData.added.map((u) => u.datasetVersionId)).toEqual([id(result.datasetVersions.radiologyV1)]);
    expect(fineTune.lineageData.added.map((u) => u.datasetVersionId)).toEqual([id(result.datasetVersions.radiologyV1)]);
    expect(fineTune.lineageData.removed).toEqual([]);
  });
});
