// Fixtures of the royalties and systems tests: accounts, mock-log plumbing (tx hash, log index, block, sender), ABI
// value builders, and the dataset lineage / model the handlers link to, stored directly (no dataset or model handler).
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, newMockEvent } from "matchstick-as/assembly/index";
import { Dataset, DatasetVersion, Licence, LicenceTerms, Model, ModelVersion } from "../../../generated/schema";

// Accounts and currencies, as the lowercase hex the store displays (what assert.fieldEquals expects).
export const ALICE = "0x00000000000000000000000000000000000a11ce"; // owns the parent dataset
export const BOB = "0x0000000000000000000000000000000000000b0b"; // owns the derived dataset
export const CAROL = "0x00000000000000000000000000000000000ca201"; // licensee of the derived dataset
export const DAVE = "0x0000000000000000000000000000000000000da7"; // a labelling contributor
export const RELAYER = "0x0000000000000000000000000000000000de1a7e"; // submits signed reports, settles payments
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

/** Address of one of the account constants above. */
export function addr(hex: string): Address {
  return Address.fromString(hex);
}

/** A 32-byte word ending in the hex digits `tail` (tx hashes, digests, role hashes). */
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

/** Id of the RoyaltyBalance of `account` in `currency`. */
export function balanceId(account: string, currency: string): string {
  return account + "-" + currency;
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

/** Appends the next ABI parameter of `event`. */
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

export function address(hex: string): ethereum.Value {
  return ethereum.Value.fromAddress(addr(hex));
}

export function bytes32(value: Bytes): ethereum.Value {
  return ethereum.Value.fromFixedBytes(value);
}

export function text(value: string): ethereum.Value {
  return ethereum.Value.fromString(value);
}

// ---- stored entities ----------------------------------------------------------------------------------------------

const FIXTURE_TX = word("f1");

function storeDataset(id: string, owner: string): void {
  let dataset = new Dataset(id);
  dataset.datasetId = BigInt.fromString(id);
  dataset.creator = addr(owner);
  dataset.owner = addr(owner);
  dataset.withdrawn = false;
  dataset.consentRevoked = false;
  dataset.versionCount = 1;
  dataset.createdAtBlock = BigInt.fromI32(1);
  dataset.createdAt = timeOf(1);
  dataset.createdTx = FIXTURE_TX;
  dataset.save();
}

function storeDatasetVersion(id: string, datasetId: string, owner: string, parents: Array<string>, parentLicences: Array<BigInt>): void {
  let version = new DatasetVersion(id);
  version.versionId = BigInt.fromString(id);
  version.dataset = datasetId;
  version.number = 1;
  version.fingerprint = word("f" + id);
  version.content = word("f" + id);
  version.claimant = addr(owner);
  version.manifestRoot = word("a" + id);
  version.metadataHash = word("b" + id);
  version.uri = "ipfs://dataset-version-" + id;
  version.parents = parents;
  version.parentLicenceIds = parentLicences;
  version.transformationHash = word("c" + id);
  version.publisher = addr(owner);
  version.originRegions = BigInt.zero();
  version.inheritedTrainingTerritories = BigInt.zero();
  version.inheritedDeploymentTerritories = BigInt.zero();
  version.createdAtBlock = BigInt.fromI32(2);
  version.createdAt = timeOf(2);
  version.createdTx = FIXTURE_TX;
  version.createdLogIndex = BigInt.zero();
  version.save();
}

function storeTerms(id: string, datasetId: string, owner: string, unitPrice: i32, derivativeRoyaltyBps: i32): void {
  let terms = new LicenceTerms(id);
  terms.termsId = BigInt.fromString(id);
  terms.dataset = datasetId;
  terms.currency = addr(TOKEN);
  terms.price = BigInt.fromI32(1000);
  terms.duration = BigInt.zero();
  terms.commercialUse = true;
  terms.derivativesAllowed = true;
  terms.documentHash = word("d" + id);
  terms.documentURI = "ipfs://terms-" + id;
  terms.trainingTerritories = BigInt.zero();
  terms.deploymentTerritories = BigInt.zero();
  terms.unitPrice = BigInt.fromI32(unitPrice);
  terms.unit = unitPrice > 0 ? "samples" : "";
  terms.derivativeRoyaltyBps = derivativeRoyaltyBps;
  terms.setBy = addr(owner);
  terms.createdAtBlock = BigInt.fromI32(1);
  terms.createdAt = timeOf(1);
  terms.createdTx = FIXTURE_TX;
  terms.save();
}

function storeLicence(id: string, datasetId: string, termsId: string, licensee: string): void {
  let licence = new Licence(id);
  licence.licenceId = BigInt.fromString(id);
  licence.dataset = datasetId;
  licence.terms = termsId;
  licence.licensee = addr(licensee);
  licence.payer = addr(licensee);
  licence.currency = addr(TOKEN);
  licence.amount = BigInt.fromI32(1000);
  licence.expiresAt = BigInt.zero();
  licence.createdAtBlock = BigInt.fromI32(3);
  licence.createdAt = timeOf(3);
  licence.createdTx = FIXTURE_TX;
  licence.save();
}

/** Stores the two-dataset lineage described at the top of this file. */
export function storeLineage(): void {
  storeDataset(PARENT_DATASET, ALICE);
  storeDatasetVersion(PARENT_VERSION, PARENT_DATASET, ALICE, new Array<string>(), new Array<BigInt>());
  storeTerms(PARENT_TERMS, PARENT_DATASET, ALICE, 0, DERIVATIVE_ROYALTY_BPS);
  storeLicence(PARENT_LICENCE, PARENT_DATASET, PARENT_TERMS, BOB);

  storeDataset(DERIVED_DATASET, BOB);
  storeDatasetVersion(DERIVED_VERSION, DERIVED_DATASET, BOB, [PARENT_VERSION], [BigInt.fromString(PARENT_LICENCE)]);
  storeTerms(DERIVED_TERMS, DERIVED_DATASET, BOB, 10, 0);
  storeLicence(DERIVED_LICENCE, DERIVED_DATASET, DERIVED_TERMS, CAROL);
}

/** Stores model MODEL (owned by `owner`) and its version MODEL_VERSION. */
export function storeModel(owner: string): void {
  let model = new Model(MODEL);
  model.modelId = BigInt.fromString(MODEL);
  model.creator = addr(owner);
  model.owner = addr(owner);
  model.commercial = true;
  model.metadataHash = word("e1");
  model.uri = "ipfs://model";
  model.requiredKinds = BigInt.zero();
  model.requiredKindIds = new Array<i32>();
  model.requiresDeclaredData = false;
  model.versionCount = 1;
  model.createdAtBlock = BigInt.fromI32(1);
  model.createdAt = timeOf(1);
  model.createdTx = FIXTURE_TX;
  model.save();

  let version = new ModelVersion(MODEL_VERSION);
  version.versionId = BigInt.fromString(MODEL_VERSION);
  version.model = MODEL;
  version.number = 1;
  version.weightsHash = word("e2");
  version.content = word("e2");
  version.claimant = addr(owner);
  version.manifestRoot = word("e3");
  version.configHash = word("e4");
  version.uri = "ipfs://model-version";
  version.dataDeclared = true;
  version.commercialData = true;
  version.publisher = addr(owner);
  version.approved = false;
  version.approvalRevoked = false;
  version.createdAtBlock = BigInt.fromI32(2);
  version.createdAt = timeOf(2);
  version.createdTx = FIXTURE_TX;
  version.createdLogIndex = BigInt.zero();
  version.save();
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
