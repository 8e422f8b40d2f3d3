import { Bytes } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { SystemVersionApproved, SystemVersionPublished } from "../../generated/SystemRegistry/SystemRegistry";
import { DatasetVersion, ModelVersion, ProvenanceEvent, SystemVersion } from "../../generated/schema";
import { handleSystemVersionApproved, handleSystemVersionPublished } from "../src/systems";
import {
  ALICE,
  address,
  assertProvenance,
  assertStampedBy,
  blockOf,
  bytes32,
  CAROL,
  DERIVED_DATASET,
  DERIVED_LICENCE,
  DERIVED_VERSION,
  logId,
  sentLog,
  MODEL,
  MODEL_VERSION,
  PARENT_DATASET,
  PARENT_LICENCE,
  PARENT_VERSION,
  param,
  RELAYER,
  storeLineage,
  storeModelAndVersion,
  text,
  timeOf,
  txHash,
  uint,
  uints,
  word,
} from "./utils/royalties";

export { handleSystemVersionApproved, handleSystemVersionPublished };

const MODEL_ID: i32 = 8;
const MODEL_VERSION_ID: i32 = 9;
const NO_PARENT: i32 = 0;
const SYSTEM: i32 = 4;
const CHANGED_SYSTEM: i32 = 5;

// Configuration digests of system `systemId`: distinct per field (these prefixes) and per system.
const PROMPT = "9a";
const INDEX = "1d";
const POLICY = "90";
const TOOLS = "70";
function digest(field: string, systemId: i32): Bytes {
  return word(field + "0" + systemId.toString());
}
function uriOf(systemId: i32): string {
  return "ipfs://system-" + systemId.toString();
}

// ---- events -------------------------------------------------------------------------------------------------------

/** CAROL publishes system `systemId` of model version 9 (sent through RELAYER, a forwarder), as log 0 of tx `tx`. */
function systemVersionPublished(tx: i32, systemId: i32, parentId: i32, retrievalVersions: Array<i32>, retrievalLicences: Array<i32>): SystemVersionPublished {
  let event = sentLog(tx, 0, RELAYER);
  param(event, "systemId", uint(systemId));
  param(event, "modelId", uint(MODEL_ID));
  param(event, "modelVersionId", uint(MODEL_VERSION_ID));
  param(event, "parentId", uint(parentId));
  param(event, "promptHash", bytes32(digest(PROMPT, systemId)));
  param(event, "retrievalIndex", bytes32(digest(INDEX, systemId)));
  param(event, "policyHash", bytes32(digest(POLICY, systemId)));
  param(event, "toolsHash", bytes32(digest(TOOLS, systemId)));
  param(event, "retrievalDatasetVersions", uints(retrievalVersions));
  param(event, "retrievalLicences", uints(retrievalLicences));
  param(event, "uri", text(uriOf(systemId)));
  param(event, "publisher", address(CAROL));
  return changetype<SystemVersionPublished>(event);
}

/** ALICE approves system `systemId` on `attestationIds`, as log 1 of tx `tx`. */
function systemVersionApproved(tx: i32, systemId: i32, attestationIds: Array<i32>): SystemVersionApproved {
  let event = sentLog(tx, 1, ALICE);
  param(event, "systemId", uint(systemId));
  param(event, "modelId", uint(MODEL_ID));
  param(event, "attestationIds", uints(attestationIds));
  param(event, "approvedBy", address(ALICE));
  return changetype<SystemVersionApproved>(event);
}

// ---- setup --------------------------------------------------------------------------------------------------------

function freshWorld(): void {
  clearStore();
  storeLineage();
  storeModelAndVersion(CAROL);
}

/** System 4 (tx 1): model version 9 answering from versions 20 and 10 of the lineage, under licences 7 and 5. */
function publishSystem(): void {
  handleSystemVersionPublished(systemVersionPublished(1, SYSTEM, NO_PARENT, [20, 10], [7, 5]));
}

function assertRetrievalUse(id: string, datasetVersion: string, dataset: string, licence: string): void {
  assert.fieldEquals("RetrievalDatasetUse", id, "systemVersion", "4");
  assert.fieldEquals("RetrievalDatasetUse", id, "datasetVersion", datasetVersion);
  assert.fieldEquals("RetrievalDatasetUse", id, "dataset", dataset);
  assert.fieldEquals("RetrievalDatasetUse", id, "licence", licence);
}

// ---- handlers -----------------------------------------------------------------------------------------------------

// SystemVersionPublished: the SystemVersion (configuration, model links, parent), its retrieval data uses, a timeline entry.
describe("handleSystemVersionPublished", () => {
  beforeEach(freshWorld);

  test("a first system version: its configuration, publisher, not yet approved, and the licensed data its index was built from", () => {
    publishSystem();

    let id = "4";
    assert.fieldEquals("SystemVersion", id, "systemId", "4");
    assert.fieldEquals("SystemVersion", id, "model", MODEL);
    assert.fieldEquals("SystemVersion", id, "modelVersion", MODEL_VERSION);
    assert.fieldEquals("SystemVersion", id, "promptHash", digest(PROMPT, SYSTEM).toHexString());
    assert.fieldEquals("SystemVersion", id, "retrievalIndex", digest(INDEX, SYSTEM).toHexString());
    assert.fieldEquals("SystemVersion", id, "policyHash", digest(POLICY, SYSTEM).toHexString());
    assert.fieldEquals("SystemVersion", id, "toolsHash", digest(TOOLS, SYSTEM).toHexString());
    assert.fieldEquals("SystemVersion", id, "uri", uriOf(SYSTEM));
    assert.fieldEquals("SystemVersion", id, "publisher", CAROL);
    assert.fieldEquals("SystemVersion", id, "approved", "false");
    assert.fieldEquals("SystemVersion", id, "approvalRevoked", "false");
    assert.fieldEquals("SystemVersion", id, "createdAtBlock", blockOf(1).toString());
    assert.fieldEquals("SystemVersion", id, "createdAt", timeOf(blockOf(1)).toString());
    assert.fieldEquals("SystemVersion", id, "createdTx", txHash(1).toHexString());
    let system = SystemVersion.load(id)!;
    assert.assertNull(system.parent);
    assert.assertNull(system.approval);
    assert.fieldEquals("Account", CAROL, "id", CAROL);

    assert.entityCount("RetrievalDatasetUse", 2);
    assertRetrievalUse("4-0", DERIVED_VERSION, DERIVED_DATASET, DERIVED_LICENCE);
    assertRetrievalUse("4-1", PARENT_VERSION, PARENT_DATASET, PARENT_LICENCE);
    assert.i32Equals(2, system.retrievalUses.load().length);
    assert.i32Equals(1, DatasetVersion.load(PARENT_VERSION)!.retrievalUses.load().length);
    assert.i32Equals(1, ModelVersion.load(MODEL_VERSION)!.systems.load().length);

    assertProvenance(1, 0, "SystemVersionPublished", CAROL, "system version 4 of model version 9 published");
    assert.fieldEquals("ProvenanceEvent", logId(1, 0), "model", MODEL);
    assert.fieldEquals("ProvenanceEvent", logId(1, 0), "modelVersion", MODEL_VERSION);
    assert.fieldEquals("ProvenanceEvent", logId(1, 0), "systemVersion", id);
  });

  test("a changed system version links the version it changes, which lists it as its child", () => {
    publishSystem();
    handleSystemVersionPublished(systemVersionPublished(2, CHANGED_SYSTEM, SYSTEM, [], []));

    assert.fieldEquals("SystemVersion", "5", "parent", "4");
    assert.fieldEquals("SystemVersion", "5", "promptHash", digest(PROMPT, CHANGED_SYSTEM).toHexString());
    assert.i32Equals(0, SystemVersion.load("5")!.retrievalUses.load().length);
    assert.entityCount("RetrievalDatasetUse", 2);
    let children = SystemVersion.load("4")!.children.load();
    assert.i32Equals(1, children.length);
    assert.stringEquals("5", children[0].id);
    assertProvenance(2, 0, "SystemVersionPublished", CAROL, "system version 5 of model version 9 published (changing system version 4)");
  });
});

// SystemVersionApproved: the SystemApproval (attestations, approver), the version flagged approved, a timeline entry.
describe("handleSystemVersionApproved", () => {
  beforeEach(() => {
    freshWorld();
    publishSystem();
  });

  test("a system version approved after its publication: approval recorded and linked, publication fields kept", () => {
    handleSystemVersionApproved(systemVersionApproved(3, SYSTEM, [11, 12]));

    let id = "4";
    assert.fieldEquals("SystemApproval", id, "system", id);
    assert.fieldEquals("SystemApproval", id, "model", MODEL);
    assert.fieldEquals("SystemApproval", id, "attestations", "[11, 12]");
    assert.fieldEquals("SystemApproval", id, "approvedBy", ALICE);
    assertStampedBy("SystemApproval", id, 3);

    assert.fieldEquals("SystemVersion", id, "approved", "true");
    assert.fieldEquals("SystemVersion", id, "approval", id);
    assert.fieldEquals("SystemVersion", id, "approvalRevoked", "false");
    assert.fieldEquals("SystemVersion", id, "publisher", CAROL);
    assert.fieldEquals("SystemVersion", id, "uri", uriOf(SYSTEM));
    assert.fieldEquals("SystemVersion", id, "createdAtBlock", blockOf(1).toString());

    assertProvenance(3, 1, "SystemVersionApproved", ALICE, "system version 4 approved for release");
    assert.fieldEquals("ProvenanceEvent", logId(3, 1), "model", MODEL);
    assert.fieldEquals("ProvenanceEvent", logId(3, 1), "modelVersion", MODEL_VERSION);
    assert.fieldEquals("ProvenanceEvent", logId(3, 1), "systemVersion", id);
  });

  test("an approval resting on no attestation records an empty list", () => {
    handleSystemVersionApproved(systemVersionApproved(3, SYSTEM, []));

    assert.fieldEquals("SystemApproval", "4", "attestations", "[]");
    assert.fieldEquals("SystemVersion", "4", "approved", "true");
  });

  test("the system's timeline: published, then approved, seen from the system and from its model version", () => {
    handleSystemVersionApproved(systemVersionApproved(3, SYSTEM, [11]));

    let history = SystemVersion.load("4")!.history.load();
    assert.i32Equals(2, history.length);
    let published = ProvenanceEvent.load(logId(1, 0))!;
    let approved = ProvenanceEvent.load(logId(3, 1))!;
    assert.stringEquals("SystemVersionPublished", published.action);
    assert.stringEquals("SystemVersionApproved", approved.action);
    assert.assertTrue(published.blockNumber.lt(approved.blockNumber));
    assert.i32Equals(2, ModelVersion.load(MODEL_VERSION)!.history.load().length);
  });
});
