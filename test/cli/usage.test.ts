/**
 * Royalties by use and down the lineage through the real `pedigree` command (child processes) against one local chain:
 * metered terms asking a derivative royalty, a dataset derived from them with contributors, a deposit, a usage report,
 * a report signed by the licensee and relayed, `usage show`; then the wrong account for every state change, a replayed
 * signature and bad input — each one line, nothing sent.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { id } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureShape, startCliChain, type CliChain, type Part } from "./cli-chain.ts";

type Json = Record<string, any>;

describe("pedigree usage …, dataset contributors, metered terms", () => {
  let t: CliChain;
  let file: (name: string) => string;
  const ids: Record<string, string> = {};
  const txCount = (part: Part) => t.chain.connection.ethers.provider.getTransactionCount(t.accounts[part].address);

  beforeAll(async () => {
    t = await startCliChain();
    file = (name) => join(t.dir, name);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function ok(args: string[], as?: "alice" | "curator" | "mlTeam" | "relayer" | "stranger"): Promise<Json> {
    const result = await t.cli([...args, "--json"], { as });
    expect(result.code, result.stderr).toBe(0);
    return result.json<Json>();
  }

  it("sets metered terms with a derivative royalty, derives a dataset and names its contributors", async () => {
    const parent = await ok(
      ["dataset", "register", "--fingerprint", id("notes"), "--uri", "ipfs://notes", "--price", "0.5", "--unit-price", "0.000001", "--unit", "tokens-trained", "--derivative-royalty", "15%", "--derivatives", "--commercial", "--licence-uri", "spdx:CC-BY-4.0"],
      "alice",
    );
    expect(parent.terms).toMatchObject({ unitPrice: "1000000000000", unit: "tokens-trained", derivativeRoyaltyBps: 15_00 });
    ids.parentDataset = parent.datasetId;
    ids.parentVersion = parent.versionId;
    const shown = await ok(["dataset", "show", parent.datasetId]);
    expect(shown.terms).toMatchObject({ unitPrice: "1000000000000", derivativeRoyaltyBps: 1_500 });
    const licence = await ok(["licence", "acquire", parent.datasetId], "curator");
    const derived = await ok(
      ["dataset", "register", "--fingerprint", id("annotated"), "--uri", "ipfs://annotated", "--parent", `${parent.versionId}:${licence.licenceId}`, "--price", "0.1", "--unit-price", "0.0000001", "--unit", "inference-calls", "--derivative-royalty", "250bps", "--derivatives", "--commercial", "--licence-uri", "spdx:CC-BY-4.0"],
      "curator",
    );
    ids.derivedDataset = derived.datasetId;
    ids.derivedVersion = derived.versionId;
    const named = await ok(["dataset", "contributors", derived.versionId, "--contributor", `${t.accounts.stranger.address}:1000:labelling`], "curator");
    expect(named.contributors).toEqual([{ account: t.accounts.stranger.address, bps: 1_000, roleHash: id("labelling") }]);
    ids.licence = (await ok(["licence", "acquire", derived.datasetId], "mlTeam")).licenceId;

    // dataset show: the metered terms with their unit, what the version pays up its lineage, and its contributors.
    const derivedShown = await ok(["dataset", "show", derived.datasetId]);
    expect(derivedShown.terms).toMatchObject({ unitPrice: "100000000000", unit: "inference-calls", derivativeRoyaltyBps: 250 });
    expect(derivedShown.versions[0]).toMatchObject({
      royaltyParents: [{ versionId: parent.versionId, termsId: parent.termsId, bps: 1_500 }],
      contributors: [{ account: t.accounts.stranger.address, bps: 1_000, roleHash: id("labelling"), role: "labelling" }],
    });
    const human = await t.cli(["dataset", "show", derived.datasetId]);
    expect(human.stdout).toMatch(new RegExp(`pays up its lineage +15 % to version ${parent.versionId} \\(terms ${parent.termsId}\\)`));
    expect(human.stdout).toMatch(new RegExp(`contributor +${t.accounts.stranger.address} 10 % \\(labelling\\)`));
    expect(human.stdout).toMatch(/price per unit of use +0\.0000001 ETH per inference-calls/);
    expect(human.stdout).toMatch(/derivative royalty +2\.5 %/);
    expect((await ok(["dataset", "show", parent.datasetId])).versions[0]).toMatchObject({ royaltyParents: [], contributors: [] });
  });

  it("deposits, reports usage paid from the deposit and by the licensee, relays a signed report, shows the usage", async () => {
    await ok(["usage", "deposit", ids.licence!, "0.00001"], "relayer"); // anyone may prepay
    const first = await ok(["usage", "report", ids.licence!, "--version", ids.derivedVersion!, "--units", "50", "--evidence", id("logs"), "--evidence-uri", "ipfs://logs"], "mlTeam");
    expect(first).toMatchObject({ reportId: "1", units: "50", cost: "5000000000000", fromDeposit: "5000000000000" });
    const text = await t.cli(["usage", "report", ids.licence!, "--version", ids.derivedVersion!, "--units", "100"], { as: "mlTeam" });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("usage report 2: 100 units");
    expect(text.stdout).toContain("from the deposit");

    const signed = await ok(["usage", "sign", ids.licence!, "--version", ids.derivedVersion!, "--units", "7", "--out", file("usage-1.json")], "mlTeam");
    expect(signed).toMatchObject({ format: "pedigree-signed-usage/v1", signer: t.accounts.mlTeam.address, nonce: "0" });
    expect(await ok(["usage", "relay", file("usage-1.json")], "relayer")).toMatchObject({ reportId: "3", units: "7" });
    const replay = await t.cli(["usage", "relay", file("usage-1.json")], { as: "relayer" });
    expect(failureShape(replay)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(replay.stderr).toMatch(/InvalidAccountNonce/);

    const usage = await ok(["usage", "show", ids.licence!]);
    expect(usage).toMatchObject({ unit: "inference-calls", units: "157", reports: "3", paid: "15700000000000" });
    const human = await t.cli(["usage", "show", ids.licence!]);
    expect(human.stdout).toContain("units reported  157 in 3 report(s)");
  });

  it("cancels a signed report's nonce; refuses a cancelled, altered or foreign signed file without sending anything", async () => {
    await ok(["usage", "sign", ids.licence!, "--version", ids.derivedVersion!, "--units", "9", "--out", file("usage-2.json")], "mlTeam");
    const cancelled = await ok(["usage", "cancel-nonce"], "mlTeam");
    expect(cancelled).toMatchObject({ account: t.accounts.mlTeam.address, nonce: "1" });
    const relayerNonce = await txCount("relayer");
    const refused = await t.cli(["usage", "relay", file("usage-2.json")], { as: "relayer" });
    expect(failureShape(refused)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(refused.stderr).toMatch(/^pedigree: InvalidAccountNonce: .*ask the signer to sign again \(.*`pedigree usage sign`\)\.$/m);

    await ok(["usage", "sign", ids.licence!, "--version", ids.derivedVersion!, "--units", "9", "--out", file("usage-3.json")], "mlTeam");
    const signed = JSON.parse(await readFile(file("usage-3.json"), "utf8")) as Json;
    await writeFile(file("usage-altered.json"), JSON.stringify({ ...signed, report: { ...signed.report, units: "1" } }));
    await writeFile(file("usage-foreign.json"), JSON.stringify({ ...signed, chainId: "1" }));
    for (const [name, message] of [["usage-altered.json", /the signature is not .* signature of this usage report/], ["usage-foreign.json", /chain id 1/]] as const) {
      const bad = await t.cli(["usage", "relay", file(name)], { as: "relayer" });
      expect(failureShape(bad), name).toEqual({ code: 2, lines: 1, stackTrace: false });
      expect(bad.stderr, name).toMatch(message);
    }
    expect(await txCount("relayer")).toBe(relayerNonce);
    expect(await ok(["usage", "relay", file("usage-3.json")], "relayer")).toMatchObject({ units: "9" });
  });

  it("releases the deposit left to the licensee's balance, never more than is left", async () => {
    await ok(["usage", "deposit", ids.licence!, "0.000002"], "mlTeam");
    const released = await ok(["usage", "release", ids.licence!, "0.0000005"], "mlTeam");
    expect(released).toMatchObject({ amount: "500000000000", deposit: "1500000000000" });
    const tooMuch = await t.cli(["usage", "release", ids.licence!, "0.000002"], { as: "mlTeam" });
    expect(failureShape(tooMuch)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(tooMuch.stderr).toMatch(/DepositTooSmall: .*`pedigree usage show <licenceId>` shows the deposit left/);
    expect(await ok(["usage", "show", ids.licence!])).toMatchObject({ deposit: "1500000000000" });
  });

  it("refuses the wrong accounts with one line and nothing sent, and bad input with exit 2", async () => {
    const strangerNonce = await txCount("stranger");
    const stranger = await t.cli(["usage", "report", ids.licence!, "--version", ids.derivedVersion!, "--units", "1"], { as: "stranger" });
    expect(failureShape(stranger)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(stranger.stderr).toContain(`does not hold licence ${ids.licence}`);
    const notOwner = await t.cli(["dataset", "contributors", ids.parentVersion!, "--contributor", `${t.accounts.stranger.address}:100:x`], { as: "stranger" });
    expect(failureShape(notOwner)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(notOwner.stderr).toContain("NotVersionOwner");
    const release = await t.cli(["usage", "release", ids.licence!, "0.000001"], { as: "stranger" });
    expect(release.stderr).toContain("NotLicensee");
    expect(release.stderr).toContain("`pedigree usage sign`"); // the CLI's next step, not the SDK's function
    const sign = await t.cli(["usage", "sign", ids.licence!, "--version", ids.derivedVersion!, "--units", "1", "--out", file("stranger.json")], { as: "stranger" });
    expect(failureShape(sign)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(await txCount("stranger")).toBe(strangerNonce);

    for (const args of [
      ["usage", "report", ids.licence!, "--version", ids.derivedVersion!, "--units", "0"],
      ["usage", "report", ids.licence!, "--version", ids.derivedVersion!, "--units", "many"],
      ["dataset", "contributors", ids.derivedVersion!, "--contributor", "nobody"],
      ["dataset", "register", "--fingerprint", id("x"), "--uri", "ipfs://x", "--unit-price", "1", "--licence-uri", "spdx:MIT"],
      ["dataset", "register", "--fingerprint", id("y"), "--uri", "ipfs://y", "--derivative-royalty", "101", "--licence-uri", "spdx:MIT"],
      ["dataset", "register", "--fingerprint", id("z"), "--uri", "ipfs://z", "--derivative-royalty", "10001bps", "--licence-uri", "spdx:MIT"],
      ["dataset", "register", "--fingerprint", id("w"), "--uri", "ipfs://w", "--unit", "samples", "--licence-uri", "spdx:MIT"],
      ["dataset", "contributors", ids.derivedVersion!, "--contributor", `${t.accounts.stranger.address}:6000:a`, "--contributor", `${t.accounts.alice.address}:5000:b`],
      ["usage", "relay", file("no-such-file.json")],
    ]) {
      const bad = await t.cli(args, { as: "curator" });
      expect(failureShape(bad), args.join(" ")).toEqual({ code: 2, lines: 1, stackTrace: false });
    }
  });
});
