/**
 * `pedigree audit …` and `pedigree report` as a user runs them: child processes against the demo scenario indexed by
 * the embedded indexer on a real local chain.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id as keccakText } from "ethers";
import { DecisionTree } from "../../src/core/merkle.ts";
import { startRewritingProxy } from "../helpers/hostile-servers.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { createPedigreeClient, deployVersion } from "../../src/sdk/index.ts";

const exec = promisify(execFile);
let fixture: IndexedScenario;
let dir: string;

beforeAll(async () => {
  fixture = await indexedScenario();
  dir = await mkdtemp(join(tmpdir(), "pedigree-cli-audit-"));
  await writeFile(join(dir, "addresses.json"), JSON.stringify(fixture.deployment.addresses));
  await writeFile(join(dir, "decisions.tree.json"), JSON.stringify(DecisionTree.build(fixture.result.decisions.records).dump()));
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

/** Runs the CLI; resolves with exit code, stdout and stderr (never rejects). */
async function pedigree(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["bin/pedigree.mjs", ...args], {
      env: { ...process.env, PEDIGREE_SUBGRAPH_URL: fixture.url, PEDIGREE_RPC_URL: fixture.chain.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("pedigree audit", () => {
  it("answers what trained a fine-tune, transitively, as JSON", async () => {
    const { code, stdout } = await pedigree("audit", "trained", String(fixture.result.modelVersions.radiologyTriageV1), "--json");
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    const ids = answer.datasetVersions.map((entry: any) => entry.datasetVersion.id).sort();
    expect(ids).toEqual(["1", "2", "3", "4"]);
  });

  it("answers who acted on a version, and which version was live before the rollback", async () => {
    const actors = await pedigree("audit", "actors", String(fixture.result.modelVersions.triageV2));
    expect(actors.code).toBe(0);
    expect(actors.stdout).toContain("AttestationRevoked");
    expect(actors.stdout).toContain("RolledBack");
    const before = await pedigree("audit", "live", String(fixture.result.models.triage), "--env", "production", "--block", String(fixture.result.blocks.beforeRollback), "--json");
    expect(JSON.parse(before.stdout).live.version.id).toBe(String(fixture.result.modelVersions.triageV2));
    const now = await pedigree("audit", "live", String(fixture.result.models.triage), "--env", "production", "--json");
    expect(JSON.parse(now.stdout).live.version.id).toBe(String(fixture.result.modelVersions.triageV1));
  });

  it("proves on chain which version produced a decision", async () => {
    const record = fixture.result.decisions.records[421];
    const { code, stdout } = await pedigree("audit", "decision", record, "--tree", join(dir, "decisions.tree.json"), "--addresses", join(dir, "addresses.json"), "--json");
    expect(code, stdout).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.verified).toBe(true);
    expect(answer.producedBy.id).toBe(String(fixture.result.modelVersions.triageV1));
    expect(answer.anchors[0].batch.regions).toEqual(["DE", "FR", "NL"]);
    const human = await pedigree("audit", "decision", record, "--tree", join(dir, "decisions.tree.json"), "--addresses", join(dir, "addresses.json"));
    expect(human.stdout).toMatch(/anchored by +model 1 version 1 \(id 1, owner 0x[0-9a-fA-F]{40}\) at block \d+, made in DE, FR, NL: verified/);
  });

  it("says which system version made a decision and under which policy", async () => {
    const records = Array.from({ length: 100 }, (_, i) => keccakText(`assistant decision ${i}`));
    const tree = join(dir, "assistant.tree.json");
    await writeFile(tree, JSON.stringify(DecisionTree.build(records).dump()));
    const { code, stdout } = await pedigree("audit", "decision", records[7]!, "--tree", tree, "--addresses", join(dir, "addresses.json"));
    expect(code, stdout).toBe(0);
    const policy = keccakText("guardrails: no diagnosis, escalate to a clinician");
    expect(stdout).toContain(`made in DE by system version ${fixture.result.systems.promptUpdate} under policy ${policy}: verified`);
  });

  it("finds every model version trained on a dataset, and royalties per creator", async () => {
    const used = await pedigree("audit", "used", "--dataset-version", String(fixture.result.datasetVersions.clinicalNotesV1), "--json");
    expect(JSON.parse(used.stdout).modelVersions.map((u: any) => u.version.id).sort()).toEqual(["1", "2", "3"]);
    const royalties = await pedigree("audit", "royalties", await fixture.cast.alice.getAddress(), "--json");
    // 0.35 ETH from the ML team's licence, and act 10's usage report, the collective's licence and a derivation royalty.
    expect(JSON.parse(royalties.stdout).creators[0].balances[0].credited).toBe("713300000000000000");
  });

  it("answers where a version was trained, may serve and served, and escapes hostile names on the terminal", async () => {
    const team = createPedigreeClient({ runner: fixture.cast.mlTeam, addresses: fixture.deployment.addresses });
    const hostile = await deployVersion(team, { versionId: fixture.result.modelVersions.triageV1, environment: "eu\u001b[2J\u001b]0;pwned\u0007\nCONFLICT none", regions: "DE" });
    await fixture.indexer.waitForBlock(hostile.blockNumber);
    const v1 = String(fixture.result.modelVersions.triageV1);
    const human = await pedigree("audit", "where", v1);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("trained: version 1 in IE by eu-gpu-cloud:dublin (allowed: EEA)");
    expect(human.stdout).toContain("training data: dataset version 1 (dataset 1) from EU, handling policy ipfs://bafybeinoteshandling");
    expect(human.stdout).toContain("retrieval data: dataset version 2 (dataset 1) from an undeclared origin");
    expect(human.stdout).toMatch(/territory: training in EEA, deployment in EU\n/);
    expect(human.stdout).toContain("decisions " + fixture.result.decisions.root + ": 1000 in DE, FR, NL");
    expect(human.stdout).toContain("(eu\\u001b[2J\\u001b]0;pwned\\u0007\\u000aCONFLICT none): DE from");
    expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(human.stdout).toContain("conflicts: none");
    const json = await pedigree("audit", "where", v1, "--json", "--fail-on-conflict");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).deployments.map((d: { environment: string }) => d.environment)).toContain("eu\u001b[2J\u001b]0;pwned\u0007\nCONFLICT none");
  });

  it("refuses bad input with one line and exit 2, an unknown id with exit 1", async () => {
    const badType = await pedigree("audit", "history", "spaceship", "1");
    expect(badType.code).toBe(2);
    expect(badType.stderr.trim().split("\n")).toHaveLength(1);
    expect(badType.stderr).toContain("unknown subject type");
    const unknown = await pedigree("audit", "trained", "999");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/model version 999 is not in the subgraph/);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    const down = await pedigree("audit", "trained", "1", "--subgraph", "http://127.0.0.1:9/subgraphs/name/pedigree");
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("cannot reach the subgraph at http://127.0.0.1:9");
  });
});

describe("pedigree report", () => {
  it("writes the dossier in the four formats", async () => {
    const out = join(dir, "reports");
    const { code, stdout } = await pedigree("report", String(fixture.result.modelVersions.triageV2), "--out", out, "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).files).toHaveLength(4);
    expect((await readdir(out)).sort()).toEqual(["model-version-3.html", "model-version-3.json", "model-version-3.md", "model-version-3.prov.json"]);
  });

  it("writes the bills of materials on request, and refuses an unknown format with one line and exit 2", async () => {
    const out = join(dir, "boms");
    const { code, stdout } = await pedigree("report", String(fixture.result.modelVersions.triageV2), "--out", out, "--format", "cyclonedx,spdx", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).files).toEqual([join(out, "model-version-3.cdx.json"), join(out, "model-version-3.spdx.json")]);
    expect(JSON.parse(await readFile(join(out, "model-version-3.cdx.json"), "utf8"))).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.6" });
    expect(JSON.parse(await readFile(join(out, "model-version-3.spdx.json"), "utf8"))["@context"]).toBe("https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
    const bad = await pedigree("report", "3", "--out", out, "--format", "md,sbom");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('pedigree: unknown --format "sbom"; use md, html, json, prov, cyclonedx, spdx (comma-separated)');
  });

  it("refuses to build a file name from a hostile version id in the subgraph's answer, and writes nothing", async () => {
    // The real indexer's answer, with the version's id replaced by a path that climbs out of --out.
    const lying = await startRewritingProxy(fixture.url, (_request, answer) => {
      const data = (answer as { data?: { modelVersion?: { id: string } } }).data;
      if (data?.modelVersion) data.modelVersion.id = "../../../escaped-report";
      return answer;
    });
    try {
      const root = join(dir, "hostile");
      const out = join(root, "a", "b", "c");
      await mkdir(out, { recursive: true });
      const { code, stdout, stderr } = await pedigree("report", String(fixture.result.modelVersions.triageV2), "--out", out, "--subgraph", lying.url);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr.trim()).toMatch(/^pedigree: the subgraph at http:\/\/127\.0\.0\.1:\d+ answered model version 3 with the id "\.\.\/\.\.\/\.\.\/escaped-report": refusing to name a report file after it; check that --subgraph points at a Pedigree subgraph you trust$/);
      // Nothing anywhere under the test's directory: not in --out, not above it.
      expect((await readdir(root, { recursive: true })).sort()).toEqual(["a", join("a", "b"), join("a", "b", "c")]);
    } finally {
      await lying.close();
    }
  });
});
