import { ZeroHash } from "ethers";
import type { PedigreeClient } from "../client.ts";
import {
  toDatasetVersion,
  toLicenceTerms,
  toParents,
  type DatasetParentInput,
  type DatasetVersionInput,
  type InheritedTerritories,
  type LicenceTermsInput,
} from "../inputs.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RegisterDatasetParameters extends TransactionOptions {
  /** The first version's content. */
  version: DatasetVersionInput;
  /**
   * Dataset versions this one derives from: the signer's own (a bare id), or another owner's with the signer's licence
   * that allows derivatives (`{ versionId, licenceId }`). At most 32.
   */
  parents?: DatasetParentInput[];
  /** Hash of the transformation that produced it from its parents (zero when omitted). */
  transformationHash?: string;
  /** Licence terms to set in the same transaction. */
  terms?: LicenceTermsInput;
}

export interface RegisterDatasetResult extends TransactionResult {
  /** The new dataset (also its ERC-721 token id). */
  datasetId: bigint;
  /** Its first version. */
  versionId: bigint;
  /** The terms set with it, when `terms` was given. */
  termsId?: bigint;
  /** The account that owns it. */
  owner: string;
  /**
   * The territories the first version inherits from the licences its parents were used under (and their own inherited
   * ones): every licence of it is held to them on top of its terms. Both WORLDWIDE when nothing restricts it.
   */
  inheritedTerritories: InheritedTerritories;
}

/**
 * Registers a dataset owned by the signer, with its first version and, optionally, its licence terms (one
 * transaction). Terms and splits are validated before anything is sent.
 *
 * @example
 * const { datasetId, versionId, termsId } = await registerDataset(client, {
 *   version: {
 *     fingerprint: "0x…", manifestRoot: "0x…", uri: "ipfs://bafy…",
 *     origin: "EU", handlingPolicy: { file: "./gdpr-special-category.pdf", uri: "ipfs://bafy…policy" },
 *   },
 *   parents: [{ versionId: 3n, licenceId: 5n }], // derived from someone else's data, under licence 5
 *   terms: {
 *     price: parseEther("0.5"), duration: 365 * 86_400, commercialUse: true, derivativesAllowed: true,
 *     documentURI: "spdx:CC-BY-4.0", splits: [{ recipient: creator, bps: 8_000 }, { recipient: curator, bps: 2_000 }],
 *     territories: { training: "EEA", deployment: ["EU", "CH"] }, // worldwide when omitted
 *   },
 * });
 */
export async function registerDataset(
  client: PedigreeClient,
  parameters: RegisterDatasetParameters,
): Promise<RegisterDatasetResult> {
  const version = await toDatasetVersion(parameters.version);
  const { parentVersionIds, parentLicenceIds } = toParents(parameters.parents);
  const transformationHash = parseBytes32(parameters.transformationHash ?? ZeroHash, "transformationHash");
  const terms = parameters.terms === undefined ? undefined : toLicenceTerms(parameters.terms);

  const mined = await sendTransaction(
    client,
    terms ? "DatasetRegistry.registerDatasetWithTerms" : "DatasetRegistry.registerDataset",
    (signer, overrides) => {
      const datasets = client.datasets.connect(signer);
      return terms
        ? datasets.registerDatasetWithTerms(version, parentVersionIds, parentLicenceIds, transformationHash, terms, overrides)
        : datasets.registerDataset(version, parentVersionIds, parentLicenceIds, transformationHash, overrides);
    },
    parameters,
  );
  const registered = eventOf(mined.receipt, client.datasets, "DatasetRegistered");
  const published = eventOf(mined.receipt, client.datasets, "DatasetVersionPublished");
  const termsSet = terms ? eventOf(mined.receipt, client.datasets, "TermsSet") : undefined;
  return {
    datasetId: registered.datasetId,
    versionId: published.versionId,
    termsId: termsSet?.termsId,
    owner: registered.owner,
    inheritedTerritories: { training: published.inheritedTrainingTerritories, deployment: published.inheritedDeploymentTerritories },
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
