import { ZeroAddress } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { readView } from "../internal/transactions.ts";
import { toAddress } from "../internal/validate.ts";

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
  const account = parameters.account === undefined ? await client.account() : toAddress(parameters.account, "account");
  const currency = parameters.currency === undefined ? ZeroAddress : toAddress(parameters.currency, "currency");
  return readView(client, "DatasetRegistry.royaltiesOf", () => client.datasets.royaltiesOf(account, currency));
}
