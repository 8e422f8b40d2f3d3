/**
 * A royalty story played straight through the contracts on an indexed protocol (test/helpers/indexed-protocol.ts):
 * a metered parent dataset asking 20 % of derivatives, a dataset derived from it with a contributor, a licence sale, a
 * deposit, a usage report and a relayed (EIP-712) one, an auditor's dispute, and a later parentless version that still
 * pays the parent. Every amount the tests expect is computed here from the settlement rule, independently of the
 * contracts: derivation shares first, contributors of the rest, then the splits (the first one takes the remainder).
 */
import { id as keccakText } from "ethers";
import { USAGE_REPORT_TYPES, royaltiesDomain } from "../../src/sdk/index.ts";
import { datasetVersion, terms } from "./protocol.ts";
import { emittedId } from "./assertions.ts";
import type { IndexedProtocol } from "./indexed-protocol.ts";

const PARENT_PRICE = 10n ** 18n;
const PARENT_UNIT_PRICE = 1_000n;
const DERIVED_PRICE = 5n * 10n ** 17n;
const DERIVED_UNIT_PRICE = 100n;
const DERIVATIVE_BPS = 2_000;
const CONTRIBUTOR_BPS = 1_000;

export interface RoyaltyAct {
  parent: { datasetId: bigint; versionId: bigint; termsId: bigint };
  derived: { datasetId: bigint; versionId: bigint; secondVersionId: bigint; termsId: bigint; licenceId: bigint };
  reports: { direct: bigint; relayed: bigint; disputed: bigint };
  disputeAttestationId: bigint;
  /** What each account was credited, in wei, by the story's rule. */
  expected: Record<"creator" | "steward" | "stranger" | "approver", bigint>;
  /** Credited to the parent dataset's recipients through derivation royalties. */
  parentByDerivation: bigint;
  /** Every wei paid into the treasury. */
  paid: bigint;
}

/** floor(amount * bps / 10 000) */
const share = (amount: bigint, bps: number) => (amount * BigInt(bps)) / 10_000n;

/** A payment of `amount` to the derived dataset: what the parent's splits, the contributor and the owner receive. */
function settleOnDerived(amount: bigint) {
  const parent = share(amount, DERIVATIVE_BPS);
  const rest = amount - parent;
  const contributor = share(rest, CONTRIBUTOR_BPS);
  const steward = share(parent, 3_000);
  return { parent, creator: parent - steward, steward, approver: contributor, stranger: rest - contributor };
}

export async function playRoyaltyAct(p: IndexedProtocol): Promise<RoyaltyAct> {
  const creator = p.as("creator");
  const owner = p.as("stranger"); // the derived dataset's owner
  const team = p.as("mlTeam");
  const splitsA = [
    { recipient: p.signers.creator.address, bps: 7_000 },
    { recipient: p.signers.steward.address, bps: 3_000 },
  ];
  const parentTerms = terms(splitsA, { price: PARENT_PRICE, unitPrice: PARENT_UNIT_PRICE, unit: "tokens-trained", derivativeRoyaltyBps: DERIVATIVE_BPS });
  const registered = await creator.datasets.registerDatasetWithTerms(datasetVersion("ipfs://parent"), [], [], keccakText("none"), parentTerms);
  const parentDatasetId = await emittedId(registered, creator.datasets, "DatasetRegistered", "datasetId");
  const parentVersionId = await emittedId(registered, creator.datasets, "DatasetVersionPublished", "versionId");
  const parentTermsId = await emittedId(registered, creator.datasets, "TermsSet", "termsId");

  const bought = await owner.royalties.acquireLicence(parentDatasetId, p.signers.stranger.address, parentTermsId, { value: PARENT_PRICE });
  const parentLicenceId = await emittedId(bought, owner.datasets, "LicenceAcquired", "licenceId");
  const derivedTerms = terms([{ recipient: p.signers.stranger.address, bps: 10_000 }], { price: DERIVED_PRICE, unitPrice: DERIVED_UNIT_PRICE, unit: "inference-calls" });
  const derivedTx = await owner.datasets.registerDatasetWithTerms(datasetVersion("ipfs://derived"), [parentVersionId], [parentLicenceId], keccakText("filtered"), derivedTerms);
  const derivedDatasetId = await emittedId(derivedTx, owner.datasets, "DatasetRegistered", "datasetId");
  const derivedVersionId = await emittedId(derivedTx, owner.datasets, "DatasetVersionPublished", "versionId");
  const derivedTermsId = await emittedId(derivedTx, owner.datasets, "TermsSet", "termsId");
  await p.send(owner.royalties.setContributors(derivedVersionId, [{ account: p.signers.approver.address, bps: CONTRIBUTOR_BPS, roleHash: keccakText("labelling") }]));

  const sale = await team.royalties.acquireLicence(derivedDatasetId, p.signers.mlTeam.address, derivedTermsId, { value: DERIVED_PRICE });
  const licenceId = await emittedId(sale, team.datasets, "LicenceAcquired", "licenceId");
  const deposit = 50_000n;
  await p.send(team.royalties.depositForUsage(licenceId, deposit, { value: deposit }));
  const direct = await emittedId(
    await team.royalties.reportUsage({ licenceId, versionId: derivedVersionId, units: 300n, reportHash: keccakText("logs-1"), reportURI: "ipfs://usage-1" }),
    team.royalties,
    "UsageReported",
    "reportId",
  );
  const relayed = await relaySignedReport(p, licenceId, derivedVersionId, 150n); // 15 000 wei, from the deposit

  await p.send(p.as("admin").attestations.grantRole(await p.as("admin").attestations.AUDITOR_ROLE(), p.signers.evaluator.address));
  const dispute = await p.as("evaluator").attestations.attest({ subjectType: 8, subjectId: direct, kind: 7, expiresAt: 0n, refId: 0n, evidenceHash: keccakText("counter logs"), evidenceURI: "ipfs://audit" });
  const disputeAttestationId = await emittedId(dispute, p.as("evaluator").attestations, "Attested", "id");

  // A later version names no parent: it still pays the parent dataset, and a sale now settles on it.
  const second = await owner.datasets.publishVersion(derivedDatasetId, datasetVersion("ipfs://derived-v2"), [], [], keccakText("re-filtered"));
  const secondVersionId = await emittedId(second, owner.datasets, "DatasetVersionPublished", "versionId");
  await p.send(p.as("approver").royalties.acquireLicence(derivedDatasetId, p.signers.approver.address, derivedTermsId, { value: DERIVED_PRICE }));
  await p.sync();

  const payments = [DERIVED_PRICE, 300n * DERIVED_UNIT_PRICE, 150n * DERIVED_UNIT_PRICE];
  const settled = payments.map(settleOnDerived);
  const secondSale = settleOnDerived(DERIVED_PRICE); // v2 has no contributors: their share goes to the owner
  const sum = (pick: (s: ReturnType<typeof settleOnDerived>) => bigint) => settled.reduce((total, s) => total + pick(s), 0n);
  const parentSale = { creator: PARENT_PRICE - share(PARENT_PRICE, 3_000), steward: share(PARENT_PRICE, 3_000) };
  return {
    parent: { datasetId: parentDatasetId, versionId: parentVersionId, termsId: parentTermsId },
    derived: { datasetId: derivedDatasetId, versionId: derivedVersionId, secondVersionId, termsId: derivedTermsId, licenceId },
    reports: { direct, relayed, disputed: direct },
    disputeAttestationId,
    expected: {
      creator: parentSale.creator + sum((s) => s.creator) + secondSale.creator,
      steward: parentSale.steward + sum((s) => s.steward) + secondSale.steward,
      approver: sum((s) => s.approver),
      stranger: sum((s) => s.stranger) + secondSale.stranger + secondSale.approver,
    },
    parentByDerivation: sum((s) => s.parent) + secondSale.parent,
    paid: PARENT_PRICE + DERIVED_PRICE * 2n + 450n * DERIVED_UNIT_PRICE,
  };
}

/** The licensee signs a usage report (EIP-712) and another account relays it; the deposit pays for it. */
async function relaySignedReport(p: IndexedProtocol, licenceId: bigint, versionId: bigint, units: bigint): Promise<bigint> {
  const treasury = p.as("stranger").royalties;
  const report = { licenceId, versionId, units, reportHash: keccakText("logs-2"), reportURI: "ipfs://usage-2" };
  const nonce = await treasury.nonces(p.signers.mlTeam.address);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3_600);
  const { chainId } = await p.chain.connection.ethers.provider.getNetwork();
  const signature = await p.signers.mlTeam.signTypedData(royaltiesDomain(chainId, await treasury.getAddress()), USAGE_REPORT_TYPES, { ...report, nonce, deadline });
  return emittedId(await treasury.reportUsageBySig(report, nonce, deadline, signature, { value: 0n }), treasury, "UsageReported", "reportId");
}

