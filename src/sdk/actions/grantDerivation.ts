import { ZeroAddress } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseAddress } from "../../core/hex.ts";
import { parseId } from "../../core/ids.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface GrantDerivationParameters extends TransactionOptions {
  /** The model whose versions may be fine-tuned; the signer must own it or operate all its owner's tokens. */
  modelId: IdInput;
  /** Who may fine-tune them: an address, or `"anyone"`. */
  grantee: string;
  /** `false` to take the grant back (versions already fine-tuned stay). Default true. */
  allowed?: boolean;
}

export interface GrantDerivationResult extends TransactionResult {
  modelId: bigint;
  /** The grantee; the zero address stands for anyone. */
  grantee: string;
  allowed: boolean;
  grantedBy: string;
}

/**
 * Lets another owner's models fine-tune this model's versions (or stops it). Without a grant, only the model's own
 * owner may publish versions whose parent is one of its versions.
 *
 * @example
 * await grantDerivation(client, { modelId: 1n, grantee: partner });
 * await grantDerivation(client, { modelId: 1n, grantee: "anyone" }); // an open-weights model
 * await grantDerivation(client, { modelId: 1n, grantee: partner, allowed: false });
 */
export async function grantDerivation(
  client: PedigreeClient,
  parameters: GrantDerivationParameters,
): Promise<GrantDerivationResult> {
  const modelId = parseId(parameters.modelId, "modelId");
  const grantee =
    typeof parameters.grantee === "string" && parameters.grantee.trim().toLowerCase() === "anyone"
      ? ZeroAddress
      : parseAddress(parameters.grantee, "grantee", { nonZero: true });
  const allowed = parameters.allowed ?? true;
  if (typeof allowed !== "boolean") throw new InvalidInputError("allowed", "allowed must be true or false");
  const mined = await sendTransaction(
    client,
    "ModelRegistry.grantDerivation",
    (signer, overrides) => client.models.connect(signer).grantDerivation(modelId, grantee, allowed, overrides),
    parameters,
  );
  const granted = eventOf(mined.receipt, client.models, "DerivationGranted");
  return {
    modelId: granted.modelId,
    grantee: granted.grantee,
    allowed: granted.allowed,
    grantedBy: granted.grantedBy,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
