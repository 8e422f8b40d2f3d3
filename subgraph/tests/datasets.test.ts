// The DatasetRegistry mappings: datasets, versions and their derivation, terms and their history, licences and
// refunds, withdrawal, consent revocation, transfers, and claims of fingerprints with their commit-reveal priority.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
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
import { Dataset, DatasetVersion } from "../../generated/schema";
import {
  handleClaimCommitted,
  handleClaimPriorityProven,
  handleConsentRevoked,
  handleDatasetRegistered,
  handleDatasetVersionPublished,
  handleDatasetWithdrawn,
  handleLicenceAcquired,
  handleLicenceRefunded,
  handleTermsCleared,
  handleTermsSet,
  handleTransfer,
} from "../src/datasets";
import { ALICE, BOB, CAROL, ZERO, address, bytes32, flag, logId, mockLog, param, text, timeOf, uint, uints, word } from "./utils/events";

export {
  handleClaimCommitted,
  handleClaimPriorityProven,
  handleConsentRevoked,
  handleDatasetRegistered,
  handleDatasetVersionPublished,
  handleDatasetWithdrawn,
  handleLicenceAcquired,
  handleLicenceRefunded,
  handleTermsCleared,
  handleTermsSet,
  handleTransfer,
};

const FINGERPRINT = "f1";
/** newMockEvent's default emitter: the registry address commitments are keyed on. */
const REGISTRY = "0xa16081f360e3847006db660bae1c6d1b2e17ec2a";

// ---- events --------------------------------------------------------------------------------------------------------

function registered(tx: i32, datasetId: i32, owner: string): void {
  let event = mockLog(tx, 0, tx, owner);
  param(event, "datasetId", uint(datasetId));
  param(event, "owner", address(owner));
  handleDatasetRegistered(changetype<DatasetRegistered>(event));
}

/** Version `versionId` (number `number`) of dataset 1, derived from `parents` under `licences` (0 = own data). */
function published(tx: i32, versionId: i32, number: i32, parents: Array<i32>, licences: Array<i32>, policy: string): void {
  let event = mockLog(tx, 0, tx, ALICE);
  param(event, "versionId", uint(versionId));
  param(event, "datasetId", uint(1));
  param(event, "number", uint(number));
  param(event, "fingerprint", bytes32(word(FINGERPRINT + versionId.toString())));
  param(event, "manifestRoot", bytes32(word("a0")));
  param(event, "metadataHash", bytes32(word("b0")));
  param(event, "uri", text("ipfs://clinical-notes/" + number.toString()));
  param(event, "parentVersionIds", uints(parents));
  param(event, "parentLicenceIds", uints(licences));
  param(event, "transformationHash", bytes32(word("c0")));
  param(event, "publisher", address(ALICE));
  param(event, "originRegions", uint(5));
  param(event, "handlingPolicyHash", bytes32(word(policy)));
  param(event, "handlingPolicyURI", text(policy == "0" ? "" : "ipfs://policy"));
  param(event, "inheritedTrainingTerritories", uint(7));
  param(event, "inheritedDeploymentTerritories", uint(3));
  handleDatasetVersionPublished(changetype<DatasetVersionPublished>(event));
}

function split(recipient: string, bps: i32): ethereum.Tuple {
  let tuple = new ethereum.Tuple();
  tuple.push(address(recipient));
  tuple.push(uint(bps));
  return tuple;
}

/** Terms `termsId` of dataset 1 at `price` wei, 70/30 between ALICE and BOB. */
function termsSet(tx: i32, termsId: i32, price: i32): void {
  let event = mockLog(tx, 0, tx, ALICE);
  param(event, "datasetId", uint(1));
  param(event, "termsId", uint(termsId));
  param(event, "currency", address(ZERO));
  param(event, "price", uint(price));
  param(event, "duration", uint(0));
  param(event, "commercialUse", flag(true));
  param(event, "derivativesAllowed", flag(termsId % 2 == 0));
  param(event, "documentHash", bytes32(word("d0")));
  param(event, "documentURI", text("ipfs://terms-" + termsId.toString()));
  param(event, "splits", ethereum.Value.fromTupleArray([split(ALICE, 7000), split(BOB, 3000)]));
  param(event, "trainingTerritories", uint(1));
  param(event, "deploymentTerritories", uint(2));
  param(event, "unitPrice", uint(termsId * 10));
  param(event, "unit", text("token"));
  param(event, "derivativeRoyaltyBps", uint(1500));
  param(event, "setBy", address(ALICE));
  handleTermsSet(changetype<TermsSet>(event));
}

/** Licence 5 of dataset 1 under terms 3 for BOB, paid by CAROL. */
function licenceAcquired(tx: i32): void {
  let event = mockLog(tx, 0, tx, CAROL);
  param(event, "licenceId", uint(5));
  param(event, "datasetId", uint(1));
  param(event, "termsId", uint(3));
  param(event, "licensee", address(BOB));
  param(event, "payer", address(CAROL));
  param(event, "currency", address(ZERO));
  param(event, "amount", uint(100));
  param(event, "expiresAt", uint(1800000000));
  handleLicenceAcquired(changetype<LicenceAcquired>(event));
}

function licenceRefunded(tx: i32, surplus: i32): void {
  let event = mockLog(tx, 0, tx, ALICE);
  param(event, "licenceId", uint(5));
  param(event, "datasetId", uint(1));
  param(event, "licensee", address(BOB));
  param(event, "currency", address(ZERO));
  param(event, "amount", uint(100));
  param(event, "refundedBy", address(ALICE));
  param(event, "surplus", uint(surplus));
  handleLicenceRefunded(changetype<LicenceRefunded>(event));
}

/** DatasetWithdrawn or ConsentRevoked of dataset 1 by ALICE. */
function ended(tx: i32, reason: string, consent: bool): void {
  let event = mockLog(tx, 0, tx, ALICE);
  param(event, "datasetId", uint(1));
  param(event, "by", address(ALICE));
  param(event, "reason", text(reason));
  if (consent) handleConsentRevoked(changetype<ConsentRevoked>(event));
  else handleDatasetWithdrawn(changetype<DatasetWithdrawn>(event));
}

function transferred(tx: i32, from: string, to: string): void {
  let event = mockLog(tx, 0, tx, from);
  param(event, "from", address(from));
  param(event, "to", address(to));
  param(event, "tokenId", uint(1));
  handleTransfer(changetype<Transfer>(event));
}

function committed(tx: i32, committedAt: i32): void {
  let event = mockLog(tx, 0, tx, ALICE);
  param(event, "commitment", bytes32(word("e0")));
  param(event, "committer", address(ALICE));
  param(event, "committedAt", uint(committedAt));
  handleClaimCommitted(changetype<ClaimCommitted>(event));
}

function proven(tx: i32, versionId: i32, committedAt: i32): void {
  let event = mockLog(tx, 0, tx, CAROL);
  param(event, "versionId", uint(versionId));
  param(event, "claimant", address(ALICE));
  param(event, "digest", bytes32(word(FINGERPRINT + versionId.toString())));
  param(event, "committedAt", uint(committedAt));
  handleClaimPriorityProven(changetype<ClaimPriorityProven>(event));
}

/** The ClaimCommitmentBlock id: the registry's address and the commitment time as 8 big-endian bytes. */
function commitmentBlockId(committedAt: i32): string {
  let hex = committedAt.toString(16);
  while (hex.length < 16) hex = "0" + hex;
  return REGISTRY + hex;
}

function assertEntry(id: string, action: string, actor: string, description: string): void {
  assert.fieldEquals("ProvenanceEvent", id, "action", action);
  assert.fieldEquals("ProvenanceEvent", id, "actor", actor);
  assert.fieldEquals("ProvenanceEvent", id, "description", description);
}

// ---- tests ---------------------------------------------------------------------------------------------------------

beforeEach(() => {
  clearStore();
  registered(1, 1, ALICE);
});

describe("handleDatasetRegistered: the dataset, its owner and creator, the first timeline entry", () => {
  test("registers the dataset with its owner as creator", () => {
    assert.fieldEquals("Dataset", "1", "owner", ALICE);
    assert.fieldEquals("Dataset", "1", "creator", ALICE);
    assert.fieldEquals("Dataset", "1", "withdrawn", "false");
    assert.fieldEquals("Dataset", "1", "versionCount", "0");
    assert.fieldEquals("Dataset", "1", "createdAt", timeOf(1).toString());
    assert.fieldEquals("Account", ALICE, "id", ALICE);
    assertEntry(logId(1, 0), "DatasetRegistered", ALICE, "dataset 1 registered");
    assert.fieldEquals("ProvenanceEvent", logId(1, 0), "dataset", "1");
  });
});

describe("handleDatasetVersionPublished: versions, fingerprint claims, derivation parents", () => {
  test("publishes a first version claimed by the dataset's owner", () => {
    published(2, 10, 1, [], [], "0");
    let fingerprint = word(FINGERPRINT + "10").toHexString();
    assert.fieldEquals("DatasetVersion", "10", "dataset", "1");
    assert.fieldEquals("DatasetVersion", "10", "number", "1");
    assert.fieldEquals("DatasetVersion", "10", "fingerprint", fingerprint);
    assert.fieldEquals("DatasetVersion", "10", "content", fingerprint);
    assert.fieldEquals("DatasetVersion", "10", "claimant", ALICE);
    assert.fieldEquals("DatasetVersion", "10", "parents", "[]");
    assert.fieldEquals("DatasetVersion", "10", "inheritedTrainingTerritories", "7");
    assert.fieldEquals("Content", fingerprint, "id", fingerprint);
    assert.fieldEquals("Dataset", "1", "versionCount", "1");
    assert.assertTrue(DatasetVersion.load("10")!.handlingPolicyHash === null);
    assertEntry(logId(2, 0) + "-0", "DatasetVersionPublished", ALICE, "dataset 1 version 1 (" + fingerprint + ")");
  });

  test("a derived version links its parents, each with the licence it was used under", () => {
    published(2, 10, 1, [], [], "0");
    published(3, 11, 2, [10, 12], [0, 5], "90");
    assert.fieldEquals("DatasetVersion", "11", "parents", "[10, 12]");
    assert.fieldEquals("DatasetVersion", "11", "parentLicenceIds", "[0, 5]");
    assert.fieldEquals("DatasetVersion", "11", "handlingPolicyHash", word("90").toHexString());
    assert.fieldEquals("DatasetVersion", "11", "handlingPolicyURI", "ipfs://policy");
    assert.i32Equals(1, DatasetVersion.load("10")!.children.load().length);
    assert.i32Equals(2, Dataset.load("1")!.versions.load().length);
    assertEntry(logId(3, 0) + "-1", "DatasetDerived", ALICE, "dataset version 11 derived from 10 (the owner's own data)");
    assert.fieldEquals("ProvenanceEvent", logId(3, 0) + "-1", "datasetVersion", "10");
    assertEntry(logId(3, 0) + "-2", "DatasetDerived", ALICE, "dataset version 11 derived from 12 under licence 5");
    assert.fieldEquals("ProvenanceEvent", logId(3, 0) + "-2", "licence", "5");
  });
});

describe("handleTermsSet: terms with royalty splits, and the terms history", () => {
  test("sets terms with their splits and makes them current", () => {
    termsSet(2, 3, 100);
    assert.fieldEquals("LicenceTerms", "3", "dataset", "1");
    assert.fieldEquals("LicenceTerms", "3", "price", "100");
    assert.fieldEquals("LicenceTerms", "3", "unitPrice", "30");
    assert.fieldEquals("LicenceTerms", "3", "unit", "token");
    assert.fieldEquals("LicenceTerms", "3", "derivativeRoyaltyBps", "1500");
    assert.fieldEquals("RoyaltySplit", "3-0", "recipient", ALICE);
    assert.fieldEquals("RoyaltySplit", "3-0", "bps", "7000");
    assert.fieldEquals("RoyaltySplit", "3-1", "recipient", BOB);
    assert.fieldEquals("RoyaltySplit", "3-1", "index", "1");
    assert.fieldEquals("Dataset", "1", "currentTerms", "3");
    assertEntry(logId(2, 0), "TermsSet", ALICE, "terms 3 for dataset 1: price 100, ipfs://terms-3");
  });

  test("a second terms change becomes current and the first stays in the history", () => {
    termsSet(2, 3, 100);
    termsSet(3, 4, 250);
    assert.fieldEquals("Dataset", "1", "currentTerms", "4");
    assert.fieldEquals("LicenceTerms", "3", "price", "100");
    assert.fieldEquals("LicenceTerms", "4", "derivativesAllowed", "true");
    assert.i32Equals(2, Dataset.load("1")!.terms.load().length);
    assert.i32Equals(3, Dataset.load("1")!.history.load().length);
  });
});

describe("handleLicenceAcquired and handleLicenceRefunded: a licence, then its refund", () => {
  test("a licence records its terms, licensee and payer; the payer is the actor", () => {
    termsSet(2, 3, 100);
    licenceAcquired(3);
    assert.fieldEquals("Licence", "5", "terms", "3");
    assert.fieldEquals("Licence", "5", "licensee", BOB);
    assert.fieldEquals("Licence", "5", "payer", CAROL);
    assert.fieldEquals("Licence", "5", "amount", "100");
    assert.fieldEquals("Licence", "5", "expiresAt", "1800000000");
    assertEntry(logId(3, 0), "LicenceAcquired", CAROL, "licence 5 of dataset 1 for " + BOB);
    assert.fieldEquals("ProvenanceEvent", logId(3, 0), "licence", "5");
  });

  test("a refund credits the licensee, and the payer any surplus", () => {
    termsSet(2, 3, 100);
    licenceAcquired(3);
    licenceRefunded(4, 7);
    assert.fieldEquals("LicenceRefund", "5", "licence", "5");
    assert.fieldEquals("LicenceRefund", "5", "refundedBy", ALICE);
    assert.fieldEquals("RoyaltyBalance", BOB + "-" + ZERO, "refunded", "100");
    assert.fieldEquals("RoyaltyBalance", BOB + "-" + ZERO, "balance", "100");
    assert.fieldEquals("RoyaltyBalance", ALICE + "-" + ZERO, "surplus", "7");
    assertEntry(logId(4, 0), "LicenceRefunded", ALICE, "licence 5 of dataset 1 voided: 100 refunded to " + BOB);
  });

  test("a refund without surplus credits nobody else", () => {
    termsSet(2, 3, 100);
    licenceAcquired(3);
    licenceRefunded(4, 0);
    assert.notInStore("RoyaltyBalance", ALICE + "-" + ZERO);
    assert.entityCount("RoyaltyBalance", 1);
  });
});

describe("handleDatasetWithdrawn and handleConsentRevoked: the end of a dataset", () => {
  test("a withdrawn dataset keeps its reason and time, and its timeline", () => {
    ended(2, "the data subject objected", false);
    assert.fieldEquals("Dataset", "1", "withdrawn", "true");
    assert.fieldEquals("Dataset", "1", "withdrawnAt", timeOf(2).toString());
    assert.fieldEquals("Dataset", "1", "withdrawalReason", "the data subject objected");
    assertEntry(logId(2, 0), "DatasetWithdrawn", ALICE, "dataset 1 withdrawn: the data subject objected");
    let history = Dataset.load("1")!.history.load();
    assert.i32Equals(2, history.length);
  });

  test("a consent revocation records who revoked it and why", () => {
    ended(2, "consent withdrawn", true);
    assert.fieldEquals("Dataset", "1", "consentRevoked", "true");
    assert.fieldEquals("Dataset", "1", "consentRevokedBy", ALICE);
    assert.fieldEquals("Dataset", "1", "consentRevocationReason", "consent withdrawn");
    assertEntry(logId(2, 0), "ConsentRevoked", ALICE, "consent to dataset 1 revoked: consent withdrawn");
  });
});

describe("handleTransfer and handleTermsCleared: a new owner, without its predecessor's terms", () => {
  test("the mint's Transfer is left to DatasetRegistered", () => {
    transferred(2, ZERO, ALICE);
    assert.fieldEquals("Dataset", "1", "owner", ALICE);
    assert.entityCount("ProvenanceEvent", 1);
  });

  test("a transfer changes the owner, not the creator", () => {
    transferred(2, ALICE, BOB);
    assert.fieldEquals("Dataset", "1", "owner", BOB);
    assert.fieldEquals("Dataset", "1", "creator", ALICE);
    assertEntry(logId(2, 0), "DatasetTransferred", ALICE, "dataset 1 transferred to " + BOB);
  });

  test("the transfer clears the terms: no current terms, the clearance recorded", () => {
    termsSet(2, 3, 100);
    let event = mockLog(3, 1, 3, ALICE);
    param(event, "datasetId", uint(1));
    param(event, "previousTermsId", uint(3));
    param(event, "newOwner", address(BOB));
    handleTermsCleared(changetype<TermsCleared>(event));
    assert.fieldEquals("Dataset", "1", "currentTerms", "null");
    assert.fieldEquals("TermsClearance", logId(3, 1), "previousTerms", "3");
    assert.fieldEquals("TermsClearance", logId(3, 1), "newOwner", BOB);
    assertEntry(logId(3, 1), "TermsCleared", ALICE, "terms 3 of dataset 1 cleared by its transfer to " + BOB);
  });
});

describe("handleClaimCommitted and handleClaimPriorityProven: commit-reveal priority of a fingerprint", () => {
  test("the first commitment at a time names its block; a later one does not move it", () => {
    committed(2, 1000);
    committed(3, 1000);
    assert.fieldEquals("ClaimCommitmentBlock", commitmentBlockId(1000), "kind", "DatasetFingerprint");
    assert.fieldEquals("ClaimCommitmentBlock", commitmentBlockId(1000), "blockNumber", "2");
    assertEntry(logId(3, 0), "ClaimCommitted", ALICE, "claim commitment " + word("e0").toHexString() + " by " + ALICE);
  });

  test("a proof dates the version's claim; only an earlier commitment replaces it", () => {
    committed(2, 1000);
    published(3, 10, 1, [], [], "0");
    proven(4, 10, 1000);
    assert.fieldEquals("ClaimPriorityProof", logId(4, 0), "datasetVersion", "10");
    assert.fieldEquals("ClaimPriorityProof", logId(4, 0), "commitmentBlock", "2");
    assert.fieldEquals("ClaimPriorityProof", logId(4, 0), "prover", CAROL);
    assert.fieldEquals("DatasetVersion", "10", "priorityCommittedAt", "1000");
    assert.fieldEquals("DatasetVersion", "10", "priorityCommitmentBlock", "2");
    proven(5, 10, 2000);
    assert.fieldEquals("DatasetVersion", "10", "priorityCommittedAt", "1000");
    assert.fieldEquals("ProvenanceEvent", logId(5, 0), "datasetVersion", "10");
    assert.fieldEquals("ProvenanceEvent", logId(5, 0), "action", "ClaimPriorityProven");
  });
});
