/**
 * The one way the demo, the tests, the benchmarks and the worked example deploy the protocol on a local chain: the
 * Ignition module deploy/Pedigree.ts, as on real networks (scripts/deploy.ts), with the role holders given.
 */
import PedigreeModule from "../../deploy/Pedigree.ts";
import type { PedigreeAddresses } from "../sdk/client.ts";
import { deploymentLocations, type ContractLocation, type DataSourceName } from "../sdk/networks.ts";
import type { HardhatConnection } from "./local-chain.ts";

/** Who holds which role in the AttestationRegistry from the start. */
export interface RoleHolders {
  admin: string;
  evaluators?: string[];
  auditors?: string[];
  releaseApprovers?: string[];
  dataStewards?: string[];
}

export interface LocalDeployment {
  addresses: PedigreeAddresses;
  /** Address and creation block of each registry, by subgraph data source name. */
  locations: Record<DataSourceName, ContractLocation>;
}

/**
 * Deploys the six registries on a local chain (a {@link LocalChain}, or any in-process Hardhat connection).
 *
 * @example
 * const { addresses } = await deployLocally(chain, { admin: admin.address, evaluators: [evaluator.address] });
 * const { addresses } = await deployLocally({ connection: await network.create() }, { admin: admin.address });
 */
export async function deployLocally(chain: { connection: HardhatConnection }, roles: RoleHolders): Promise<LocalDeployment> {
  const deployed = await chain.connection.ignition.deploy(PedigreeModule, {
    parameters: {
      Pedigree: {
        admin: roles.admin,
        evaluators: roles.evaluators ?? [],
        auditors: roles.auditors ?? [],
        releaseApprovers: roles.releaseApprovers ?? [],
        dataStewards: roles.dataStewards ?? [],
      },
    },
  });
  const locations = await deploymentLocations(deployed, chain.connection.ethers.provider);
  return {
    addresses: {
      datasets: locations.DatasetRegistry.address,
      royalties: locations.RoyaltyRegistry.address,
      attestations: locations.AttestationRegistry.address,
      models: locations.ModelRegistry.address,
      releases: locations.ReleaseRegistry.address,
      systems: locations.SystemRegistry.address,
      agents: locations.AgentRegistry.address,
    },
    locations,
  };
}
