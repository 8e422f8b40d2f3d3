/**
 * What every signed-and-relayed request shares (signed attestations, signed action batches): the deadline window the
 * registries accept, the document naming this network and registry, and the signature being the signer's.
 */
import type { PedigreeClient } from "../client.ts";
import { MAX_SIGNATURE_LIFETIME } from "../../core/constants.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { WrongContractError, WrongNetworkError } from "../errors/index.ts";
import type { TimestampInput } from "../types.ts";
import { readView } from "./transactions.ts";
import { toTimestamp } from "./validate.ts";

/** Seven days: how long a signature can be relayed when no deadline is given. */
const DEFAULT_VALIDITY_SECONDS = 7 * 24 * 3600;

/**
 * The deadline of a signature: the one given, or seven days from now; refused when the registry would refuse it at
 * any relay time (past, or more than 30 days after the chain's now).
 */
export async function signatureDeadline(client: PedigreeClient, value: TimestampInput | undefined): Promise<bigint> {
  const deadline = value === undefined ? BigInt(Math.floor(Date.now() / 1000) + DEFAULT_VALIDITY_SECONDS) : toTimestamp(value, "deadline", 256);
  const block = await readView(client, "eth_getBlockByNumber", () => client.provider.getBlock("latest"));
  const now = BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  const latest = now + BigInt(MAX_SIGNATURE_LIFETIME);
  if (deadline <= now) {
    throw new InvalidInputError("deadline", `the deadline ${deadline} has already passed (the chain's time is ${now})`, { hint: "Give a future deadline." });
  }
  if (deadline > latest) {
    throw new InvalidInputError("deadline", `the deadline ${deadline} lies more than 30 days ahead (latest ${latest})`, { hint: "A signature may wait at most 30 days to be relayed; give a nearer deadline." });
  }
  return deadline;
}

/** A signed document, as far as where it may be relayed goes. */
export interface SignedFor {
  chainId: bigint;
  contract: string;
}

/** Refuses a document signed for another chain or another deployment of the registry (`registry` names it). */
export async function requireSignedForThis(client: PedigreeClient, document: SignedFor, expected: string, registry: string, what: string): Promise<void> {
  await client.assertNetwork();
  const chainId = await client.getChainId();
  if (document.chainId !== chainId) {
    throw new WrongNetworkError(document.chainId, chainId, { hint: `This ${what} was signed for chain id ${document.chainId}; relay it on that network.` });
  }
  if (document.contract !== expected) {
    throw new WrongContractError(
      document.contract,
      expected,
      `Wrong contract: the ${what} was signed for the ${registry} at ${document.contract}, but this client uses ${expected}.`,
      { hint: "Relay it with the deployment it was signed for." },
    );
  }
}

/**
 * Refuses a signature `recover` does not attribute to `signer` — unless `signer` is a contract (EIP-1271), whose
 * signature only the registry can check.
 */
export async function requireSignatureOf(client: PedigreeClient, signer: string, recover: () => string, what: string): Promise<void> {
  let recovered: string | undefined;
  try {
    recovered = recover();
  } catch {
    recovered = undefined;
  }
  if (recovered === signer) return;
  const code = await readView(client, "eth_getCode", () => client.provider.getCode(signer));
  if (code !== "0x") return;
  throw new InvalidInputError("signed.signature", `the signature is not ${signer}'s signature of this ${what}${recovered ? ` (it was made by ${recovered})` : ""}`, {
    hint: "The document was altered after signing; ask the signer to sign again.",
  });
}
