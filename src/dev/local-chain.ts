/**
 * A local chain for the demo, tests and benchmarks: Hardhat's in-process EDR network, used directly by this process
 * (signers, Ignition) and served over JSON-RPC HTTP on 127.0.0.1 for everything that needs a URL (the indexer, the
 * CLI, a wallet).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

/** An in-process Hardhat connection (ethers, ignition, networkHelpers, provider). */
export type HardhatConnection = Awaited<ReturnType<typeof network.create>>;

export interface LocalChain {
  /** JSON-RPC endpoint, e.g. http://127.0.0.1:49152. */
  url: string;
  /** The in-process Hardhat connection (ethers, ignition, networkHelpers, provider). */
  connection: HardhatConnection;
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

type Provider = HardhatConnection["provider"];

/**
 * Starts a fresh in-process chain and serves it on 127.0.0.1. `port` 0 takes any free port; with `fallbackToAnyPort`,
 * a preferred port that is taken falls back to any free one (the demo prefers 8545).
 *
 * @example
 * const chain = await startLocalChain();
 * const deployment = await deployLocally(chain, { admin: chain.signers[0].address });
 */
export async function startLocalChain(port = 0, { fallbackToAnyPort = false } = {}): Promise<LocalChain> {
  const connection = await network.create();
  const server = createServer((req, res) => void serveRequest(connection.provider, req, res));
  // Clients keep connections alive; a generous server timeout avoids resetting one a client is about to reuse.
  server.keepAliveTimeout = 60_000;
  await listen(server, port).catch((error: unknown) => (fallbackToAnyPort && port !== 0 ? listen(server, 0) : Promise.reject(error)));
  const signers = await connection.ethers.getSigners();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connection,
    signers,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Answers one HTTP request: a JSON-RPC call or a batch (answered in order, one call after the other, as a node would). */
async function serveRequest(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }));
    return;
  }
  let reply: unknown;
  if (Array.isArray(body)) {
    const answers: unknown[] = [];
    for (const call of body) answers.push(await answer(provider, call as JsonRpcRequest));
    reply = answers;
  } else reply = await answer(provider, body as JsonRpcRequest);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(reply, (_key, value) => (typeof value === "bigint" ? `0x${value.toString(16)}` : value)));
}

/** The JSON-RPC response to one call, errors included as the node gave them. */
async function answer(provider: Provider, request: JsonRpcRequest): Promise<unknown> {
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
}
