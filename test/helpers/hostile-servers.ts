/**
 * Hostile network peers for the security tests: a TCP server that accepts connections and never answers (a hung
 * node or subgraph), and an HTTP proxy that forwards to a real endpoint but rewrites its JSON answers (a lying
 * subgraph or node).
 */
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Accepts every connection and reads what is sent, but never writes a byte back. */
export async function startSilentServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the proxy does with one JSON-RPC or GraphQL exchange: the request body, and the upstream answer. */
export type Rewrite = (request: unknown, answer: unknown) => unknown;

/**
 * Forwards every POST to `upstream` and answers with `rewrite(request, answer)`. Returning `undefined` from the
 * rewrite leaves the connection without an answer (the peer goes silent from then on for that request).
 */
export async function startRewritingProxy(upstream: string, rewrite: Rewrite): Promise<TestServer> {
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request = JSON.parse(body) as unknown;
      const upstreamAnswer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
      const answer = rewrite(request, await upstreamAnswer.json());
      if (answer === undefined) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
