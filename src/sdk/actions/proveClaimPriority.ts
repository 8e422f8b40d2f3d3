import type { PedigreeClient } from "../client.ts";
import { parseClaimSecret, type ClaimSecret } from "../claims.ts";
import { WrongContractError, WrongNetworkError } from "../errors/index.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";
import { claimsRegistry } from "./commitClaim.ts";

export interface ProveClaimPriorityResult extends TransactionResult {
  /** The version the claimant registered with the digest. */
  versionId: bigint;
  claimant: string;
  digest: string;
  /** Unix time of the commitment: the claim's priority. */
  committedAt: bigint;
}

/**
 * Reveals a commitment made with {@link commitClaim}, after the claimant published the version: the registry records
 * that this claim was committed at `committedAt`, so an audit ranks it before any claim of the same digest made after
 * that time. Anyone may send it; the salt becomes public. Before sending, it checks the secret is for this network and
 * this client's registry.
 *
 * @example
 * const secret = JSON.parse(await readFile("v3.claim.json", "utf8"));
 * const { versionId, committedAt } = await proveClaimPriority(client, secret);
 */
export async function proveClaimPriority(
  client: PedigreeClient,
  claim: ClaimSecret | string,
  options: TransactionOptions = {},
): Promise<ProveClaimPriorityResult> {
  const secret = parseClaimSecret(claim);
  const claims = claimsRegistry(client, secret.registry);
  await client.assertNetwork();
  const chainId = await client.getChainId();
  if (BigInt(secret.chainId) !== chainId) {
    throw new WrongNetworkError(BigInt(secret.chainId), chainId, {
      hint: `This commitment was made on chain id ${secret.chainId}; prove it on that network.`,
    });
  }
  const expected = client.addresses[secret.registry];
  if (secret.contract !== expected) {
    throw new WrongContractError(
      secret.contract,
      expected,
      `Wrong contract: the commitment was made on the ${secret.registry} registry at ${secret.contract}, but this client uses ${expected}.`,
      { hint: "Prove it with the deployment it was made on." },
    );
  }
  const mined = await sendTransaction(
    client,
    "IClaims.proveClaimPriority",
    (signer, overrides) => claims.connect(signer).proveClaimPriority(secret.claimant, secret.digest, secret.salt, overrides),
    options,
  );
  const proven = eventOf(mined.receipt, claims, "ClaimPriorityProven");
  return {
    versionId: proven.versionId,
    claimant: proven.claimant,
    digest: proven.digest,
    committedAt: proven.committedAt,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
