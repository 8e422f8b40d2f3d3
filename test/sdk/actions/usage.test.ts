/**
 * The SDK's royalty actions on a real chain: metered terms with a derivative royalty, contributors, deposits, usage
 * reports paid and relayed (EIP-712), and everything refused before it is sent (bad input, another chain or treasury,
 * an altered document) or by the treasury (wrong account, replay) with a one-line message.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, id, parseEther } from "ethers";
import { InvalidInputError } from "../../../src/core/errors.ts";
import { TestToken__factory, type TestToken } from "../../../types/index.ts";
import {
  PedigreeContractError,
  WrongContractError,
  WrongNetworkError,
  cancelUsageNonce,
  depositForUsage,
  registerDataset,
  relayUsageReport,
  releaseDeposit,
  reportUsage,
  royaltiesOf,
  royaltiesOfVersion,
  setContributors,
  signUsageReport,
  usageOf,
  acquireLicence,
  publishDatasetVersion,
  refundLicence,
  revokeConsent,
  usageCost,
  withdrawRoyalties,
  USAGE_REPORT_TYPES,
  parseSignedUsageReport,
  royaltiesDomain,
  type PedigreeClient,
} from "../../../src/sdk/index.ts";
import { usageReportMessage } from "../../../src/sdk/signedUsageReport.ts";
import { caught, ethTerms, licensedDataset, newDatasetVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

let f: SdkFixture;
/** A metered parent (1 000 wei per sample, 20 % of derivatives), a dataset derived from it, licensed by the ML team. */
let ids: { parentVersionId: bigint; derivedVersionId: bigint; licenceId: bigint };

beforeAll(async () => {
  f = await sdkFixture();
  const { creator, creator2, mlTeam } = f.clients;
  const parent = await licensedDataset(creator, creator2, { usage: { unitPrice: 1_000n, unit: "samples" }, derivativeRoyaltyBps: 2_000 });
  const derived = await registerDataset(creator2, {
    version: newDatasetVersion(),
    parents: [{ versionId: parent.versionId, licenceId: parent.licenceId }],
    terms: ethTerms(f.accounts.creator2.address, { price: parseEther("0.1"), usage: { unitPrice: 500n, unit: "inference-calls" } }),
  });
  const { licenceId } = await acquireLicence(mlTeam, { datasetId: derived.datasetId });
  ids = { parentVersionId: parent.versionId, derivedVersionId: derived.versionId, licenceId };
}, 120_000);

describe("royalties by use and down the lineage, through the SDK", () => {
  it("names contributors, then reports usage paid from a deposit and by the licensee; usageOf and royaltiesOfVersion agree", async () => {
    const { creator2, mlTeam } = f.clients;
    const named = await setContributors(creator2, { versionId: ids.derivedVersionId, contributors: [{ account: f.accounts.steward.address, bps: 1_000, role: "labelling" }] });
    expect(named.contributors[0]!.roleHash).toMatch(/^0x[0-9a-f]{64}$/);
    await depositForUsage(mlTeam, { licenceId: ids.licenceId, amount: 100_000n });
    const fromDeposit = await reportUsage(mlTeam, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 150n, evidence: { hash: `0x${"ab".repeat(32)}`, uri: "ipfs://usage-1" } });
    expect([fromDeposit.cost, fromDeposit.fromDeposit]).toEqual([75_000n, 75_000n]);
    const paid = await reportUsage(mlTeam, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 100n });
    expect([paid.cost, paid.fromDeposit]).toEqual([50_000n, 25_000n]); // the deposit's last 25 000, the licensee the rest
    const usage = await usageOf(mlTeam, ids.licenceId);
    expect(usage).toMatchObject({ currency: ZeroAddress, unit: "inference-calls", unitPrice: 500n, units: 250n, reports: 2n, paid: 125_000n, deposit: 0n });
    const shape = await royaltiesOfVersion(mlTeam, ids.derivedVersionId);
    expect(shape.royaltyParents).toEqual([{ versionId: ids.parentVersionId, termsId: 1n, bps: 2_000 }]);
    expect(shape.contributors.map((c) => [c.account, c.bps])).toEqual([[f.accounts.steward.address, 1_000]]);
    // 20 % of 125 000 went up the lineage; the steward took 10 % of the rest.
    expect(await royaltiesOf(mlTeam, { account: f.accounts.steward.address })).toBe(10_000n);
  });

  it("relays a report the licensee signed once; refuses a replay, a cancelled nonce, and documents for elsewhere or altered", async () => {
    const { mlTeam, relayer } = f.clients;
    const signed = await signUsageReport(mlTeam, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 10n });
    const relayed = await relayUsageReport(relayer, JSON.stringify(signed));
    expect(relayed.units).toBe(10n);
    const replay = await caught(relayUsageReport(relayer, signed));
    expect(replay).toBeInstanceOf(PedigreeContractError);
    expect((replay as Error).message).toMatch(/^InvalidAccountNonce: /);

    const next = await signUsageReport(mlTeam, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 11n });
    expect(await caught(relayUsageReport(relayer, { ...next, chainId: "1" }))).toBeInstanceOf(WrongNetworkError);
    expect(await caught(relayUsageReport(relayer, { ...next, contract: f.addresses.datasets }))).toBeInstanceOf(WrongContractError);
    const altered = await caught(relayUsageReport(relayer, { ...next, report: { ...next.report, units: "1" } }));
    expect(altered).toBeInstanceOf(InvalidInputError);
    expect((altered as Error).message).toMatch(/^the signature is not .*'s signature of this usage report/);
    await cancelUsageNonce(mlTeam);
    expect((await caught(relayUsageReport(relayer, next)) as Error).message).toMatch(/^InvalidAccountNonce: /);
  });

  it("refuses before sending: zero units, a stranger signing, bad contributors; the treasury refuses the wrong accounts", async () => {
    const { mlTeam, stranger, creator2 } = f.clients;
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    expect((await caught(reportUsage(mlTeam, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 0n })) as InvalidInputError).field).toBe("units");
    expect((await caught(signUsageReport(stranger, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 1n })) as Error).message).toMatch(/is held by .* not by the signer/);
    expect((await caught(setContributors(creator2, { versionId: ids.derivedVersionId, contributors: [] })) as InvalidInputError).field).toBe("contributors");
    expect((await caught(setContributors(creator2, { versionId: 1n, contributors: [{ account: f.accounts.stranger.address, bps: 6_000, role: "a" }, { account: f.accounts.admin.address, bps: 5_000, role: "b" }] })) as Error).message).toMatch(/11000 bps/);
    expect((await caught(depositForUsage(mlTeam, { licenceId: ids.licenceId, amount: 0n })) as InvalidInputError).field).toBe("amount");
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);

    const notLicensee = await caught(reportUsage(stranger, { licenceId: ids.licenceId, versionId: ids.derivedVersionId, units: 1n }));
    expect((notLicensee as Error).message).toBe(`NotLicensee: ${f.accounts.stranger.address} does not hold licence ${ids.licenceId}. Report usage (or release a deposit) as the licensee, or relay a report the licensee signed (signUsageReport).`);
    const notOwner = await caught(setContributors(stranger, { versionId: ids.parentVersionId, contributors: [{ account: f.accounts.stranger.address, bps: 100, role: "x" }] }));
    expect((notOwner as PedigreeContractError).errorName).toBe("NotVersionOwner");
    const release = await caught(releaseDeposit(stranger, { licenceId: ids.licenceId, amount: 1n }));
    expect((release as PedigreeContractError).errorName).toBe("NotLicensee");
  });
});

describe("usage paid in an ERC-20, and everything the treasury would refuse refused before anything is sent", () => {
  let token: TestToken;
  let tokenAddress: string;
  /** A dataset priced 10 token units per sample (free licence), licensed by the ML team. */
  let metered: { datasetId: bigint; versionId: bigint; licenceId: bigint };

  const allowance = (owner: string) => token.allowance(owner, f.addresses.royalties);
  const txCount = (account: string) => f.protocol.ethers.provider.getTransactionCount(account);

  beforeAll(async () => {
    token = await new TestToken__factory(f.accounts.admin).deploy();
    tokenAddress = await token.getAddress();
    for (const holder of [f.accounts.mlTeam, f.accounts.relayer]) await (await token.mint(holder.address, 1_000_000n)).wait();
    const registered = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, { currency: tokenAddress, price: 0n, usage: { unitPrice: 10n, unit: "samples" } }),
    });
    const { licenceId } = await acquireLicence(f.clients.mlTeam, { datasetId: registered.datasetId });
    metered = { datasetId: registered.datasetId, versionId: registered.versionId, licenceId };
  }, 60_000);

  it("deposits and reports approving the treasury for exactly what is due; a relayer pays the rest of a signed report", async () => {
    const { mlTeam, relayer, creator } = f.clients;
    const deposit = await depositForUsage(relayer, { licenceId: metered.licenceId, amount: 300n }); // anyone may prepay
    expect(deposit.approval).toBeDefined();
    expect([deposit.currency, deposit.amount, deposit.deposit]).toEqual([tokenAddress, 300n, 300n]);
    expect(await usageCost(mlTeam, metered.licenceId, 50n)).toEqual({ currency: tokenAddress, cost: 500n, due: 200n });

    const before = await token.balanceOf(f.accounts.mlTeam.address);
    const report = await reportUsage(mlTeam, { licenceId: metered.licenceId, versionId: metered.versionId, units: 50n });
    expect([report.cost, report.fromDeposit]).toEqual([500n, 300n]);
    const approval = await f.protocol.ethers.provider.getTransactionReceipt(report.approval!.hash);
    expect(approval?.to).toBe(tokenAddress);
    expect(before - (await token.balanceOf(f.accounts.mlTeam.address))).toBe(200n); // the deposit paid the rest
    expect(await allowance(f.accounts.mlTeam.address)).toBe(0n); // approved exactly what was pulled

    const signed = await signUsageReport(mlTeam, { licenceId: metered.licenceId, versionId: metered.versionId, units: 7n });
    const relayerBefore = await token.balanceOf(f.accounts.relayer.address);
    const relayed = await relayUsageReport(relayer, signed);
    expect([relayed.cost, relayed.fromDeposit, relayed.approval !== undefined]).toEqual([70n, 0n, true]);
    expect(relayerBefore - (await token.balanceOf(f.accounts.relayer.address))).toBe(70n);

    expect(await usageOf(creator, metered.licenceId)).toMatchObject({ currency: tokenAddress, unit: "samples", units: 57n, reports: 2n, paid: 570n, deposit: 0n });
    expect((await withdrawRoyalties(creator, { currency: tokenAddress })).amount).toBe(570n);
    expect(await token.balanceOf(f.addresses.royalties)).toBe(0n); // every unit paid went out again: no dust
  });

  it("releases a deposit to the licensee only, never more than is left", async () => {
    const { mlTeam, relayer } = f.clients;
    await depositForUsage(relayer, { licenceId: metered.licenceId, amount: 100n });
    const released = await releaseDeposit(mlTeam, { licenceId: metered.licenceId, amount: 40n });
    expect([released.amount, released.deposit]).toEqual([40n, 60n]);
    expect(await royaltiesOf(mlTeam, { currency: tokenAddress })).toBe(40n);
    const tooMuch = (await caught(releaseDeposit(mlTeam, { licenceId: metered.licenceId, amount: 61n }))) as PedigreeContractError;
    expect(tooMuch.errorName).toBe("DepositTooSmall");
    expect(tooMuch.args).toEqual({ licenceId: metered.licenceId, amount: 61n, available: 60n });
    expect(((await caught(releaseDeposit(relayer, { licenceId: metered.licenceId, amount: 1n }))) as PedigreeContractError).errorName).toBe("NotLicensee");
    await releaseDeposit(mlTeam, { licenceId: metered.licenceId, amount: 60n });
  });

  /** Runs `action` as `client`, expecting the treasury's `errorName` before anything is sent: no transaction, no allowance. */
  async function refusedUnsent(client: PedigreeClient, action: (as: PedigreeClient) => Promise<unknown>, errorName: string): Promise<PedigreeContractError> {
    const account = await client.account();
    const [nonce, allowed] = [await txCount(account), await allowance(account)];
    const error = (await caught(action(client))) as PedigreeContractError;
    expect([await txCount(account), await allowance(account)], errorName).toEqual([nonce, allowed]);
    expect(error, errorName).toBeInstanceOf(PedigreeContractError);
    expect(error.errorName).toBe(errorName);
    expect(error.details).toMatch(/refused before sending$/);
    return error;
  }

  it("refuses, before any approval, a report or deposit from the wrong account, on another dataset's version, or unmetered", async () => {
    const { mlTeam, stranger, relayer, creator } = f.clients;
    await (await token.mint(f.accounts.stranger.address, 1_000n)).wait();
    const report = { licenceId: metered.licenceId, versionId: metered.versionId, units: 5n };
    const notLicensee = await refusedUnsent(stranger, (as) => reportUsage(as, report), "NotLicensee");
    expect(notLicensee.args).toEqual({ licenceId: metered.licenceId, account: f.accounts.stranger.address });
    await refusedUnsent(mlTeam, (as) => reportUsage(as, { ...report, versionId: ids.derivedVersionId }), "VersionNotLicensed");
    const flat = await licensedDataset(creator, mlTeam); // sold at a flat price, use not metered
    await refusedUnsent(mlTeam, (as) => reportUsage(as, { licenceId: flat.licenceId, versionId: flat.versionId, units: 5n }), "NotMetered");
    await refusedUnsent(relayer, (as) => depositForUsage(as, { licenceId: flat.licenceId, amount: 5n }), "NotMetered");

    // A report the stranger signed for the ML team's licence: the signature is its own, but it is not the licensee.
    const genuine = await signUsageReport(mlTeam, report);
    const decoded = parseSignedUsageReport(genuine);
    const signature = await f.accounts.stranger.signTypedData(royaltiesDomain(decoded.chainId, decoded.contract), USAGE_REPORT_TYPES, usageReportMessage(decoded));
    const byStranger = await refusedUnsent(relayer, (as) => relayUsageReport(as, { ...genuine, signer: f.accounts.stranger.address, signature }), "SignatureNotByLicensee");
    expect(byStranger.args).toEqual({ licensee: f.accounts.mlTeam.address });
    await cancelUsageNonce(mlTeam); // the genuine document is void from now on
    await refusedUnsent(relayer, (as) => relayUsageReport(as, genuine), "InvalidAccountNonce");

    const late = await signUsageReport(mlTeam, { ...report, deadline: BigInt((await f.protocol.ethers.provider.getBlock("latest"))!.timestamp + 60) });
    await f.protocol.connection.networkHelpers.time.increase(120);
    await refusedUnsent(relayer, (as) => relayUsageReport(as, late), "SignatureExpired");

    const { datasetId, versionId, termsId } = await registerDataset(creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, { currency: tokenAddress, price: 0n, usage: { unitPrice: 1n, unit: "samples" } }),
    });
    expect(termsId).toBeDefined();
    const { licenceId } = await acquireLicence(mlTeam, { datasetId });
    await revokeConsent(creator, { datasetId, reason: "the subjects withdrew" });
    await refundLicence(creator, { licenceId });
    await refusedUnsent(mlTeam, (as) => reportUsage(as, { licenceId, versionId, units: 1n }), "LicenceVoided");
    await refusedUnsent(relayer, (as) => depositForUsage(as, { licenceId, amount: 1n }), "LicenceVoided");
  });

  it("names contributors as the owner's operator, once; a later version still pays its royalty parents", async () => {
    const { creator2, relayer } = f.clients;
    const next = await publishDatasetVersion(creator2, { datasetId: (await f.protocol.datasets.datasetOfVersion(ids.derivedVersionId)), version: newDatasetVersion("ipfs://derived-v2") });
    expect((await royaltiesOfVersion(relayer, next.versionId)).royaltyParents).toEqual([{ versionId: ids.parentVersionId, termsId: 1n, bps: 2_000 }]);
    const refused = (await caught(setContributors(relayer, { versionId: next.versionId, contributors: [{ account: f.accounts.steward.address, bps: 500, role: "cleaning" }] }))) as PedigreeContractError;
    expect(refused.errorName).toBe("NotVersionOwner");
    await (await f.protocol.datasets.connect(f.accounts.creator2).setApprovalForAll(f.accounts.relayer.address, true)).wait();
    await setContributors(relayer, { versionId: next.versionId, contributors: [{ account: f.accounts.steward.address, bps: 500, role: "cleaning" }] });
    const twice = (await caught(setContributors(creator2, { versionId: next.versionId, contributors: [{ account: f.accounts.stranger.address, bps: 1, role: "x" }] }))) as PedigreeContractError;
    expect(twice.message).toBe(`ContributorsAlreadySet: the contributors of dataset version ${next.versionId} were already named; they cannot be changed. Name contributors on a new version.`);
    expect((await royaltiesOfVersion(relayer, next.versionId)).contributors).toEqual([{ account: f.accounts.steward.address, bps: 500, roleHash: id("cleaning") }]);
  });
});
