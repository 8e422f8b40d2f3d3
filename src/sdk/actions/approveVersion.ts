import type { PedigreeClient } from "../client.ts";
import { PedigreeValidationError } from "../errors.ts";
import { toIds } from "../inputs.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { toId } from "../internal/validate.ts";
import type { IdInput, TransactionOptions, TransactionResult } from "../types.ts";

export interface ApproveVersionParameters extends TransactionOptions {
  /** The model version to pass through its release gate. */
  versionId: IdInput;
  /** Attestations about this version that together cover every kind of its model's release policy. */
  attestationIds: IdInput[];
}

export interface ApproveVersionResult extends TransactionResult {
  versionId: bigint;
  modelId: bigint;
  /** The attestations that satisfied the gate. */
  attestationIds: bigint[];
}

/**
 * Passes a model version through its release gate with the attestations that satisfy its model's policy. Missing
 * kinds are named in the error (`RequiredAttestationsMissing: … lacks … safety-evaluation, bias-check`).
 *
 * @example
 * await approveVersion(client, { versionId: 1n, attestationIds: [safetyId, approvalId] });
 */
export async function approveVersion(
  client: PedigreeClient,
  parameters: ApproveVersionParameters,
): Promise<ApproveVersionResult> {
  const versionId = toId(parameters.versionId, "versionId");
  if (!Array.isArray(parameters.attestationIds)) {
    throw new PedigreeValidationError("attestationIds must be a list of attestation ids", { field: "attestationIds" });
  }
  const attestationIds = toIds(parameters.attestationIds, "attestationIds");
  const mined = await sendTransaction(
    client,
    "ModelRegistry.approveVersion",
    (signer, overrides) => client.models.connect(signer).approveVersion(versionId, attestationIds, overrides),
    parameters,
  );
  const approved = eventOf(mined.receipt, client.models, "VersionApproved");
  return {
    versionId: approved.versionId,
    modelId: approved.modelId,
    attestationIds: [...approved.attestationIds],
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
