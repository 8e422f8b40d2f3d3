import { ZeroAddress } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { readView } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";

export interface RoyaltiesOfParameters {
  /** Whose balance; the signer when omitted. */
  account?: string;
  /** An ERC-20 address, or ETH when omitted. */
  currency?: string;
}

/**
 * Royalties an account can withdraw in one currency, in its smallest unit.
 *
 * @example
 * const wei = await royaltiesOf(client, { account: creator });
 * const units = await royaltiesOf(client, { account: creator, currency: usdc });
 */
export async function royaltiesOf(client: PedigreeClient, parameters: RoyaltiesOfParameters = {}): Promise<bigint> {
  const account = parameters.account === undefined ? await client.account() : parseAddress(parameters.account, "account");
  const currency = parameters.currency === undefined ? ZeroAddress : parseAddress(parameters.currency, "currency");
  return readView(client, "RoyaltyRegistry.royaltiesOf", () => client.royalties.royaltiesOf(account, currency));
}
