/**
 * The commands of issue 17 ("trustworthy answers under attack") through the real `pedigree` command (child processes)
 * against one local chain: commit to a fingerprint and prove it after a squatter copied it; revoke consent and refund a
 * licence; grant derivation of a model; cancel a signed attestation's nonce; flag a live version that lost its approval.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { id } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetRegistry__factory } from "../../types/index.ts";
import { startCliChain, type CliChain, type Part } from "./cli-chain.ts";

type Json = Record<string, any>;

describe("pedigree CLI under attack", () => {
  let t: CliChain;
  const fingerprint = id("clinical notes v3");
  const ids: Record<string, string> = {};
  const txCount = (part: Part) => t.chain.connection.ethers.provider.getTransactionCount(t.accounts[part].address);
  const datasets = () => DatasetRegistry__factory.connect(t.deployment.addresses.datasets, t.chain.connection.ethers.provider);

  beforeAll(async () => {
    t = await startCliChain();
  });

  afterAll(async () => {
    await t?.close();
  });

  it("commits to a fingerprint, keeping the salt in a private file and out of the human output", async () => {
    const file = join(t.dir, "v3.claim.json");
    const commit = await t.cli(["dataset", "commit", "--fingerprint", fingerprint, "--out", file], { as: "alice" });
    expect(commit.code, commit.stderr).toBe(0);
    const secret = JSON.parse(await readFile(file, "utf8"));
    expect(secret).toMatchObject({ format: "pedigree-claim-secret/v1", registry: "datasets", claimant: t.accounts.alice.address, digest: fingerprint });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(secret.commitment).toBe(await datasets().claimCommitment(t.accounts.alice.address, fingerprint, secret.salt));
    expect(commit.stdout).toContain(secret.commitment);
    expect(commit.stdout).toContain(`pedigree dataset prove-priority ${file}`);
    expect(commit.stdout + commit.stderr).not.toContain(secret.salt.slice(2));

    const nonce = await txCount("alice");
    const again = await t.cli(["dataset", "commit", "--fingerprint", fingerprint, "--out", file], { as: "alice" });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      `pedigree: --out ${file} exists already: choose another file, or add --force to overwrite it`,
    );
    expect(JSON.parse(await readFile(file, "utf8")).salt).toBe(secret.salt);
    expect(await txCount("alice")).toBe(nonce);
  });

  it("lets Alice publish the fingerprint a squatter registered first, and proves her commitment", async () => {
    const squat = await t.cli(["dataset", "register", "--fingerprint", fingerprint, "--uri", "ipfs://copy", "--json"], { as: "stranger" });
    expect(squat.code, squat.stderr).toBe(0);
    const own = await t.cli(
      [
        "dataset", "register", "--fingerprint", fingerprint, "--uri", "ipfs://bafyclinicalnotesv3",
        "--price", "0.5", "--duration", "365", "--commercial", "--derivatives", "--licence-uri", "spdx:CC-BY-4.0", "--json",
      ],
      { as: "alice" },
    );
    expect(own.code, own.stderr).toBe(0);
    ids.dataset = own.json<Json>().datasetId;
    ids.datasetVersion = own.json<Json>().versionId;

    const file = join(t.dir, "v3.claim.json");
    const wrongGroup = await t.cli(["model", "prove-priority", file], { as: "relayer" });
    expect(wrongGroup.code).toBe(2);
    expect(wrongGroup.stderr.trim()).toBe(`pedigree: ${file} holds a commitment to a fingerprint: prove it with \`pedigree dataset prove-priority ${file}\``);

    const proven = await t.cli(["dataset", "prove-priority", file, "--json"], { as: "relayer" });
    expect(proven.code, proven.stderr).toBe(0);
    const out = proven.json<Json>();
    expect(out).toMatchObject({ versionId: ids.datasetVersion, claimant: t.accounts.alice.address, digest: fingerprint });
    const squattedAt = (await t.chain.connection.ethers.provider.getBlock(squat.json<Json>().blockNumber))!.timestamp;
    expect(Number(out.committedAt)).toBeLessThan(squattedAt);
  });

  it("refuses a parent that is neither yours nor licensed, and malformed parents before sending", async () => {
    const malformed = await t.cli(["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--parent", "1:two"], { as: "curator" });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.trim()).toBe('pedigree: --parent licence id must be a positive whole number (an id), got "two"');
    const unlicensed = await t.cli(["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--parent", ids.datasetVersion!], { as: "curator" });
    expect(unlicensed.code).toBe(1);
    expect(unlicensed.stderr).toMatch(new RegExp(`^pedigree: ParentNotUsable: dataset version ${ids.datasetVersion} is not the owner's own data`));
  });

  it("refunds a licence only after consent is revoked, by the dataset's owner, and voids it", async () => {
    const licence = await t.cli(["licence", "acquire", ids.dataset!, "--json"], { as: "mlTeam" });
    expect(licence.code, licence.stderr).toBe(0);
    ids.licence = licence.json<Json>().licenceId;

    const nonce = await txCount("alice");
    const early = await t.cli(["licence", "refund", ids.licence!], { as: "alice" });
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(new RegExp(`^pedigree: ConsentNotRevoked: consent to use dataset ${ids.dataset} has not been revoked`));
    expect(await txCount("alice")).toBe(nonce);

    const stranger = await t.cli(["dataset", "consent-revoke", ids.dataset!, "--reason", "mine now"], { as: "stranger" });
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/^pedigree: NotDatasetOwner: /);

    const revoked = await t.cli(["dataset", "consent-revoke", ids.dataset!, "--reason", "patients withdrew consent"], { as: "alice" });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^consent to dataset ${ids.dataset} revoked$`, "m"));
    expect(revoked.stdout).toMatch(/withdrawn\s+now/);

    const capped = await t.cli(["licence", "refund", ids.licence!, "--max-amount", "0.1"], { as: "alice" });
    expect(capped.code).toBe(2);
    expect(capped.stderr).toMatch(new RegExp(`^pedigree: the refund of licence ${ids.licence} is \\d+, above maxAmount 100000000000000000\\.`));

    const refund = await t.cli(["licence", "refund", ids.licence!, "--json"], { as: "alice" });
    expect(refund.code, refund.stderr).toBe(0);
    const out = refund.json<Json>();
    expect(out).toMatchObject({ licenceId: ids.licence, datasetId: ids.dataset, licensee: t.accounts.mlTeam.address });
    expect(BigInt(out.amount)).toBeGreaterThan(499_999_000_000_000_000n);
    expect(BigInt(out.amount)).toBeLessThanOrEqual(500_000_000_000_000_000n);
    expect((await datasets().getLicence(BigInt(ids.licence!))).refunded).toBe(true);

    const show = await t.cli(["dataset", "show", ids.dataset!, "--json"]);
    expect(show.json<Json>()).toMatchObject({ withdrawn: true, consentRevoked: true });
    const refunded = await t.cli(["royalties", "show", t.accounts.mlTeam.address, "--json"]);
    expect(refunded.json<Json>().amount).toBe(out.amount);
  });

  it("lets another owner fine-tune a model only once granted", async () => {
    const base = await t.cli(["model", "register", "--uri", "ipfs://base-card", "--json"], { as: "mlTeam" });
    ids.model = base.json<Json>().modelId;
    const v1 = await t.cli(
      ["model", "publish", ids.model!, "--weights-hash", id("base weights"), "--uri", "s3://base/v1", "--started", "2026-01-02T08:00:00Z", "--ended", "2026-01-02T09:00:00Z", "--region", "DE", "--json"],
      { as: "mlTeam" },
    );
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.json<Json>()).toMatchObject({ dataDeclared: false });
    ids.modelVersion = v1.json<Json>().versionId;
    const theirs = await t.cli(["model", "register", "--uri", "ipfs://their-card", "--json"], { as: "stranger" });
    const fineTune = () =>
      t.cli(
        ["model", "publish", theirs.json<Json>().modelId, "--weights-hash", id(`fine-tune ${Math.random()}`), "--uri", "s3://theirs", "--parent", ids.modelVersion!, "--started", "2026-01-03T08:00:00Z", "--ended", "2026-01-03T09:00:00Z", "--region", "DE"],
        { as: "stranger" },
      );
    const refused = await fineTune();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^pedigree: ParentNotDerivable: .* may not fine-tune model version \d+/);

    const bad = await t.cli(["model", "grant-derivation", ids.model!, "--to", "everyone"], { as: "mlTeam" });
    expect(bad.code).toBe(2);
    const granted = await t.cli(["model", "grant-derivation", ids.model!, "--to", t.accounts.stranger.address, "--json"], { as: "mlTeam" });
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.json<Json>()).toMatchObject({ modelId: ids.model, grantee: t.accounts.stranger.address, allowed: true });
    const allowed = await fineTune();
    expect(allowed.code, allowed.stderr).toBe(0);

    const revoked = await t.cli(["model", "grant-derivation", ids.model!, "--to", "anyone", "--revoke"], { as: "mlTeam" });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^anyone may no longer fine-tune model ${ids.model}$`, "m"));
  });

  it("cancels a signed attestation's nonce, and refuses a deadline more than 30 days ahead", async () => {
    const file = join(t.dir, "safety.json");
    const subject = `model-version:${ids.modelVersion}`;
    const signed = await t.cli(["attest", "sign", "--subject", subject, "--kind", "safety-evaluation", "--out", file], { as: "evaluator" });
    expect(signed.code, signed.stderr).toBe(0);
    const cancelled = await t.cli(["attest", "cancel-nonce", "--json"], { as: "evaluator" });
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.json<Json>()).toMatchObject({ attester: t.accounts.evaluator.address, nonce: JSON.parse(await readFile(file, "utf8")).nonce });
    const relayed = await t.cli(["attest", "relay", file], { as: "relayer" });
    expect(relayed.code).toBe(1);
    expect(relayed.stderr).toMatch(/^pedigree: InvalidAccountNonce: /);

    const far = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const tooFar = await t.cli(["attest", "sign", "--subject", subject, "--kind", "safety-evaluation", "--deadline", far, "--out", join(t.dir, "far.json")], { as: "evaluator" });
    expect(tooFar.code).toBe(2);
    expect(tooFar.stderr).toMatch(/^pedigree: the deadline \d+ lies more than 30 days ahead/);
  });

  it("flags a live version whose approval was revoked; --check not-live-but-unreleasable fails", async () => {
    const approval = await t.cli(["attest", "--subject", `model-version:${ids.modelVersion}`, "--kind", "release-approval", "--json"], { as: "approver" });
    const attestationId = approval.json<Json>().attestationId;
    expect((await t.cli(["model", "approve", ids.modelVersion!, "--attestation", attestationId], { as: "mlTeam" })).code).toBe(0);
    expect((await t.cli(["release", "deploy", ids.modelVersion!, "--env", "production", "--regions", "WORLDWIDE"], { as: "mlTeam" })).code).toBe(0);
    const healthy = await t.cli(["release", "status", ids.modelVersion!, "--env", "production", "--check", "not-live-but-unreleasable"]);
    expect(healthy.code, healthy.stderr).toBe(0);

    expect((await t.cli(["attest", "revoke", attestationId, "--reason", "memo withdrawn"], { as: "approver" })).code).toBe(0);
    const status = await t.cli(["release", "status", ids.modelVersion!, "--env", "production", "--check", "not-live-but-unreleasable"]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/WARNING\s+live but no longer releasable/);
    expect(status.stderr.trim()).toBe(`pedigree: model version ${ids.modelVersion} is live but not releasable in "production"`);
    const json = await t.cli(["release", "status", ids.modelVersion!, "--env", "production", "--json"]);
    expect(json.json<Json>()).toMatchObject({ live: true, releasable: false, liveButNotReleasable: true });
  });
});
