/**
 * Commit–reveal priority of content claims (IClaims, shared by the dataset and model registries). A creator commits to
 * `claimCommitment(claimant, digest, salt)` before publishing, then proves it: a copied pending transaction or a
 * squatter who registers the same fingerprint first cannot show a commitment made before it. The commitment is
 * computed here, locally, so that the salt never reaches an RPC node before it is revealed; and the salt travels in a
 * JSON document, {@link ClaimSecret}, the claimant keeps until the proof.
 */
import { AbiCoder, hexlify, keccak256, randomBytes } from "ethers";
import { InvalidInputError } from "../core/errors.ts";
import { parseAddress, parseBytes32 } from "../core/hex.ts";
import { parseUint } from "../core/ids.ts";

/** The registries that take claims: datasets claim fingerprints, models claim weights hashes. */
export type ClaimRegistry = "datasets" | "models";

/** The `format` tag of a {@link ClaimSecret} document. */
export const CLAIM_SECRET_FORMAT = "pedigree-claim-secret/v1";

/**
 * Everything a claimant needs to prove a commitment later, as a JSON-safe document. The salt is secret until the
 * proof: whoever holds it can show the commitment belongs to this claim (but not claim it for anyone else).
 */
export interface ClaimSecret {
  format: typeof CLAIM_SECRET_FORMAT;
  /** Chain the commitment is made on (decimal). */
  chainId: string;
  /** Which registry: `datasets` (a fingerprint) or `models` (a weights hash). */
  registry: ClaimRegistry;
  /** The registry contract's address. */
  contract: string;
  /** Who will claim the digest: the dataset's or model's owner when the version is published. */
  claimant: string;
  /** The dataset fingerprint or weights hash. */
  digest: string;
  /** 32 random bytes. */
  salt: string;
  /** keccak256(abi.encode(chainId, contract, claimant, digest, salt)). */
  commitment: string;
}

/**
 * 32 random bytes from the platform's cryptographic generator, as 0x hex.
 *
 * @example
 * const salt = newClaimSalt(); // "0x9f…" (66 characters)
 */
export function newClaimSalt(): string {
  return hexlify(randomBytes(32));
}

/**
 * The commitment the registry at `contract` on `chainId` computes in `claimCommitment(claimant, digest, salt)`:
 * keccak256(abi.encode(chainId, contract, claimant, digest, salt)). Computed locally, without revealing the salt.
 *
 * @example
 * const commitment = claimCommitment({ chainId: 31337n, contract: datasetsAddress, claimant, digest: fingerprint, salt });
 */
export function claimCommitment(claim: {
  chainId: bigint | number | string;
  contract: string;
  claimant: string;
  digest: string;
  salt: string;
}): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "address", "address", "bytes32", "bytes32"],
    [
      parseUint(claim.chainId, "chainId"),
      parseAddress(claim.contract, "contract", { nonZero: true }),
      parseAddress(claim.claimant, "claimant", { nonZero: true }),
      parseBytes32(claim.digest, "digest", { nonZero: true }),
      parseBytes32(claim.salt, "salt"),
    ],
  );
  return keccak256(encoded);
}

/** The next step when a claim secret is not one. */
const SECRET_HINT = "Pass the claim secret commitClaim returned, as it was written.";

/**
 * Reads a {@link ClaimSecret} (the document or its JSON text), checking its fields and that its commitment matches
 * them.
 *
 * @example
 * const secret = parseClaimSecret(await readFile("clinical-notes-v3.claim.json", "utf8"));
 */
export function parseClaimSecret(input: ClaimSecret | string): ClaimSecret {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw new InvalidInputError("claim", "the claim secret is not JSON", { hint: SECRET_HINT });
    }
  }
  const doc = value as Partial<ClaimSecret> | null;
  if (doc === null || typeof doc !== "object" || doc.format !== CLAIM_SECRET_FORMAT) {
    throw new InvalidInputError("claim.format", `the claim secret is not a ${CLAIM_SECRET_FORMAT} document`, { hint: SECRET_HINT });
  }
  if (doc.registry !== "datasets" && doc.registry !== "models") {
    throw new InvalidInputError("claim.registry", `claim.registry must be "datasets" or "models", got ${JSON.stringify(doc.registry)}`);
  }
  const secret: ClaimSecret = {
    format: CLAIM_SECRET_FORMAT,
    chainId: parseUint(doc.chainId as string, "claim.chainId").toString(),
    registry: doc.registry,
    contract: parseAddress(doc.contract, "claim.contract", { nonZero: true }),
    claimant: parseAddress(doc.claimant, "claim.claimant", { nonZero: true }),
    digest: parseBytes32(doc.digest, "claim.digest", { nonZero: true }),
    salt: parseBytes32(doc.salt, "claim.salt"),
    commitment: parseBytes32(doc.commitment, "claim.commitment", { nonZero: true }),
  };
  if (claimCommitment(secret) !== secret.commitment) {
    throw new InvalidInputError("claim.commitment", "the claim secret's commitment does not match its claimant, digest and salt", {
      hint: "It was altered; use the claim secret exactly as it was written when committing.",
    });
  }
  return secret;
}
