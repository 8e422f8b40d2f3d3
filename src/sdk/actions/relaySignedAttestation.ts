import { verifyTypedData } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { requireSignatureOf, requireSignedForThis } from "../internal/signatures.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import {
  ATTEST_TYPES,
  attestMessage,
  attestationDomain,
  parseSignedAttestation,
  type SignedAttestation,
} from "../signedAttestation.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RelaySignedAttestationResult extends TransactionResult {
  /** The new attestation. */
  attestationId: bigint;
  /** Who attests (the signer of the document). */
  attester: string;
  /** Who relayed it and paid the gas. */
  submitter: string;
}

/**
 * Relays an attestation signed with {@link signAttestation} (the document, or its JSON text), as any account. Before
 * sending, it checks the document names this network's chain id and this client's AttestationRegistry, and that the
 * signature is the attester's; the registry then refuses expired or already-relayed signatures
 * (`InvalidAccountNonce`).
 *
 * @example
 * const signed = JSON.parse(await readFile("safety-attestation.json", "utf8"));
 * const { attestationId } = await relaySignedAttestation(relayerClient, signed);
 */
export async function relaySignedAttestation(
  client: PedigreeClient,
  signed: SignedAttestation | string,
  options: TransactionOptions = {},
): Promise<RelaySignedAttestationResult> {
  const decoded = parseSignedAttestation(signed);
  client.requireSigner("relaySignedAttestation");
  await requireSignedForThis(client, decoded, client.addresses.attestations, "AttestationRegistry", "attestation");
  await requireSignatureOf(
    client,
    decoded.attester,
    () => verifyTypedData(attestationDomain(decoded.chainId, decoded.contract), ATTEST_TYPES, attestMessage(decoded), decoded.signature),
    "attestation",
  );
  const mined = await sendTransaction(
    client,
    "AttestationRegistry.attestBySig",
    (signer, overrides) =>
      client.attestations
        .connect(signer)
        .attestBySig(decoded.request, decoded.attester, decoded.nonce, decoded.deadline, decoded.signature, overrides),
    options,
  );
  const attested = eventOf(mined.receipt, client.attestations, "Attested");
  return {
    attestationId: attested.id,
    attester: attested.attester,
    submitter: attested.submitter,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
