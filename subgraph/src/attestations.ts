// Mappings of AttestationRegistry: roles, attestation kinds, attestations and revocations.
import { ByteArray, Bytes, crypto } from "@graphprotocol/graph-ts";
import {
  AttestationRevoked,
  Attested,
  KindDefined,
  NonceCancelled,
  RoleGranted,
  RoleRevoked,
} from "../../generated/AttestationRegistry/AttestationRegistry";
import { Attestation, AttestationKind, ModelVersion, RoleMembership, SystemApproval, SystemVersion, VersionApproval } from "../../generated/schema";
import { getOrCreateAccount, idOf, provenance } from "./helpers";

/** SubjectType values of contracts/common/Subjects.sol, by their enum index. */
const SUBJECT_TYPES = ["None", "DatasetVersion", "ModelVersion", "TrainingRun", "Licence", "Deployment", "SystemVersion", "Agent", "UsageReport"];

/** Built-in roles of AttestationRegistry; each role id is keccak256 of "<NAME>_ROLE". */
const ROLE_NAMES = ["EVALUATOR", "AUDITOR", "RELEASE_APPROVER", "DATA_STEWARD"];

/** Readable name of a role id: ADMIN for DEFAULT_ADMIN_ROLE (zero), the built-in name, or the id itself. */
function roleName(role: Bytes): string {
  if (role.equals(Bytes.fromHexString("0x0000000000000000000000000000000000000000000000000000000000000000"))) {
    return "ADMIN";
  }
  for (let i = 0; i < ROLE_NAMES.length; i++) {
    if (crypto.keccak256(ByteArray.fromUTF8(ROLE_NAMES[i] + "_ROLE")).equals(role)) return ROLE_NAMES[i];
  }
  return role.toHexString();
}

/** Id of the RoleMembership of `account` in `role`. */
function membershipId(role: Bytes, account: Bytes): string {
  return role.toHexString() + "-" + account.toHexString();
}

export function handleRoleGranted(event: RoleGranted): void {
  let account = getOrCreateAccount(event.params.account);
  let sender = getOrCreateAccount(event.params.sender);
  let id = membershipId(event.params.role, account.id);
  let membership = RoleMembership.load(id);
  if (membership == null) {
    membership = new RoleMembership(id);
    membership.account = account.id;
    membership.role = event.params.role;
    membership.roleName = roleName(event.params.role);
  }
  membership.active = true;
  membership.grantedBy = sender.id;
  membership.grantedAt = event.block.timestamp;
  membership.revokedBy = null;
  membership.revokedAt = null;
  membership.save();

  let entry = provenance(event, "RoleGranted", sender.id, membership.roleName + " granted to " + account.id.toHexString());
  entry.save();
}

export function handleRoleRevoked(event: RoleRevoked): void {
  let sender = getOrCreateAccount(event.params.sender);
  let membership = RoleMembership.load(membershipId(event.params.role, event.params.account));
  if (membership == null) return;
  membership.active = false;
  membership.revokedBy = sender.id;
  membership.revokedAt = event.block.timestamp;
  membership.save();

  let entry = provenance(
    event,
    "RoleRevoked",
    sender.id,
    membership.roleName + " revoked from " + event.params.account.toHexString(),
  );
  entry.save();
}

export function handleKindDefined(event: KindDefined): void {
  let kind = new AttestationKind(event.params.kind.toString());
  kind.kind = event.params.kind;
  kind.role = event.params.role;
  kind.name = event.params.name;
  kind.save();
}

export function handleAttested(event: Attested): void {
  let attester = getOrCreateAccount(event.params.attester);
  // Most attesters submit their own attestation: one lookup then, not two.
  let submitter = event.params.submitter.equals(event.params.attester) ? attester : getOrCreateAccount(event.params.submitter);
  let attestation = new Attestation(idOf(event.params.id));
  attestation.attestationId = event.params.id;
  attestation.attester = attester.id;
  attestation.submitter = submitter.id;
  attestation.viaSignature = !attester.id.equals(submitter.id);
  attestation.kind = event.params.kind.toString();
  let kind = AttestationKind.load(attestation.kind);
  // The membership that let the attester attest; it turns inactive if the role is revoked later.
  if (kind != null) attestation.attesterRole = membershipId(kind.role, attester.id);
  let subjectType = SUBJECT_TYPES[event.params.subjectType];
  let subjectId = idOf(event.params.subjectId);
  attestation.subjectType = subjectType;
  attestation.subjectId = event.params.subjectId;
  if (subjectType == "DatasetVersion") attestation.datasetVersion = subjectId;
  else if (subjectType == "ModelVersion") attestation.modelVersion = subjectId;
  else if (subjectType == "TrainingRun") attestation.trainingRun = subjectId;
  else if (subjectType == "Licence") attestation.licence = subjectId;
  else if (subjectType == "Deployment") attestation.deployment = subjectId;
  else if (subjectType == "SystemVersion") attestation.systemVersion = subjectId;
  else if (subjectType == "Agent") attestation.agent = subjectId;
  else if (subjectType == "UsageReport") attestation.usageReport = subjectId;
  attestation.expiresAt = event.params.expiresAt;
  if (!event.params.refId.isZero()) {
    attestation.ref = idOf(event.params.refId);
  }
  attestation.evidenceHash = event.params.evidenceHash;
  attestation.evidenceURI = event.params.evidenceURI;
  attestation.revoked = false;
  attestation.createdAtBlock = event.block.number;
  attestation.createdAt = event.block.timestamp;
  attestation.createdTx = event.transaction.hash;
  attestation.save();

  let kindName = kind == null ? "kind " + attestation.kind : kind.name;
  let entry = provenance(
    event,
    "Attested",
    attester.id,
    kindName + " attestation " + attestation.id + " on " + subjectType + " " + subjectId,
  );
  entry.attestation = attestation.id;
  if (subjectType == "DatasetVersion") entry.datasetVersion = subjectId;
  else if (subjectType == "ModelVersion" || subjectType == "TrainingRun") entry.modelVersion = subjectId;
  else if (subjectType == "Licence") entry.licence = subjectId;
  else if (subjectType == "Deployment") entry.deployment = subjectId;
  else if (subjectType == "SystemVersion") entry.systemVersion = subjectId;
  else if (subjectType == "Agent") entry.agent = subjectId;
  else if (subjectType == "UsageReport") entry.usageReport = subjectId;
  entry.save();
}

export function handleAttestationRevoked(event: AttestationRevoked): void {
  let revoker = getOrCreateAccount(event.params.revoker);
  let attestation = Attestation.load(idOf(event.params.id))!;
  attestation.revoked = true;
  attestation.revokedBy = revoker.id;
  attestation.revokedAt = event.block.timestamp;
  attestation.revocationReason = event.params.reason;
  attestation.save();

  let entry = provenance(
    event,
    "AttestationRevoked",
    revoker.id,
    "attestation " + attestation.id + " revoked: " + event.params.reason,
  );
  entry.attestation = attestation.id;
  if (attestation.datasetVersion != null) entry.datasetVersion = attestation.datasetVersion;
  if (attestation.modelVersion != null) entry.modelVersion = attestation.modelVersion;
  if (attestation.trainingRun != null) entry.modelVersion = attestation.trainingRun;
  if (attestation.licence != null) entry.licence = attestation.licence;
  if (attestation.deployment != null) entry.deployment = attestation.deployment;
  if (attestation.systemVersion != null) entry.systemVersion = attestation.systemVersion;
  if (attestation.agent != null) entry.agent = attestation.agent;
  if (attestation.usageReport != null) entry.usageReport = attestation.usageReport;
  entry.save();

  if (attestation.modelVersion != null) markApprovalRevoked(attestation.modelVersion!, attestation.id);
  if (attestation.systemVersion != null) markSystemApprovalRevoked(attestation.systemVersion!, attestation.id);
}

/** Flags system version `systemId` as no longer releasable when its approval rested on attestation `id`. */
function markSystemApprovalRevoked(systemId: string, id: string): void {
  let system = SystemVersion.load(systemId);
  if (system == null || system.approval == null) return;
  if (!SystemApproval.load(system.approval!)!.attestations.includes(id)) return;
  system.approvalRevoked = true;
  system.save();
}

/** Flags model version `versionId` as no longer releasable when its approval rested on attestation `id`. */
function markApprovalRevoked(versionId: string, id: string): void {
  let version = ModelVersion.load(versionId);
  if (version == null || version.approval == null) return;
  let approval = VersionApproval.load(version.approval!)!;
  if (!approval.attestations.includes(id)) return;
  version.approvalRevoked = true;
  version.save();
}

export function handleNonceCancelled(event: NonceCancelled): void {
  let attester = getOrCreateAccount(event.params.attester);
  let entry = provenance(
    event,
    "NonceCancelled",
    attester.id,
    attester.id.toHexString() + " cancelled its unrelayed signatures with nonce " + event.params.nonce.toString(),
  );
  entry.save();
}
