import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  ContributorsSet,
  DerivationRoyaltyPaid,
  PaymentReceived,
  RoyaltyCredited,
  RoyaltyParentsRecorded,
  RoyaltyWithdrawn,
  UsageDepositReleased,
  UsageDeposited,
  UsageReported,
} from "../../generated/RoyaltyRegistry/RoyaltyRegistry";
import { Account, Dataset, DatasetVersion, Licence, Payment, ProvenanceEvent } from "../../generated/schema";
import {
  handleContributorsSet,
  handleDerivationRoyaltyPaid,
  handlePaymentReceived,
  handleRoyaltyCredited,
  handleRoyaltyParentsRecorded,
  handleRoyaltyWithdrawn,
  handleUsageDepositReleased,
  handleUsageDeposited,
  handleUsageReported,
} from "../src/royalties";
import {
  address,
  ALICE,
  assertProvenance,
  assertStampedBy,
  balanceId,
  blockOf,
  BOB,
  bytes32,
  CAROL,
  DAVE,
  DERIVATIVE_ROYALTY_BPS,
  DERIVED_DATASET,
  DERIVED_LICENCE,
  DERIVED_TERMS,
  DERIVED_VERSION,
  ETH,
  logId,
  sentLog,
  PARENT_DATASET,
  PARENT_LICENCE,
  PARENT_TERMS,
  PARENT_VERSION,
  param,
  RELAYER,
  storeLineage,
  text,
  timeOf,
  TOKEN,
  uint,
  word,
} from "./utils/royalties";

export {
  handleContributorsSet,
  handleDerivationRoyaltyPaid,
  handlePaymentReceived,
  handleRoyaltyCredited,
  handleRoyaltyParentsRecorded,
  handleRoyaltyWithdrawn,
  handleUsageDepositReleased,
  handleUsageDeposited,
  handleUsageReported,
};

// Ids of the lineage (utils/royalties.ts) as the i32 the events carry.
const PARENT_DATASET_ID: i32 = 1;
const PARENT_VERSION_ID: i32 = 10;
const PARENT_TERMS_ID: i32 = 3;
const PARENT_LICENCE_ID: i32 = 5;
const DERIVED_DATASET_ID: i32 = 2;
const DERIVED_VERSION_ID: i32 = 20;
const DERIVED_TERMS_ID: i32 = 4;
const DERIVED_LICENCE_ID: i32 = 7;

const SALE: i32 = 0; // reportId of a licence's sale
const REPORT_ID: i32 = 3;
const SPLIT: i32 = 0; // ShareKind.Split
const CONTRIBUTION: i32 = 1; // ShareKind.Contribution

// CAROL's licence 7 sells for 1000 tokens (18 decimals): 10% goes up to version 10 (ALICE's), then 5% of the rest to
// DAVE, who labelled version 20, and the remainder to BOB.
const SALE_PRICE = "1000000000000000000000";
const PARENT_ROYALTY = "100000000000000000000";
const DAVE_SHARE = "45000000000000000000";
const BOB_SHARE = "855000000000000000000";
const BOB_WALLET = "0x0000000000000000000000000000000000b0b2b0";

const LABELLING = "1abe1"; // tail of the role hash of DAVE's contribution
const REVIEW = "5e71e7";

function amount(decimal: string): ethereum.Value {
  return ethereum.Value.fromUnsignedBigInt(BigInt.fromString(decimal));
}

/** Payment id: licenceId-reportId. */
function paymentId(licenceId: i32, reportId: i32): string {
  return licenceId.toString() + "-" + reportId.toString();
}

// ---- events (sent by `from` in transaction `tx`, as log `logIndex`) --------------------------------------------------

function royaltyParentsRecorded(
  tx: i32,
  logIndex: i32,
  versionId: i32,
  parentVersions: Array<i32>,
  parentTerms: Array<i32>,
  parentBps: Array<i32>,
  depth: i32,
): RoyaltyParentsRecorded {
  let event = sentLog(tx, logIndex, BOB);
  let parents = new Array<ethereum.Value>();
  for (let i = 0; i < parentVersions.length; i++) {
    parents.push(ethereum.Value.fromTuple(changetype<ethereum.Tuple>([uint(parentVersions[i]), uint(parentTerms[i]), uint(parentBps[i])])));
  }
  param(event, "versionId", uint(versionId));
  param(event, "datasetId", uint(DERIVED_DATASET_ID));
  param(event, "parents", ethereum.Value.fromArray(parents));
  param(event, "depth", uint(depth));
  param(event, "ancestors", uint(parentVersions.length));
  return changetype<RoyaltyParentsRecorded>(event);
}

function contributorsSet(tx: i32, logIndex: i32, from: string, accounts: Array<string>, bps: Array<i32>, roles: Array<string>, setBy: string): ContributorsSet {
  let event = sentLog(tx, logIndex, from);
  let contributors = new Array<ethereum.Value>();
  for (let i = 0; i < accounts.length; i++) {
    contributors.push(ethereum.Value.fromTuple(changetype<ethereum.Tuple>([address(accounts[i]), uint(bps[i]), bytes32(word(roles[i]))])));
  }
  param(event, "versionId", uint(DERIVED_VERSION_ID));
  param(event, "datasetId", uint(DERIVED_DATASET_ID));
  param(event, "contributors", ethereum.Value.fromArray(contributors));
  param(event, "setBy", address(setBy));
  return changetype<ContributorsSet>(event);
}

function paymentReceived(tx: i32, logIndex: i32, licenceId: i32, reportId: i32, versionId: i32, currency: string, paid: string): PaymentReceived {
  let event = sentLog(tx, logIndex, CAROL);
  param(event, "licenceId", uint(licenceId));
  param(event, "reportId", uint(reportId));
  param(event, "versionId", uint(versionId));
  param(event, "payer", address(CAROL));
  param(event, "currency", address(currency));
  param(event, "amount", amount(paid));
  return changetype<PaymentReceived>(event);
}

/** Version 20 pays its royalty parent, version 10 (terms 3, 10%), `paid` out of payment (7, reportId). */
function derivationRoyaltyPaid(tx: i32, logIndex: i32, reportId: i32, paid: string): DerivationRoyaltyPaid {
  let event = sentLog(tx, logIndex, CAROL);
  param(event, "licenceId", uint(DERIVED_LICENCE_ID));
  param(event, "reportId", uint(reportId));
  param(event, "versionId", uint(DERIVED_VERSION_ID));
  param(event, "parentVersionId", uint(PARENT_VERSION_ID));
  param(event, "termsId", uint(PARENT_TERMS_ID));
  param(event, "bps", uint(DERIVATIVE_ROYALTY_BPS));
  param(event, "amount", amount(paid));
  return changetype<DerivationRoyaltyPaid>(event);
}

/** A share of payment (7, reportId) credited to `recipient` at `versionId`. */
function royaltyCredited(tx: i32, logIndex: i32, recipient: string, currency: string, reportId: i32, versionId: i32, kind: i32, credited: string): RoyaltyCredited {
  let event = sentLog(tx, logIndex, CAROL);
  param(event, "recipient", address(recipient));
  param(event, "currency", address(currency));
  param(event, "licenceId", uint(DERIVED_LICENCE_ID));
  param(event, "reportId", uint(reportId));
  param(event, "versionId", uint(versionId));
  param(event, "kind", uint(kind));
  param(event, "amount", amount(credited));
  return changetype<RoyaltyCredited>(event);
}

/** CAROL's usage report `reportId` of version 20 under licence 7, submitted by `submittedBy`. */
function usageReported(tx: i32, logIndex: i32, reportId: i32, units: i32, cost: i32, fromDeposit: i32, submittedBy: string): UsageReported {
  let event = sentLog(tx, logIndex, submittedBy);
  param(event, "reportId", uint(reportId));
  param(event, "licenceId", uint(DERIVED_LICENCE_ID));
  param(event, "versionId", uint(DERIVED_VERSION_ID));
  param(event, "licensee", address(CAROL));
  param(event, "units", uint(units));
  param(event, "cost", uint(cost));
  param(event, "fromDeposit", uint(fromDeposit));
  param(event, "reportHash", bytes32(word("4e90" + reportId.toString())));
  param(event, "reportURI", text("ipfs://usage-report-" + reportId.toString()));
  param(event, "submittedBy", address(submittedBy));
  return changetype<UsageReported>(event);
}

function usageDeposited(tx: i32, deposited: i32): UsageDeposited {
  let event = sentLog(tx, 0, CAROL);
  param(event, "licenceId", uint(DERIVED_LICENCE_ID));
  param(event, "from", address(CAROL));
  param(event, "currency", address(TOKEN));
  param(event, "amount", uint(deposited));
  return changetype<UsageDeposited>(event);
}

function usageDepositReleased(tx: i32, released: i32): UsageDepositReleased {
  let event = sentLog(tx, 0, CAROL);
  param(event, "licenceId", uint(DERIVED_LICENCE_ID));
  param(event, "licensee", address(CAROL));
  param(event, "currency", address(TOKEN));
  param(event, "amount", uint(released));
  return changetype<UsageDepositReleased>(event);
}

function royaltyWithdrawn(tx: i32, recipient: string, currency: string, to: string, withdrawn: string): RoyaltyWithdrawn {
  let event = sentLog(tx, 0, recipient);
  param(event, "recipient", address(recipient));
  param(event, "currency", address(currency));
  param(event, "to", address(to));
  param(event, "amount", amount(withdrawn));
  return changetype<RoyaltyWithdrawn>(event);
}

// ---- shared setup -------------------------------------------------------------------------------------------------

function freshLineage(): void {
  clearStore();
  storeLineage();
}

/** CAROL buys licence 7 (tx 1): payment 7-0 in TOKEN, settled on version 20. */
function saleOfLicence(): void {
  handlePaymentReceived(paymentReceived(1, 0, DERIVED_LICENCE_ID, SALE, DERIVED_VERSION_ID, TOKEN, SALE_PRICE));
}

/** CAROL pays usage report 3 of licence 7 (tx 2): payment 7-3 in ETH, settled on version 20. */
function paymentOfReport(): void {
  handlePaymentReceived(paymentReceived(2, 1, DERIVED_LICENCE_ID, REPORT_ID, DERIVED_VERSION_ID, ETH, "500"));
}

function assertBalance(account: string, currency: string, credited: string, released: string, withdrawn: string, balance: string): void {
  let id = balanceId(account, currency);
  assert.fieldEquals("RoyaltyBalance", id, "account", account);
  assert.fieldEquals("RoyaltyBalance", id, "currency", currency);
  assert.fieldEquals("RoyaltyBalance", id, "credited", credited);
  assert.fieldEquals("RoyaltyBalance", id, "released", released);
  assert.fieldEquals("RoyaltyBalance", id, "withdrawn", withdrawn);
  assert.fieldEquals("RoyaltyBalance", id, "refunded", "0");
  assert.fieldEquals("RoyaltyBalance", id, "balance", balance);
}

function assertUsage(units: string, reports: string, paid: string, deposited: string, deposit: string): void {
  assert.fieldEquals("LicenceUsage", DERIVED_LICENCE, "licence", DERIVED_LICENCE);
  assert.fieldEquals("LicenceUsage", DERIVED_LICENCE, "units", units);
  assert.fieldEquals("LicenceUsage", DERIVED_LICENCE, "reports", reports);
  assert.fieldEquals("LicenceUsage", DERIVED_LICENCE, "paid", paid);
  assert.fieldEquals("LicenceUsage", DERIVED_LICENCE, "deposited", deposited);
  assert.fieldEquals("LicenceUsage", DERIVED_LICENCE, "deposit", deposit);
}

// ---- handlers -----------------------------------------------------------------------------------------------------

// RoyaltyParentsRecorded: one RoyaltyParent per parent (version, parent version, terms, bps) and a timeline entry.
describe("handleRoyaltyParentsRecorded", () => {
  beforeEach(freshLineage);

  test("records the version's royalty parent with the terms it was licensed under, both ways of the lineage", () => {
    handleRoyaltyParentsRecorded(royaltyParentsRecorded(1, 4, DERIVED_VERSION_ID, [PARENT_VERSION_ID], [PARENT_TERMS_ID], [DERIVATIVE_ROYALTY_BPS], 1));

    assert.entityCount("RoyaltyParent", 1);
    assert.fieldEquals("RoyaltyParent", "20-0", "version", DERIVED_VERSION);
    assert.fieldEquals("RoyaltyParent", "20-0", "parent", PARENT_VERSION);
    assert.fieldEquals("RoyaltyParent", "20-0", "terms", PARENT_TERMS);
    assert.fieldEquals("RoyaltyParent", "20-0", "bps", "1000");

    let parents = DatasetVersion.load(DERIVED_VERSION)!.royaltyParents.load();
    assert.i32Equals(1, parents.length);
    assert.stringEquals(PARENT_VERSION, parents[0].parent);
    let children = DatasetVersion.load(PARENT_VERSION)!.royaltyChildren.load();
    assert.i32Equals(1, children.length);
    assert.stringEquals(DERIVED_VERSION, children[0].version);

    assertProvenance(1, 4, "RoyaltyParentsRecorded", BOB, "dataset version 20 pays 1 royalty parent(s), depth 1");
    assert.fieldEquals("ProvenanceEvent", logId(1, 4), "dataset", DERIVED_DATASET);
    assert.fieldEquals("ProvenanceEvent", logId(1, 4), "datasetVersion", DERIVED_VERSION);
  });

  test("numbers several parents in the order the event lists them", () => {
    handleRoyaltyParentsRecorded(royaltyParentsRecorded(2, 0, 30, [PARENT_VERSION_ID, DERIVED_VERSION_ID], [PARENT_TERMS_ID, DERIVED_TERMS_ID], [DERIVATIVE_ROYALTY_BPS, 250], 2));

    assert.entityCount("RoyaltyParent", 2);
    assert.fieldEquals("RoyaltyParent", "30-0", "parent", PARENT_VERSION);
    assert.fieldEquals("RoyaltyParent", "30-0", "terms", PARENT_TERMS);
    assert.fieldEquals("RoyaltyParent", "30-1", "version", "30");
    assert.fieldEquals("RoyaltyParent", "30-1", "parent", DERIVED_VERSION);
    assert.fieldEquals("RoyaltyParent", "30-1", "terms", DERIVED_TERMS);
    assert.fieldEquals("RoyaltyParent", "30-1", "bps", "250");
    assertProvenance(2, 0, "RoyaltyParentsRecorded", BOB, "dataset version 30 pays 2 royalty parent(s), depth 2");
  });
});

// ContributorsSet: one Contributor per share (account, bps, role, who named it), accounts, and a timeline entry.
describe("handleContributorsSet", () => {
  beforeEach(freshLineage);

  test("names the version's contributors and credits the setter (not the relayer) in the timeline", () => {
    handleContributorsSet(contributorsSet(3, 2, RELAYER, [DAVE, CAROL], [500, 250], [LABELLING, REVIEW], BOB));

    assert.entityCount("Contributor", 2);
    assert.fieldEquals("Contributor", "20-0", "version", DERIVED_VERSION);
    assert.fieldEquals("Contributor", "20-0", "account", DAVE);
    assert.fieldEquals("Contributor", "20-0", "bps", "500");
    assert.fieldEquals("Contributor", "20-0", "roleHash", word(LABELLING).toHexString());
    assert.fieldEquals("Contributor", "20-0", "setBy", BOB);
    assert.fieldEquals("Contributor", "20-0", "createdAt", timeOf(blockOf(3)).toString());
    assert.fieldEquals("Contributor", "20-1", "account", CAROL);
    assert.fieldEquals("Contributor", "20-1", "bps", "250");
    assert.fieldEquals("Contributor", "20-1", "roleHash", word(REVIEW).toHexString());
    assert.fieldEquals("Account", DAVE, "id", DAVE);
    assert.fieldEquals("Account", BOB, "id", BOB);
    assert.i32Equals(2, DatasetVersion.load(DERIVED_VERSION)!.contributors.load().length);

    assertProvenance(3, 2, "ContributorsSet", BOB, "2 contributor(s) named for dataset version 20");
    assert.fieldEquals("ProvenanceEvent", logId(3, 2), "dataset", DERIVED_DATASET);
    assert.fieldEquals("ProvenanceEvent", logId(3, 2), "datasetVersion", DERIVED_VERSION);
  });
});

// PaymentReceived: a Payment named licenceId-reportId, a sale for report 0, a use (linked to its report) otherwise.
describe("handlePaymentReceived", () => {
  beforeEach(freshLineage);

  test("a licence's sale (report 0) is a 'sale' payment with no usage report, on the settled version's dataset", () => {
    saleOfLicence();

    let id = paymentId(DERIVED_LICENCE_ID, SALE);
    assert.fieldEquals("Payment", id, "kind", "sale");
    assert.fieldEquals("Payment", id, "licence", DERIVED_LICENCE);
    assert.fieldEquals("Payment", id, "version", DERIVED_VERSION);
    assert.fieldEquals("Payment", id, "dataset", DERIVED_DATASET);
    assert.fieldEquals("Payment", id, "payer", CAROL);
    assert.fieldEquals("Payment", id, "currency", TOKEN);
    assert.fieldEquals("Payment", id, "amount", SALE_PRICE);
    assertStampedBy("Payment", id, 1);
    assert.assertNull(Payment.load(id)!.usageReport);
    assert.fieldEquals("Account", CAROL, "id", CAROL);
  });

  test("the dataset comes from the version the payment was settled on", () => {
    handlePaymentReceived(paymentReceived(4, 0, PARENT_LICENCE_ID, SALE, PARENT_VERSION_ID, TOKEN, "2500"));

    assert.fieldEquals("Payment", "5-0", "version", PARENT_VERSION);
    assert.fieldEquals("Payment", "5-0", "dataset", PARENT_DATASET);
    assert.fieldEquals("Payment", "5-0", "licence", PARENT_LICENCE);
    assert.fieldEquals("Payment", "5-0", "amount", "2500");
  });

  test("a usage report's payment is a 'use' payment linked to the report, next to the licence's sale", () => {
    saleOfLicence();
    paymentOfReport();

    let id = paymentId(DERIVED_LICENCE_ID, REPORT_ID);
    assert.fieldEquals("Payment", id, "kind", "use");
    assert.fieldEquals("Payment", id, "usageReport", "3");
    assert.fieldEquals("Payment", id, "currency", ETH);
    assert.fieldEquals("Payment", id, "amount", "500");
    assertStampedBy("Payment", id, 2);
    assert.fieldEquals("Payment", paymentId(DERIVED_LICENCE_ID, SALE), "kind", "sale");
    assert.i32Equals(2, Licence.load(DERIVED_LICENCE)!.payments.load().length);
    assert.i32Equals(2, Dataset.load(DERIVED_DATASET)!.payments.load().length);
    assert.i32Equals(0, Dataset.load(PARENT_DATASET)!.payments.load().length);
  });
});

// DerivationRoyaltyPaid: a DerivationRoyalty hop from the paying version up to its parent, under the payment it splits.
describe("handleDerivationRoyaltyPaid", () => {
  beforeEach(() => {
    freshLineage();
    saleOfLicence();
    paymentOfReport();
  });

  test("a sale's royalty hop links child and parent versions, their datasets, the parent's terms, in the payment's currency", () => {
    handleDerivationRoyaltyPaid(derivationRoyaltyPaid(1, 1, SALE, PARENT_ROYALTY));

    let id = logId(1, 1);
    assert.fieldEquals("DerivationRoyalty", id, "payment", paymentId(DERIVED_LICENCE_ID, SALE));
    assert.fieldEquals("DerivationRoyalty", id, "child", DERIVED_VERSION);
    assert.fieldEquals("DerivationRoyalty", id, "childDataset", DERIVED_DATASET);
    assert.fieldEquals("DerivationRoyalty", id, "parent", PARENT_VERSION);
    assert.fieldEquals("DerivationRoyalty", id, "parentDataset", PARENT_DATASET);
    assert.fieldEquals("DerivationRoyalty", id, "terms", PARENT_TERMS);
    assert.fieldEquals("DerivationRoyalty", id, "bps", "1000");
    assert.fieldEquals("DerivationRoyalty", id, "currency", TOKEN);
    assert.fieldEquals("DerivationRoyalty", id, "amount", PARENT_ROYALTY);
    assertStampedBy("DerivationRoyalty", id, 1);
    assert.i32Equals(1, Payment.load(paymentId(DERIVED_LICENCE_ID, SALE))!.derivations.load().length);
  });

  test("a usage payment's hop belongs to that payment (reportId), not to the licence's sale", () => {
    handleDerivationRoyaltyPaid(derivationRoyaltyPaid(2, 2, REPORT_ID, "50"));

    let id = logId(2, 2);
    assert.fieldEquals("DerivationRoyalty", id, "payment", paymentId(DERIVED_LICENCE_ID, REPORT_ID));
    assert.fieldEquals("DerivationRoyalty", id, "currency", ETH);
    assert.fieldEquals("DerivationRoyalty", id, "amount", "50");
    assert.i32Equals(0, Payment.load(paymentId(DERIVED_LICENCE_ID, SALE))!.derivations.load().length);
  });
});

// RoyaltyCredited: a RoyaltyCredit (kind, source, via derivation or not), the recipient's balance, a timeline entry.
describe("handleRoyaltyCredited", () => {
  beforeEach(() => {
    freshLineage();
    saleOfLicence();
    paymentOfReport();
  });

  test("a creator split at the paid version: a 'split' of a 'sale', not via derivation, added to the balance", () => {
    handleRoyaltyCredited(royaltyCredited(1, 4, BOB, TOKEN, SALE, DERIVED_VERSION_ID, SPLIT, BOB_SHARE));

    let id = logId(1, 4);
    assert.fieldEquals("RoyaltyCredit", id, "recipient", BOB);
    assert.fieldEquals("RoyaltyCredit", id, "currency", TOKEN);
    assert.fieldEquals("RoyaltyCredit", id, "payment", paymentId(DERIVED_LICENCE_ID, SALE));
    assert.fieldEquals("RoyaltyCredit", id, "licence", DERIVED_LICENCE);
    assert.fieldEquals("RoyaltyCredit", id, "version", DERIVED_VERSION);
    assert.fieldEquals("RoyaltyCredit", id, "dataset", DERIVED_DATASET);
    assert.fieldEquals("RoyaltyCredit", id, "kind", "split");
    assert.fieldEquals("RoyaltyCredit", id, "viaDerivation", "false");
    assert.fieldEquals("RoyaltyCredit", id, "source", "sale");
    assert.fieldEquals("RoyaltyCredit", id, "amount", BOB_SHARE);
    assertStampedBy("RoyaltyCredit", id, 1);
    assertBalance(BOB, TOKEN, BOB_SHARE, "0", "0", BOB_SHARE);

    assertProvenance(1, 4, "RoyaltyCredited", CAROL, BOB_SHARE + " credited to " + BOB + " (royalty) from licence 7");
    assert.fieldEquals("ProvenanceEvent", id, "licence", DERIVED_LICENCE);
    assert.fieldEquals("ProvenanceEvent", id, "dataset", DERIVED_DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "datasetVersion", DERIVED_VERSION);
  });

  test("a credit at a royalty parent is via derivation, on the parent's dataset, under the licence that was paid", () => {
    handleRoyaltyCredited(royaltyCredited(1, 2, ALICE, TOKEN, SALE, PARENT_VERSION_ID, SPLIT, PARENT_ROYALTY));

    let id = logId(1, 2);
    assert.fieldEquals("RoyaltyCredit", id, "version", PARENT_VERSION);
    assert.fieldEquals("RoyaltyCredit", id, "dataset", PARENT_DATASET);
    assert.fieldEquals("RoyaltyCredit", id, "licence", DERIVED_LICENCE);
    assert.fieldEquals("RoyaltyCredit", id, "viaDerivation", "true");
    assert.fieldEquals("RoyaltyCredit", id, "source", "sale");
    assertBalance(ALICE, TOKEN, PARENT_ROYALTY, "0", "0", PARENT_ROYALTY);
    assertProvenance(1, 2, "RoyaltyCredited", CAROL, PARENT_ROYALTY + " credited to " + ALICE + " (royalty by derivation) from licence 7");
    assert.fieldEquals("ProvenanceEvent", id, "dataset", PARENT_DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "datasetVersion", PARENT_VERSION);
    assert.i32Equals(1, Dataset.load(PARENT_DATASET)!.royaltyCredits.load().length);
    assert.i32Equals(0, Dataset.load(DERIVED_DATASET)!.royaltyCredits.load().length);
  });

  test("a contributor's share of a usage payment is a 'contribution' of a 'use'", () => {
    handleRoyaltyCredited(royaltyCredited(2, 3, DAVE, ETH, REPORT_ID, DERIVED_VERSION_ID, CONTRIBUTION, "25"));

    let id = logId(2, 3);
    assert.fieldEquals("RoyaltyCredit", id, "payment", paymentId(DERIVED_LICENCE_ID, REPORT_ID));
    assert.fieldEquals("RoyaltyCredit", id, "kind", "contribution");
    assert.fieldEquals("RoyaltyCredit", id, "source", "use");
    assert.fieldEquals("RoyaltyCredit", id, "viaDerivation", "false");
    assertBalance(DAVE, ETH, "25", "0", "0", "25");
    assertProvenance(2, 3, "RoyaltyCredited", CAROL, "25 credited to " + DAVE + " (contributor share) from licence 7");
  });

  test("credits add up per recipient and currency", () => {
    handleRoyaltyCredited(royaltyCredited(1, 4, BOB, TOKEN, SALE, DERIVED_VERSION_ID, SPLIT, BOB_SHARE));
    handleRoyaltyCredited(royaltyCredited(2, 4, BOB, ETH, REPORT_ID, DERIVED_VERSION_ID, SPLIT, "400"));
    handleRoyaltyCredited(royaltyCredited(5, 4, BOB, TOKEN, SALE, DERIVED_VERSION_ID, SPLIT, "145000000000000000000"));

    assert.entityCount("RoyaltyCredit", 3);
    assert.entityCount("RoyaltyBalance", 2);
    assertBalance(BOB, TOKEN, SALE_PRICE, "0", "0", SALE_PRICE);
    assertBalance(BOB, ETH, "400", "0", "0", "400");
    assert.i32Equals(3, Account.load(Bytes.fromHexString(BOB))!.royaltyCredits.load().length);
  });
});

// UsageReported: the UsageReport (linked to its payment), the licence's cumulative LicenceUsage, a timeline entry.
describe("handleUsageReported", () => {
  beforeEach(freshLineage);

  test("a report sent by the licensee itself: not via signature, its payment linked, usage counted", () => {
    handleUsageReported(usageReported(2, 0, REPORT_ID, 50, 500, 0, CAROL));

    let id = "3";
    assert.fieldEquals("UsageReport", id, "reportId", "3");
    assert.fieldEquals("UsageReport", id, "licence", DERIVED_LICENCE);
    assert.fieldEquals("UsageReport", id, "version", DERIVED_VERSION);
    assert.fieldEquals("UsageReport", id, "licensee", CAROL);
    assert.fieldEquals("UsageReport", id, "units", "50");
    assert.fieldEquals("UsageReport", id, "cost", "500");
    assert.fieldEquals("UsageReport", id, "fromDeposit", "0");
    assert.fieldEquals("UsageReport", id, "reportHash", word("4e903").toHexString());
    assert.fieldEquals("UsageReport", id, "reportURI", "ipfs://usage-report-3");
    assert.fieldEquals("UsageReport", id, "submittedBy", CAROL);
    assert.fieldEquals("UsageReport", id, "viaSignature", "false");
    assert.fieldEquals("UsageReport", id, "payment", paymentId(DERIVED_LICENCE_ID, REPORT_ID));
    assertStampedBy("UsageReport", id, 2);
    assertUsage("50", "1", "500", "0", "0");
    assert.i32Equals(1, Licence.load(DERIVED_LICENCE)!.usageReports.load().length);

    assertProvenance(2, 0, "UsageReported", CAROL, "usage report 3: 50 unit(s) of dataset version 20 under licence 7, paid 500");
    assert.fieldEquals("ProvenanceEvent", logId(2, 0), "licence", DERIVED_LICENCE);
    assert.fieldEquals("ProvenanceEvent", logId(2, 0), "datasetVersion", DERIVED_VERSION);
    assert.fieldEquals("ProvenanceEvent", logId(2, 0), "usageReport", id);
  });

  test("a signed report relayed by another account is via signature, and the relayer is the actor", () => {
    handleUsageReported(usageReported(2, 0, REPORT_ID, 50, 500, 0, RELAYER));

    assert.fieldEquals("UsageReport", "3", "licensee", CAROL);
    assert.fieldEquals("UsageReport", "3", "submittedBy", RELAYER);
    assert.fieldEquals("UsageReport", "3", "viaSignature", "true");
    assert.fieldEquals("Account", RELAYER, "id", RELAYER);
    assert.fieldEquals("ProvenanceEvent", logId(2, 0), "actor", RELAYER);
  });

  test("reports of one licence add up units, count and cost", () => {
    handleUsageReported(usageReported(2, 0, REPORT_ID, 50, 500, 0, CAROL));
    handleUsageReported(usageReported(6, 0, 4, 12, 120, 0, RELAYER));

    assert.entityCount("UsageReport", 2);
    assert.fieldEquals("UsageReport", "4", "payment", paymentId(DERIVED_LICENCE_ID, 4));
    assertUsage("62", "2", "620", "0", "0");
  });
});

// UsageDeposited: the licence's LicenceUsage gains the deposit (total deposited and what is left).
describe("handleUsageDeposited", () => {
  beforeEach(freshLineage);

  test("a first deposit opens the licence's usage; a second adds to it; no balance moves", () => {
    handleUsageDeposited(usageDeposited(1, 300));
    assertUsage("0", "0", "0", "300", "300");

    handleUsageDeposited(usageDeposited(2, 200));
    assertUsage("0", "0", "0", "500", "500");
    assert.entityCount("RoyaltyBalance", 0);
  });
});

// UsageDepositReleased: what is left of a deposit goes back to the licensee's withdrawable balance.
describe("handleUsageDepositReleased", () => {
  beforeEach(freshLineage);

  test("a deposit drawn down by a report, then its rest released to the licensee's balance", () => {
    handleUsageDeposited(usageDeposited(1, 300));
    handleUsageReported(usageReported(2, 0, REPORT_ID, 50, 500, 200, CAROL));
    assert.fieldEquals("UsageReport", "3", "fromDeposit", "200");
    assertUsage("50", "1", "500", "300", "100");

    handleUsageDepositReleased(usageDepositReleased(3, 100));
    assertUsage("50", "1", "500", "300", "0");
    assertBalance(CAROL, TOKEN, "0", "100", "0", "100");
  });
});

// RoyaltyWithdrawn: a RoyaltyWithdrawal, the balance emptied (withdrawn counted), a timeline entry with no subject.
describe("handleRoyaltyWithdrawn", () => {
  beforeEach(() => {
    freshLineage();
    saleOfLicence();
    paymentOfReport();
    handleRoyaltyCredited(royaltyCredited(1, 4, BOB, TOKEN, SALE, DERIVED_VERSION_ID, SPLIT, BOB_SHARE));
    handleRoyaltyCredited(royaltyCredited(2, 4, BOB, ETH, REPORT_ID, DERIVED_VERSION_ID, SPLIT, "400"));
  });

  test("a withdrawal to another wallet lowers the balance to zero and leaves the other currency alone", () => {
    handleRoyaltyWithdrawn(royaltyWithdrawn(7, BOB, TOKEN, BOB_WALLET, BOB_SHARE));

    let id = logId(7, 0);
    assert.fieldEquals("RoyaltyWithdrawal", id, "recipient", BOB);
    assert.fieldEquals("RoyaltyWithdrawal", id, "currency", TOKEN);
    assert.fieldEquals("RoyaltyWithdrawal", id, "to", BOB_WALLET);
    assert.fieldEquals("RoyaltyWithdrawal", id, "amount", BOB_SHARE);
    assertStampedBy("RoyaltyWithdrawal", id, 7);
    assertBalance(BOB, TOKEN, BOB_SHARE, "0", BOB_SHARE, "0");
    assertBalance(BOB, ETH, "400", "0", "0", "400");

    assertProvenance(7, 0, "RoyaltyWithdrawn", BOB, BOB + " withdrew " + BOB_SHARE);
    let entry = ProvenanceEvent.load(id)!;
    assert.assertNull(entry.dataset);
    assert.assertNull(entry.licence);
  });

  test("a licensee's released deposit is withdrawn like a royalty", () => {
    handleUsageDeposited(usageDeposited(3, 300));
    handleUsageDepositReleased(usageDepositReleased(4, 300));
    handleRoyaltyWithdrawn(royaltyWithdrawn(8, CAROL, TOKEN, CAROL, "300"));

    assertBalance(CAROL, TOKEN, "0", "300", "300", "0");
    assert.fieldEquals("RoyaltyWithdrawal", logId(8, 0), "to", CAROL);
  });
});

// ---- scenario -----------------------------------------------------------------------------------------------------

// One sale settled up the lineage in one transaction (payment, hop, three credits), then BOB withdraws: the payment's
// derived credits and hops, the datasets' credits, and the provenance timeline in chain order.
describe("a sale settled up the lineage, then withdrawn", () => {
  beforeEach(() => {
    freshLineage();
    handlePaymentReceived(paymentReceived(1, 0, DERIVED_LICENCE_ID, SALE, DERIVED_VERSION_ID, TOKEN, SALE_PRICE));
    handleDerivationRoyaltyPaid(derivationRoyaltyPaid(1, 1, SALE, PARENT_ROYALTY));
    handleRoyaltyCredited(royaltyCredited(1, 2, ALICE, TOKEN, SALE, PARENT_VERSION_ID, SPLIT, PARENT_ROYALTY));
    handleRoyaltyCredited(royaltyCredited(1, 3, DAVE, TOKEN, SALE, DERIVED_VERSION_ID, CONTRIBUTION, DAVE_SHARE));
    handleRoyaltyCredited(royaltyCredited(1, 4, BOB, TOKEN, SALE, DERIVED_VERSION_ID, SPLIT, BOB_SHARE));
    handleRoyaltyWithdrawn(royaltyWithdrawn(2, BOB, TOKEN, BOB, BOB_SHARE));
  });

  test("the payment carries its hop and its three credits; each dataset sees the credits settled at its versions", () => {
    let payment = Payment.load(paymentId(DERIVED_LICENCE_ID, SALE))!;
    let credits = payment.credits.load();
    assert.i32Equals(3, credits.length);
    let total = BigInt.zero();
    for (let i = 0; i < credits.length; i++) total = total.plus(credits[i].amount);
    assert.bigIntEquals(payment.amount, total);
    assert.i32Equals(1, payment.derivations.load().length);

    assert.i32Equals(1, Dataset.load(PARENT_DATASET)!.royaltyCredits.load().length);
    assert.i32Equals(2, Dataset.load(DERIVED_DATASET)!.royaltyCredits.load().length);
    assert.i32Equals(3, Licence.load(DERIVED_LICENCE)!.royalties.load().length);
    assert.fieldEquals("RoyaltyCredit", logId(1, 2), "viaDerivation", "true");
    assert.fieldEquals("RoyaltyCredit", logId(1, 3), "viaDerivation", "false");
  });

  test("the timeline: three credits in log order in the sale's transaction, then the withdrawal", () => {
    assert.entityCount("ProvenanceEvent", 4);
    assertProvenance(1, 2, "RoyaltyCredited", CAROL, PARENT_ROYALTY + " credited to " + ALICE + " (royalty by derivation) from licence 7");
    assertProvenance(1, 3, "RoyaltyCredited", CAROL, DAVE_SHARE + " credited to " + DAVE + " (contributor share) from licence 7");
    assertProvenance(1, 4, "RoyaltyCredited", CAROL, BOB_SHARE + " credited to " + BOB + " (royalty) from licence 7");
    assertProvenance(2, 0, "RoyaltyWithdrawn", BOB, BOB + " withdrew " + BOB_SHARE);
    assert.i32Equals(3, Licence.load(DERIVED_LICENCE)!.history.load().length);
    assert.i32Equals(1, Dataset.load(PARENT_DATASET)!.history.load().length);
    assert.i32Equals(1, Account.load(Bytes.fromHexString(BOB))!.history.load().length);

    assertBalance(ALICE, TOKEN, PARENT_ROYALTY, "0", "0", PARENT_ROYALTY);
    assertBalance(DAVE, TOKEN, DAVE_SHARE, "0", "0", DAVE_SHARE);
    assertBalance(BOB, TOKEN, BOB_SHARE, "0", BOB_SHARE, "0");
  });
});
