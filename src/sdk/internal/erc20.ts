/** Paying Pedigree's treasury (the RoyaltyRegistry) in an ERC-20: checking the payer's balance and approving the treasury when short. */
import { Contract, ZeroAddress } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";
import { readView, sendTransaction } from "./transactions.ts";

/** The part of ERC-20 a payment needs. */
const ERC20_ABI = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

export interface TokenPayment {
  /** The ERC-20 paid in ({@link payTreasury} also takes ETH: the zero address). */
  currency: string;
  /** What the treasury will pull, in the token's smallest unit. */
  amount: bigint;
  /** What is paid for, in messages: "the licence", "the refund". */
  purpose: string;
  /** Send an `approve` for `amount` when the allowance is short (otherwise refuse). */
  approve: boolean;
}

/**
 * Makes sure the RoyaltyRegistry (the treasury every payment goes to) can pull `amount` of `currency` from the signer: refuses, before sending anything,
 * when the balance is short (or the allowance is and `approve` is false); sends an `approve` for exactly `amount` when
 * the allowance is short. Returns that approval, if one was sent.
 */
export async function allowRegistryToPull(
  client: PedigreeClient,
  payment: TokenPayment,
  options: TransactionOptions,
): Promise<TransactionResult | undefined> {
  const signer = client.requireSigner("ERC20.approve");
  const payer = await client.account();
  const spender = client.addresses.royalties;
  const token = new Contract(payment.currency, ERC20_ABI, signer);
  const [allowance, balance] = await readView(client, "ERC20.allowance", async () => [
    (await token.getFunction("allowance")(payer, spender)) as bigint,
    (await token.getFunction("balanceOf")(payer)) as bigint,
  ]);
  if (balance < payment.amount) {
    throw new InvalidInputError("balance", `${payer} holds ${balance} units of token ${payment.currency} but ${payment.purpose} costs ${payment.amount}`, { hint: "Top up the token balance, then try again." });
  }
  if (allowance >= payment.amount) return undefined;
  if (!payment.approve) {
    throw new InvalidInputError("approve", `the treasury may spend ${allowance} units of token ${payment.currency} for ${payer} but ${payment.purpose} costs ${payment.amount}`, { hint: `Approve the RoyaltyRegistry (${spender}) for ${payment.amount}, or pass approve: true.` });
  }
  const approved = await sendTransaction(
    client,
    "ERC20.approve",
    (approver, overrides) => (token.connect(approver) as Contract).getFunction("approve")(spender, payment.amount, overrides),
    {
      nonce: options.nonce,
      maxFeePerGas: options.maxFeePerGas,
      maxPriorityFeePerGas: options.maxPriorityFeePerGas,
      confirmations: options.confirmations,
      onSubmitted: options.onSubmitted,
    },
  );
  return { hash: approved.hash, blockNumber: approved.blockNumber };
}

/**
 * Readies a payment of `amount` to the treasury: the ETH to send with it, or, for an ERC-20, no ETH and the allowance
 * made sufficient first ({@link allowRegistryToPull}; nothing to approve for 0).
 */
export async function payTreasury(
  client: PedigreeClient,
  payment: TokenPayment,
  options: TransactionOptions,
): Promise<{ value: bigint; approval?: TransactionResult }> {
  if (payment.currency === ZeroAddress) return { value: payment.amount };
  if (payment.amount === 0n) return { value: 0n };
  return { value: 0n, approval: await allowRegistryToPull(client, payment, options) };
}

/** The options of the payment transaction that follows an approval: the approval took the nonce given, if any. */
export function afterApproval<T extends TransactionOptions>(options: T, approval: TransactionResult | undefined): T {
  return { ...options, nonce: approval && options.nonce !== undefined ? options.nonce + 1 : options.nonce };
}
