import { ZeroAddress } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface WithdrawRoyaltiesParameters extends TransactionOptions {
  /** The currency to withdraw: an ERC-20 address, or ETH when omitted. */
  currency?: string;
  /** Where to send it; the signer when omitted. */
  to?: string;
}

export interface WithdrawRoyaltiesResult extends TransactionResult {
  /** What was sent, in the currency's smallest unit. */
  amount: bigint;
  currency: string;
  to: string;
}

/**
 * Sends the signer's whole royalty balance in one currency to `to` (pull payment).
 *
 * @example
 * const { amount } = await withdrawRoyalties(client); // ETH, to the signer
 * await withdrawRoyalties(client, { currency: usdc, to: treasury });
 */
export async function withdrawRoyalties(
  client: PedigreeClient,
  parameters: WithdrawRoyaltiesParameters = {},
): Promise<WithdrawRoyaltiesResult> {
  const currency = parameters.currency === undefined ? ZeroAddress : parseAddress(parameters.currency, "currency");
  const to =
    parameters.to === undefined ? await client.account() : parseAddress(parameters.to, "to", { nonZero: true });
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.withdrawRoyalties",
    (signer, overrides) => client.royalties.connect(signer).withdrawRoyalties(currency, to, overrides),
    parameters,
  );
  const withdrawn = eventOf(mined.receipt, client.royalties, "RoyaltyWithdrawn");
  return {
    amount: withdrawn.amount,
    currency: withdrawn.currency,
    to: withdrawn.to,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
