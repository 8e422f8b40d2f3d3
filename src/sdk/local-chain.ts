/**
 * A local chain for demos, tests and benchmarks: Hardhat's in-process EDR network served over JSON-RPC HTTP on
 * 127.0.0.1, with the protocol deployed through the same Ignition module as on real networks.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { config, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import PedigreeModule from "../../deploy/Pedigree.ts";
import type { PedigreeAddresses } from "./client.js";
import { deploymentLocations, type ContractLocation, type DataSourceName } from "./networks.ts";

export interface LocalChain {
  /** JSON-RPC endpoint, e.g. http://127.0.0.1:49152. */
  url: string;
  /** A Hardhat connection to the served chain (ethers, ignition, networkHelpers), over HTTP. */
  connection: Awaited<ReturnType<typeof network.create>>;
  /** The node's unlocked accounts, as ethers signers. */
  signers: HardhatEthersSigner[];
  /** Ignition keeps a journal of every deployment to an HTTP network; local chains are throwaway, so is this. */
  ignitionDeploymentId: string;
  close(): Promise<void>;
}

/** Starts a fresh in-process chain and serves it on 127.0.0.1 (port 0 = any free port). */
export async function startLocalChain(port = 0): Promise<LocalChain> {
  const server = await network.createServer("hardhat", "127.0.0.1", port);
  const listening = await server.listen();
  const url = `http://127.0.0.1:${listening.port}`;
  const connection = await network.create({ network: "localhost", override: { url } });
  const signers = await connection.ethers.getSigners();
  const ignitionDeploymentId = `local-${listening.port}-${process.pid}-${Date.now()}`;
  return {
    url,
    connection,
    signers,
    ignitionDeploymentId,
    async close() {
      await connection.close();
      await server.close();
      await rm(join(config.paths.ignition, "deployments", ignitionDeploymentId), {
        recursive: true,
        force: true,
      });
    },
  };
}

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

/** Deploys the protocol on `chain` with the Ignition module deploy/Pedigree.ts. */
export async function deployLocally(chain: LocalChain, roles: RoleHolders): Promise<LocalDeployment> {
  const deployed = await chain.connection.ignition.deploy(PedigreeModule, {
    deploymentId: chain.ignitionDeploymentId,
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
      attestations: locations.AttestationRegistry.address,
      models: locations.ModelRegistry.address,
      releases: locations.ReleaseRegistry.address,
    },
    locations,
  };
}
