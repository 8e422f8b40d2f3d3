import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { DecisionBatchAnchored, Deployed, RolledBack } from "../../generated/ReleaseRegistry/ReleaseRegistry";
import { DecisionRoot, Environment, ModelVersion, ProvenanceEvent, Rollback } from "../../generated/schema";
import { handleDecisionBatchAnchored, handleDeployed, handleRolledBack } from "../src/releases";
import {
  address,
  ALICE,
  BOB,
  bytes32,
  CAROL,
  logId,
  mockLog,
  param,
  storeModel,
  storeModelVersion,
  storeSystemVersion,
  text,
  timeOf,
  txHash,
  uint,
  word,
} from "./utils/rest";

export { handleDecisionBatchAnchored, handleDeployed, handleRolledBack };

// keccak256("production") and keccak256("staging"): the environment keys ReleaseRegistry derives from the names.
const PRODUCTION = "0x572d9d34c2795f4a414e0f89c184fecb9a4bfb275d84b3d40628cbb425b45476";
const STAGING = "0xc6fb65bf8ffe4022e2a54c03c0ccf0e75b324b5daebfaf53dd9619912971bef7";
const PRODUCTION_ENV = "1-" + PRODUCTION; // Environment id: modelId-environmentKey
const STAGING_ENV = "1-" + STAGING;

const MODEL: i32 = 1;
const V10: i32 = 10;
const V11: i32 = 11;
const SYSTEM: i32 = 7; // system version 7 runs model version 10
const NONE: i32 = 0;
const REGIONS: i32 = 5; // two regions (bits 0 and 2)
const POLICY = "90119c"; // tail of system 7's policy digest

// ---- events -------------------------------------------------------------------------------------------------------

/** Deployment `deploymentId` of model 1's version `versionId` (as system `systemId`, 0 = none) to `environment`. */
function deployed(at: ethereum.Event, deploymentId: i32, versionId: i32, systemId: i32, environment: string, previousId: i32, deployer: string): Deployed {
  param(at, "deploymentId", uint(deploymentId));
  param(at, "modelId", uint(MODEL));
  param(at, "versionId", uint(versionId));
  param(at, "systemId", uint(systemId));
  param(at, "environmentKey", bytes32(Bytes.fromHexString(environment == "production" ? PRODUCTION : STAGING)));
  param(at, "environment", text(environment));
  param(at, "previousDeploymentId", uint(previousId));
  param(at, "regions", uint(REGIONS));
  param(at, "deployer", address(deployer));
  return changetype<Deployed>(at);
}

/** Model 1's production rolled back from deployment `fromId` (version `fromVersion`) to `toId` (0 = nothing). */
function rolledBack(at: ethereum.Event, fromId: i32, toId: i32, fromVersion: i32, toVersion: i32, reason: string, by: string): RolledBack {
  param(at, "modelId", uint(MODEL));
  param(at, "environmentKey", bytes32(Bytes.fromHexString(PRODUCTION)));
  param(at, "fromDeploymentId", uint(fromId));
  param(at, "toDeploymentId", uint(toId));
  param(at, "fromVersionId", uint(fromVersion));
  param(at, "toVersionId", uint(toVersion));
  param(at, "environment", text("production"));
  param(at, "reason", text(reason));
  param(at, "by", address(by));
  return changetype<RolledBack>(at);
}

/** `count` decisions of model 1's version `versionId` (as system `systemId`) anchored under `root`. */
function decisionBatchAnchored(at: ethereum.Event, root: Bytes, versionId: i32, systemId: i32, count: i32): DecisionBatchAnchored {
  param(at, "root", bytes32(root));
  param(at, "versionId", uint(versionId));
  param(at, "modelId", uint(MODEL));
  param(at, "systemId", uint(systemId));
  param(at, "policyHash", bytes32(word(systemId == NONE ? "00" : POLICY)));
  param(at, "count", uint(count));
  param(at, "windowStart", uint(1700000000));
  param(at, "windowEnd", uint(1700086400));
  param(at, "regions", uint(REGIONS));
  param(at, "uri", text("ipfs://decisions"));
  param(at, "operator", address(CAROL));
  return changetype<DecisionBatchAnchored>(at);
}

// ---- fixtures -----------------------------------------------------------------------------------------------------

/** Model 1 with versions 10 and 11, and system version 7 running version 10, as the other registries stored them. */
function storeModelAndVersions(): void {
  clearStore();
  storeModel(MODEL);
  storeModelVersion(V10, MODEL);
  storeModelVersion(V11, MODEL);
  storeSystemVersion(SYSTEM, MODEL, V10, word(POLICY));
}

/** Deployment 100 (version 10, bare) then 101 (version 11) to production, in blocks 100 and 110. */
function deployTenThenEleven(): void {
  handleDeployed(deployed(mockLog(20, 0, 100), 100, V10, NONE, "production", 0, ALICE));
  handleDeployed(deployed(mockLog(21, 0, 110), 101, V11, NONE, "production", 100, ALICE));
}

/** Id of the DecisionBatch of `root` anchored by version `versionId`: the root, then the id as 8 bytes. */
function batchId(root: Bytes, versionId: i32): string {
  return root.toHexString() + "000000000000000" + versionId.toString(16);
}

// ---- tests --------------------------------------------------------------------------------------------------------

describe("handleDeployed", () => {
  // A deployment becomes its environment's live one (ending the previous) and is logged on the version's timeline.
  beforeEach(storeModelAndVersions);

  test("a first deployment: a new environment with it live, the deployment's links, and a Deployed entry", () => {
    handleDeployed(deployed(mockLog(20, 3, 100), 100, V10, NONE, "production", 0, ALICE));

    assert.fieldEquals("Deployment", "100", "deploymentId", "100");
    assert.fieldEquals("Deployment", "100", "model", "1");
    assert.fieldEquals("Deployment", "100", "version", "10");
    assert.fieldEquals("Deployment", "100", "environment", PRODUCTION_ENV);
    assert.fieldEquals("Deployment", "100", "deployer", ALICE);
    assert.fieldEquals("Deployment", "100", "regions", "5");
    assert.fieldEquals("Deployment", "100", "active", "true");
    assert.fieldEquals("Deployment", "100", "createdAtBlock", "100");
    assert.fieldEquals("Deployment", "100", "createdAt", timeOf(100).toString());
    assert.fieldEquals("Deployment", "100", "createdTx", txHash(20).toHexString());

    assert.fieldEquals("Environment", PRODUCTION_ENV, "model", "1");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "name", "production");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "key", PRODUCTION);
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveDeployment", "100");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveVersion", "10");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveSystem", "null");

    let entry = logId(20, 3);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "Deployed");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "model", "1");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "10");
    assert.fieldEquals("ProvenanceEvent", entry, "deployment", "100");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "model version 10 deployed to production");
    // Derived: the version's deployments and its timeline.
    let version = ModelVersion.load("10")!;
    assert.i32Equals(1, version.deployments.load().length);
    assert.stringEquals("Deployed", version.history.load()[0].action);
  });

  test("a second deployment ends the first, links it as previous, and runs a system version", () => {
    handleDeployed(deployed(mockLog(20, 0, 100), 100, V11, NONE, "production", 0, ALICE));
    handleDeployed(deployed(mockLog(21, 1, 110), 101, V10, SYSTEM, "production", 100, BOB));

    assert.fieldEquals("Deployment", "100", "active", "false");
    assert.fieldEquals("Deployment", "100", "endedAt", timeOf(110).toString());
    assert.fieldEquals("Deployment", "101", "active", "true");
    assert.fieldEquals("Deployment", "101", "previous", "100");
    assert.fieldEquals("Deployment", "101", "system", "7");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveDeployment", "101");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveVersion", "10");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveSystem", "7");
    assert.entityCount("Environment", 1);

    let entry = logId(21, 1);
    assert.fieldEquals("ProvenanceEvent", entry, "actor", BOB);
    assert.fieldEquals("ProvenanceEvent", entry, "systemVersion", "7");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "model version 10 as system version 7 deployed to production");
    assert.i32Equals(2, Environment.load(PRODUCTION_ENV)!.deployments.load().length);
  });

  test("deployments to two environments of one model are live side by side", () => {
    handleDeployed(deployed(mockLog(20, 0, 100), 100, V10, NONE, "production", 0, ALICE));
    handleDeployed(deployed(mockLog(21, 0, 110), 101, V11, NONE, "staging", 0, ALICE));

    assert.fieldEquals("Deployment", "100", "active", "true");
    assert.fieldEquals("Deployment", "101", "environment", STAGING_ENV);
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveVersion", "10");
    assert.fieldEquals("Environment", STAGING_ENV, "liveVersion", "11");
    assert.fieldEquals("Environment", STAGING_ENV, "name", "staging");
  });
});

describe("handleRolledBack", () => {
  // A rollback ends the live deployment, restores the earlier one (or none) and logs it on both versions.
  beforeEach(storeModelAndVersions);

  test("a deployment then a rollback: the earlier version is live again; the rollback records from and to", () => {
    deployTenThenEleven();
    handleRolledBack(rolledBack(mockLog(30, 2, 120), 101, 100, V11, V10, "latency regression", BOB));

    let id = logId(30, 2);
    assert.fieldEquals("Rollback", id, "model", "1");
    assert.fieldEquals("Rollback", id, "environment", PRODUCTION_ENV);
    assert.fieldEquals("Rollback", id, "from", "101");
    assert.fieldEquals("Rollback", id, "fromVersion", "11");
    assert.fieldEquals("Rollback", id, "to", "100");
    assert.fieldEquals("Rollback", id, "toVersion", "10");
    assert.fieldEquals("Rollback", id, "reason", "latency regression");
    assert.fieldEquals("Rollback", id, "by", BOB);
    assert.fieldEquals("Rollback", id, "blockNumber", "120");
    assert.fieldEquals("Rollback", id, "timestamp", timeOf(120).toString());
    assert.fieldEquals("Rollback", id, "transactionHash", txHash(30).toHexString());

    assert.fieldEquals("Deployment", "101", "active", "false");
    assert.fieldEquals("Deployment", "101", "endedAt", timeOf(120).toString());
    assert.fieldEquals("Deployment", "100", "active", "true");
    assert.fieldEquals("Deployment", "100", "endedAt", "null");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveDeployment", "100");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveVersion", "10");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveSystem", "null");

    // One entry per version: the one rolled back from (part 0) and the one live again (part 1).
    let description = "production rolled back from version 11 to version 10: latency regression";
    assert.fieldEquals("ProvenanceEvent", id + "-0", "action", "RolledBack");
    assert.fieldEquals("ProvenanceEvent", id + "-0", "actor", BOB);
    assert.fieldEquals("ProvenanceEvent", id + "-0", "modelVersion", "11");
    assert.fieldEquals("ProvenanceEvent", id + "-0", "deployment", "101");
    assert.fieldEquals("ProvenanceEvent", id + "-0", "description", description);
    assert.fieldEquals("ProvenanceEvent", id + "-1", "modelVersion", "10");
    assert.fieldEquals("ProvenanceEvent", id + "-1", "deployment", "100");
    assert.fieldEquals("ProvenanceEvent", id + "-1", "description", description);
    assert.notInStore("ProvenanceEvent", id);
    // Derived: the environment's rollbacks; version 10's timeline is Deployed then RolledBack.
    assert.i32Equals(1, Environment.load(PRODUCTION_ENV)!.rollbacks.load().length);
    assert.i32Equals(2, ModelVersion.load("10")!.history.load().length);
  });

  test("rolling back to a deployment that runs a system version makes that system live again", () => {
    handleDeployed(deployed(mockLog(20, 0, 100), 100, V10, SYSTEM, "production", 0, ALICE));
    handleDeployed(deployed(mockLog(21, 0, 110), 101, V11, NONE, "production", 100, ALICE));
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveSystem", "null");

    handleRolledBack(rolledBack(mockLog(30, 0, 120), 101, 100, V11, V10, "bad answers", BOB));
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveSystem", "7");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveDeployment", "100");
  });

  test("rolling back the only deployment leaves nothing live", () => {
    handleDeployed(deployed(mockLog(20, 0, 100), 100, V10, NONE, "production", 0, ALICE));
    handleRolledBack(rolledBack(mockLog(30, 0, 120), 100, 0, V10, 0, "incident", BOB));

    let id = logId(30, 0);
    assert.fieldEquals("Rollback", id, "from", "100");
    let rollback = Rollback.load(id)!;
    assert.assertNull(rollback.to);
    assert.assertNull(rollback.toVersion);
    assert.fieldEquals("Deployment", "100", "active", "false");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveDeployment", "null");
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveVersion", "null");
    assert.fieldEquals("ProvenanceEvent", id + "-0", "description", "production rolled back from version 10 to nothing: incident");
    assert.notInStore("ProvenanceEvent", id + "-1");
  });
});

describe("handleDecisionBatchAnchored", () => {
  // A batch is keyed by root and version, links the root, the version and the system, and is logged.
  beforeEach(storeModelAndVersions);

  test("a decision batch anchored against a deployment's version and system", () => {
    handleDeployed(deployed(mockLog(20, 0, 100), 100, V10, SYSTEM, "production", 0, ALICE));
    let root = word("a007");
    handleDecisionBatchAnchored(decisionBatchAnchored(mockLog(40, 5, 130), root, V10, SYSTEM, 250));

    let id = batchId(root, V10);
    assert.fieldEquals("DecisionBatch", id, "root", root.toHexString());
    assert.fieldEquals("DecisionBatch", id, "decisionRoot", root.toHexString());
    assert.fieldEquals("DecisionBatch", id, "version", "10");
    assert.fieldEquals("DecisionBatch", id, "model", "1");
    assert.fieldEquals("DecisionBatch", id, "system", "7");
    assert.fieldEquals("DecisionBatch", id, "policyHash", word(POLICY).toHexString());
    assert.fieldEquals("DecisionBatch", id, "count", "250");
    assert.fieldEquals("DecisionBatch", id, "windowStart", "1700000000");
    assert.fieldEquals("DecisionBatch", id, "windowEnd", "1700086400");
    assert.fieldEquals("DecisionBatch", id, "regions", "5");
    assert.fieldEquals("DecisionBatch", id, "uri", "ipfs://decisions");
    assert.fieldEquals("DecisionBatch", id, "operator", CAROL);
    assert.fieldEquals("DecisionBatch", id, "blockNumber", "130");
    assert.fieldEquals("DecisionBatch", id, "timestamp", timeOf(130).toString());
    assert.fieldEquals("DecisionBatch", id, "transactionHash", txHash(40).toHexString());
    assert.fieldEquals("DecisionBatch", id, "logIndex", "5");
    assert.fieldEquals("DecisionRoot", root.toHexString(), "id", root.toHexString());
    // The version the batch names is the one live in production.
    assert.fieldEquals("Environment", PRODUCTION_ENV, "liveVersion", "10");

    let entry = logId(40, 5);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "DecisionsAnchored");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", CAROL);
    assert.fieldEquals("ProvenanceEvent", entry, "model", "1");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "10");
    assert.fieldEquals("ProvenanceEvent", entry, "decisionBatch", id);
    assert.fieldEquals("ProvenanceEvent", entry, "systemVersion", "7");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "250 decisions of model version 10 anchored as " + root.toHexString());
    assert.i32Equals(1, ModelVersion.load("10")!.decisionBatches.load().length);
  });

  test("one root anchored by two versions: two batches under one decision root", () => {
    let root = word("a008");
    handleDecisionBatchAnchored(decisionBatchAnchored(mockLog(40, 0, 130), root, V10, SYSTEM, 3));
    handleDecisionBatchAnchored(decisionBatchAnchored(mockLog(41, 0, 131), root, V11, NONE, 4));

    assert.entityCount("DecisionBatch", 2);
    assert.entityCount("DecisionRoot", 1);
    assert.fieldEquals("DecisionBatch", batchId(root, V11), "version", "11");
    assert.fieldEquals("DecisionBatch", batchId(root, V11), "count", "4");
    assert.fieldEquals("DecisionBatch", batchId(root, V11), "policyHash", word("00").toHexString());
    assert.assertNull(ProvenanceEvent.load(logId(41, 0))!.systemVersion);
    assert.i32Equals(2, DecisionRoot.load(root)!.batches.load().length);
  });
});
