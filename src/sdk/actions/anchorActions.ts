import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId, parseUint, type IdInput } from "../../core/ids.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { toText, toTimestamp } from "../internal/validate.ts";
import type { ActionBatchRequest } from "../signedActionBatch.ts";
import type { TimestampInput, TransactionOptions, TransactionResult } from "../types.ts";

/** A batch of action records: what `actionBatch` (src/core/actions.ts) builds, or the same values by hand. */
export interface ActionBatchInput {
  /** Merkle root over the record hashes (OpenZeppelin StandardMerkleTree of `bytes32` leaves). */
  root: string;
  count: IdInput;
  /** When the first action of the batch happened. */
  windowStart: TimestampInput;
  /** When the last one happened. */
  windowEnd: TimestampInput;
}

export interface AnchorActionsParameters extends TransactionOptions {
  agentId: IdInput;
  batch: ActionBatchInput;
  /** Where the batch's records live. */
  uri: string;
}

export interface AnchorActionsResult extends TransactionResult {
  agentId: bigint;
  root: string;
  /** The binding in force: the system version, model version and policy the batch was made under. */
  bindingId: bigint;
  count: bigint;
  signer: string;
  submitter: string;
}

/** Checks a batch before anything is sent: non-zero root, at least one record, an ordered window. */
export function toActionBatchRequest(agentId: IdInput, batch: ActionBatchInput, uri: string): ActionBatchRequest {
  const root = parseBytes32(batch.root, "batch.root", { nonZero: true });
  const count = parseUint(batch.count, "batch.count", 64);
  if (count === 0n) throw new InvalidInputError("batch.count", "batch.count must be at least 1");
  const windowStart = toTimestamp(batch.windowStart, "batch.windowStart");
  const windowEnd = toTimestamp(batch.windowEnd, "batch.windowEnd");
  if (windowEnd < windowStart) {
    throw new InvalidInputError("batch.windowEnd", `the window ends (${windowEnd}) before it starts (${windowStart})`);
  }
  return { agentId: parseId(agentId, "agentId"), count, windowStart, windowEnd, root, uri: toText(uri, "uri", { allowEmpty: true }) };
}

/**
 * Anchors the Merkle root of a batch of an agent's action records, sent by one of its operator wallets. The batch
 * keeps the binding in force now, whatever the agent is bound to later.
 *
 * @example
 * const batch = actionBatch(records);                       // src/core/actions.ts
 * const { bindingId } = await anchorActions(walletClient, { agentId: 1n, batch, uri: "s3://agent/actions/0001.json" });
 */
export async function anchorActions(client: PedigreeClient, parameters: AnchorActionsParameters): Promise<AnchorActionsResult> {
  const request = toActionBatchRequest(parameters.agentId, parameters.batch, parameters.uri);
  const mined = await sendTransaction(
    client,
    "AgentRegistry.anchorActions",
    (signer, overrides) =>
      client.agents
        .connect(signer)
        .anchorActions(request.agentId, request.root, request.count, request.windowStart, request.windowEnd, request.uri, overrides),
    parameters,
  );
  return anchoredIn(client, mined);
}

/** The `ActionsAnchored` event of a mined anchoring, as a result. */
export function anchoredIn(client: PedigreeClient, mined: Awaited<ReturnType<typeof sendTransaction>>): AnchorActionsResult {
  const anchored = eventOf(mined.receipt, client.agents, "ActionsAnchored");
  return {
    agentId: anchored.agentId,
    root: anchored.root,
    bindingId: anchored.bindingId,
    count: anchored.count,
    signer: anchored.signer,
    submitter: anchored.submitter,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
