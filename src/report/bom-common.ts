/**
 * What the two bills of materials (CycloneDX ML-BOM and SPDX 3 AI/Dataset) read alike from a dossier: which chain text
 * may stand where a URI or a time is expected, what each digest on chain is, which licence a training use rests on.
 *
 * No digest the chain holds is a plain hash of a file that a BOM hash algorithm could name:
 * - a dataset `fingerprint` and a model `weightsHash` are, when computed by `pedigree fingerprint` (scheme v1,
 *   src/core/fingerprint.ts), keccak256 over the shard size, file count, byte count and the manifest's Merkle root; a
 *   publisher may also register any other 32 bytes (`--weights-hash`);
 * - a `manifestRoot` is the keccak256 Merkle root (OpenZeppelin StandardMerkleTree) of the per-file SHA-256 manifest;
 * - the other hashes (config, metadata, transformation, code, hyperparameters, licence document, evidence) are 32
 *   bytes of the publisher's choosing: the CLI writes the SHA-256 of a file given in their place, but the chain does
 *   not record which algorithm made them.
 * So the BOMs keep them as named properties (CycloneDX) or as hashes of algorithm `other` with this explanation (SPDX),
 * never as SHA-256 or SHA3-256 (keccak256 is not SHA3-256).
 */
import { isSupportedSpdxId } from "@cyclonedx/cyclonedx-library/SPDX";
import type { AttestationRecord, LicenceRecord, VersionDossier } from "./types.ts";

/** What each Pedigree digest is, worded for a BOM reader. */
export const DIGEST_MEANING = {
  weightsHash: "Pedigree weights fingerprint (scheme v1: keccak256 over shard size, file count, bytes and the file manifest's Merkle root), or 32 bytes the publisher chose; not a hash of one file",
  fingerprint: "Pedigree dataset fingerprint (scheme v1: keccak256 over shard size, file count, bytes and the file manifest's Merkle root), or 32 bytes the publisher chose; not a hash of one file",
  manifestRoot: "Merkle root (keccak256, OpenZeppelin StandardMerkleTree) of the manifest of per-file SHA-256 digests",
  declared: "32 bytes declared by the publisher (the pedigree CLI writes a file's SHA-256); the chain does not record the algorithm",
} as const;

const ZERO_HASH = /^0x0{64}$/i;
const ISO_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** An absolute URI in RFC 3986 characters (scheme, then unreserved, reserved or percent-encoded characters). */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** The CLI's convention for terms whose document is a listed licence: `--licence-uri spdx:CC-BY-4.0`. */
const SPDX_DOCUMENT = /^spdx:(.+)$/;

/** Whether a bytes32 is set (the chain stores zero for "not given"). */
export function isSetHash(hash: string): boolean {
  return !ZERO_HASH.test(hash);
}

/** Schemes a reader's browser would run rather than fetch. */
const SCRIPT_SCHEME = /^(?:javascript|vbscript|data):/i;

/**
 * Chain text where a URI is expected: itself when it is an absolute URI of a scheme that names a place (not
 * `javascript:`, `vbscript:` or `data:`), else null — it then stays in a text property only.
 */
export function absoluteUri(text: string): string | null {
  return ABSOLUTE_URI.test(text) && !SCRIPT_SCHEME.test(text) ? text : null;
}

/** An ISO-8601 time as a BOM timestamp (`YYYY-MM-DDTHH:MM:SSZ`), or null when unset or beyond year 9999. */
export function bomTime(iso: string | null | undefined): string | null {
  return iso && ISO_SECOND.test(iso) ? iso : null;
}

/** The SPDX licence id a terms document names (`spdx:<id>`), when it is on the SPDX licence list; else null. */
export function listedLicenceId(documentURI: string): string | null {
  const id = SPDX_DOCUMENT.exec(documentURI)?.[1];
  return id !== undefined && isSupportedSpdxId(id) ? id : null;
}

/** The version's training data: dataset version ids in the order the run declared them, each once. */
export function trainingDatasetVersionIds(d: VersionDossier): string[] {
  return [...new Set((d.training?.uses ?? []).map((use) => use.datasetVersionId))];
}

/** The licences the training run used each dataset version under, by dataset version id. */
export function licencesByDatasetVersion(d: VersionDossier): Map<string, LicenceRecord[]> {
  const licences = new Map(d.licences.map((l) => [l.id, l]));
  const byVersion = new Map<string, LicenceRecord[]>();
  for (const use of d.training?.uses ?? []) {
    const licence = licences.get(use.licenceId);
    const list = byVersion.get(use.datasetVersionId) ?? [];
    if (licence && !list.includes(licence)) list.push(licence);
    byVersion.set(use.datasetVersionId, list);
  }
  return byVersion;
}

/** An attestation's state in words: "valid", or "revoked: <reason>" (its expiry is told apart, as a time). */
export function attestationStatus(a: AttestationRecord): string {
  if (a.revocation) return `revoked: ${a.revocation.reason}`;
  return a.revoked ? "revoked" : "valid";
}
