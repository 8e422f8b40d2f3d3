import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { toDecisionBatch, type DecisionBatchInput } from "../internal/decisionBatch.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface AnchorDecisionsParameters extends DecisionBatchInput, TransactionOptions {
  /** The model version that made the decisions. */
  versionId: IdInput;
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
  const { root, count, windowStart, windowEnd, regions, uri } = toDecisionBatch(parameters);
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
