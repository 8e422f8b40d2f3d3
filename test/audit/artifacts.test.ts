/**
 * Artifact audits against the chain: files written here are fingerprinted, registered through the SDK (a dataset
 * version derived from clinical notes v2, a model version trained on it), indexed, and then checked — match, the
 * changed file named on mismatch, item membership proofs — plus lineages deeper than one query reaches.
 */
import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id as keccakText } from "ethers";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import { createPedigreeClient, publishDatasetVersion, publishModelVersion } from "../../src/sdk/index.ts";
import { fingerprint, verifyItem, type Fingerprint } from "../../src/core/fingerprint.ts";
import {
  createAuditClient,
  doesArtifactMatch,
  proveItem,
  wasDataUsed,
  whatTrainedThis,
  type AuditClient,
} from "../../src/audit/index.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";

let fixture: IndexedScenario;
let result: ScenarioResult;
let client: AuditClient;
let dir: string;
let dataDir: string;
let weightsDir: string;
let data: Fingerprint;
let weights: Fingerprint;
let manifestFile: string;
let datasetVersionId: bigint;
let modelVersionId: bigint;
const chainIds: bigint[] = [];
let deepModelVersionId: bigint;
const id = (value: bigint) => value.toString();

async function write(path: string, content: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
}

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  client = createAuditClient({ url: fixture.url });
  dir = await mkdtemp(join(tmpdir(), "pedigree-artifacts-"));

  // A dataset version: three files, fingerprinted, published by Alice as derived from clinical notes v2.
  dataDir = join(dir, "notes-v3");
  await write(join(dataDir, "README.md"), "de-identified clinical notes, third cut\n");
  await write(join(dataDir, "train/part-0.jsonl"), '{"note":"patient stable"}\n{"note":"refer to cardiology"}\n');
  await write(join(dataDir, "train/part-1.jsonl"), '{"note":"follow up in 2 weeks"}\n');
  data = await fingerprint(dataDir);
  manifestFile = join(dir, "notes-v3.manifest.json");
  await writeFile(manifestFile, JSON.stringify(data.manifest));
  const addresses = fixture.deployment.addresses;
  const alice = createPedigreeClient({ runner: fixture.cast.alice, addresses });
  const team = createPedigreeClient({ runner: fixture.cast.mlTeam, addresses });
  const published = await publishDatasetVersion(alice, {
    datasetId: result.datasets.clinicalNotes,
    version: { fingerprint: data.fingerprint, manifestRoot: data.root, uri: `file://${dataDir}` },
    parents: [result.datasetVersions.clinicalNotesV2],
    transformationHash: keccakText("third cut"),
  });
  datasetVersionId = published.versionId;

  // Weights trained on it, registered with their fingerprint as weightsHash.
  weightsDir = join(dir, "weights");
  await write(join(weightsDir, "model.safetensors"), "weights v3 ".repeat(1000));
  await write(join(weightsDir, "config.json"), '{"layers":12}');
  weights = await fingerprint(weightsDir);
  const now = BigInt((await fixture.chain.connection.ethers.provider.getBlock("latest"))!.timestamp);
  const model = await publishModelVersion(team, {
    modelId: result.models.triage,
    version: { weightsHash: weights.fingerprint, manifestRoot: weights.root, parentVersionId: result.modelVersions.triageV1, uri: `file://${weightsDir}` },
    trainingRun: { region: "DE", data: [{ datasetVersionId, licenceId: result.licences.clinicalNotes }], startedAt: now - 3600n, endedAt: now - 60n },
  });
  modelVersionId = model.versionId;

  // A derivation chain six versions long, and a model trained on its end (deeper than one query's nesting).
  let parent = datasetVersionId;
  for (let i = 0; i < 6; i++) {
    const next = await publishDatasetVersion(alice, {
      datasetId: result.datasets.clinicalNotes,
      version: { fingerprint: keccakText(`derived ${i}`), uri: `ipfs://derived-${i}` },
      parents: [parent],
    });
    chainIds.push(next.versionId);
    parent = next.versionId;
  }
  const deep = await publishModelVersion(team, {
    modelId: result.models.triage,
    version: { weightsHash: keccakText("deep weights"), uri: "ipfs://deep" },
    trainingRun: { region: "DE", data: [{ datasetVersionId: parent, licenceId: result.licences.clinicalNotes }], startedAt: now - 60n, endedAt: now - 30n },
  });
  deepModelVersionId = deep.versionId;
  await fixture.indexer.waitForBlock(deep.blockNumber);
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  await fixture?.close();
});

describe("doesArtifactMatch", () => {
  it("matches the dataset version registered with these files' fingerprint and manifest root", async () => {
    const check = await doesArtifactMatch(client, dataDir, { datasetVersionId }, { manifest: manifestFile });
    expect(check).toMatchObject({
      matches: true,
      fingerprintMatches: true,
      manifestRootMatches: true,
      recorded: { fingerprint: data.fingerprint, manifestRoot: data.root },
      local: { fingerprint: data.fingerprint, manifestRoot: data.root, fileCount: 3 },
      manifest: { rootMatchesRecord: true, differences: [] },
      subject: { type: "dataset-version", id: id(datasetVersionId) },
    });
    expect(check.summary).toBe(`${dataDir} matches dataset version ${datasetVersionId}: fingerprint ${data.fingerprint} and manifestRoot ${data.root}`);
  });

  it("matches model weights by weightsHash and manifest root", async () => {
    const check = await doesArtifactMatch(client, weightsDir, { modelVersionId });
    expect(check).toMatchObject({ matches: true, recorded: { fingerprint: weights.fingerprint, manifestRoot: weights.root }, manifest: null });
    // Other weights do not match.
    const other = await doesArtifactMatch(client, weightsDir, { modelVersionId: result.modelVersions.triageV1 });
    expect(other).toMatchObject({ matches: false, fingerprintMatches: false, manifestRootMatches: false });
  });

  it("names the file that changed, and a file added or removed", async () => {
    const changed = join(dataDir, "train/part-1.jsonl");
    await writeFile(changed, '{"note":"follow up in 3 weeks"}\n');
    try {
      const check = await doesArtifactMatch(client, dataDir, { datasetVersionId }, { manifest: data.manifest });
      expect(check).toMatchObject({ matches: false, fingerprintMatches: false, manifestRootMatches: false });
      expect(check.manifest!.differences).toEqual([
        {
          path: "train/part-1.jsonl",
          change: "modified",
          expected: { size: data.manifest.entries.find((e) => e.path === "train/part-1.jsonl")!.size, digest: data.manifest.entries.find((e) => e.path === "train/part-1.jsonl")!.digest },
          actual: { size: 32, digest: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
        },
      ]);
      expect(check.manifest!.differences[0]!.actual!.digest).not.toBe(check.manifest!.differences[0]!.expected!.digest);
      expect(check.summary).toBe(`${dataDir} differs from dataset version ${datasetVersionId}: train/part-1.jsonl (modified)`);

      // Without the manifest, it can only say that something differs.
      const blind = await doesArtifactMatch(client, dataDir, { datasetVersionId });
      expect(blind.manifest).toBeNull();
      expect(blind.summary).toContain("pass the published manifest to see which files differ");

      await writeFile(join(dataDir, "extra.txt"), "not published");
      await unlink(join(dataDir, "README.md"));
      const more = await doesArtifactMatch(client, dataDir, { datasetVersionId }, { manifest: manifestFile });
      expect(more.manifest!.differences.map((d) => [d.path, d.change])).toEqual([
        ["README.md", "missing"],
        ["extra.txt", "added"],
        ["train/part-1.jsonl", "modified"],
      ]);
    } finally {
      await writeFile(changed, '{"note":"follow up in 2 weeks"}\n');
      await writeFile(join(dataDir, "README.md"), "de-identified clinical notes, third cut\n");
      await rm(join(dataDir, "extra.txt"), { force: true });
    }
    expect((await doesArtifactMatch(client, dataDir, { datasetVersionId })).matches).toBe(true);
  });

  it("fails on an unknown version before hashing anything, and on a missing path", async () => {
    await expect(doesArtifactMatch(client, join(dir, "nowhere"), { datasetVersionId: 999n })).rejects.toThrow(
      `dataset version 999 is not in the subgraph at ${fixture.url}; check the id or wait for the indexer to catch up`,
    );
    await expect(doesArtifactMatch(client, join(dir, "nowhere"), { datasetVersionId })).rejects.toThrow(/does not exist; check the path/);
  });
});

describe("proveItem", () => {
  it("proves a file was in the version against its recorded manifestRoot", async () => {
    const answer = await proveItem(client, { datasetVersionId, manifest: data.manifest, item: "train/part-0.jsonl" });
    expect(answer).toMatchObject({ verdict: "included", proofValid: true, manifest: { rootMatches: true, fingerprintMatches: true } });
    expect(answer.entry?.path).toBe("train/part-0.jsonl");
    // The proof stands on its own: the recorded root, the entry and the siblings.
    expect(verifyItem(answer.datasetVersion.manifestRoot, answer.entry!, answer.proof!)).toBe(true);
    expect(answer.statement).toContain(`is in dataset version ${datasetVersionId}`);
  });

  it("shows a file was not in it, saying what that rests on", async () => {
    const absent = await proveItem(client, { datasetVersionId, manifest: data.manifest, item: "train/part-2.jsonl" });
    expect(absent).toMatchObject({ verdict: "not-included", entry: null, proof: null });
    expect(absent.statement).toContain("builds to exactly the manifestRoot recorded");
    expect(absent.statement).toContain("no compact proof of absence");
    // Same path, other content: not in it either, and the listed entry is shown.
    const otherContent = await proveItem(client, {
      datasetVersionId,
      manifest: data.manifest,
      item: { path: "README.md", digest: keccakText("something else") },
    });
    expect(otherContent.verdict).toBe("not-included");
    expect(otherContent.entry?.path).toBe("README.md");
  });

  it("refuses to conclude from a manifest that is not the version's", async () => {
    const answer = await proveItem(client, { datasetVersionId: result.datasetVersions.clinicalNotesV1, manifest: data.manifest, item: "README.md" });
    expect(answer).toMatchObject({ verdict: "unknown", manifest: { rootMatches: false }, proof: null });
    expect(answer.statement).toContain("it is not that version's manifest");
  });
});

describe("wasDataUsed by item, and deep lineages", () => {
  it("finds the version holding a file and the model trained on it", async () => {
    const entry = data.manifest.entries.find((e) => e.path === "train/part-0.jsonl")!;
    const answer = await wasDataUsed(client, { itemHash: entry.digest, manifest: data.manifest });
    expect(answer).toMatchObject({ matchedBy: "manifest", item: { entry, manifestRoot: data.root }, startingVersionIds: [id(datasetVersionId)] });
    expect(answer.modelVersions.map((m) => [m.version.id, m.paths[0]!.how])).toEqual([
      [id(modelVersionId), "direct"],
      [id(deepModelVersionId), "derived"],
    ]);
    expect(answer.anyLive).toBe(false);
    await expect(wasDataUsed(client, { itemHash: keccakText("no such file"), manifest: data.manifest })).rejects.toThrow(/no entry of the given manifest/);
  });

  it("follows a derivation chain of any depth, one round trip per level", async () => {
    const audit = createAuditClient({ url: fixture.url });
    const lineage = await whatTrainedThis(audit, deepModelVersionId);
    // The model version, then nine dataset versions deep (six derived, the new version, notes v2, notes v1), one level
    // per round trip.
    expect(audit.stats.requests).toBe(10);
    const original = lineage.datasetVersions.find((e) => e.datasetVersion.id === id(result.datasetVersions.clinicalNotesV1))!;
    expect(original.paths[0]).toMatchObject({
      how: "derivation",
      derivationChain: [...[...chainIds].reverse(), datasetVersionId, result.datasetVersions.clinicalNotesV2].map(id),
    });
    expect(lineage.datasetVersions).toHaveLength(9);

    const down = createAuditClient({ url: fixture.url });
    const used = await wasDataUsed(down, { datasetVersionId: result.datasetVersions.clinicalNotesV1 });
    // The version and the claims of its fingerprint, then nine levels below it: notes v2; notes v3, the new version and
    // the triage versions trained on v2; the first derived version, the fine-tune and the model trained on the new
    // version; the other five derived versions, one a level; the deep model.
    expect(down.stats.requests).toBe(11);
    const deep = used.modelVersions.find((m) => m.version.id === id(deepModelVersionId))!;
    expect(deep.paths[0]!.datasetVersionChain).toEqual(
      [result.datasetVersions.clinicalNotesV1, result.datasetVersions.clinicalNotesV2, datasetVersionId, ...chainIds].map(id),
    );
  });
});
