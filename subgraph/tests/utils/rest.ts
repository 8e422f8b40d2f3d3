// Shared fixtures of the attestations, releases and agents tests: accounts, event plumbing (tx hash, log index, block),
// ABI value builders, and the Model / ModelVersion / SystemVersion entities those handlers link to, stored directly.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { newMockEvent } from "matchstick-as/assembly/index";
import { Model, ModelVersion, SystemApproval, SystemVersion, VersionApproval } from "../../../generated/schema";

// Accounts, as the lowercase hex strings the store shows (assert.fieldEquals expects them).
export const ALICE = "0x00000000000000000000000000000000000a11ce";
export const BOB = "0x0000000000000000000000000000000000000b0b";
export const CAROL = "0x00000000000000000000000000000000000ca201";
export const RELAYER = "0x0000000000000000000000000000000000de1a7e";
export const WALLET_ONE = "0x0000000000000000000000000000000000001111";
export const WALLET_TWO = "0x0000000000000000000000000000000000002222";
export const ZERO = "0x0000000000000000000000000000000000000000";

/** Address of one of the account constants above. */
export function addr(hex: string): Address {
  return Address.fromString(hex);
}

/** A 32-byte word ending in the hex digits `tail` (tx hashes, roots, policy and evidence hashes). */
export function word(tail: string): Bytes {
  let hex = tail;
  while (hex.length < 64) hex = "0" + hex;
  return Bytes.fromHexString("0x" + hex);
}

/** Hash of the mock transaction number `tx`. */
export function txHash(tx: i32): Bytes {
  return word(tx.toString(16));
}

/** Unix time of mock block `block`: 12-second blocks from 1 700 000 000. */
export function timeOf(block: i32): BigInt {
  return BigInt.fromI32(1700000000 + block * 12);
}

/** id of the ProvenanceEvent (or Rollback) of log `logIndex` of transaction `tx`: txHash-logIndex. */
export function logId(tx: i32, logIndex: i32): string {
  return txHash(tx).toHexString() + "-" + logIndex.toString();
}

/** A mock event of log `logIndex` in transaction `tx`, mined in block `block`, with no parameters yet. */
export function mockLog(tx: i32, logIndex: i32, block: i32): ethereum.Event {
  let event = newMockEvent();
  event.transaction.hash = txHash(tx);
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

export function address(hex: string): ethereum.Value {
  return ethereum.Value.fromAddress(addr(hex));
}

export function bytes32(value: Bytes): ethereum.Value {
  return ethereum.Value.fromFixedBytes(value);
}

export function text(value: string): ethereum.Value {
  return ethereum.Value.fromString(value);
}

/** Model `modelId` owned by ALICE, as ModelRegistry's handlers would have stored it. */
export function storeModel(modelId: i32): void {
  let model = new Model(modelId.toString());
  model.modelId = BigInt.fromI32(modelId);
  model.creator = addr(ALICE);
  model.owner = addr(ALICE);
  model.commercial = true;
  model.metadataHash = word("aa");
  model.uri = "ipfs://model";
  model.requiredKinds = BigInt.zero();
  model.requiredKindIds = new Array<i32>();
  model.requiresDeclaredData = false;
  model.versionCount = 0;
  model.createdAtBlock = BigInt.fromI32(1);
  model.createdAt = timeOf(1);
  model.createdTx = txHash(1);
  model.save();
}

/** Version `versionId` of model `modelId`, not approved. */
export function storeModelVersion(versionId: i32, modelId: i32): void {
  let version = new ModelVersion(versionId.toString());
  version.versionId = BigInt.fromI32(versionId);
  version.model = modelId.toString();
  version.number = versionId;
  version.weightsHash = word("bb" + versionId.toString(16));
  version.content = version.weightsHash;
  version.claimant = addr(ALICE);
  version.manifestRoot = word("cc");
  version.configHash = word("dd");
  version.uri = "ipfs://weights";
  version.dataDeclared = true;
  version.commercialData = true;
  version.publisher = addr(ALICE);
  version.approved = false;
  version.approvalRevoked = false;
  version.createdAtBlock = BigInt.fromI32(2);
  version.createdAt = timeOf(2);
  version.createdTx = txHash(2);
  version.createdLogIndex = BigInt.zero();
  version.save();
}

/** Marks model version `versionId` approved on the strength of attestations `attestationIds`. */
export function approveModelVersion(versionId: i32, attestationIds: Array<string>): void {
  let version = ModelVersion.load(versionId.toString())!;
  let approval = new VersionApproval(version.id);
  approval.version = version.id;
  approval.model = version.model;
  approval.attestations = attestationIds;
  approval.approvedBy = addr(BOB);
  approval.blockNumber = BigInt.fromI32(3);
  approval.timestamp = timeOf(3);
  approval.transactionHash = txHash(3);
  approval.save();
  version.approved = true;
  version.approval = approval.id;
  version.save();
}

/** System version `systemId` running model version `versionId` of model `modelId` under policy `policy`. */
export function storeSystemVersion(systemId: i32, modelId: i32, versionId: i32, policy: Bytes): void {
  let system = new SystemVersion(systemId.toString());
  system.systemId = BigInt.fromI32(systemId);
  system.model = modelId.toString();
  system.modelVersion = versionId.toString();
  system.promptHash = word("01");
  system.retrievalIndex = word("02");
  system.policyHash = policy;
  system.toolsHash = word("03");
  system.uri = "ipfs://system";
  system.publisher = addr(ALICE);
  system.approved = false;
  system.approvalRevoked = false;
  system.createdAtBlock = BigInt.fromI32(2);
  system.createdAt = timeOf(2);
  system.createdTx = txHash(2);
  system.save();
}

/** Marks system version `systemId` approved on the strength of attestations `attestationIds`. */
export function approveSystemVersion(systemId: i32, attestationIds: Array<string>): void {
  let system = SystemVersion.load(systemId.toString())!;
  let approval = new SystemApproval(system.id);
  approval.system = system.id;
  approval.model = system.model;
  approval.attestations = attestationIds;
  approval.approvedBy = addr(BOB);
  approval.blockNumber = BigInt.fromI32(3);
  approval.timestamp = timeOf(3);
  approval.transactionHash = txHash(3);
  approval.save();
  system.approved = true;
  system.approval = approval.id;
  system.save();
}
