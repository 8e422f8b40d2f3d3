import type { PedigreeClient } from "../client.ts";
import { toLicenceTerms, type LicenceTermsInput } from "../inputs.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface SetTermsParameters extends TransactionOptions {
  /** The dataset; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  datasetId: IdInput;
  /** The new terms. Splits are checked before sending: shares sum to 10 000 bps, no zero address. */
  terms: LicenceTermsInput;
}

export interface SetTermsResult extends TransactionResult {
  /** The new terms' id; licences acquired from now on are granted under them. */
  termsId: bigint;
  datasetId: bigint;
}

/**
 * Sets the terms new licences of a dataset are granted under; existing licences keep theirs. Invalid terms (bad
 * splits, a price above uint96, an unknown region, …) throw an InvalidInputError and nothing is sent.
 *
 * @example
 * const { termsId } = await setTerms(client, {
 *   datasetId: 1n,
 *   terms: {
 *     currency: usdc, price: 25_000_000n, duration: 30 * 86_400, commercialUse: true, derivativesAllowed: true,
 *     documentURI: "ipfs://bafy…licence", splits: [{ recipient: creator, bps: 10_000 }],
 *     territories: { training: "EEA", deployment: "EU,CH" }, // worldwide when omitted
 *   },
 * });
 */
export async function setTerms(client: PedigreeClient, parameters: SetTermsParameters): Promise<SetTermsResult> {
  const datasetId = parseId(parameters.datasetId, "datasetId");
  const terms = toLicenceTerms(parameters.terms);
  const mined = await sendTransaction(
    client,
    "DatasetRegistry.setTerms",
    (signer, overrides) => client.datasets.connect(signer).setTerms(datasetId, terms, overrides),
    parameters,
  );
  const set = eventOf(mined.receipt, client.datasets, "TermsSet");
  return { termsId: set.termsId, datasetId: set.datasetId, hash: mined.hash, blockNumber: mined.blockNumber };
}
