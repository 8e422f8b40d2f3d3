/**
 * Attestations signed off-chain (EIP-712) by an attester and relayed later by anyone: the typed data the
 * AttestationRegistry verifies, and the portable JSON document a signature travels in.
 */
import { pedigreeDomain } from "./eip712.ts";
import { getAddress, type TypedDataDomain, type TypedDataField } from "ethers";
import { InvalidInputError } from "../core/errors.ts";
import type { AttestationRequestStruct } from "./inputs.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { fromDocument, signedEnvelope } from "./internal/validate.ts";
import { toKind, toSubjectType } from "../core/constants.ts";

/** The `format` tag of a {@link SignedAttestation} document. */
export const SIGNED_ATTESTATION_FORMAT = "pedigree-signed-attestation/v1";

/** EIP-712 domain name of the AttestationRegistry (version "1", {@link pedigreeDomain}). */
export const ATTESTATION_DOMAIN_NAME = "Pedigree Attestations";

/** The EIP-712 types of a signed attestation (AttestationRegistry.ATTEST_TYPEHASH). */
export const ATTEST_TYPES: Record<string, TypedDataField[]> = {
  Attest: [
    { name: "attester", type: "address" },
    { name: "subjectType", type: "uint8" },
    { name: "subjectId", type: "uint64" },
    { name: "kind", type: "uint8" },
    { name: "expiresAt", type: "uint64" },
    { name: "refId", type: "uint64" },
    { name: "evidenceHash", type: "bytes32" },
    { name: "evidenceURI", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/**
 * The EIP-712 domain of the AttestationRegistry at `contract` on `chainId`.
 *
 * @example
 * const domain = attestationDomain(11155111n, "0x…AttestationRegistry");
 */
export function attestationDomain(chainId: bigint, contract: string): TypedDataDomain {
  return pedigreeDomain(ATTESTATION_DOMAIN_NAME, chainId, contract);
}

/**
 * A signed attestation as a JSON-safe document: every integer is a decimal string, so it survives
 * `JSON.stringify` / `JSON.parse` and can be saved to a file, mailed, and relayed by anyone.
 */
export interface SignedAttestation {
  format: typeof SIGNED_ATTESTATION_FORMAT;
  /** Chain the signature is valid on (decimal). */
  chainId: string;
  /** The AttestationRegistry it is valid for. */
  contract: string;
  /** Who attests (an EOA, or an EIP-1271 contract wallet). */
  attester: string;
  /** The attester's nonce it consumes (decimal). */
  nonce: string;
  /** Unix time after which it can no longer be relayed (decimal). */
  deadline: string;
  /** What is attested. */
  request: {
    subjectType: number;
    subjectId: string;
    kind: number;
    expiresAt: string;
    refId: string;
    evidenceHash: string;
    evidenceURI: string;
  };
  /** The attester's EIP-712 signature. */
  signature: string;
}

/** A {@link SignedAttestation} with its values as the contract takes them. */
export interface DecodedSignedAttestation {
  chainId: bigint;
  contract: string;
  attester: string;
  nonce: bigint;
  deadline: bigint;
  request: AttestationRequestStruct;
  signature: string;
}

/**
 * The EIP-712 message of a signed attestation.
 *
 * @example
 * const digest = TypedDataEncoder.hash(attestationDomain(chainId, contract), ATTEST_TYPES, attestMessage(decoded));
 */
export function attestMessage(decoded: Omit<DecodedSignedAttestation, "signature" | "chainId" | "contract">): Record<string, unknown> {
  return {
    attester: decoded.attester,
    subjectType: decoded.request.subjectType,
    subjectId: decoded.request.subjectId,
    kind: decoded.request.kind,
    expiresAt: decoded.request.expiresAt,
    refId: decoded.request.refId,
    evidenceHash: decoded.request.evidenceHash,
    evidenceURI: decoded.request.evidenceURI,
    nonce: decoded.nonce,
    deadline: decoded.deadline,
  };
}

/**
 * Encodes decoded values into the portable document (integers as decimal strings).
 *
 * @example
 * const document = encodeSignedAttestation(parseSignedAttestation(text)); // normalised copy of the file
 */
export function encodeSignedAttestation(decoded: DecodedSignedAttestation): SignedAttestation {
  return {
    format: SIGNED_ATTESTATION_FORMAT,
    chainId: decoded.chainId.toString(),
    contract: getAddress(decoded.contract),
    attester: getAddress(decoded.attester),
    nonce: decoded.nonce.toString(),
    deadline: decoded.deadline.toString(),
    request: {
      subjectType: decoded.request.subjectType,
      subjectId: decoded.request.subjectId.toString(),
      kind: decoded.request.kind,
      expiresAt: decoded.request.expiresAt.toString(),
      refId: decoded.request.refId.toString(),
      evidenceHash: decoded.request.evidenceHash,
      evidenceURI: decoded.request.evidenceURI,
    },
    signature: decoded.signature,
  };
}

/**
 * Checks a signed-attestation document (an object, or the JSON text of a file) and decodes its values. Throws a
 * InvalidInputError naming the first bad field.
 *
 * @example
 * const decoded = parseSignedAttestation(await readFile("attestation.json", "utf8"));
 * decoded.nonce; // 0n
 */
export function parseSignedAttestation(value: unknown): DecodedSignedAttestation {
  const envelope = signedEnvelope(value, SIGNED_ATTESTATION_FORMAT, "the signed attestation", "request");
  const signed = envelope.signed as Partial<Record<keyof SignedAttestation, unknown>>;
  const request = envelope.inner as Partial<Record<keyof SignedAttestation["request"], unknown>>;
  if (typeof request.evidenceURI !== "string") {
    throw new InvalidInputError("signed.request.evidenceURI", "signed.request.evidenceURI must be a string");
  }
  return {
    chainId: fromDocument(signed.chainId, "signed.chainId"),
    contract: parseAddress(signed.contract as string, "signed.contract", { nonZero: true }),
    attester: parseAddress(signed.attester as string, "signed.attester", { nonZero: true }),
    nonce: fromDocument(signed.nonce, "signed.nonce"),
    deadline: fromDocument(signed.deadline, "signed.deadline"),
    request: {
      subjectType: toSubjectType(request.subjectType as number, "signed.request.subjectType"),
      subjectId: fromDocument(request.subjectId, "signed.request.subjectId", 64),
      kind: toKind(request.kind as number, "signed.request.kind"),
      expiresAt: fromDocument(request.expiresAt, "signed.request.expiresAt", 64),
      refId: fromDocument(request.refId, "signed.request.refId", 64),
      evidenceHash: parseBytes32(request.evidenceHash as string, "signed.request.evidenceHash"),
      evidenceURI: request.evidenceURI,
    },
    signature: envelope.signature,
  };
}
