import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { readView } from "../internal/transactions.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";

export interface VerifyDecisionParameters {
  /**
   * The model version that anchored the batch. A root is anchored per version: the same root anchored by another
   * version is another batch, so the answer is about this version only.
   */
  versionId: IdInput;
  /** The anchored batch's Merkle root. */
  root: string;
  /** The decision record's hash (the tree's leaf value). */
  recordHash: string;
  /** Its Merkle proof. */
  proof: string[];
}

export interface VerifyDecisionResult {
  /** Whether the record is in the batch the version anchored as `root`. */
  included: boolean;
}

/**
 * Checks on-chain that a decision record is in a batch a model version anchored. Throws `UnknownBatch` when that
 * version never anchored the root.
 *
 * @example
 * const { included } = await verifyDecision(client, {
 *   versionId: 1n, root: tree.root, recordHash, proof: tree.getProof([recordHash]),
 * });
 */
export async function verifyDecision(
  client: PedigreeClient,
  parameters: VerifyDecisionParameters,
): Promise<VerifyDecisionResult> {
  const versionId = parseId(parameters.versionId, "versionId");
  const root = parseBytes32(parameters.root, "root");
  const recordHash = parseBytes32(parameters.recordHash, "recordHash");
  if (!Array.isArray(parameters.proof)) throw new InvalidInputError("proof", "proof must be a list of hashes");
  const proof = parameters.proof.map((node, index) => parseBytes32(node, `proof[${index}]`));
  const included = await readView(client, "ReleaseRegistry.verifyDecision", () =>
    client.releases.verifyDecision(versionId, root, recordHash, proof),
  );
  return { included };
}
