import type { PedigreeClient } from "../client.js";
import { PedigreeValidationError } from "../errors.js";
import { readView } from "../internal/transactions.js";
import { toBytes32 } from "../internal/validate.js";

export interface VerifyDecisionParameters {
  /** The anchored batch's Merkle root. */
  root: string;
  /** The decision record's hash (the tree's leaf value). */
  recordHash: string;
  /** Its Merkle proof. */
  proof: string[];
}

export interface VerifyDecisionResult {
  /** Whether the record is in the batch. */
  included: boolean;
  /** The model version that produced the batch. */
  versionId: bigint;
}

/**
 * Checks on-chain that a decision record is in an anchored batch, and which model version produced it.
 *
 * @example
 * const { included, versionId } = await verifyDecision(client, { root: tree.root, recordHash, proof: tree.getProof([recordHash]) });
 */
export async function verifyDecision(
  client: PedigreeClient,
  parameters: VerifyDecisionParameters,
): Promise<VerifyDecisionResult> {
  const root = toBytes32(parameters.root, "root");
  const recordHash = toBytes32(parameters.recordHash, "recordHash");
  if (!Array.isArray(parameters.proof)) throw new PedigreeValidationError("proof must be a list of hashes", { field: "proof" });
  const proof = parameters.proof.map((node, index) => toBytes32(node, `proof[${index}]`));
  const [included, versionId] = await readView(client, "ReleaseRegistry.verifyDecision", () =>
    client.releases.verifyDecision(root, recordHash, proof),
  );
  return { included, versionId };
}
