import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import { assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  AttestationRevoked,
  Attested,
  KindDefined,
  NonceCancelled,
  RoleGranted,
  RoleRevoked,
} from "../../generated/AttestationRegistry/AttestationRegistry";
import { Account, Attestation, AttestationKind, ProvenanceEvent } from "../../generated/schema";
import {
  handleAttestationRevoked,
  handleAttested,
  handleKindDefined,
  handleNonceCancelled,
  handleRoleGranted,
  handleRoleRevoked,
} from "../src/attestations";
import {
  addr,
  address,
  ALICE,
  approveModelVersion,
  approveSystemVersion,
  BOB,
  bytes32,
  CAROL,
  logId,
  mockLog,
  param,
  RELAYER,
  storeModel,
  storeModelVersion,
  storeSystemVersion,
  text,
  timeOf,
  txHash,
  uint,
  word,
} from "./utils/rest";

export {
  handleAttestationRevoked,
  handleAttested,
  handleKindDefined,
  handleNonceCancelled,
  handleRoleGranted,
  handleRoleRevoked,
};

// keccak256("EVALUATOR_ROLE") and keccak256("AUDITOR_ROLE"), as AttestationRegistry defines them.
const EVALUATOR_ROLE = "0x4848aa3d2c0568bab3ca9720f91818ee0957e95426fa0627cc4809e2e5ed8be0";
const AUDITOR_ROLE = "0x59a1c48e5837ad7a7f3dcedcbe129bf3249ec4fbf651fd4f5e2600ead39fe2f5";
const ADMIN_ROLE = "0x0000000000000000000000000000000000000000000000000000000000000000";
const CUSTOM_ROLE = "0x00000000000000000000000000000000000000000000000000000000000c0ffe";

// SubjectType enum indices of contracts/common/Subjects.sol.
const DATASET_VERSION: i32 = 1;
const MODEL_VERSION: i32 = 2;
const TRAINING_RUN: i32 = 3;
const SYSTEM_VERSION: i32 = 6;

const EXPIRES_AT: i32 = 1800000000;
const EVIDENCE_HASH = "e1de"; // tail of the evidence hash word
const EVIDENCE_URI = "ipfs://evidence";

// ---- events -------------------------------------------------------------------------------------------------------

function roleEvent(at: ethereum.Event, role: string, account: string, sender: string): void {
  param(at, "role", bytes32(Bytes.fromHexString(role)));
  param(at, "account", address(account));
  param(at, "sender", address(sender));
}

function roleGranted(at: ethereum.Event, role: string, account: string, sender: string): RoleGranted {
  roleEvent(at, role, account, sender);
  return changetype<RoleGranted>(at);
}

function roleRevoked(at: ethereum.Event, role: string, account: string, sender: string): RoleRevoked {
  roleEvent(at, role, account, sender);
  return changetype<RoleRevoked>(at);
}

function kindDefined(at: ethereum.Event, kind: i32, role: string, name: string): KindDefined {
  param(at, "kind", ethereum.Value.fromI32(kind));
  param(at, "role", bytes32(Bytes.fromHexString(role)));
  param(at, "name", text(name));
  return changetype<KindDefined>(at);
}

/** Attestation `id` of `kind` by `attester` on subject (`subjectType`, `subjectId`), sent by `submitter`. */
function attested(
  at: ethereum.Event,
  id: i32,
  attester: string,
  subjectType: i32,
  subjectId: i32,
  kind: i32,
  refId: i32,
  submitter: string,
): Attested {
  param(at, "id", uint(id));
  param(at, "attester", address(attester));
  param(at, "subjectType", ethereum.Value.fromI32(subjectType));
  param(at, "subjectId", uint(subjectId));
  param(at, "kind", ethereum.Value.fromI32(kind));
  param(at, "expiresAt", uint(EXPIRES_AT));
  param(at, "refId", uint(refId));
  param(at, "evidenceHash", bytes32(word(EVIDENCE_HASH)));
  param(at, "evidenceURI", text(EVIDENCE_URI));
  param(at, "submitter", address(submitter));
  return changetype<Attested>(at);
}

function attestationRevoked(at: ethereum.Event, id: i32, revoker: string, reason: string): AttestationRevoked {
  param(at, "id", uint(id));
  param(at, "revoker", address(revoker));
  param(at, "reason", text(reason));
  return changetype<AttestationRevoked>(at);
}

function nonceCancelled(at: ethereum.Event, attester: string, nonce: i32): NonceCancelled {
  param(at, "attester", address(attester));
  param(at, "nonce", uint(nonce));
  return changetype<NonceCancelled>(at);
}

// ---- fixtures -----------------------------------------------------------------------------------------------------

/** Kind 1, "safety-eval", attested by EVALUATORs, as KindDefined stored it. */
function storeSafetyEvalKind(): void {
  let kind = new AttestationKind("1");
  kind.kind = 1;
  kind.role = Bytes.fromHexString(EVALUATOR_ROLE);
  kind.name = "safety-eval";
  kind.save();
}

/** ALICE attests (kind 1) on model version 42: attestation `id`, in tx `tx`, block `block`. */
function attestOnModelVersion(id: i32, tx: i32, block: i32): void {
  handleAttested(attested(mockLog(tx, 0, block), id, ALICE, MODEL_VERSION, 42, 1, 0, ALICE));
}

function membershipId(role: string, account: string): string {
  return role + "-" + account;
}

// ---- tests --------------------------------------------------------------------------------------------------------

describe("handleRoleGranted", () => {
  // A grant creates the account's membership of the role, named after the role, and a RoleGranted entry.
  beforeEach(() => {
    clearStore();
  });

  test("grants EVALUATOR to an account: membership, granter, accounts and the timeline entry", () => {
    handleRoleGranted(roleGranted(mockLog(10, 4, 100), EVALUATOR_ROLE, BOB, ALICE));

    let id = membershipId(EVALUATOR_ROLE, BOB);
    assert.fieldEquals("RoleMembership", id, "account", BOB);
    assert.fieldEquals("RoleMembership", id, "role", EVALUATOR_ROLE);
    assert.fieldEquals("RoleMembership", id, "roleName", "EVALUATOR");
    assert.fieldEquals("RoleMembership", id, "active", "true");
    assert.fieldEquals("RoleMembership", id, "grantedBy", ALICE);
    assert.fieldEquals("RoleMembership", id, "grantedAt", timeOf(100).toString());
    assert.fieldEquals("RoleMembership", id, "revokedBy", "null");
    assert.fieldEquals("Account", BOB, "id", BOB);
    assert.fieldEquals("Account", ALICE, "id", ALICE);

    let entry = logId(10, 4);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "RoleGranted");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "description", "EVALUATOR granted to " + BOB);
    assert.fieldEquals("ProvenanceEvent", entry, "blockNumber", "100");
    assert.fieldEquals("ProvenanceEvent", entry, "timestamp", timeOf(100).toString());
    assert.fieldEquals("ProvenanceEvent", entry, "transactionHash", txHash(10).toHexString());
    assert.fieldEquals("ProvenanceEvent", entry, "logIndex", "4");
  });

  test("names the default admin role ADMIN, AUDITOR by its hash, and a custom role by its hash", () => {
    handleRoleGranted(roleGranted(mockLog(10, 0, 100), ADMIN_ROLE, BOB, ALICE));
    handleRoleGranted(roleGranted(mockLog(10, 1, 100), AUDITOR_ROLE, BOB, ALICE));
    handleRoleGranted(roleGranted(mockLog(10, 2, 100), CUSTOM_ROLE, BOB, ALICE));

    assert.fieldEquals("RoleMembership", membershipId(ADMIN_ROLE, BOB), "roleName", "ADMIN");
    assert.fieldEquals("RoleMembership", membershipId(AUDITOR_ROLE, BOB), "roleName", "AUDITOR");
    assert.fieldEquals("RoleMembership", membershipId(CUSTOM_ROLE, BOB), "roleName", CUSTOM_ROLE);
    assert.fieldEquals("ProvenanceEvent", logId(10, 2), "description", CUSTOM_ROLE + " granted to " + BOB);
    assert.entityCount("RoleMembership", 3);
    assert.entityCount("Account", 2);
  });
});

describe("handleRoleRevoked", () => {
  // A revocation deactivates the membership (kept, with who and when) and adds RoleRevoked after RoleGranted.
  beforeEach(() => {
    clearStore();
  });

  test("a role granted then revoked: inactive, revoker and time, both entries on the timeline", () => {
    handleRoleGranted(roleGranted(mockLog(10, 0, 100), EVALUATOR_ROLE, BOB, ALICE));
    handleRoleRevoked(roleRevoked(mockLog(11, 2, 105), EVALUATOR_ROLE, BOB, CAROL));

    let id = membershipId(EVALUATOR_ROLE, BOB);
    assert.fieldEquals("RoleMembership", id, "active", "false");
    assert.fieldEquals("RoleMembership", id, "revokedBy", CAROL);
    assert.fieldEquals("RoleMembership", id, "revokedAt", timeOf(105).toString());
    assert.fieldEquals("RoleMembership", id, "grantedBy", ALICE);
    assert.fieldEquals("RoleMembership", id, "grantedAt", timeOf(100).toString());

    assert.fieldEquals("ProvenanceEvent", logId(10, 0), "action", "RoleGranted");
    let revoked = logId(11, 2);
    assert.fieldEquals("ProvenanceEvent", revoked, "action", "RoleRevoked");
    assert.fieldEquals("ProvenanceEvent", revoked, "actor", CAROL);
    assert.fieldEquals("ProvenanceEvent", revoked, "description", "EVALUATOR revoked from " + BOB);
    assert.fieldEquals("ProvenanceEvent", revoked, "blockNumber", "105");
    assert.entityCount("ProvenanceEvent", 2);
  });

  test("granting the role again reactivates the membership and clears the revocation", () => {
    handleRoleGranted(roleGranted(mockLog(10, 0, 100), EVALUATOR_ROLE, BOB, ALICE));
    handleRoleRevoked(roleRevoked(mockLog(11, 0, 105), EVALUATOR_ROLE, BOB, CAROL));
    handleRoleGranted(roleGranted(mockLog(12, 0, 110), EVALUATOR_ROLE, BOB, CAROL));

    let id = membershipId(EVALUATOR_ROLE, BOB);
    assert.fieldEquals("RoleMembership", id, "active", "true");
    assert.fieldEquals("RoleMembership", id, "grantedBy", CAROL);
    assert.fieldEquals("RoleMembership", id, "grantedAt", timeOf(110).toString());
    assert.fieldEquals("RoleMembership", id, "revokedBy", "null");
    assert.fieldEquals("RoleMembership", id, "revokedAt", "null");
    assert.entityCount("RoleMembership", 1);
    assert.entityCount("ProvenanceEvent", 3);
  });

  test("revoking a role that was never granted records nothing", () => {
    handleRoleRevoked(roleRevoked(mockLog(11, 0, 105), EVALUATOR_ROLE, BOB, CAROL));

    assert.notInStore("RoleMembership", membershipId(EVALUATOR_ROLE, BOB));
    assert.notInStore("ProvenanceEvent", logId(11, 0));
    assert.entityCount("ProvenanceEvent", 0);
  });
});

describe("handleKindDefined", () => {
  // A kind is stored under its number with the role that may attest it and its name.
  beforeEach(() => {
    clearStore();
  });

  test("defines kind 3 for AUDITORs", () => {
    handleKindDefined(kindDefined(mockLog(10, 0, 100), 3, AUDITOR_ROLE, "bias-audit"));

    assert.fieldEquals("AttestationKind", "3", "kind", "3");
    assert.fieldEquals("AttestationKind", "3", "role", AUDITOR_ROLE);
    assert.fieldEquals("AttestationKind", "3", "name", "bias-audit");
    assert.entityCount("AttestationKind", 1);
  });
});

describe("handleAttested", () => {
  // An attestation links its subject by type, its kind and the attester's role membership, and adds Attested.
  beforeEach(() => {
    clearStore();
    storeSafetyEvalKind();
  });

  test("an attestation on a model version: subject, kind, attester's role, evidence and the timeline entry", () => {
    handleRoleGranted(roleGranted(mockLog(9, 0, 90), EVALUATOR_ROLE, ALICE, BOB));
    handleAttested(attested(mockLog(10, 3, 100), 7, ALICE, MODEL_VERSION, 42, 1, 0, ALICE));

    assert.fieldEquals("Attestation", "7", "attestationId", "7");
    assert.fieldEquals("Attestation", "7", "attester", ALICE);
    assert.fieldEquals("Attestation", "7", "submitter", ALICE);
    assert.fieldEquals("Attestation", "7", "viaSignature", "false");
    assert.fieldEquals("Attestation", "7", "kind", "1");
    assert.fieldEquals("Attestation", "7", "attesterRole", membershipId(EVALUATOR_ROLE, ALICE));
    assert.fieldEquals("Attestation", "7", "subjectType", "ModelVersion");
    assert.fieldEquals("Attestation", "7", "subjectId", "42");
    assert.fieldEquals("Attestation", "7", "modelVersion", "42");
    assert.fieldEquals("Attestation", "7", "expiresAt", EXPIRES_AT.toString());
    assert.fieldEquals("Attestation", "7", "evidenceHash", word(EVIDENCE_HASH).toHexString());
    assert.fieldEquals("Attestation", "7", "evidenceURI", EVIDENCE_URI);
    assert.fieldEquals("Attestation", "7", "revoked", "false");
    assert.fieldEquals("Attestation", "7", "createdAtBlock", "100");
    assert.fieldEquals("Attestation", "7", "createdAt", timeOf(100).toString());
    assert.fieldEquals("Attestation", "7", "createdTx", txHash(10).toHexString());
    let attestation = Attestation.load("7")!;
    assert.assertNull(attestation.ref);
    assert.assertNull(attestation.datasetVersion);
    assert.assertNull(attestation.trainingRun);

    let entry = logId(10, 3);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "Attested");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    assert.fieldEquals("ProvenanceEvent", entry, "attestation", "7");
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "42");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "safety-eval attestation 7 on ModelVersion 42");
    // Derived: the attester's account lists it among the attestations it issued.
    let issued = Account.load(addr(ALICE))!.attestationsIssued.load();
    assert.i32Equals(1, issued.length);
    assert.stringEquals("7", issued[0].id);
  });

  test("relayed with a signature, on a training run, referencing an earlier attestation, of an undefined kind", () => {
    handleAttested(attested(mockLog(10, 0, 100), 8, ALICE, TRAINING_RUN, 42, 9, 7, RELAYER));

    assert.fieldEquals("Attestation", "8", "submitter", RELAYER);
    assert.fieldEquals("Attestation", "8", "viaSignature", "true");
    assert.fieldEquals("Attestation", "8", "subjectType", "TrainingRun");
    assert.fieldEquals("Attestation", "8", "trainingRun", "42");
    assert.fieldEquals("Attestation", "8", "ref", "7");
    assert.fieldEquals("Attestation", "8", "kind", "9");
    assert.assertNull(Attestation.load("8")!.attesterRole);
    assert.assertNull(Attestation.load("8")!.modelVersion);
    assert.fieldEquals("Account", RELAYER, "id", RELAYER);

    let entry = logId(10, 0);
    assert.fieldEquals("ProvenanceEvent", entry, "actor", ALICE);
    // A training run's timeline is its model version's (they share the id).
    assert.fieldEquals("ProvenanceEvent", entry, "modelVersion", "42");
    assert.fieldEquals("ProvenanceEvent", entry, "description", "kind 9 attestation 8 on TrainingRun 42");
  });

  test("each subject type is linked through its own field, on the attestation and on its timeline entry", () => {
    let fields = ["datasetVersion", "modelVersion", "trainingRun", "licence", "deployment", "systemVersion", "agent", "usageReport"];
    let names = ["DatasetVersion", "ModelVersion", "TrainingRun", "Licence", "Deployment", "SystemVersion", "Agent", "UsageReport"];
    for (let i = 0; i < fields.length; i++) {
      let subjectType = i + 1;
      let id = (100 + i).toString();
      let subjectId = 50 + i;
      handleAttested(attested(mockLog(20, i, 200), 100 + i, ALICE, subjectType, subjectId, 1, 0, ALICE));
      assert.fieldEquals("Attestation", id, "subjectType", names[i]);
      assert.fieldEquals("Attestation", id, fields[i], subjectId.toString());
      let entryField = fields[i] == "trainingRun" ? "modelVersion" : fields[i];
      assert.fieldEquals("ProvenanceEvent", logId(20, i), entryField, subjectId.toString());
    }
    assert.entityCount("Attestation", 8);
  });
});

describe("handleAttestationRevoked", () => {
  // A revocation marks the attestation revoked, logs it on the subject, and flags approvals that rested on it.
  beforeEach(() => {
    clearStore();
    storeSafetyEvalKind();
  });

  test("an attestation revoked: status, revoker, time, reason; Attested then AttestationRevoked on the subject", () => {
    handleAttested(attested(mockLog(10, 0, 100), 7, ALICE, DATASET_VERSION, 5, 1, 0, ALICE));
    handleAttestationRevoked(attestationRevoked(mockLog(11, 1, 120), 7, BOB, "evaluation was flawed"));

    assert.fieldEquals("Attestation", "7", "revoked", "true");
    assert.fieldEquals("Attestation", "7", "revokedBy", BOB);
    assert.fieldEquals("Attestation", "7", "revokedAt", timeOf(120).toString());
    assert.fieldEquals("Attestation", "7", "revocationReason", "evaluation was flawed");
    assert.fieldEquals("Attestation", "7", "createdAtBlock", "100");

    let attestedEntry = logId(10, 0);
    let revokedEntry = logId(11, 1);
    assert.fieldEquals("ProvenanceEvent", attestedEntry, "action", "Attested");
    assert.fieldEquals("ProvenanceEvent", attestedEntry, "datasetVersion", "5");
    assert.fieldEquals("ProvenanceEvent", revokedEntry, "action", "AttestationRevoked");
    assert.fieldEquals("ProvenanceEvent", revokedEntry, "actor", BOB);
    assert.fieldEquals("ProvenanceEvent", revokedEntry, "attestation", "7");
    assert.fieldEquals("ProvenanceEvent", revokedEntry, "datasetVersion", "5");
    assert.fieldEquals("ProvenanceEvent", revokedEntry, "description", "attestation 7 revoked: evaluation was flawed");
    assert.fieldEquals("ProvenanceEvent", revokedEntry, "blockNumber", "120");
    assert.assertNull(ProvenanceEvent.load(revokedEntry)!.modelVersion);
    // Derived: the attestation's history holds both entries.
    assert.i32Equals(2, Attestation.load("7")!.history.load().length);
  });

  test("revoking a training-run attestation logs it on the model version's timeline", () => {
    handleAttested(attested(mockLog(10, 0, 100), 8, ALICE, TRAINING_RUN, 42, 1, 0, ALICE));
    handleAttestationRevoked(attestationRevoked(mockLog(11, 0, 120), 8, ALICE, "wrong run"));

    assert.fieldEquals("ProvenanceEvent", logId(11, 0), "modelVersion", "42");
  });

  test("flags the model version whose approval rested on it, not another approved version", () => {
    storeModel(1);
    storeModelVersion(42, 1);
    storeModelVersion(43, 1);
    attestOnModelVersion(7, 10, 100);
    attestOnModelVersion(9, 11, 101);
    approveModelVersion(42, ["6", "7"]);
    approveModelVersion(43, ["8"]);

    handleAttestationRevoked(attestationRevoked(mockLog(12, 0, 120), 7, ALICE, "flawed"));
    assert.fieldEquals("ModelVersion", "42", "approvalRevoked", "true");
    assert.fieldEquals("ModelVersion", "42", "approved", "true");
    assert.fieldEquals("ModelVersion", "43", "approvalRevoked", "false");

    // Attestation 9 is on version 43 but its approval did not rest on it.
    handleAttestationRevoked(attestationRevoked(mockLog(13, 0, 121), 9, ALICE, "superseded"));
    assert.fieldEquals("ModelVersion", "43", "approvalRevoked", "false");
  });

  test("flags the system version whose approval rested on it", () => {
    storeModel(1);
    storeModelVersion(42, 1);
    storeSystemVersion(6, 1, 42, word("900d"));
    storeSystemVersion(8, 1, 42, word("900d"));
    approveSystemVersion(6, ["7"]);
    approveSystemVersion(8, ["11"]);
    handleAttested(attested(mockLog(10, 0, 100), 7, ALICE, SYSTEM_VERSION, 6, 1, 0, ALICE));
    handleAttested(attested(mockLog(10, 1, 100), 10, ALICE, SYSTEM_VERSION, 8, 1, 0, ALICE));

    handleAttestationRevoked(attestationRevoked(mockLog(11, 0, 120), 7, BOB, "prompt changed"));
    handleAttestationRevoked(attestationRevoked(mockLog(11, 1, 120), 10, BOB, "prompt changed"));
    assert.fieldEquals("SystemVersion", "6", "approvalRevoked", "true");
    assert.fieldEquals("SystemVersion", "8", "approvalRevoked", "false");
    assert.fieldEquals("ProvenanceEvent", logId(11, 0), "systemVersion", "6");
  });
});

describe("handleNonceCancelled", () => {
  // Cancelling a nonce is logged on the attester's timeline, with no subject.
  beforeEach(() => {
    clearStore();
  });

  test("logs the attester's cancelled nonce", () => {
    handleNonceCancelled(nonceCancelled(mockLog(10, 2, 100), CAROL, 5));

    let entry = logId(10, 2);
    assert.fieldEquals("ProvenanceEvent", entry, "action", "NonceCancelled");
    assert.fieldEquals("ProvenanceEvent", entry, "actor", CAROL);
    assert.fieldEquals("ProvenanceEvent", entry, "description", CAROL + " cancelled its unrelayed signatures with nonce 5");
    assert.fieldEquals("Account", CAROL, "id", CAROL);
    assert.assertNull(ProvenanceEvent.load(entry)!.attestation);
    assert.fieldEquals("ProvenanceEvent", entry, "blockNumber", "100");
  });
});
