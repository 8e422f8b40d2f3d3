import type { PedigreeClient } from "../client.ts";
import {
  RELEASE_APPROVAL_KIND,
  REQUIRE_DECLARED_DATA,
  bitmapToKinds,
  kindName,
  kindsToBitmap,
  type AttestationKindInput,
} from "../../core/constants.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface SetReleasePolicyParameters extends TransactionOptions {
  /** The model; the signer must own it or operate all its owner's tokens (setApprovalForAll). */
  modelId: IdInput;
  /** The attestation kinds a release requires, by name or number; must include `release-approval`. */
  kinds: AttestationKindInput[];
  /**
   * Approve only versions whose training run, and every ancestor's, names registered training data (default false):
   * a version trained on undeclared data, or fine-tuned from one, cannot pass the gate.
   */
  requireDeclaredData?: boolean;
}

export interface SetReleasePolicyResult extends TransactionResult {
  modelId: bigint;
  /** The policy bitmap (bit k = kind k; bit 0 = declared training data required). */
  requiredKinds: bigint;
  /** The kinds required, by number. */
  kinds: number[];
  /** Whether declared training data is required. */
  requireDeclaredData: boolean;
}

/**
 * Sets the attestation kinds a release of a model requires, and whether its training data must be declared. Affects
 * later approvals only.
 *
 * @example
 * await setReleasePolicy(client, {
 *   modelId: 1n, kinds: ["safety-evaluation", "bias-check", "release-approval"], requireDeclaredData: true,
 * });
 */
export async function setReleasePolicy(
  client: PedigreeClient,
  parameters: SetReleasePolicyParameters,
): Promise<SetReleasePolicyResult> {
  const modelId = parseId(parameters.modelId, "modelId");
  if (!Array.isArray(parameters.kinds) || parameters.kinds.length === 0) {
    throw new InvalidInputError("kinds", "kinds must list at least release-approval");
  }
  const requireDeclaredData = parameters.requireDeclaredData ?? false;
  if (typeof requireDeclaredData !== "boolean") {
    throw new InvalidInputError("requireDeclaredData", "requireDeclaredData must be true or false");
  }
  const kindBits = kindsToBitmap(parameters.kinds);
  if (((kindBits >> BigInt(RELEASE_APPROVAL_KIND)) & 1n) === 0n) {
    throw new InvalidInputError("kinds", `a release policy must include release-approval; got ${bitmapToKinds(kindBits).map((kind) => kindName(kind)).join(", ")}`, { hint: "Add release-approval to the kinds." });
  }
  const requiredKinds = requireDeclaredData ? kindBits | REQUIRE_DECLARED_DATA : kindBits;
  const mined = await sendTransaction(
    client,
    "ModelRegistry.setReleasePolicy",
    (signer, overrides) => client.models.connect(signer).setReleasePolicy(modelId, requiredKinds, overrides),
    parameters,
  );
  const set = eventOf(mined.receipt, client.models, "ReleasePolicySet");
  return {
    modelId: set.modelId,
    requiredKinds: set.requiredKinds,
    kinds: bitmapToKinds(set.requiredKinds),
    requireDeclaredData: (set.requiredKinds & REQUIRE_DECLARED_DATA) !== 0n,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
