import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface TakeDownParameters extends TransactionOptions {
  /** The model; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  modelId: IdInput;
  /** The environment to empty. */
  environment: string;
  /** Why, recorded in the RolledBack event. */
  reason: string;
}

export interface TakeDownResult extends TransactionResult {
  modelId: bigint;
  environment: string;
  /** The deployment that was live. */
  fromDeploymentId: bigint;
  fromVersionId: bigint;
}

/**
 * Takes whatever is live in an environment down, leaving nothing live there.
 *
 * @example
 * await takeDown(client, { modelId: 1n, environment: "production", reason: "training data consent revoked" });
 */
export async function takeDown(client: PedigreeClient, parameters: TakeDownParameters): Promise<TakeDownResult> {
  const modelId = parseId(parameters.modelId, "modelId");
  const environment = toText(parameters.environment, "environment");
  const reason = toText(parameters.reason, "reason", { allowEmpty: true });
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.takeDown",
    (signer, overrides) => client.releases.connect(signer).takeDown(modelId, environment, reason, overrides),
    parameters,
  );
  const rolled = eventOf(mined.receipt, client.releases, "RolledBack");
  return {
    modelId: rolled.modelId,
    environment: rolled.environment,
    fromDeploymentId: rolled.fromDeploymentId,
    fromVersionId: rolled.fromVersionId,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
