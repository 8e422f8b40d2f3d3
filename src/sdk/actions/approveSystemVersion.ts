import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId, parseIds } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface ApproveSystemVersionParameters extends TransactionOptions {
  /** The system version to pass through its release gate. */
  systemId: IdInput;
  /** Attestations about this system version (subject type `system-version`) that together cover its model's policy. */
  attestationIds: IdInput[];
}

export interface ApproveSystemVersionResult extends TransactionResult {
  systemId: bigint;
  modelId: bigint;
  /** The attestations that satisfied the gate. */
  attestationIds: bigint[];
}

/**
 * Passes a system version through its own release gate, under its model's release policy: the attestations must be
 * about this system version (`AttestationNotForSubject` otherwise) and cover every kind the policy requires (missing
 * kinds are named: `RequiredAttestationsMissing: system version … lacks … safety-evaluation`). It is releasable once
 * its model version is too.
 *
 * @example
 * const { attestationId } = await attest(approver, { subjectType: "system-version", subjectId: 3n, kind: "release-approval" });
 * await approveSystemVersion(client, { systemId: 3n, attestationIds: [attestationId] });
 */
export async function approveSystemVersion(
  client: PedigreeClient,
  parameters: ApproveSystemVersionParameters,
): Promise<ApproveSystemVersionResult> {
  const systemId = parseId(parameters.systemId, "systemId");
  if (!Array.isArray(parameters.attestationIds)) {
    throw new InvalidInputError("attestationIds", "attestationIds must be a list of attestation ids");
  }
  const attestationIds = parseIds(parameters.attestationIds, "attestationIds");
  const mined = await sendTransaction(
    client,
    "SystemRegistry.approveSystemVersion",
    (signer, overrides) => client.systems.connect(signer).approveSystemVersion(systemId, attestationIds, overrides),
    parameters,
  );
  const approved = eventOf(mined.receipt, client.systems, "SystemVersionApproved");
  return {
    systemId: approved.systemId,
    modelId: approved.modelId,
    attestationIds: [...approved.attestationIds],
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
