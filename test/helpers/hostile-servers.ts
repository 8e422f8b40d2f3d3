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
  /**
   * Connections that carried a request and are still open: a client that gave up must have closed its connection
   * (idle spare connections a client pool opens do not count).
   */
  busyConnections(): number;
  close(): Promise<void>;
}

/** The connections of a server that carried a request, until they close. */
class BusyConnections {
  readonly #sockets = new Set<Socket>();
  mark(socket: Socket): void {
    if (this.#sockets.has(socket)) return;
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
  }
  get size(): number {
    return this.#sockets.size;
  }
}

/** Accepts every connection and reads what is sent, but never writes a byte back. */
export async function startSilentServer(): Promise<TestServer> {
  const busy = new BusyConnections();
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => busy.mark(socket));
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    busyConnections: () => busy.size,
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
  const busy = new BusyConnections();
  const server = createHttpServer((req, res) => {
    busy.mark(req.socket);
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
    busyConnections: () => busy.size,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A node in front of `upstream` that accepts transactions but never has a receipt for them (never mines). */
export function startNeverMiningProxy(upstream: string): Promise<TestServer> {
  return startRewritingProxy(upstream, (request, answer) => {
    const calls = (Array.isArray(request) ? request : [request]) as { id: unknown; method: string }[];
    const receipts = new Set(calls.filter((call) => call.method === "eth_getTransactionReceipt").map((call) => call.id));
    for (const reply of (Array.isArray(answer) ? answer : [answer]) as { id: unknown; result?: unknown }[]) {
      if (receipts.has(reply.id)) reply.result = null;
    }
    return answer;
  });
}
