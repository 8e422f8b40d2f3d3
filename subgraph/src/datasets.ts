// Mappings of DatasetRegistry: datasets, versions, terms, licences and refunds (the money is in ./royalties.ts).
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import {
  ClaimCommitted,
  ClaimPriorityProven,
  ConsentRevoked,
  DatasetRegistered,
  DatasetVersionPublished,
  DatasetWithdrawn,
  LicenceAcquired,
  LicenceRefunded,
  TermsCleared,
  TermsSet,
  Transfer,
} from "../../generated/DatasetRegistry/DatasetRegistry";
import {
  Dataset,
  DatasetVersion,
  Licence,
  LicenceRefund,
  LicenceTerms,
  RoyaltySplit,
  TermsClearance,
} from "../../generated/schema";
import {
  DATASET_FINGERPRINT,
  getOrCreateContent,
  isEarlier,
  eventId,
  getOrCreateAccount,
  getOrCreateBalance,
  idOf,
  priorityProof,
  provenance,
  recordCommitment,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./helpers";

export function handleDatasetRegistered(event: DatasetRegistered): void {
  let owner = getOrCreateAccount(event.params.owner);
  let dataset = new Dataset(idOf(event.params.datasetId));
  dataset.datasetId = event.params.datasetId;
  dataset.creator = owner.id;
  dataset.owner = owner.id;
  dataset.withdrawn = false;
  dataset.consentRevoked = false;
  dataset.versionCount = 0;
  dataset.createdAtBlock = event.block.number;
  dataset.createdAt = event.block.timestamp;
  dataset.createdTx = event.transaction.hash;
  dataset.save();

  let entry = provenance(event, "DatasetRegistered", owner.id, "dataset " + dataset.id + " registered");
  entry.dataset = dataset.id;
  entry.save();
}

export function handleDatasetVersionPublished(event: DatasetVersionPublished): void {
  let publisher = getOrCreateAccount(event.params.publisher);
  let datasetId = idOf(event.params.datasetId);
  let dataset = Dataset.load(datasetId)!;
  let version = new DatasetVersion(idOf(event.params.versionId));
  version.versionId = event.params.versionId;
  version.dataset = datasetId;
  version.number = event.params.number.toI32();
  version.fingerprint = event.params.fingerprint;
  version.content = getOrCreateContent(event.params.fingerprint).id;
  // The registry claims the fingerprint for the dataset's owner at publication (the publisher may be its operator).
  version.claimant = dataset.owner;
  version.manifestRoot = event.params.manifestRoot;
  version.metadataHash = event.params.metadataHash;
  version.uri = event.params.uri;
  version.transformationHash = event.params.transformationHash;
  version.publisher = publisher.id;
  version.originRegions = event.params.originRegions;
  // A policy is declared by its hash; a URI sent without one (the SDK and CLI refuse that) is kept as sent.
  if (event.params.handlingPolicyHash.notEqual(ZERO_HASH)) version.handlingPolicyHash = event.params.handlingPolicyHash;
  if (event.params.handlingPolicyURI.length > 0) version.handlingPolicyURI = event.params.handlingPolicyURI;
  version.inheritedTrainingTerritories = event.params.inheritedTrainingTerritories;
  version.inheritedDeploymentTerritories = event.params.inheritedDeploymentTerritories;
  let parents = new Array<string>();
  let parentIds = event.params.parentVersionIds;
  for (let i = 0; i < parentIds.length; i++) parents.push(idOf(parentIds[i]));
  version.parents = parents;
  version.parentLicenceIds = event.params.parentLicenceIds;
  version.createdAtBlock = event.block.number;
  version.createdAt = event.block.timestamp;
  version.createdTx = event.transaction.hash;
  version.createdLogIndex = event.logIndex;
  version.save();

  dataset.versionCount = version.number;
  dataset.save();

  let entry = provenance(
    event,
    "DatasetVersionPublished",
    publisher.id,
    "dataset " + datasetId + " version " + version.number.toString() + " (" + version.fingerprint.toHexString() + ")",
    0,
  );
  entry.dataset = datasetId;
  entry.datasetVersion = version.id;
  entry.save();
  let parentLicenceIds = event.params.parentLicenceIds;
  for (let i = 0; i < parents.length; i++) {
    let licenceId = parentLicenceIds[i];
    let basis = licenceId.isZero() ? " (the owner's own data)" : " under licence " + idOf(licenceId);
    let derived = provenance(
      event,
      "DatasetDerived",
      publisher.id,
      "dataset version " + version.id + " derived from " + parents[i] + basis,
      i + 1,
    );
    if (!licenceId.isZero()) derived.licence = idOf(licenceId);
    derived.datasetVersion = parents[i];
    derived.save();
  }
}

export function handleDatasetWithdrawn(event: DatasetWithdrawn): void {
  let by = getOrCreateAccount(event.params.by);
  let dataset = Dataset.load(idOf(event.params.datasetId))!;
  dataset.withdrawn = true;
  dataset.withdrawnAt = event.block.timestamp;
  dataset.withdrawalReason = event.params.reason;
  dataset.save();

  let entry = provenance(event, "DatasetWithdrawn", by.id, "dataset " + dataset.id + " withdrawn: " + event.params.reason);
  entry.dataset = dataset.id;
  entry.save();
}

export function handleConsentRevoked(event: ConsentRevoked): void {
  let by = getOrCreateAccount(event.params.by);
  let dataset = Dataset.load(idOf(event.params.datasetId))!;
  dataset.consentRevoked = true;
  dataset.consentRevokedAt = event.block.timestamp;
  dataset.consentRevocationReason = event.params.reason;
  dataset.consentRevokedBy = by.id;
  dataset.save();

  let entry = provenance(event, "ConsentRevoked", by.id, "consent to dataset " + dataset.id + " revoked: " + event.params.reason);
  entry.dataset = dataset.id;
  entry.save();
}

export function handleTransfer(event: Transfer): void {
  // Mints are recorded by DatasetRegistered; burns do not exist.
  if (event.params.from.equals(ZERO_ADDRESS)) return;
  let to = getOrCreateAccount(event.params.to);
  let dataset = Dataset.load(idOf(event.params.tokenId))!;
  dataset.owner = to.id;
  dataset.save();

  let entry = provenance(
    event,
    "DatasetTransferred",
    event.params.from,
    "dataset " + dataset.id + " transferred to " + to.id.toHexString(),
  );
  entry.dataset = dataset.id;
  entry.save();
}

export function handleTermsCleared(event: TermsCleared): void {
  let newOwner = getOrCreateAccount(event.params.newOwner);
  let datasetId = idOf(event.params.datasetId);
  let clearance = new TermsClearance(eventId(event));
  clearance.dataset = datasetId;
  clearance.previousTerms = idOf(event.params.previousTermsId);
  clearance.newOwner = newOwner.id;
  clearance.blockNumber = event.block.number;
  clearance.timestamp = event.block.timestamp;
  clearance.transactionHash = event.transaction.hash;
  clearance.save();

  let dataset = Dataset.load(datasetId)!;
  dataset.currentTerms = null;
  dataset.save();

  let entry = provenance(
    event,
    "TermsCleared",
    event.transaction.from,
    "terms " + clearance.previousTerms + " of dataset " + datasetId + " cleared by its transfer to " + newOwner.id.toHexString(),
  );
  entry.dataset = datasetId;
  entry.save();
}

export function handleTermsSet(event: TermsSet): void {
  let setBy = getOrCreateAccount(event.params.setBy);
  let datasetId = idOf(event.params.datasetId);
  let terms = new LicenceTerms(idOf(event.params.termsId));
  terms.termsId = event.params.termsId;
  terms.dataset = datasetId;
  terms.currency = event.params.currency;
  terms.price = event.params.price;
  terms.duration = event.params.duration;
  terms.commercialUse = event.params.commercialUse;
  terms.derivativesAllowed = event.params.derivativesAllowed;
  terms.documentHash = event.params.documentHash;
  terms.documentURI = event.params.documentURI;
  terms.trainingTerritories = event.params.trainingTerritories;
  terms.deploymentTerritories = event.params.deploymentTerritories;
  terms.unitPrice = event.params.unitPrice;
  terms.unit = event.params.unit;
  terms.derivativeRoyaltyBps = event.params.derivativeRoyaltyBps;
  terms.setBy = setBy.id;
  terms.createdAtBlock = event.block.number;
  terms.createdAt = event.block.timestamp;
  terms.createdTx = event.transaction.hash;
  terms.save();

  let splits = event.params.splits;
  for (let i = 0; i < splits.length; i++) {
    let recipient = getOrCreateAccount(splits[i].recipient);
    let split = new RoyaltySplit(terms.id + "-" + i.toString());
    split.terms = terms.id;
    split.index = i;
    split.recipient = recipient.id;
    split.bps = splits[i].bps;
    split.save();
  }

  let dataset = Dataset.load(datasetId)!;
  dataset.currentTerms = terms.id;
  dataset.save();

  let entry = provenance(
    event,
    "TermsSet",
    setBy.id,
    "terms " + terms.id + " for dataset " + datasetId + ": price " + terms.price.toString() + ", " + terms.documentURI,
  );
  entry.dataset = datasetId;
  entry.save();
}

export function handleLicenceAcquired(event: LicenceAcquired): void {
  let licensee = getOrCreateAccount(event.params.licensee);
  let payer = getOrCreateAccount(event.params.payer);
  let licence = new Licence(idOf(event.params.licenceId));
  licence.licenceId = event.params.licenceId;
  licence.dataset = idOf(event.params.datasetId);
  licence.terms = idOf(event.params.termsId);
  licence.licensee = licensee.id;
  licence.payer = payer.id;
  licence.currency = event.params.currency;
  licence.amount = event.params.amount;
  licence.expiresAt = event.params.expiresAt;
  licence.createdAtBlock = event.block.number;
  licence.createdAt = event.block.timestamp;
  licence.createdTx = event.transaction.hash;
  licence.save();

  let entry = provenance(
    event,
    "LicenceAcquired",
    payer.id,
    "licence " + licence.id + " of dataset " + licence.dataset + " for " + licensee.id.toHexString(),
  );
  entry.dataset = licence.dataset;
  entry.licence = licence.id;
  entry.save();
}

export function handleLicenceRefunded(event: LicenceRefunded): void {
  let licensee = getOrCreateAccount(event.params.licensee);
  let refundedBy = getOrCreateAccount(event.params.refundedBy);
  let refund = new LicenceRefund(idOf(event.params.licenceId));
  refund.licence = refund.id;
  refund.dataset = idOf(event.params.datasetId);
  refund.licensee = licensee.id;
  refund.currency = event.params.currency;
  refund.amount = event.params.amount;
  refund.refundedBy = refundedBy.id;
  refund.blockNumber = event.block.number;
  refund.timestamp = event.block.timestamp;
  refund.transactionHash = event.transaction.hash;
  refund.save();

  // The refund is credited to the licensee's withdrawable balance, which withdrawRoyalties empties with royalties.
  let balance = getOrCreateBalance(licensee.id, event.params.currency);
  balance.refunded = balance.refunded.plus(event.params.amount);
  balance.balance = balance.balance.plus(event.params.amount);
  balance.save();

  // ETH sent above the due is credited back to the payer.
  let surplus = event.params.surplus;
  if (surplus.gt(BigInt.zero())) {
    let payer = getOrCreateBalance(refundedBy.id, ZERO_ADDRESS);
    payer.surplus = payer.surplus.plus(surplus);
    payer.balance = payer.balance.plus(surplus);
    payer.save();
  }

  let entry = provenance(
    event,
    "LicenceRefunded",
    refundedBy.id,
    "licence " + refund.id + " of dataset " + refund.dataset + " voided: " + event.params.amount.toString() + " refunded to " + licensee.id.toHexString(),
  );
  entry.dataset = refund.dataset;
  entry.licence = refund.id;
  entry.save();
}

export function handleClaimCommitted(event: ClaimCommitted): void {
  recordCommitment(event, DATASET_FINGERPRINT, event.params.commitment, event.params.committer, event.params.committedAt);
}

export function handleClaimPriorityProven(event: ClaimPriorityProven): void {
  let versionId = idOf(event.params.versionId);
  let proof = priorityProof(event, DATASET_FINGERPRINT, event.params.claimant, event.params.digest, event.params.committedAt);
  proof.datasetVersion = versionId;
  proof.save();

  let version = DatasetVersion.load(versionId)!;
  if (isEarlier(event.params.committedAt, version.priorityCommittedAt)) {
    version.priorityCommittedAt = event.params.committedAt;
    version.priorityCommitmentBlock = proof.commitmentBlock;
    version.save();
  }

  let entry = provenance(
    event,
    "ClaimPriorityProven",
    proof.prover,
    "claim of fingerprint " + event.params.digest.toHexString() + " by " + proof.claimant.toHexString() + " (dataset version " + versionId + ") committed at " + event.params.committedAt.toString(),
  );
  entry.dataset = version.dataset;
  entry.datasetVersion = versionId;
  entry.save();
}
