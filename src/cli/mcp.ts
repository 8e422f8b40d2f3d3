/**
 * `pedigree mcp`: serves Pedigree's audit questions as Model Context Protocol tools over stdio (../mcp), reading the
 * subgraph named by --subgraph and, for the on-chain checks, the registries named by --network / --addresses on the
 * node at --rpc. The node is connected on the first tool that needs it, and again after a failed attempt.
 */
import type { Command } from "commander";
import { TOOLS, serveStdio } from "../mcp/index.ts";
import type { PedigreeClient } from "../sdk/index.ts";
import { Context, run } from "./context.ts";
import { addGlobalOptions } from "./options.ts";

const HELP = `
Tools: ${TOOLS.map((tool) => tool.name).join(", ")}.
Every answer is structured content plus a one-line summary; bad input, an
unknown id or an unreachable subgraph or node is an error result of one line.
Nothing but the protocol is written to stdout; diagnostics go to stderr.

Claude Desktop (claude_desktop_config.json) or any MCP client configuration:
  {
    "mcpServers": {
      "pedigree": {
        "command": "node",
        "args": ["/path/to/pedigree/bin/pedigree.mjs", "mcp",
                 "--subgraph", "http://127.0.0.1:8000/subgraphs/name/pedigree",
                 "--rpc", "http://127.0.0.1:8545",
                 "--addresses", "/path/to/addresses.json"]
      }
    }
  }
(Paths must be absolute: clients start the server in a directory of their own.)

Example:
  $ pedigree mcp --subgraph http://127.0.0.1:8000/subgraphs/name/pedigree --network localhost`;

/** Read-only chain connections, each through a fresh Context (a failed attempt is closed, not kept). */
function chainConnector(command: Command): { connect(): Promise<PedigreeClient>; close(): void } {
  const connected: Context[] = [];
  return {
    async connect() {
      const attempt = new Context(command);
      try {
        const client = await attempt.client({ sign: false });
        connected.push(attempt);
        return client;
      } catch (error) {
        attempt.close();
        throw error;
      }
    },
    close() {
      for (const ctx of connected) ctx.close();
    },
  };
}

export function registerMcpCommand(program: Command): void {
  const command = program
    .command("mcp")
    .description("serve the audit questions as Model Context Protocol tools over stdio, for agents and MCP clients (Claude Desktop, IDEs)")
    .addHelpText("after", HELP);
  addGlobalOptions(command, ["subgraph", "chain"]).action(
    run(async (ctx) => {
      const subgraphUrl = ctx.subgraphUrl();
      ctx.expectedChainId();
      // Registry addresses given in files are checked now; the node is contacted on the first call that needs it.
      if (ctx.options.addresses !== undefined || ctx.options.network !== undefined) await ctx.addresses();
      const chain = chainConnector(ctx.command);
      try {
        await serveStdio({ subgraphUrl, timeoutMs: ctx.timeoutMs, connectChain: chain.connect });
      } finally {
        chain.close();
      }
    }),
  );
}
