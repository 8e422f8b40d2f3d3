import type { PedigreeClient } from "../client.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { parseId } from "../../core/ids.ts";
import { toText } from "../internal/validate.ts";
import { toRequiredRegionSet, type RegionSetInput } from "../inputs.ts";
import type { IdInput } from "../../core/ids.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface DeployVersionParameters extends TransactionOptions {
  /** An approved model version whose approving attestations are still valid. */
  versionId: IdInput;
  /** The environment it goes live in, e.g. "production". */
  environment: string;
  /**
   * The regions it serves: codes and groups ("EU,CH", "WORLDWIDE") or a bit mask. They must lie in the deployment
   * territory of every licence in the version's lineage (else `DeploymentOutsideTerritory`).
   */
  regions: RegionSetInput;
}

export interface DeployVersionResult extends TransactionResult {
  /** The new deployment. */
  deploymentId: bigint;
  modelId: bigint;
  versionId: bigint;
  environment: string;
  /** The regions it serves (a bit mask; `regionCodes` lists them). */
  regions: bigint;
  /** What was live there before (0 = nothing); a rollback returns to it. */
  previousDeploymentId: bigint;
}

/**
 * Makes an approved model version the live version of its model in an environment, serving some regions. A region
 * outside the deployment territory of a licence in the version's lineage is refused (`DeploymentOutsideTerritory`,
 * naming the licence).
 *
 * @example
 * const { deploymentId } = await deployVersion(client, { versionId: 1n, environment: "production", regions: "EU" });
 */
export async function deployVersion(
  client: PedigreeClient,
  parameters: DeployVersionParameters,
): Promise<DeployVersionResult> {
  const versionId = parseId(parameters.versionId, "versionId");
  const environment = toText(parameters.environment, "environment");
  const regions = toRequiredRegionSet(parameters.regions, "regions", "the regions the deployment serves");
  const mined = await sendTransaction(
    client,
    "ReleaseRegistry.deploy",
    (signer, overrides) => client.releases.connect(signer).deploy(versionId, environment, regions, overrides),
    parameters,
  );
  const deployed = eventOf(mined.receipt, client.releases, "Deployed");
  return {
    deploymentId: deployed.deploymentId,
    modelId: deployed.modelId,
    versionId: deployed.versionId,
    environment: deployed.environment,
    regions: deployed.regions,
    previousDeploymentId: deployed.previousDeploymentId,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
