import type { PedigreeClient } from "../client.ts";
import { readView } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";

export interface LiveVersionParameters {
  modelId: IdInput;
  environment: string;
}

/**
 * The model version live in an environment, or null when nothing is live there.
 *
 * @example
 * const versionId = await liveVersion(client, { modelId: 1n, environment: "production" }); // 2n, or null
 */
export async function liveVersion(client: PedigreeClient, parameters: LiveVersionParameters): Promise<bigint | null> {
  const modelId = parseId(parameters.modelId, "modelId");
  const environment = toText(parameters.environment, "environment");
  const versionId = await readView(client, "ReleaseRegistry.liveVersion", () =>
    client.releases.liveVersion(modelId, environment),
  );
  return versionId === 0n ? null : versionId;
}
