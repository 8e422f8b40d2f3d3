import { ZeroHash } from "ethers";
import type { PedigreeClient } from "../client.ts";
import type { InheritedTerritories } from "../inputs.ts";
import { readView } from "../internal/transactions.ts";
import { parseId, parseUint } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";

export interface DatasetVersionsParameters {
  datasetId: IdInput;
  /** First block to read from (the registry's deployment block, when known); block 0 when omitted. */
  fromBlock?: number;
}

/** One published version of a dataset, as its DatasetVersionPublished event records it. */
export interface DatasetVersionRecord {
  versionId: bigint;
  /** Its 1-based number within the dataset. */
  number: number;
  fingerprint: string;
  manifestRoot: string;
  metadataHash: string;
  uri: string;
  /** The versions it derives from, each with the licence it was used under (0n: the owner's own data). */
  parents: { versionId: bigint; licenceId: bigint }[];
  transformationHash: string;
  publisher: string;
  /** Regions the data comes from, as a mask; 0n when undeclared. */
  origin: bigint;
  /** The data-handling policy declared for it; undefined when none was. */
  handlingPolicy?: { hash: string; uri: string };
  /** The territories it inherits from its parents' licences (both WORLDWIDE when nothing restricts it). */
  inheritedTerritories: InheritedTerritories;
  blockNumber: number;
  hash: string;
}

/**
 * Every version of a dataset with its data-handling context and inherited territories, oldest first, read from the
 * registry's events (the context is evidence the registry emits and does not store). Empty for an unknown dataset.
 *
 * @example
 * const versions = await datasetVersions(client, { datasetId: 1n });
 * describeRegions(versions[0].origin); // "EU"
 */
export async function datasetVersions(client: PedigreeClient, parameters: DatasetVersionsParameters): Promise<DatasetVersionRecord[]> {
  const datasetId = parseId(parameters.datasetId, "datasetId");
  const fromBlock = Number(parseUint(parameters.fromBlock ?? 0, "fromBlock", 53));
  const filter = client.datasets.filters.DatasetVersionPublished(undefined, datasetId);
  const events = await readView(client, "DatasetRegistry.DatasetVersionPublished", () => client.datasets.queryFilter(filter, fromBlock));
  return events.map(({ args, blockNumber, transactionHash }) => ({
    versionId: args.versionId,
    number: Number(args.number),
    fingerprint: args.fingerprint,
    manifestRoot: args.manifestRoot,
    metadataHash: args.metadataHash,
    uri: args.uri,
    parents: args.parentVersionIds.map((versionId, i) => ({ versionId, licenceId: args.parentLicenceIds[i]! })),
    transformationHash: args.transformationHash,
    publisher: args.publisher,
    origin: args.originRegions,
    handlingPolicy: args.handlingPolicyHash === ZeroHash ? undefined : { hash: args.handlingPolicyHash, uri: args.handlingPolicyURI },
    inheritedTerritories: { training: args.inheritedTrainingTerritories, deployment: args.inheritedDeploymentTerritories },
    blockNumber,
    hash: transactionHash,
  }));
}
