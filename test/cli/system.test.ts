/**
 * System versions through the real `pedigree` command (child processes) against one local chain: publish with files
 * hashed and a retrieval index fingerprinted here, a prompt update keeping the rest of its parent, attest and approve,
 * deploy with `--system` inside and outside the retrieval data's territory, status checks comparing what runs with what
 * was released, decisions anchored by the system; bad input exits 2 before anything is sent.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { id, parseEther } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acquireLicence,
  approveVersion,
  attest,
  createPedigreeClient,
  publishModelVersion,
  registerDataset,
  registerModel,
  type PedigreeClient,
} from "../../src/sdk/index.ts";
import { fingerprint } from "../../src/core/fingerprint.ts";
import { regionCodes, regionSet } from "../../src/core/regions.ts";
import { failureShape, startCliChain, type CliChain } from "./cli-chain.ts";

type Json = Record<string, any>;

const sha256 = (text: string) => `0x${createHash("sha256").update(text).digest("hex")}`;

describe("pedigree system …, release deploy --system, decisions anchor --system", () => {
  let t: CliChain;
  let files: Record<"prompt" | "prompt2" | "policy" | "index" | "records", string>;
  let modelVersion: string;
  let licences: { world: { version: bigint; licence: bigint }; eu: { version: bigint; licence: bigint } };
  let first: Json;
  let update: Json;

  /** A dataset of alice with free terms (deployable where `deployment` says), licensed to mlTeam. */
  async function licensed(alice: PedigreeClient, mlTeam: PedigreeClient, deployment: string) {
    const terms = { price: parseEther("0"), commercialUse: true, derivativesAllowed: true, documentURI: "spdx:CC-BY-4.0", splits: [], territories: { deployment } };
    const { datasetId, versionId } = await registerDataset(alice, { version: { fingerprint: id(`data ${deployment}`), uri: "ipfs://d" }, terms });
    const { licenceId } = await acquireLicence(mlTeam, { datasetId });
    return { version: versionId, licence: licenceId };
  }

  beforeAll(async () => {
    t = await startCliChain();
    const [, aliceSigner, , mlTeamSigner, , approverSigner] = t.chain.signers;
    const alice = createPedigreeClient({ runner: aliceSigner!, addresses: t.deployment.addresses });
    const mlTeam = alice.connect(mlTeamSigner!);
    licences = { world: await licensed(alice, mlTeam, "WORLDWIDE"), eu: await licensed(alice, mlTeam, "EU") };
    const { modelId } = await registerModel(mlTeam, { commercial: true, uri: "ipfs://card" });
    const { versionId } = await publishModelVersion(mlTeam, {
      modelId,
      version: { weightsHash: id("weights"), uri: "s3://weights" },
      trainingRun: { data: [{ datasetVersionId: licences.world.version, licenceId: licences.world.licence }], region: "DE", startedAt: 1n, endedAt: 2n },
    });
    const approval = await attest(alice.connect(approverSigner!), { subjectType: "model-version", subjectId: versionId, kind: "release-approval" });
    await approveVersion(mlTeam, { versionId, attestationIds: [approval.attestationId] });
    modelVersion = versionId.toString();

    const index = join(t.dir, "index");
    await mkdir(index);
    await writeFile(join(index, "chunks.jsonl"), '{"chunk":"icd-10 J45: asthma"}\n');
    files = { prompt: join(t.dir, "prompt.md"), prompt2: join(t.dir, "prompt-v2.md"), policy: join(t.dir, "guardrails.yaml"), index, records: join(t.dir, "records.txt") };
    await writeFile(files.prompt, "You are a triage assistant.\n");
    await writeFile(files.prompt2, "You are a careful triage assistant.\n");
    await writeFile(files.policy, "refuse: diagnosis\n");
    await writeFile(files.records, `${id("decision 1")}\n${id("decision 2")}\n`);
  });

  afterAll(async () => {
    await t?.close();
  });

  it("publishes a system version: files hashed, the retrieval index fingerprinted, its data licence-checked", async () => {
    const { world, eu } = licences;
    const result = await t.cli(
      [
        "system", "publish", modelVersion, "--prompt", files.prompt, "--policy", files.policy, "--tools", id("tools"),
        "--retrieval-index", files.index, "--retrieval-data", `${world.version}:${world.licence}`, "--retrieval-data", `${eu.version}:${eu.licence}`,
        "--uri", "ipfs://system-card", "--json",
      ],
      { as: "mlTeam" },
    );
    expect(result.code, result.stderr).toBe(0);
    first = result.json<Json>();
    expect(first).toMatchObject({
      systemId: "1",
      modelVersionId: modelVersion,
      parentId: null,
      config: {
        promptHash: sha256("You are a triage assistant.\n"),
        retrievalIndex: (await fingerprint(files.index)).fingerprint,
        policyHash: sha256("refuse: diagnosis\n"),
        toolsHash: id("tools"),
      },
      retrievalData: [
        { datasetVersionId: world.version.toString(), licenceId: world.licence.toString() },
        { datasetVersionId: eu.version.toString(), licenceId: eu.licence.toString() },
      ],
    });
  });

  it("publishes a prompt update that keeps the rest of its parent, and refuses one that changes nothing", async () => {
    const result = await t.cli(["system", "publish", modelVersion, "--parent", "1", "--prompt", files.prompt2, "--uri", "ipfs://system-card-2"], { as: "mlTeam" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`system version 2 published (model 1, model version ${modelVersion})`);
    expect(result.stdout).toMatch(/changes\s+system version 1/);
    expect(result.stdout).toContain(`prompt           ${sha256("You are a careful triage assistant.\n")}`);
    expect(result.stdout).toContain(`policy           ${first.config.policyHash}`);
    expect(result.stdout).toContain(`retrieves        dataset version ${licences.world.version} (licence ${licences.world.licence}), dataset version ${licences.eu.version}`);
    const shown = await t.cli(["system", "status", "2", "--env", "production", "--json"]);
    update = shown.json<Json>();
    expect(update.config).toEqual({ ...first.config, promptHash: sha256("You are a careful triage assistant.\n") });

    const block = await t.chain.connection.ethers.provider.getBlockNumber();
    const same = await t.cli(["system", "publish", modelVersion, "--parent", "2", "--uri", "ipfs://again"], { as: "mlTeam" });
    expect(failureShape(same)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(same.stderr.trim()).toBe(
      "pedigree: NothingChanged: the new system version would run the same weights with the same configuration as system version 2. " +
        "Give the changed --prompt, --retrieval-index, --policy or --tools, or another model version.",
    );
    expect(await t.chain.connection.ethers.provider.getBlockNumber()).toBe(block);
  });

  it("refuses bad input with exit 2 and sends nothing", async () => {
    const block = await t.chain.connection.ethers.provider.getBlockNumber();
    const cases: [string[], RegExp][] = [
      [["system", "publish", modelVersion, "--prompt", "0x1234", "--uri", "x"], /^pedigree: --prompt must be a 32-byte hash \(0x followed by 64 hex digits\) or a file, got "0x1234"$/],
      [["system", "publish", modelVersion, "--prompt", join(t.dir, "missing.md"), "--uri", "x"], /^pedigree: --prompt ".*missing\.md" is neither a 32-byte hash .* nor an existing file: check it$/],
      [["system", "publish", modelVersion, "--retrieval-data", "1:1", "--uri", "x"], /^pedigree: --retrieval-data needs the index built from it: give --retrieval-index <path\|hash>$/],
      [["system", "publish", modelVersion, "--retrieval-index", files.index, "--retrieval-data", "1-1", "--uri", "x"], /^pedigree: --retrieval-data must be <datasetVersionId>:<licenceId>, got "1-1"$/],
      [["system", "publish", modelVersion, "--retrieval-index", id("index"), "--uri", "x"], /^pedigree: retrieval index 0x[0-9a-f]{64} needs the dataset versions it was built from, with their licences \(retrievalData\)$/],
      [["system", "publish", modelVersion, "--prompt", files.prompt], /^pedigree: --uri \(where the system card lives\) must not be empty$/],
      [["release", "deploy", modelVersion, "--system", "1", "--env", "production", "--regions", "DE"], /^pedigree: give either a model version id or --system <systemId>, not both/],
      [["release", "deploy", "--env", "production", "--regions", "DE"], /^pedigree: name the model version \(<versionId>\) or the system version \(--system <systemId>\)$/],
      [["release", "deploy", "--system", "x", "--env", "production", "--regions", "DE"], /--system must be a positive whole number/],
      [["system", "status", "1", "--env", "production", "--check", "deployed"], /^pedigree: --check must be one of exists, approved, releasable, live, not-live-but-unreleasable, got "deployed"$/],
      [["system", "status", "1", "--env", "production", "--prompt", "none"], /^pedigree: --prompt must be a file or a 32-byte hash$/],
      [["attest", "--subject", "system-version:x", "--kind", "release-approval"], /--subject id must be a positive whole number/],
    ];
    for (const [args, stderr] of cases) {
      const result = await t.cli(args, { as: "mlTeam" });
      expect(failureShape(result), args.join(" ")).toEqual({ code: 2, lines: 1, stackTrace: false });
      expect(result.stderr.trim(), args.join(" ")).toMatch(stderr);
    }
    const json = await t.cli(["system", "publish", modelVersion, "--prompt", "0x1234", "--uri", "x", "--json"], { as: "mlTeam" });
    expect(json.json<Json>().error).toMatchObject({ code: "BAD_INPUT", exitCode: 2 });
    expect(await t.chain.connection.ethers.provider.getBlockNumber()).toBe(block);
  });

  it("attests about a system version, approves it, and deploys it only inside its retrieval data's territory", async () => {
    const unapproved = await t.cli(["release", "deploy", "--system", "2", "--env", "production", "--regions", "DE"], { as: "mlTeam" });
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr.trim()).toBe(
      "pedigree: SystemNotApproved: system version 2 has not passed its release gate, so it can be neither deployed nor anchor decisions. " +
        "Approve it first with `pedigree system approve <systemId> --attestation …`.",
    );
    const attested = await t.cli(["attest", "--subject", "system-version:2", "--kind", "release-approval", "--evidence", files.prompt2, "--json"], { as: "approver" });
    expect(attested.code, attested.stderr).toBe(0);
    expect(attested.json<Json>()).toMatchObject({ subjectType: "system-version", subjectId: "2", kind: "release-approval" });
    const attestationId = attested.json<Json>().attestationId as string;
    const approved = await t.cli(["system", "approve", "2", "--attestation", attestationId, "--json"], { as: "mlTeam" });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.json<Json>()).toMatchObject({ systemId: "2", attestationIds: [attestationId] });

    const outside = await t.cli(["release", "deploy", "--system", "2", "--env", "production", "--regions", "DE,CH"], { as: "mlTeam" });
    expect(failureShape(outside)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(outside.stderr).toContain(`outside the deployment territory of licence ${licences.eu.licence} (EU), of the version's lineage or the system's retrieval data.`);
    const deployed = await t.cli(["release", "deploy", "--system", "2", "--env", "production", "--regions", "DE,FR", "--json"], { as: "mlTeam" });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.json<Json>()).toMatchObject({ deploymentId: "1", versionId: modelVersion, systemId: "2", regions: regionCodes(regionSet("DE,FR", "r")) });
  });

  it("status checks the release and compares what runs with what was released", async () => {
    const ok = await t.cli(["system", "status", "2", "--env", "production", "--check", "releasable", "live", "--prompt", files.prompt2, "--retrieval-index", files.index, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json<Json>()).toMatchObject({ exists: true, approved: true, releasable: true, live: true, deploymentId: "1", differing: [], ok: true });

    const stale = await t.cli(["system", "status", "2", "--env", "production", "--prompt", files.prompt, "--json"]);
    expect(stale.code).toBe(1);
    expect(stale.json<Json>()).toMatchObject({ differing: ["promptHash"], ok: false });
    expect(stale.stderr.trim()).toBe('pedigree: system version 2 is running another prompt than released in "production"');
    const human = await t.cli(["system", "status", "1", "--env", "production", "--check", "live"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/live\s+no/);
    expect(human.stderr.trim()).toBe('pedigree: system version 1 is not live in "production"');
  });

  it("anchors decisions of the system version, for its model version, with its policy", async () => {
    const anchored = await t.cli(
      ["decisions", "anchor", "--system", "2", "--records", files.records, "--from", "2026-01-03T00:00:00Z", "--to", "2026-01-03T23:59:59Z", "--regions", "DE", "--json"],
      { as: "mlTeam" },
    );
    expect(anchored.code, anchored.stderr).toBe(0);
    const out = anchored.json<Json>();
    expect(out).toMatchObject({ count: "2", versionId: modelVersion, systemId: "2", policyHash: first.config.policyHash });
    const verified = await t.cli(["decisions", "verify", id("decision 2"), "--version", modelVersion, "--tree", out.treeFile, "--json"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json<Json>()).toMatchObject({ included: true });
  });
});
