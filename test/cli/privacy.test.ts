/**
 * Privacy-preserving provenance through the real `pedigree` command (child processes) against one local chain — the
 * README's worked example: a creator registers a dataset with private fields, discloses two to an auditor, who
 * verifies them against the chain; an evidence URI encrypted to the auditor is decrypted by the auditor only. Then the
 * attacks: a tampered value, a wrong salt, a package for another record, a withdrawn dataset, a non-recipient.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SigningKey, id } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureShape, startCliChain, type CliChain } from "./cli-chain.ts";

type Json = Record<string, any>;

const FIELDS = { source: "St Mary's EHR export 2025-Q4", consentBasis: "GDPR Art. 9(2)(a)", piiPresent: "yes", annotators: "12" };

describe("dataset register --private-fields, disclose, verify-disclosure, encrypt-uri, decrypt", () => {
  let t: CliChain;
  let file: (name: string) => string;
  let registered: Json;

  beforeAll(async () => {
    t = await startCliChain();
    file = (name) => join(t.dir, name);
    await writeFile(file("fields.json"), JSON.stringify(FIELDS));
  });

  afterAll(async () => {
    await t?.close();
  });

  it("registers with private fields: only their root goes on chain, the secrets stay with the owner (mode 600)", async () => {
    const result = await t.cli(
      ["dataset", "register", "--fingerprint", id("notes"), "--uri", "ipfs://notes", "--private-fields", file("fields.json"), "--secrets-out", file("notes.secrets.json"), "--json"],
      { as: "alice" },
    );
    expect(result.code, result.stderr).toBe(0);
    registered = result.json<Json>();
    const secrets = JSON.parse(await readFile(file("notes.secrets.json"), "utf8"));
    expect(registered.privateFields).toEqual({ root: secrets.root, fields: Object.keys(FIELDS), secretsFile: file("notes.secrets.json") });
    expect((await stat(file("notes.secrets.json"))).mode & 0o777).toBe(0o600);
    const shown = await t.cli(["dataset", "show", registered.datasetId, "--json"]);
    expect(JSON.stringify(shown.json())).toContain(secrets.root);
    expect(shown.stdout).not.toContain("St Mary");
  });

  it("discloses two fields; the auditor verifies them against the chain and learns nothing of the others", async () => {
    const disclosed = await t.cli(["disclose", "--secrets", file("notes.secrets.json"), "--fields", "consentBasis,piiPresent", "--subject", `dataset-version:${registered.versionId}`, "--out", file("pkg.json")]);
    expect(disclosed.code, disclosed.stderr).toBe(0);
    const pkg = await readFile(file("pkg.json"), "utf8");
    expect(pkg).not.toContain("St Mary");
    const verified = await t.cli(["verify-disclosure", file("pkg.json"), "--json"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ root: registered.privateFields.root, verified: { consentBasis: "GDPR Art. 9(2)(a)", piiPresent: "yes" }, hidden: 2 });
  });

  it("names the field that does not open the commitment, and refuses a package for another record", async () => {
    const pkg = JSON.parse(await readFile(file("pkg.json"), "utf8"));
    pkg.fields[1].value = "no";
    await writeFile(file("tampered.json"), JSON.stringify(pkg));
    const tampered = await t.cli(["verify-disclosure", file("tampered.json")]);
    expect(failureShape(tampered)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(tampered.stderr).toMatch(/^pedigree: field "piiPresent" does not open commitment 0x[0-9a-f]{64}: a wrong salt, a changed value, or a proof for another record/);

    const other = await t.cli(["dataset", "register", "--fingerprint", id("other"), "--uri", "ipfs://other", "--private-fields", file("fields.json"), "--secrets-out", file("other.secrets.json"), "--json"], { as: "alice" });
    const moved = { ...JSON.parse(await readFile(file("pkg.json"), "utf8")), subject: { type: "dataset-version", id: other.json<Json>().versionId } };
    await writeFile(file("moved.json"), JSON.stringify(moved));
    const elsewhere = await t.cli(["verify-disclosure", file("moved.json")]);
    expect(failureShape(elsewhere)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(elsewhere.stderr).toMatch(/but dataset-version \d+ records 0x[0-9a-f]{64} on chain: it opens another record/);
  });

  it("commits a model card and a training run's hyperparameters privately and discloses one field of each", async () => {
    await writeFile(file("hparams.json"), JSON.stringify({ learningRate: "3e-5", epochs: "4", dataMix: "notes:0.7,public:0.3" }));
    await writeFile(file("card.json"), JSON.stringify({ intendedUse: "triage support, clinician in the loop", knownLimits: "paediatrics untested" }));
    const model = await t.cli(["model", "register", "--uri", "ipfs://card", "--private-fields", file("card.json"), "--secrets-out", file("card.secrets.json"), "--json"], { as: "mlTeam" });
    expect(model.code, model.stderr).toBe(0);
    const modelId = model.json<Json>().modelId as string;
    await t.cli(["disclose", "--secrets", file("card.secrets.json"), "--fields", "intendedUse", "--subject", `model:${modelId}`, "--out", file("card-pkg.json")]);
    const card = await t.cli(["verify-disclosure", file("card-pkg.json"), "--json"]);
    expect(card.code, card.stderr).toBe(0);
    expect(card.json()).toMatchObject({ verified: { intendedUse: "triage support, clinician in the loop" }, hidden: 1 });
    const published = await t.cli(
      [
        "model", "publish", modelId, "--weights-hash", id("weights"), "--uri", "s3://w", "--started", "2026-01-02T08:00:00Z",
        "--ended", "2026-01-02T16:00:00Z", "--region", "DE", "--private-hyperparameters", file("hparams.json"), "--secrets-out", file("hparams.secrets.json"), "--json",
      ],
      { as: "mlTeam" },
    );
    expect(published.code, published.stderr).toBe(0);
    const { versionId, privateFields } = published.json<Json>();
    expect(privateFields.fields).toEqual(["learningRate", "epochs", "dataMix"]);
    const disclosed = await t.cli(["disclose", "--secrets", file("hparams.secrets.json"), "--fields", "epochs", "--subject", `training-run:${versionId}`, "--out", file("hparams-pkg.json")]);
    expect(disclosed.code, disclosed.stderr).toBe(0);
    const verified = await t.cli(["verify-disclosure", file("hparams-pkg.json"), "--json"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ root: privateFields.root, verified: { epochs: "4" }, hidden: 2 });
  });

  it("commits an evaluation's evidence privately; a package for it is refused once the attestation is revoked", async () => {
    await writeFile(file("findings.json"), JSON.stringify({ demographicParity: "0.03", worstGroup: "over-80s", recommendation: "monitor monthly" }));
    const attested = await t.cli(
      ["attest", "--subject", `dataset-version:${registered.versionId}`, "--kind", "safety-evaluation", "--private-evidence", file("findings.json"), "--secrets-out", file("findings.secrets.json"), "--json"],
      { as: "evaluator" },
    );
    expect(attested.code, attested.stderr).toBe(0);
    const { attestationId, privateFields } = attested.json<Json>();
    await t.cli(["disclose", "--secrets", file("findings.secrets.json"), "--fields", "demographicParity", "--subject", `attestation:${attestationId}`, "--out", file("findings-pkg.json")]);
    const verified = await t.cli(["verify-disclosure", file("findings-pkg.json"), "--json"]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ root: privateFields.root, verified: { demographicParity: "0.03" }, hidden: 2 });
    const revoked = await t.cli(["attest", "revoke", attestationId, "--reason", "wrong test set"], { as: "evaluator" });
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await t.cli(["verify-disclosure", file("findings-pkg.json")]);
    expect(failureShape(refused)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(refused.stderr.trim()).toBe(`pedigree: attestation ${attestationId} was revoked: the package opens a revoked record`);
  });

  it("encrypts an evidence URI to the auditor: the auditor decrypts it, a stranger cannot until added", async () => {
    const auditorKey = new SigningKey(t.accounts.evaluator.privateKey).publicKey;
    const strangerKey = new SigningKey(t.accounts.stranger.privateKey).publicKey;
    const uri = "s3://st-marys/evidence/consent-forms.zip";
    const sealed = await t.cli(["encrypt-uri", uri, "--to", auditorKey, "--out", file("evidence.json"), "--json"]);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(await readFile(file("evidence.json"), "utf8")).not.toContain("consent-forms");

    const opened = await t.cli(["decrypt", file("evidence.json"), "--committed", sealed.json<Json>().uriHash], { as: "evaluator" });
    expect([opened.code, opened.stdout.trim()]).toEqual([0, uri]);
    const refused = await t.cli(["decrypt", file("evidence.json")], { as: "stranger" });
    expect(failureShape(refused)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(refused.stderr).toMatch(/^pedigree: this key \(public key 0x[0-9a-f]{66}\) is not a recipient of the envelope/);

    const added = await t.cli(["encrypt-uri", "--add-recipient", strangerKey, "--envelope", file("evidence.json"), "--out", file("evidence-2.json")], { as: "evaluator" });
    expect(added.code, added.stderr).toBe(0);
    expect((await t.cli(["decrypt", file("evidence-2.json")], { as: "stranger" })).stdout.trim()).toBe(uri);
  });

  it("refuses a package once the dataset is withdrawn, and bad input with exit 2", async () => {
    const withdrawn = await t.cli(["dataset", "withdraw", registered.datasetId, "--reason", "consent withdrawn"], { as: "alice" });
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    const revoked = await t.cli(["verify-disclosure", file("pkg.json")]);
    expect(failureShape(revoked)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(revoked.stderr).toMatch(/^pedigree: dataset \d+ of dataset version \d+ was withdrawn: the package opens a revoked record/);

    const cases: [string[], RegExp][] = [
      [["dataset", "register", "--fingerprint", id("x"), "--uri", "u", "--private-fields", file("fields.json")], /--secrets-out <file>: without it the fields can never be disclosed/],
      [["dataset", "register", "--fingerprint", id("x"), "--uri", "u", "--private-fields", file("fields.json"), "--secrets-out", file("s.json"), "--metadata-hash", id("m")], /give either --metadata-hash or --private-fields, not both/],
      [["disclose", "--secrets", file("notes.secrets.json"), "--fields", "ssn", "--subject", "dataset-version:1", "--out", file("x.json")], /the record has no field "ssn"/],
      [["disclose", "--secrets", file("notes.secrets.json"), "--fields", "source", "--subject", "licence:1", "--out", file("x.json")], /--subject must be one of dataset-version:<id>, attestation:<id>, model:<id>, training-run:<id>, got "licence:1"/],
      [["encrypt-uri", "s3://x", "--to", "0x1234", "--out", file("e.json")], /recipients\[0\] must be a secp256k1 public key/],
      [["decrypt", file("pkg.json")], /not an encrypted pointer/],
    ];
    for (const [args, message] of cases) {
      const result = await t.cli(args, { as: "alice" });
      expect(failureShape(result), args.join(" ")).toEqual({ code: 2, lines: 1, stackTrace: false });
      expect(result.stderr, args.join(" ")).toMatch(message);
    }
  });
});
