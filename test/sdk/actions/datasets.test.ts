/** Dataset actions against the deployed protocol: ids from events, state changes seen through the views, errors. */
import { beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, id, parseEther } from "ethers";
import { TestToken__factory, type TestToken } from "../../../types/index.ts";
import {
  PedigreeContractError,
  InvalidInputError,
  acquireLicence,
  decodeError,
  publishDatasetVersion,
  registerDataset,
  royaltiesOf,
  setTerms,
  withdrawDataset,
  withdrawRoyalties,
} from "../../../src/sdk/index.ts";
import { caught, ethTerms, newDatasetVersion, sdkFixture, type SdkFixture } from "./fixture.ts";
import { WORLDWIDE, regionSet } from "../../../src/core/regions.ts";

let f: SdkFixture;
beforeAll(async () => {
  f = await sdkFixture();
});

describe("registerDataset / publishDatasetVersion", () => {
  it("registers a dataset without terms and returns the ids the events carry", async () => {
    const version = newDatasetVersion("ipfs://bafy-first");
    const result = await registerDataset(f.clients.creator, { version });
    expect(result.datasetId).toBe(1n);
    expect(result.versionId).toBe(1n);
    expect(result.termsId).toBeUndefined();
    expect(result.owner).toBe(f.accounts.creator.address);
    expect(result.hash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await f.protocol.ethers.provider.getTransactionReceipt(result.hash);
    expect(receipt?.blockNumber).toBe(result.blockNumber);

    expect(await f.protocol.datasets.ownerOf(result.datasetId)).toBe(f.accounts.creator.address);
    expect(await f.protocol.datasets.versionByFingerprint(f.accounts.creator.address, version.fingerprint)).toBe(result.versionId);
    const dataset = await f.protocol.datasets.getDataset(result.datasetId);
    expect(dataset.currentTermsId).toBe(0n);
    expect(dataset.versionCount).toBe(1n);

    const noTerms = (await caught(acquireLicence(f.clients.mlTeam, { datasetId: result.datasetId }))) as PedigreeContractError;
    expect(noTerms.message).toBe(
      "NoTermsSet: dataset 1 has no licence terms: never set, or cleared when it changed hands. Ask the dataset owner to set terms (setTerms).",
    );
  });

  it("manages a dataset only as its owner or an operator for all; a transfer clears its terms", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion(), terms: ethTerms(f.accounts.creator.address) });
    // A single-token approval lets the account transfer the dataset, not set terms paying itself.
    await (await f.protocol.datasets.connect(f.accounts.creator).approve(f.accounts.stranger.address, datasetId)).wait();
    const approved = (await caught(
      setTerms(f.clients.stranger, { datasetId, terms: ethTerms(f.accounts.stranger.address) }),
    )) as PedigreeContractError;
    expect(approved.errorName).toBe("NotDatasetOwner");
    expect(approved.hint).toBe(
      "Send from the dataset owner's account, or have the owner make this account an operator (setApprovalForAll); approving a single token is not enough.",
    );
    // An operator for all of the owner's tokens may.
    await (await f.protocol.datasets.connect(f.accounts.creator).setApprovalForAll(f.accounts.relayer.address, true)).wait();
    expect((await setTerms(f.clients.relayer, { datasetId, terms: ethTerms(f.accounts.creator.address) })).datasetId).toBe(datasetId);

    // Sold on: the old owner's terms do not sell licences for the new owner; refused before anything is sent.
    await (await f.protocol.datasets.connect(f.accounts.creator).transferFrom(f.accounts.creator.address, f.accounts.creator2.address, datasetId)).wait();
    expect((await f.protocol.datasets.getDataset(datasetId)).currentTermsId).toBe(0n);
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const cleared = (await caught(acquireLicence(f.clients.mlTeam, { datasetId }))) as PedigreeContractError;
    expect(cleared.errorName).toBe("NoTermsSet");
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
  });

  it("registers with terms, licensed parents and a transformation hash in one transaction", async () => {
    const parent = await registerDataset(f.clients.creator2, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator2.address, { price: 0n, splits: [] }),
    });
    const parentLicence = await acquireLicence(f.clients.creator, { datasetId: parent.datasetId });
    const own = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const transformationHash = id("dedupe + scrub");
    const result = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      parents: [{ versionId: parent.versionId, licenceId: parentLicence.licenceId }, own.versionId],
      transformationHash,
      terms: ethTerms(f.accounts.creator.address, { price: parseEther("0.25") }),
    });
    expect(result.termsId).toBeDefined();
    const dataset = await f.protocol.datasets.getDataset(result.datasetId);
    expect(dataset.currentTermsId).toBe(result.termsId);
    const [terms, splits] = await f.protocol.datasets.getTerms(result.termsId!);
    expect(terms.price).toBe(parseEther("0.25"));
    expect(terms.datasetId).toBe(result.datasetId);
    expect(splits.map((s) => [s.recipient, s.bps])).toEqual([[f.accounts.creator.address, 10_000n]]);
    // The lineage is in the event.
    const [event] = await f.protocol.datasets.queryFilter(
      f.protocol.datasets.filters.DatasetVersionPublished(result.versionId),
      result.blockNumber,
      result.blockNumber,
    );
    expect(event.args.parentVersionIds).toEqual([parent.versionId, own.versionId]);
    expect(event.args.parentLicenceIds).toEqual([parentLicence.licenceId, 0n]);
    expect(event.args.transformationHash).toBe(transformationHash);
  });

  it("publishes a new version with its number", async () => {
    const { datasetId, versionId: first } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const second = await publishDatasetVersion(f.clients.creator, {
      datasetId,
      version: newDatasetVersion("ipfs://bafy-v2"),
      parents: [first],
    });
    expect(second.datasetId).toBe(datasetId);
    expect(second.versionId).toBe(first + 1n);
    expect(second.number).toBe(2);
    expect(await f.protocol.datasets.datasetOfVersion(second.versionId)).toBe(datasetId);
    expect((await f.protocol.datasets.getDataset(datasetId)).versionCount).toBe(2n);
  });

  it("refuses a version of someone else's dataset with a decoded NotDatasetOwner", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const error = await caught(publishDatasetVersion(f.clients.stranger, { datasetId, version: newDatasetVersion() }));
    expect(error).toBeInstanceOf(PedigreeContractError);
    const decoded = error as PedigreeContractError;
    expect(decoded.errorName).toBe("NotDatasetOwner");
    expect(decoded.args).toEqual({ datasetId, account: f.accounts.stranger.address });
    expect(decoded.message).toBe(
      `NotDatasetOwner: ${f.accounts.stranger.address} is neither the owner of dataset ${datasetId} nor an operator for all its owner's tokens. ` +
        "Send from the dataset owner's account, or have the owner make this account an operator (setApprovalForAll); approving a single token is not enough.",
    );
    expect(decoded.message).not.toContain("\n");
  });

  it("lets another owner claim the same fingerprint, and refuses the same owner twice with AlreadyClaimed", async () => {
    const version = newDatasetVersion();
    const squat = await registerDataset(f.clients.stranger, { version });
    const { versionId } = await registerDataset(f.clients.creator, { version });
    expect(versionId).toBe(squat.versionId + 1n);
    expect(await f.protocol.datasets.versionByFingerprint(f.accounts.stranger.address, version.fingerprint)).toBe(squat.versionId);
    expect(await f.protocol.datasets.versionByFingerprint(f.accounts.creator.address, version.fingerprint)).toBe(versionId);
    const error = (await caught(registerDataset(f.clients.creator, { version }))) as PedigreeContractError;
    expect(error.errorName).toBe("AlreadyClaimed");
    expect(error.message).toBe(
      `AlreadyClaimed: ${f.accounts.creator.address} already claimed ${version.fingerprint}, as version ${versionId}. ` +
        `An owner claims the same data or weights once; refer to version ${versionId} instead.`,
    );
  });

  it("refuses another owner's version as a parent without a licence, with a decoded ParentNotUsable", async () => {
    const theirs = await registerDataset(f.clients.creator2, { version: newDatasetVersion() });
    const error = (await caught(
      registerDataset(f.clients.creator, { version: newDatasetVersion(), parents: [theirs.versionId] }),
    )) as PedigreeContractError;
    expect(error.errorName).toBe("ParentNotUsable");
    expect(error.formattedArgs).toEqual({ parentVersionId: String(theirs.versionId), licenceId: "0", status: "UnknownLicence" });
    expect(error.message).toBe(
      `ParentNotUsable: dataset version ${theirs.versionId} is not the owner's own data, and no licence was given for it. ` +
        "Acquire a licence of its dataset that allows derivatives (acquireLicence) and name it with the parent: { versionId, licenceId }.",
    );
    // Under a licence that forbids derivatives: the status says so.
    const { datasetId, versionId } = await registerDataset(f.clients.creator2, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator2.address, { price: 0n, splits: [], derivativesAllowed: false }),
    });
    const licence = await acquireLicence(f.clients.creator, { datasetId });
    const forbidden = (await caught(
      registerDataset(f.clients.creator, { version: newDatasetVersion(), parents: [{ versionId, licenceId: licence.licenceId }] }),
    )) as PedigreeContractError;
    expect(forbidden.message).toMatch(
      new RegExp(`^ParentNotUsable: dataset version ${versionId} cannot be derived from under licence ${licence.licenceId} \\(DerivativesForbidden\\)\\. Its terms forbid derivatives`),
    );
  });

  it("refuses more than 32 parents and malformed parents before sending anything", async () => {
    const provider = f.protocol.ethers.provider;
    const nonce = await provider.getTransactionCount(f.accounts.creator.address);
    const tooMany = await caught(
      registerDataset(f.clients.creator, { version: newDatasetVersion(), parents: Array.from({ length: 33 }, (_, i) => BigInt(i + 1)) }),
    );
    expect(tooMany).toBeInstanceOf(InvalidInputError);
    expect((tooMany as Error).message).toBe(
      "parents: 33 parents given, at most 32 are allowed. Name the direct parents only; their own parents are already on-chain.",
    );
    const badLicence = await caught(
      publishDatasetVersion(f.clients.creator, { datasetId: 1n, version: newDatasetVersion(), parents: [{ versionId: 1n, licenceId: "one" }] }),
    );
    expect((badLicence as InvalidInputError).field).toBe("parents[0].licenceId");
    expect(await provider.getTransactionCount(f.accounts.creator.address)).toBe(nonce);
  });
});

describe("setTerms", () => {
  it("sets new terms; licences are then granted under them", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const result = await setTerms(f.clients.creator, {
      datasetId,
      terms: ethTerms(f.accounts.creator.address, {
        price: parseEther("0.3"),
        splits: [
          { recipient: f.accounts.creator.address, bps: 7_000 },
          { recipient: f.accounts.creator2.address, bps: 3_000 },
        ],
      }),
    });
    expect(result.datasetId).toBe(datasetId);
    expect((await f.protocol.datasets.getDataset(datasetId)).currentTermsId).toBe(result.termsId);
    const [terms, splits] = await f.protocol.datasets.getTerms(result.termsId);
    expect(terms.price).toBe(parseEther("0.3"));
    expect(splits).toHaveLength(2);
  });

  it("refuses bad splits before sending anything: no transaction, nonce unchanged", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const provider = f.protocol.ethers.provider;
    const nonceBefore = await provider.getTransactionCount(f.accounts.creator.address);
    const blockBefore = await provider.getBlockNumber();
    const cases: [string, Parameters<typeof ethTerms>[1], RegExp][] = [
      [
        "sum below 10 000",
        { splits: [{ recipient: f.accounts.creator.address, bps: 6_000 }, { recipient: f.accounts.creator2.address, bps: 3_000 }] },
        /royalty shares add up to 9000 bps, not 10 000 \(100 %\)\. Adjust the shares so they sum to exactly 10 000 bps \(1000 bps missing\)\./,
      ],
      [
        "sum above 10 000",
        { splits: [{ recipient: f.accounts.creator.address, bps: 9_000 }, { recipient: f.accounts.creator2.address, bps: 3_000 }] },
        /add up to 12000 bps.*2000 bps too many/,
      ],
      [
        "zero address",
        { splits: [{ recipient: f.accounts.creator.address, bps: 5_000 }, { recipient: ZeroAddress, bps: 5_000 }] },
        /^terms\.splits\[1\]\.recipient is the zero address/,
      ],
      ["no recipient for a price", { splits: [] }, /priced terms \(a price, a unit price or a derivative royalty\) need at least one royalty recipient/],
      ["zero share", { splits: [{ recipient: f.accounts.creator.address, bps: 10_000 }, { recipient: f.accounts.creator2.address, bps: 0 }] }, /terms\.splits\[1\]\.bps/],
      ["not an address", { splits: [{ recipient: "0x1234", bps: 10_000 }] }, /terms\.splits\[0\]\.recipient is not an Ethereum address/],
    ];
    for (const [label, overrides, message] of cases) {
      const error = await caught(setTerms(f.clients.creator, { datasetId, terms: ethTerms(f.accounts.creator.address, overrides) }));
      expect(error, label).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).message, label).toMatch(message);
      expect((error as InvalidInputError).code).toBe("INVALID_INPUT");
    }
    // registerDataset validates the same way.
    const error = await caught(
      registerDataset(f.clients.creator, {
        version: newDatasetVersion(),
        terms: ethTerms(f.accounts.creator.address, { splits: [{ recipient: f.accounts.creator.address, bps: 9_999 }] }),
      }),
    );
    expect((error as InvalidInputError).field).toBe("terms.splits");
    expect(await provider.getTransactionCount(f.accounts.creator.address)).toBe(nonceBefore);
    expect(await provider.getBlockNumber()).toBe(blockBefore);
  });

  it("sets territories from codes, groups or masks, worldwide by default, and registers with them", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const restricted = await setTerms(f.clients.creator, {
      datasetId,
      terms: ethTerms(f.accounts.creator.address, { territories: { training: "EU, ch", deployment: ["EEA"] } }),
    });
    expect([...(await f.protocol.datasets.territoriesOf(restricted.termsId))]).toEqual([
      regionSet(["EU", "CH"], "t"),
      regionSet("EEA", "t"),
    ]);
    const masked = await setTerms(f.clients.creator, {
      datasetId,
      terms: ethTerms(f.accounts.creator.address, { territories: { deployment: regionSet("DE", "t") } }),
    });
    expect([...(await f.protocol.datasets.territoriesOf(masked.termsId))]).toEqual([WORLDWIDE, regionSet("DE", "t")]);
    const registered = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, { territories: { training: "WORLDWIDE", deployment: "US" } }),
    });
    expect([...(await f.protocol.datasets.territoriesOf(registered.termsId!))]).toEqual([WORLDWIDE, regionSet("US", "t")]);
    const plain = await setTerms(f.clients.creator, { datasetId, terms: ethTerms(f.accounts.creator.address) });
    expect([...(await f.protocol.datasets.territoriesOf(plain.termsId))]).toEqual([WORLDWIDE, WORLDWIDE]);
  });

  it("refuses bad territories before sending anything: one-line error naming the field, nonce unchanged", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const provider = f.protocol.ethers.provider;
    const nonceBefore = await provider.getTransactionCount(f.accounts.creator.address);
    const cases: [Parameters<typeof ethTerms>[1], string, RegExp][] = [
      [{ territories: { training: "EU,XX" } }, "terms.territories.training", /"XX" is not an ISO 3166-1 alpha-2 country code/],
      [{ territories: { deployment: "" } }, "terms.territories.deployment", /is empty: give regions such as EU,CH or WORLDWIDE/],
      [{ territories: { deployment: 0n } }, "terms.territories.deployment", /is empty/],
      [{ territories: { training: 1n << 250n } }, "terms.territories.training", /bits that name no region: 0x4/],
      [{ territories: { training: 7 as unknown as bigint } }, "terms.territories.training", /must be region codes/],
    ];
    for (const [overrides, field, message] of cases) {
      for (const send of [
        () => setTerms(f.clients.creator, { datasetId, terms: ethTerms(f.accounts.creator.address, overrides) }),
        () => registerDataset(f.clients.creator, { version: newDatasetVersion(), terms: ethTerms(f.accounts.creator.address, overrides) }),
      ]) {
        const error = (await caught(send())) as InvalidInputError;
        expect(error, field).toBeInstanceOf(InvalidInputError);
        expect(error.field).toBe(field);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain("\n");
      }
    }
    expect(await provider.getTransactionCount(f.accounts.creator.address)).toBe(nonceBefore);
  });

  it("decodes the territory reverts of a direct contract call with a message and what to do", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const base = { ...ethTerms(f.accounts.creator.address), duration: 0n, documentHash: id("t"), splits: [{ recipient: f.accounts.creator.address, bps: 10_000 }], unitPrice: 0n, unit: "", derivativeRoyaltyBps: 0 };
    const registry = f.protocol.datasets.connect(f.accounts.creator);
    const empty = decodeError(await caught(registry.setTerms(datasetId, { ...base, currency: ZeroAddress, trainingTerritories: 0n, deploymentTerritories: WORLDWIDE })));
    expect(empty.message).toBe("EmptyRegionSet: a territory names no region. Give ISO 3166-1 alpha-2 codes or groups such as EU,CH, or WORLDWIDE.");
    const unknown = decodeError(
      await caught(registry.setTerms(datasetId, { ...base, currency: ZeroAddress, trainingTerritories: WORLDWIDE, deploymentTerritories: 1n << 251n })),
    );
    expect((unknown as PedigreeContractError).errorName).toBe("UnknownRegions");
    expect(unknown.message).toMatch(/^UnknownRegions: a territory has bits that name no region: 0x8[0]{62}\. /);
  });

  it("free terms need no splits", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, { version: newDatasetVersion() });
    const { termsId } = await setTerms(f.clients.creator, {
      datasetId,
      terms: { price: 0n, commercialUse: false, derivativesAllowed: true, documentURI: "spdx:CC0-1.0" },
    });
    const licence = await acquireLicence(f.clients.mlTeam, { datasetId });
    expect(licence.termsId).toBe(termsId);
    expect(licence.amount).toBe(0n);
    expect(licence.expiresAt).toBe(0n); // perpetual
  });
});

describe("acquireLicence", () => {
  it("pays the current ETH price, passes the terms id, and credits the split", async () => {
    const { datasetId, termsId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, {
        price: parseEther("0.5"),
        splits: [
          { recipient: f.accounts.creator.address, bps: 8_000 },
          { recipient: f.accounts.creator2.address, bps: 2_000 },
        ],
      }),
    });
    const creatorBefore = await royaltiesOf(f.clients.creator);
    const curatorBefore = await royaltiesOf(f.clients.stranger, { account: f.accounts.creator2.address });
    const result = await acquireLicence(f.clients.mlTeam, { datasetId });
    expect(result.termsId).toBe(termsId);
    expect(result.datasetId).toBe(datasetId);
    expect(result.licensee).toBe(f.accounts.mlTeam.address);
    expect(result.currency).toBe(ZeroAddress);
    expect(result.amount).toBe(parseEther("0.5"));
    expect(result.approval).toBeUndefined();
    const block = await f.protocol.ethers.provider.getBlock(result.blockNumber);
    expect(result.expiresAt).toBe(BigInt(block!.timestamp) + 365n * 24n * 3600n);

    const licence = await f.protocol.datasets.getLicence(result.licenceId);
    expect(licence.licensee).toBe(f.accounts.mlTeam.address);
    expect(licence.termsId).toBe(termsId);
    expect(await royaltiesOf(f.clients.creator) - creatorBefore).toBe(parseEther("0.4"));
    expect(
      (await royaltiesOf(f.clients.creator, { account: f.accounts.creator2.address })) - curatorBefore,
    ).toBe(parseEther("0.1"));
  });

  it("licenses another account, and refuses a price above maxPrice without sending", async () => {
    const { datasetId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address),
    });
    const forTeam = await acquireLicence(f.clients.relayer, { datasetId, licensee: f.accounts.mlTeam.address });
    expect((await f.protocol.datasets.getLicence(forTeam.licenceId)).licensee).toBe(f.accounts.mlTeam.address);

    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address);
    const error = await caught(acquireLicence(f.clients.mlTeam, { datasetId, maxPrice: parseEther("0.5") }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/cost 1\.0 ETH, above maxPrice/);
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.mlTeam.address)).toBe(nonce);
  });

  it("refuses stale terms with a decoded TermsChanged", async () => {
    const { datasetId, termsId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address),
    });
    const { termsId: newTermsId } = await setTerms(f.clients.creator, {
      datasetId,
      terms: ethTerms(f.accounts.creator.address, { price: parseEther("2") }),
    });
    const error = (await caught(acquireLicence(f.clients.mlTeam, { datasetId, termsId: termsId! }))) as PedigreeContractError;
    expect(error).toBeInstanceOf(PedigreeContractError);
    expect(error.errorName).toBe("TermsChanged");
    expect(error.args).toEqual({ datasetId, expectedTermsId: termsId, currentTermsId: newTermsId });
    expect(error.message).toBe(
      `TermsChanged: the terms of dataset ${datasetId} changed: you agreed to terms ${termsId} but terms ${newTermsId} are current. ` +
        `Review terms ${newTermsId} and acquire again (acquireLicence).`,
    );
  });

  it("decodes WrongPayment from a direct contract call with both amounts in ETH", async () => {
    const { datasetId, termsId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address),
    });
    const raw = await caught(
      f.protocol.royalties
        .connect(f.accounts.mlTeam)
        .acquireLicence(datasetId, f.accounts.mlTeam.address, termsId!, { value: parseEther("0.5") }),
    );
    const decoded = decodeError(raw);
    expect(decoded).toBeInstanceOf(PedigreeContractError);
    expect((decoded as PedigreeContractError).errorName).toBe("WrongPayment");
    expect((decoded as PedigreeContractError).args).toEqual({ expected: parseEther("1"), sent: parseEther("0.5") });
    expect(decoded.message).toBe(
      "WrongPayment: 1.0 ETH is due but 0.5 ETH was sent. " +
        "Send the price of the current terms, what the deposit leaves of a usage report, or at least the refund due (acquireLicence, reportUsage and refundLicence read it for you).",
    );
  });

  it("buys with an ERC-20: approves the registry first, then pays, and skips the approval when the allowance suffices", async () => {
    const token: TestToken = await new TestToken__factory(f.accounts.admin).deploy();
    await token.waitForDeployment();
    const tokenAddress = await token.getAddress();
    await (await token.mint(f.accounts.mlTeam.address, 1_000_000n)).wait();
    const { datasetId, termsId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, {
        currency: tokenAddress,
        price: 250_000n,
        splits: [
          { recipient: f.accounts.creator.address, bps: 6_000 },
          { recipient: f.accounts.creator2.address, bps: 4_000 },
        ],
      }),
    });
    expect(await token.allowance(f.accounts.mlTeam.address, f.addresses.royalties)).toBe(0n);
    const submitted: string[] = [];
    const first = await acquireLicence(f.clients.mlTeam, { datasetId, onSubmitted: (hash) => submitted.push(hash) });
    expect(first.approval).toBeDefined();
    expect(submitted).toEqual([first.approval!.hash, first.hash]);
    const approvalReceipt = await f.protocol.ethers.provider.getTransactionReceipt(first.approval!.hash);
    expect(approvalReceipt?.to).toBe(tokenAddress);
    expect(first.termsId).toBe(termsId);
    expect(first.currency).toBe(tokenAddress);
    expect(first.amount).toBe(250_000n);
    expect(await token.balanceOf(f.accounts.mlTeam.address)).toBe(750_000n);
    expect(await token.balanceOf(f.addresses.royalties)).toBe(250_000n); // the treasury holds every payment
    expect(await token.balanceOf(f.addresses.datasets)).toBe(0n);
    expect(await royaltiesOf(f.clients.creator, { currency: tokenAddress })).toBe(150_000n);
    expect(await royaltiesOf(f.clients.creator, { account: f.accounts.creator2.address, currency: tokenAddress })).toBe(100_000n);

    // An allowance that already covers the price: no approval transaction.
    await (await token.connect(f.accounts.mlTeam).approve(f.addresses.royalties, 250_000n)).wait();
    const second = await acquireLicence(f.clients.mlTeam, { datasetId });
    expect(second.approval).toBeUndefined();
    expect(second.licenceId).toBe(first.licenceId + 1n);

    // The creator withdraws the token royalties.
    const withdrawn = await withdrawRoyalties(f.clients.creator, { currency: tokenAddress });
    expect(withdrawn.amount).toBe(300_000n);
    expect(withdrawn.to).toBe(f.accounts.creator.address);
    expect(await token.balanceOf(f.accounts.creator.address)).toBe(300_000n);
    expect(await royaltiesOf(f.clients.creator, { currency: tokenAddress })).toBe(0n);

    // Without tokens: refused before any approval is sent.
    const nonce = await f.protocol.ethers.provider.getTransactionCount(f.accounts.stranger.address);
    const error = await caught(acquireLicence(f.clients.stranger, { datasetId }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain("holds 0 units of token");
    expect(await f.protocol.ethers.provider.getTransactionCount(f.accounts.stranger.address)).toBe(nonce);
  });

  it("decodes ERC20InsufficientAllowance bubbled up through SafeERC20 when approval is turned off and bypassed", async () => {
    const token = await new TestToken__factory(f.accounts.admin).deploy();
    const tokenAddress = await token.getAddress();
    await (await token.mint(f.accounts.mlTeam.address, 1_000n)).wait();
    const { datasetId, termsId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address, { currency: tokenAddress, price: 500n }),
    });
    await expect(acquireLicence(f.clients.mlTeam, { datasetId, approve: false })).rejects.toThrow(
      /the treasury may spend 0 units of token .* but the licence costs 500/,
    );
    const raw = await caught(
      f.protocol.royalties.connect(f.accounts.mlTeam).acquireLicence(datasetId, f.accounts.mlTeam.address, termsId!),
    );
    const decoded = decodeError(raw) as PedigreeContractError;
    expect(decoded.errorName).toBe("ERC20InsufficientAllowance");
    expect(decoded.message).toBe(
      `ERC20InsufficientAllowance: ${f.addresses.royalties} may spend 0 token units but needs 500. ` +
        "Approve the treasury (RoyaltyRegistry) for the amount due first (acquireLicence, reportUsage and depositForUsage do it for you).",
    );
  });
});

describe("withdrawDataset / withdrawRoyalties", () => {
  it("withdraws a dataset: new licences are then refused, the licences sold stay valid", async () => {
    const { datasetId, versionId } = await registerDataset(f.clients.creator, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator.address),
    });
    const sold = await acquireLicence(f.clients.mlTeam, { datasetId });
    const result = await withdrawDataset(f.clients.creator, { datasetId, reason: "consent revoked" });
    expect(result.datasetId).toBe(datasetId);
    expect(result.by).toBe(f.accounts.creator.address);
    expect((await f.protocol.datasets.getDataset(datasetId)).withdrawn).toBe(true);
    const error = (await caught(acquireLicence(f.clients.mlTeam, { datasetId }))) as PedigreeContractError;
    expect(error.errorName).toBe("DatasetIsWithdrawn");
    expect(error.message).toMatch(/^DatasetIsWithdrawn: dataset \d+ was withdrawn by its creator/);
    expect(await f.protocol.datasets.licenceStatus(sold.licenceId, versionId, f.accounts.mlTeam.address, true)).toBe(0n); // Valid
  });

  it("withdraws ETH royalties to the signer or another address; an empty balance is a decoded NothingToWithdraw", async () => {
    const { datasetId } = await registerDataset(f.clients.creator2, {
      version: newDatasetVersion(),
      terms: ethTerms(f.accounts.creator2.address, { price: parseEther("0.2") }),
    });
    await acquireLicence(f.clients.mlTeam, { datasetId });
    const owed = await royaltiesOf(f.clients.creator2);
    expect(owed).toBeGreaterThanOrEqual(parseEther("0.2"));
    const before = await f.protocol.ethers.provider.getBalance(f.accounts.steward.address);
    const result = await withdrawRoyalties(f.clients.creator2, { to: f.accounts.steward.address });
    expect(result.amount).toBe(owed);
    expect(result.currency).toBe(ZeroAddress);
    expect(result.to).toBe(f.accounts.steward.address);
    expect((await f.protocol.ethers.provider.getBalance(f.accounts.steward.address)) - before).toBe(owed);
    expect(await royaltiesOf(f.clients.creator2)).toBe(0n);

    const error = (await caught(withdrawRoyalties(f.clients.creator2))) as PedigreeContractError;
    expect(error.errorName).toBe("NothingToWithdraw");
    expect(error.message).toBe(
      `NothingToWithdraw: ${f.accounts.creator2.address} has no ETH royalties or refunds to withdraw. Check the balance first (royaltiesOf).`,
    );
  });
});
