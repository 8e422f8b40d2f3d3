import type { PedigreeClient } from "../client.ts";
import { decodeError } from "../errors/index.ts";
import { toAttestationRequest, type AttestationRequestInput } from "../inputs.ts";
import { readView } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";
import { signatureDeadline } from "../internal/signatures.ts";
import {
  ATTEST_TYPES,
  attestMessage,
  attestationDomain,
  encodeSignedAttestation,
  type SignedAttestation,
} from "../signedAttestation.ts";
import type { TimestampInput } from "../types.ts";

export interface SignAttestationParameters {
  /** What is attested. */
  request: AttestationRequestInput;
  /** Until when it may be relayed: in the future, at most 30 days ahead; seven days from now when omitted. */
  deadline?: TimestampInput;
  /**
   * The attester, when it is an EIP-1271 contract wallet the signer signs for; the signer itself when omitted.
   */
  attester?: string;
}

/**
 * Signs an attestation off-chain (EIP-712) without sending anything, using the attester's current nonce. The result
 * is a JSON-safe document: save it with `JSON.stringify`, and anyone can relay it later with
 * {@link relaySignedAttestation} on the same network, paying the gas.
 *
 * @example
 * const signed = await signAttestation(evaluatorClient, {
 *   request: { subjectType: "model-version", subjectId: 1n, kind: "safety-evaluation", evidenceHash, evidenceURI },
 *   deadline: new Date(Date.now() + 86_400_000),
 * });
 * await writeFile("safety-attestation.json", JSON.stringify(signed, null, 2));
 */
export async function signAttestation(
  client: PedigreeClient,
  parameters: SignAttestationParameters,
): Promise<SignedAttestation> {
  const signer = client.requireSigner("signAttestation");
  const request = toAttestationRequest(parameters.request);
  const attester = parameters.attester === undefined ? await client.account() : parseAddress(parameters.attester, "attester", { nonZero: true });
  await client.assertNetwork();
  const deadline = await signatureDeadline(client, parameters.deadline);
  const chainId = await client.getChainId();
  const nonce = await readView(client, "AttestationRegistry.nonces", () => client.attestations.nonces(attester));
  const contract = client.addresses.attestations;
  let signature: string;
  try {
    signature = await signer.signTypedData(
      attestationDomain(chainId, contract),
      ATTEST_TYPES,
      attestMessage({ attester, nonce, deadline, request }),
    );
  } catch (error) {
    throw decodeError(error, { action: "signTypedData", rpcUrl: client.rpcUrl });
  }
  return encodeSignedAttestation({ chainId, contract, attester, nonce, deadline, request, signature });
}
