// Unit tests of the DatasetRegistry mappings (subgraph/src/datasets.ts): entities, relations and the provenance timeline.
import { Address, Bytes, store, ValueKind } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
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
import { Content, Dataset, DatasetVersion, Licence, LicenceTerms } from "../../generated/schema";
import {
  at,
  claimCommitted,
  claimPriorityProven,
  consentRevoked,
  datasetRegistered,
  datasetWithdrawn,
  ETH,
  eventKey,
  hash32,
  LICENSEE,
  licenceAcquired,
  licenceRefunded,
  NEW_OWNER,
  OPERATOR,
  OTHER_REGISTRY,
  OWNER,
  PAYER,
  PROVER,
  sentBy,
  SPLIT_A,
  SPLIT_B,
  termsCleared,
  termsSet,
  timeOf,
  TOKEN,
  transfer,
  txHex,
  versionPublished,
  withHandlingPolicy,
} from "./utils/datasets";

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

const DATASET = "7";
const FINGERPRINT = hash32("f1");
const FINGERPRINT_HEX = "0xf1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1";
const ZERO_ADDRESS_HEX = "0x0000000000000000000000000000000000000000";
/** ClaimCommitmentBlock ids: the registry's address, then the commitment time as 8 big-endian bytes. */
const COMMITMENT_AT_BLOCK_5 = "0xa16081f360e3847006db660bae1c6d1b2e17ec2a000000006553f13c";
const COMMITMENT_AT_BLOCK_10 = "0xa16081f360e3847006db660bae1c6d1b2e17ec2a000000006553f178";

// ---------------------------------------------------------------- scenario steps (as the contract emits them)

/** registerDataset as the contract emits it at `block`: the mint's Transfer (log 0), then DatasetRegistered (log 1). */
function registerDataset(datasetId: i32, owner: Address, block: i32): void {
  handleTransfer(at(transfer(Address.zero(), owner, datasetId), block, 0));
  handleDatasetRegistered(at(datasetRegistered(datasetId, owner), block, 1));
}

/** Dataset 7 of OWNER registered at block 10. */
function registerDataset7(): void {
  registerDataset(7, OWNER, 10);
}

/** Version `versionId` (number `number`) of dataset 7 with `fingerprint`, published by OPERATOR at log 0 of `block`. */
function publishVersion(versionId: i32, number: i32, fingerprint: Bytes, block: i32): void {
  handleDatasetVersionPublished(at(versionPublished(versionId, 7, number, fingerprint, OPERATOR), block, 0));
}

/** Terms `termsId` of dataset 7 set by OWNER at `block`: `price` in TOKEN, split 60/40 between SPLIT_A and SPLIT_B. */
function setTerms(termsId: i32, price: i32, documentURI: string, block: i32): void {
  handleTermsSet(at(termsSet(7, termsId, TOKEN, price, documentURI, [SPLIT_A, SPLIT_B], [6000, 4000], OWNER), block, 0));
}

/** OWNER transfers dataset 7 to NEW_OWNER at `block`: Transfer (log 0), then TermsCleared of `currentTerms` (log 1). */
function transferDataset7WithTerms(currentTerms: i32, block: i32): void {
  handleTransfer(sentBy(at(transfer(OWNER, NEW_OWNER, 7), block, 0), OWNER));
  handleTermsCleared(sentBy(at(termsCleared(7, currentTerms, NEW_OWNER), block, 1), OWNER));
}

/** Licence `licenceId` of dataset 7 under `termsId` for LICENSEE, paid by PAYER: `amount` of TOKEN, at `block`. */
function acquireLicence(licenceId: i32, termsId: i32, amount: i32, block: i32): void {
  handleLicenceAcquired(at(licenceAcquired(licenceId, 7, termsId, LICENSEE, PAYER, TOKEN, amount, 0), block, 0));
}

/** ClaimCommitted by OWNER at (`block`, log 0), committed at the block's time; returns that time. */
function commitClaim(block: i32): i32 {
  handleClaimCommitted(at(claimCommitted(hash32("c0"), OWNER, timeOf(block)), block, 0));
  return timeOf(block);
}

/** PROVER proves OWNER's claim of FINGERPRINT (version 3) committed at `committedAt`, at (`block`, log 0). */
function proveClaim(committedAt: i32, block: i32): void {
  handleClaimPriorityProven(sentBy(at(claimPriorityProven(3, OWNER, FINGERPRINT, committedAt), block, 0), PROVER));
}

// ---------------------------------------------------------------- assertion helpers

function str(value: i32): string {
  return value.toString();
}

/** Asserts the timeline entry `id`: its action, actor and description. */
function assertEntry(id: string, action: string, actor: Address, description: string): void {
  assert.fieldEquals("ProvenanceEvent", id, "action", action);
  assert.fieldEquals("ProvenanceEvent", id, "actor", actor.toHexString());
  assert.fieldEquals("ProvenanceEvent", id, "description", description);
}

/**
 * Asserts that `field` of the stored entity is null or unset. (assert.assertNull cannot take a BigInt or Bytes field:
 * its `value == null` hits their == overload and crashes asc 0.19.)
 */
function assertNoValue(entityType: string, id: string, field: string): void {
  let entity = store.get(entityType, id);
  assert.assertTrue(entity != null, entityType + " " + id + " is not in the store");
  let value = entity!.get(field);
  assert.assertTrue(value === null || value!.kind == ValueKind.NULL, entityType + " " + id + " has a " + field);
}

/** The actions of dataset 7's timeline (Dataset.history), in the order the store returns them. */
function historyOf7(): Array<string> {
  let entries = Dataset.load(DATASET)!.history.load();
  let actions = new Array<string>();
  for (let i = 0; i < entries.length; i++) actions.push(entries[i].action);
  return actions;
}

function assertHistoryHas(action: string, count: i32): void {
  let actions = historyOf7();
  let found = 0;
  for (let i = 0; i < actions.length; i++) if (actions[i] == action) found++;
  assert.i32Equals(count, found, "dataset 7's history has " + found.toString() + " " + action + " entries");
}

beforeEach(() => {
  clearStore();
});

// ---------------------------------------------------------------- handlers

// DatasetRegistered: the Dataset (creator = owner, fresh flags, creation block/time/tx), the owner's Account, the first timeline entry.
describe("handleDatasetRegistered", () => {
  test("creates the dataset owned and created by the registrant, with fresh flags", () => {
    handleDatasetRegistered(at(datasetRegistered(7, OWNER), 10, 1));

    assert.entityCount("Dataset", 1);
    assert.fieldEquals("Dataset", DATASET, "datasetId", "7");
    assert.fieldEquals("Dataset", DATASET, "owner", OWNER.toHexString());
    assert.fieldEquals("Dataset", DATASET, "creator", OWNER.toHexString());
    assert.fieldEquals("Dataset", DATASET, "withdrawn", "false");
    assert.fieldEquals("Dataset", DATASET, "consentRevoked", "false");
    assert.fieldEquals("Dataset", DATASET, "versionCount", "0");
    assert.fieldEquals("Dataset", DATASET, "createdAtBlock", "10");
    assert.fieldEquals("Dataset", DATASET, "createdAt", "1700000120");
    assert.fieldEquals("Dataset", DATASET, "createdTx", txHex(10));
    assertNoValue("Dataset", DATASET, "currentTerms");
    assert.fieldEquals("Account", OWNER.toHexString(), "id", OWNER.toHexString());
  });

  test("opens the dataset's timeline with a DatasetRegistered entry keyed txHash-logIndex", () => {
    handleDatasetRegistered(at(datasetRegistered(7, OWNER), 10, 1));

    let id = eventKey(10, 1);
    assertEntry(id, "DatasetRegistered", OWNER, "dataset 7 registered");
    assert.fieldEquals("ProvenanceEvent", id, "dataset", DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "blockNumber", "10");
    assert.fieldEquals("ProvenanceEvent", id, "timestamp", "1700000120");
    assert.fieldEquals("ProvenanceEvent", id, "transactionHash", txHex(10));
    assert.fieldEquals("ProvenanceEvent", id, "logIndex", "1");
    assert.i32Equals(1, historyOf7().length);
  });
});

// Transfer: a mint (from the zero address) writes nothing; a real transfer moves ownership and is logged.
describe("handleTransfer", () => {
  test("ignores the mint: the Transfer from the zero address writes no entity, even before the dataset exists", () => {
    handleTransfer(at(transfer(Address.zero(), OWNER, 7), 10, 0));

    assert.entityCount("Dataset", 0);
    assert.entityCount("ProvenanceEvent", 0);
    assert.notInStore("Account", ZERO_ADDRESS_HEX);
    assert.notInStore("Account", OWNER.toHexString());
  });

  test("registration with its mint leaves the registrant as owner and one timeline entry", () => {
    registerDataset7();

    assert.fieldEquals("Dataset", DATASET, "owner", OWNER.toHexString());
    assert.entityCount("ProvenanceEvent", 1);
    assert.notInStore("ProvenanceEvent", eventKey(10, 0));
  });

  test("a real transfer moves ownership (not authorship) and appends DatasetTransferred by the previous owner", () => {
    registerDataset7();
    handleTransfer(at(transfer(OWNER, NEW_OWNER, 7), 20, 0));

    assert.fieldEquals("Dataset", DATASET, "owner", NEW_OWNER.toHexString());
    assert.fieldEquals("Dataset", DATASET, "creator", OWNER.toHexString());
    assert.fieldEquals("Account", NEW_OWNER.toHexString(), "id", NEW_OWNER.toHexString());
    assertEntry(eventKey(20, 0), "DatasetTransferred", OWNER, "dataset 7 transferred to " + NEW_OWNER.toHexString());
    assert.fieldEquals("ProvenanceEvent", eventKey(20, 0), "dataset", DATASET);
    assert.i32Equals(2, historyOf7().length);
    assertHistoryHas("DatasetTransferred", 1);
  });

  test("versions published after a transfer are claimed by the new owner, not by the previous one or the publisher", () => {
    registerDataset7();
    publishVersion(3, 1, FINGERPRINT, 11);
    handleTransfer(at(transfer(OWNER, NEW_OWNER, 7), 20, 0));
    publishVersion(4, 2, hash32("f2"), 30);

    assert.fieldEquals("DatasetVersion", "3", "claimant", OWNER.toHexString());
    assert.fieldEquals("DatasetVersion", "4", "claimant", NEW_OWNER.toHexString());
    assert.fieldEquals("DatasetVersion", "4", "publisher", OPERATOR.toHexString());
  });
});

// DatasetVersionPublished: the version's fields and links, versionCount, handling policy, parents, timeline parts 0..n.
describe("handleDatasetVersionPublished", () => {
  beforeEach(() => {
    registerDataset7();
  });

  test("records the version with its dataset, content, claimant (the owner) and publisher (the operator)", () => {
    handleDatasetVersionPublished(at(versionPublished(3, 7, 1, FINGERPRINT, OPERATOR), 11, 2));

    assert.fieldEquals("DatasetVersion", "3", "versionId", "3");
    assert.fieldEquals("DatasetVersion", "3", "dataset", DATASET);
    assert.fieldEquals("DatasetVersion", "3", "number", "1");
    assert.fieldEquals("DatasetVersion", "3", "fingerprint", FINGERPRINT_HEX);
    assert.fieldEquals("DatasetVersion", "3", "content", FINGERPRINT_HEX);
    assert.fieldEquals("DatasetVersion", "3", "claimant", OWNER.toHexString());
    assert.fieldEquals("DatasetVersion", "3", "publisher", OPERATOR.toHexString());
    assert.fieldEquals("DatasetVersion", "3", "manifestRoot", hash32("11").toHexString());
    assert.fieldEquals("DatasetVersion", "3", "metadataHash", hash32("22").toHexString());
    assert.fieldEquals("DatasetVersion", "3", "transformationHash", hash32("33").toHexString());
    assert.fieldEquals("DatasetVersion", "3", "uri", "ipfs://dataset-version-3");
    assert.fieldEquals("DatasetVersion", "3", "originRegions", "5");
    assert.fieldEquals("DatasetVersion", "3", "inheritedTrainingTerritories", "255");
    assert.fieldEquals("DatasetVersion", "3", "inheritedDeploymentTerritories", "15");
    assert.fieldEquals("DatasetVersion", "3", "parents", "[]");
    assert.fieldEquals("DatasetVersion", "3", "parentLicenceIds", "[]");
    assert.fieldEquals("DatasetVersion", "3", "createdAtBlock", "11");
    assert.fieldEquals("DatasetVersion", "3", "createdAt", "1700000132");
    assert.fieldEquals("DatasetVersion", "3", "createdTx", txHex(11));
    assert.fieldEquals("DatasetVersion", "3", "createdLogIndex", "2");
    assert.fieldEquals("Dataset", DATASET, "versionCount", "1");
    assert.fieldEquals("Account", OPERATOR.toHexString(), "id", OPERATOR.toHexString());
    assert.i32Equals(1, Content.load(FINGERPRINT)!.datasetVersions.load().length);
    assert.i32Equals(1, Dataset.load(DATASET)!.versions.load().length);
  });

  test("leaves the handling policy null when none is declared (zero hash, empty URI)", () => {
    publishVersion(3, 1, FINGERPRINT, 11);

    assertNoValue("DatasetVersion", "3", "handlingPolicyHash");
    assertNoValue("DatasetVersion", "3", "handlingPolicyURI");
  });

  test("keeps a declared handling policy's hash and URI", () => {
    let event = withHandlingPolicy(versionPublished(3, 7, 1, FINGERPRINT, OPERATOR), hash32("9a"), "ipfs://policy");
    handleDatasetVersionPublished(at(event, 11, 0));

    assert.fieldEquals("DatasetVersion", "3", "handlingPolicyHash", hash32("9a").toHexString());
    assert.fieldEquals("DatasetVersion", "3", "handlingPolicyURI", "ipfs://policy");
  });

  test("sets the dataset's versionCount to the latest version's number", () => {
    publishVersion(3, 1, FINGERPRINT, 11);
    publishVersion(5, 2, hash32("f2"), 12);

    assert.fieldEquals("Dataset", DATASET, "versionCount", "2");
    assert.i32Equals(2, Dataset.load(DATASET)!.versions.load().length);
  });

  test("one Content links every version registered with the same fingerprint, across datasets", () => {
    publishVersion(3, 1, FINGERPRINT, 11);
    registerDataset(8, NEW_OWNER, 12);
    handleDatasetVersionPublished(at(versionPublished(4, 8, 1, FINGERPRINT, NEW_OWNER), 13, 0));

    assert.entityCount("Content", 1);
    assert.i32Equals(2, Content.load(FINGERPRINT)!.datasetVersions.load().length);
    assert.fieldEquals("DatasetVersion", "4", "claimant", NEW_OWNER.toHexString());
  });

  test("appends DatasetVersionPublished (part 0) by the publisher, linked to the dataset and the version", () => {
    publishVersion(3, 1, FINGERPRINT, 11);

    let id = eventKey(11, 0) + "-0";
    assertEntry(id, "DatasetVersionPublished", OPERATOR, "dataset 7 version 1 (" + FINGERPRINT_HEX + ")");
    assert.fieldEquals("ProvenanceEvent", id, "dataset", DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "datasetVersion", "3");
    assert.fieldEquals("ProvenanceEvent", id, "logIndex", "0");
    assert.entityCount("ProvenanceEvent", 2);
  });

  test("links a derived version to its parents and the licences they are used under, one DatasetDerived entry per parent", () => {
    publishVersion(1, 1, hash32("a1"), 11);
    publishVersion(2, 2, hash32("a2"), 12);
    handleDatasetVersionPublished(at(versionPublished(3, 7, 3, FINGERPRINT, OPERATOR, [1, 2], [0, 12]), 20, 4));

    assert.fieldEquals("DatasetVersion", "3", "parents", "[1, 2]");
    assert.fieldEquals("DatasetVersion", "3", "parentLicenceIds", "[0, 12]");
    assert.i32Equals(1, DatasetVersion.load("1")!.children.load().length);
    assert.i32Equals(1, DatasetVersion.load("2")!.children.load().length);
    assert.i32Equals(0, DatasetVersion.load("3")!.children.load().length);

    let ownData = eventKey(20, 4) + "-1";
    assertEntry(ownData, "DatasetDerived", OPERATOR, "dataset version 3 derived from 1 (the owner's own data)");
    assert.fieldEquals("ProvenanceEvent", ownData, "datasetVersion", "1");
    assertNoValue("ProvenanceEvent", ownData, "licence");
    assertNoValue("ProvenanceEvent", ownData, "dataset");

    let licensed = eventKey(20, 4) + "-2";
    assertEntry(licensed, "DatasetDerived", OPERATOR, "dataset version 3 derived from 2 under licence 12");
    assert.fieldEquals("ProvenanceEvent", licensed, "datasetVersion", "2");
    assert.fieldEquals("ProvenanceEvent", licensed, "licence", "12");
    assert.notInStore("ProvenanceEvent", eventKey(20, 4) + "-3");
  });
});

// DatasetWithdrawn: the withdrawn status, its time and reason, and the timeline entry by whoever withdrew it.
describe("handleDatasetWithdrawn", () => {
  beforeEach(() => {
    registerDataset7();
  });

  test("marks the dataset withdrawn with the block's time and the reason; consent and ownership untouched", () => {
    handleDatasetWithdrawn(at(datasetWithdrawn(7, OPERATOR, "superseded by dataset 8"), 40, 0));

    assert.fieldEquals("Dataset", DATASET, "withdrawn", "true");
    assert.fieldEquals("Dataset", DATASET, "withdrawnAt", "1700000480");
    assert.fieldEquals("Dataset", DATASET, "withdrawalReason", "superseded by dataset 8");
    assert.fieldEquals("Dataset", DATASET, "consentRevoked", "false");
    assert.fieldEquals("Dataset", DATASET, "owner", OWNER.toHexString());
  });

  test("appends DatasetWithdrawn by the withdrawer to the dataset's timeline, after its registration", () => {
    handleDatasetWithdrawn(at(datasetWithdrawn(7, OPERATOR, "superseded by dataset 8"), 40, 0));

    assertEntry(eventKey(40, 0), "DatasetWithdrawn", OPERATOR, "dataset 7 withdrawn: superseded by dataset 8");
    assert.fieldEquals("ProvenanceEvent", eventKey(40, 0), "dataset", DATASET);
    assert.fieldEquals("ProvenanceEvent", eventKey(40, 0), "timestamp", "1700000480");
    assertHistoryHas("DatasetRegistered", 1);
    assertHistoryHas("DatasetWithdrawn", 1);
  });
});

// ConsentRevoked: the consent flags (time, reason, who), alongside the withdrawal the contract emits with it.
describe("handleConsentRevoked", () => {
  beforeEach(() => {
    registerDataset7();
  });

  test("revoking consent of a live dataset (DatasetWithdrawn then ConsentRevoked in one tx) sets both statuses", () => {
    handleDatasetWithdrawn(at(datasetWithdrawn(7, OWNER, "data subject objected"), 50, 0));
    handleConsentRevoked(at(consentRevoked(7, OWNER, "data subject objected"), 50, 1));

    assert.fieldEquals("Dataset", DATASET, "withdrawn", "true");
    assert.fieldEquals("Dataset", DATASET, "consentRevoked", "true");
    assert.fieldEquals("Dataset", DATASET, "consentRevokedAt", "1700000600");
    assert.fieldEquals("Dataset", DATASET, "consentRevocationReason", "data subject objected");
    assert.fieldEquals("Dataset", DATASET, "consentRevokedBy", OWNER.toHexString());
    assertEntry(eventKey(50, 0), "DatasetWithdrawn", OWNER, "dataset 7 withdrawn: data subject objected");
    assertEntry(eventKey(50, 1), "ConsentRevoked", OWNER, "consent to dataset 7 revoked: data subject objected");
    assert.fieldEquals("ProvenanceEvent", eventKey(50, 1), "dataset", DATASET);
    assert.i32Equals(3, historyOf7().length);
  });

  test("revoking consent of an already-withdrawn dataset keeps the earlier withdrawal's time and reason", () => {
    handleDatasetWithdrawn(at(datasetWithdrawn(7, OWNER, "retired"), 20, 0));
    handleConsentRevoked(at(consentRevoked(7, OPERATOR, "consent withdrawn"), 30, 0));

    assert.fieldEquals("Dataset", DATASET, "withdrawnAt", "1700000240");
    assert.fieldEquals("Dataset", DATASET, "withdrawalReason", "retired");
    assert.fieldEquals("Dataset", DATASET, "consentRevokedAt", "1700000360");
    assert.fieldEquals("Dataset", DATASET, "consentRevocationReason", "consent withdrawn");
    assert.fieldEquals("Dataset", DATASET, "consentRevokedBy", OPERATOR.toHexString());
    assertHistoryHas("ConsentRevoked", 1);
  });
});

// TermsSet: every field of the terms, the royalty splits, the dataset's current terms, and the terms history.
describe("handleTermsSet", () => {
  beforeEach(() => {
    registerDataset7();
  });

  test("creates the terms with their fields and makes them the dataset's current terms", () => {
    setTerms(5, 1000, "ipfs://terms-a", 20);

    assert.fieldEquals("LicenceTerms", "5", "termsId", "5");
    assert.fieldEquals("LicenceTerms", "5", "dataset", DATASET);
    assert.fieldEquals("LicenceTerms", "5", "currency", TOKEN.toHexString());
    assert.fieldEquals("LicenceTerms", "5", "price", "1000");
    assert.fieldEquals("LicenceTerms", "5", "duration", "2592000");
    assert.fieldEquals("LicenceTerms", "5", "commercialUse", "true");
    assert.fieldEquals("LicenceTerms", "5", "derivativesAllowed", "false");
    assert.fieldEquals("LicenceTerms", "5", "documentHash", hash32("d0").toHexString());
    assert.fieldEquals("LicenceTerms", "5", "documentURI", "ipfs://terms-a");
    assert.fieldEquals("LicenceTerms", "5", "trainingTerritories", "3");
    assert.fieldEquals("LicenceTerms", "5", "deploymentTerritories", "1");
    assert.fieldEquals("LicenceTerms", "5", "unitPrice", "7");
    assert.fieldEquals("LicenceTerms", "5", "unit", "samples");
    assert.fieldEquals("LicenceTerms", "5", "derivativeRoyaltyBps", "250");
    assert.fieldEquals("LicenceTerms", "5", "setBy", OWNER.toHexString());
    assert.fieldEquals("LicenceTerms", "5", "createdAtBlock", "20");
    assert.fieldEquals("LicenceTerms", "5", "createdAt", "1700000240");
    assert.fieldEquals("LicenceTerms", "5", "createdTx", txHex(20));
    assert.fieldEquals("Dataset", DATASET, "currentTerms", "5");
  });

  test("records one RoyaltySplit per split, in order, linked to the terms", () => {
    setTerms(5, 1000, "ipfs://terms-a", 20);

    assert.entityCount("RoyaltySplit", 2);
    assert.fieldEquals("RoyaltySplit", "5-0", "terms", "5");
    assert.fieldEquals("RoyaltySplit", "5-0", "index", "0");
    assert.fieldEquals("RoyaltySplit", "5-0", "recipient", SPLIT_A.toHexString());
    assert.fieldEquals("RoyaltySplit", "5-0", "bps", "6000");
    assert.fieldEquals("RoyaltySplit", "5-1", "index", "1");
    assert.fieldEquals("RoyaltySplit", "5-1", "recipient", SPLIT_B.toHexString());
    assert.fieldEquals("RoyaltySplit", "5-1", "bps", "4000");
    assert.fieldEquals("Account", SPLIT_B.toHexString(), "id", SPLIT_B.toHexString());
    assert.i32Equals(2, LicenceTerms.load("5")!.splits.load().length);
  });

  test("appends TermsSet by the setter, with the price and the document", () => {
    setTerms(5, 1000, "ipfs://terms-a", 20);

    assertEntry(eventKey(20, 0), "TermsSet", OWNER, "terms 5 for dataset 7: price 1000, ipfs://terms-a");
    assert.fieldEquals("ProvenanceEvent", eventKey(20, 0), "dataset", DATASET);
  });

  test("a second terms change supersedes the first: new current terms, the old ones kept in the history", () => {
    setTerms(5, 1000, "ipfs://terms-a", 20);
    acquireLicence(9, 5, 1000, 25);
    handleTermsSet(at(termsSet(7, 6, ETH, 2500, "ipfs://terms-b", [SPLIT_B], [10000], OPERATOR), 30, 0));
    acquireLicence(10, 6, 2500, 35);

    assert.fieldEquals("Dataset", DATASET, "currentTerms", "6");
    assert.entityCount("LicenceTerms", 2);
    assert.i32Equals(2, Dataset.load(DATASET)!.terms.load().length);
    assert.fieldEquals("LicenceTerms", "5", "price", "1000");
    assert.fieldEquals("LicenceTerms", "5", "currency", TOKEN.toHexString());
    assert.fieldEquals("LicenceTerms", "6", "price", "2500");
    assert.fieldEquals("LicenceTerms", "6", "currency", ZERO_ADDRESS_HEX);
    assert.fieldEquals("LicenceTerms", "6", "setBy", OPERATOR.toHexString());
    assert.fieldEquals("RoyaltySplit", "6-0", "recipient", SPLIT_B.toHexString());
    assert.fieldEquals("RoyaltySplit", "6-0", "bps", "10000");
    assert.notInStore("RoyaltySplit", "6-1");
    assert.fieldEquals("RoyaltySplit", "5-1", "recipient", SPLIT_B.toHexString());
    assert.fieldEquals("Licence", "9", "terms", "5");
    assert.fieldEquals("Licence", "10", "terms", "6");
    assert.i32Equals(1, LicenceTerms.load("5")!.licences.load().length);
    assertEntry(eventKey(30, 0), "TermsSet", OPERATOR, "terms 6 for dataset 7: price 2500, ipfs://terms-b");
    assertHistoryHas("TermsSet", 2);
  });
});

// TermsCleared: a transfer clears the current terms: the clearance record, currentTerms null, the timeline entry.
describe("handleTermsCleared", () => {
  beforeEach(() => {
    registerDataset7();
    setTerms(5, 1000, "ipfs://terms-a", 20);
  });

  test("a transfer of a dataset with terms records the clearance and nulls the current terms", () => {
    transferDataset7WithTerms(5, 40);

    let id = eventKey(40, 1);
    assert.fieldEquals("TermsClearance", id, "dataset", DATASET);
    assert.fieldEquals("TermsClearance", id, "previousTerms", "5");
    assert.fieldEquals("TermsClearance", id, "newOwner", NEW_OWNER.toHexString());
    assert.fieldEquals("TermsClearance", id, "blockNumber", "40");
    assert.fieldEquals("TermsClearance", id, "timestamp", "1700000480");
    assert.fieldEquals("TermsClearance", id, "transactionHash", txHex(40));
    assert.fieldEquals("Dataset", DATASET, "currentTerms", "null");
    assert.fieldEquals("Dataset", DATASET, "owner", NEW_OWNER.toHexString());
    assert.fieldEquals("LicenceTerms", "5", "dataset", DATASET);
    assert.i32Equals(1, Dataset.load(DATASET)!.termsClearances.load().length);
  });

  test("appends TermsCleared by the transaction's sender, after DatasetTransferred of the same tx", () => {
    transferDataset7WithTerms(5, 40);

    assertEntry(eventKey(40, 0), "DatasetTransferred", OWNER, "dataset 7 transferred to " + NEW_OWNER.toHexString());
    assertEntry(
      eventKey(40, 1),
      "TermsCleared",
      OWNER,
      "terms 5 of dataset 7 cleared by its transfer to " + NEW_OWNER.toHexString(),
    );
    assert.fieldEquals("ProvenanceEvent", eventKey(40, 1), "dataset", DATASET);
    assert.i32Equals(4, historyOf7().length);
  });

  test("the new owner's terms become current after the clearance", () => {
    transferDataset7WithTerms(5, 40);
    handleTermsSet(at(termsSet(7, 6, TOKEN, 300, "ipfs://terms-new-owner", [NEW_OWNER], [10000], NEW_OWNER), 50, 0));

    assert.fieldEquals("Dataset", DATASET, "currentTerms", "6");
    assert.fieldEquals("LicenceTerms", "6", "setBy", NEW_OWNER.toHexString());
  });
});

// LicenceAcquired: the licence (dataset, terms, licensee vs payer, amount, expiry) and its timeline entry.
describe("handleLicenceAcquired", () => {
  beforeEach(() => {
    registerDataset7();
    setTerms(5, 1000, "ipfs://terms-a", 20);
  });

  test("records the licence under the dataset's terms, held by the licensee and paid by the payer", () => {
    handleLicenceAcquired(at(licenceAcquired(9, 7, 5, LICENSEE, PAYER, TOKEN, 1000, 1702592120), 30, 2));

    assert.fieldEquals("Licence", "9", "licenceId", "9");
    assert.fieldEquals("Licence", "9", "dataset", DATASET);
    assert.fieldEquals("Licence", "9", "terms", "5");
    assert.fieldEquals("Licence", "9", "licensee", LICENSEE.toHexString());
    assert.fieldEquals("Licence", "9", "payer", PAYER.toHexString());
    assert.fieldEquals("Licence", "9", "currency", TOKEN.toHexString());
    assert.fieldEquals("Licence", "9", "amount", "1000");
    assert.fieldEquals("Licence", "9", "expiresAt", "1702592120");
    assert.fieldEquals("Licence", "9", "createdAtBlock", "30");
    assert.fieldEquals("Licence", "9", "createdAt", "1700000360");
    assert.fieldEquals("Licence", "9", "createdTx", txHex(30));
    assert.fieldEquals("Account", LICENSEE.toHexString(), "id", LICENSEE.toHexString());
    assert.fieldEquals("Account", PAYER.toHexString(), "id", PAYER.toHexString());
    assert.i32Equals(1, Dataset.load(DATASET)!.licences.load().length);
  });

  test("appends LicenceAcquired by the payer, linked to the dataset and the licence", () => {
    handleLicenceAcquired(at(licenceAcquired(9, 7, 5, LICENSEE, PAYER, TOKEN, 1000, 0), 30, 2));

    let id = eventKey(30, 2);
    assertEntry(id, "LicenceAcquired", PAYER, "licence 9 of dataset 7 for " + LICENSEE.toHexString());
    assert.fieldEquals("ProvenanceEvent", id, "dataset", DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "licence", "9");
    assertHistoryHas("LicenceAcquired", 1);
  });
});

// LicenceRefunded: the refund record, the licensee's credited balance, the refunder's ETH surplus, the timeline entry.
describe("handleLicenceRefunded", () => {
  beforeEach(() => {
    registerDataset7();
    setTerms(5, 1000, "ipfs://terms-a", 20);
    acquireLicence(9, 5, 1000, 30);
  });

  test("records the refund of the licence (id = licence id) and links it from the licence", () => {
    handleLicenceRefunded(at(licenceRefunded(9, 7, LICENSEE, TOKEN, 1000, OWNER, 0), 60, 1));

    assert.fieldEquals("LicenceRefund", "9", "licence", "9");
    assert.fieldEquals("LicenceRefund", "9", "dataset", DATASET);
    assert.fieldEquals("LicenceRefund", "9", "licensee", LICENSEE.toHexString());
    assert.fieldEquals("LicenceRefund", "9", "currency", TOKEN.toHexString());
    assert.fieldEquals("LicenceRefund", "9", "amount", "1000");
    assert.fieldEquals("LicenceRefund", "9", "refundedBy", OWNER.toHexString());
    assert.fieldEquals("LicenceRefund", "9", "blockNumber", "60");
    assert.fieldEquals("LicenceRefund", "9", "timestamp", "1700000720");
    assert.fieldEquals("LicenceRefund", "9", "transactionHash", txHex(60));
    assert.i32Equals(1, Dataset.load(DATASET)!.refunds.load().length);
    assert.i32Equals(1, Licence.load("9")!.refund.load().length);
  });

  test("credits the refund to the licensee's balance in the licence's currency; no surplus, no refunder balance", () => {
    handleLicenceRefunded(at(licenceRefunded(9, 7, LICENSEE, TOKEN, 1000, OWNER, 0), 60, 1));

    let balance = LICENSEE.toHexString() + "-" + TOKEN.toHexString();
    assert.fieldEquals("RoyaltyBalance", balance, "account", LICENSEE.toHexString());
    assert.fieldEquals("RoyaltyBalance", balance, "currency", TOKEN.toHexString());
    assert.fieldEquals("RoyaltyBalance", balance, "refunded", "1000");
    assert.fieldEquals("RoyaltyBalance", balance, "balance", "1000");
    assert.fieldEquals("RoyaltyBalance", balance, "credited", "0");
    assert.fieldEquals("RoyaltyBalance", balance, "surplus", "0");
    assert.entityCount("RoyaltyBalance", 1);
    assert.notInStore("RoyaltyBalance", OWNER.toHexString() + "-" + ZERO_ADDRESS_HEX);
  });

  test("refunds accumulate on the licensee's balance", () => {
    acquireLicence(10, 5, 400, 31);
    handleLicenceRefunded(at(licenceRefunded(9, 7, LICENSEE, TOKEN, 1000, OWNER, 0), 60, 0));
    handleLicenceRefunded(at(licenceRefunded(10, 7, LICENSEE, TOKEN, 400, OWNER, 0), 60, 1));

    let balance = LICENSEE.toHexString() + "-" + TOKEN.toHexString();
    assert.fieldEquals("RoyaltyBalance", balance, "refunded", "1400");
    assert.fieldEquals("RoyaltyBalance", balance, "balance", "1400");
    assert.entityCount("LicenceRefund", 2);
  });

  test("credits ETH sent above the due back to the refunder as surplus", () => {
    handleLicenceRefunded(at(licenceRefunded(9, 7, LICENSEE, ETH, 1000, OWNER, 50), 60, 1));

    let refunder = OWNER.toHexString() + "-" + ZERO_ADDRESS_HEX;
    assert.fieldEquals("RoyaltyBalance", refunder, "account", OWNER.toHexString());
    assert.fieldEquals("RoyaltyBalance", refunder, "surplus", "50");
    assert.fieldEquals("RoyaltyBalance", refunder, "balance", "50");
    assert.fieldEquals("RoyaltyBalance", refunder, "refunded", "0");
    assert.fieldEquals("RoyaltyBalance", LICENSEE.toHexString() + "-" + ZERO_ADDRESS_HEX, "balance", "1000");
  });

  test("appends LicenceRefunded by the refunder, linked to the dataset and the voided licence", () => {
    handleLicenceRefunded(at(licenceRefunded(9, 7, LICENSEE, TOKEN, 1000, OWNER, 0), 60, 1));

    let id = eventKey(60, 1);
    assertEntry(id, "LicenceRefunded", OWNER, "licence 9 of dataset 7 voided: 1000 refunded to " + LICENSEE.toHexString());
    assert.fieldEquals("ProvenanceEvent", id, "dataset", DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "licence", "9");
    assertHistoryHas("LicenceRefunded", 1);
  });
});

// ClaimCommitted: the commitment's block, recorded once per (registry, time), and the committer's timeline entry.
describe("handleClaimCommitted", () => {
  test("records the block of a commitment under registry address + time, and the committer's entry", () => {
    let committedAt = commitClaim(10);

    assert.fieldEquals("ClaimCommitmentBlock", COMMITMENT_AT_BLOCK_10, "kind", "DatasetFingerprint");
    assert.fieldEquals("ClaimCommitmentBlock", COMMITMENT_AT_BLOCK_10, "committedAt", str(committedAt));
    assert.fieldEquals("ClaimCommitmentBlock", COMMITMENT_AT_BLOCK_10, "blockNumber", "10");
    assert.fieldEquals("ClaimCommitmentBlock", COMMITMENT_AT_BLOCK_10, "transactionHash", txHex(10));
    assertEntry(eventKey(10, 0), "ClaimCommitted", OWNER, "claim commitment " + hash32("c0").toHexString() + " by " + OWNER.toHexString());
    assertNoValue("ProvenanceEvent", eventKey(10, 0), "dataset");
    assert.fieldEquals("Account", OWNER.toHexString(), "id", OWNER.toHexString());
  });

  test("a second commitment at the same time keeps the first one's transaction; both are in the timeline", () => {
    handleClaimCommitted(at(claimCommitted(hash32("c0"), OWNER, timeOf(10)), 10, 0, 1001));
    handleClaimCommitted(at(claimCommitted(hash32("c1"), NEW_OWNER, timeOf(10)), 10, 3, 1002));

    assert.entityCount("ClaimCommitmentBlock", 1);
    assert.fieldEquals("ClaimCommitmentBlock", COMMITMENT_AT_BLOCK_10, "transactionHash", txHex(1001));
    assert.entityCount("ProvenanceEvent", 2);
    assertEntry(eventKey(1002, 3), "ClaimCommitted", NEW_OWNER, "claim commitment " + hash32("c1").toHexString() + " by " + NEW_OWNER.toHexString());
  });
});

// ClaimPriorityProven: commit then prove: the proof (with the commitment's block), the version's earliest priority, the entry.
describe("handleClaimPriorityProven", () => {
  beforeEach(() => {
    registerDataset7();
    publishVersion(3, 1, FINGERPRINT, 20);
  });

  test("commit then prove: the proof carries the commitment's block and the version gets its priority", () => {
    let committedAt = commitClaim(10);
    proveClaim(committedAt, 30);

    let id = eventKey(30, 0);
    assert.fieldEquals("ClaimPriorityProof", id, "kind", "DatasetFingerprint");
    assert.fieldEquals("ClaimPriorityProof", id, "digest", FINGERPRINT_HEX);
    assert.fieldEquals("ClaimPriorityProof", id, "claimant", OWNER.toHexString());
    assert.fieldEquals("ClaimPriorityProof", id, "committedAt", "1700000120");
    assert.fieldEquals("ClaimPriorityProof", id, "commitmentBlock", "10");
    assert.fieldEquals("ClaimPriorityProof", id, "prover", PROVER.toHexString());
    assert.fieldEquals("ClaimPriorityProof", id, "datasetVersion", "3");
    assert.fieldEquals("ClaimPriorityProof", id, "blockNumber", "30");
    assert.fieldEquals("ClaimPriorityProof", id, "timestamp", "1700000360");
    assert.fieldEquals("ClaimPriorityProof", id, "transactionHash", txHex(30));
    assert.fieldEquals("DatasetVersion", "3", "priorityCommittedAt", "1700000120");
    assert.fieldEquals("DatasetVersion", "3", "priorityCommitmentBlock", "10");
    assert.i32Equals(1, DatasetVersion.load("3")!.priorityProofs.load().length);
  });

  test("appends ClaimPriorityProven by the prover, linked to the version and its dataset", () => {
    let committedAt = commitClaim(10);
    proveClaim(committedAt, 30);

    let id = eventKey(30, 0);
    assertEntry(
      id,
      "ClaimPriorityProven",
      PROVER,
      "claim of fingerprint " + FINGERPRINT_HEX + " by " + OWNER.toHexString() + " (dataset version 3) committed at 1700000120",
    );
    assert.fieldEquals("ProvenanceEvent", id, "dataset", DATASET);
    assert.fieldEquals("ProvenanceEvent", id, "datasetVersion", "3");
    assertHistoryHas("ClaimPriorityProven", 1);
  });

  test("the version keeps the earliest proven commitment: a later one does not replace it, an earlier one does", () => {
    let at10 = commitClaim(10);
    let at15 = commitClaim(15);
    let at5 = commitClaim(5);
    proveClaim(at10, 30);
    proveClaim(at15, 31);

    assert.fieldEquals("DatasetVersion", "3", "priorityCommittedAt", str(at10));
    assert.fieldEquals("DatasetVersion", "3", "priorityCommitmentBlock", "10");
    assert.fieldEquals("ClaimPriorityProof", eventKey(31, 0), "commitmentBlock", "15");

    proveClaim(at5, 32);
    assert.fieldEquals("DatasetVersion", "3", "priorityCommittedAt", "1700000060");
    assert.fieldEquals("DatasetVersion", "3", "priorityCommitmentBlock", "5");
    assert.fieldEquals("ClaimCommitmentBlock", COMMITMENT_AT_BLOCK_5, "blockNumber", "5");
    assert.i32Equals(3, DatasetVersion.load("3")!.priorityProofs.load().length);
  });

  test("a commitment the indexer did not see (or made at another registry) leaves the commitment block null", () => {
    let event = claimCommitted(hash32("c0"), OWNER, timeOf(10));
    event.address = OTHER_REGISTRY;
    handleClaimCommitted(at(event, 10, 0));
    proveClaim(timeOf(10), 30);

    assertNoValue("ClaimPriorityProof", eventKey(30, 0), "commitmentBlock");
    assert.fieldEquals("DatasetVersion", "3", "priorityCommittedAt", "1700000120");
    assertNoValue("DatasetVersion", "3", "priorityCommitmentBlock");
  });
});
