import type { PedigreeClient } from "../client.ts";
import { bitmapToKinds } from "../../core/constants.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { hashOrZero, toText } from "../internal/validate.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RegisterModelParameters extends TransactionOptions {
  /** Whether its versions are used commercially; their training licences must then allow commercial use. */
  commercial: boolean;
  /** Hash of the model card (zero when omitted). */
  metadataHash?: string;
  /** Where the model card lives. */
  uri: string;
}

export interface RegisterModelResult extends TransactionResult {
  /** The new model (also its ERC-721 token id). */
  modelId: bigint;
  owner: string;
  /** The attestation kinds its release policy starts with (release-approval, 6). */
  releasePolicy: number[];
}

/**
 * Registers a model owned by the signer; its release policy starts as "release-approval".
 *
 * @example
 * const { modelId } = await registerModel(client, { commercial: true, metadataHash: id("model card"), uri: "ipfs://…" });
 */
export async function registerModel(
  client: PedigreeClient,
  parameters: RegisterModelParameters,
): Promise<RegisterModelResult> {
  if (typeof parameters.commercial !== "boolean") {
    throw new InvalidInputError("commercial", "commercial must be true or false");
  }
  const metadataHash = hashOrZero(parameters.metadataHash, "metadataHash");
  const uri = toText(parameters.uri, "uri");
  const mined = await sendTransaction(
    client,
    "ModelRegistry.registerModel",
    (signer, overrides) => client.models.connect(signer).registerModel(parameters.commercial, metadataHash, uri, overrides),
    parameters,
  );
  const registered = eventOf(mined.receipt, client.models, "ModelRegistered");
  const policy = eventOf(mined.receipt, client.models, "ReleasePolicySet");
  return {
    modelId: registered.modelId,
    owner: registered.owner,
    releasePolicy: bitmapToKinds(policy.requiredKinds),
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
