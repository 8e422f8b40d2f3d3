/** Consent revocation and licence refunds: a licence sold is voided only by paying back its unused part. */
import { beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, parseEther } from "ethers";
import { TestToken__factory } from "../../../types/index.ts";
import {
  PedigreeContractError,
  InvalidInputError,
  acquireLicence,
  refundLicence,
  registerDataset,
  revokeConsent,
  royaltiesOf,
  withdrawDataset,
  withdrawRoyalties,
} from "../../../src/sdk/index.ts";
import { LICENCE_STATUSES } from "../../../src/core/constants.ts";
import { caught, ethTerms, licensedDataset, newDatasetVersion, sdkFixture, type SdkFixture } from "./fixture.ts";

let f: SdkFixture;
beforeAll(async () => {
  f = await sdkFixture();
});

const YEAR = 365n * 24n * 3600n;
const provider = () => f.protocol.ethers.provider;
const txCount = (address: string) => provider().getTransactionCount(address);
const timestampOf = async (blockNumber: number) => BigInt((await provider().getBlock(blockNumber))!.timestamp);
const statusOf = async (licenceId: bigint, versionId: bigint) =>
  LICENCE_STATUSES[Number(await f.protocol.datasets.licenceStatus(licenceId, versionId, f.accounts.mlTeam.address, true))];

describe("revokeConsent", () => {
  it("withdraws the dataset too, and leaves its licences valid until refunded", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
    const result = await revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "patients withdrew consent" });
    expect(result).toMatchObject({ datasetId: data.datasetId, by: f.accounts.creator.address, withdrawn: true });
    const dataset = await f.protocol.datasets.getDataset(data.datasetId);
    expect([dataset.withdrawn, dataset.consentRevoked]).toEqual([true, true]);
    expect(await statusOf(data.licenceId, data.versionId)).toBe("Valid");

    const again = (await caught(revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "twice" }))) as PedigreeContractError;
    expect(again.message).toBe(
      `ConsentIsRevoked: consent to use dataset ${data.datasetId} was revoked. Its data may not be used again, nor its consent revoked twice; use other data.`,
    );
  });

  it("on a dataset withdrawn before, only records the revocation", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
    await withdrawDataset(f.clients.creator, { datasetId: data.datasetId, reason: "superseded" });
    const result = await revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "consent revoked" });
    expect(result.withdrawn).toBe(false);
  });

  it("refuses another account with a decoded NotDatasetOwner, and an empty reason before sending", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
    const error = (await caught(revokeConsent(f.clients.stranger, { datasetId: data.datasetId, reason: "mine now" }))) as PedigreeContractError;
    expect(error.errorName).toBe("NotDatasetOwner");
    expect(error.args).toEqual({ datasetId: data.datasetId, account: f.accounts.stranger.address });

    const nonce = await txCount(f.accounts.creator.address);
    const empty = await caught(revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: " " }));
    expect(empty).toBeInstanceOf(InvalidInputError);
    expect((empty as Error).message).toBe("reason must be a non-empty string");
    expect(await txCount(f.accounts.creator.address)).toBe(nonce);
    expect((await f.protocol.datasets.getDataset(data.datasetId)).consentRevoked).toBe(false);
  });
});

describe("refundLicence", () => {
  it("pays back the unused share of an ETH licence to the licensee, and voids it", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam); // 1 ETH for a year
    const licence = await f.protocol.datasets.getLicence(data.licenceId);
    await f.protocol.connection.networkHelpers.time.increase(Number(YEAR / 4n));
    await revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "consent revoked" });
    const teamBefore = await royaltiesOf(f.clients.mlTeam);
    const creatorBefore = await royaltiesOf(f.clients.creator);

    const result = await refundLicence(f.clients.creator, { licenceId: data.licenceId });
    const refundedAt = await timestampOf(result.blockNumber);
    const due = (parseEther("1") * (licence.expiresAt - refundedAt)) / YEAR;
    expect(result).toMatchObject({
      licenceId: data.licenceId,
      datasetId: data.datasetId,
      licensee: f.accounts.mlTeam.address,
      currency: ZeroAddress,
      amount: due,
    });
    expect(result.amount).toBeLessThan(parseEther("0.76"));
    expect(result.amount).toBeGreaterThan(parseEther("0.74"));
    // The ETH sent was what was due a block earlier: the surplus is the signer's to withdraw.
    expect(result.surplus).toBeGreaterThanOrEqual(0n);
    expect((await royaltiesOf(f.clients.creator)) - creatorBefore).toBe(result.surplus);
    expect((await royaltiesOf(f.clients.mlTeam)) - teamBefore).toBe(due);
    expect((await f.protocol.datasets.getLicence(data.licenceId)).refunded).toBe(true);
    expect(await f.protocol.datasets.refundDue(data.licenceId)).toBe(0n);
    expect(await statusOf(data.licenceId, data.versionId)).toBe("LicenceRefunded");

    const withdrawn = await withdrawRoyalties(f.clients.mlTeam);
    expect(withdrawn.amount).toBe(teamBefore + due);

    const twice = (await caught(refundLicence(f.clients.creator, { licenceId: data.licenceId }))) as PedigreeContractError;
    expect(twice.message).toBe(`LicenceAlreadyRefunded: licence ${data.licenceId} was already refunded. Nothing is left to do for it.`);
  });

  it("pays back the whole price of a perpetual licence", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam, { duration: 0, price: parseEther("0.3") });
    await revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "consent revoked" });
    const result = await refundLicence(f.clients.creator, { licenceId: data.licenceId });
    expect([result.amount, result.surplus]).toEqual([parseEther("0.3"), 0n]);
  });

  it("refuses, before sending anything, a refund before consent is revoked, by another account, or above maxAmount", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam);
    const creatorNonce = await txCount(f.accounts.creator.address);
    const strangerNonce = await txCount(f.accounts.stranger.address);

    const early = (await caught(refundLicence(f.clients.creator, { licenceId: data.licenceId }))) as PedigreeContractError;
    expect(early).toBeInstanceOf(PedigreeContractError);
    expect(early.message).toBe(
      `ConsentNotRevoked: consent to use dataset ${data.datasetId} has not been revoked, so its licences cannot be refunded. ` +
        "Licences are only voided after a consent revocation: revoke consent first (revokeConsent).",
    );
    await revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "consent revoked" });
    const creatorAfterRevoke = await txCount(f.accounts.creator.address);
    expect(creatorAfterRevoke).toBe(creatorNonce + 1);

    const stranger = (await caught(refundLicence(f.clients.stranger, { licenceId: data.licenceId }))) as PedigreeContractError;
    expect(stranger.errorName).toBe("NotDatasetOwner");
    expect(stranger.args).toEqual({ datasetId: data.datasetId, account: f.accounts.stranger.address });

    const capped = await caught(refundLicence(f.clients.creator, { licenceId: data.licenceId, maxAmount: parseEther("0.5") }));
    expect(capped).toBeInstanceOf(InvalidInputError);
    expect((capped as Error).message).toMatch(new RegExp(`^the refund of licence ${data.licenceId} is \\d+, above maxAmount 500000000000000000\\.`));

    const bad = await caught(refundLicence(f.clients.creator, { licenceId: "licence one" }));
    expect((bad as InvalidInputError).field).toBe("licenceId");
    const unknown = (await caught(refundLicence(f.clients.creator, { licenceId: 9_999n }))) as PedigreeContractError;
    expect(unknown.errorName).toBe("UnknownLicence");

    expect(await txCount(f.accounts.creator.address)).toBe(creatorAfterRevoke);
    expect(await txCount(f.accounts.stranger.address)).toBe(strangerNonce);
    expect((await f.protocol.datasets.getLicence(data.licenceId)).refunded).toBe(false);
  });

  it("refunds an expired licence with nothing: a decoded LicenceExpired", async () => {
    const data = await licensedDataset(f.clients.creator, f.clients.mlTeam, { duration: 60 });
    await revokeConsent(f.clients.creator, { datasetId: data.datasetId, reason: "consent revoked" });
    await f.protocol.connection.networkHelpers.time.increase(120);
    const error = (await caught(refundLicence(f.clients.creator, { licenceId: data.licenceId }))) as PedigreeContractError;
    expect(error.errorName).toBe("LicenceExpired");
    expect(error.message).toMatch(new RegExp(`^LicenceExpired: licence ${data.licenceId} expired at \\d+ \\(.*Z\\): nothing is left to refund\\.`));
  });

  it("refunds an ERC-20 licence through an approval of exactly what is due", async () => {
    const token = await new TestToken__factory(f.accounts.admin).deploy();
    const tokenAddress = await token.getAddress();
    await (await token.mint(f.accounts.mlTeam.address, 1_000_000n)).wait();
    await (await token.mint(f.accounts.creator.address, 1_000_000n)).wait();
    const { datasetId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, { currency: tokenAddress, price: 400_000n, duration: 0 }),
    });
    const { licenceId } = await acquireLicence(f.clients.mlTeam, { datasetId });
    await revokeConsent(f.clients.creator, { datasetId, reason: "consent revoked" });

    const submitted: string[] = [];
    const result = await refundLicence(f.clients.creator, { licenceId, onSubmitted: (hash) => submitted.push(hash) });
    expect(result.approval).toBeDefined();
    expect(submitted).toEqual([result.approval!.hash, result.hash]);
    expect([result.currency, result.amount, result.surplus]).toEqual([tokenAddress, 400_000n, 0n]);
    expect(await token.balanceOf(f.accounts.creator.address)).toBe(600_000n);
    expect(await token.allowance(f.accounts.creator.address, f.addresses.datasets)).toBe(0n);
    expect(await royaltiesOf(f.clients.mlTeam, { currency: tokenAddress })).toBe(400_000n);
  });
});
