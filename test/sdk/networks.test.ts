/**
 * Deployment records for the subgraph: start blocks found on a real chain, networks.json written, and
 * `graph build --network sepolia` producing a deployable build from it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deployProtocol } from "../helpers/protocol.ts";
import {
  deploymentLocations,
  findDeploymentBlock,
  graphNetworkName,
  readNetworksFile,
  UnknownNetworkError,
  writeNetworkEntry,
} from "../../src/sdk/networks.ts";
import { InvalidInputError } from "../../src/core/errors.ts";

const run = promisify(execFile);

describe("networks.json", () => {
  it("finds each registry's deployment block and writes it under the graph network name", async () => {
    const protocol = await deployProtocol();
    const provider = protocol.ethers.provider;
    // Some unrelated blocks after the deployment, so the search has something to skip.
    await protocol.connection.networkHelpers.mine(25);
    const deployed = {
      datasets: protocol.datasets,
      royalties: protocol.royalties,
      attestations: protocol.attestations,
      models: protocol.models,
      releases: protocol.releases,
      systems: protocol.systems,
      agents: protocol.agents,
    };
    const locations = await deploymentLocations(deployed, provider);
    for (const [name, { address, startBlock }] of Object.entries(locations)) {
      expect(await provider.getCode(address, startBlock), name).not.toBe("0x");
      expect(await provider.getCode(address, startBlock - 1), name).toBe("0x");
    }
    // The release registry needs the model and system registries' addresses, so it cannot come first.
    expect(locations.ModelRegistry.startBlock).toBeLessThanOrEqual(locations.SystemRegistry.startBlock);
    expect(locations.SystemRegistry.startBlock).toBeLessThanOrEqual(locations.ReleaseRegistry.startBlock);
    expect(locations.ReleaseRegistry.startBlock).toBeLessThanOrEqual(locations.AgentRegistry.startBlock);

    const dir = await mkdtemp(join(tmpdir(), "pedigree-networks-"));
    const file = join(dir, "networks.json");
    await writeFile(file, JSON.stringify({ sepolia: { DatasetRegistry: { address: "0x1", startBlock: 1 } } }));
    await writeNetworkEntry(file, graphNetworkName(31337), locations);
    const written = await readNetworksFile(file);
    expect(written.sepolia).toEqual({ DatasetRegistry: { address: "0x1", startBlock: 1 } });
    expect(written.localhost.ModelRegistry).toEqual(locations.ModelRegistry);

    await expect(findDeploymentBlock(provider, "0x000000000000000000000000000000000000dead")).rejects.toThrow(
      "No contract answered at 0x000000000000000000000000000000000000dead on this network.",
    );
    await writeFile(file, "{ not json");
    const unreadable = await readNetworksFile(file).catch((error: unknown) => error);
    expect(unreadable).toBeInstanceOf(InvalidInputError);
    expect((unreadable as Error).message).toMatch(/^cannot read the networks file .*networks\.json: .*\. Check that it is the JSON file scripts\/deploy\.ts writes\.$/);
  });

  it("names the networks graph-node knows and refuses unknown chain ids with a fix", () => {
    expect(graphNetworkName(11155111)).toBe("sepolia");
    expect(graphNetworkName(84532)).toBe("base-sepolia");
    expect(graphNetworkName(421614)).toBe("arbitrum-sepolia");
    expect(() => graphNetworkName(1234)).toThrow(UnknownNetworkError);
    expect(() => graphNetworkName(1234)).toThrow("no graph network name is known for chain id 1234. Add it to GRAPH_NETWORK_BY_CHAIN_ID in src/sdk/networks.ts.");
  });

  it("graph build --network sepolia produces a build with the sepolia addresses and start blocks", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pedigree-sepolia-"));
    const file = join(dir, "networks.json");
    const sepolia = {
      DatasetRegistry: { address: "0x1111111111111111111111111111111111111111", startBlock: 7_000_001 },
      RoyaltyRegistry: { address: "0x7777777777777777777777777777777777777777", startBlock: 7_000_001 },
      AttestationRegistry: { address: "0x2222222222222222222222222222222222222222", startBlock: 7_000_000 },
      ModelRegistry: { address: "0x3333333333333333333333333333333333333333", startBlock: 7_000_002 },
      ReleaseRegistry: { address: "0x4444444444444444444444444444444444444444", startBlock: 7_000_003 },
      SystemRegistry: { address: "0x5555555555555555555555555555555555555555", startBlock: 7_000_002 },
      AgentRegistry: { address: "0x6666666666666666666666666666666666666666", startBlock: 7_000_003 },
    };
    await writeNetworkEntry(file, "sepolia", sepolia);
    // graph build rewrites the manifest it is given, so build a copy of the repository's manifest's directory layout.
    const manifestCopy = join(process.cwd(), "subgraph", `subgraph.sepolia-test-${process.pid}.yaml`);
    await writeFile(manifestCopy, await readFile("subgraph/subgraph.yaml", "utf8"));
    const out = join(dir, "build");
    try {
      await run("graph", ["build", manifestCopy, "--network", "sepolia", "--network-file", file, "-o", out], {
        env: { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}` },
      });
    } finally {
      await import("node:fs/promises").then((fs) => fs.rm(manifestCopy, { force: true }));
    }
    const manifest = parse(await readFile(join(out, "subgraph.yaml"), "utf8")) as {
      dataSources: { name: keyof typeof sepolia; network: string; source: { address: string; startBlock: number } }[];
    };
    expect(manifest.dataSources.map((source) => source.name)).toEqual(["DatasetRegistry", "RoyaltyRegistry", "AttestationRegistry", "ModelRegistry", "ReleaseRegistry", "SystemRegistry", "AgentRegistry"]);
    for (const source of manifest.dataSources) {
      expect(source.network).toBe("sepolia");
      expect(source.source.address.toLowerCase()).toBe(sepolia[source.name].address);
      expect(source.source.startBlock).toBe(sepolia[source.name].startBlock);
    }
  }, 180_000);
});
