/**
 * A long chain of fine-tunes (each model version of the workload fine-tunes the previous one): whatTrainedThis walks
 * it eight versions per round trip, not one, and still reaches every version and the data each was trained on. Paths
 * name a fine-tune chain by its ends and length, not by every version in it: an answer about a chain thousands deep
 * must grow with its length, not its square.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditClient } from "../../src/audit/client.ts";
import { wasDataUsed, whatTrainedThis } from "../../src/audit/index.ts";
import { olderFineTunes } from "../../src/audit/shared.ts";
import { playWorkload } from "../../src/dev/workload.ts";
import { indexedProtocol, type IndexedProtocol } from "../helpers/indexed-protocol.ts";

const VERSIONS = 20;
let fixture: IndexedProtocol;

beforeAll(async () => {
  fixture = await indexedProtocol();
  const { creator, mlTeam, evaluator } = fixture.signers;
  await playWorkload(fixture.chain, fixture.deployment, { creators: [creator], mlTeam, evaluator }, { rounds: VERSIONS, attestationsPerRound: 1 });
  await fixture.sync();
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

describe("whatTrainedThis on a chain of fine-tunes", () => {
  it("fetches the chain eight versions per round trip", async () => {
    const audit = createAuditClient({ url: fixture.url });
    const answer = await whatTrainedThis(audit, VERSIONS);
    // Versions 20–13 with the first answer, 12–5 and 4–1 with the next two (each with the data of the previous eight),
    // then the data of versions 4–1: 4 requests, where one version per round trip took 21.
    expect(audit.stats.requests).toBe(4);
    expect(answer.lineage.map((v) => v.id)).toEqual(Array.from({ length: VERSIONS }, (_, i) => String(VERSIONS - i)));
    expect(answer.trainingRuns).toHaveLength(VERSIONS);
    expect(answer.datasetVersions.map((entry) => entry.datasetVersion.id).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: VERSIONS }, (_, i) => String(i + 1)),
    );
    const oldest = answer.datasetVersions.find((entry) => entry.datasetVersion.id === "1")!;
    expect(oldest.paths[0]).toMatchObject({
      how: "fine-tune",
      trainedBy: "1",
      fineTuneDepth: VERSIONS - 1,
      description: `via fine-tune of model version ${VERSIONS - 1}, itself fine-tuned from 1 in ${VERSIONS - 2} steps`,
    });
    // The versions between are the answer's lineage: [20, 19, …, 1].
    expect(answer.lineage[oldest.paths[0]!.fineTuneDepth]!.id).toBe("1");
  });

  it("names each user of the oldest data by the version it was fine-tuned from", async () => {
    const answer = await wasDataUsed(createAuditClient({ url: fixture.url }), { datasetVersionId: 1n });
    expect(answer.modelVersions.map((m) => m.version.id)).toEqual(Array.from({ length: VERSIONS }, (_, i) => String(i + 1)));
    const byId = new Map(answer.modelVersions.map((m) => [m.version.id, m]));
    expect(byId.get(String(VERSIONS))!.paths[0]).toMatchObject({
      how: "fine-tune",
      trainedBy: "1",
      fineTunedFrom: String(VERSIONS - 1),
      fineTuneDepth: VERSIONS - 1,
    });
    expect(byId.get(String(VERSIONS))!.paths[0]!.description).toMatch(
      new RegExp(`^fine-tuned from model version ${VERSIONS - 1}, itself fine-tuned from 1 in ${VERSIONS - 2} steps, which was trained on dataset version 1 `),
    );
    // Following fineTunedFrom from the newest version walks the chain back to the version trained on the data.
    const chain: string[] = [];
    for (let at: string | null = String(VERSIONS); at !== null; at = byId.get(at)!.paths[0]!.fineTunedFrom) chain.push(at);
    expect(chain).toEqual(Array.from({ length: VERSIONS }, (_, i) => String(VERSIONS - i)));
  });
});

describe("olderFineTunes", () => {
  it("names the rest of a chain by its ends, one step, two, or many", () => {
    expect(olderFineTunes("1", 1)).toBe("");
    expect(olderFineTunes("1", 2)).toBe(", itself a fine-tune of 1");
    expect(olderFineTunes("1", 34_000)).toBe(", itself fine-tuned from 1 in 33999 steps");
  });
});
