import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseId, parseUint, type IdInput } from "../../core/ids.ts";
import { afterApproval, payTreasury } from "../internal/erc20.ts";
import { meteredLicence } from "../internal/meteredLicence.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface UsageDepositParameters extends TransactionOptions {
  licenceId: IdInput;
  /** In the currency of the licence's terms, smallest unit. */
  amount: bigint;
  /** Send an ERC-20 `approve` first when the allowance is short (default true). */
  approve?: boolean;
}

export interface UsageDepositResult extends TransactionResult {
  licenceId: bigint;
  currency: string;
  amount: bigint;
  /** What is left of the licence's deposit after the transaction. */
  deposit: bigint;
  approval?: TransactionResult;
}

function toDeposit(parameters: UsageDepositParameters): { licenceId: bigint; amount: bigint } {
  const amount = parseUint(parameters.amount, "amount");
  if (amount === 0n) throw new InvalidInputError("amount", "amount must be above 0");
  return { licenceId: parseId(parameters.licenceId, "licenceId"), amount };
}

/**
 * Prepays usage of a metered licence: usage reports draw the deposit down before charging whoever sends them. Anyone
 * may deposit (ETH sent, or an ERC-20 approved to the treasury first when short); only the licensee releases it.
 *
 * @example
 * await depositForUsage(client, { licenceId: 1n, amount: parseEther("0.01") });
 */
export async function depositForUsage(client: PedigreeClient, parameters: UsageDepositParameters): Promise<UsageDepositResult> {
  const { licenceId, amount } = toDeposit(parameters);
  client.requireSigner("RoyaltyRegistry.depositForUsage");
  const { currency } = await meteredLicence(client, licenceId); // a voided or unmetered licence: refused before any approval
  const { value, approval } = await payTreasury(client, { currency, amount, purpose: "the deposit", approve: parameters.approve ?? true }, parameters);
  const mined = await sendTransaction(
    client,
    "RoyaltyRegistry.depositForUsage",
    (signer, overrides) => client.royalties.connect(signer).depositForUsage(licenceId, amount, { ...overrides, value }),
    afterApproval(parameters, approval),
  );
  const deposited = eventOf(mined.receipt, client.royalties, "UsageDeposited");
  const deposit = await readView(client, "RoyaltyRegistry.depositOf", () => client.royalties.depositOf(licenceId));
  return { licenceId, currency: deposited.currency, amount: deposited.amount, deposit, approval, hash: mined.hash, blockNumber: mined.blockNumber };
}

/**
 * Moves part of a licence's deposit back to the licensee's withdrawable balance (then `withdrawRoyalties`). The
 * licensee only.
 *
 * @example
 * await releaseDeposit(licenseeClient, { licenceId: 1n, amount: 5_000n });
 */
export async function releaseDeposit(client: PedigreeClient, parameters: Omit<UsageDepositParameters, "approve">): Promise<UsageDepositResult> {
  const { licenceId, amount } = toDeposit(parameters);
  const mined = await sendTransaction(client, "RoyaltyRegistry.releaseDeposit", (signer, overrides) => client.royalties.connect(signer).releaseDeposit(licenceId, amount, overrides), parameters);
  const released = eventOf(mined.receipt, client.royalties, "UsageDepositReleased");
  const deposit = await readView(client, "RoyaltyRegistry.depositOf", () => client.royalties.depositOf(licenceId));
  return { licenceId, currency: released.currency, amount: released.amount, deposit, hash: mined.hash, blockNumber: mined.blockNumber };
}
