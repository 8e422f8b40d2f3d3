// Shared fixtures of the attestations, releases and agents tests: accounts, event plumbing (tx hash, log index, block),
// ABI value builders, and the Model / ModelVersion / SystemVersion entities those handlers link to, stored directly.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { Model, ModelVersion, SystemApproval, SystemVersion, VersionApproval } from "../../../generated/schema";
import { storeModel as storeStoredModel, storeModelVersion as storeStoredModelVersion } from "./entities";
import { addr, word, txHash, timeOf, logId, mockLog, param, uint, address, bytes32, text, ALICE, BOB, CAROL, RELAYER, ZERO } from "./events";
export { addr, word, txHash, timeOf, logId, mockLog, param, uint, address, bytes32, text, ALICE, BOB, CAROL, RELAYER, ZERO };


// Accounts, as the lowercase hex strings the store shows (assert.fieldEquals expects them).
export const WALLET_ONE = "0x0000000000000000000000000000000000001111";
export const WALLET_TWO = "0x0000000000000000000000000000000000002222";

/** Model `modelId` owned by ALICE. */
export function storeModel(modelId: i32): void {
  storeStoredModel(modelId.toString(), ALICE);
}

/** Version `versionId` of model `modelId` (its number: `versionId`), published by ALICE, not approved. */
export function storeModelVersion(versionId: i32, modelId: i32): void {
  storeStoredModelVersion(versionId.toString(), modelId.toString(), ALICE, versionId);
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
