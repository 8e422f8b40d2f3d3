import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { toAttestationRequest, type AttestationRequestInput } from "../inputs.ts";
import { eventsOf, sendTransaction } from "../internal/transactions.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface MultiAttestParameters extends TransactionOptions {
  /** The attestations to issue, in order. */
  requests: AttestationRequestInput[];
}

export interface MultiAttestResult extends TransactionResult {
  /** The new attestations, in the order of the requests. */
  attestationIds: bigint[];
}

/**
 * Issues several attestations as the signer in one transaction.
 *
 * @example
 * const { attestationIds } = await multiAttest(evaluatorClient, {
 *   requests: [
 *     { subjectType: "model-version", subjectId: 1n, kind: "safety-evaluation", evidenceURI: "ipfs://…a" },
 *     { subjectType: "model-version", subjectId: 1n, kind: "bias-check", evidenceURI: "ipfs://…b" },
 *   ],
 * });
 */
export async function multiAttest(client: PedigreeClient, parameters: MultiAttestParameters): Promise<MultiAttestResult> {
  if (!Array.isArray(parameters.requests) || parameters.requests.length === 0) {
    throw new InvalidInputError("requests", "requests must list at least one attestation");
  }
  const requests = parameters.requests.map((request, index) => toAttestationRequest(request, `requests[${index}]`));
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.multiAttest",
    (signer, overrides) => client.attestations.connect(signer).multiAttest(requests, overrides),
    parameters,
  );
  const attestationIds = eventsOf(mined.receipt, client.attestations, "Attested").map((event) => event.id);
  return { attestationIds, hash: mined.hash, blockNumber: mined.blockNumber };
}
