/**
 * The SDK's royalty actions on a real chain: metered terms with a derivative royalty, contributors, deposits, usage
 * reports paid and relayed (EIP-712), and everything refused before it is sent (bad input, another chain or treasury,
 * an altered document) or by the treasury (wrong account, replay) with a one-line message.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, parseEther } from "ethers";
import { InvalidInputError } from "../../../src/core/errors.ts";
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
} from "../../../src/sdk/index.ts";
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
