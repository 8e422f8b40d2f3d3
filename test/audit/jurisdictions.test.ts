/**
 * "Where, and under which conditions?" on the demo scenario (real local chain, embedded indexer): where each run of a
 * fine-tune chain was computed, the licences' territories and what they leave together, deployment and decision
 * regions, and the conflicts a decision batch made outside them raises.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id as keccakText } from "ethers";
import { createAuditClient, jurisdictionsOf, type AuditClient } from "../../src/audit/index.ts";
import { REGION_GROUPS, regionCodes, regionSet } from "../../src/core/regions.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import { anchorDecisions, createPedigreeClient } from "../../src/sdk/index.ts";

let fixture: IndexedScenario;
let result: ScenarioResult;
let client: AuditClient;
/** A batch of triage v1 decisions the ML team says were made in DE and the US; the block before it. */
let usBatch: { root: string; blockBefore: number };

const codes = (regions: string) => regionCodes(regionSet(regions, "regions"));
const id = (value: bigint) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  client = createAuditClient({ url: fixture.url });
  const team = createPedigreeClient({ runner: fixture.cast.mlTeam, addresses: fixture.deployment.addresses });
  const root = keccakText("decisions made in the US");
  const blockBefore = await fixture.chain.connection.ethers.provider.getBlockNumber();
  const anchored = await anchorDecisions(team, { versionId: result.modelVersions.triageV1, root, count: 3, windowStart: 1n, windowEnd: 2n, regions: "DE,US", uri: "s3://acme/us" });
  await fixture.indexer.waitForBlock(anchored.blockNumber);
  usBatch = { root, blockBefore };
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

describe("jurisdictionsOf", () => {
  it("names where each run of a fine-tune chain was computed and the training territory it had to stay in", async () => {
    const where = await jurisdictionsOf(client, result.modelVersions.radiologyTriageV1);
    expect(where.training.map((run) => [run.versionId, run.region, run.computeProvider])).toEqual([
      [id(result.modelVersions.radiologyTriageV1), "NL", "eu-gpu-cloud:dublin"],
      [id(result.modelVersions.triageV1), "IE", "eu-gpu-cloud:dublin"],
    ]);
    // The fine-tune's own radiology licence is worldwide; its parent's clinical notes bind it to the EEA.
    expect(where.training[0]!.allowed).toEqual(codes("EEA"));
    expect(where.territory.training).toEqual(codes("EEA"));
    expect(where.territory.deployment).toEqual(codes("EU"));
    expect(where.licences.map((l) => l.licenceId).sort()).toEqual(
      [result.licences.clinicalNotes, result.licences.publicText, result.licences.radiology].map(id).sort(),
    );
    expect(where.conflicts).toEqual([]);
  });

  it("lists the licences' territories, the deployments' regions and the decision batches' regions", async () => {
    const where = await jurisdictionsOf(client.at(usBatch.blockBefore), result.modelVersions.triageV1);
    // Training data through derivations, then the assistant's retrieval data: origin and data-handling policy.
    const policy = { hash: keccakText("clinical-notes handling: GDPR special category, PII present, consent basis Art. 9(2)(a)"), uri: "ipfs://bafybeinoteshandling" };
    expect(where.data).toEqual(
      expect.arrayContaining([
        { datasetVersionId: id(result.datasetVersions.clinicalNotesV1), datasetId: id(result.datasets.clinicalNotes), use: "training", origin: codes("EU"), handlingPolicy: policy },
        { datasetVersionId: id(result.datasetVersions.clinicalNotesV2), datasetId: id(result.datasets.clinicalNotes), use: "training", origin: [], handlingPolicy: null },
        { datasetVersionId: id(result.datasetVersions.clinicalNotesV2), datasetId: id(result.datasets.clinicalNotes), use: "retrieval", origin: [], handlingPolicy: null },
      ]),
    );
    expect(where.data.filter((d) => d.use === "retrieval")).toHaveLength(1);
    const notes = where.licences.find((l) => l.licenceId === id(result.licences.clinicalNotes))!;
    expect(notes).toMatchObject({ training: codes("EEA"), deployment: codes("EU") });
    expect(where.deployments.find((d) => d.deploymentId === id(result.deployments.triageV1))).toMatchObject({ environment: "production", regions: [...REGION_GROUPS.EU].sort() });
    expect(where.decisions).toEqual([
      expect.objectContaining({ root: result.decisions.root, count: 1000, regions: ["DE", "FR", "NL"], systemId: null }),
      expect.objectContaining({ root: result.systems.decisionsRoot, count: 100, regions: ["DE"], systemId: id(result.systems.promptUpdate) }),
    ]);
    expect(where.conflicts).toEqual([]);
  });

  it("reports a decision batch made outside the deployment territory and where no deployment served", async () => {
    const where = await jurisdictionsOf(client, result.modelVersions.triageV1);
    expect(where.conflicts).toEqual([
      {
        kind: "decisions-outside-territory",
        subject: usBatch.root,
        regions: ["US"],
        message: `decision batch ${usBatch.root} was made outside the licences' deployment territory: US`,
      },
      {
        kind: "decisions-outside-deployments",
        subject: usBatch.root,
        regions: ["US"],
        message: `decision batch ${usBatch.root} was made where no deployment of the version had served: US`,
      },
    ]);
  });
});
