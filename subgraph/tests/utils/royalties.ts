// Fixtures of the royalties and systems tests: accounts, mock-log plumbing (tx hash, log index, block, sender), ABI
// value builders, and the dataset lineage / model the handlers link to, stored directly (no dataset or model handler).
import { BigInt } from "@graphprotocol/graph-ts";
import { assert } from "matchstick-as/assembly/index";
import { storeDataset, storeDatasetVersion, storeLicence, storeModel, storeModelVersion, storeTerms } from "./entities";
import { addr, word, txHash, blockOf, timeOf, logId, sentLog, param, uint, uints, address, bytes32, text, ALICE, BOB, CAROL, DAVE, RELAYER } from "./events";
export { addr, word, txHash, blockOf, timeOf, logId, sentLog, param, uint, uints, address, bytes32, text, ALICE, BOB, CAROL, DAVE, RELAYER };


// Accounts and currencies, as the lowercase hex the store displays (what assert.fieldEquals expects).
export const ETH = "0x0000000000000000000000000000000000000000";
export const TOKEN = "0x00000000000000000000000000000000000070c3"; // an ERC-20 currency

// The lineage every royalties test starts from: dataset 2 (BOB's) has version 20, derived from version 10 of
// dataset 1 (ALICE's) under licence 5 of terms 3 (10% derivative royalty); CAROL holds licence 7 of dataset 2,
// granted under terms 4 (metered per sample).
export const PARENT_DATASET = "1";
export const PARENT_VERSION = "10";
export const PARENT_TERMS = "3";
export const PARENT_LICENCE = "5";
export const DERIVED_DATASET = "2";
export const DERIVED_VERSION = "20";
export const DERIVED_TERMS = "4";
export const DERIVED_LICENCE = "7";
export const DERIVATIVE_ROYALTY_BPS: i32 = 1000;

// The model whose system versions the systems tests publish.
export const MODEL = "8";
export const MODEL_VERSION = "9";

/** Id of the RoyaltyBalance of `account` in `currency`. */
export function balanceId(account: string, currency: string): string {
  return account + "-" + currency;
}

// ---- stored entities ----------------------------------------------------------------------------------------------


/** Stores the two-dataset lineage described at the top of this file. */
export function storeLineage(): void {
  storeDataset(PARENT_DATASET, ALICE);
  storeDatasetVersion(PARENT_VERSION, PARENT_DATASET, ALICE, new Array<string>(), new Array<BigInt>());
  storeTerms(PARENT_TERMS, PARENT_DATASET, ALICE, TOKEN, true, 0, DERIVATIVE_ROYALTY_BPS);
  storeLicence(PARENT_LICENCE, PARENT_DATASET, PARENT_TERMS, BOB, TOKEN);

  storeDataset(DERIVED_DATASET, BOB);
  storeDatasetVersion(DERIVED_VERSION, DERIVED_DATASET, BOB, [PARENT_VERSION], [BigInt.fromString(PARENT_LICENCE)]);
  storeTerms(DERIVED_TERMS, DERIVED_DATASET, BOB, TOKEN, true, 10, 0);
  storeLicence(DERIVED_LICENCE, DERIVED_DATASET, DERIVED_TERMS, CAROL, TOKEN);
}

/** Asserts that entity `type` `id` was stamped with the block, time and hash of mock transaction `tx`. */
export function assertStampedBy(type: string, id: string, tx: i32): void {
  assert.fieldEquals(type, id, "blockNumber", blockOf(tx).toString());
  assert.fieldEquals(type, id, "timestamp", timeOf(blockOf(tx)).toString());
  assert.fieldEquals(type, id, "transactionHash", txHash(tx).toHexString());
}

/** Asserts the ProvenanceEvent of log `logIndex` of transaction `tx`: its action, actor and description, and its place in the timeline. */
export function assertProvenance(tx: i32, logIndex: i32, action: string, actor: string, description: string): void {
  let id = logId(tx, logIndex);
  assert.fieldEquals("ProvenanceEvent", id, "action", action);
  assert.fieldEquals("ProvenanceEvent", id, "actor", actor);
  assert.fieldEquals("ProvenanceEvent", id, "description", description);
  assert.fieldEquals("ProvenanceEvent", id, "logIndex", logIndex.toString());
  assertStampedBy("ProvenanceEvent", id, tx);
}

/** Stores model MODEL (owned by `owner`) and its version MODEL_VERSION. */
export function storeModelAndVersion(owner: string): void {
  storeModel(MODEL, owner);
  storeModelVersion(MODEL_VERSION, MODEL, owner, 1);
}
