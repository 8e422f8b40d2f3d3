/**
 * `pedigree node`: runs the embedded graph-node-compatible indexer against a JSON-RPC endpoint and serves the
 * subgraph's GraphQL API until interrupted.
 */
import type { Command } from "commander";
import { indexerOverrides, readNetworksFile } from "../sdk/networks.ts";
import { CliError } from "./errors.ts";
import { addGraphQLOptions, graphqlSettings, type GraphQLFlags } from "./graphql-options.ts";

interface NodeOptions extends GraphQLFlags {
  rpc: string;
  subgraph: string;
  db?: string;
  databaseUrl?: string;
  name: string;
  port: string;
  host: string;
  network?: string;
  networksFile: string;
  confirmations: string;
  maxRange: string;
  progress: boolean;
}

export function registerNodeCommand(program: Command): void {
  const command = program
    .command("node")
    .description("index the built subgraph from a JSON-RPC endpoint and serve its GraphQL API (graph-node compatible)")
    .option("--rpc <url>", "Ethereum JSON-RPC endpoint", process.env.PEDIGREE_RPC_URL ?? "http://127.0.0.1:8545")
    .option("--subgraph <path>", "built subgraph (build/subgraph.yaml or its directory)", "build")
    .option("--db <dir>", "persist the PGlite store in this directory (default: in memory)")
    .option("--database-url <url>", "use a PostgreSQL server instead of PGlite", process.env.DATABASE_URL)
    .option("--name <name>", "subgraph name served at /subgraphs/name/<name>", "pedigree")
    .option("--port <port>", "GraphQL port", "8000")
    .option("--host <host>", "GraphQL interface", "127.0.0.1")
    .option("--network <name>", "take contract addresses and start blocks of this network from the networks file")
    .option("--networks-file <file>", "networks file written by scripts/deploy.ts", "subgraph/networks.json")
    .option("--confirmations <n>", "blocks to hold back from the chain head", "0")
    .option("--max-range <blocks>", "largest eth_getLogs block range (reduced automatically if the node refuses)", "2000")
    .option("--no-progress", "do not print the progress line");
  addGraphQLOptions(command)
    .addHelpText("after", "\nExample:\n  $ pedigree node --rpc http://127.0.0.1:8545 --network localhost --db .pedigree-store --port 8000")
    .action(async (options: NodeOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be 0..65535, not ${options.port}`);
      const confirmations = Number(options.confirmations);
      if (!Number.isInteger(confirmations) || confirmations < 0) {
        throw new CliError(`--confirmations must be a whole number ≥ 0, not ${options.confirmations}`);
      }
      const maxRange = Number(options.maxRange);
      if (!Number.isInteger(maxRange) || maxRange < 1) throw new CliError(`--max-range must be a whole number ≥ 1, not ${options.maxRange}`);
      const { queryLimits, http } = graphqlSettings(options, process.env, options.host);
      let addresses: Record<string, string> | undefined;
      let startBlocks: Record<string, number> | undefined;
      if (options.network) {
        const entry = (await readNetworksFile(options.networksFile))[options.network];
        if (!entry) {
          throw new CliError(`${options.networksFile} has no network "${options.network}": deploy first with scripts/deploy.ts`);
        }
        ({ addresses, startBlocks } = indexerOverrides(entry));
      }
      // Loaded here rather than at the top, so that other commands do not pay for the indexer's start-up.
      const { startIndexer } = await import("../indexer/indexer.ts");
      const indexer = await startIndexer({
        subgraph: options.subgraph,
        rpcUrl: options.rpc,
        dataDir: options.databaseUrl ? undefined : options.db,
        databaseUrl: options.databaseUrl,
        name: options.name,
        port,
        host: options.host,
        addresses,
        startBlocks,
        confirmations,
        maxRange,
        progress: options.progress,
        queryLimits,
        http,
      });
      console.log(`GraphQL API: ${indexer.url}  (GraphiQL: open it in a browser)`);
      console.log(`Store: ${options.databaseUrl ? "PostgreSQL" : options.db ? `PGlite in ${options.db}` : "PGlite in memory"}`);
      const shutdown = async () => {
        await indexer.stop();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      await indexer.done;
    });
}
