import type { PedigreeClient } from "../client.ts";
import { readView } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";

export interface VersionStatusParameters {
  versionId: IdInput;
  /** The environment `live` and `deploymentId` refer to. */
  environment: string;
}

/** Everything an agent checks before trusting a model version in an environment. */
export interface VersionStatus {
  exists: boolean;
  modelId: bigint;
  /** Passed its release gate. */
  approved: boolean;
  /** Approved and every approving attestation still valid. */
  releasable: boolean;
  /** The live version of its model in the environment. */
  live: boolean;
  /** The deployment live in the environment (0 = none). */
  deploymentId: bigint;
  /**
   * Live although an approving attestation was revoked or expired since: the version runs without the approval it
   * shipped with. Roll back or take it down.
   */
  liveButNotReleasable: boolean;
}

/**
 * The status of a model version in an environment, in one call.
 *
 * @example
 * const status = await versionStatus(client, { versionId: 1n, environment: "production" });
 * if (status.liveButNotReleasable) console.warn("live without a valid approval: roll back");
 */
export async function versionStatus(client: PedigreeClient, parameters: VersionStatusParameters): Promise<VersionStatus> {
  const versionId = parseId(parameters.versionId, "versionId");
  const environment = toText(parameters.environment, "environment");
  const status = await readView(client, "ReleaseRegistry.versionStatus", () =>
    client.releases.versionStatus(versionId, environment),
  );
  return {
    exists: status.exists,
    modelId: status.modelId,
    approved: status.approved,
    releasable: status.releasable,
    live: status.live,
    deploymentId: status.deploymentId,
    liveButNotReleasable: status.liveButNotReleasable,
  };
}
