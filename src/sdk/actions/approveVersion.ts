import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId, parseIds } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

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
  const versionId = parseId(parameters.versionId, "versionId");
  if (!Array.isArray(parameters.attestationIds)) {
    throw new InvalidInputError("attestationIds", "attestationIds must be a list of attestation ids");
  }
  const attestationIds = parseIds(parameters.attestationIds, "attestationIds");
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
