/**
 * System versions on the demo scenario (real local chain, embedded indexer): triage v1 runs as an assistant — a system
 * version with its prompt, retrieval over the licensed clinical notes, guardrails and tools — and a prompt update is
 * released as a new system version on the same weights. The read model names them, says what changed between the two
 * releases, narrows where they may serve by their retrieval licences, and ties the decisions to the policy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id as keccakText } from "ethers";
import { changesSince, createAuditClient, jurisdictionsOf, whoActedOn, type AuditClient } from "../../src/audit/index.ts";
import { regionCodes, regionSet } from "../../src/core/regions.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import type { ScenarioResult } from "../../src/dev/scenario.ts";

let fixture: IndexedScenario;
let result: ScenarioResult;
let client: AuditClient;
const id = (value: bigint) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  client = createAuditClient({ url: fixture.url });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

describe("system versions", () => {
  it("records each system version's configuration, retrieval data under its licence, parent and release gate", async () => {
    const { systems } = await whoActedOn(client, result.modelVersions.triageV1);
    const [assistant, update] = systems;
    expect(assistant).toMatchObject({
      id: id(result.systems.assistant),
      modelVersionId: id(result.modelVersions.triageV1),
      parentId: null,
      config: {
        promptHash: keccakText("triage assistant prompt v1"),
        retrievalIndex: keccakText("clinical notes v2 vector index"),
        policyHash: keccakText("guardrails: no diagnosis, escalate to a clinician"),
        toolsHash: keccakText("tools: lookup-guideline"),
      },
      uri: "ipfs://bafyassistantcard",
      approved: true,
      approvalRevoked: false,
    });
    expect(assistant!.retrieval.map((r) => [r.datasetVersionId, r.licence.id])).toEqual([[id(result.datasetVersions.clinicalNotesV2), id(result.licences.clinicalNotes)]]);
    expect(assistant!.approval!.attestationIds).toHaveLength(3);
    // The prompt update keeps everything else of its parent.
    expect(update).toMatchObject({ parentId: id(result.systems.assistant), config: { ...assistant!.config, promptHash: keccakText("triage assistant prompt v2: ask for symptom onset") } });
  });

  it("says a prompt update on the same weights is what changed since the previous release", async () => {
    const diff = await changesSince(client, result.modelVersions.triageV1, { environment: "assistant" });
    expect(diff).toMatchObject({ basis: "previous-release", changed: [], previous: { id: id(result.modelVersions.triageV1) } });
    expect(diff.release?.deploymentId).toBe(id(result.deployments.assistant));
    expect(diff.system.changed).toEqual(["prompt"]);
    expect([diff.system.from?.id, diff.system.to?.id]).toEqual([id(result.systems.assistant), id(result.systems.promptUpdate)]);
    expect(diff.system.retrievalData.kept.map((d) => d.datasetVersionId)).toEqual([id(result.datasetVersions.clinicalNotesV2)]);
    // Production runs the bare weights: nothing of a system changed there.
    expect((await changesSince(client, result.modelVersions.triageV1, { environment: "production" })).system).toMatchObject({ from: null, to: null, changed: [] });
  });

  it("narrows where a system may serve by its retrieval licences, and ties its decisions to its policy", async () => {
    const where = await jurisdictionsOf(client, result.modelVersions.triageV1);
    const eu = regionCodes(regionSet("EU", "eu"));
    expect(where.systems.map((s) => [s.systemId, s.retrieval.map((l) => l.licenceId), s.deployment])).toEqual([
      [id(result.systems.assistant), [id(result.licences.clinicalNotes)], eu],
      [id(result.systems.promptUpdate), [id(result.licences.clinicalNotes)], eu],
    ]);
    expect(where.deployments.filter((d) => d.environment === "assistant").map((d) => d.systemId)).toEqual([id(result.systems.assistant), id(result.systems.promptUpdate)]);
    const batch = where.decisions.find((d) => d.root === result.systems.decisionsRoot)!;
    expect(batch).toMatchObject({ systemId: id(result.systems.promptUpdate), policyHash: keccakText("guardrails: no diagnosis, escalate to a clinician"), regions: ["DE"] });
    expect(where.conflicts).toEqual([]);
  });
});
