/**
 * Pedigree's audit questions as Model Context Protocol tools, for agents: `createMcpServer` builds the server (connect
 * it to any MCP transport), `serveStdio` serves it on stdin/stdout as `pedigree mcp` does.
 *
 * @example
 * import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
 * const server = createMcpServer({ subgraphUrl: "http://127.0.0.1:8000/subgraphs/name/pedigree" });
 * const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
 * await server.connect(serverSide);
 */
export { createMcpServer, logToStderr, type PedigreeMcpOptions } from "./server.ts";
export { serveStdio } from "./stdio.ts";
export { NoChainError } from "./errors.ts";
export { TOOLS } from "./tools/index.ts";
export type { PedigreeTool, ToolAnswer, ToolDefinition, ToolSources } from "./tool.ts";
