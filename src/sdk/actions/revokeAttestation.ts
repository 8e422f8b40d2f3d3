import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RevokeAttestationParameters extends TransactionOptions {
  /** The attestation; the signer must be its attester or an admin. */
  attestationId: IdInput;
  /** Why, recorded in the AttestationRevoked event. */
  reason: string;
}

export interface RevokeAttestationResult extends TransactionResult {
  attestationId: bigint;
  revoker: string;
}

/**
 * Revokes an attestation. Versions it approved stop being releasable and cannot be (re)deployed.
 *
 * @example
 * await revokeAttestation(evaluatorClient, { attestationId: 3n, reason: "evaluation harness bug" });
 */
export async function revokeAttestation(
  client: PedigreeClient,
  parameters: RevokeAttestationParameters,
): Promise<RevokeAttestationResult> {
  const attestationId = parseId(parameters.attestationId, "attestationId");
  const reason = toText(parameters.reason, "reason");
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.revoke",
    (signer, overrides) => client.attestations.connect(signer).revoke(attestationId, reason, overrides),
    parameters,
  );
  const revoked = eventOf(mined.receipt, client.attestations, "AttestationRevoked");
  return { attestationId: revoked.id, revoker: revoked.revoker, hash: mined.hash, blockNumber: mined.blockNumber };
}
