import { ZeroAddress, formatEther } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { registryError } from "../errors/index.ts";
import { afterApproval, allowRegistryToPull } from "../internal/erc20.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";
import { parseId, parseUint } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface AcquireLicenceParameters extends TransactionOptions {
  /** The dataset to license. */
  datasetId: IdInput;
  /** Who will hold the licence (the model owner who trains on it); the signer when omitted. */
  licensee?: string;
  /**
   * The terms the buyer agreed to; the dataset's current terms when omitted. If the owner changes the terms before the
   * purchase is mined, the registry refuses it with TermsChanged instead of charging the new price.
   */
  termsId?: IdInput;
  /** Refuse, before sending anything, if the terms cost more than this (in the currency's smallest unit). */
  maxPrice?: bigint;
  /** Send an ERC-20 `approve` for the price first when the allowance is short (default true). */
  approve?: boolean;
}

export interface AcquireLicenceResult extends TransactionResult {
  /** The new licence. */
  licenceId: bigint;
  datasetId: bigint;
  /** The terms it was granted under. */
  termsId: bigint;
  licensee: string;
  /** ETH (the zero address) or the ERC-20 paid in. */
  currency: string;
  /** What was paid, in the currency's smallest unit. */
  amount: bigint;
  /** Unix time it expires; 0 = perpetual. */
  expiresAt: bigint;
  /** The ERC-20 approval sent first, when one was needed. */
  approval?: TransactionResult;
}

/**
 * Buys a licence of a dataset under its current terms (or the terms given), paying their price: the exact ETH amount,
 * or an ERC-20 collected through an allowance, which is approved first when short. The terms id is passed along, so a
 * change of terms in between makes the purchase fail rather than pay a price the buyer did not see.
 *
 * @example
 * const { licenceId, expiresAt } = await acquireLicence(client, { datasetId: 1n });
 * // ERC-20 terms: an approve transaction is sent first if needed
 * const paid = await acquireLicence(client, { datasetId: 2n, maxPrice: 30_000_000n });
 * paid.approval?.hash;
 */
export async function acquireLicence(
  client: PedigreeClient,
  parameters: AcquireLicenceParameters,
): Promise<AcquireLicenceResult> {
  const datasetId = parseId(parameters.datasetId, "datasetId");
  client.requireSigner("RoyaltyRegistry.acquireLicence");
  const payer = await client.account();
  const licensee =
    parameters.licensee === undefined ? payer : parseAddress(parameters.licensee, "licensee", { nonZero: true });
  const termsId =
    parameters.termsId !== undefined
      ? parseId(parameters.termsId, "termsId")
      : (await readView(client, "DatasetRegistry.getDataset", () => client.datasets.getDataset(datasetId))).currentTermsId;
  if (termsId === 0n) throw registryError("NoTermsSet", [datasetId]);
  const [terms] = await readView(client, "DatasetRegistry.getTerms", () => client.datasets.getTerms(termsId));
  const currency = terms.currency;
  const price = terms.price;
  if (parameters.maxPrice !== undefined && price > parseUint(parameters.maxPrice, "maxPrice")) {
    const shown = currency === ZeroAddress ? `${formatEther(price)} ETH` : `${price} units of token ${currency}`;
    throw new InvalidInputError("maxPrice", `terms ${termsId} of dataset ${datasetId} cost ${shown}, above maxPrice ${parameters.maxPrice}`, { hint: "Raise maxPrice if you accept this price." });
  }

  const approval =
    currency !== ZeroAddress && price > 0n
      ? await allowRegistryToPull(
          client,
          { currency, amount: price, purpose: "the licence", approve: parameters.approve ?? true },
          parameters,
        )
      : undefined;

  const value = currency === ZeroAddress ? price : 0n;
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.acquireLicence",
    (buyer, overrides) =>
      client.royalties.connect(buyer).acquireLicence(datasetId, licensee, termsId, { ...overrides, value }),
    afterApproval(parameters, approval),
  );
  const acquired = eventOf(mined.receipt, client.datasets, "LicenceAcquired");
  return {
    licenceId: acquired.licenceId,
    datasetId: acquired.datasetId,
    termsId: acquired.termsId,
    licensee: acquired.licensee,
    currency: acquired.currency,
    amount: acquired.amount,
    expiresAt: acquired.expiresAt,
    approval,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
