/**
 * A local chain for demos, tests and benchmarks: Hardhat's in-process EDR network, used directly by this process
 * (signers, Ignition) and served over JSON-RPC HTTP on 127.0.0.1 for everything that needs a URL (the indexer, the
 * CLI, a wallet). The protocol is deployed through the same Ignition module as on real networks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import PedigreeModule from "../../deploy/Pedigree.ts";
import type { PedigreeAddresses } from "./client.ts";
import { deploymentLocations, type ContractLocation, type DataSourceName } from "./networks.ts";

export interface LocalChain {
  /** JSON-RPC endpoint, e.g. http://127.0.0.1:49152. */
  url: string;
  /** The in-process Hardhat connection (ethers, ignition, networkHelpers, provider). */
  connection: Awaited<ReturnType<typeof network.create>>;
  /** The chain's funded accounts, as ethers signers. */
  signers: HardhatEthersSigner[];
  close(): Promise<void>;
}

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** Starts a fresh in-process chain and serves it on 127.0.0.1 (port 0 = any free port). */
export async function startLocalChain(port = 0): Promise<LocalChain> {
  const connection = await network.create();
  const provider = connection.provider;

  const answer = async (request: JsonRpcRequest) => {
    if (typeof request?.method !== "string") {
      return { jsonrpc: "2.0", id: request?.id ?? null, error: { code: -32600, message: "invalid request" } };
    }
    try {
      const params = Array.isArray(request.params) ? request.params : [];
      const result = await provider.request({ method: request.method, params });
      return { jsonrpc: "2.0", id: request.id ?? null, result };
    } catch (error) {
      const { code, message, data } = error as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: request.id ?? null, error: { code: code ?? -32603, message: message ?? String(error), data } };
    }
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }));
        return;
      }
      // Batches are answered in order, one call after the other, as a node would.
      const reply = Array.isArray(body)
        ? await body.reduce<Promise<unknown[]>>(async (acc, call) => [...(await acc), await answer(call as JsonRpcRequest)], Promise.resolve([]))
        : await answer(body as JsonRpcRequest);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply, (_key, value) => (typeof value === "bigint" ? `0x${value.toString(16)}` : value)));
    });
  });
  // Clients keep connections alive; a generous server timeout avoids resetting one a client is about to reuse.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signers = await connection.ethers.getSigners();
  return {
    url,
    connection,
    signers,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
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
