import type { PedigreeClient } from "../client.ts";
import { toAttestationRequest, type AttestationRequestInput } from "../inputs.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface AttestParameters extends AttestationRequestInput, TransactionOptions {}

export interface AttestResult extends TransactionResult {
  /** The new attestation. */
  attestationId: bigint;
  /** The signer, who must hold the role of the kind (e.g. evaluator for safety-evaluation). */
  attester: string;
}

/**
 * Issues an attestation as the signer.
 *
 * @example
 * const { attestationId } = await attest(evaluatorClient, {
 *   subjectType: "model-version",
 *   subjectId: 1n,
 *   kind: "safety-evaluation",
 *   evidenceHash: id("safety report"),
 *   evidenceURI: "ipfs://bafy…report",
 * });
 */
export async function attest(client: PedigreeClient, parameters: AttestParameters): Promise<AttestResult> {
  const request = toAttestationRequest(parameters, "attestation");
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.attest",
    (signer, overrides) => client.attestations.connect(signer).attest(request, overrides),
    parameters,
  );
  const attested = eventOf(mined.receipt, client.attestations, "Attested");
  return { attestationId: attested.id, attester: attested.attester, hash: mined.hash, blockNumber: mined.blockNumber };
}
