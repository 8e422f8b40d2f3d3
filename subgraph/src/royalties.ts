// Mappings of RoyaltyRegistry, Pedigree's treasury: payments (sales and usage), their settlement up the lineage
// (derivation royalties) and down to contributors and creator splits, usage reports and deposits, withdrawals.
import { BigInt } from "@graphprotocol/graph-ts";
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
import {
  Contributor,
  DatasetVersion,
  DerivationRoyalty,
  LicenceUsage,
  Payment,
  RoyaltyCredit,
  RoyaltyParent,
  RoyaltyWithdrawal,
  UsageReport,
} from "../../generated/schema";
import { eventId, getOrCreateAccount, getOrCreateBalance, idOf, provenance } from "./helpers";

const SHARE_KINDS = ["split", "contribution"];

/** A payment's id: licenceId-reportId (report 0 = the licence's sale). */
function paymentId(licenceId: BigInt, reportId: BigInt): string {
  return idOf(licenceId) + "-" + idOf(reportId);
}

export function handleRoyaltyParentsRecorded(event: RoyaltyParentsRecorded): void {
  let versionId = idOf(event.params.versionId);
  let parents = event.params.parents;
  for (let i = 0; i < parents.length; i++) {
    let parent = new RoyaltyParent(versionId + "-" + i.toString());
    parent.version = versionId;
    parent.parent = idOf(parents[i].versionId);
    parent.terms = idOf(parents[i].termsId);
    parent.bps = parents[i].bps;
    parent.save();
  }
  let entry = provenance(
    event,
    "RoyaltyParentsRecorded",
    event.transaction.from,
    "dataset version " + versionId + " pays " + parents.length.toString() + " royalty parent(s), depth " + event.params.depth.toString(),
  );
  entry.dataset = idOf(event.params.datasetId);
  entry.datasetVersion = versionId;
  entry.save();
}

export function handleContributorsSet(event: ContributorsSet): void {
  let versionId = idOf(event.params.versionId);
  let setBy = getOrCreateAccount(event.params.setBy);
  let contributors = event.params.contributors;
  for (let i = 0; i < contributors.length; i++) {
    let contributor = new Contributor(versionId + "-" + i.toString());
    contributor.version = versionId;
    contributor.account = getOrCreateAccount(contributors[i].account).id;
    contributor.bps = contributors[i].bps;
    contributor.roleHash = contributors[i].roleHash;
    contributor.setBy = setBy.id;
    contributor.createdAt = event.block.timestamp;
    contributor.save();
  }
  let entry = provenance(event, "ContributorsSet", setBy.id, contributors.length.toString() + " contributor(s) named for dataset version " + versionId);
  entry.dataset = idOf(event.params.datasetId);
  entry.datasetVersion = versionId;
  entry.save();
}

export function handlePaymentReceived(event: PaymentReceived): void {
  let payment = new Payment(paymentId(event.params.licenceId, event.params.reportId));
  payment.kind = event.params.reportId.isZero() ? "sale" : "use";
  payment.licence = idOf(event.params.licenceId);
  if (!event.params.reportId.isZero()) payment.usageReport = idOf(event.params.reportId);
  payment.version = idOf(event.params.versionId);
  payment.dataset = DatasetVersion.load(payment.version)!.dataset;
  payment.payer = getOrCreateAccount(event.params.payer).id;
  payment.currency = event.params.currency;
  payment.amount = event.params.amount;
  payment.blockNumber = event.block.number;
  payment.timestamp = event.block.timestamp;
  payment.transactionHash = event.transaction.hash;
  payment.save();
}

export function handleDerivationRoyaltyPaid(event: DerivationRoyaltyPaid): void {
  let payment = Payment.load(paymentId(event.params.licenceId, event.params.reportId))!;
  let hop = new DerivationRoyalty(eventId(event));
  hop.payment = payment.id;
  hop.child = idOf(event.params.versionId);
  hop.childDataset = DatasetVersion.load(hop.child)!.dataset;
  hop.parent = idOf(event.params.parentVersionId);
  hop.parentDataset = DatasetVersion.load(hop.parent)!.dataset;
  hop.terms = idOf(event.params.termsId);
  hop.bps = event.params.bps;
  hop.currency = payment.currency;
  hop.amount = event.params.amount;
  hop.blockNumber = event.block.number;
  hop.timestamp = event.block.timestamp;
  hop.transactionHash = event.transaction.hash;
  hop.save();
}

export function handleRoyaltyCredited(event: RoyaltyCredited): void {
  let recipient = getOrCreateAccount(event.params.recipient);
  let payment = Payment.load(paymentId(event.params.licenceId, event.params.reportId))!;
  let credit = new RoyaltyCredit(eventId(event));
  credit.recipient = recipient.id;
  credit.currency = event.params.currency;
  credit.payment = payment.id;
  credit.licence = payment.licence;
  credit.version = idOf(event.params.versionId);
  credit.dataset = DatasetVersion.load(credit.version)!.dataset;
  credit.kind = SHARE_KINDS[event.params.kind];
  credit.viaDerivation = credit.version != payment.version;
  credit.source = payment.kind;
  credit.amount = event.params.amount;
  credit.blockNumber = event.block.number;
  credit.timestamp = event.block.timestamp;
  credit.transactionHash = event.transaction.hash;
  credit.save();

  let balance = getOrCreateBalance(recipient.id, event.params.currency);
  balance.credited = balance.credited.plus(event.params.amount);
  balance.balance = balance.balance.plus(event.params.amount);
  balance.save();

  let how = credit.kind == "contribution" ? "contributor share" : "royalty";
  if (credit.viaDerivation) how = how + " by derivation";
  let entry = provenance(
    event,
    "RoyaltyCredited",
    event.transaction.from,
    event.params.amount.toString() + " credited to " + recipient.id.toHexString() + " (" + how + ") from licence " + credit.licence,
  );
  entry.licence = credit.licence;
  entry.dataset = credit.dataset;
  entry.datasetVersion = credit.version;
  entry.save();
}

export function handleUsageReported(event: UsageReported): void {
  let licensee = getOrCreateAccount(event.params.licensee);
  let submittedBy = getOrCreateAccount(event.params.submittedBy);
  let report = new UsageReport(idOf(event.params.reportId));
  report.reportId = event.params.reportId;
  report.licence = idOf(event.params.licenceId);
  report.version = idOf(event.params.versionId);
  report.licensee = licensee.id;
  report.units = event.params.units;
  report.cost = event.params.cost;
  report.fromDeposit = event.params.fromDeposit;
  report.reportHash = event.params.reportHash;
  report.reportURI = event.params.reportURI;
  report.submittedBy = submittedBy.id;
  report.viaSignature = submittedBy.id != licensee.id;
  report.payment = paymentId(event.params.licenceId, event.params.reportId);
  report.blockNumber = event.block.number;
  report.timestamp = event.block.timestamp;
  report.transactionHash = event.transaction.hash;
  report.save();

  let usage = getOrCreateUsage(report.licence);
  usage.units = usage.units.plus(event.params.units);
  usage.reports = usage.reports + 1;
  usage.paid = usage.paid.plus(event.params.cost);
  usage.deposit = usage.deposit.minus(event.params.fromDeposit);
  usage.save();

  let entry = provenance(
    event,
    "UsageReported",
    submittedBy.id,
    "usage report " + report.id + ": " + report.units.toString() + " unit(s) of dataset version " + report.version + " under licence " + report.licence + ", paid " + report.cost.toString(),
  );
  entry.licence = report.licence;
  entry.datasetVersion = report.version;
  entry.usageReport = report.id;
  entry.save();
}

export function handleUsageDeposited(event: UsageDeposited): void {
  let usage = getOrCreateUsage(idOf(event.params.licenceId));
  usage.deposited = usage.deposited.plus(event.params.amount);
  usage.deposit = usage.deposit.plus(event.params.amount);
  usage.save();
}

export function handleUsageDepositReleased(event: UsageDepositReleased): void {
  let usage = getOrCreateUsage(idOf(event.params.licenceId));
  usage.deposit = usage.deposit.minus(event.params.amount);
  usage.save();
  let balance = getOrCreateBalance(event.params.licensee, event.params.currency);
  balance.released = balance.released.plus(event.params.amount);
  balance.balance = balance.balance.plus(event.params.amount);
  balance.save();
}

export function handleRoyaltyWithdrawn(event: RoyaltyWithdrawn): void {
  let recipient = getOrCreateAccount(event.params.recipient);
  let withdrawal = new RoyaltyWithdrawal(eventId(event));
  withdrawal.recipient = recipient.id;
  withdrawal.currency = event.params.currency;
  withdrawal.to = event.params.to;
  withdrawal.amount = event.params.amount;
  withdrawal.blockNumber = event.block.number;
  withdrawal.timestamp = event.block.timestamp;
  withdrawal.transactionHash = event.transaction.hash;
  withdrawal.save();

  let balance = getOrCreateBalance(recipient.id, event.params.currency);
  balance.withdrawn = balance.withdrawn.plus(event.params.amount);
  balance.balance = BigInt.zero();
  balance.save();

  let entry = provenance(event, "RoyaltyWithdrawn", recipient.id, recipient.id.toHexString() + " withdrew " + event.params.amount.toString());
  entry.save();
}

function getOrCreateUsage(licenceId: string): LicenceUsage {
  let usage = LicenceUsage.load(licenceId);
  if (usage == null) {
    usage = new LicenceUsage(licenceId);
    usage.licence = licenceId;
    usage.units = BigInt.zero();
    usage.reports = 0;
    usage.paid = BigInt.zero();
    usage.deposited = BigInt.zero();
    usage.deposit = BigInt.zero();
  }
  return usage;
}
