import { describe, expect, it } from "vitest";
import { deployProtocol, datasetVersion, terms } from "../helpers/protocol.ts";
import { eventOf, expectRevert } from "../helpers/assertions.ts";

describe("deployment", () => {
  it("deploys and wires the registries through the Ignition module", async () => {
    const { datasets, accounts, attestations } = await deployProtocol();
    const registered = await eventOf(
      datasets
        .connect(accounts.creator)
        .registerDatasetWithTerms(datasetVersion(), [], [], "0x" + "00".repeat(32), terms([{ recipient: accounts.creator.address, bps: 10_000 }])),
      datasets,
      "DatasetRegistered",
    );
    expect(registered.args.owner).toBe(accounts.creator.address);
    expect(await datasets.ownerOf(1n)).toBe(accounts.creator.address);
    const admin = accounts.admin.address;
    await expectRevert(
      attestations.setSubjectRegistries(admin, admin, admin, admin, admin),
      attestations,
      "RegistriesAlreadySet",
      [],
    );
  });
});
