/**
 * Data-handling context and inherited territories through the real `pedigree` command (child processes) against one
 * local chain: Alice registers EU clinical notes with their handling policy, sold for training in the EEA only; the
 * curator derives a dataset from them under a licence and sells it worldwide; `dataset show` lists each version's
 * context; a model trained on the derived data outside the EEA is refused on chain, naming the derived data's licence.
 */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ZeroHash, id } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliChain, type CliChain } from "./cli-chain.ts";
import { REGION_CODES, regionCodes, regionSet } from "../../src/core/regions.ts";

type Json = Record<string, any>;

const EEA_CODES = regionCodes(regionSet("EEA", "t"));
const EU_CODES = regionCodes(regionSet("EU", "t"));
const POLICY = "GDPR special category (health). PII present, pseudonymised. Consent basis: Art. 9(2)(a).\n";

describe("pedigree CLI: data-handling context and inherited territories", () => {
  let t: CliChain;
  let policyFile: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startCliChain();
    policyFile = join(t.dir, "handling-policy.md");
    await writeFile(policyFile, POLICY);
  });

  afterAll(async () => {
    await t?.close();
  });

  it("registers a dataset with its origin and handling policy file, hashed with SHA-256", async () => {
    const result = await t.cli(
      [
        "dataset", "register", "--fingerprint", id("clinical notes"), "--uri", "ipfs://bafynotes",
        "--origin", "EU", "--handling-policy", policyFile, "--handling-policy-uri", "ipfs://bafypolicy",
        "--licence-uri", "spdx:CC-BY-4.0", "--derivatives", "--commercial",
        "--training-territories", "EEA", "--deployment-territories", "EU", "--json",
      ],
      { as: "alice" },
    );
    expect(result.code, result.stderr).toBe(0);
    const out = result.json<Json>();
    expect(out).toMatchObject({
      datasetId: "1",
      versionId: "1",
      origin: EU_CODES,
      handlingPolicy: { hash: `0x${createHash("sha256").update(POLICY).digest("hex")}`, uri: "ipfs://bafypolicy" },
      inheritedTerritories: { training: REGION_CODES, deployment: REGION_CODES },
    });
    ids.notes = out.datasetId;
    ids.notesVersion = out.versionId;
  });

  it("derives a worldwide-terms dataset from it under a licence: the version inherits the EEA / EU territories", async () => {
    const licence = await t.cli(["licence", "acquire", ids.notes!, "--json"], { as: "curator" });
    expect(licence.code, licence.stderr).toBe(0);
    const policyHash = id("curated notes policy");
    const result = await t.cli(
      [
        "dataset", "register", "--fingerprint", id("curated notes"), "--uri", "ipfs://bafycurated",
        "--parent", `${ids.notesVersion}:${licence.json<Json>().licenceId}`,
        "--origin", "de,AT", "--handling-policy-hash", policyHash,
        "--licence-uri", "spdx:CC-BY-4.0", "--derivatives", "--commercial",
      ],
      { as: "curator" },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^dataset 2 registered$/m);
    expect(result.stdout).toMatch(/^ {2}origin\s+AT, DE$/m); // a set: listed in code order
    expect(result.stdout).toMatch(new RegExp(`^ {2}handling policy\\s+${policyHash}$`, "m"));
    expect(result.stdout).toMatch(/^ {2}inherited territories\s+training EEA; deployment EU$/m);
    expect(result.stdout).toMatch(/^ {2}training territories\s+worldwide$/m);
    ids.curated = "2";
    ids.curatedVersion = "2";

    // Its next version, derived from the curator's own data, declares nothing and keeps the restriction.
    const next = await t.cli(
      ["dataset", "version", ids.curated, "--fingerprint", id("curated notes v2"), "--uri", "ipfs://bafycurated2", "--parent", ids.curatedVersion, "--json"],
      { as: "curator" },
    );
    expect(next.code, next.stderr).toBe(0);
    expect(next.json<Json>()).toMatchObject({
      versionId: "3",
      number: 2,
      origin: [],
      handlingPolicy: null,
      inheritedTerritories: { training: EEA_CODES, deployment: EU_CODES },
    });
  });

  it("shows every version's context: region groups for people, codes in JSON", async () => {
    const human = await t.cli(["dataset", "show", ids.curated!]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^ {2}version 2\s+#1 ipfs:\/\/bafycurated$/m);
    expect(human.stdout).toMatch(/^ {4}origin\s+AT, DE$/m);
    expect(human.stdout).toMatch(/^ {2}version 3\s+#2 ipfs:\/\/bafycurated2$/m);
    expect(human.stdout).toMatch(/^ {4}origin\s+undeclared$/m);
    expect(human.stdout).toMatch(/^ {4}handling policy\s+none$/m);
    expect(human.stdout.match(/^ {4}inherited territories\s+training EEA; deployment EU$/gm)).toHaveLength(2);

    const json = await t.cli(["dataset", "show", ids.notes!, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json<Json>().versions).toEqual([
      {
        versionId: "1",
        number: 1,
        fingerprint: id("clinical notes"),
        metadataHash: ZeroHash,
        uri: "ipfs://bafynotes",
        origin: EU_CODES,
        handlingPolicy: { hash: `0x${createHash("sha256").update(POLICY).digest("hex")}`, uri: "ipfs://bafypolicy" },
        inheritedTerritories: { training: REGION_CODES, deployment: REGION_CODES },
        royaltyParents: [],
        contributors: [],
      },
    ]);
  });

  it("refuses a model trained on the derived data outside the EEA, naming the derived data's licence", async () => {
    const licence = await t.cli(["licence", "acquire", ids.curated!, "--json"], { as: "mlTeam" });
    expect(licence.code, licence.stderr).toBe(0);
    const licenceId = licence.json<Json>().licenceId as string;
    const model = await t.cli(["model", "register", "--uri", "ipfs://bafycard", "--commercial", "--json"], { as: "mlTeam" });
    expect(model.code, model.stderr).toBe(0);
    const publishIn = (region: string) =>
      t.cli(
        [
          "model", "publish", model.json<Json>().modelId, "--weights-hash", id(`weights ${region}`), "--uri", "s3://acme/v1",
          "--data", `${ids.curatedVersion}:${licenceId}`, "--started", "2026-01-02T08:00:00Z", "--ended", "2026-01-02T16:00:00Z",
          "--region", region, "--json",
        ],
        { as: "mlTeam" },
      );
    const outside = await publishIn("US");
    expect(outside.code).toBe(1);
    expect(outside.json<Json>().error.message).toMatch(
      new RegExp(`^TrainingOutsideTerritory: the training run was computed in US, outside the training territory of licence ${licenceId} \\(EEA\\)`),
    );
    const inside = await publishIn("IE");
    expect(inside.code, inside.stderr).toBe(0);
  });
});
