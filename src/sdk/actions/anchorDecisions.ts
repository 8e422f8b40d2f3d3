import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId, parseUint } from "../../core/ids.ts";
import { toText, toTimestamp } from "../internal/validate.ts";
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
  /** Where the batch's records live. */
  uri: string;
}

export interface AnchorDecisionsResult extends TransactionResult {
  root: string;
  versionId: bigint;
  modelId: bigint;
  count: bigint;
}

/**
 * Anchors the Merkle root of a batch of decision records produced by a model version.
 *
 * @example
 * const tree = StandardMerkleTree.of(recordHashes.map((hash) => [hash]), ["bytes32"]);
 * await anchorDecisions(client, {
 *   versionId: 1n, root: tree.root, count: recordHashes.length,
 *   windowStart: new Date("2026-01-03T00:00:00Z"), windowEnd: new Date("2026-01-03T23:59:59Z"),
 *   uri: "s3://decisions/2026-01-03.jsonl",
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
  const uri = toText(parameters.uri, "uri", { allowEmpty: true });
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.anchorDecisions",
    (signer, overrides) =>
      client.releases.connect(signer).anchorDecisions(versionId, root, count, windowStart, windowEnd, uri, overrides),
    parameters,
  );
  const anchored = eventOf(mined.receipt, client.releases, "DecisionBatchAnchored");
  return {
    root: anchored.root,
    versionId: anchored.versionId,
    modelId: anchored.modelId,
    count: anchored.count,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
