/**
 * Serves the Pedigree MCP server over stdio, the transport MCP clients (Claude Desktop, IDEs, agent frameworks) start
 * local servers with: JSON-RPC messages on stdin and stdout, one per line. stdout carries the protocol only — while
 * serving, anything written through `console` goes to stderr — and the server stops when the client closes stdin, once
 * it has answered every request received before.
 */
import { Console } from "node:console";
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { DrainingTransport } from "./draining.ts";
import { createMcpServer, logToStderr, type PedigreeMcpOptions } from "./server.ts";
import { TOOLS } from "./tools/index.ts";

/** The console methods that print to stdout. */
const STDOUT_METHODS = ["log", "info", "debug", "dir", "table"] as const;

/** Sends what a library prints with console.log & co. to stderr until the returned function is called. */
function consoleToStderr(): () => void {
  const saved = STDOUT_METHODS.map((name) => [name, console[name]] as const);
  const stderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  for (const name of STDOUT_METHODS) console[name] = stderr[name].bind(stderr);
  return () => {
    for (const [name, method] of saved) console[name] = method as never;
  };
}

/**
 * Serves the tools on stdin / stdout until stdin ends (the client closed the connection).
 *
 * @example
 * await serveStdio({ subgraphUrl: "http://127.0.0.1:8000/subgraphs/name/pedigree", connectChain });
 */
export async function serveStdio(options: PedigreeMcpOptions, stdin: Readable = process.stdin, stdout: Writable = process.stdout): Promise<void> {
  const log = options.log ?? logToStderr;
  const server = createMcpServer({ ...options, log });
  const transport = new DrainingTransport(new StdioServerTransport(stdin, stdout));
  const restoreConsole = consoleToStderr();
  const ended = new Promise<void>((resolve) => {
    stdin.once("end", resolve);
    stdin.once("close", resolve);
    server.server.onclose = resolve;
  });
  try {
    await server.connect(transport);
    log(`serving ${TOOLS.length} tools over stdio (subgraph ${options.subgraphUrl})`);
    await ended;
    // The client closed its end: answer what it asked before, then stop.
    await transport.drained();
  } finally {
    await server.close();
    restoreConsole();
  }
}
