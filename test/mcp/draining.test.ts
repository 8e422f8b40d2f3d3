/**
 * The transport `pedigree mcp` serves stdio through: it knows which requests are unanswered, so that the server
 * answers them before stopping when the client closes its input — and a request the client cancelled is not waited
 * for. Against a subgraph that never answers, so that a call stays in flight as long as the test needs.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMcpServer } from "../../src/mcp/index.ts";
import { DrainingTransport } from "../../src/mcp/draining.ts";
import { startSilentServer, type TestServer } from "../helpers/hostile-servers.ts";

let silent: TestServer;

beforeAll(async () => {
  silent = await startSilentServer();
});

afterAll(async () => {
  await silent?.close();
});

/** A client talking to a server over a DrainingTransport; the subgraph never answers. */
async function connected(): Promise<{ client: Client; transport: DrainingTransport }> {
  const server = createMcpServer({ subgraphUrl: `${silent.url}/subgraphs/name/pedigree`, timeoutMs: 60_000, log: () => {} });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const transport = new DrainingTransport(serverSide);
  await server.connect(transport);
  const client = new Client({ name: "draining-test", version: "1.0.0" });
  await client.connect(clientSide);
  return { client, transport };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("DrainingTransport", () => {
  it("is drained when every request is answered, not while a call is in flight, and not after a cancellation", async () => {
    const { client, transport } = await connected();
    await client.listTools();
    await transport.drained();
    const cancel = new AbortController();
    const call = client.callTool({ name: "what_trained_this", arguments: { versionId: 1 } }, undefined, { signal: cancel.signal });
    await until(() => silent.busyConnections() > 0);
    let drained = false;
    const draining = transport.drained().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drained).toBe(false);
    cancel.abort("the agent gave up");
    await expect(call).rejects.toThrow("the agent gave up");
    await draining;
    expect(drained).toBe(true);
    await client.close();
  });
});
