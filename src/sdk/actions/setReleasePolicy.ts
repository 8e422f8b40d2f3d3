import type { PedigreeClient } from "../client.js";
import { RELEASE_APPROVAL_KIND, bitmapToKinds, kindName, kindsToBitmap, type AttestationKindInput } from "../constants.js";
import { PedigreeValidationError } from "../errors.js";
import { eventOf, sendTransaction } from "../internal/transactions.js";
import { toId } from "../internal/validate.js";
import type { IdInput, TransactionOptions, TransactionResult } from "../types.js";

export interface SetReleasePolicyParameters extends TransactionOptions {
  /** The model; the signer must own it or be approved for it. */
  modelId: IdInput;
  /** The attestation kinds a release requires, by name or number; must include `release-approval`. */
  kinds: AttestationKindInput[];
}

export interface SetReleasePolicyResult extends TransactionResult {
  modelId: bigint;
  /** The policy bitmap (bit k = kind k). */
  requiredKinds: bigint;
  /** The kinds required, by number. */
  kinds: number[];
}

/**
 * Sets the attestation kinds a release of a model requires. Affects later approvals only.
 *
 * @example
 * await setReleasePolicy(client, { modelId: 1n, kinds: ["safety-evaluation", "bias-check", "release-approval"] });
 */
export async function setReleasePolicy(
  client: PedigreeClient,
  parameters: SetReleasePolicyParameters,
): Promise<SetReleasePolicyResult> {
  const modelId = toId(parameters.modelId, "modelId");
  if (!Array.isArray(parameters.kinds) || parameters.kinds.length === 0) {
    throw new PedigreeValidationError("kinds must list at least release-approval", { field: "kinds" });
  }
  const requiredKinds = kindsToBitmap(parameters.kinds);
  if (((requiredKinds >> BigInt(RELEASE_APPROVAL_KIND)) & 1n) === 0n) {
    throw new PedigreeValidationError(
      `a release policy must include release-approval; got ${bitmapToKinds(requiredKinds).map((kind) => kindName(kind)).join(", ")}`,
      { field: "kinds", hint: "Add release-approval to the kinds." },
    );
  }
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
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
