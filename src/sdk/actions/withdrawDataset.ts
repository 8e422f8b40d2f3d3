import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface WithdrawDatasetParameters extends TransactionOptions {
  /** The dataset; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  datasetId: IdInput;
  /** Why, recorded in the DatasetWithdrawn event (e.g. "superseded by a cleaner release"). */
  reason: string;
}

export interface WithdrawDatasetResult extends TransactionResult {
  datasetId: bigint;
  /** Who withdrew it. */
  by: string;
}

/**
 * Withdraws a dataset for good: its history stays, new versions, terms and licences are refused; licences already
 * sold keep every right they were sold (to void them, revoke consent and refund them: {@link revokeConsent}).
 *
 * @example
 * await withdrawDataset(client, { datasetId: 1n, reason: "superseded by a cleaner release" });
 */
export async function withdrawDataset(
  client: PedigreeClient,
  parameters: WithdrawDatasetParameters,
): Promise<WithdrawDatasetResult> {
  const datasetId = parseId(parameters.datasetId, "datasetId");
  const reason = toText(parameters.reason, "reason");
  const mined = await sendTransaction(
    client,
    "DatasetRegistry.withdrawDataset",
    (signer, overrides) => client.datasets.connect(signer).withdrawDataset(datasetId, reason, overrides),
    parameters,
  );
  const withdrawn = eventOf(mined.receipt, client.datasets, "DatasetWithdrawn");
  return { datasetId: withdrawn.datasetId, by: withdrawn.by, hash: mined.hash, blockNumber: mined.blockNumber };
}
