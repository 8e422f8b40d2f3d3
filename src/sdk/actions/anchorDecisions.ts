import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId, parseUint } from "../../core/ids.ts";
import { toText, toTimestamp } from "../internal/validate.ts";
import { toRequiredRegionSet, type RegionSetInput } from "../inputs.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TimestampInput, TransactionOptions, TransactionResult } from "../types.ts";

export interface AnchorDecisionsParameters extends TransactionOptions {
  /** The model version that made the decisions. */
  versionId: IdInput;
  /** Merkle root of the batch (OpenZeppelin StandardMerkleTree over one bytes32 record hash per leaf). */
  root: string;
  /** How many decision records the batch holds. */
  count: IdInput;
  /** When the first decision of the batch was made. */
  windowStart: TimestampInput;
  /** When the last one was made. */
  windowEnd: TimestampInput;
  /**
   * Where the decisions were made: codes and groups ("EU", "DE,FR") or a bit mask. Recorded as evidence; the registry
   * does not refuse a batch made outside the version's deployment territory.
   */
  regions: RegionSetInput;
  /** Where the batch's records live. */
  uri: string;
}

export interface AnchorDecisionsResult extends TransactionResult {
  root: string;
  versionId: bigint;
  modelId: bigint;
  count: bigint;
  /** The regions recorded (a bit mask). */
  regions: bigint;
}

/**
 * Anchors the Merkle root of a batch of decision records produced by a model version.
 *
 * @example
 * const tree = StandardMerkleTree.of(recordHashes.map((hash) => [hash]), ["bytes32"]);
 * await anchorDecisions(client, {
 *   versionId: 1n, root: tree.root, count: recordHashes.length,
 *   windowStart: new Date("2026-01-03T00:00:00Z"), windowEnd: new Date("2026-01-03T23:59:59Z"),
 *   regions: "DE,AT", uri: "s3://decisions/2026-01-03.jsonl",
 * });
 */
export async function anchorDecisions(
  client: PedigreeClient,
  parameters: AnchorDecisionsParameters,
): Promise<AnchorDecisionsResult> {
  const versionId = parseId(parameters.versionId, "versionId");
  const root = parseBytes32(parameters.root, "root", { nonZero: true });
  const count = parseUint(parameters.count, "count", 64);
  if (count === 0n) throw new InvalidInputError("count", "count must be at least 1");
  const windowStart = toTimestamp(parameters.windowStart, "windowStart");
  const windowEnd = toTimestamp(parameters.windowEnd, "windowEnd");
  if (windowEnd < windowStart) {
    throw new InvalidInputError("windowEnd", `the window ends (${windowEnd}) before it starts (${windowStart})`);
  }
  const regions = toRequiredRegionSet(parameters.regions, "regions", "where the decisions were made");
  const uri = toText(parameters.uri, "uri", { allowEmpty: true });
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.anchorDecisions",
    (signer, overrides) =>
      client.releases.connect(signer).anchorDecisions(versionId, root, count, windowStart, windowEnd, regions, uri, overrides),
    parameters,
  );
  const anchored = eventOf(mined.receipt, client.releases, "DecisionBatchAnchored");
  return {
    root: anchored.root,
    versionId: anchored.versionId,
    modelId: anchored.modelId,
    count: anchored.count,
    regions: anchored.regions,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
