/** 7. Evaluations and attestations: every attestation in the lineage, who made and relayed it, and whether it still stands. */
import { formatTime, isZeroHash, subjectLabel } from "../format.ts";
import { SECTIONS } from "../limitations.ts";
import type { AttestationRecord, VersionDossier } from "../types.ts";
import { badge, code, paragraph, table, tx, txOrTime, type Cell, type Section } from "./blocks.ts";

export function attestationsSection(d: VersionDossier): Section {
  return {
    spec: SECTIONS.attestations,
    blocks: [
      paragraph("Attestations on this version, its training run, its training data, its licences and its deployments, revoked ones included."),
      table(["Id", "Kind", "Subject", "Attester", "Submitted by", "Evidence", "Expires", "Status", "Issued"], d.attestations.map(attestationRow)),
    ],
  };
}

function attestationRow(a: AttestationRecord): Cell[] {
  return [
    [a.id],
    [`${a.kind.name} (kind ${a.kind.id})`],
    [subjectLabel(a.subject)],
    [code(a.attester)],
    a.viaSignature ? [code(a.submitter), " (relayed the attester's EIP-712 signature)"] : ["the attester"],
    isZeroHash(a.evidenceHash) ? [code(a.evidenceURI)] : [code(a.evidenceURI), " hash ", code(a.evidenceHash)],
    [formatTime(a.expiresAt)],
    attestationStatus(a),
    [tx(a.tx)],
  ];
}

/** Valid or revoked (by whom, why, when), and whether the attester lost its role since. */
function attestationStatus(a: AttestationRecord): Cell {
  const validity: Cell = a.revocation
    ? [badge("revoked", "bad"), " by ", code(a.revocation.by), ": ", a.revocation.reason, " — ", txOrTime(a.revocation)]
    : [badge("valid", "ok"), a.inApproval ? " (in the release approval)" : ""];
  const role: Cell = a.roleRevocation
    ? ["; ", badge("attester lost its role", "warn"), " revoked by ", code(a.roleRevocation.by), " — ", formatTime(a.roleRevocation.at)]
    : [];
  return [...validity, ...role];
}
