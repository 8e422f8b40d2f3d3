import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RollbackParameters extends TransactionOptions {
  /** The model; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  modelId: IdInput;
  /** The environment to roll back. */
  environment: string;
  /** Why, recorded in the RolledBack event. */
  reason: string;
}

export interface RollbackResult extends TransactionResult {
  modelId: bigint;
  environment: string;
  /** The deployment that was live. */
  fromDeploymentId: bigint;
  fromVersionId: bigint;
  /** The deployment live now (0 = nothing: there was nothing before). */
  liveDeploymentId: bigint;
  /** The version live now (0 = none). */
  liveVersionId: bigint;
}

/**
 * Rolls an environment back to what was live before its current deployment (which must still be releasable).
 *
 * @example
 * const { liveVersionId } = await rollback(client, { modelId: 1n, environment: "production", reason: "bias regression" });
 */
export async function rollback(client: PedigreeClient, parameters: RollbackParameters): Promise<RollbackResult> {
  const modelId = parseId(parameters.modelId, "modelId");
  const environment = toText(parameters.environment, "environment");
  const reason = toText(parameters.reason, "reason", { allowEmpty: true });
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.rollback",
    (signer, overrides) => client.releases.connect(signer).rollback(modelId, environment, reason, overrides),
    parameters,
  );
  const rolled = eventOf(mined.receipt, client.releases, "RolledBack");
  return {
    modelId: rolled.modelId,
    environment: rolled.environment,
    fromDeploymentId: rolled.fromDeploymentId,
    fromVersionId: rolled.fromVersionId,
    liveDeploymentId: rolled.toDeploymentId,
    liveVersionId: rolled.toVersionId,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
