import { verifyTypedData } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { WrongContractError, WrongNetworkError } from "../errors/index.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
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
  await client.assertNetwork();
  const chainId = await client.getChainId();
  if (decoded.chainId !== chainId) {
    throw new WrongNetworkError(decoded.chainId, chainId, {
      hint: `This attestation was signed for chain id ${decoded.chainId}; relay it on that network.`,
    });
  }
  if (decoded.contract !== client.addresses.attestations) {
    throw new WrongContractError(
      decoded.contract,
      client.addresses.attestations,
      `Wrong contract: the attestation was signed for the AttestationRegistry at ${decoded.contract}, but this client uses ${client.addresses.attestations}.`,
      { hint: "Relay it with the deployment it was signed for." },
    );
  }
  const recovered = (() => {
    try {
      return verifyTypedData(attestationDomain(decoded.chainId, decoded.contract), ATTEST_TYPES, attestMessage(decoded), decoded.signature);
    } catch {
      return undefined;
    }
  })();
  if (recovered !== decoded.attester) {
    // A contract wallet (EIP-1271) signs with a key that is not its address; the registry checks it on-chain.
    const code = await readView(client, "eth_getCode", () => client.provider.getCode(decoded.attester));
    if (code === "0x") {
      throw new InvalidInputError("signed.signature", `the signature is not ${decoded.attester}'s signature of this attestation${recovered ? ` (it was made by ${recovered})` : ""}`, { hint: "The document was altered after signing; ask the attester to sign again." });
    }
  }
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
