import type { PedigreeClient } from "../client.ts";
import { eventOf, eventsOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RevokeConsentParameters extends TransactionOptions {
  /** The dataset; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  datasetId: IdInput;
  /** Why, recorded in the ConsentRevoked event (e.g. "data subjects withdrew consent, ticket #42"). */
  reason: string;
}

export interface RevokeConsentResult extends TransactionResult {
  datasetId: bigint;
  /** Who revoked it. */
  by: string;
  /** Whether this also withdrew the dataset (false when it was withdrawn before). */
  withdrawn: boolean;
}

/**
 * Records that consent to use a dataset is revoked, and withdraws it. Its licences stay valid until the owner voids
 * each one with {@link refundLicence}, paying back its unused part: a licence is never taken without a refund.
 *
 * @example
 * await revokeConsent(client, { datasetId: 2n, reason: "patients withdrew consent" });
 * await refundLicence(client, { licenceId: 5n });
 */
export async function revokeConsent(
  client: PedigreeClient,
  parameters: RevokeConsentParameters,
): Promise<RevokeConsentResult> {
  const datasetId = parseId(parameters.datasetId, "datasetId");
  const reason = toText(parameters.reason, "reason");
  const mined = await sendTransaction(
    client,
    "DatasetRegistry.revokeConsent",
    (signer, overrides) => client.datasets.connect(signer).revokeConsent(datasetId, reason, overrides),
    parameters,
  );
  const revoked = eventOf(mined.receipt, client.datasets, "ConsentRevoked");
  return {
    datasetId: revoked.datasetId,
    by: revoked.by,
    withdrawn: eventsOf(mined.receipt, client.datasets, "DatasetWithdrawn").length > 0,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
