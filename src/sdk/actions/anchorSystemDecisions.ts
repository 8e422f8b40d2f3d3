import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { toDecisionBatch, type DecisionBatchInput } from "../internal/decisionBatch.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface AnchorSystemDecisionsParameters extends DecisionBatchInput, TransactionOptions {
  /** The approved system version that made the decisions. */
  systemId: IdInput;
}

export interface AnchorSystemDecisionsResult extends TransactionResult {
  root: string;
  /** The model version the batch is anchored for: `verifyDecision` checks records against it. */
  versionId: bigint;
  modelId: bigint;
  systemId: bigint;
  /** The governance policy the decisions were produced under: the system's policy digest. */
  policyHash: string;
  count: bigint;
  /** The regions recorded (a bit mask). */
  regions: bigint;
}

/**
 * Anchors the Merkle root of a batch of decision records produced by a system version. The batch is anchored for its
 * model version (verify records with `verifyDecision` and that version); the event names the system version and the
 * policy digest it ran under.
 *
 * @example
 * await anchorSystemDecisions(client, {
 *   systemId: 3n, root: tree.root, count: recordHashes.length,
 *   windowStart: new Date("2026-01-03T00:00:00Z"), windowEnd: new Date("2026-01-03T23:59:59Z"),
 *   regions: "DE,AT", uri: "s3://decisions/2026-01-03.jsonl",
 * });
 */
export async function anchorSystemDecisions(
  client: PedigreeClient,
  parameters: AnchorSystemDecisionsParameters,
): Promise<AnchorSystemDecisionsResult> {
  const systemId = parseId(parameters.systemId, "systemId");
  const { root, count, windowStart, windowEnd, regions, uri } = toDecisionBatch(parameters);
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.anchorSystemDecisions",
    (signer, overrides) =>
      client.releases.connect(signer).anchorSystemDecisions(systemId, root, count, windowStart, windowEnd, regions, uri, overrides),
    parameters,
  );
  const anchored = eventOf(mined.receipt, client.releases, "DecisionBatchAnchored");
  return {
    root: anchored.root,
    versionId: anchored.versionId,
    modelId: anchored.modelId,
    systemId: anchored.systemId,
    policyHash: anchored.policyHash,
    count: anchored.count,
    regions: anchored.regions,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
