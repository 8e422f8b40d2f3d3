// Fixtures of the ModelRegistry tests: accounts, mock-log plumbing (tx hash, log index, block, sender), ABI value
// builders, the training data (datasets, versions, terms, licences) stored directly, and provenance assertions.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, newMockEvent } from "matchstick-as/assembly/index";
import { Account, Dataset, DatasetVersion, Licence, LicenceTerms } from "../../../generated/schema";

// Accounts, as the lowercase hex the store displays (what assert.fieldEquals expects).
export const ALICE = "0x00000000000000000000000000000000000a11ce"; // registers the base model
export const BOB = "0x0000000000000000000000000000000000000b0b"; // buys the base model; owns the fine-tune model
export const CAROL = "0x00000000000000000000000000000000000ca201"; // an operator who publishes versions
export const DAVE = "0x0000000000000000000000000000000000000da7"; // the release approver
export const RELAYER = "0x0000000000000000000000000000000000de1a7e"; // sends transactions for others (proofs)
export const ZERO = "0x0000000000000000000000000000000000000000";
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

export function addr(hex: string): Address {
  return Address.fromString(hex);
}

/** A 32-byte word ending in the hex digits `tail` (tx hashes, digests). */
export function word(tail: string): Bytes {
  let hex = tail;
  while (hex.length < 64) hex = "0" + hex;
  return Bytes.fromHexString("0x" + hex);
}

/** Hash of mock transaction number `tx`. */
export function txHash(tx: i32): Bytes {
  return word("7a" + tx.toString(16));
}

/** The block mock transaction `tx` is mined in: transactions are numbered in chain order, one per block. */
export function blockOf(tx: i32): i32 {
  return 100 + tx;
}

/** Unix time of mock block `block`: 12-second blocks from 1 700 000 000. */
export function timeOf(block: i32): BigInt {
  return BigInt.fromI32(1700000000 + block * 12);
}

/** Id of the entity written for log `logIndex` of transaction `tx` (txHash-logIndex). */
export function logId(tx: i32, logIndex: i32): string {
  return txHash(tx).toHexString() + "-" + logIndex.toString();
}

/** A mock log `logIndex` of transaction `tx` sent by `from`, mined in block blockOf(tx), with no parameters yet. */
export function mockLog(tx: i32, logIndex: i32, from: string): ethereum.Event {
  let block = blockOf(tx);
  let event = newMockEvent();
  event.transaction.hash = txHash(tx);
  event.transaction.from = addr(from);
  event.logIndex = BigInt.fromI32(logIndex);
  event.block.number = BigInt.fromI32(block);
  event.block.timestamp = timeOf(block);
  event.parameters = new Array<ethereum.EventParam>();
  return event;
}

/** Appends ABI parameter `name` to `event` (push them in the ABI's order). */
export function param(event: ethereum.Event, name: string, value: ethereum.Value): void {
  event.parameters.push(new ethereum.EventParam(name, value));
}

export function uint(value: i32): ethereum.Value {
  return ethereum.Value.fromUnsignedBigInt(BigInt.fromI32(value));
}

export function uints(values: Array<i32>): ethereum.Value {
  let big = new Array<BigInt>();
  for (let i = 0; i < values.length; i++) big.push(BigInt.fromI32(values[i]));
  return ethereum.Value.fromUnsignedBigIntArray(big);
}

export function bytes32(value: Bytes): ethereum.Value {
  return ethereum.Value.fromFixedBytes(value);
}

export function address(hex: string): ethereum.Value {
  return ethereum.Value.fromAddress(addr(hex));
}

export function text(value: string): ethereum.Value {
  return ethereum.Value.fromString(value);
}

export function flag(value: boolean): ethereum.Value {
  return ethereum.Value.fromBoolean(value);
}

// ---- stored training data -------------------------------------------------------------------------------------------

function stamp(tx: i32): BigInt {
  return BigInt.fromI32(blockOf(tx));
}

function storeAccount(hex: string): void {
  new Account(addr(hex)).save();
}

function storeDataset(id: string, owner: string): void {
  let dataset = new Dataset(id);
  dataset.datasetId = BigInt.fromString(id);
  dataset.creator = addr(owner);
  dataset.owner = addr(owner);
  dataset.withdrawn = false;
  dataset.consentRevoked = false;
  dataset.versionCount = 1;
  dataset.createdAtBlock = stamp(0);
  dataset.createdAt = timeOf(blockOf(0));
  dataset.createdTx = txHash(0);
  dataset.save();
}

function storeDatasetVersion(id: string, dataset: string, owner: string): void {
  let version = new DatasetVersion(id);
  version.versionId = BigInt.fromString(id);
  version.dataset = dataset;
  version.number = 1;
  version.fingerprint = word("f1" + id);
  version.content = version.fingerprint;
  version.claimant = addr(owner);
  version.manifestRoot = word("3a" + id);
  version.metadataHash = word("3d" + id);
  version.uri = "ipfs://dataset-version-" + id;
  version.parents = new Array<string>();
  version.parentLicenceIds = new Array<BigInt>();
  version.transformationHash = word("0");
  version.publisher = addr(owner);
  version.originRegions = BigInt.zero();
  version.inheritedTrainingTerritories = BigInt.zero();
  version.inheritedDeploymentTerritories = BigInt.zero();
  version.createdAtBlock = stamp(0);
  version.createdAt = timeOf(blockOf(0));
  version.createdTx = txHash(0);
  version.createdLogIndex = BigInt.zero();
  version.save();
}

function storeTerms(id: string, dataset: string, owner: string, commercialUse: boolean): void {
  let terms = new LicenceTerms(id);
  terms.termsId = BigInt.fromString(id);
  terms.dataset = dataset;
  terms.currency = addr(ZERO);
  terms.price = BigInt.fromI32(1000);
  terms.duration = BigInt.zero();
  terms.commercialUse = commercialUse;
  terms.derivativesAllowed = true;
  terms.documentHash = word("d0c" + id);
  terms.documentURI = "ipfs://terms-" + id;
  terms.trainingTerritories = BigInt.zero();
  terms.deploymentTerritories = BigInt.zero();
  terms.unitPrice = BigInt.zero();
  terms.unit = "";
  terms.derivativeRoyaltyBps = 0;
  terms.setBy = addr(owner);
  terms.createdAtBlock = stamp(0);
  terms.createdAt = timeOf(blockOf(0));
  terms.createdTx = txHash(0);
  terms.save();
}

function storeLicence(id: string, dataset: string, terms: string, licensee: string): void {
  let licence = new Licence(id);
  licence.licenceId = BigInt.fromString(id);
  licence.dataset = dataset;
  licence.terms = terms;
  licence.licensee = addr(licensee);
  licence.payer = addr(licensee);
  licence.currency = addr(ZERO);
  licence.amount = BigInt.fromI32(1000);
  licence.expiresAt = BigInt.zero();
  licence.createdAtBlock = stamp(0);
  licence.createdAt = timeOf(blockOf(0));
  licence.createdTx = txHash(0);
  licence.save();
}

/** The two datasets, their versions, terms and CAROL's licences (see the constants above), as of tx 0. */
export function storeTrainingData(): void {
  storeAccount(ALICE);
  storeAccount(BOB);
  storeAccount(CAROL);
  storeDataset(DATASET_A, ALICE);
  storeDatasetVersion(DATASET_A_VERSION, DATASET_A, ALICE);
  storeTerms(TERMS_A, DATASET_A, ALICE, true);
  storeLicence(LICENCE_A, DATASET_A, TERMS_A, CAROL);
  storeDataset(DATASET_B, BOB);
  storeDatasetVersion(DATASET_B_VERSION, DATASET_B, BOB);
  storeTerms(TERMS_B, DATASET_B, BOB, false);
  storeLicence(LICENCE_B, DATASET_B, TERMS_B, CAROL);
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
