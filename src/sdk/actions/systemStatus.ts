import type { PedigreeClient } from "../client.ts";
import { readView } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import type { IdInput } from "../../core/ids.ts";
import type { SystemConfig } from "./publishSystemVersion.ts";

export interface SystemStatusParameters {
  systemId: IdInput;
  /** The environment `live` and `deploymentId` refer to. */
  environment: string;
}

/** Everything an agent checks before trusting a system version in an environment. */
export interface SystemStatus {
  exists: boolean;
  modelId: bigint;
  /** The model version (weights) it runs. */
  modelVersionId: bigint;
  /** Passed its own release gate. */
  approved: boolean;
  /** Approved, every approving attestation still valid, and its model version releasable too. */
  releasable: boolean;
  /** The live deployment of its model in the environment runs this system version. */
  live: boolean;
  /** The deployment live in the environment (0 = none). */
  deploymentId: bigint;
  /** Live although no longer releasable: an approval was revoked or expired since. Roll back or take it down. */
  liveButNotReleasable: boolean;
  /** Its configuration digests, to compare with what runs (null when it does not exist). */
  config: SystemConfig | null;
}

/**
 * The status of a system version in an environment, with its configuration digests: an agent compares the digest of
 * the prompt (policy, tools, retrieval index) it runs with these before trusting it.
 *
 * @example
 * const status = await systemStatus(client, { systemId: 3n, environment: "production" });
 * if (status.config?.promptHash !== runningPromptHash) console.warn("the running prompt is not the released one");
 */
export async function systemStatus(client: PedigreeClient, parameters: SystemStatusParameters): Promise<SystemStatus> {
  const systemId = parseId(parameters.systemId, "systemId");
  const environment = toText(parameters.environment, "environment");
  const status = await readView(client, "ReleaseRegistry.systemStatus", () => client.releases.systemStatus(systemId, environment));
  let config: SystemConfig | null = null;
  if (status.exists) {
    const [, stored] = await readView(client, "SystemRegistry.getSystemVersion", () => client.systems.getSystemVersion(systemId));
    config = { promptHash: stored.promptHash, retrievalIndex: stored.retrievalIndex, policyHash: stored.policyHash, toolsHash: stored.toolsHash };
  }
  return {
    exists: status.exists,
    modelId: status.modelId,
    modelVersionId: status.modelVersionId,
    approved: status.approved,
    releasable: status.releasable,
    live: status.live,
    deploymentId: status.deploymentId,
    liveButNotReleasable: status.liveButNotReleasable,
    config,
  };
}
