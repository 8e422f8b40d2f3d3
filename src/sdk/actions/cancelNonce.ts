import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface CancelNonceResult extends TransactionResult {
  attester: string;
  /** The nonce used up: every unrelayed signature made with it can no longer be relayed. */
  nonce: bigint;
}

/**
 * Cancels the signer's unrelayed signed attestations (see {@link signAttestation}) by using up its current nonce.
 * Use it when a signed document leaked or was made in error: relaying it then fails with `InvalidAccountNonce`.
 *
 * @example
 * const { nonce } = await cancelNonce(evaluatorClient);
 */
export async function cancelNonce(client: PedigreeClient, options: TransactionOptions = {}): Promise<CancelNonceResult> {
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.cancelNonce",
    (signer, overrides) => client.attestations.connect(signer).cancelNonce(overrides),
    options,
  );
  const cancelled = eventOf(mined.receipt, client.attestations, "NonceCancelled");
  return { attester: cancelled.attester, nonce: cancelled.nonce, hash: mined.hash, blockNumber: mined.blockNumber };
}
