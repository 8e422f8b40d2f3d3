/**
 * DatasetRegistry licensing: terms and their royalty splits, licences paid in ETH or ERC-20, licence status, and
 * pull-based royalty withdrawals (including hostile tokens and recipients).
 *
 * One chain per file; every test starts from the freshly deployed protocol (snapshot restored after each test), so
 * balances are exact and the first dataset, version, terms and licence each get id 1.
 */
import { describe, expect, it } from "vitest";
import { Wallet, type ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ETH, Subject, datasetVersion, deployProtocol, hash32, terms, type Protocol, restoreBeforeEach } from "../helpers/protocol.ts";
import { eventOf, eventsOf, expectRevert, normalise } from "../helpers/assertions.ts";
import { WORLDWIDE, regionSet } from "../../src/core/regions.ts";
import {
  FalseReturningToken__factory,
  FeeOnTransferToken__factory,
  NoReturnToken__factory,
  ReentrantRecipient__factory,
  RejectingRecipient__factory,
  TestToken__factory,
} from "../../types/index.ts";

const ZERO_HASH = "0x" + "00".repeat(32);
const PRICE = 10n ** 18n;
const YEAR = 365 * 24 * 3600;
const LicenceStatus = {
  Valid: 0n,
  UnknownDatasetVersion: 1n,
  LicenceRefunded: 2n,
  UnknownLicence: 3n,
  WrongDataset: 4n,
  WrongLicensee: 5n,
  Expired: 6n,
  DerivativesForbidden: 7n,
  CommercialUseForbidden: 8n,
} as const;

let p: Protocol;
let registry: string;
restoreBeforeEach(async () => {
  p = await deployProtocol();
  registry = await p.royalties.getAddress(); // the treasury: it holds every payment and pulls every ERC-20
  return p;
});

type Split = { recipient: string; bps: number };
type TermsOverrides = Parameters<typeof terms>[1];

/** Registers a dataset as `owner`; returns its dataset and first version ids. */
async function register(owner: HardhatEthersSigner = p.accounts.creator) {
  const event = await eventOf(
    p.datasets.connect(owner).registerDataset(datasetVersion(), [], [], ZERO_HASH),
    p.datasets,
    "DatasetVersionPublished",
  );
  return { datasetId: event.args.datasetId as bigint, versionId: event.args.versionId as bigint };
}

/** Sets terms on `datasetId` as its owner; returns the terms id. */
async function setTerms(datasetId: bigint, splits: Split[], overrides: TermsOverrides = {}, owner = p.accounts.creator) {
  const event = await eventOf(p.datasets.connect(owner).setTerms(datasetId, terms(splits, overrides)), p.datasets, "TermsSet");
  return event.args.termsId as bigint;
}

/** A dataset with terms; by default 1 ETH, one year, everything allowed, all to the creator. */
async function listed(overrides: TermsOverrides = {}, splits?: Split[]) {
  const ids = await register();
  const termsId = await setTerms(ids.datasetId, splits ?? [{ recipient: p.accounts.creator.address, bps: 10_000 }], overrides);
  return { ...ids, termsId };
}

/** Acquires a licence; returns the LicenceAcquired event and the licence id. */
async function acquire(
  payer: HardhatEthersSigner,
  datasetId: bigint,
  termsId: bigint,
  options: { licensee?: string; value?: bigint } = {},
) {
  const tx = p.royalties.connect(payer).acquireLicence(datasetId, options.licensee ?? payer.address, termsId, {
    value: options.value ?? PRICE,
  });
  const event = await eventOf(tx, p.datasets, "LicenceAcquired");
  return { licenceId: event.args.licenceId as bigint, event, tx: await tx };
}

async function gasCost(tx: ContractTransactionResponse) {
  const receipt = await tx.wait();
  return receipt!.gasUsed * receipt!.gasPrice;
}

async function blockTimestamp(tx: ContractTransactionResponse) {
  const receipt = await tx.wait();
  const block = await p.ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

const ethBalance = (address: string) => p.ethers.provider.getBalance(address);
const splitsOf = async (termsId: bigint) => normalise((await p.datasets.getTerms(termsId))[1].map((s) => [...s]));

// ---------------------------------------------------------------------------------------------------------------------

describe("setting terms", () => {
  it("emits TermsSet with every field, the splits and the setter, and makes the terms current", async () => {
    const { creator, creator2, steward } = p.accounts;
    const { datasetId } = await register();
    const splits = [
      { recipient: creator.address, bps: 6_000 },
      { recipient: creator2.address, bps: 3_000 },
      { recipient: steward.address, bps: 1_000 },
    ];
    const documentHash = hash32("licence-text");
    const input = terms(splits, {
      price: 123_456n,
      duration: 30 * 24 * 3600,
      commercialUse: false,
      derivativesAllowed: true,
      documentHash,
      documentURI: "ipfs://bafy-custom-licence",
    });
    expect(await p.datasets.connect(creator).setTerms.staticCall(datasetId, input)).toBe(1n);
    const event = await eventOf(p.datasets.connect(creator).setTerms(datasetId, input), p.datasets, "TermsSet");
    expect(event.args.datasetId).toBe(datasetId);
    expect(event.args.termsId).toBe(1n);
    expect(event.args.currency).toBe(ETH);
    expect(event.args.price).toBe(123_456n);
    expect(event.args.duration).toBe(30n * 24n * 3600n);
    expect(event.args.commercialUse).toBe(false);
    expect(event.args.derivativesAllowed).toBe(true);
    expect(event.args.documentHash).toBe(documentHash);
    expect(event.args.documentURI).toBe("ipfs://bafy-custom-licence");
    expect(normalise(event.args.splits.map((s: Iterable<unknown>) => [...s]))).toEqual(
      normalise(splits.map((s) => [s.recipient, BigInt(s.bps)])),
    );
    expect(event.args.setBy).toBe(creator.address);

    expect((await p.datasets.getDataset(datasetId)).currentTermsId).toBe(1n);
    const [stored] = await p.datasets.getTerms(1n);
    expect(stored.currency).toBe(ETH);
    expect(stored.price).toBe(123_456n);
    expect(stored.datasetId).toBe(datasetId);
    expect(stored.duration).toBe(30n * 24n * 3600n);
    expect(stored.commercialUse).toBe(false);
    expect(stored.derivativesAllowed).toBe(true);
    expect(stored.splitCount).toBe(3n);
    expect(await splitsOf(1n)).toEqual(normalise(splits.map((s) => [s.recipient, BigInt(s.bps)])));
  });

  it("numbers terms across datasets and replaces a dataset's current terms with each call", async () => {
    const { creator } = p.accounts;
    const a = await register();
    const b = await register();
    const split = [{ recipient: creator.address, bps: 10_000 }];
    expect(await setTerms(a.datasetId, split)).toBe(1n);
    expect(await setTerms(b.datasetId, split)).toBe(2n);
    expect(await setTerms(a.datasetId, split, { price: 7n })).toBe(3n);
    expect((await p.datasets.getDataset(a.datasetId)).currentTermsId).toBe(3n);
    expect((await p.datasets.getDataset(b.datasetId)).currentTermsId).toBe(2n);
    expect((await p.datasets.getTerms(2n))[0].datasetId).toBe(b.datasetId);
  });

  it("refuses a stranger with NotDatasetOwner and leaves the terms as they were", async () => {
    const { stranger } = p.accounts;
    const { datasetId, termsId } = await listed();
    await expectRevert(
      p.datasets.connect(stranger).setTerms(datasetId, terms([{ recipient: stranger.address, bps: 10_000 }], { price: 1n })),
      p.datasets,
      "NotDatasetOwner",
      [datasetId, stranger.address],
    );
    expect((await p.datasets.getDataset(datasetId)).currentTermsId).toBe(termsId);
    expect(await splitsOf(termsId)).toEqual(normalise([[p.accounts.creator.address, 10_000n]]));
  });

  it("getTerms of an id never written returns empty terms", async () => {
    const [stored, splits] = await p.datasets.getTerms(42n);
    expect(stored.datasetId).toBe(0n);
    expect(stored.price).toBe(0n);
    expect(splits.length).toBe(0);
  });

  it("never alters licences already granted: they keep their terms id and expiry, old terms stay readable", async () => {
    const { creator, creator2, mlTeam } = p.accounts;
    const { datasetId, versionId, termsId: t1 } = await listed({ duration: YEAR, commercialUse: true });
    const { licenceId: l1 } = await acquire(mlTeam, datasetId, t1);
    const licenceBefore = await p.datasets.getLicence(l1);
    const [termsBefore] = await p.datasets.getTerms(t1);
    const splitsBefore = await splitsOf(t1);

    const t2 = await setTerms(datasetId, [{ recipient: creator2.address, bps: 10_000 }], {
      price: 3n * PRICE,
      duration: 60,
      commercialUse: false,
      derivativesAllowed: false,
    });
    expect(t2).toBe(t1 + 1n);

    const licenceAfter = await p.datasets.getLicence(l1);
    expect(licenceAfter.termsId).toBe(t1);
    expect(licenceAfter.expiresAt).toBe(licenceBefore.expiresAt);
    expect(licenceAfter.licensee).toBe(mlTeam.address);
    expect([...(await p.datasets.getTerms(t1))[0]]).toEqual([...termsBefore]);
    expect(await splitsOf(t1)).toEqual(splitsBefore);
    // The old licence is still judged by its own (commercial, derivative) terms.
    expect(await p.datasets.licenceStatus(l1, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);

    // A new licence follows the new terms.
    const { licenceId: l2, tx } = await acquire(mlTeam, datasetId, t2, { value: 3n * PRICE });
    const l2Record = await p.datasets.getLicence(l2);
    expect(l2Record.termsId).toBe(t2);
    expect(l2Record.expiresAt).toBe((await blockTimestamp(tx)) + 60n);
    expect(await p.datasets.licenceStatus(l2, versionId, mlTeam.address, false)).toBe(LicenceStatus.DerivativesForbidden);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(PRICE);
    expect(await p.royalties.royaltiesOf(creator2.address, ETH)).toBe(3n * PRICE);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("licence territories", () => {
  const EEA = regionSet("EEA", "training");
  const EU = regionSet("EU", "deployment");

  it("emits both territories in TermsSet and returns them from getTerms and territoriesOf", async () => {
    const { datasetId } = await register();
    const input = terms([{ recipient: p.accounts.creator.address, bps: 10_000 }], {
      trainingTerritories: EEA,
      deploymentTerritories: EU,
    });
    const event = await eventOf(p.datasets.connect(p.accounts.creator).setTerms(datasetId, input), p.datasets, "TermsSet");
    expect(event.args.trainingTerritories).toBe(EEA);
    expect(event.args.deploymentTerritories).toBe(EU);
    const [stored] = await p.datasets.getTerms(event.args.termsId);
    expect([stored.trainingTerritories, stored.deploymentTerritories]).toEqual([EEA, EU]);
    expect([...(await p.datasets.territoriesOf(event.args.termsId))]).toEqual([EEA, EU]);
  });

  it("reads worldwide terms back as WORLDWIDE, and unknown terms as empty sets", async () => {
    const { termsId } = await listed();
    expect([...(await p.datasets.territoriesOf(termsId))]).toEqual([WORLDWIDE, WORLDWIDE]);
    expect([...(await p.datasets.territoriesOf(42n))]).toEqual([0n, 0n]);
  });

  it("refuses a stranger's restricted territories with NotDatasetOwner", async () => {
    const { stranger } = p.accounts;
    const { datasetId, termsId } = await listed();
    const input = terms([{ recipient: stranger.address, bps: 10_000 }], { trainingTerritories: EU, deploymentTerritories: EU });
    await expectRevert(p.datasets.connect(stranger).setTerms(datasetId, input), p.datasets, "NotDatasetOwner", [datasetId, stranger.address]);
    expect((await p.datasets.getDataset(datasetId)).currentTermsId).toBe(termsId);
    expect([...(await p.datasets.territoriesOf(termsId))]).toEqual([WORLDWIDE, WORLDWIDE]);
  });

  it.each([
    ["an empty training territory", { trainingTerritories: 0n }, "EmptyRegionSet", []],
    ["an empty deployment territory", { deploymentTerritories: 0n }, "EmptyRegionSet", []],
    ["unknown training bits", { trainingTerritories: EU | (1n << 249n) }, "UnknownRegions", [1n << 249n]],
    ["unknown deployment bits", { deploymentTerritories: (1n << 255n) | 1n }, "UnknownRegions", [1n << 255n]],
  ])("refuses %s with the Regions custom error and writes nothing", async (_what, overrides, error, args) => {
    const { creator } = p.accounts;
    const { datasetId } = await register();
    const input = terms([{ recipient: creator.address, bps: 10_000 }], overrides);
    await expectRevert(p.datasets.connect(creator).setTerms(datasetId, input), p.datasets, error, args);
    await expectRevert(
      p.datasets.connect(creator).registerDatasetWithTerms(datasetVersion("ipfs://other"), [], [], ZERO_HASH, input),
      p.datasets,
      error,
      args,
    );
    expect((await p.datasets.getDataset(datasetId)).currentTermsId).toBe(0n);
    expect(await setTerms(datasetId, [{ recipient: creator.address, bps: 10_000 }])).toBe(1n);
  });

  it("a licence keeps the territories it was granted under when new terms are set", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, termsId: t1 } = await listed({ trainingTerritories: EEA, deploymentTerritories: EU });
    const { licenceId } = await acquire(mlTeam, datasetId, t1);
    const t2 = await setTerms(datasetId, [{ recipient: p.accounts.creator.address, bps: 10_000 }]);
    const licence = await p.datasets.getLicence(licenceId);
    expect(licence.termsId).toBe(t1);
    expect([...(await p.datasets.territoriesOf(licence.termsId))]).toEqual([EEA, EU]);
    expect([...(await p.datasets.territoriesOf(t2))]).toEqual([WORLDWIDE, WORLDWIDE]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("royalty split validation", () => {
  it("refuses priced terms with no splits: EmptySplits", async () => {
    const { datasetId } = await register();
    await expectRevert(p.datasets.connect(p.accounts.creator).setTerms(datasetId, terms([])), p.datasets, "EmptySplits", []);
    expect((await p.datasets.getDataset(datasetId)).currentTermsId).toBe(0n);
  });

  it("refuses shares not summing to 10 000: SplitsDoNotSumTo10000(total), below and above", async () => {
    const { creator, creator2 } = p.accounts;
    const { datasetId } = await register();
    await expectRevert(
      p.datasets.connect(creator).setTerms(datasetId, terms([{ recipient: creator.address, bps: 5_000 }, { recipient: creator2.address, bps: 4_999 }])),
      p.datasets,
      "SplitsDoNotSumTo10000",
      [9_999n],
    );
    await expectRevert(
      p.datasets.connect(creator).setTerms(datasetId, terms([{ recipient: creator.address, bps: 5_000 }, { recipient: creator2.address, bps: 5_001 }])),
      p.datasets,
      "SplitsDoNotSumTo10000",
      [10_001n],
    );
    // Shares above 10 000 individually cannot wrap a uint16 total into a valid sum.
    await expectRevert(
      p.datasets.connect(creator).setTerms(datasetId, terms([{ recipient: creator.address, bps: 65_535 }, { recipient: creator2.address, bps: 10_001 }])),
      p.datasets,
      "SplitsDoNotSumTo10000",
      [75_536n],
    );
    expect((await p.datasets.getDataset(datasetId)).currentTermsId).toBe(0n);
  });

  it("refuses a zero recipient: SplitRecipientIsZero(index)", async () => {
    const { creator } = p.accounts;
    const { datasetId } = await register();
    await expectRevert(
      p.datasets.connect(creator).setTerms(datasetId, terms([{ recipient: creator.address, bps: 5_000 }, { recipient: ETH, bps: 5_000 }])),
      p.datasets,
      "SplitRecipientIsZero",
      [1n],
    );
  });

  it("refuses a zero share: SplitShareIsZero(index)", async () => {
    const { creator, creator2, steward } = p.accounts;
    const { datasetId } = await register();
    await expectRevert(
      p.datasets.connect(creator).setTerms(
        datasetId,
        terms([
          { recipient: creator.address, bps: 5_000 },
          { recipient: creator2.address, bps: 5_000 },
          { recipient: steward.address, bps: 0 },
        ]),
      ),
      p.datasets,
      "SplitShareIsZero",
      [2n],
    );
  });

  it("refuses 17 recipients with TooManySplits(17, 16) and accepts 16, crediting each", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId } = await register();
    const recipients = Array.from({ length: 17 }, () => Wallet.createRandom().address);
    const seventeen = recipients.map((recipient, i) => ({ recipient, bps: i === 0 ? 10_000 - 16 * 588 : 588 }));
    await expectRevert(p.datasets.connect(creator).setTerms(datasetId, terms(seventeen)), p.datasets, "TooManySplits", [17n, 16n]);

    const sixteen = recipients.slice(0, 16).map((recipient, i) => ({ recipient, bps: i === 0 ? 10_000 - 15 * 600 : 600 }));
    const termsId = await setTerms(datasetId, sixteen, { price: 10_000n });
    expect((await p.datasets.getTerms(termsId))[0].splitCount).toBe(16n);
    const { tx } = await acquire(mlTeam, datasetId, termsId, { value: 10_000n });
    const credited = await eventsOf(tx, p.royalties, "RoyaltyCredited");
    expect(credited.length).toBe(16);
    for (const split of sixteen) expect(await p.royalties.royaltiesOf(split.recipient, ETH)).toBe(BigInt(split.bps));
    expect(await p.royalties.royaltiesOf(sixteen[0].recipient, ETH)).toBe(1_000n);
  });

  it("validates splits on free terms that list recipients, but accepts free terms with none", async () => {
    const { creator } = p.accounts;
    const { datasetId } = await register();
    await expectRevert(
      p.datasets.connect(creator).setTerms(datasetId, terms([{ recipient: creator.address, bps: 1 }], { price: 0n })),
      p.datasets,
      "SplitsDoNotSumTo10000",
      [1n],
    );
    const termsId = await setTerms(datasetId, [], { price: 0n });
    const [stored, splits] = await p.datasets.getTerms(termsId);
    expect(stored.price).toBe(0n);
    expect(stored.splitCount).toBe(0n);
    expect(splits.length).toBe(0);
  });

  it("the registry ABI carries the RoyaltySplits library errors", () => {
    for (const name of ["EmptySplits", "TooManySplits", "SplitRecipientIsZero", "SplitShareIsZero", "SplitsDoNotSumTo10000"]) {
      expect(p.datasets.interface.getError(name), name).not.toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("acquiring a licence", () => {
  it("grants a licence to a third-party licensee paid by someone else, with the payment recorded", async () => {
    const { creator, mlTeam, relayer } = p.accounts;
    const { datasetId, versionId, termsId } = await listed();
    const payerBefore = await ethBalance(relayer.address);
    const licenseeBefore = await ethBalance(mlTeam.address);

    expect(await p.royalties.connect(relayer).acquireLicence.staticCall(datasetId, mlTeam.address, termsId, { value: PRICE })).toBe(1n);
    const { licenceId, event, tx } = await acquire(relayer, datasetId, termsId, { licensee: mlTeam.address });
    const expiresAt = (await blockTimestamp(tx)) + BigInt(YEAR);
    expect(normalise([...event.args])).toEqual(
      normalise([1n, datasetId, termsId, mlTeam.address, relayer.address, ETH, PRICE, expiresAt]),
    );

    const licence = await p.datasets.getLicence(licenceId);
    expect(licence.licensee).toBe(mlTeam.address);
    expect(licence.termsId).toBe(termsId);
    expect(licence.expiresAt).toBe(expiresAt);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    expect(await p.datasets.licenceStatus(licenceId, versionId, relayer.address, true)).toBe(LicenceStatus.WrongLicensee);

    expect(await ethBalance(relayer.address)).toBe(payerBefore - PRICE - (await gasCost(tx)));
    expect(await ethBalance(mlTeam.address)).toBe(licenseeBefore);
    expect(await ethBalance(registry)).toBe(PRICE);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(PRICE);
    const credited = await eventOf(tx, p.royalties, "RoyaltyCredited");
    // A sale is payment (licenceId, report 0), settled on the dataset's latest version, credited as a split.
    expect(normalise([...credited.args])).toEqual(normalise([creator.address, ETH, licenceId, 0n, versionId, 0n, PRICE]));
  });

  it("numbers licences across datasets", async () => {
    const { mlTeam } = p.accounts;
    const a = await listed();
    const b = await listed();
    expect((await acquire(mlTeam, a.datasetId, a.termsId)).licenceId).toBe(1n);
    expect((await acquire(mlTeam, b.datasetId, b.termsId)).licenceId).toBe(2n);
    expect((await acquire(mlTeam, a.datasetId, a.termsId)).licenceId).toBe(3n);
    expect(await p.royalties.royaltiesOf(p.accounts.creator.address, ETH)).toBe(3n * PRICE);
  });

  it("requires the exact ETH price: WrongPayment(expected, sent) for too little, too much and none", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed();
    for (const sent of [PRICE - 1n, PRICE + 1n, 0n]) {
      await expectRevert(
        p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId, { value: sent }),
        p.royalties,
        "WrongPayment",
        [PRICE, sent],
      );
    }
    expect(await ethBalance(registry)).toBe(0n);
    expect(await p.datasets.subjectExists(Subject.Licence, 1n)).toBe(false);
  });

  it("refuses ETH sent for ERC-20 terms: UnexpectedEther(sent), also when the ERC-20 price is 0", async () => {
    const { creator, mlTeam } = p.accounts;
    const token = await new TestToken__factory(p.accounts.admin).deploy();
    const split = [{ recipient: creator.address, bps: 10_000 }];
    const priced = await listed({ currency: await token.getAddress(), price: 100n }, split);
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(priced.datasetId, mlTeam.address, priced.termsId, { value: 100n }),
      p.royalties,
      "UnexpectedEther",
      [100n],
    );
    const free = await listed({ currency: await token.getAddress(), price: 0n }, []);
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(free.datasetId, mlTeam.address, free.termsId, { value: 1n }),
      p.royalties,
      "UnexpectedEther",
      [1n],
    );
    expect(await ethBalance(registry)).toBe(0n);
  });

  it("refuses a stale or wrong expected terms id: TermsChanged(datasetId, expected, current)", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, termsId: t1 } = await listed();
    const t2 = await setTerms(datasetId, [{ recipient: creator.address, bps: 10_000 }], { price: 2n * PRICE });
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, t1, { value: PRICE }),
      p.datasets,
      "TermsChanged",
      [datasetId, t1, t2],
    );
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, 0n, { value: 2n * PRICE }),
      p.datasets,
      "TermsChanged",
      [datasetId, 0n, t2],
    );
    const { event } = await acquire(mlTeam, datasetId, t2, { value: 2n * PRICE });
    expect(event.args.amount).toBe(2n * PRICE);
  });

  it("refuses a dataset without terms (NoTermsSet), an unknown dataset, and a zero licensee", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId } = await register();
    await expectRevert(p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, 0n), p.datasets, "NoTermsSet", [datasetId]);
    await expectRevert(p.royalties.connect(mlTeam).acquireLicence(5n, mlTeam.address, 1n), p.datasets, "UnknownDataset", [5n]);
    const listedDataset = await listed();
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(listedDataset.datasetId, ETH, listedDataset.termsId, { value: PRICE }),
      p.datasets,
      "ZeroLicensee",
      [],
    );
    expect(await ethBalance(registry)).toBe(0n);
  });

  it("sets expiry to the block timestamp plus the duration", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed({ duration: 3_600 });
    const { licenceId, tx, event } = await acquire(mlTeam, datasetId, termsId);
    const expected = (await blockTimestamp(tx)) + 3_600n;
    expect(event.args.expiresAt).toBe(expected);
    expect((await p.datasets.getLicence(licenceId)).expiresAt).toBe(expected);
  });

  it("grants a perpetual licence (expiresAt 0) when the duration is 0, valid years later", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, versionId, termsId } = await listed({ duration: 0 });
    const { licenceId, event } = await acquire(mlTeam, datasetId, termsId);
    expect(event.args.expiresAt).toBe(0n);
    expect((await p.datasets.getLicence(licenceId)).expiresAt).toBe(0n);
    await p.connection.networkHelpers.time.increase(50 * YEAR);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
  });

  it("getLicence reverts with UnknownLicence for a licence never granted", async () => {
    await expectRevert(p.datasets.getLicence(1n), p.datasets, "UnknownLicence", [1n]);
    await expectRevert(p.datasets.getLicence(0n), p.datasets, "UnknownLicence", [0n]);
  });

  it("grants free licences (price 0, no splits) with no payment and no RoyaltyCredited", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, versionId, termsId } = await listed({ price: 0n }, []);
    const { licenceId, tx, event } = await acquire(mlTeam, datasetId, termsId, { value: 0n });
    expect(event.args.amount).toBe(0n);
    expect(event.args.currency).toBe(ETH);
    expect(await eventsOf(tx, p.royalties, "RoyaltyCredited")).toEqual([]);
    expect(await ethBalance(registry)).toBe(0n);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    // Sending ETH for a free ETH licence is a wrong payment.
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId, { value: 1n }),
      p.royalties,
      "WrongPayment",
      [0n, 1n],
    );
  });

  it("grants free licences whose terms list recipients without crediting anyone", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed({ price: 0n }, [{ recipient: creator.address, bps: 10_000 }]);
    const { tx } = await acquire(mlTeam, datasetId, termsId, { value: 0n });
    expect(await eventsOf(tx, p.royalties, "RoyaltyCredited")).toEqual([]);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);
  });

  it("grants free ERC-20 licences without any allowance", async () => {
    const { mlTeam } = p.accounts;
    const token = await new TestToken__factory(p.accounts.admin).deploy();
    const { datasetId, termsId } = await listed({ currency: await token.getAddress(), price: 0n }, []);
    const { licenceId, event, tx } = await acquire(mlTeam, datasetId, termsId, { value: 0n });
    expect(event.args.currency).toBe(await token.getAddress());
    expect(event.args.amount).toBe(0n);
    expect(await eventsOf(tx, p.royalties, "RoyaltyCredited")).toEqual([]);
    expect((await p.datasets.getLicence(licenceId)).licensee).toBe(mlTeam.address);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("licenceStatus", () => {
  it("returns Valid for the licensee of a live dataset, for any of its versions", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, versionId, termsId } = await listed();
    const v2 = await eventOf(p.datasets.connect(creator).publishVersion(datasetId, datasetVersion(), [], [], ZERO_HASH), p.datasets, "DatasetVersionPublished");
    const { licenceId } = await acquire(mlTeam, datasetId, termsId);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, false)).toBe(LicenceStatus.Valid);
    expect(await p.datasets.licenceStatus(licenceId, v2.args.versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
  });

  it("returns UnknownDatasetVersion for a version never published", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed();
    const { licenceId } = await acquire(mlTeam, datasetId, termsId);
    expect(await p.datasets.licenceStatus(licenceId, 99n, mlTeam.address, true)).toBe(LicenceStatus.UnknownDatasetVersion);
    expect(await p.datasets.licenceStatus(licenceId, 0n, mlTeam.address, false)).toBe(LicenceStatus.UnknownDatasetVersion);
  });

  it("paid, then withdrawn: a licence sold for 2 ETH stays Valid after the dataset is withdrawn", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, versionId, termsId } = await listed({ price: 2n * PRICE });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId, { value: 2n * PRICE });
    await p.datasets.connect(creator).withdrawDataset(datasetId, "no longer offered");
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    // ... and so after consent is revoked, until the owner refunds it.
    await p.datasets.connect(creator).revokeConsent(datasetId, "consent withdrawn");
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    await p.datasets.connect(creator).refundLicence(licenceId, { value: await p.datasets.refundDue(licenceId) });
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, false)).toBe(LicenceStatus.LicenceRefunded);
  });

  it("returns UnknownLicence for a licence never granted", async () => {
    const { mlTeam } = p.accounts;
    const { versionId } = await listed();
    expect(await p.datasets.licenceStatus(1n, versionId, mlTeam.address, false)).toBe(LicenceStatus.UnknownLicence);
    expect(await p.datasets.licenceStatus(0n, versionId, mlTeam.address, false)).toBe(LicenceStatus.UnknownLicence);
  });

  it("returns WrongDataset for a licence of another dataset", async () => {
    const { mlTeam } = p.accounts;
    const a = await listed();
    const b = await listed();
    const { licenceId } = await acquire(mlTeam, a.datasetId, a.termsId);
    expect(await p.datasets.licenceStatus(licenceId, b.versionId, mlTeam.address, false)).toBe(LicenceStatus.WrongDataset);
    expect(await p.datasets.licenceStatus(licenceId, a.versionId, mlTeam.address, false)).toBe(LicenceStatus.Valid);
  });

  it("returns WrongLicensee for anyone but the licensee, including the payer", async () => {
    const { mlTeam, relayer, stranger } = p.accounts;
    const { datasetId, versionId, termsId } = await listed();
    const { licenceId } = await acquire(relayer, datasetId, termsId, { licensee: mlTeam.address });
    expect(await p.datasets.licenceStatus(licenceId, versionId, stranger.address, false)).toBe(LicenceStatus.WrongLicensee);
    expect(await p.datasets.licenceStatus(licenceId, versionId, relayer.address, false)).toBe(LicenceStatus.WrongLicensee);
  });

  it("returns Expired from the expiry second on, Valid just before", async () => {
    const { mlTeam } = p.accounts;
    const { time, mine } = p.connection.networkHelpers;
    const { datasetId, versionId, termsId } = await listed({ duration: 1_000 });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId);
    const expiresAt = (await p.datasets.getLicence(licenceId)).expiresAt;

    await time.increaseTo(expiresAt - 1n);
    expect(BigInt(await time.latest())).toBe(expiresAt - 1n);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    await mine();
    expect(BigInt(await time.latest())).toBe(expiresAt);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.Expired);
    await time.increase(YEAR);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, false)).toBe(LicenceStatus.Expired);
  });

  it("returns DerivativesForbidden when the terms forbid derivatives, whatever the use", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, versionId, termsId } = await listed({ derivativesAllowed: false });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, false)).toBe(LicenceStatus.DerivativesForbidden);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.DerivativesForbidden);
  });

  it("returns CommercialUseForbidden only for a commercial use under non-commercial terms", async () => {
    const { mlTeam } = p.accounts;
    const { datasetId, versionId, termsId } = await listed({ commercialUse: false });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, true)).toBe(LicenceStatus.CommercialUseForbidden);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, false)).toBe(LicenceStatus.Valid);
  });

  it("reports the first problem in order: unknown version, unknown licence, refunded, wrong dataset, wrong licensee, expiry, use", async () => {
    const { creator, mlTeam, stranger } = p.accounts;
    const a = await listed({ duration: 10, commercialUse: false, derivativesAllowed: false });
    const b = await listed();
    const { licenceId } = await acquire(mlTeam, a.datasetId, a.termsId);
    expect(await p.datasets.licenceStatus(licenceId, b.versionId, stranger.address, true)).toBe(LicenceStatus.WrongDataset);
    await p.connection.networkHelpers.time.increase(100);
    expect(await p.datasets.licenceStatus(licenceId, a.versionId, stranger.address, true)).toBe(LicenceStatus.WrongLicensee);
    expect(await p.datasets.licenceStatus(licenceId, a.versionId, mlTeam.address, true)).toBe(LicenceStatus.Expired);
    expect(await p.datasets.licenceStatus(77n, 99n, mlTeam.address, true)).toBe(LicenceStatus.UnknownDatasetVersion);
    expect(await p.datasets.licenceStatus(77n, a.versionId, mlTeam.address, true)).toBe(LicenceStatus.UnknownLicence);
    const { licenceId: live } = await acquire(mlTeam, b.datasetId, b.termsId);
    await p.datasets.connect(creator).revokeConsent(b.datasetId, "gone");
    await p.datasets.connect(creator).refundLicence(live, { value: PRICE }); // mined a second later: less is due
    expect(await p.datasets.licenceStatus(live, a.versionId, stranger.address, true)).toBe(LicenceStatus.LicenceRefunded);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("withdrawal, consent revocation and refunds", () => {
  it("revokeConsent withdraws the dataset and records the revocation; only once, only by the owner", async () => {
    const { creator, mlTeam, stranger } = p.accounts;
    const { datasetId, termsId } = await listed();
    await expectRevert(p.datasets.connect(stranger).revokeConsent(datasetId, "x"), p.datasets, "NotDatasetOwner", [datasetId, stranger.address]);
    const tx = await p.datasets.connect(creator).revokeConsent(datasetId, "data subjects withdrew consent");
    const names = (await tx.wait())!.logs.map((log) => p.datasets.interface.parseLog(log)?.name);
    expect(names).toEqual(["DatasetWithdrawn", "ConsentRevoked"]);
    const revoked = await eventOf(tx, p.datasets, "ConsentRevoked");
    expect(normalise([...revoked.args])).toEqual(normalise([datasetId, creator.address, "data subjects withdrew consent"]));
    const dataset = await p.datasets.getDataset(datasetId);
    expect([dataset.withdrawn, dataset.consentRevoked]).toEqual([true, true]);
    await expectRevert(p.datasets.connect(creator).revokeConsent(datasetId, "again"), p.datasets, "ConsentIsRevoked", [datasetId]);
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId, { value: PRICE }),
      p.datasets,
      "DatasetIsWithdrawn",
      [datasetId],
    );
    // Withdrawn first, consent later: only ConsentRevoked.
    const other = await listed();
    await p.datasets.connect(creator).withdrawDataset(other.datasetId, "retired");
    const later = await (await p.datasets.connect(creator).revokeConsent(other.datasetId, "consent")).wait();
    expect(later!.logs.map((log) => p.datasets.interface.parseLog(log)?.name)).toEqual(["ConsentRevoked"]);
  });

  it("refunds the unused share of a time-limited ETH licence to the licensee, voiding it; surplus back to the payer", async () => {
    const { creator, mlTeam } = p.accounts;
    const { time } = p.connection.networkHelpers;
    const { datasetId, versionId, termsId } = await listed({ duration: 1_000 });
    const { licenceId, tx } = await acquire(mlTeam, datasetId, termsId);
    const acquiredAt = await blockTimestamp(tx);
    await expectRevert(p.datasets.connect(creator).refundLicence(licenceId, { value: PRICE }), p.datasets, "ConsentNotRevoked", [datasetId]);
    await p.datasets.connect(creator).revokeConsent(datasetId, "consent withdrawn");

    await time.setNextBlockTimestamp(acquiredAt + 250n);
    const refund = p.datasets.connect(creator).refundLicence(licenceId, { value: PRICE });
    const event = await eventOf(refund, p.datasets, "LicenceRefunded");
    const due = (PRICE * 750n) / 1_000n;
    expect(normalise([...event.args])).toEqual(normalise([licenceId, datasetId, mlTeam.address, ETH, due, creator.address, PRICE - due]));
    expect(await p.royalties.royaltiesOf(mlTeam.address, ETH)).toBe(due);
    // The creator had 1 ETH of royalties; the 0.25 ETH overpaid comes back to it too.
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(PRICE + (PRICE - due));
    expect((await p.datasets.getLicence(licenceId)).refunded).toBe(true);
    expect(await p.datasets.licenceStatus(licenceId, versionId, mlTeam.address, false)).toBe(LicenceStatus.LicenceRefunded);
    expect(await p.datasets.refundDue(licenceId)).toBe(0n);
    await expectRevert(p.datasets.connect(creator).refundLicence(licenceId, { value: PRICE }), p.datasets, "LicenceAlreadyRefunded", [licenceId]);

    const before = await ethBalance(mlTeam.address);
    const pulled = await p.royalties.connect(mlTeam).withdrawRoyalties(ETH, mlTeam.address);
    expect(await ethBalance(mlTeam.address)).toBe(before + due - (await gasCost(pulled)));
  });

  it("refundDue falls linearly to 0 at expiry; a perpetual licence is refunded in full", async () => {
    const { creator, mlTeam } = p.accounts;
    const { time, mine } = p.connection.networkHelpers;
    const timed = await listed({ duration: 1_000, price: 1_000_000n });
    const { licenceId, tx } = await acquire(mlTeam, timed.datasetId, timed.termsId, { value: 1_000_000n });
    const acquiredAt = await blockTimestamp(tx);
    for (const elapsed of [1n, 400n, 999n]) {
      await time.increaseTo(acquiredAt + elapsed);
      expect(await p.datasets.refundDue(licenceId), `after ${elapsed} s`).toBe((1_000_000n * (1_000n - elapsed)) / 1_000n);
    }
    await mine();
    expect(await p.datasets.refundDue(licenceId)).toBe(0n);
    await p.datasets.connect(creator).revokeConsent(timed.datasetId, "consent");
    const expiresAt = (await p.datasets.getLicence(licenceId)).expiresAt;
    await expectRevert(p.datasets.connect(creator).refundLicence(licenceId), p.datasets, "LicenceExpired", [licenceId, expiresAt]);

    const perpetual = await listed({ duration: 0 });
    const { licenceId: forever } = await acquire(mlTeam, perpetual.datasetId, perpetual.termsId);
    await time.increase(10 * YEAR);
    expect(await p.datasets.refundDue(forever)).toBe(PRICE);
    await p.datasets.connect(creator).revokeConsent(perpetual.datasetId, "consent");
    await expectRevert(p.datasets.connect(creator).refundLicence(forever, { value: PRICE - 1n }), p.royalties, "WrongPayment", [PRICE, PRICE - 1n]);
    const event = await eventOf(p.datasets.connect(creator).refundLicence(forever, { value: PRICE }), p.datasets, "LicenceRefunded");
    expect(event.args.amount).toBe(PRICE);
    await expectRevert(p.datasets.refundLicence(99n), p.datasets, "UnknownLicence", [99n]);
  });

  it("only the owner or its operator-for-all refunds: not the licensee, a stranger or a single-token approval", async () => {
    const { creator, mlTeam, stranger, relayer } = p.accounts;
    const { datasetId, termsId } = await listed({ duration: 0 });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId);
    await p.datasets.connect(creator).revokeConsent(datasetId, "consent");
    await p.datasets.connect(creator).approve(stranger.address, datasetId);
    for (const signer of [mlTeam, stranger]) {
      await expectRevert(
        p.datasets.connect(signer).refundLicence(licenceId, { value: PRICE }),
        p.datasets,
        "NotDatasetOwner",
        [datasetId, signer.address],
      );
    }
    expect((await p.datasets.getLicence(licenceId)).refunded).toBe(false);
    await p.datasets.connect(creator).setApprovalForAll(relayer.address, true);
    await eventOf(p.datasets.connect(relayer).refundLicence(licenceId, { value: PRICE }), p.datasets, "LicenceRefunded");
    expect(await p.royalties.royaltiesOf(mlTeam.address, ETH)).toBe(PRICE);
  });

  it("refunds an ERC-20 licence from the owner's allowance, and a free licence for nothing", async () => {
    const { admin, creator, mlTeam } = p.accounts;
    const token = await new TestToken__factory(admin).deploy();
    const currency = await token.getAddress();
    await token.mint(mlTeam.address, 1_000n);
    await token.connect(mlTeam).approve(registry, 1_000n);
    const { datasetId, termsId } = await listed({ currency, price: 1_000n, duration: 0 });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId, { value: 0n });
    await p.datasets.connect(creator).revokeConsent(datasetId, "consent");

    await expectRevert(p.datasets.connect(creator).refundLicence(licenceId), token, "ERC20InsufficientAllowance", [registry, 0n, 1_000n]);
    await expectRevert(p.datasets.connect(creator).refundLicence(licenceId, { value: 1n }), p.royalties, "UnexpectedEther", [1n]);
    expect((await p.datasets.getLicence(licenceId)).refunded).toBe(false);
    await token.mint(creator.address, 1_000n);
    await token.connect(creator).approve(registry, 1_000n);
    await eventOf(p.datasets.connect(creator).refundLicence(licenceId), p.datasets, "LicenceRefunded");
    expect(await token.balanceOf(creator.address)).toBe(0n);
    expect(await p.royalties.royaltiesOf(mlTeam.address, currency)).toBe(1_000n);
    expect(await token.balanceOf(registry)).toBe(2_000n); // the creator's royalty and the licensee's refund

    const free = await listed({ price: 0n }, []);
    const { licenceId: gift } = await acquire(mlTeam, free.datasetId, free.termsId, { value: 0n });
    await p.datasets.connect(creator).revokeConsent(free.datasetId, "consent");
    const event = await eventOf(p.datasets.connect(creator).refundLicence(gift), p.datasets, "LicenceRefunded");
    expect(event.args.amount).toBe(0n);
    expect((await p.datasets.getLicence(gift)).refunded).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("royalties", () => {
  it("divides an odd price 3333/3333/3334 exactly: shares sum to the price, remainder to the first recipient", async () => {
    const { creator, creator2, steward, mlTeam } = p.accounts;
    const price = 1_000_000_000_000_000_001n;
    const splits = [
      { recipient: creator.address, bps: 3_333 },
      { recipient: creator2.address, bps: 3_333 },
      { recipient: steward.address, bps: 3_334 },
    ];
    const { datasetId, versionId, termsId } = await listed({ price }, splits);
    const { licenceId, tx } = await acquire(mlTeam, datasetId, termsId, { value: price });

    const second = (price * 3_333n) / 10_000n; // 333300000000000000
    const third = (price * 3_334n) / 10_000n; // 333400000000000000
    const first = price - second - third; // 333300000000000001: takes the 1 wei remainder
    expect(first).toBe(333_300_000_000_000_001n);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(first);
    expect(await p.royalties.royaltiesOf(creator2.address, ETH)).toBe(second);
    expect(await p.royalties.royaltiesOf(steward.address, ETH)).toBe(third);

    let total = 0n;
    for (const s of splits) total += await p.royalties.royaltiesOf(s.recipient, ETH);
    expect(total).toBe(price);
    expect(await ethBalance(registry)).toBe(total);

    const credited = await eventsOf(tx, p.royalties, "RoyaltyCredited");
    const byRecipient = Object.fromEntries(credited.map((e) => [e.args.recipient, e]));
    expect(credited.length).toBe(3);
    for (const [recipient, amount] of [
      [creator.address, first],
      [creator2.address, second],
      [steward.address, third],
    ] as const) {
      expect(normalise([...byRecipient[recipient].args])).toEqual(normalise([recipient, ETH, licenceId, 0n, versionId, 0n, amount]));
    }
  });

  it("accumulates credits from several licences", async () => {
    const { creator, creator2, mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed({ price: 1_000n }, [
      { recipient: creator.address, bps: 7_000 },
      { recipient: creator2.address, bps: 3_000 },
    ]);
    await acquire(mlTeam, datasetId, termsId, { value: 1_000n });
    await acquire(mlTeam, datasetId, termsId, { value: 1_000n });
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(1_400n);
    expect(await p.royalties.royaltiesOf(creator2.address, ETH)).toBe(600n);
  });

  it("takes ERC-20 payment through an allowance and credits in that token", async () => {
    const { admin, creator, creator2, mlTeam } = p.accounts;
    const token = await new TestToken__factory(admin).deploy();
    const currency = await token.getAddress();
    await token.mint(mlTeam.address, 10_000n);
    const { datasetId, versionId, termsId } = await listed({ currency, price: 1_001n }, [
      { recipient: creator.address, bps: 5_000 },
      { recipient: creator2.address, bps: 5_000 },
    ]);

    // No allowance: the token refuses, nothing is granted.
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId),
      token,
      "ERC20InsufficientAllowance",
      [registry, 0n, 1_001n],
    );
    expect(await p.datasets.subjectExists(Subject.Licence, 1n)).toBe(false);

    await token.connect(mlTeam).approve(registry, 1_001n);
    const { licenceId, event, tx } = await acquire(mlTeam, datasetId, termsId, { value: 0n });
    expect(event.args.currency).toBe(currency);
    expect(event.args.amount).toBe(1_001n);
    expect(await token.balanceOf(mlTeam.address)).toBe(10_000n - 1_001n);
    expect(await token.balanceOf(registry)).toBe(1_001n);
    expect(await p.royalties.royaltiesOf(creator.address, currency)).toBe(501n);
    expect(await p.royalties.royaltiesOf(creator2.address, currency)).toBe(500n);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);
    const credited = await eventsOf(tx, p.royalties, "RoyaltyCredited");
    expect(credited.map((e) => normalise([...e.args]))).toEqual(
      normalise([
        [creator2.address, currency, licenceId, 0n, versionId, 0n, 500n],
        [creator.address, currency, licenceId, 0n, versionId, 0n, 501n],
      ]),
    );
    expect(await ethBalance(registry)).toBe(0n);
  });

  it("works with a USDT-style token that returns nothing (SafeERC20), for payment and withdrawal", async () => {
    const { admin, creator, mlTeam, steward } = p.accounts;
    const token = await new NoReturnToken__factory(admin).deploy();
    const currency = await token.getAddress();
    await token.mint(mlTeam.address, 500n);
    await token.connect(mlTeam).approve(registry, 500n);
    const { datasetId, termsId } = await listed({ currency, price: 500n });
    const { licenceId } = await acquire(mlTeam, datasetId, termsId, { value: 0n });
    expect((await p.datasets.getLicence(licenceId)).licensee).toBe(mlTeam.address);
    expect(await token.balanceOf(registry)).toBe(500n);
    expect(await token.balanceOf(mlTeam.address)).toBe(0n);
    expect(await p.royalties.royaltiesOf(creator.address, currency)).toBe(500n);

    await p.royalties.connect(creator).withdrawRoyalties(currency, steward.address);
    expect(await token.balanceOf(steward.address)).toBe(500n);
    expect(await token.balanceOf(registry)).toBe(0n);
    expect(await p.royalties.royaltiesOf(creator.address, currency)).toBe(0n);
  });

  it("refuses a fee-on-transfer token with TransferShortfall(token, expected, received) and changes nothing", async () => {
    const { admin, creator, mlTeam } = p.accounts;
    const token = await new FeeOnTransferToken__factory(admin).deploy();
    const currency = await token.getAddress();
    await token.mint(mlTeam.address, 1_000n);
    await token.connect(mlTeam).approve(registry, 1_000n);
    const { datasetId, versionId, termsId } = await listed({ currency, price: 1_000n });

    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId),
      p.royalties,
      "TransferShortfall",
      [currency, 1_000n, 990n],
    );
    expect(await token.balanceOf(mlTeam.address)).toBe(1_000n);
    expect(await token.balanceOf(registry)).toBe(0n);
    expect(await token.allowance(mlTeam.address, registry)).toBe(1_000n);
    expect(await p.royalties.royaltiesOf(creator.address, currency)).toBe(0n);
    expect(await p.datasets.subjectExists(Subject.Licence, 1n)).toBe(false);
    await expectRevert(p.datasets.getLicence(1n), p.datasets, "UnknownLicence", [1n]);
    expect(await p.datasets.licenceStatus(1n, versionId, mlTeam.address, false)).toBe(LicenceStatus.UnknownLicence);
  });

  it("refuses a token whose transferFrom returns false (SafeERC20FailedOperation)", async () => {
    const { admin, creator, mlTeam } = p.accounts;
    const token = await new FalseReturningToken__factory(admin).deploy();
    const currency = await token.getAddress();
    const { datasetId, termsId } = await listed({ currency, price: 1_000n });
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(datasetId, mlTeam.address, termsId),
      p.royalties,
      "SafeERC20FailedOperation",
      [currency],
    );
    expect(await p.datasets.subjectExists(Subject.Licence, 1n)).toBe(false);
    expect(await p.royalties.royaltiesOf(creator.address, currency)).toBe(0n);
  });

  it("withdrawRoyalties pays out ETH to the caller, emits RoyaltyWithdrawn and zeroes the balance", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed();
    await acquire(mlTeam, datasetId, termsId);
    const before = await ethBalance(creator.address);

    expect(await p.royalties.connect(creator).withdrawRoyalties.staticCall(ETH, creator.address)).toBe(PRICE);
    const tx = await p.royalties.connect(creator).withdrawRoyalties(ETH, creator.address);
    const event = await eventOf(tx, p.royalties, "RoyaltyWithdrawn");
    expect(normalise([...event.args])).toEqual(normalise([creator.address, ETH, creator.address, PRICE]));
    expect(await ethBalance(creator.address)).toBe(before + PRICE - (await gasCost(tx)));
    expect(await ethBalance(registry)).toBe(0n);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);
  });

  it("withdrawRoyalties can pay a different destination, and pays ERC-20 balances", async () => {
    const { admin, creator, creator2, mlTeam, steward } = p.accounts;
    const token = await new TestToken__factory(admin).deploy();
    const currency = await token.getAddress();
    await token.mint(mlTeam.address, 1_000n);
    await token.connect(mlTeam).approve(registry, 1_000n);
    const eth = await listed({}, [
      { recipient: creator.address, bps: 5_000 },
      { recipient: creator2.address, bps: 5_000 },
    ]);
    const erc20 = await listed({ currency, price: 1_000n });
    await acquire(mlTeam, eth.datasetId, eth.termsId);
    await acquire(mlTeam, erc20.datasetId, erc20.termsId, { value: 0n });

    const creatorBefore = await ethBalance(creator.address);
    const stewardBefore = await ethBalance(steward.address);
    const tx = await p.royalties.connect(creator).withdrawRoyalties(ETH, steward.address);
    const event = await eventOf(tx, p.royalties, "RoyaltyWithdrawn");
    expect(normalise([...event.args])).toEqual(normalise([creator.address, ETH, steward.address, PRICE / 2n]));
    expect(await ethBalance(steward.address)).toBe(stewardBefore + PRICE / 2n);
    expect(await ethBalance(creator.address)).toBe(creatorBefore - (await gasCost(tx)));
    expect(await ethBalance(registry)).toBe(PRICE / 2n); // creator2's share stays
    expect(await p.royalties.royaltiesOf(creator2.address, ETH)).toBe(PRICE / 2n);

    const tokenTx = await p.royalties.connect(creator).withdrawRoyalties(currency, steward.address);
    const tokenEvent = await eventOf(tokenTx, p.royalties, "RoyaltyWithdrawn");
    expect(normalise([...tokenEvent.args])).toEqual(normalise([creator.address, currency, steward.address, 1_000n]));
    expect(await token.balanceOf(steward.address)).toBe(1_000n);
    expect(await token.balanceOf(registry)).toBe(0n);
    expect(await p.royalties.royaltiesOf(creator.address, currency)).toBe(0n);
  });

  it("refuses a zero destination (ZeroDestination) and keeps the balance", async () => {
    const { creator, mlTeam } = p.accounts;
    const { datasetId, termsId } = await listed();
    await acquire(mlTeam, datasetId, termsId);
    await expectRevert(p.royalties.connect(creator).withdrawRoyalties(ETH, ETH), p.royalties, "ZeroDestination", []);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(PRICE);
    expect(await ethBalance(registry)).toBe(PRICE);
  });

  it("refuses an empty balance: NothingToWithdraw(account, currency), on a second withdrawal and per currency", async () => {
    const { creator, mlTeam, stranger } = p.accounts;
    const token = await new TestToken__factory(p.accounts.admin).deploy();
    const currency = await token.getAddress();
    const { datasetId, termsId } = await listed();
    await acquire(mlTeam, datasetId, termsId);
    await p.royalties.connect(creator).withdrawRoyalties(ETH, creator.address);
    await expectRevert(p.royalties.connect(creator).withdrawRoyalties(ETH, creator.address), p.royalties, "NothingToWithdraw", [
      creator.address,
      ETH,
    ]);
    await expectRevert(p.royalties.connect(creator).withdrawRoyalties(currency, creator.address), p.royalties, "NothingToWithdraw", [
      creator.address,
      currency,
    ]);
    await expectRevert(p.royalties.connect(stranger).withdrawRoyalties(ETH, stranger.address), p.royalties, "NothingToWithdraw", [
      stranger.address,
      ETH,
    ]);
  });

  it("a re-entrant recipient cannot withdraw twice: the re-entry fails and it gets exactly its balance once", async () => {
    const { admin, creator, mlTeam } = p.accounts;
    const attacker = await new ReentrantRecipient__factory(admin).deploy(registry);
    const attackerAddress = await attacker.getAddress();
    const { datasetId, termsId } = await listed({}, [
      { recipient: creator.address, bps: 5_000 },
      { recipient: attackerAddress, bps: 5_000 },
    ]);
    await acquire(mlTeam, datasetId, termsId);
    await acquire(mlTeam, datasetId, termsId);
    const share = PRICE; // 2 licences x 50 %
    expect(await p.royalties.royaltiesOf(attackerAddress, ETH)).toBe(share);

    const tx = await attacker.withdraw();
    const withdrawn = await eventsOf(tx, p.royalties, "RoyaltyWithdrawn");
    expect(withdrawn.length).toBe(1);
    expect(normalise([...withdrawn[0].args])).toEqual(normalise([attackerAddress, ETH, attackerAddress, share]));
    expect(await attacker.reentryAttempts()).toBe(1n);
    expect(await attacker.reentrySucceeded()).toBe(false);
    expect(await ethBalance(attackerAddress)).toBe(share);
    expect(await p.royalties.royaltiesOf(attackerAddress, ETH)).toBe(0n);
    // The other recipient's money is untouched.
    expect(await ethBalance(registry)).toBe(share);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(share);
  });

  it("a recipient that rejects ETH gets EtherTransferFailed and keeps its balance, and can withdraw elsewhere", async () => {
    const { admin, creator, mlTeam, steward } = p.accounts;
    const rejecting = await new RejectingRecipient__factory(admin).deploy();
    const rejectingAddress = await rejecting.getAddress();
    const { datasetId, termsId } = await listed({}, [{ recipient: rejectingAddress, bps: 10_000 }]);
    await acquire(mlTeam, datasetId, termsId);

    await expectRevert(rejecting.withdraw(registry, rejectingAddress), p.royalties, "EtherTransferFailed", [rejectingAddress, PRICE]);
    expect(await p.royalties.royaltiesOf(rejectingAddress, ETH)).toBe(PRICE);
    expect(await ethBalance(registry)).toBe(PRICE);
    expect(await ethBalance(rejectingAddress)).toBe(0n);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);

    const stewardBefore = await ethBalance(steward.address);
    await rejecting.withdraw(registry, steward.address);
    expect(await ethBalance(steward.address)).toBe(stewardBefore + PRICE);
    expect(await p.royalties.royaltiesOf(rejectingAddress, ETH)).toBe(0n);
  });
});
