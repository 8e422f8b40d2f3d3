/** Encrypted pointers (src/core/envelope.ts): ECIES over secp256k1 to several recipients. */
import { describe, expect, it } from "vitest";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import { addRecipient, decryptUri, encryptUri, EnvelopeError, parseEnvelope, publicKeyOf, removeRecipient } from "../../src/core/envelope.ts";

const URI = "s3://acme-evidence/bias-report-2026-11.pdf";
const auditor = Wallet.createRandom();
const regulator = Wallet.createRandom();
const stranger = Wallet.createRandom();

function refusal(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("accepted");
}

describe("encrypted pointers", () => {
  it("decrypt for each recipient, to the URI the record commits to; an account's uncompressed public key works too", () => {
    const envelope = parseEnvelope(JSON.parse(JSON.stringify(encryptUri(URI, [auditor.signingKey.publicKey, publicKeyOf(regulator.privateKey)]))));
    expect(envelope.uriHash).toBe(keccak256(toUtf8Bytes(URI)));
    expect(JSON.stringify(envelope)).not.toContain("bias-report");
    expect(decryptUri(envelope, auditor.privateKey, keccak256(toUtf8Bytes(URI)))).toBe(URI);
    expect(decryptUri(envelope, regulator.privateKey)).toBe(URI);
  });

  it("refuse a key that is not a recipient's, with one line", () => {
    const error = refusal(() => decryptUri(encryptUri(URI, [auditor.signingKey.publicKey]), stranger.privateKey));
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error.message).toMatch(/^this key \(public key 0x[0-9a-f]{66}\) is not a recipient of the envelope\. Ask a recipient to add you/);
  });

  it("detect tampering: the ciphertext, a wrapped key, a URI hash of another record", () => {
    const envelope = encryptUri(URI, [auditor.signingKey.publicKey]);
    const flip = (hex: string) => `${hex.slice(0, -2)}${hex.endsWith("00") ? "01" : "00"}`;
    expect(refusal(() => decryptUri({ ...envelope, ciphertext: flip(envelope.ciphertext) }, auditor.privateKey)).message).toBe("the encrypted URI does not decrypt: the envelope was altered");
    const wrapped = { ...envelope.recipients[0]!, wrappedKey: flip(envelope.recipients[0]!.wrappedKey) };
    expect(refusal(() => decryptUri({ ...envelope, recipients: [wrapped] }, auditor.privateKey)).message).toBe("the key wrapped for this recipient does not decrypt: the envelope was altered");
    expect(refusal(() => decryptUri(envelope, auditor.privateKey, keccak256(toUtf8Bytes("s3://other")))).message).toMatch(/hashes to 0x[0-9a-f]{64}, not the committed 0x[0-9a-f]{64}/);
  });

  it("add and remove recipients without changing the ciphertext or the committed hash", () => {
    const envelope = encryptUri(URI, [auditor.signingKey.publicKey]);
    const wider = addRecipient(envelope, auditor.privateKey, regulator.signingKey.publicKey);
    expect([wider.ciphertext, wider.uriHash]).toEqual([envelope.ciphertext, envelope.uriHash]);
    expect(decryptUri(wider, regulator.privateKey)).toBe(URI);
    expect(() => addRecipient(envelope, stranger.privateKey, stranger.signingKey.publicKey)).toThrow(/is not a recipient/);
    const narrower = removeRecipient(wider, auditor.signingKey.publicKey);
    expect(() => decryptUri(narrower, auditor.privateKey)).toThrow(/is not a recipient/);
    expect(() => encryptUri(URI, ["0x1234"])).toThrow(/recipients\[0\] must be a secp256k1 public key/);
  });
});
