/**
 * Encrypted pointers: an artifact or evidence URI encrypted to one or more recipients (auditors, regulators) by ECIES
 * over secp256k1 — the curve of Ethereum accounts, so a recipient is named by its account's public key. Audited
 * libraries do the cryptography: @noble/curves (ECDH), @noble/hashes (HKDF-SHA256), @noble/ciphers (AES-256-GCM).
 *
 * The URI is encrypted once under a random content key; the key is wrapped for each recipient under a key derived from
 * an ephemeral ECDH with the recipient's public key. The envelope carries the keccak256 of the URI: what a record
 * commits to (in the clear or as a committed field), so decryption is checked against it and tampering is detected
 * (GCM tags on both layers too). Adding a recipient, or rotating to a new key, re-wraps the content key: the
 * ciphertext, the URI hash and so the committed record do not change.
 */
import { randomBytes } from "node:crypto";
import { gcm } from "@noble/ciphers/aes";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hkdf } from "@noble/hashes/hkdf";
import { sha256 } from "@noble/hashes/sha256";
import { getBytes, hexlify, keccak256, toUtf8Bytes, toUtf8String } from "ethers";
import { InvalidInputError, PedigreeError } from "./errors.ts";

export const ENVELOPE_FORMAT = "pedigree-encrypted-pointer-v1";
const CONTENT_AAD = toUtf8Bytes(ENVELOPE_FORMAT);
const WRAP_INFO = toUtf8Bytes(`${ENVELOPE_FORMAT} key wrap`);

/** The content key wrapped for one recipient. */
export interface WrappedKey {
  /** The recipient's secp256k1 public key, compressed (33 bytes, hex). */
  publicKey: string;
  ephemeralPublicKey: string;
  nonce: string;
  wrappedKey: string;
}

/** An encrypted URI and the recipients who can read it. Safe to publish. */
export interface Envelope {
  format: typeof ENVELOPE_FORMAT;
  /** keccak256 of the URI's UTF-8 bytes: what the record commits to. */
  uriHash: string;
  nonce: string;
  ciphertext: string;
  recipients: WrappedKey[];
}

/** Thrown when a key cannot open an envelope: it is not a recipient's, or the envelope was altered. */
export class EnvelopeError extends PedigreeError {
  override name = "EnvelopeError";
  constructor(message: string, hint?: string) {
    super(message, { code: "ENVELOPE_REFUSED", hint });
  }
}

/** A secp256k1 public key (compressed or not, 0x-hex), compressed; a one-line error naming `field` otherwise. */
export function parsePublicKey(value: unknown, field: string): string {
  try {
    return hexlify(secp256k1.ProjectivePoint.fromHex(getBytes(String(value))).toRawBytes(true));
  } catch {
    throw new InvalidInputError(field, `${field} must be a secp256k1 public key (0x + 66 or 130 hex digits, e.g. an account's public key), got ${JSON.stringify(value)}`);
  }
}

/** The compressed public key of a private key (0x-hex). */
export function publicKeyOf(privateKey: string): string {
  return hexlify(secp256k1.getPublicKey(getBytes(privateKey), true));
}

function wrapKeyFor(contentKey: Uint8Array, publicKey: string): WrappedKey {
  const ephemeral = secp256k1.utils.randomPrivateKey();
  const ephemeralPublicKey = secp256k1.getPublicKey(ephemeral, true);
  const kek = keyEncryptionKey(secp256k1.getSharedSecret(ephemeral, getBytes(publicKey), true), ephemeralPublicKey, getBytes(publicKey));
  const nonce = randomBytes(12);
  return { publicKey, ephemeralPublicKey: hexlify(ephemeralPublicKey), nonce: hexlify(nonce), wrappedKey: hexlify(gcm(kek, nonce).encrypt(contentKey)) };
}

function keyEncryptionKey(shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return hkdf(sha256, shared.slice(1), new Uint8Array([...ephemeralPublicKey, ...recipientPublicKey]), WRAP_INFO, 32);
}

/** The content key, unwrapped with `privateKey`; an EnvelopeError when the key is not a recipient's. */
function contentKeyOf(envelope: Envelope, privateKey: string): Uint8Array {
  const publicKey = publicKeyOf(privateKey);
  const entry = envelope.recipients.find((r) => r.publicKey.toLowerCase() === publicKey.toLowerCase());
  if (entry === undefined) {
    throw new EnvelopeError(`this key (public key ${publicKey}) is not a recipient of the envelope`, "Ask a recipient to add you (pedigree encrypt-uri --add-recipient).");
  }
  const kek = keyEncryptionKey(secp256k1.getSharedSecret(getBytes(privateKey), getBytes(entry.ephemeralPublicKey), true), getBytes(entry.ephemeralPublicKey), getBytes(publicKey));
  try {
    return gcm(kek, getBytes(entry.nonce)).decrypt(getBytes(entry.wrappedKey));
  } catch {
    throw new EnvelopeError("the key wrapped for this recipient does not decrypt: the envelope was altered");
  }
}

/**
 * Encrypts `uri` to the recipients' public keys.
 *
 * @example
 * const envelope = encryptUri("s3://acme/evidence/bias-report.pdf", [auditorPublicKey, regulatorPublicKey]);
 */
export function encryptUri(uri: string, recipients: readonly string[]): Envelope {
  if (typeof uri !== "string" || uri.trim() === "") throw new InvalidInputError("uri", "the URI to encrypt must not be empty");
  if (recipients.length === 0) throw new InvalidInputError("recipients", "encrypt to at least one recipient's public key");
  const keys = [...new Set(recipients.map((key, i) => parsePublicKey(key, `recipients[${i}]`)))];
  const contentKey = randomBytes(32);
  const nonce = randomBytes(12);
  const ciphertext = gcm(contentKey, nonce, CONTENT_AAD).encrypt(toUtf8Bytes(uri));
  return {
    format: ENVELOPE_FORMAT,
    uriHash: keccak256(toUtf8Bytes(uri)),
    nonce: hexlify(nonce),
    ciphertext: hexlify(ciphertext),
    recipients: keys.map((key) => wrapKeyFor(contentKey, key)),
  };
}

/**
 * Decrypts the URI with a recipient's private key, checking it against the envelope's URI hash (and, when given, the
 * hash the record commits to).
 */
export function decryptUri(envelope: Envelope, privateKey: string, committedHash?: string): string {
  const contentKey = contentKeyOf(envelope, privateKey);
  let uri: string;
  try {
    uri = toUtf8String(gcm(contentKey, getBytes(envelope.nonce), CONTENT_AAD).decrypt(getBytes(envelope.ciphertext)));
  } catch {
    throw new EnvelopeError("the encrypted URI does not decrypt: the envelope was altered");
  }
  const hash = keccak256(toUtf8Bytes(uri));
  if (hash !== envelope.uriHash.toLowerCase() || (committedHash !== undefined && hash !== committedHash.toLowerCase())) {
    throw new EnvelopeError(`the decrypted URI hashes to ${hash}, not the committed ${committedHash ?? envelope.uriHash}: the envelope was altered or belongs to another record`);
  }
  return uri;
}

/** Adds a recipient (or a recipient's new key): any current recipient re-wraps the content key; nothing else changes. */
export function addRecipient(envelope: Envelope, privateKey: string, publicKey: string): Envelope {
  const key = parsePublicKey(publicKey, "publicKey");
  if (envelope.recipients.some((r) => r.publicKey.toLowerCase() === key.toLowerCase())) {
    throw new InvalidInputError("publicKey", `${key} is already a recipient of the envelope`);
  }
  return { ...envelope, recipients: [...envelope.recipients, wrapKeyFor(contentKeyOf(envelope, privateKey), key)] };
}

/** Removes a recipient's wrapped key (it can still read what it decrypted before: rotate the URI itself for that). */
export function removeRecipient(envelope: Envelope, publicKey: string): Envelope {
  const key = parsePublicKey(publicKey, "publicKey");
  const recipients = envelope.recipients.filter((r) => r.publicKey.toLowerCase() !== key.toLowerCase());
  if (recipients.length === envelope.recipients.length) throw new InvalidInputError("publicKey", `${key} is not a recipient of the envelope`);
  return { ...envelope, recipients };
}

/** Reads an envelope file, checking its shape. */
export function parseEnvelope(value: unknown): Envelope {
  const e = value as Partial<Envelope> | null;
  if (e === null || typeof e !== "object" || e.format !== ENVELOPE_FORMAT || !Array.isArray(e.recipients)) {
    throw new InvalidInputError("envelope", `not an encrypted pointer: expected "format": "${ENVELOPE_FORMAT}" (written by pedigree encrypt-uri)`);
  }
  for (const field of ["uriHash", "nonce", "ciphertext"] as const) {
    if (typeof e[field] !== "string" || !/^0x[0-9a-fA-F]*$/.test(e[field])) throw new InvalidInputError(`envelope.${field}`, `envelope.${field} must be 0x-hex`);
  }
  return e as Envelope;
}
