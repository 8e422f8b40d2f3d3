// Fixtures of the ModelRegistry tests: accounts, mock-log plumbing (tx hash, log index, block, sender), ABI value
// builders, the training data (datasets, versions, terms, licences) stored directly, and provenance assertions.
import { Address, BigInt } from "@graphprotocol/graph-ts";
import { assert } from "matchstick-as/assembly/index";
import { Account } from "../../../generated/schema";
import { storeDataset, storeDatasetVersion, storeLicence, storeTerms } from "./entities";
import { addr, word, txHash, blockOf, timeOf, logId, sentLog, param, uint, uints, address, bytes32, text, flag, ALICE, BOB, CAROL, DAVE, RELAYER, ZERO } from "./events";
export { addr, word, txHash, blockOf, timeOf, logId, sentLog, param, uint, uints, address, bytes32, text, flag, ALICE, BOB, CAROL, DAVE, RELAYER, ZERO };


// Accounts, as the lowercase hex the store displays (what assert.fieldEquals expects).
/** Address of every mock log: matchstick-as's default event address (commitment block ids start with it). */
export const REGISTRY = "0xa16081f360e3847006db660bae1c6d1b2e17ec2a";

// The training data the training-run tests link to: version 10 of ALICE's dataset 1, licensed to CAROL as licence 5
// under terms 3 (commercial); version 20 of BOB's dataset 2, licence 7 under terms 4 (research only).
export const DATASET_A = "1";
export const DATASET_A_VERSION = "10";
export const TERMS_A = "3";
export const LICENCE_A = "5";
export const DATASET_B = "2";
export const DATASET_B_VERSION = "20";
export const TERMS_B = "4";
export const LICENCE_B = "7";

// ---- stored training data -------------------------------------------------------------------------------------------

function storeAccount(hex: string): void {
  new Account(addr(hex)).save();
}

/** The two datasets, their versions, terms and CAROL's licences (see the constants above), as of tx 0. */
export function storeTrainingData(): void {
  storeAccount(ALICE);
  storeAccount(BOB);
  storeAccount(CAROL);
  storeDataset(DATASET_A, ALICE);
  storeDatasetVersion(DATASET_A_VERSION, DATASET_A, ALICE, new Array<string>(), new Array<BigInt>());
  storeTerms(TERMS_A, DATASET_A, ALICE, ZERO, true, 0, 0);
  storeLicence(LICENCE_A, DATASET_A, TERMS_A, CAROL, ZERO);
  storeDataset(DATASET_B, BOB);
  storeDatasetVersion(DATASET_B_VERSION, DATASET_B, BOB, new Array<string>(), new Array<BigInt>());
  storeTerms(TERMS_B, DATASET_B, BOB, ZERO, false, 0, 0);
  storeLicence(LICENCE_B, DATASET_B, TERMS_B, CAROL, ZERO);
}

// ---- assertions -----------------------------------------------------------------------------------------------------

/** Timeline entry `id` records `action` by `actor`, stamped with log `logIndex` of transaction `tx`, described as `description`. */
export function assertProvenance(id: string, action: string, actor: string, tx: i32, logIndex: i32, description: string): void {
  assert.fieldEquals("ProvenanceEvent", id, "action", action);
  assert.fieldEquals("ProvenanceEvent", id, "actor", actor);
  assert.fieldEquals("ProvenanceEvent", id, "description", description);
  assert.fieldEquals("ProvenanceEvent", id, "transactionHash", txHash(tx).toHexString());
  assert.fieldEquals("ProvenanceEvent", id, "logIndex", logIndex.toString());
  assert.fieldEquals("ProvenanceEvent", id, "blockNumber", blockOf(tx).toString());
  assert.fieldEquals("ProvenanceEvent", id, "timestamp", timeOf(blockOf(tx)).toString());
}

/** Entity `type` `id` was created in transaction `tx` (createdAtBlock, createdAt, createdTx). */
export function assertCreatedIn(type: string, id: string, tx: i32): void {
  assert.fieldEquals(type, id, "createdAtBlock", blockOf(tx).toString());
  assert.fieldEquals(type, id, "createdAt", timeOf(blockOf(tx)).toString());
  assert.fieldEquals(type, id, "createdTx", txHash(tx).toHexString());
}
