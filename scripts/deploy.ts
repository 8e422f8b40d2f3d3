/**
 * Deploys the protocol with its Ignition module and records where, for the subgraph:
 *
 *   npx hardhat run scripts/deploy.ts --network sepolia          (or baseSepolia, arbitrumSepolia, localhost)
 *
 * Role holders come from `deploy/parameters/<network>.json` when it exists (see deploy/Pedigree.ts). Afterwards
 * `subgraph/networks.json` holds the addresses and start blocks, so
 * `npx graph build subgraph/subgraph.yaml --network <graph network> --network-file subgraph/networks.json -o build`
 * produces a deployable build.
 */
import { existsSync, readFileSync } from "node:fs";
import { network } from "hardhat";
import PedigreeModule from "../deploy/Pedigree.ts";
import { deploymentLocations, graphNetworkName, writeNetworkEntry } from "../src/sdk/networks.ts";

const connection = await network.create();
const { ethers, ignition, networkName } = connection;
const chainId = Number((await ethers.provider.getNetwork()).chainId);
const graphNetwork = graphNetworkName(chainId);
const parametersFile = `deploy/parameters/${networkName}.json`;
const parameters = existsSync(parametersFile) ? JSON.parse(readFileSync(parametersFile, "utf8")) : {};

console.log(`Deploying Pedigree to ${networkName} (chain ${chainId}, graph network "${graphNetwork}")`);
// Local chains restart empty, so each local deployment gets its own Ignition journal; real networks keep one
// (Ignition resumes an interrupted deployment from it).
const deploymentId = chainId === 31337 ? `localhost-${Date.now()}` : undefined;
const deployed = await ignition.deploy(PedigreeModule, { parameters, deploymentId });

const locations = await deploymentLocations(deployed, ethers.provider);
for (const [name, { address, startBlock }] of Object.entries(locations)) {
  console.log(`  ${name.padEnd(20)} ${address}  from block ${startBlock}`);
}
await writeNetworkEntry("subgraph/networks.json", graphNetwork, locations);
console.log(`Wrote subgraph/networks.json ["${graphNetwork}"]`);
