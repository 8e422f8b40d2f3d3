/**
 * The whole story through the real `pedigree` command (child processes) against one local chain served over HTTP:
 * fingerprint → dataset register with terms and splits → licence → model → publish under the licence → attest, sign
 * and relay → policy and approval → deploy → decisions anchored and verified → royalties withdrawn → rollback.
 */
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encryptKeystoreJson, id, parseEther } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliChain, type CliChain } from "./cli-chain.ts";
import { REGION_CODES, regionCodes, regionSet } from "../../src/core/regions.ts";

type Json = Record<string, any>;

describe("pedigree CLI: the full flow", () => {
  let t: CliChain;
  let dataDir: string;
  let weightsDir: string;
  let fingerprint: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startCliChain();
    dataDir = join(t.dir, "clinical-notes");
    weightsDir = join(t.dir, "weights");
    await mkdir(join(dataDir, "train"), { recursive: true });
    await writeFile(join(dataDir, "train", "0001.jsonl"), '{"text":"patient stable"}\n');
    await writeFile(join(dataDir, "README.md"), "# clinical notes\n");
    await mkdir(weightsDir);
    await writeFile(join(weightsDir, "model.safetensors"), Buffer.alloc(4096, 7));
    await writeFile(join(t.dir, "safety-report.md"), "no unsafe completions in 10k prompts\n");
  });

  afterAll(async () => {
    await t?.close();
  });

  it("fingerprints a directory (JSON and human output, manifest file)", async () => {
    const manifest = join(t.dir, "manifest.json");
    const json = await t.cli(["fingerprint", dataDir, "--json", "--manifest-out", manifest]);
    expect(json.code, json.stderr).toBe(0);
    const out = json.json<Json>();
    expect(out.fingerprint).toMatch(/^0x[0-9a-f]{64}$/);
    expect(out.manifestRoot).toMatch(/^0x[0-9a-f]{64}$/);
    expect(out.fileCount).toBe(2);
    expect(out.totalBytes).toBe(26 + 17);
    fingerprint = out.fingerprint;
    const written = JSON.parse(await readFile(manifest, "utf8"));
    expect(written.entries.map((e: Json) => e.path)).toEqual(["README.md", "train/0001.jsonl"]);

    const human = await t.cli(["fingerprint", dataDir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`fingerprint    ${fingerprint}`);
    expect(human.stdout).toMatch(/files\s+2/);
    expect(human.stderr).toBe("");
  });

  it("registers the dataset with terms and a royalty split", async () => {
    const { alice, curator } = t.accounts;
    const result = await t.cli(
      [
        "dataset", "register", "--path", dataDir, "--uri", "ipfs://bafyclinicalnotes",
        "--metadata-hash", join(dataDir, "README.md"),
        "--price", "0.5", "--duration", "365", "--commercial", "--derivatives", "--licence-uri", "spdx:CC-BY-4.0",
        "--split", `${alice.address}:7000`, "--split", `${curator.address.toLowerCase()}:3000`,
        "--training-territories", "EEA", "--deployment-territories", "eu,ch", "--json",
      ],
      { as: "alice" },
    );
    expect(result.code, result.stderr).toBe(0);
    const out = result.json<Json>();
    expect(out).toMatchObject({ datasetId: "1", versionId: "1", termsId: "1", owner: alice.address, fingerprint });
    expect(out.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(typeof out.blockNumber).toBe("number");
    expect(out.terms).toMatchObject({ price: parseEther("0.5").toString(), duration: 365 * 86_400, commercialUse: true });
    expect(out.terms.splits).toEqual([
      { recipient: alice.address, bps: 7000 },
      { recipient: curator.address, bps: 3000 },
    ]);
    expect(out.terms.trainingTerritories).toEqual(regionCodes(regionSet("EEA", "t")));
    expect(out.terms.deploymentTerritories).toEqual(regionCodes(regionSet("EU,CH", "t")));
    ids.dataset = out.datasetId;
    ids.datasetVersion = out.versionId;

    const show = await t.cli(["dataset", "show", "1", "--json"]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json<Json>()).toMatchObject({
      owner: alice.address,
      versionCount: 1,
      withdrawn: false,
      terms: { termsId: "1", trainingTerritories: out.terms.trainingTerritories, deploymentTerritories: out.terms.deploymentTerritories },
    });
    const human = await t.cli(["dataset", "show", "1"]);
    expect(human.stdout).toMatch(/training territories\s+EEA$/m);
    expect(human.stdout).toMatch(/deployment territories\s+EU, CH$/m);
  });

  it("licenses the dataset from another account (human output)", async () => {
    const result = await t.cli(["licence", "acquire", ids.dataset!, "--max-price", "0.5"], { as: "mlTeam" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^licence 1 acquired for dataset 1$/m);
    expect(result.stdout).toMatch(/paid\s+0\.5 ETH/);
    expect(result.stdout).toMatch(/licensee\s+0x90F79bf6EB2c4f870365E785982E1f101E93b906/);
    expect(result.stdout).toMatch(/transaction\s+0x[0-9a-f]{64} \(block \d+\)/);
    ids.licence = "1";
  });

  it("registers a model and publishes a version trained under the licence", async () => {
    const model = await t.cli(["model", "register", "--uri", "ipfs://bafytriagecard", "--commercial", "--json"], { as: "mlTeam" });
    expect(model.code, model.stderr).toBe(0);
    expect(model.json<Json>()).toMatchObject({ modelId: "1", owner: t.accounts.mlTeam.address, commercial: true, releasePolicy: ["release-approval"] });
    ids.model = "1";

    const publishIn = (region: string) =>
      t.cli(
        [
          "model", "publish", ids.model!, "--weights", weightsDir, "--uri", "s3://acme/triage/v1",
          "--data", `${ids.datasetVersion}:${ids.licence}`, "--code-hash", id("git:4be1d0c"),
          "--started", "2026-01-02T08:00:00Z", "--ended", "2026-01-02T16:00:00Z",
          "--region", region, "--compute-provider", "eu-gpu-cloud:dublin", "--json",
        ],
        { as: "mlTeam" },
      );
    // The clinical notes may be trained on in the EEA only: a run computed in the US is refused on chain.
    const outside = await publishIn("US");
    expect(outside.code).toBe(1);
    expect(outside.json<Json>().error.message).toBe(
      `TrainingOutsideTerritory: the training run was computed in US, outside the training territory of licence ${ids.licence} (EEA), used by this run or an ancestor's. ` +
        "Publish with a --region inside that territory (`pedigree dataset show <datasetId>` lists it), or train on data licensed for training there.",
    );

    const publish = await publishIn("ie");
    expect(publish.code, publish.stderr).toBe(0);
    const out = publish.json<Json>();
    expect(out).toMatchObject({ versionId: "1", modelId: "1", number: 1, trainingRunId: "1", region: "IE", computeProvider: "eu-gpu-cloud:dublin" });
    expect(out.weightsHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(out.data).toEqual([{ datasetVersionId: "1", licenceId: "1" }]);
    ids.modelVersion = out.versionId;
  });

  it("sets the release policy; the evaluator attests, signs offline, a relayer relays; the approver attests with a keystore", async () => {
    const policy = await t.cli(["model", "policy", ids.model!, "--require", "safety-evaluation", "bias-check", "--json"], { as: "mlTeam" });
    expect(policy.code, policy.stderr).toBe(0);
    expect(policy.json<Json>().kinds).toEqual(["safety-evaluation", "bias-check", "release-approval"]);

    const subject = `model-version:${ids.modelVersion}`;
    const safety = await t.cli(
      ["attest", "--subject", subject, "--kind", "safety-evaluation", "--evidence", join(t.dir, "safety-report.md"), "--evidence-uri", "ipfs://bafysafety", "--json"],
      { as: "evaluator" },
    );
    expect(safety.code, safety.stderr).toBe(0);
    const safetyOut = safety.json<Json>();
    expect(safetyOut).toMatchObject({ attestationId: "1", attester: t.accounts.evaluator.address, kind: "safety-evaluation", subjectType: "model-version" });
    expect(safetyOut.evidenceHash).toMatch(/^0x[0-9a-f]{64}$/);

    const file = join(t.dir, "bias.json");
    const signed = await t.cli(["attest", "sign", "--subject", subject, "--kind", "bias-check", "--evidence-uri", "ipfs://bafybias", "--out", file], {
      as: "evaluator",
    });
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toContain(`pedigree attest relay ${file}`);
    const document = JSON.parse(await readFile(file, "utf8"));
    expect(document).toMatchObject({ format: "pedigree-signed-attestation/v1", chainId: "31337", attester: t.accounts.evaluator.address });

    const again = await t.cli(["attest", "sign", "--subject", subject, "--kind", "bias-check", "--out", file], { as: "evaluator" });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists already/);

    const relayed = await t.cli(["attest", "relay", file, "--json"], { as: "relayer" });
    expect(relayed.code, relayed.stderr).toBe(0);
    expect(relayed.json<Json>()).toMatchObject({
      attestationId: "2",
      attester: t.accounts.evaluator.address,
      submitter: t.accounts.relayer.address,
    });

    const keystore = join(t.dir, "approver.keystore.json");
    await writeFile(
      keystore,
      await encryptKeystoreJson({ address: t.accounts.approver.address, privateKey: t.accounts.approver.privateKey }, "approver pass"),
      { mode: 0o600 },
    );
    const approval = await t.cli(["attest", "--subject", subject, "--kind", "release-approval", "--keystore", keystore, "--json"], {
      env: { PEDIGREE_KEYSTORE_PASSWORD: "approver pass" },
    });
    expect(approval.code, approval.stderr).toBe(0);
    expect(approval.json<Json>()).toMatchObject({ attestationId: "3", attester: t.accounts.approver.address });
  });

  it("approves the version and deploys it; release status reports it live", async () => {
    const approve = await t.cli(["model", "approve", ids.modelVersion!, "--attestation", "1", "2", "--attestation", "3", "--json"], { as: "mlTeam" });
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.json<Json>()).toMatchObject({ versionId: "1", modelId: "1", attestationIds: ["1", "2", "3"] });

    // The notes' models may be deployed in the EU and Switzerland only.
    const outside = await t.cli(["release", "deploy", ids.modelVersion!, "--env", "production", "--regions", "EU,CH,US"], { as: "mlTeam" });
    expect(outside.code).toBe(1);
    expect(outside.stderr.trim()).toBe(
      `pedigree: DeploymentOutsideTerritory: the deployment would serve US, outside the deployment territory of licence ${ids.licence} (EU, CH), of the version's lineage or the system's retrieval data. ` +
        "Deploy with --regions inside that territory (`pedigree release deploy <versionId> | --system <systemId> --env <name> --regions …`), or deploy what was trained, or retrieves, on data licensed for those regions.",
    );

    const deploy = await t.cli(["release", "deploy", ids.modelVersion!, "--env", "production", "--regions", "EU,CH", "--json"], { as: "mlTeam" });
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.json<Json>()).toMatchObject({ deploymentId: "1", versionId: "1", environment: "production", previousDeploymentId: "0" });
    expect(deploy.json<Json>().regions).toEqual(regionCodes(regionSet("EU,CH", "r")));
    const human = await t.cli(["release", "deploy", ids.modelVersion!, "--env", "eu-only", "--regions", "EU"], { as: "mlTeam" });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^\s+serves\s+EU$/m);

    // read-only: no key needed
    const status = await t.cli(["release", "status", ids.modelVersion!, "--env", "production", "--check", "releasable", "live", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json<Json>()).toMatchObject({
      exists: true,
      approved: true,
      releasable: true,
      live: true,
      deploymentId: "1",
      liveButNotReleasable: false,
      ok: true,
    });

    const staging = await t.cli(["release", "status", ids.modelVersion!, "--env", "staging", "--check", "live"]);
    expect(staging.code).toBe(1);
    expect(staging.stdout).toMatch(/live\s+no/);
    expect(staging.stderr.trim()).toBe('pedigree: model version 1 is not live in "staging"');
  });

  it("anchors decisions, proves and verifies one on chain", async () => {
    const records = Array.from({ length: 25 }, (_, i) => id(`decision ${i}`));
    const file = join(t.dir, "decisions.txt");
    await writeFile(file, `# decisions of 2026-01-03\n${records.join("\n")}\n\n`);
    const anchor = await t.cli(
      ["decisions", "anchor", ids.modelVersion!, "--records", file, "--from", "2026-01-03T00:00:00Z", "--to", "2026-01-03T23:59:59Z", "--regions", "DE,AT", "--uri", "s3://acme/decisions.jsonl", "--json"],
      { as: "mlTeam" },
    );
    expect(anchor.code, anchor.stderr).toBe(0);
    const out = anchor.json<Json>();
    expect(out).toMatchObject({ count: "25", versionId: "1", modelId: "1", regions: ["AT", "DE"], treeFile: `${file}.tree.json` });
    await access(`${file}.tree.json`);

    const prove = await t.cli(["decisions", "prove", records[7]!, "--tree", `${file}.tree.json`, "--json"]);
    expect(prove.code, prove.stderr).toBe(0);
    const proof = prove.json<Json>();
    expect(proof).toMatchObject({ root: out.root, recordHash: records[7], index: 7, count: 25 });
    expect(proof.proof.length).toBeGreaterThan(3);

    const verify = await t.cli(["decisions", "verify", records[7]!, "--version", "1", "--tree", `${file}.tree.json`]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/produced by\s+model version 1 \(model 1\)/);
    expect(verify.stdout).toMatch(/batch\s+25 decisions, 2026-01-03T00:00:00Z … 2026-01-03T23:59:59Z/);

    const byProof = await t.cli(["decisions", "verify", records[7]!, "--version", "1", "--root", out.root, "--proof", proof.proof.join(","), "--json"]);
    expect(byProof.code, byProof.stderr).toBe(0);
    expect(byProof.json<Json>()).toMatchObject({ included: true, versionId: "1", modelId: "1", count: "25" });

    // Without the version, or for a version that never anchored this root: refused.
    const noVersion = await t.cli(["decisions", "verify", records[7]!, "--tree", `${file}.tree.json`]);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr.trim()).toBe("pedigree: name the model version that anchored the batch with --version <versionId>");

    const forged = await t.cli(["decisions", "verify", id("not a decision"), "--version", "1", "--root", out.root, "--proof", proof.proof.join(","), "--json"]);
    expect(forged.code).toBe(1);
    expect(forged.json<Json>()).toMatchObject({ included: false });
    expect(forged.stderr.trim().split("\n")).toHaveLength(1);

    const outside = await t.cli(["decisions", "verify", id("not a decision"), "--version", "1", "--tree", `${file}.tree.json`]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/is not in the batch/);
  });

  it("shows and withdraws royalties", async () => {
    const { alice, curator } = t.accounts;
    const shown = await t.cli(["royalties", "show", alice.address, "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json<Json>()).toMatchObject({ account: alice.address, amount: parseEther("0.35").toString() });

    const mine = await t.cli(["royalties", "show"], { as: "curator" });
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout.trim()).toBe(`${curator.address} can withdraw 0.15 ETH`);

    const withdrawn = await t.cli(["royalties", "withdraw", "--json"], { as: "alice" });
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.json<Json>()).toMatchObject({ amount: parseEther("0.35").toString(), to: alice.address });

    const empty = await t.cli(["royalties", "withdraw"], { as: "alice" });
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim()).toBe(
      `pedigree: NothingToWithdraw: ${alice.address} has no ETH royalties or refunds to withdraw. Check the balance with \`pedigree royalties show\`.`,
    );
  });

  it("rolls production back and nothing is live any more", async () => {
    const rollback = await t.cli(["release", "rollback", ids.model!, "--env", "production", "--reason", "bias regression", "--json"], { as: "mlTeam" });
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.json<Json>()).toMatchObject({ modelId: "1", environment: "production", fromVersionId: "1", liveVersionId: "0", reason: "bias regression" });

    const live = await t.cli(["release", "live", ids.model!, "--env", "production", "--json"]);
    expect(live.code, live.stderr).toBe(0);
    expect(live.json<Json>()).toMatchObject({ modelId: "1", versionId: null });

    const takedown = await t.cli(["release", "takedown", ids.model!, "--env", "production", "--reason", "again"], { as: "mlTeam" });
    expect(takedown.code).toBe(1);
    expect(takedown.stderr.trim()).toBe('pedigree: NothingLive: nothing of model 1 is live in "production".');
  });

  it("prices a dataset in an ERC-20 token; the licence approves the registry first", async () => {
    const token = await t.chain.connection.ethers.deployContract("TestToken");
    await (await token.getFunction("mint")(t.accounts.mlTeam.address, parseEther("100"))).wait();
    const tokenAddress = await token.getAddress();
    const registered = await t.cli(
      ["dataset", "register", "--fingerprint", id("tokens dataset"), "--uri", "ipfs://bafytokens", "--price", "25", "--currency", tokenAddress, "--derivatives", "--licence-uri", "spdx:MIT", "--json"],
      { as: "alice" },
    );
    expect(registered.code, registered.stderr).toBe(0);
    const dataset = registered.json<Json>();
    expect(dataset.terms).toMatchObject({ price: parseEther("25").toString(), currency: tokenAddress, splits: [{ recipient: t.accounts.alice.address, bps: 10_000 }] });

    const tooDear = await t.cli(["licence", "acquire", dataset.datasetId, "--max-price", "20"], { as: "mlTeam" });
    expect(tooDear.code).toBe(2);
    expect(tooDear.stderr.trim()).toBe(`pedigree: terms ${dataset.termsId} of dataset ${dataset.datasetId} cost 25.0 TST, above --max-price 20.0 TST: raise --max-price if you accept this price`);

    const licence = await t.cli(["licence", "acquire", dataset.datasetId, "--max-price", "30", "--json"], { as: "mlTeam" });
    expect(licence.code, licence.stderr).toBe(0);
    const out = licence.json<Json>();
    expect(out).toMatchObject({ currency: tokenAddress, amount: parseEther("25").toString(), licensee: t.accounts.mlTeam.address });
    expect(out.approval.hash).toMatch(/^0x[0-9a-f]{64}$/);

    const royalties = await t.cli(["royalties", "show", t.accounts.alice.address, "--currency", tokenAddress]);
    expect(royalties.code, royalties.stderr).toBe(0);
    expect(royalties.stdout.trim()).toBe(`${t.accounts.alice.address} can withdraw 25.0 TST`);
  });

  it("grants and revokes roles, revokes an attestation, publishes a version, changes terms, withdraws a dataset", async () => {
    const { stranger } = t.accounts;
    const granted = await t.cli(["role", "grant", "evaluator", stranger.address, "--json"], { as: "admin" });
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.json<Json>()).toMatchObject({ role: "evaluator", account: stranger.address, changed: true });
    const again = await t.cli(["role", "grant", "EVALUATOR_ROLE", stranger.address], { as: "admin" });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(`${stranger.address} already has the evaluator (EVALUATOR_ROLE) role: nothing to do, nothing sent`);
    const revoked = await t.cli(["role", "revoke", "evaluator", stranger.address, "--json"], { as: "admin" });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json<Json>()).toMatchObject({ changed: true });

    const revocation = await t.cli(["attest", "revoke", "1", "--reason", "evaluation harness bug", "--json"], { as: "evaluator" });
    expect(revocation.code, revocation.stderr).toBe(0);
    expect(revocation.json<Json>()).toMatchObject({ attestationId: "1", revoker: t.accounts.evaluator.address });
    const status = await t.cli(["release", "status", ids.modelVersion!, "--env", "production", "--json"]);
    expect(status.json<Json>()).toMatchObject({ approved: true, releasable: false, live: false });

    const version = await t.cli(
      ["dataset", "version", ids.dataset!, "--fingerprint", id("clinical notes v2"), "--uri", "ipfs://bafyv2", "--parent", ids.datasetVersion!, "--json"],
      { as: "alice" },
    );
    expect(version.code, version.stderr).toBe(0);
    expect(version.json<Json>()).toMatchObject({ datasetId: "1", number: 2 });

    const terms = await t.cli(["dataset", "terms", ids.dataset!, "--licence-uri", "spdx:CC0-1.0", "--derivatives", "--json"], { as: "alice" });
    expect(terms.code, terms.stderr).toBe(0);
    expect(terms.json<Json>()).toMatchObject({
      datasetId: "1",
      terms: { price: "0", splits: [], derivativesAllowed: true, commercialUse: false, trainingTerritories: REGION_CODES, deploymentTerritories: REGION_CODES },
    });

    const withdrawn = await t.cli(["dataset", "withdraw", "2", "--reason", "superseded"], { as: "alice" });
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toMatch(/^dataset 2 withdrawn$/m);
    const refused = await t.cli(["licence", "acquire", "2"], { as: "mlTeam" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^pedigree: DatasetIsWithdrawn: dataset 2 was withdrawn by its creator/);
  });
});
