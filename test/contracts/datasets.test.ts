/**
 * DatasetRegistry: datasets as ERC-721 tokens, their immutable versions and lineage, withdrawal, ownership transfer
 * and the subjects the registry answers for. Licence terms, licences and royalties are in licensing.test.ts.
 *
 * One chain per file; every test starts from the freshly deployed protocol (snapshot restored after each test), so
 * ids are predictable: the first dataset, version, terms and licence each get id 1.
 */
import { describe, expect, it } from "vitest";
import type { ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ETH, Subject, datasetVersion, deployProtocol, hash32, terms, type Protocol, restoreBeforeEach } from "../helpers/protocol.ts";
import { eventOf, eventsOf, expectRevert, normalise, storageWrites } from "../helpers/assertions.ts";
import { WORLDWIDE, regionSet } from "../../src/core/regions.ts";

const ZERO_HASH = "0x" + "00".repeat(32);
const ZERO_ADDRESS = ETH;
const PRICE = 10n ** 18n;
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
restoreBeforeEach(async () => (p = await deployProtocol()));

type VersionInput = ReturnType<typeof datasetVersion>;

/** Ids and content of the version a transaction published, read from its DatasetVersionPublished event. */
async function published(tx: Promise<ContractTransactionResponse> | ContractTransactionResponse) {
  const event = await eventOf(tx, p.datasets, "DatasetVersionPublished");
  return { datasetId: event.args.datasetId as bigint, versionId: event.args.versionId as bigint, event };
}

/** Parent versions and the licence each is used under (0 = the owner's own data). */
type Lineage = { version?: VersionInput; parents?: bigint[]; licences?: bigint[]; transformation?: string };

const licencesFor = (options: Lineage) => options.licences ?? (options.parents ?? []).map(() => 0n);

/** Registers a dataset as `signer`; returns its ids and the version input used. */
async function register(signer: HardhatEthersSigner, options: Lineage = {}) {
  const version = options.version ?? datasetVersion();
  const ids = await published(
    p.datasets
      .connect(signer)
      .registerDataset(version, options.parents ?? [], licencesFor(options), options.transformation ?? ZERO_HASH),
  );
  return { ...ids, version };
}

/** Publishes a version of `datasetId` as `signer`. */
async function publish(signer: HardhatEthersSigner, datasetId: bigint, options: Lineage = {}) {
  const version = options.version ?? datasetVersion("ipfs://bafy-next-version");
  const ids = await published(
    p.datasets
      .connect(signer)
      .publishVersion(datasetId, version, options.parents ?? [], licencesFor(options), options.transformation ?? ZERO_HASH),
  );
  return { ...ids, version };
}

/** Sets single-recipient 1 ETH terms for `datasetId` as `signer`; returns the terms id. */
async function setTerms(signer: HardhatEthersSigner, datasetId: bigint, overrides: Parameters<typeof terms>[1] = {}) {
  const event = await eventOf(
    p.datasets.connect(signer).setTerms(datasetId, terms([{ recipient: signer.address, bps: 10_000 }], overrides)),
    p.datasets,
    "TermsSet",
  );
  return event.args.termsId as bigint;
}

/** Acquires a licence of `datasetId` under `termsId` for `licensee`, paid by `payer` in ETH. */
async function acquire(payer: HardhatEthersSigner, datasetId: bigint, termsId: bigint, licensee = payer.address, value = PRICE) {
  const event = await eventOf(
    p.royalties.connect(payer).acquireLicence(datasetId, licensee, termsId, { value }),
    p.datasets,
    "LicenceAcquired",
  );
  return event.args.licenceId as bigint;
}

// ---------------------------------------------------------------------------------------------------------------------

describe("registering a dataset", () => {
  it("mints the dataset's ERC-721 token to the caller, with id 1 and first version id 1", async () => {
    const { creator } = p.accounts;
    const version = datasetVersion();
    const [datasetId, versionId] = await p.datasets.connect(creator).registerDataset.staticCall(version, [], [], ZERO_HASH);
    expect([datasetId, versionId]).toEqual([1n, 1n]);

    const transfer = await eventOf(p.datasets.connect(creator).registerDataset(version, [], [], ZERO_HASH), p.datasets, "Transfer");
    expect(normalise([...transfer.args])).toEqual(normalise([ZERO_ADDRESS, creator.address, 1n]));
    expect(await p.datasets.ownerOf(1n)).toBe(creator.address);
    expect(await p.datasets.balanceOf(creator.address)).toBe(1n);
    expect(await p.datasets.name()).toBe("Pedigree Dataset");
    expect(await p.datasets.symbol()).toBe("PDGD");
    expect(await p.datasets.supportsInterface("0x80ac58cd")).toBe(true); // ERC-721

    const dataset = await p.datasets.getDataset(1n);
    expect(dataset.currentTermsId).toBe(0n);
    expect(dataset.versionCount).toBe(1n);
    expect(dataset.withdrawn).toBe(false);
  });

  it("emits DatasetRegistered and DatasetVersionPublished with the version's full content and publisher", async () => {
    const { creator } = p.accounts;
    const version = datasetVersion("s3://corpus/v1");
    const tx = p.datasets.connect(creator).registerDataset(version, [], [], ZERO_HASH);
    const receipt = await (await tx).wait();
    const parsed = receipt!.logs.map((log) => p.datasets.interface.parseLog(log)?.name);
    expect(parsed).toEqual(["Transfer", "DatasetRegistered", "DatasetVersionPublished"]);

    const registered = await eventOf(await tx, p.datasets, "DatasetRegistered");
    expect(registered.args.datasetId).toBe(1n);
    expect(registered.args.owner).toBe(creator.address);

    const { event } = await published(await tx);
    expect(event.args.versionId).toBe(1n);
    expect(event.args.datasetId).toBe(1n);
    expect(event.args.number).toBe(1n);
    expect(event.args.fingerprint).toBe(version.fingerprint);
    expect(event.args.manifestRoot).toBe(version.manifestRoot);
    expect(event.args.metadataHash).toBe(version.metadataHash);
    expect(event.args.uri).toBe("s3://corpus/v1");
    expect([...event.args.parentVersionIds]).toEqual([]);
    expect([...event.args.parentLicenceIds]).toEqual([]);
    expect(event.args.transformationHash).toBe(ZERO_HASH);
    expect(event.args.publisher).toBe(creator.address);
  });

  it("gives each dataset its own token id and numbers version ids across all datasets", async () => {
    const { creator, creator2 } = p.accounts;
    const first = await register(creator);
    const second = await register(creator2);
    expect([first.datasetId, first.versionId]).toEqual([1n, 1n]);
    expect([second.datasetId, second.versionId]).toEqual([2n, 2n]);
    expect(await p.datasets.ownerOf(2n)).toBe(creator2.address);

    const next = await publish(creator, first.datasetId);
    expect(next.versionId).toBe(3n);
    expect(next.event.args.number).toBe(2n);
    expect(await p.datasets.datasetOfVersion(3n)).toBe(1n);
    expect(await p.datasets.datasetOfVersion(2n)).toBe(2n);
  });

  it("records derived datasets with parents of its own and licensed ones, and a transformation hash", async () => {
    const { creator, creator2 } = p.accounts;
    const a = await register(creator);
    const b = await register(creator2);
    const licence = await acquire(creator, b.datasetId, await setTerms(creator2, b.datasetId));
    const transformation = hash32("dedup+filter");
    const derived = await register(creator, { parents: [a.versionId, b.versionId], licences: [0n, licence], transformation });
    expect(normalise([...derived.event.args.parentVersionIds])).toEqual([1n, 2n]);
    expect(normalise([...derived.event.args.parentLicenceIds])).toEqual([0n, licence]);
    expect(derived.event.args.transformationHash).toBe(transformation);
    expect(derived.event.args.number).toBe(1n);
    expect(await p.datasets.datasetOfVersion(derived.versionId)).toBe(3n);
  });

  it("finds a version by its claimant and fingerprint, and returns 0 for an unknown digest or another claimant", async () => {
    const { creator, creator2 } = p.accounts;
    const a = await register(creator);
    const b = await publish(creator, a.datasetId);
    expect(await p.datasets.versionByFingerprint(creator.address, a.version.fingerprint)).toBe(a.versionId);
    expect(await p.datasets.versionByFingerprint(creator.address, b.version.fingerprint)).toBe(b.versionId);
    expect(await p.datasets.versionByFingerprint(creator.address, hash32("never-registered"))).toBe(0n);
    expect(await p.datasets.versionByFingerprint(creator2.address, a.version.fingerprint)).toBe(0n);
  });

  it("datasetOfVersion reverts with UnknownDatasetVersion for an unknown version and for 0", async () => {
    await register(p.accounts.creator);
    await expectRevert(p.datasets.datasetOfVersion(2n), p.datasets, "UnknownDatasetVersion", [2n]);
    await expectRevert(p.datasets.datasetOfVersion(0n), p.datasets, "UnknownDatasetVersion", [0n]);
  });

  it("getDataset reverts with UnknownDataset for an unregistered id", async () => {
    await register(p.accounts.creator);
    await expectRevert(p.datasets.getDataset(2n), p.datasets, "UnknownDataset", [2n]);
    await expectRevert(p.datasets.getDataset(0n), p.datasets, "UnknownDataset", [0n]);
  });

  it("refuses a zero fingerprint and mints nothing", async () => {
    const { creator } = p.accounts;
    const version = { ...datasetVersion(), fingerprint: ZERO_HASH };
    await expectRevert(p.datasets.connect(creator).registerDataset(version, [], [], ZERO_HASH), p.datasets, "ZeroFingerprint", []);
    expect(await p.datasets.balanceOf(creator.address)).toBe(0n);
    await expectRevert(p.datasets.getDataset(1n), p.datasets, "UnknownDataset", [1n]);
  });

  it("refuses a fingerprint its claimant already registered, naming the claim, in any of its datasets", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    const b = await register(creator);
    const copy = { ...datasetVersion(), fingerprint: b.version.fingerprint };
    await expectRevert(
      p.datasets.connect(creator).registerDataset(copy, [], [], ZERO_HASH),
      p.datasets,
      "AlreadyClaimed",
      [creator.address, b.version.fingerprint, b.versionId],
    );
    await expectRevert(
      p.datasets.connect(creator).publishVersion(a.datasetId, { ...datasetVersion(), fingerprint: a.version.fingerprint }, [], [], ZERO_HASH),
      p.datasets,
      "AlreadyClaimed",
      [creator.address, a.version.fingerprint, a.versionId],
    );
    expect(await p.datasets.balanceOf(creator.address)).toBe(2n);
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(1n);
  });

  it("squatting: whoever registers a fingerprint first cannot lock its creator out; both claims stay findable", async () => {
    // Mallory copies the creator's pending registration (same fingerprint, higher tip) and is mined first.
    const { creator, stranger: mallory } = p.accounts;
    const theirs = datasetVersion("ipfs://bafy-real-corpus");
    const squat = await register(mallory, { version: { ...datasetVersion("ipfs://bafy-squat"), fingerprint: theirs.fingerprint } });
    const own = await register(creator, { version: theirs });

    expect(own.event.args.fingerprint).toBe(theirs.fingerprint);
    expect(await p.datasets.ownerOf(own.datasetId)).toBe(creator.address);
    expect(await p.datasets.versionByFingerprint(creator.address, theirs.fingerprint)).toBe(own.versionId);
    expect(await p.datasets.versionByFingerprint(mallory.address, theirs.fingerprint)).toBe(squat.versionId);
    // Claims are keyed by the dataset's owner, even when an operator publishes.
    await p.datasets.connect(creator).setApprovalForAll(mallory.address, true);
    const byOperator = await publish(mallory, own.datasetId);
    expect(await p.datasets.versionByFingerprint(creator.address, byOperator.version.fingerprint)).toBe(byOperator.versionId);
    expect(await p.datasets.versionByFingerprint(mallory.address, byOperator.version.fingerprint)).toBe(0n);
  });

  it("squatting: a commitment made before publishing proves the creator's priority over a copied transaction", async () => {
    const { creator, stranger: mallory } = p.accounts;
    const version = datasetVersion("ipfs://bafy-committed");
    const salt = hash32("salt");
    const commitment = await p.datasets.claimCommitment(creator.address, version.fingerprint, salt);
    const committed = await eventOf(p.datasets.connect(creator).commitClaim(commitment), p.datasets, "ClaimCommitted");
    const committedAt = committed.args.committedAt as bigint;
    expect(await p.datasets.commitmentTime(commitment)).toBe(committedAt);

    await p.connection.networkHelpers.time.increase(3600);
    await register(mallory, { version: { ...datasetVersion(), fingerprint: version.fingerprint } }); // front-run
    const own = await register(creator, { version });

    // Anyone can reveal; the proof names the creator's version and the commitment's (earlier) time.
    const proven = await eventOf(
      p.datasets.connect(mallory).proveClaimPriority(creator.address, version.fingerprint, salt),
      p.datasets,
      "ClaimPriorityProven",
    );
    expect(normalise([...proven.args])).toEqual(normalise([own.versionId, creator.address, version.fingerprint, committedAt]));
    // Mallory cannot borrow the creator's commitment: it binds the claimant. Nor does a wrong salt or digest prove it.
    const borrowed = await p.datasets.claimCommitment(mallory.address, version.fingerprint, salt);
    await expectRevert(p.datasets.proveClaimPriority(mallory.address, version.fingerprint, salt), p.datasets, "UnknownCommitment", [borrowed]);
    const wrongSalt = hash32("wrong-salt");
    const guessed = await p.datasets.claimCommitment(creator.address, version.fingerprint, wrongSalt);
    await expectRevert(p.datasets.proveClaimPriority(creator.address, version.fingerprint, wrongSalt), p.datasets, "UnknownCommitment", [guessed]);
    const unclaimed = hash32("unclaimed");
    await expectRevert(p.datasets.proveClaimPriority(creator.address, unclaimed, salt), p.datasets, "UnknownClaim", [creator.address, unclaimed]);
    await expectRevert(p.datasets.connect(mallory).commitClaim(commitment), p.datasets, "AlreadyCommitted", [commitment]);
    await expectRevert(p.datasets.commitClaim(ZERO_HASH), p.datasets, "ZeroCommitment", []);
    expect(await p.datasets.commitmentTime(commitment)).toBe(committedAt);
  });

  it("refuses an unknown parent version (and parent id 0) with UnknownDatasetVersion", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    await expectRevert(
      p.datasets.connect(creator).registerDataset(datasetVersion(), [a.versionId, 7n], [0n, 0n], ZERO_HASH),
      p.datasets,
      "UnknownDatasetVersion",
      [7n],
    );
    await expectRevert(
      p.datasets.connect(creator).publishVersion(a.datasetId, datasetVersion(), [0n], [0n], ZERO_HASH),
      p.datasets,
      "UnknownDatasetVersion",
      [0n],
    );
    expect(await p.datasets.balanceOf(creator.address)).toBe(1n);
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(1n);
  });

  it("lineage laundering: refuses another owner's version as parent without a licence that allows derivatives", async () => {
    const { creator, creator2, stranger: mallory } = p.accounts;
    const victim = await register(creator);
    const own = await register(mallory);
    // No licence: ParentNotUsable(parent, 0, UnknownLicence).
    await expectRevert(
      p.datasets.connect(mallory).registerDataset(datasetVersion(), [victim.versionId], [0n], ZERO_HASH),
      p.datasets,
      "ParentNotUsable",
      [victim.versionId, 0n, LicenceStatus.UnknownLicence],
    );
    // A licence of someone else, or one forbidding derivatives, does not do either.
    const noDerivatives = await setTerms(creator, victim.datasetId, { derivativesAllowed: false });
    const forbidden = await acquire(mallory, victim.datasetId, noDerivatives);
    const othersLicence = await acquire(creator2, victim.datasetId, noDerivatives);
    await expectRevert(
      p.datasets.connect(mallory).publishVersion(own.datasetId, datasetVersion(), [victim.versionId], [forbidden], ZERO_HASH),
      p.datasets,
      "ParentNotUsable",
      [victim.versionId, forbidden, LicenceStatus.DerivativesForbidden],
    );
    await expectRevert(
      p.datasets.connect(mallory).publishVersion(own.datasetId, datasetVersion(), [victim.versionId], [othersLicence], ZERO_HASH),
      p.datasets,
      "ParentNotUsable",
      [victim.versionId, othersLicence, LicenceStatus.WrongLicensee],
    );
    expect((await p.datasets.getDataset(own.datasetId)).versionCount).toBe(1n);
    // With a licence that allows derivatives it is recorded, licence and all.
    const allowed = await acquire(mallory, victim.datasetId, await setTerms(creator, victim.datasetId));
    const derived = await publish(mallory, own.datasetId, { parents: [victim.versionId], licences: [allowed] });
    expect(normalise([...derived.event.args.parentLicenceIds])).toEqual([allowed]);
  });

  it("refuses more than MAX_PARENTS parents and mismatched licence lists, publishing nothing", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    const max = await p.datasets.MAX_PARENTS();
    expect(max).toBe(32n);
    const many = Array.from({ length: Number(max) + 1 }, () => a.versionId);
    await expectRevert(
      p.datasets.connect(creator).publishVersion(a.datasetId, datasetVersion(), many, many.map(() => 0n), ZERO_HASH),
      p.datasets,
      "TooManyParents",
      [max + 1n, max],
    );
    await expectRevert(
      p.datasets.connect(creator).publishVersion(a.datasetId, datasetVersion(), [a.versionId], [], ZERO_HASH),
      p.datasets,
      "ParentLengthMismatch",
      [1n, 0n],
    );
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(1n);
    const full = await publish(creator, a.datasetId, { parents: many.slice(1) });
    expect(full.event.args.parentVersionIds.length).toBe(Number(max));
  });

  it("accepts the owner's own withdrawn data and licensed withdrawn data as parents, refuses revoked consent", async () => {
    const { creator, creator2 } = p.accounts;
    const ownWithdrawn = await register(creator);
    const theirs = await register(creator2);
    const licence = await acquire(creator, theirs.datasetId, await setTerms(creator2, theirs.datasetId));
    await p.datasets.connect(creator).withdrawDataset(ownWithdrawn.datasetId, "no longer offered");
    await p.datasets.connect(creator2).withdrawDataset(theirs.datasetId, "no longer offered");
    const derived = await register(creator, { parents: [ownWithdrawn.versionId, theirs.versionId], licences: [0n, licence] });
    expect(derived.event.args.parentVersionIds.length).toBe(2);

    await p.datasets.connect(creator).revokeConsent(ownWithdrawn.datasetId, "data subjects withdrew consent");
    await expectRevert(
      p.datasets.connect(creator).registerDataset(datasetVersion(), [ownWithdrawn.versionId], [0n], ZERO_HASH),
      p.datasets,
      "ConsentIsRevoked",
      [ownWithdrawn.datasetId],
    );
    expect(await p.datasets.balanceOf(creator.address)).toBe(2n);
  });

  it("registerDatasetWithTerms registers, publishes and sets terms in one transaction", async () => {
    const { creator, creator2 } = p.accounts;
    const version = datasetVersion();
    const input = terms([{ recipient: creator2.address, bps: 10_000 }], { price: 5n });
    const result = await p.datasets.connect(creator).registerDatasetWithTerms.staticCall(version, [], [], ZERO_HASH, input);
    expect([...result]).toEqual([1n, 1n, 1n]);

    const tx = await p.datasets.connect(creator).registerDatasetWithTerms(version, [], [], ZERO_HASH, input);
    const receipt = await tx.wait();
    expect(receipt!.logs.map((log) => p.datasets.interface.parseLog(log)?.name)).toEqual([
      "Transfer",
      "DatasetRegistered",
      "DatasetVersionPublished",
      "TermsSet",
    ]);
    const termsSet = await eventOf(tx, p.datasets, "TermsSet");
    expect(termsSet.args.datasetId).toBe(1n);
    expect(termsSet.args.termsId).toBe(1n);
    expect(termsSet.args.setBy).toBe(creator.address);
    expect(await p.datasets.ownerOf(1n)).toBe(creator.address);
    expect((await p.datasets.getDataset(1n)).currentTermsId).toBe(1n);
    const [stored, splits] = await p.datasets.getTerms(1n);
    expect(stored.price).toBe(5n);
    expect(stored.datasetId).toBe(1n);
    expect(normalise(splits.map((s) => [...s]))).toEqual(normalise([[creator2.address, 10_000n]]));
  });

  it("registerDatasetWithTerms with invalid terms reverts as a whole: no token, fingerprint still free", async () => {
    const { creator } = p.accounts;
    const version = datasetVersion();
    await expectRevert(
      p.datasets.connect(creator).registerDatasetWithTerms(version, [], [], ZERO_HASH, terms([])),
      p.datasets,
      "EmptySplits",
      [],
    );
    expect(await p.datasets.balanceOf(creator.address)).toBe(0n);
    expect(await p.datasets.versionByFingerprint(creator.address, version.fingerprint)).toBe(0n);
    const again = await register(creator, { version });
    expect(again.datasetId).toBe(1n);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("publishing versions", () => {
  it("numbers a dataset's versions 1, 2, 3 and counts them", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    const v2 = await publish(creator, a.datasetId);
    const v3 = await publish(creator, a.datasetId);
    expect([a.event.args.number, v2.event.args.number, v3.event.args.number]).toEqual([1n, 2n, 3n]);
    expect([a.versionId, v2.versionId, v3.versionId]).toEqual([1n, 2n, 3n]);
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(3n);
    for (const id of [1n, 2n, 3n]) expect(await p.datasets.datasetOfVersion(id)).toBe(a.datasetId);
  });

  it("publishVersion returns the new version id and emits its full content", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    const version = datasetVersion("https://data.example/v2.tar");
    expect(await p.datasets.connect(creator).publishVersion.staticCall(a.datasetId, version, [], [], ZERO_HASH)).toBe(2n);
    const { event } = await publish(creator, a.datasetId, { version });
    expect(event.args.versionId).toBe(2n);
    expect(event.args.datasetId).toBe(a.datasetId);
    expect(event.args.number).toBe(2n);
    expect(event.args.fingerprint).toBe(version.fingerprint);
    expect(event.args.manifestRoot).toBe(version.manifestRoot);
    expect(event.args.metadataHash).toBe(version.metadataHash);
    expect(event.args.uri).toBe("https://data.example/v2.tar");
    expect(event.args.publisher).toBe(creator.address);
  });

  it("records a derived version with licensed parents from other datasets, its own history, and the transformation", async () => {
    const { creator, creator2 } = p.accounts;
    const own = await register(creator);
    const other = await register(creator2);
    const otherV2 = await publish(creator2, other.datasetId);
    const licence = await acquire(creator, other.datasetId, await setTerms(creator2, other.datasetId));
    const transformation = hash32("merge");
    const derived = await publish(creator, own.datasetId, {
      parents: [own.versionId, other.versionId, otherV2.versionId],
      licences: [0n, licence, licence],
      transformation,
    });
    expect(derived.event.args.datasetId).toBe(own.datasetId);
    expect(derived.event.args.number).toBe(2n);
    expect(normalise([...derived.event.args.parentVersionIds])).toEqual(normalise([own.versionId, other.versionId, otherV2.versionId]));
    expect(derived.event.args.transformationHash).toBe(transformation);
    // The parent datasets are not touched.
    expect((await p.datasets.getDataset(other.datasetId)).versionCount).toBe(2n);
    expect(await p.datasets.ownerOf(other.datasetId)).toBe(creator2.address);
  });

  it("refuses a stranger with NotDatasetOwner(id, stranger)", async () => {
    const { creator, stranger } = p.accounts;
    const a = await register(creator);
    await expectRevert(
      p.datasets.connect(stranger).publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH),
      p.datasets,
      "NotDatasetOwner",
      [a.datasetId, stranger.address],
    );
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(1n);
  });

  it("refuses an unknown dataset with UnknownDataset for publishVersion, withdrawDataset and setTerms", async () => {
    const { creator } = p.accounts;
    await register(creator);
    await expectRevert(
      p.datasets.connect(creator).publishVersion(9n, datasetVersion(), [], [], ZERO_HASH),
      p.datasets,
      "UnknownDataset",
      [9n],
    );
    await expectRevert(p.datasets.connect(creator).withdrawDataset(9n, "x"), p.datasets, "UnknownDataset", [9n]);
    await expectRevert(
      p.datasets.connect(creator).setTerms(9n, terms([{ recipient: creator.address, bps: 10_000 }])),
      p.datasets,
      "UnknownDataset",
      [9n],
    );
    await expectRevert(p.datasets.connect(creator).publishVersion(0n, datasetVersion(), [], [], ZERO_HASH), p.datasets, "UnknownDataset", [0n]);
  });

  it("lets an ERC-721 operator (setApprovalForAll) publish, set terms and withdraw; revoking removes the rights", async () => {
    const { creator, mlTeam, stranger } = p.accounts;
    const a = await register(creator);
    const b = await register(creator);
    await p.datasets.connect(creator).setApprovalForAll(mlTeam.address, true);

    const v = await publish(mlTeam, a.datasetId);
    expect(v.event.args.publisher).toBe(mlTeam.address);
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(2n);
    const termsId = await setTerms(mlTeam, b.datasetId);
    expect((await p.datasets.getDataset(b.datasetId)).currentTermsId).toBe(termsId);
    const withdrawn = await eventOf(p.datasets.connect(mlTeam).withdrawDataset(b.datasetId, "by operator"), p.datasets, "DatasetWithdrawn");
    expect(withdrawn.args.by).toBe(mlTeam.address);
    expect(await p.datasets.ownerOf(a.datasetId)).toBe(creator.address);

    await p.datasets.connect(creator).setApprovalForAll(mlTeam.address, false);
    await expectRevert(
      p.datasets.connect(mlTeam).publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH),
      p.datasets,
      "NotDatasetOwner",
      [a.datasetId, mlTeam.address],
    );
    // The operator of someone else is a stranger here.
    await expectRevert(
      p.datasets.connect(stranger).publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH),
      p.datasets,
      "NotDatasetOwner",
      [a.datasetId, stranger.address],
    );
  });

  it("a single-token approval (approve) manages nothing: no versions, terms, withdrawal or consent", async () => {
    // Royalties redirected by approve(mallory, id): Mallory set terms paying her 100 %. approve() is for transfers.
    const { creator, stranger: mallory } = p.accounts;
    const a = await register(creator);
    const termsId = await setTerms(creator, a.datasetId);
    await p.datasets.connect(creator).approve(mallory.address, a.datasetId);
    expect(await p.datasets.getApproved(a.datasetId)).toBe(mallory.address);

    const asMallory = p.datasets.connect(mallory);
    const notOwner = [a.datasetId, mallory.address];
    await expectRevert(asMallory.publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH), p.datasets, "NotDatasetOwner", notOwner);
    await expectRevert(asMallory.setTerms(a.datasetId, terms([{ recipient: mallory.address, bps: 10_000 }])), p.datasets, "NotDatasetOwner", notOwner);
    await expectRevert(asMallory.withdrawDataset(a.datasetId, "mine"), p.datasets, "NotDatasetOwner", notOwner);
    await expectRevert(asMallory.revokeConsent(a.datasetId, "mine"), p.datasets, "NotDatasetOwner", notOwner);
    const dataset = await p.datasets.getDataset(a.datasetId);
    expect([dataset.currentTermsId, dataset.versionCount, dataset.withdrawn, dataset.consentRevoked]).toEqual([termsId, 1n, false, false]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("data-handling context of a version", () => {
  const EU = regionSet("EU", "origin");
  const DE_AT = regionSet("DE,AT", "origin");
  /** A version whose data comes from `origin`, handled under a policy document. */
  const withContext = (origin: bigint, uri = "ipfs://bafy-eu-notes") => ({
    ...datasetVersion(uri),
    originRegions: origin,
    handlingPolicyHash: hash32("gdpr-special-category"),
    handlingPolicyURI: "ipfs://bafy-handling-policy",
  });

  it("emits the origin, the handling policy's hash and URI on registration and on each new version", async () => {
    const { creator } = p.accounts;
    const first = withContext(EU);
    const a = await register(creator, { version: first });
    expect(a.event.args.originRegions).toBe(EU);
    expect(a.event.args.handlingPolicyHash).toBe(first.handlingPolicyHash);
    expect(a.event.args.handlingPolicyURI).toBe("ipfs://bafy-handling-policy");
    const second = { ...withContext(DE_AT), handlingPolicyURI: "https://policies.example/pii-v2" };
    const next = await publish(creator, a.datasetId, { version: second, parents: [a.versionId] });
    expect([next.event.args.originRegions, next.event.args.handlingPolicyHash, next.event.args.handlingPolicyURI]).toEqual([
      DE_AT,
      second.handlingPolicyHash,
      "https://policies.example/pii-v2",
    ]);
    // Undeclared: zero origin, no policy. Every region is a valid origin too.
    const undeclared = await register(creator);
    expect([undeclared.event.args.originRegions, undeclared.event.args.handlingPolicyHash, undeclared.event.args.handlingPolicyURI]).toEqual([
      0n,
      ZERO_HASH,
      "",
    ]);
    expect((await register(creator, { version: withContext(WORLDWIDE) })).event.args.originRegions).toBe(WORLDWIDE);
  });

  it("is evidence, not state: a version with context stores exactly what one without does", async () => {
    const { creator } = p.accounts;
    const bare = await p.datasets.connect(creator).registerDataset(datasetVersion(), [], [], ZERO_HASH);
    const declared = await p.datasets.connect(creator).registerDataset(withContext(EU), [], [], ZERO_HASH);
    expect(await storageWrites(p.ethers.provider, declared.hash)).toBe(await storageWrites(p.ethers.provider, bare.hash));
    const bareNext = await p.datasets.connect(creator).publishVersion(1n, datasetVersion(), [], [], ZERO_HASH);
    const declaredNext = await p.datasets.connect(creator).publishVersion(1n, withContext(DE_AT), [], [], ZERO_HASH);
    expect(await storageWrites(p.ethers.provider, declaredNext.hash)).toBe(await storageWrites(p.ethers.provider, bareNext.hash));
  });

  it("refuses origin bits that name no region with UnknownRegions(bits); nothing is written", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    const unknown = 1n << 249n;
    const bad = withContext(EU | unknown);
    const owner = p.datasets.connect(creator);
    await expectRevert(owner.registerDataset(bad, [], [], ZERO_HASH), p.datasets, "UnknownRegions", [unknown]);
    await expectRevert(
      owner.registerDatasetWithTerms(bad, [], [], ZERO_HASH, terms([{ recipient: creator.address, bps: 10_000 }])),
      p.datasets,
      "UnknownRegions",
      [unknown],
    );
    await expectRevert(owner.publishVersion(a.datasetId, bad, [a.versionId], [0n], ZERO_HASH), p.datasets, "UnknownRegions", [unknown]);
    const all = 2n ** 256n - 1n;
    await expectRevert(owner.registerDataset(withContext(all), [], [], ZERO_HASH), p.datasets, "UnknownRegions", [all - WORLDWIDE]);
    expect(await p.datasets.balanceOf(creator.address)).toBe(1n);
    expect((await p.datasets.getDataset(a.datasetId)).versionCount).toBe(1n);
    expect(await p.datasets.versionByFingerprint(creator.address, bad.fingerprint)).toBe(0n);
    expect(await p.datasets.queryFilter(p.datasets.filters.DatasetVersionPublished())).toHaveLength(1);
    // The same version with known regions goes through, fingerprint and all.
    const fixed = await register(creator, { version: { ...bad, originRegions: EU } });
    expect(fixed.versionId).toBe(2n);
  });
});

describe("withdrawing a dataset", () => {
  it("emits DatasetWithdrawn with the reason and marks the dataset withdrawn", async () => {
    const { creator } = p.accounts;
    const a = await register(creator);
    const event = await eventOf(p.datasets.connect(creator).withdrawDataset(a.datasetId, "GDPR erasure request #42"), p.datasets, "DatasetWithdrawn");
    expect(event.args.datasetId).toBe(a.datasetId);
    expect(event.args.by).toBe(creator.address);
    expect(event.args.reason).toBe("GDPR erasure request #42");
    expect((await p.datasets.getDataset(a.datasetId)).withdrawn).toBe(true);
    // The token itself is not burnt.
    expect(await p.datasets.ownerOf(a.datasetId)).toBe(creator.address);
  });

  it("then refuses new versions, new terms, new licences and a second withdrawal with DatasetIsWithdrawn", async () => {
    const { creator, mlTeam } = p.accounts;
    const a = await register(creator);
    const termsId = await setTerms(creator, a.datasetId);
    await p.datasets.connect(creator).withdrawDataset(a.datasetId, "retired");

    await expectRevert(
      p.datasets.connect(creator).publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH),
      p.datasets,
      "DatasetIsWithdrawn",
      [a.datasetId],
    );
    await expectRevert(
      p.datasets.connect(creator).setTerms(a.datasetId, terms([{ recipient: creator.address, bps: 10_000 }])),
      p.datasets,
      "DatasetIsWithdrawn",
      [a.datasetId],
    );
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(a.datasetId, mlTeam.address, termsId, { value: PRICE }),
      p.datasets,
      "DatasetIsWithdrawn",
      [a.datasetId],
    );
    await expectRevert(p.datasets.connect(creator).withdrawDataset(a.datasetId, "again"), p.datasets, "DatasetIsWithdrawn", [a.datasetId]);

    const dataset = await p.datasets.getDataset(a.datasetId);
    expect(dataset.versionCount).toBe(1n);
    expect(dataset.currentTermsId).toBe(termsId);
    expect(await p.datasets.subjectExists(Subject.Licence, 1n)).toBe(false);
  });

  it("refuses a stranger with NotDatasetOwner and leaves the dataset live", async () => {
    const { creator, stranger } = p.accounts;
    const a = await register(creator);
    await expectRevert(
      p.datasets.connect(stranger).withdrawDataset(a.datasetId, "griefing"),
      p.datasets,
      "NotDatasetOwner",
      [a.datasetId, stranger.address],
    );
    expect((await p.datasets.getDataset(a.datasetId)).withdrawn).toBe(false);
  });

  it("keeps versions, terms, licences and royalties readable; licences already sold stay valid", async () => {
    const { creator, mlTeam } = p.accounts;
    const a = await register(creator);
    const v2 = await publish(creator, a.datasetId);
    const termsId = await setTerms(creator, a.datasetId);
    const licenceId = await acquire(mlTeam, a.datasetId, termsId);
    const licenceBefore = await p.datasets.getLicence(licenceId);
    expect(await p.datasets.licenceStatus(licenceId, v2.versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);

    await p.datasets.connect(creator).withdrawDataset(a.datasetId, "retired");

    expect(await p.datasets.datasetOfVersion(a.versionId)).toBe(a.datasetId);
    expect(await p.datasets.datasetOfVersion(v2.versionId)).toBe(a.datasetId);
    expect(await p.datasets.versionByFingerprint(creator.address, v2.version.fingerprint)).toBe(v2.versionId);
    expect(await p.datasets.subjectExists(Subject.DatasetVersion, v2.versionId)).toBe(true);
    expect(await p.datasets.subjectExists(Subject.Licence, licenceId)).toBe(true);
    const licence = await p.datasets.getLicence(licenceId);
    expect([...licence]).toEqual([...licenceBefore]);
    const [stored] = await p.datasets.getTerms(termsId);
    expect(stored.price).toBe(PRICE);
    expect(stored.datasetId).toBe(a.datasetId);
    expect(await p.datasets.licenceStatus(licenceId, v2.versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);

    // Royalties earned before the withdrawal can still be pulled.
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(PRICE);
    const withdrawn = await eventOf(p.royalties.connect(creator).withdrawRoyalties(ETH, creator.address), p.royalties, "RoyaltyWithdrawn");
    expect(withdrawn.args.amount).toBe(PRICE);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);

    // The claim of a withdrawn version stays its creator's.
    await expectRevert(
      p.datasets.connect(creator).registerDataset({ ...datasetVersion(), fingerprint: a.version.fingerprint }, [], [], ZERO_HASH),
      p.datasets,
      "AlreadyClaimed",
      [creator.address, a.version.fingerprint, a.versionId],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("transferring a dataset's token", () => {
  it("gives the new owner publish, setTerms and withdraw rights, refuses the old owner, and keeps history", async () => {
    const { creator, creator2, mlTeam } = p.accounts;
    const a = await register(creator);
    const oldTermsId = await setTerms(creator, a.datasetId, { duration: 0 });
    const oldLicence = await acquire(mlTeam, a.datasetId, oldTermsId);
    const licenceBefore = await p.datasets.getLicence(oldLicence);
    const [oldTermsBefore, oldSplitsBefore] = await p.datasets.getTerms(oldTermsId);

    const transfer = await eventOf(
      p.datasets.connect(creator).transferFrom(creator.address, creator2.address, a.datasetId),
      p.datasets,
      "Transfer",
    );
    expect(normalise([...transfer.args])).toEqual(normalise([creator.address, creator2.address, a.datasetId]));
    expect(await p.datasets.ownerOf(a.datasetId)).toBe(creator2.address);

    // Old owner refused everywhere.
    await expectRevert(
      p.datasets.connect(creator).publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH),
      p.datasets,
      "NotDatasetOwner",
      [a.datasetId, creator.address],
    );
    await expectRevert(
      p.datasets.connect(creator).setTerms(a.datasetId, terms([{ recipient: creator.address, bps: 10_000 }])),
      p.datasets,
      "NotDatasetOwner",
      [a.datasetId, creator.address],
    );
    await expectRevert(p.datasets.connect(creator).withdrawDataset(a.datasetId, "mine"), p.datasets, "NotDatasetOwner", [
      a.datasetId,
      creator.address,
    ]);

    // New owner can do all three.
    const v2 = await publish(creator2, a.datasetId);
    expect(v2.event.args.publisher).toBe(creator2.address);
    expect(v2.event.args.number).toBe(2n);
    const newTermsId = await setTerms(creator2, a.datasetId, { price: 2n * PRICE });
    expect((await p.datasets.getDataset(a.datasetId)).currentTermsId).toBe(newTermsId);
    const [newTerms, newSplits] = await p.datasets.getTerms(newTermsId);
    expect(newTerms.price).toBe(2n * PRICE);
    expect(normalise(newSplits.map((s) => [...s]))).toEqual(normalise([[creator2.address, 10_000n]]));

    // History stays.
    expect(await p.datasets.datasetOfVersion(a.versionId)).toBe(a.datasetId);
    expect(await p.datasets.versionByFingerprint(creator.address, a.version.fingerprint)).toBe(a.versionId);
    const [oldTermsAfter, oldSplitsAfter] = await p.datasets.getTerms(oldTermsId);
    expect([...oldTermsAfter]).toEqual([...oldTermsBefore]);
    expect(oldSplitsAfter.map((s) => [...s])).toEqual(oldSplitsBefore.map((s) => [...s]));
    expect([...(await p.datasets.getLicence(oldLicence))]).toEqual([...licenceBefore]);
    expect(await p.datasets.licenceStatus(oldLicence, v2.versionId, mlTeam.address, true)).toBe(LicenceStatus.Valid);
    // Royalties already credited to the old owner stay his.
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(PRICE);

    const withdrawn = await eventOf(p.datasets.connect(creator2).withdrawDataset(a.datasetId, "new owner retires it"), p.datasets, "DatasetWithdrawn");
    expect(withdrawn.args.by).toBe(creator2.address);
    expect((await p.datasets.getDataset(a.datasetId)).withdrawn).toBe(true);
  });

  it("clears a token approval and does not carry the old owner's operators over to the new owner", async () => {
    const { creator, creator2, mlTeam, relayer } = p.accounts;
    const a = await register(creator);
    await p.datasets.connect(creator).approve(mlTeam.address, a.datasetId);
    await p.datasets.connect(creator).setApprovalForAll(relayer.address, true);
    await p.datasets.connect(creator).transferFrom(creator.address, creator2.address, a.datasetId);

    expect(await p.datasets.getApproved(a.datasetId)).toBe(ZERO_ADDRESS);
    for (const former of [mlTeam, relayer]) {
      await expectRevert(
        p.datasets.connect(former).publishVersion(a.datasetId, datasetVersion(), [], [], ZERO_HASH),
        p.datasets,
        "NotDatasetOwner",
        [a.datasetId, former.address],
      );
    }
  });

  it("an approved address can transfer the token, and the new owner then holds the rights", async () => {
    const { creator, creator2, mlTeam } = p.accounts;
    const a = await register(creator);
    await p.datasets.connect(creator).approve(mlTeam.address, a.datasetId);
    await p.datasets.connect(mlTeam).transferFrom(creator.address, creator2.address, a.datasetId);
    expect(await p.datasets.ownerOf(a.datasetId)).toBe(creator2.address);
    const v = await publish(creator2, a.datasetId);
    expect(v.event.args.publisher).toBe(creator2.address);
  });

  it("clears the current terms, so nothing is sold on the old owner's splits until the new owner sets terms", async () => {
    const { creator, creator2, mlTeam } = p.accounts;
    const a = await register(creator);
    const termsId = await setTerms(creator, a.datasetId);
    const cleared = await eventOf(
      p.datasets.connect(creator).transferFrom(creator.address, creator2.address, a.datasetId),
      p.datasets,
      "TermsCleared",
    );
    expect(normalise([...cleared.args])).toEqual(normalise([a.datasetId, termsId, creator2.address]));
    expect((await p.datasets.getDataset(a.datasetId)).currentTermsId).toBe(0n);
    await expectRevert(
      p.royalties.connect(mlTeam).acquireLicence(a.datasetId, mlTeam.address, termsId, { value: PRICE }),
      p.datasets,
      "NoTermsSet",
      [a.datasetId],
    );
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);

    const confirmed = await setTerms(creator2, a.datasetId);
    await acquire(mlTeam, a.datasetId, confirmed);
    expect(await p.royalties.royaltiesOf(creator2.address, ETH)).toBe(PRICE);
    expect(await p.royalties.royaltiesOf(creator.address, ETH)).toBe(0n);
  });

  it("a transfer of a dataset without terms, or to the same owner, clears nothing", async () => {
    const { creator, creator2 } = p.accounts;
    const a = await register(creator);
    const receipt = await (await p.datasets.connect(creator).transferFrom(creator.address, creator2.address, a.datasetId)).wait();
    expect(receipt!.logs.map((log) => p.datasets.interface.parseLog(log)?.name)).toEqual(["Transfer"]);
    const termsId = await setTerms(creator2, a.datasetId);
    await p.datasets.connect(creator2).transferFrom(creator2.address, creator2.address, a.datasetId);
    expect((await p.datasets.getDataset(a.datasetId)).currentTermsId).toBe(termsId);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("subjectExists", () => {
  it("answers for dataset versions and licences only", async () => {
    const { creator, mlTeam } = p.accounts;
    const a = await register(creator);
    const termsId = await setTerms(creator, a.datasetId);
    const licenceId = await acquire(mlTeam, a.datasetId, termsId);
    expect([a.versionId, licenceId]).toEqual([1n, 1n]);

    expect(await p.datasets.subjectExists(Subject.DatasetVersion, a.versionId)).toBe(true);
    expect(await p.datasets.subjectExists(Subject.DatasetVersion, 2n)).toBe(false);
    expect(await p.datasets.subjectExists(Subject.DatasetVersion, 0n)).toBe(false);
    expect(await p.datasets.subjectExists(Subject.Licence, licenceId)).toBe(true);
    expect(await p.datasets.subjectExists(Subject.Licence, 2n)).toBe(false);
    expect(await p.datasets.subjectExists(Subject.Licence, 0n)).toBe(false);

    // Id 1 exists as both a version and a licence, yet other subject types are never this registry's.
    for (const type of [Subject.None, Subject.ModelVersion, Subject.TrainingRun, Subject.Deployment]) {
      expect(await p.datasets.subjectExists(type, 1n), `subject type ${type}`).toBe(false);
    }
  });

  it("version subjects follow the global version ids, not dataset ids", async () => {
    const { creator, creator2 } = p.accounts;
    await register(creator); // dataset 1, version 1
    await publish(creator, 1n); // version 2
    await register(creator2); // dataset 2, version 3
    expect(await p.datasets.datasetOfVersion(3n)).toBe(2n);
    expect(await p.datasets.subjectExists(Subject.DatasetVersion, 3n)).toBe(true);
    expect(await p.datasets.subjectExists(Subject.DatasetVersion, 4n)).toBe(false);
    const events = await eventsOf(p.datasets.connect(creator).publishVersion(1n, datasetVersion(), [], [], ZERO_HASH), p.datasets, "DatasetVersionPublished");
    expect(events[0].args.versionId).toBe(4n);
    expect(await p.datasets.subjectExists(Subject.DatasetVersion, 4n)).toBe(true);
  });
});
