import { ZeroHash } from "ethers";
import type { PedigreeClient } from "../client.ts";
import {
  toDatasetVersion,
  toParents,
  type DatasetParentInput,
  type DatasetVersionInput,
  type InheritedTerritories,
} from "../inputs.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface PublishDatasetVersionParameters extends TransactionOptions {
  /** The dataset to add a version to; the signer must own it or operate all its owner's tokens. */
  datasetId: IdInput;
  /** The new version's content. */
  version: DatasetVersionInput;
  /**
   * Dataset versions it derives from (typically the previous version of this dataset): the owner's own (a bare id), or
   * another owner's with the dataset owner's licence that allows derivatives (`{ versionId, licenceId }`). At most 32.
   */
  parents?: DatasetParentInput[];
  /** Hash of the transformation that produced it from its parents (zero when omitted). */
  transformationHash?: string;
}

export interface PublishDatasetVersionResult extends TransactionResult {
  /** The new version's id (registry-wide). */
  versionId: bigint;
  datasetId: bigint;
  /** Its 1-based number within the dataset. */
  number: number;
  /** The territories it inherits from its parents' licences and their own inherited ones (both WORLDWIDE when none). */
  inheritedTerritories: InheritedTerritories;
}

/**
 * Publishes a new immutable version of a dataset.
 *
 * @example
 * const { versionId, number } = await publishDatasetVersion(client, {
 *   datasetId: 1n,
 *   version: { fingerprint: "0x…", uri: "ipfs://bafy…v2", origin: ["DE", "AT"], handlingPolicy: { hash: "0x…", uri: "https://…/pii.md" } },
 *   parents: [1n],
 *   transformationHash: id("dedupe + pii-scrub v3"),
 * });
 */
export async function publishDatasetVersion(
  client: PedigreeClient,
  parameters: PublishDatasetVersionParameters,
): Promise<PublishDatasetVersionResult> {
  const datasetId = parseId(parameters.datasetId, "datasetId");
  const version = await toDatasetVersion(parameters.version);
  const { parentVersionIds, parentLicenceIds } = toParents(parameters.parents);
  const transformationHash = parseBytes32(parameters.transformationHash ?? ZeroHash, "transformationHash");
  const mined = await sendTransaction(
    client,
    "DatasetRegistry.publishVersion",
    (signer, overrides) =>
      client.datasets
        .connect(signer)
        .publishVersion(datasetId, version, parentVersionIds, parentLicenceIds, transformationHash, overrides),
    parameters,
  );
  const published = eventOf(mined.receipt, client.datasets, "DatasetVersionPublished");
  return {
    versionId: published.versionId,
    datasetId: published.datasetId,
    number: Number(published.number),
    inheritedTerritories: { training: published.inheritedTrainingTerritories, deployment: published.inheritedDeploymentTerritories },
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
