import { ZeroAddress } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { registryError } from "../errors/index.ts";
import { afterApproval, allowRegistryToPull } from "../internal/erc20.ts";
import { eventOf, readView, sendTransaction } from "../internal/transactions.ts";
import { parseId, parseUint } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RefundLicenceParameters extends TransactionOptions {
  /** The licence to void; its dataset's consent must be revoked, and the signer must own the dataset or operate it. */
  licenceId: IdInput;
  /** Refuse, before sending anything, if the refund due is more than this (in the currency's smallest unit). */
  maxAmount?: bigint;
  /** Send an ERC-20 `approve` for the refund first when the allowance is short (default true). */
  approve?: boolean;
}

export interface RefundLicenceResult extends TransactionResult {
  licenceId: bigint;
  datasetId: bigint;
  /** Who the refund was credited to (withdrawable with `withdrawRoyalties`). */
  licensee: string;
  /** ETH (the zero address) or the ERC-20 refunded in. */
  currency: string;
  /** What was refunded, in the currency's smallest unit: the unused share of the price when mined. */
  amount: bigint;
  /**
   * ETH sent above what was due when mined (what is due falls by the second), credited back to the signer's
   * withdrawable balance; 0 for ERC-20 refunds.
   */
  surplus: bigint;
  /** The ERC-20 approval sent first, when one was needed. */
  approval?: TransactionResult;
}

/**
 * Voids a licence of a dataset whose consent was revoked, paying back its unused part (`refundDue`: price × time left
 * / duration, or the whole price of a perpetual licence) to the licensee's withdrawable balance. ETH is sent as the
 * refund due read just before sending; what it exceeds the amount due when mined by is credited back to the signer.
 * ERC-20 refunds are pulled through an allowance, approved first when short.
 *
 * @example
 * await revokeConsent(client, { datasetId: 2n, reason: "patients withdrew consent" });
 * const { amount, licensee } = await refundLicence(client, { licenceId: 5n });
 */
export async function refundLicence(
  client: PedigreeClient,
  parameters: RefundLicenceParameters,
): Promise<RefundLicenceResult> {
  const licenceId = parseId(parameters.licenceId, "licenceId");
  client.requireSigner("DatasetRegistry.refundLicence");
  const licence = await readView(client, "DatasetRegistry.getLicence", () => client.datasets.getLicence(licenceId));
  const [terms] = await readView(client, "DatasetRegistry.getTerms", () => client.datasets.getTerms(licence.termsId));
  await requireRefundable(client, terms.datasetId);
  const due = await readView(client, "DatasetRegistry.refundDue", () => client.datasets.refundDue(licenceId));
  if (parameters.maxAmount !== undefined && due > parseUint(parameters.maxAmount, "maxAmount")) {
    throw new InvalidInputError("maxAmount", `the refund of licence ${licenceId} is ${due}, above maxAmount ${parameters.maxAmount}`, { hint: "Raise maxAmount if you accept to pay this refund." });
  }
  const currency = terms.currency;
  const approval =
    currency !== ZeroAddress && due > 0n
      ? await allowRegistryToPull(
          client,
          { currency, amount: due, purpose: "the refund", approve: parameters.approve ?? true },
          parameters,
        )
      : undefined;

  const value = currency === ZeroAddress ? due : 0n;
  const mined = await sendTransaction(
    client,
    "DatasetRegistry.refundLicence",
    (owner, overrides) => client.datasets.connect(owner).refundLicence(licenceId, { ...overrides, value }),
    afterApproval(parameters, approval),
  );
  const refunded = eventOf(mined.receipt, client.datasets, "LicenceRefunded");
  return {
    licenceId: refunded.licenceId,
    datasetId: refunded.datasetId,
    licensee: refunded.licensee,
    currency: refunded.currency,
    amount: refunded.amount,
    surplus: refunded.surplus,
    approval,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}

/** Refuses, with the registry's own errors, a refund the registry would refuse: before any approval is sent. */
async function requireRefundable(client: PedigreeClient, datasetId: bigint): Promise<void> {
  const account = await client.account();
  const [owner, dataset] = await readView(client, "DatasetRegistry.getDataset", () =>
    Promise.all([client.datasets.ownerOf(datasetId), client.datasets.getDataset(datasetId)]),
  );
  const operator = account === owner || (await readView(client, "DatasetRegistry.isApprovedForAll", () => client.datasets.isApprovedForAll(owner, account)));
  if (!operator) throw registryError("NotDatasetOwner", [datasetId, account]);
  if (!dataset.consentRevoked) throw registryError("ConsentNotRevoked", [datasetId]);
}
