import { describe, expect, it } from "vitest";
import { deployProtocol, datasetVersion, terms } from "../helpers/protocol.js";

describe("deployment", () => {
  it("deploys and wires the registries through the Ignition module", async () => {
    const { datasets, accounts } = await deployProtocol();
    const tx = await datasets
      .connect(accounts.creator)
      .registerDatasetWithTerms(datasetVersion(), [], "0x" + "00".repeat(32), terms([{ recipient: accounts.creator.address, bps: 10_000 }]));
    const receipt = await tx.wait();
    expect(receipt?.status).toBe(1);
    expect(await datasets.ownerOf(1n)).toBe(accounts.creator.address);
  });
});
