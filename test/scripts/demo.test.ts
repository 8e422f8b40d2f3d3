import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../scripts/demo.ts";

describe("npm run demo -- --once", () => {
  it("plays the story, answers every audit question from the subgraph and writes the report", async () => {
    const reportDir = await mkdtemp(join(tmpdir(), "pedigree-demo-"));
    const demo = await runDemo({ once: true, rpcPort: 0, graphqlPort: 0, reportDir, print: () => {} });
    try {
      const text = demo.lines.join("\n");
      expect(text).toContain("dataset 1 version 1 (ipfs://bafybeiclinicalnotesv1): via fine-tune of model version 1, via derivation into dataset version 2");
      expect(text).toContain('bias-check by evaluator at block');
      expect(text).toContain('revoked by evaluator: "bias regression found in post-release monitoring"');
      expect(text).toContain("proof verified on chain: true");
      expect(text).toContain("  - trained in IE by eu-gpu-cloud:dublin (version id 1; its licences allow training in EEA)");
      expect(text).toContain("  - deployed to production, serving EU (live)");
      expect(text).toContain("  - 1000 decisions made in DE, FR, NL");
      expect(text).toContain("  - conflicts: none");
      expect(text).toContain("what changed in the assistant's last release: same weights (version id 1), system version 1 → 2: prompt changed");
      expect(text).toContain("A prompt update, released as system version 2 on the same weights, replaced it");
      expect(text).toMatch(/now: version id 1; at block \d+ \(before the rollback\): version id 3/);
      expect(text).toContain("model 1 version 1 (id 1), live in production");
      expect(text).toContain("alice: 0.7133 ETH credited, 0.35 withdrawn");
      expect(text).toContain("  - by sale 1.0 ETH, by use 0.004 ETH, by derivation 0.015 ETH, to contributors 0.0 ETH");
      expect(text).toMatch(/ {2}- 0\.015 ETH \(15 %\) from dataset \d+, derived from version 2/);
      expect(text).toMatch(/ {2}- licence 1: 4000000 tokens-trained reported, 0\.004 ETH paid; report 1 disputed by an auditor/);
      expect(text).toMatch(/action "follow-up-1" \(before the rollback\): agent 1 of ML team, system version 2 on model version 1, policy 0x\w+…\w+; proof verified on chain: true/);
      expect(text).toMatch(/action "escalation-1" \(after the rollback\): agent 1 of ML team, system version 1 on model version 1, policy 0x\w+…\w+; proof verified on chain: true/);
      expect(text).toContain("  - bound now to system version 1: releasable, live in assistant");
      expect(demo.reportFiles.map((f) => f.slice(reportDir.length + 1)).sort()).toEqual([
        "model-version-3.cdx.json",
        "model-version-3.html",
        "model-version-3.json",
        "model-version-3.md",
        "model-version-3.prov.json",
        "model-version-3.spdx.json",
      ]);
      const html = await readFile(join(reportDir, "model-version-3.html"), "utf8");
      expect(html).toContain("<svg");
      const md = await readFile(join(reportDir, "model-version-3.md"), "utf8");
      expect(md).toContain("Private fields disclosed to this report");
      expect(md).toContain("GDPR Art. 9(2)(a), explicit consent, form CN-2024");
      expect(md).not.toContain("St Mary's Hospital EHR export");
    } finally {
      await demo.stop();
    }
  });
});
