/**
 * `pedigree audit royalties <dataset>` as a user runs it: a child process against the royalty story of
 * test/helpers/royalty-act.ts, indexed by the embedded indexer on a real local chain.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexedProtocol, type IndexedProtocol } from "../helpers/indexed-protocol.ts";
import { playRoyaltyAct, type RoyaltyAct } from "../helpers/royalty-act.ts";

const exec = promisify(execFile);
let p: IndexedProtocol;
let act: RoyaltyAct;

beforeAll(async () => {
  p = await indexedProtocol();
  act = await playRoyaltyAct(p);
}, 180_000);

afterAll(async () => {
  await p?.close();
});

async function pedigree(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["bin/pedigree.mjs", ...args], { env: { ...process.env, PEDIGREE_SUBGRAPH_URL: p.url } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("pedigree audit royalties <dataset>", () => {
  it("prints what the parent dataset earned by sale and by derivation, and the hops that paid it", async () => {
    const { code, stdout } = await pedigree("audit", "royalties", String(act.parent.datasetId));
    expect(code).toBe(0);
    expect(stdout).toContain(`dataset ${act.parent.datasetId} (owner ${p.address.creator}), terms ${act.parent.termsId}: price 1.0 ETH, 0.000000000000001 ETH per tokens-trained, derivative royalty 2000 bps`);
    expect(stdout).toMatch(/earned: sale 1\.0 ETH, use 0\.0 ETH, derivation 0\.\d+ ETH, contribution 0\.0 ETH; total 1\.\d+ ETH/);
    expect(stdout).toContain("earned by derivation:");
    expect(stdout).toContain(`from dataset ${act.derived.datasetId} version ${act.derived.versionId} to version ${act.parent.versionId} (2000 bps)`);
  });

  it("prints the derived dataset's contributors, inherited royalty parents, usage and the disputed report", async () => {
    const { code, stdout } = await pedigree("audit", "royalties", String(act.derived.datasetId));
    expect(code).toBe(0);
    expect(stdout).toContain(`  contributor ${p.address.approver}: 1000 bps`);
    expect(stdout).toContain(`version ${act.derived.secondVersionId} (#2)\n  pays dataset ${act.parent.datasetId} version ${act.parent.versionId}: 2000 bps`);
    expect(stdout).toContain(`licence ${act.derived.licenceId} (${p.address.mlTeam}): 450 inference-calls in 2 report(s)`);
    expect(stdout).toContain(`  report ${act.reports.direct}: 300 on version ${act.derived.versionId}, 0.00000000000003 ETH, DISPUTED by ${p.address.evaluator}`);
    expect(stdout).toContain(`  report ${act.reports.relayed}: 150 on version ${act.derived.versionId}, 0.000000000000015 ETH, relayed`);
  });

  it("answers as JSON, and refuses a subject that is neither an account nor a dataset id", async () => {
    const json = await pedigree("audit", "royalties", String(act.derived.datasetId), "--json");
    expect(JSON.parse(json.stdout).usage[0].reports).toHaveLength(2);
    const bad = await pedigree("audit", "royalties", "dataset-two");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("is neither an account (0x…) nor a dataset id");
    const missing = await pedigree("audit", "royalties", "999");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("999");
  });
});
