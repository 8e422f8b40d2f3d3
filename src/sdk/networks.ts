/**
 * Where the protocol is deployed, in the form The Graph needs it: `subgraph/networks.json` maps a graph network name
 * to each data source's address and start block, so that `graph build --network <name>` produces a deployable build.
 */
import { readFile, writeFile } from "node:fs/promises";
import { InvalidInputError } from "../core/errors.ts";
import { SdkError } from "./errors/base.ts";
import { NoContractError } from "./errors/network.ts";

/** graph-node network names by chain id (the names Subgraph Studio and graph-node configurations use). */
export const GRAPH_NETWORK_BY_CHAIN_ID: Readonly<Record<number, string>> = {
  31337: "localhost",
  11155111: "sepolia",
  84532: "base-sepolia",
  421614: "arbitrum-sepolia",
};

/** The contracts of the Ignition module deploy/Pedigree.ts by name: the subgraph's data sources (subgraph/subgraph.yaml) and
 * the AgentRegistry, whose data source the subgraph does not have yet. */
export const DATA_SOURCES = [
  "DatasetRegistry",
  "RoyaltyRegistry",
  "AttestationRegistry",
  "ModelRegistry",
  "ReleaseRegistry",
  "SystemRegistry",
  "AgentRegistry",
] as const;
export type DataSourceName = (typeof DATA_SOURCES)[number];

/** The key under which deploy/Pedigree.ts returns each data source's contract. */
export const MODULE_RESULT_KEY: Readonly<Record<DataSourceName, string>> = {
  DatasetRegistry: "datasets",
  RoyaltyRegistry: "royalties",
  AttestationRegistry: "attestations",
  ModelRegistry: "models",
  ReleaseRegistry: "releases",
  SystemRegistry: "systems",
  AgentRegistry: "agents",
};

export interface ContractLocation {
  address: string;
  startBlock: number;
}

export type NetworksFile = Record<string, Record<string, ContractLocation>>;

/** Thrown for a chain id no graph network name is known for. */
export class UnknownNetworkError extends SdkError {
  override name = "UnknownNetworkError";
  readonly chainId: number;
  constructor(chainId: number) {
    super("UNKNOWN_NETWORK", `no graph network name is known for chain id ${chainId}`, {
      hint: "Add it to GRAPH_NETWORK_BY_CHAIN_ID in src/sdk/networks.ts.",
    });
    this.chainId = chainId;
  }
}

/** The graph network name of a chain id. */
export function graphNetworkName(chainId: number): string {
  const name = GRAPH_NETWORK_BY_CHAIN_ID[chainId];
  if (!name) throw new UnknownNetworkError(chainId);
  return name;
}

/** Minimal JSON-RPC surface needed here (an ethers provider or an EIP-1193 wrapper). */
export interface CodeReader {
  getCode(address: string, blockTag: number): Promise<string>;
  getBlockNumber(): Promise<number>;
}

/**
 * The block a contract was created in: the first block at which it has code (binary search over eth_getCode, about
 * log2(head) calls). Indexing from there misses none of its events and scans nothing before it.
 */
export async function findDeploymentBlock(reader: CodeReader, address: string): Promise<number> {
  let high = await reader.getBlockNumber();
  if ((await reader.getCode(address, high)) === "0x") throw new NoContractError(address);
  let low = 0;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if ((await reader.getCode(address, middle)) === "0x") low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Reads networks.json (an empty object when the file does not exist yet). */
export async function readNetworksFile(file: string): Promise<NetworksFile> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as NetworksFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new InvalidInputError("networksFile", `cannot read the networks file ${file}: ${(error as Error).message.split("\n")[0]}`, {
      hint: "Check that it is the JSON file scripts/deploy.ts writes.",
    });
  }
}

/** Writes `locations` as the entry of `network` in networks.json, keeping the other networks as they are. */
export async function writeNetworkEntry(
  file: string,
  network: string,
  locations: Record<string, ContractLocation>,
): Promise<NetworksFile> {
  const networks = await readNetworksFile(file);
  networks[network] = Object.fromEntries(
    Object.entries(locations).map(([name, { address, startBlock }]) => [name, { address, startBlock }]),
  );
  await writeFile(file, `${JSON.stringify(networks, null, 2)}\n`);
  return networks;
}

/** Addresses and start blocks of the contracts an Ignition deployment of deploy/Pedigree.ts returned. */
export async function deploymentLocations(
  deployed: Record<string, { getAddress(): Promise<string> }>,
  reader: CodeReader,
): Promise<Record<DataSourceName, ContractLocation>> {
  const locations = {} as Record<DataSourceName, ContractLocation>;
  for (const name of DATA_SOURCES) {
    const address = await deployed[MODULE_RESULT_KEY[name]].getAddress();
    locations[name] = { address, startBlock: await findDeploymentBlock(reader, address) };
  }
  return locations;
}

/**
 * What the indexer needs to follow a deployment whose build still carries other addresses: the address and start
 * block of each data source, by name.
 *
 * @example
 * const indexer = await startIndexer({ subgraph: "build", rpcUrl, ...indexerOverrides(deployment.locations) });
 */
export function indexerOverrides(locations: Readonly<Record<string, ContractLocation>>): {
  addresses: Record<string, string>;
  startBlocks: Record<string, number>;
} {
  const entries = Object.entries(locations);
  return {
    addresses: Object.fromEntries(entries.map(([name, location]) => [name, location.address])),
    startBlocks: Object.fromEntries(entries.map(([name, location]) => [name, location.startBlock])),
  };
}
