import { afterAll, beforeAll, it } from "vitest";
import { indexedScenario, type IndexedScenario } from "../helpers/indexed-scenario.ts";
import { createAuditClient } from "../../src/audit/client.ts";
import { whatTrainedThis } from "../../src/audit/whatTrainedThis.ts";
import { whoActedOn } from "../../src/audit/whoActedOn.ts";

let fixture: IndexedScenario;
beforeAll(async () => { fixture = await indexedScenario(); }, 180_000);
afterAll(async () => { await fixture?.close(); });

it("prints", async () => {
  const client = createAuditClient({ url: fixture.url });
  const r = await whatTrainedThis(client, fixture.result.modelVersions.radiologyTriageV1);
  console.log(JSON.stringify(r.datasetVersions.map((e) => [e.datasetVersion.id, e.paths]), null, 1));
  console.log(client.stats);
  const w = await whoActedOn(client, fixture.result.modelVersions.triageV2);
  console.log(JSON.stringify({ ...w, timeline: w.timeline.map((e) => e.action + " " + e.blockNumber + " " + e.description) }, null, 1));
});
