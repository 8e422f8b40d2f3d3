import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import { toRequiredRegionSet, type RegionSetInput } from "../inputs.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface DeploySystemParameters extends TransactionOptions {
  /** An approved system version whose model version is approved too, every approval still valid. */
  systemId: IdInput;
  /** The environment it goes live in, e.g. "production". */
  environment: string;
  /**
   * The regions it serves: codes and groups ("EU,CH", "WORLDWIDE") or a bit mask. They must lie in the deployment
   * territory of every licence in the model version's lineage and of every licence of the system's retrieval data
   * (else `DeploymentOutsideTerritory`, naming the licence).
   */
  regions: RegionSetInput;
}

export interface DeploySystemResult extends TransactionResult {
  /** The new deployment. */
  deploymentId: bigint;
  modelId: bigint;
  /** The model version it runs. */
  versionId: bigint;
  systemId: bigint;
  environment: string;
  /** The regions it serves (a bit mask). */
  regions: bigint;
  /** What was live there before (0 = nothing); a rollback returns to it. */
  previousDeploymentId: bigint;
}

/**
 * Makes a system version — its model version with its prompt, retrieval index, policy and tools — the live deployment
 * of its model in an environment. Refused, naming the gate, unless both the system version and its model version are
 * releasable (`SystemNotApproved`, `SystemApprovalNoLongerValid`, `VersionNotApproved`, `ApprovalNoLongerValid`).
 *
 * @example
 * const { deploymentId } = await deploySystem(client, { systemId: 3n, environment: "production", regions: "EU" });
 */
export async function deploySystem(client: PedigreeClient, parameters: DeploySystemParameters): Promise<DeploySystemResult> {
  const systemId = parseId(parameters.systemId, "systemId");
  const environment = toText(parameters.environment, "environment");
  const regions = toRequiredRegionSet(parameters.regions, "regions", "the regions the deployment serves");
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.deploySystem",
    (signer, overrides) => client.releases.connect(signer).deploySystem(systemId, environment, regions, overrides),
    parameters,
  );
  const deployed = eventOf(mined.receipt, client.releases, "Deployed");
  return {
    deploymentId: deployed.deploymentId,
    modelId: deployed.modelId,
    versionId: deployed.versionId,
    systemId: deployed.systemId,
    environment: deployed.environment,
    regions: deployed.regions,
    previousDeploymentId: deployed.previousDeploymentId,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
