/**
 * RoyaltyRegistry, Pedigree's treasury: metered usage reports (paid, from a deposit, relayed with EIP-712), deposits,
 * contributor shares, derivation royalties up the lineage with their bounds, and what hostile tokens and callers cannot
 * do. Every state change is tried from the right and the wrong account. Amounts are computed here from the settlement
 * rule (derivation shares first, contributors of the rest, then the splits, the first taking the remainder).
 *
 * One chain per file; every test starts from the freshly deployed protocol (snapshot restored after each test).
 */
import { describe, expect, it } from "vitest";
import { TypedDataEncoder, id as keccakText, type BigNumberish, type TypedDataDomain } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ETH, Kind, Subject, attestation, datasetVersion, deployProtocol, terms, type Protocol, restoreBeforeEach } from "../helpers/protocol.ts";
import { USAGE_REPORT_TYPES, royaltiesDomain } from "../../src/sdk/index.ts";
import { emittedId, eventsOf, expectRevert, normalise } from "../helpers/assertions.ts";
import { FeeOnTransferToken__factory, ReentrantRecipient__factory, ReentrantToken__factory, TestToken__factory, TestWallet__factory } from "../../types/index.ts";

const ZERO_HASH = "0x" + "00".repeat(32);
const UNIT_PRICE = 1_000n;
const PRICE = 10n ** 18n;

let p: Protocol;
restoreBeforeEach(async () => {
  p = await deployProtocol();
  return p;
});

type Split = { recipient: string; bps: number };
type Terms = Parameters<typeof terms>[1];

/** A dataset registered by `owner` with terms; optionally derived from `parents` (version, licence). */
async function dataset(owner: HardhatEthersSigner, splits: Split[], overrides: Terms = {}, parents: { versionId: bigint; licenceId: bigint }[] = []) {
  const tx = p.datasets.connect(owner).registerDatasetWithTerms(
    datasetVersion(),
    parents.map((x) => x.versionId),
    parents.map((x) => x.licenceId),
    ZERO_HASH,
    terms(splits, overrides),
  );
  const datasetId = await emittedId(tx, p.datasets, "DatasetRegistered", "datasetId");
  return { datasetId, versionId: await emittedId(tx, p.datasets, "DatasetVersionPublished", "versionId"), termsId: await emittedId(tx, p.datasets, "TermsSet", "termsId") };
}

async function buy(buyer: HardhatEthersSigner, d: { datasetId: bigint; termsId: bigint }, value = PRICE): Promise<bigint> {
  return emittedId(p.royalties.connect(buyer).acquireLicence(d.datasetId, buyer.address, d.termsId, { value }), p.datasets, "LicenceAcquired", "licenceId");
}

/** A metered dataset of the creator (all to the creator), licensed to the ML team. */
async function metered(overrides: Terms = {}) {
  const d = await dataset(p.accounts.creator, [{ recipient: p.accounts.creator.address, bps: 10_000 }], { unitPrice: UNIT_PRICE, unit: "samples", ...overrides });
  return { ...d, licenceId: await buy(p.accounts.mlTeam, d, (overrides as { price?: bigint }).price ?? PRICE) };
}

function report(licenceId: bigint, versionId: bigint, units: bigint, label = "logs") {
  return { licenceId, versionId, units, reportHash: keccakText(label), reportURI: `ipfs://${label}` };
}

const share = (amount: bigint, bps: number) => (amount * BigInt(bps)) / 10_000n;
/** IRoyaltyRegistry.ShareKind. */
const ShareKind = { Split: 0n, Contribution: 1n } as const;
const balance = (who: { address: string }, currency = ETH) => p.royalties.royaltiesOf(who.address, currency);

async function domain(): Promise<TypedDataDomain> {
  return royaltiesDomain((await p.ethers.provider.getNetwork()).chainId, await p.royalties.getAddress());
}

async function signReport(signer: HardhatEthersSigner, r: ReturnType<typeof report>, nonce: BigNumberish, deadline: bigint) {
  return signer.signTypedData(await domain(), USAGE_REPORT_TYPES, { ...r, nonce, deadline });
}

async function now(): Promise<bigint> {
  return BigInt((await p.ethers.provider.getBlock("latest"))!.timestamp);
}

// ---------------------------------------------------------------------------------------------------------------------

describe("the treasury's entry points of the DatasetRegistry", () => {
  it("belong to the registry that created it, and licences are granted only for the treasury that sells them", async () => {
    const { stranger } = p.accounts;
    expect(await p.royalties.DATASETS()).toBe(await p.datasets.getAddress());
    expect(await p.datasets.royalties()).toBe(await p.royalties.getAddress());
    await expectRevert(p.datasets.connect(stranger).grantLicence(1n, stranger.address, 1n, stranger.address), p.datasets, "NotTreasury", [stranger.address]);
    await expectRevert(p.royalties.connect(stranger).receiveRefund(stranger.address, stranger.address, ETH, 1n, { value: 1n }), p.royalties, "NotDatasetRegistry", [stranger.address]);
    await expectRevert(p.royalties.connect(stranger).recordRoyaltyParents(1n, 1n, 0n, [{ versionId: 1n, termsId: 1n, bps: 10_000 }]), p.royalties, "NotDatasetRegistry", [stranger.address]);
    expect(await balance(stranger)).toBe(0n);
  });
});

describe("metered usage", () => {
  it("the licensee reports usage and pays for it in the same transaction; usage adds up per licence", async () => {
    const { mlTeam, creator } = p.accounts;
    const m = await metered();
    const tx = p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 7n), { value: 7n * UNIT_PRICE });
    const reportId = await emittedId(tx, p.royalties, "UsageReported", "reportId");
    const [reported] = await eventsOf(tx, p.royalties, "UsageReported");
    expect(normalise([...reported!.args])).toEqual(normalise([1n, m.licenceId, m.versionId, mlTeam.address, 7n, 7n * UNIT_PRICE, 0n, keccakText("logs"), "ipfs://logs", mlTeam.address]));
    const [paid] = await eventsOf(tx, p.royalties, "PaymentReceived");
    expect(normalise([...paid!.args])).toEqual(normalise([m.licenceId, reportId, m.versionId, mlTeam.address, ETH, 7n * UNIT_PRICE]));
    await p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 3n, "more"), { value: 3n * UNIT_PRICE });
    expect(normalise(await p.royalties.usageOf(m.licenceId))).toEqual(normalise([10n, 2n, 10n * UNIT_PRICE]));
    expect(await balance(creator)).toBe(PRICE + 10n * UNIT_PRICE);
    expect(await p.datasets.subjectExists(Subject.UsageReport, reportId)).toBe(true);
    expect(await p.datasets.subjectExists(Subject.UsageReport, 3n)).toBe(false);
  });

  it("refuses, changing nothing: a stranger, unmetered terms, another dataset's version, zero units, wrong ETH, a voided licence", async () => {
    const { mlTeam, stranger, creator } = p.accounts;
    const m = await metered();
    const r = report(m.licenceId, m.versionId, 2n);
    await expectRevert(p.royalties.connect(stranger).reportUsage(r, { value: 2n * UNIT_PRICE }), p.royalties, "NotLicensee", [m.licenceId, stranger.address]);
    const flat = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }]);
    const flatLicence = await buy(mlTeam, flat);
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(flatLicence, flat.versionId, 2n)), p.royalties, "NotMetered", [flatLicence]);
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, flat.versionId, 2n), { value: 2n * UNIT_PRICE }), p.royalties, "VersionNotLicensed", [flat.versionId, m.licenceId]);
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 0n)), p.royalties, "ZeroUnits", []);
    for (const value of [0n, 2n * UNIT_PRICE - 1n, 2n * UNIT_PRICE + 1n]) {
      await expectRevert(p.royalties.connect(mlTeam).reportUsage(r, { value }), p.royalties, "WrongPayment", [2n * UNIT_PRICE, value]);
    }
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(99n, m.versionId, 1n)), p.datasets, "UnknownLicence", [99n]);
    await p.datasets.connect(creator).revokeConsent(m.datasetId, "consent withdrawn");
    await p.datasets.connect(creator).refundLicence(m.licenceId, { value: PRICE });
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(r, { value: 2n * UNIT_PRICE }), p.royalties, "LicenceVoided", [m.licenceId]);
    expect(normalise(await p.royalties.usageOf(m.licenceId))).toEqual(normalise([0n, 0n, 0n]));
    expect(await p.datasets.subjectExists(Subject.UsageReport, 1n)).toBe(false);
  });

  it("draws the deposit first and charges the caller the rest; the licensee alone releases what is left to its balance", async () => {
    const { mlTeam, stranger, creator } = p.accounts;
    const m = await metered();
    await expectRevert(p.royalties.connect(stranger).depositForUsage(m.licenceId, 0n), p.royalties, "ZeroAmount", []);
    await p.royalties.connect(stranger).depositForUsage(m.licenceId, 5n * UNIT_PRICE, { value: 5n * UNIT_PRICE }); // anyone may top it up
    await p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 3n)); // all from the deposit
    expect(await p.royalties.depositOf(m.licenceId)).toBe(2n * UNIT_PRICE);
    const tx = p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 4n, "b"), { value: 2n * UNIT_PRICE });
    const [reported] = await eventsOf(tx, p.royalties, "UsageReported");
    expect(reported!.args.fromDeposit).toBe(2n * UNIT_PRICE);
    expect(await p.royalties.depositOf(m.licenceId)).toBe(0n);
    expect(await balance(creator)).toBe(PRICE + 7n * UNIT_PRICE);

    await p.royalties.connect(mlTeam).depositForUsage(m.licenceId, 10n, { value: 10n });
    await expectRevert(p.royalties.connect(stranger).releaseDeposit(m.licenceId, 10n), p.royalties, "NotLicensee", [m.licenceId, stranger.address]);
    await expectRevert(p.royalties.connect(mlTeam).releaseDeposit(m.licenceId, 11n), p.royalties, "DepositTooSmall", [m.licenceId, 11n, 10n]);
    await expectRevert(p.royalties.connect(mlTeam).releaseDeposit(m.licenceId, 0n), p.royalties, "ZeroAmount", []);
    await p.royalties.connect(mlTeam).releaseDeposit(m.licenceId, 4n);
    expect(await balance(mlTeam)).toBe(4n);
    expect(await p.royalties.depositOf(m.licenceId)).toBe(6n);
    // A voided licence takes no more deposits nor reports, but what is left of its deposit is still the licensee's.
    await p.datasets.connect(creator).revokeConsent(m.datasetId, "consent withdrawn");
    const [refund] = await eventsOf(p.datasets.connect(creator).refundLicence(m.licenceId, { value: PRICE }), p.datasets, "LicenceRefunded");
    await expectRevert(p.royalties.connect(stranger).depositForUsage(m.licenceId, 1n, { value: 1n }), p.royalties, "LicenceVoided", [m.licenceId]);
    await p.royalties.connect(mlTeam).releaseDeposit(m.licenceId, 6n);
    expect(await balance(mlTeam)).toBe((refund!.args.amount as bigint) + 10n);
    expect(await p.ethers.provider.getBalance(await p.royalties.getAddress())).toBe((await balance(creator)) + (await balance(mlTeam)));
  });

  it("refuses a deposit with the wrong ETH, ETH for a token licence, or for an unmetered licence, changing nothing", async () => {
    const { admin, mlTeam, stranger, creator } = p.accounts;
    const m = await metered();
    for (const value of [0n, 99n, 101n]) {
      await expectRevert(p.royalties.connect(stranger).depositForUsage(m.licenceId, 100n, { value }), p.royalties, "WrongPayment", [100n, value]);
    }
    const token = await new TestToken__factory(admin).deploy();
    const t = await metered({ currency: await token.getAddress(), price: 0n });
    await expectRevert(p.royalties.connect(mlTeam).depositForUsage(t.licenceId, 100n, { value: 100n }), p.royalties, "UnexpectedEther", [100n]);
    const flat = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }]);
    const flatLicence = await buy(mlTeam, flat);
    await expectRevert(p.royalties.connect(mlTeam).depositForUsage(flatLicence, 100n, { value: 100n }), p.royalties, "NotMetered", [flatLicence]);
    expect([await p.royalties.depositOf(m.licenceId), await p.royalties.depositOf(t.licenceId), await p.royalties.depositOf(flatLicence)]).toEqual([0n, 0n, 0n]);
  });

  it("takes ERC-20 usage payments and deposits from an allowance to the treasury, and refuses fee-on-transfer tokens", async () => {
    const { admin, mlTeam, creator } = p.accounts;
    const token = await new TestToken__factory(admin).deploy();
    const m = await metered({ currency: await token.getAddress(), price: 0n });
    await token.mint(mlTeam.address, 10_000n);
    await token.connect(mlTeam).approve(await p.royalties.getAddress(), 10_000n);
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 1n), { value: 1n }), p.royalties, "UnexpectedEther", [1n]);
    await p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 2n));
    await p.royalties.connect(mlTeam).depositForUsage(m.licenceId, 500n);
    expect(await token.balanceOf(await p.royalties.getAddress())).toBe(2n * UNIT_PRICE + 500n);
    expect(await balance(creator, await token.getAddress())).toBe(2n * UNIT_PRICE);

    const fee = await new FeeOnTransferToken__factory(admin).deploy();
    const f = await metered({ currency: await fee.getAddress(), price: 0n });
    await fee.mint(mlTeam.address, 10_000n);
    await fee.connect(mlTeam).approve(await p.royalties.getAddress(), 10_000n);
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(f.licenceId, f.versionId, 1n)), p.royalties, "TransferShortfall", [await fee.getAddress(), UNIT_PRICE, UNIT_PRICE - 10n]);
    await expectRevert(p.royalties.connect(mlTeam).depositForUsage(f.licenceId, 1_000n), p.royalties, "TransferShortfall", [await fee.getAddress(), 1_000n, 990n]);
    expect(await fee.balanceOf(mlTeam.address)).toBe(10_000n);
    expect(normalise(await p.royalties.usageOf(f.licenceId))).toEqual(normalise([0n, 0n, 0n]));
  });
  it("refuses a report costing 2^128 or more instead of recording a truncated amount paid; just below, records it exactly", async () => {
    const { admin, mlTeam, creator } = p.accounts;
    const token = await new TestToken__factory(admin).deploy();
    const unitPrice = 2n ** 96n - 1n; // the largest unit price terms take
    const m = await metered({ currency: await token.getAddress(), price: 0n, unitPrice });
    const tooMuch = (2n ** 32n + 1n) * unitPrice; // ≥ 2^128
    await token.mint(mlTeam.address, tooMuch);
    await token.connect(mlTeam).approve(await p.royalties.getAddress(), tooMuch);
    await expectRevert(p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 2n ** 32n + 1n)), p.royalties, "SafeCastOverflowedUintDowncast", [128n, tooMuch]);
    expect(normalise(await p.royalties.usageOf(m.licenceId))).toEqual(normalise([0n, 0n, 0n]));
    expect(await token.balanceOf(mlTeam.address)).toBe(tooMuch);

    const fits = 2n ** 32n * unitPrice; // < 2^128
    await p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 2n ** 32n));
    expect(normalise(await p.royalties.usageOf(m.licenceId))).toEqual(normalise([2n ** 32n, 1n, fits]));
    expect(await balance(creator, await token.getAddress())).toBe(fits);
  });
});

describe("usage reports signed by the licensee (EIP-712) and relayed", () => {
  it("relays once; refuses a replay, a cancelled nonce, an expired or too distant deadline and another signer", async () => {
    const { mlTeam, relayer, stranger } = p.accounts;
    const m = await metered();
    await p.royalties.connect(mlTeam).depositForUsage(m.licenceId, 100n * UNIT_PRICE, { value: 100n * UNIT_PRICE });
    const r = report(m.licenceId, m.versionId, 5n);
    const deadline = (await now()) + 3_600n;
    // The digest the treasury verifies is the EIP-712 hash ethers computes from the SDK's typed data.
    expect(await p.royalties.usageReportDigest(r, 0n, deadline)).toBe(TypedDataEncoder.hash(await domain(), USAGE_REPORT_TYPES, { ...r, nonce: 0n, deadline }));
    const signature = await signReport(mlTeam, r, 0n, deadline);
    const tx = p.royalties.connect(relayer).reportUsageBySig(r, 0n, deadline, signature);
    const [reported] = await eventsOf(tx, p.royalties, "UsageReported");
    expect([reported!.args.licensee, reported!.args.submittedBy, reported!.args.fromDeposit]).toEqual([mlTeam.address, relayer.address, 5n * UNIT_PRICE]);
    await expectRevert(p.royalties.connect(relayer).reportUsageBySig(r, 0n, deadline, signature), p.royalties, "InvalidAccountNonce", [mlTeam.address, 1n]);

    const byStranger = await signReport(stranger, r, 1n, deadline);
    await expectRevert(p.royalties.connect(relayer).reportUsageBySig(r, 1n, deadline, byStranger), p.royalties, "SignatureNotByLicensee", [mlTeam.address]);
    const altered = await signReport(mlTeam, r, 1n, deadline);
    await expectRevert(p.royalties.connect(relayer).reportUsageBySig({ ...r, units: 1n }, 1n, deadline, altered), p.royalties, "SignatureNotByLicensee", [mlTeam.address]);
    await p.royalties.connect(mlTeam).cancelUsageNonce();
    await expectRevert(p.royalties.connect(relayer).reportUsageBySig(r, 1n, deadline, altered), p.royalties, "InvalidAccountNonce", [mlTeam.address, 2n]);

    const past = (await now()) - 1n;
    await expectRevert(p.royalties.connect(relayer).reportUsageBySig(r, 2n, past, await signReport(mlTeam, r, 2n, past)), p.royalties, "SignatureExpired", [past]);
    const far = (await now()) + 31n * 86_400n;
    const farError = await expectRevert(p.royalties.connect(relayer).reportUsageBySig(r, 2n, far, await signReport(mlTeam, r, 2n, far)), p.royalties, "DeadlineTooFar");
    expect(farError[0]).toBe(far);
    expect((await p.royalties.usageOf(m.licenceId)).reports).toBe(1n);
  });

  it("accepts a report signed by a smart-contract wallet (ERC-1271) holding the licence", async () => {
    const { mlTeam, relayer, creator } = p.accounts;
    const wallet = await new TestWallet__factory(mlTeam).deploy(mlTeam.address);
    const walletAddress = await wallet.getAddress();
    const d = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }], { unitPrice: UNIT_PRICE, unit: "samples", price: 0n });
    const licenceId = await emittedId(p.royalties.connect(mlTeam).acquireLicence(d.datasetId, walletAddress, d.termsId), p.datasets, "LicenceAcquired", "licenceId");
    const r = report(licenceId, d.versionId, 2n);
    const deadline = (await now()) + 3_600n;
    await expectRevert(
      p.royalties.connect(relayer).reportUsageBySig(r, 0n, deadline, await signReport(relayer, r, 0n, deadline), { value: 2n * UNIT_PRICE }),
      p.royalties,
      "SignatureNotByLicensee",
      [walletAddress],
    );
    await p.royalties.connect(relayer).reportUsageBySig(r, 0n, deadline, await signReport(mlTeam, r, 0n, deadline), { value: 2n * UNIT_PRICE });
    expect((await p.royalties.usageOf(licenceId)).units).toBe(2n);
    expect(await balance(creator)).toBe(2n * UNIT_PRICE);
  });
});

describe("contributors", () => {
  it("the dataset's owner or its operator names them once; a stranger or a single-token approval cannot", async () => {
    const { creator, stranger, steward, approver } = p.accounts;
    const d = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }]);
    const contributors = [{ account: steward.address, bps: 1_000, roleHash: keccakText("labelling") }];
    await expectRevert(p.royalties.connect(stranger).setContributors(d.versionId, contributors), p.royalties, "NotVersionOwner", [d.versionId, stranger.address]);
    await p.datasets.connect(creator).approve(stranger.address, d.datasetId);
    await expectRevert(p.royalties.connect(stranger).setContributors(d.versionId, contributors), p.royalties, "NotVersionOwner", [d.versionId, stranger.address]);
    await expectRevert(p.royalties.connect(creator).setContributors(99n, contributors), p.datasets, "UnknownDatasetVersion", [99n]);
    await p.datasets.connect(creator).setApprovalForAll(approver.address, true);
    const [set] = await eventsOf(p.royalties.connect(approver).setContributors(d.versionId, contributors), p.royalties, "ContributorsSet");
    expect(set!.args.setBy).toBe(approver.address);
    await expectRevert(p.royalties.connect(creator).setContributors(d.versionId, contributors), p.royalties, "ContributorsAlreadySet", [d.versionId]);
    const [shape, , named] = await p.royalties.royaltiesOfVersion(d.versionId);
    expect([shape.contributorCount, shape.contributorBps]).toEqual([1n, 1_000n]);
    expect(normalise(named.map((c) => [...c]))).toEqual(normalise([[steward.address, 1_000n, keccakText("labelling")]]));
  });

  it("refuses an empty list, more than eight, a zero account or share, and shares above 10 000 bps", async () => {
    const { creator, steward } = p.accounts;
    const d = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }]);
    const one = (bps: number, account = steward.address) => ({ account, bps, roleHash: ZERO_HASH });
    await expectRevert(p.royalties.connect(creator).setContributors(d.versionId, []), p.royalties, "ContributorCountOutOfRange", [0n, 8n]);
    await expectRevert(p.royalties.connect(creator).setContributors(d.versionId, Array(9).fill(one(100))), p.royalties, "ContributorCountOutOfRange", [9n, 8n]);
    await expectRevert(p.royalties.connect(creator).setContributors(d.versionId, [one(100), one(100, ETH)]), p.royalties, "InvalidContributor", [1n]);
    await expectRevert(p.royalties.connect(creator).setContributors(d.versionId, [one(0)]), p.royalties, "InvalidContributor", [0n]);
    await expectRevert(p.royalties.connect(creator).setContributors(d.versionId, [one(6_000), one(4_001)]), p.royalties, "ContributorSharesExceedTotal", [10_001n]);
  });

  it("take their share of every payment to their version after derivation royalties; the splits take the rest", async () => {
    const { creator, steward, approver, mlTeam } = p.accounts;
    const m = await metered();
    await p.royalties.connect(creator).setContributors(m.versionId, [
      { account: steward.address, bps: 1_500, roleHash: keccakText("cleaning") },
      { account: approver.address, bps: 333, roleHash: keccakText("verification") },
    ]);
    const cost = 12_345n * UNIT_PRICE;
    await p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 12_345n), { value: cost });
    expect(await balance(steward)).toBe(share(cost, 1_500));
    expect(await balance(approver)).toBe(share(cost, 333));
    expect(await balance(creator)).toBe(PRICE + cost - share(cost, 1_500) - share(cost, 333));
  });
});

describe("derivation royalties", () => {
  /** Parent A (creator, 60/40 with the steward) asks 20 % of derivatives; B (creator2) derives from it, asks 10 %; C from B. */
  async function lineage() {
    const { creator, creator2, steward, stranger } = p.accounts;
    const a = await dataset(creator, [{ recipient: creator.address, bps: 6_000 }, { recipient: steward.address, bps: 4_000 }], { derivativeRoyaltyBps: 2_000, unitPrice: UNIT_PRICE, unit: "samples" });
    const b = await dataset(creator2, [{ recipient: creator2.address, bps: 10_000 }], { derivativeRoyaltyBps: 1_000 }, [{ versionId: a.versionId, licenceId: await buy(creator2, a) }]);
    const c = await dataset(stranger, [{ recipient: stranger.address, bps: 10_000 }], { unitPrice: UNIT_PRICE, unit: "tokens" }, [{ versionId: b.versionId, licenceId: await buy(stranger, b) }]);
    return { a, b, c };
  }

  it("a sale of a two-level derivative pays each ancestor its share, recursively, contributors included, to the last wei", async () => {
    const { creator, creator2, steward, stranger, mlTeam, evaluator, approver } = p.accounts;
    const { a, b, c } = await lineage();
    // Contributors at both ancestors: the evaluator 0.01 % of what reaches A, the approver 3.33 % of what B keeps.
    await p.royalties.connect(creator).setContributors(a.versionId, [{ account: evaluator.address, bps: 1, roleHash: keccakText("verification") }]);
    await p.royalties.connect(creator2).setContributors(b.versionId, [{ account: approver.address, bps: 333, roleHash: keccakText("labelling") }]);
    const price = 999_999_999_999_999_999n; // every share below rounds down
    await p.datasets.connect(stranger).setTerms(c.datasetId, terms([{ recipient: stranger.address, bps: 10_000 }], { price }));
    const termsId = (await p.datasets.getDataset(c.datasetId)).currentTermsId;
    const tx = p.royalties.connect(mlTeam).acquireLicence(c.datasetId, mlTeam.address, termsId, { value: price });
    const licenceId = await emittedId(tx, p.datasets, "LicenceAcquired", "licenceId");

    const toB = share(price, 1_000);
    const toA = share(toB, 2_000);
    const toEvaluator = share(toA, 1);
    const toSteward = share(toA - toEvaluator, 4_000);
    const toApprover = share(toB - toA, 333);
    const hops = await eventsOf(tx, p.royalties, "DerivationRoyaltyPaid");
    expect(hops.map((h) => [h.args.licenceId, h.args.reportId, h.args.versionId, h.args.parentVersionId, h.args.termsId, h.args.bps, h.args.amount])).toEqual([
      [licenceId, 0n, c.versionId, b.versionId, b.termsId, 1_000n, toB],
      [licenceId, 0n, b.versionId, a.versionId, a.termsId, 2_000n, toA],
    ]);
    // Settled depth first: A's contributor and splits (the first recipient taking the remainder), then B's, then C's.
    const credited = await eventsOf(tx, p.royalties, "RoyaltyCredited");
    expect(credited.map((e) => [e.args.recipient, e.args.licenceId, e.args.reportId, e.args.versionId, e.args.kind, e.args.amount])).toEqual([
      [evaluator.address, licenceId, 0n, a.versionId, ShareKind.Contribution, toEvaluator],
      [steward.address, licenceId, 0n, a.versionId, ShareKind.Split, toSteward],
      [creator.address, licenceId, 0n, a.versionId, ShareKind.Split, toA - toEvaluator - toSteward],
      [approver.address, licenceId, 0n, b.versionId, ShareKind.Contribution, toApprover],
      [creator2.address, licenceId, 0n, b.versionId, ShareKind.Split, toB - toA - toApprover],
      [stranger.address, licenceId, 0n, c.versionId, ShareKind.Split, price - toB],
    ]);
    expect(credited.reduce((sum, e) => sum + (e.args.amount as bigint), 0n)).toBe(price);
    expect(await balance(evaluator)).toBe(toEvaluator);
    expect(await balance(approver)).toBe(toApprover);
  });

  it("a usage report of the derivative pays up the lineage too", async () => {
    const { creator2, mlTeam } = p.accounts;
    const { a, b, c } = await lineage();
    const licenceId = await buy(mlTeam, c);
    const before = await balance(creator2);
    const tx = p.royalties.connect(mlTeam).reportUsage(report(licenceId, c.versionId, 1_000n), { value: 1_000n * UNIT_PRICE });
    const reportId = await emittedId(tx, p.royalties, "UsageReported", "reportId");
    const toB = share(1_000n * UNIT_PRICE, 1_000);
    const hops = await eventsOf(tx, p.royalties, "DerivationRoyaltyPaid");
    expect(hops.map((h) => [h.args.licenceId, h.args.reportId, h.args.parentVersionId, h.args.amount])).toEqual([
      [licenceId, reportId, b.versionId, toB],
      [licenceId, reportId, a.versionId, share(toB, 2_000)],
    ]);
    expect((await balance(creator2)) - before).toBe(toB - share(toB, 2_000));
    const [shape, parents] = await p.royalties.royaltiesOfVersion(c.versionId);
    expect([shape.depth, shape.ancestors, shape.parentBps]).toEqual([2n, 2n, 1_000n]);
    expect(normalise(parents.map((x) => [...x]))).toEqual(normalise([[b.versionId, b.termsId, 1_000n]]));
  });

  it("a later version without parents, and a version derived from own data, still pay the royalty parents", async () => {
    const { creator2, mlTeam } = p.accounts;
    const { a, b } = await lineage();
    const v2 = await emittedId(p.datasets.connect(creator2).publishVersion(b.datasetId, datasetVersion(), [], [], ZERO_HASH), p.datasets, "DatasetVersionPublished", "versionId");
    const [, inherited] = await p.royalties.royaltiesOfVersion(v2);
    expect(inherited.map((x) => x.versionId)).toEqual([a.versionId]);
    const sale = p.royalties.connect(mlTeam).acquireLicence(b.datasetId, mlTeam.address, b.termsId, { value: PRICE });
    const [paid] = await eventsOf(sale, p.royalties, "PaymentReceived");
    expect(paid!.args.versionId).toBe(v2); // a sale is settled on the latest version
    const saleHops = await eventsOf(sale, p.royalties, "DerivationRoyaltyPaid");
    expect(saleHops.map((h) => [h.args.versionId, h.args.parentVersionId, h.args.amount])).toEqual([[v2, a.versionId, share(PRICE, 2_000)]]);
    const own = await dataset(creator2, [{ recipient: creator2.address, bps: 10_000 }], {}, [{ versionId: v2, licenceId: 0n }]);
    const [, ownInherited] = await p.royalties.royaltiesOfVersion(own.versionId);
    expect(ownInherited.map((x) => [x.versionId, x.bps])).toEqual([[a.versionId, 2_000n]]);
    const hops = await eventsOf(p.royalties.connect(mlTeam).acquireLicence(own.datasetId, mlTeam.address, own.termsId, { value: PRICE }), p.royalties, "DerivationRoyaltyPaid");
    expect(hops.map((h) => h.args.parentVersionId)).toEqual([a.versionId]);
  });

  it("refuses royalty parents asking more than the whole payment, and terms asking more than 10 000 bps", async () => {
    const { creator, creator2, stranger } = p.accounts;
    const greedy = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }], { derivativeRoyaltyBps: 6_000 });
    const greedier = await dataset(creator2, [{ recipient: creator2.address, bps: 10_000 }], { derivativeRoyaltyBps: 5_000 });
    const licences = [await buy(stranger, greedy), await buy(stranger, greedier)];
    const register = p.datasets.connect(stranger).registerDataset(datasetVersion(), [greedy.versionId, greedier.versionId], licences, ZERO_HASH);
    await expectRevert(register, p.royalties, "RoyaltySharesExceedTotal", [3n, 11_000n]);
    await expectRevert(p.datasets.connect(creator).setTerms(greedy.datasetId, terms([{ recipient: creator.address, bps: 10_000 }], { derivativeRoyaltyBps: 10_001 })), p.datasets, "DerivativeRoyaltyTooLarge", [10_001n]);
    await expectRevert(p.datasets.connect(creator).setTerms(greedy.datasetId, terms([], { price: 0n, derivativeRoyaltyBps: 1 })), p.datasets, "EmptySplits", []);
    await expectRevert(p.datasets.connect(creator).setTerms(greedy.datasetId, terms([], { price: 0n, unitPrice: 1n, unit: "x" })), p.datasets, "EmptySplits", []);
  });

  it(`bounds the lineage a payment walks: depth at most 4, ancestors at most 16 (RoyaltyLineageTooDeep, RoyaltyLineageTooWide)`, async () => {
    const [, , , , , , , , , , ...owners] = await p.ethers.getSigners();
    // A chain: each dataset derived from the previous one, asking 1 % of its derivatives.
    let previous = await dataset(owners[0]!, [{ recipient: owners[0]!.address, bps: 10_000 }], { derivativeRoyaltyBps: 100 });
    for (let depth = 1; depth <= 4; depth++) {
      const owner = owners[depth]!;
      previous = await dataset(owner, [{ recipient: owner.address, bps: 10_000 }], { derivativeRoyaltyBps: 100 }, [{ versionId: previous.versionId, licenceId: await buy(owner, previous) }]);
    }
    expect((await p.royalties.royaltiesOfVersion(previous.versionId))[0].depth).toBe(4n);
    const fifth = owners[5]!;
    const tooDeep = p.datasets.connect(fifth).registerDataset(datasetVersion(), [previous.versionId], [await buy(fifth, previous)], ZERO_HASH);
    await expectRevert(tooDeep, p.royalties, "RoyaltyLineageTooDeep", [previous.versionId + 1n, 5n, 4n]);

    // Width: 17 parents each asking 1 % is past 16 ancestors.
    const parents: { versionId: bigint; licenceId: bigint }[] = [];
    const buyer = owners[6]!;
    for (let i = 0; i < 17; i++) {
      const d = await dataset(owners[7]!, [{ recipient: owners[7]!.address, bps: 10_000 }], { derivativeRoyaltyBps: 100 });
      parents.push({ versionId: d.versionId, licenceId: await buy(buyer, d) });
    }
    const wide = p.datasets.connect(buyer).registerDataset(datasetVersion(), parents.map((x) => x.versionId), parents.map((x) => x.licenceId), ZERO_HASH);
    const [versionId, ancestors] = await expectRevert(wide, p.royalties, "RoyaltyLineageTooWide");
    expect(ancestors).toBe(17n);
    expect(versionId).toBeGreaterThan(0n);
  });
});

describe("what hostile accounts and tokens cannot do", () => {
  it("a re-entrant recipient withdraws its balance exactly once", async () => {
    const { admin, mlTeam } = p.accounts;
    const attacker = await new ReentrantRecipient__factory(admin).deploy(await p.royalties.getAddress());
    const d = await dataset(p.accounts.creator, [{ recipient: await attacker.getAddress(), bps: 10_000 }], { unitPrice: UNIT_PRICE, unit: "samples" });
    const licenceId = await buy(mlTeam, d);
    await p.royalties.connect(mlTeam).reportUsage(report(licenceId, d.versionId, 1n), { value: UNIT_PRICE });
    await attacker.withdraw();
    expect(await attacker.reentryAttempts()).toBe(1n);
    expect(await attacker.reentrySucceeded()).toBe(false);
    expect(p.royalties.interface.parseError(await attacker.reentryError())?.name).toBe("ReentrancyGuardReentrantCall");
    expect(await p.ethers.provider.getBalance(await attacker.getAddress())).toBe(PRICE + UNIT_PRICE);
    expect(await p.ethers.provider.getBalance(await p.royalties.getAddress())).toBe(0n);
  });

  it("a malicious token re-entering the treasury while it is pulled for a sale, a usage report or a deposit is refused by the guard", async () => {
    const { admin, mlTeam, creator } = p.accounts;
    const token = await new ReentrantToken__factory(admin).deploy();
    const currency = await token.getAddress();
    const treasuryAddress = await p.royalties.getAddress();
    const licencePrice = 500n;
    const d = await dataset(creator, [{ recipient: creator.address, bps: 10_000 }], { currency, price: licencePrice, unitPrice: UNIT_PRICE, unit: "samples" });
    await token.mint(mlTeam.address, 10n ** 9n);
    await token.connect(mlTeam).approve(treasuryAddress, 10n ** 9n);
    const licenceId = await emittedId(p.royalties.connect(mlTeam).acquireLicence(d.datasetId, mlTeam.address, d.termsId), p.datasets, "LicenceAcquired", "licenceId");

    const treasury = p.royalties.interface;
    const reentries = [
      treasury.encodeFunctionData("reportUsage", [report(licenceId, d.versionId, 1n)]),
      treasury.encodeFunctionData("depositForUsage", [licenceId, 1n]),
      treasury.encodeFunctionData("withdrawRoyalties", [currency, creator.address]),
    ];
    const entries = [
      () => p.royalties.connect(mlTeam).acquireLicence(d.datasetId, mlTeam.address, d.termsId),
      () => p.royalties.connect(mlTeam).reportUsage(report(licenceId, d.versionId, 2n)),
      () => p.royalties.connect(mlTeam).depositForUsage(licenceId, 7n),
    ];
    let attempts = 0n;
    for (const data of reentries) {
      for (const entry of entries) {
        await token.arm(treasuryAddress, data);
        await entry();
        expect(await token.reentryAttempts()).toBe(++attempts);
        expect(await token.reentrySucceeded()).toBe(false);
        expect(treasury.parseError(await token.reentryError())?.name).toBe("ReentrancyGuardReentrantCall");
      }
    }
    // Four sales, three reports of two units (the last two drawing the 7 deposited before), 7 left on deposit.
    const paid = 4n * licencePrice + 6n * UNIT_PRICE;
    expect(normalise(await p.royalties.usageOf(licenceId))).toEqual(normalise([6n, 3n, 6n * UNIT_PRICE]));
    expect(await p.royalties.depositOf(licenceId)).toBe(7n);
    expect(await balance(creator, currency)).toBe(paid);
    expect(await token.balanceOf(treasuryAddress)).toBe(paid + 7n);
    expect(await token.balanceOf(mlTeam.address)).toBe(10n ** 9n - paid - 7n);
  });

  it("an auditor disputes a usage report with a usage-dispute attestation; others, and unknown reports, are refused", async () => {
    const { mlTeam, auditor, evaluator } = p.accounts;
    const m = await metered();
    const reportId = await emittedId(p.royalties.connect(mlTeam).reportUsage(report(m.licenceId, m.versionId, 1n), { value: UNIT_PRICE }), p.royalties, "UsageReported", "reportId");
    const dispute = attestation(Subject.UsageReport, reportId, Kind.UsageDispute);
    const attested = await emittedId(p.attestations.connect(auditor).attest(dispute), p.attestations, "Attested", "id");
    expect((await p.attestations.getAttestation(attested)).subjectId).toBe(reportId);
    await expectRevert(p.attestations.connect(evaluator).attest(dispute), p.attestations, "MissingAttesterRole", [evaluator.address, Kind.UsageDispute, await p.attestations.AUDITOR_ROLE()]);
    await expectRevert(p.attestations.connect(auditor).attest(attestation(Subject.UsageReport, 2n, Kind.UsageDispute)), p.attestations, "UnknownSubject", [Subject.UsageReport, 2n]);
  });
});
