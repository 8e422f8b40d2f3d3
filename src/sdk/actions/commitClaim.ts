import { IClaims__factory, type IClaims } from "../../../types/index.ts";
import type { PedigreeClient } from "../client.ts";
import { CLAIM_SECRET_FORMAT, claimCommitment, newClaimSalt, type ClaimRegistry, type ClaimSecret } from "../claims.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseAddress, parseBytes32 } from "../../core/hex.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

/** What a claim is about; see {@link prepareClaim}. */
export interface ClaimParameters {
  /** `datasets` to commit to a fingerprint, `models` to a weights hash. */
  registry: ClaimRegistry;
  /** The dataset fingerprint or weights hash the claimant will publish. */
  digest: string;
  /** Who will claim it: the dataset's or model's owner at publication; the signer when omitted. */
  claimant?: string;
  /** 32 secret bytes; fresh random bytes when omitted (recommended). */
  salt?: string;
}

export interface CommitClaimParameters extends ClaimParameters, TransactionOptions {}

export interface CommitClaimResult extends TransactionResult {
  /** Keep it secret and safe until the proof: it is the only way to prove this commitment. */
  secret: ClaimSecret;
  /** Unix time of the commitment: the priority a later proof shows. */
  committedAt: bigint;
}

/** The claims interface of the dataset or model registry of the client. */
export function claimsRegistry(client: PedigreeClient, registry: ClaimRegistry): IClaims {
  if (registry !== "datasets" && registry !== "models") {
    throw new InvalidInputError("registry", `registry must be "datasets" or "models", got ${JSON.stringify(registry)}`);
  }
  return IClaims__factory.connect(client.addresses[registry], client.signer ?? client.provider);
}

/**
 * The secret of a claim, computed locally and sent nowhere: save it before committing with {@link commitClaim} (pass
 * its salt), so that a crash between the two cannot lose the only way to prove the commitment.
 *
 * @example
 * const secret = await prepareClaim(client, { registry: "datasets", digest: fingerprint });
 * await writeFile("v3.claim.json", JSON.stringify(secret), { mode: 0o600, flag: "wx" });
 * await commitClaim(client, { registry: "datasets", digest: fingerprint, salt: secret.salt });
 */
export async function prepareClaim(client: PedigreeClient, parameters: ClaimParameters): Promise<ClaimSecret> {
  claimsRegistry(client, parameters.registry);
  const digest = parseBytes32(parameters.digest, "digest", { nonZero: true });
  const salt = parameters.salt === undefined ? newClaimSalt() : parseBytes32(parameters.salt, "salt");
  const claimant =
    parameters.claimant === undefined ? await client.account() : parseAddress(parameters.claimant, "claimant", { nonZero: true });
  await client.assertNetwork();
  const chainId = await client.getChainId();
  const contract = client.addresses[parameters.registry];
  const commitment = claimCommitment({ chainId, contract, claimant, digest, salt });
  return {
    format: CLAIM_SECRET_FORMAT,
    chainId: chainId.toString(),
    registry: parameters.registry,
    contract,
    claimant,
    digest,
    salt,
    commitment,
  };
}

/**
 * Commits to a future claim of a fingerprint (or weights hash) without revealing it. The commitment is computed
 * locally, so the salt reaches no one; publish the version afterwards, then reveal with {@link proveClaimPriority}.
 * Whoever registers the same digest in between cannot show an earlier commitment.
 *
 * @example
 * const { secret } = await commitClaim(client, { registry: "datasets", digest: fingerprint });
 * await writeFile("v3.claim.json", JSON.stringify(secret), { mode: 0o600 });
 * await publishDatasetVersion(client, { datasetId, version: { fingerprint, uri } });
 * await proveClaimPriority(client, secret);
 */
export async function commitClaim(client: PedigreeClient, parameters: CommitClaimParameters): Promise<CommitClaimResult> {
  const secret = await prepareClaim(client, parameters);
  const claims = claimsRegistry(client, secret.registry);
  const mined = await sendTransaction(
    client,
    "IClaims.commitClaim",
    (signer, overrides) => claims.connect(signer).commitClaim(secret.commitment, overrides),
    parameters,
  );
  const committed = eventOf(mined.receipt, claims, "ClaimCommitted");
  return {
    secret,
    committedAt: committed.committedAt,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
