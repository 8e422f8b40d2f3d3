import { describe, expect, it } from "vitest";
import { parseEther } from "ethers";
import { runExample } from "../../scripts/example.ts";

describe("the README's worked example (npm run example)", () => {
  it("plays the whole story on the in-process chain and every answer checks out", async () => {
    const result = await runExample();
    expect(result.unlicensedPublishError).toBe("DatasetVersionNotUsable(datasetVersionId 1, licenceId 1, UnknownLicence)");
    expect(result.liveVersion).toBe(result.modelVersionId);
    expect(result.decisionVerified).toBe(true);
    expect(result.steps).toContain(`Decision #421 is in the batch ${result.decisionRoot.slice(0, 10)}… version ${result.modelVersionId} anchored: true`);
    // 0.5 ETH split 80/20, nothing lost to rounding
    expect(result.royaltiesWithdrawn).toEqual({ creator: parseEther("0.4"), curator: parseEther("0.1") });
    expect(result.attestationIds).toEqual([1n, 2n]);
    expect(result.steps).toHaveLength(9);
  });
});
