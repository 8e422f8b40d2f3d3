/**
 * `pedigree node`: runs the embedded graph-node-compatible indexer against a JSON-RPC endpoint and serves the
 * subgraph's GraphQL API until interrupted. The indexer runs in a worker thread (../indexer/indexer-thread.ts), so
 * SIGINT and SIGTERM stop it promptly even while a handler runs.
 */
import type { Command } from "commander";
import { DEFAULT_HANDLER_TIMEOUT_SECONDS } from "../indexer/runtime/host/deadline.ts";
import { DEFAULT_MAX_GAS_PER_HANDLER } from "../indexer/runtime/gas-costs.ts";
import { DEFAULT_ENTITY_CACHE_BYTES } from "../indexer/runtime/entity-cache.ts";
import { DEFAULT_TARGET_TRIGGERS_PER_RANGE } from "../indexer/chain/block-stream.ts";
import type { IndexerThread } from "../indexer/indexer-thread.ts";
import { indexerOverrides, readNetworksFile } from "../sdk/networks.ts";
import { CliError } from "./errors.ts";
import { EXPLORER_BUILD, explorerSite, explorerUrl } from "../explorer/site.ts";
import { addGraphQLOptions, graphqlSettings, type GraphQLFlags } from "./graphql-options.ts";
import { globalOption, globalOptionsOf, type GlobalOptions } from "./options.ts";

interface NodeOptions extends GraphQLFlags {
  subgraph: string;
  db?: string;
  databaseUrl?: string;
  name: string;
  port: string;
  host: string;
  confirmations: string;
  maxRange: string;
  handlerTimeout: string;
  maxGas: string;
  entityCache: string;
  targetTriggers: string;
  progress: boolean;
  explorer: string;
}

export function registerNodeCommand(program: Command): void {
  const command = program
    .command("node")
    .description("index the built subgraph from a JSON-RPC endpoint and serve its GraphQL API (graph-node compatible)")
    .addOption(globalOption("rpc"))
    .option("--subgraph <path>", "built subgraph (build/subgraph.yaml or its directory)", "build")
    .option("--db <dir>", "persist the PGlite store in this directory (default: in memory)")
    .option("--database-url <url>", "use a PostgreSQL server instead of PGlite", process.env.DATABASE_URL)
    .option("--name <name>", "subgraph name served at /subgraphs/name/<name>", "pedigree")
    .option("--port <port>", "GraphQL port", "8000")
    .option("--host <host>", "GraphQL interface", "127.0.0.1")
    .addOption(globalOption("network", "take contract addresses and start blocks of this network from the networks file"))
    .addOption(globalOption("networksFile"))
    .option("--confirmations <n>", "blocks to hold back from the chain head", "0")
    .option("--max-range <blocks>", "largest eth_getLogs block range (reduced automatically if the node refuses)", "2000")
    .option(
      "--handler-timeout <seconds>",
      "longest a mapping handler may run; 0 for no limit (env GRAPH_MAPPING_HANDLER_TIMEOUT)",
      process.env.GRAPH_MAPPING_HANDLER_TIMEOUT ?? String(DEFAULT_HANDLER_TIMEOUT_SECONDS),
    )
    .option(
      "--max-gas <gas>",
      "gas a mapping handler may use, metered as graph-node meters it (env GRAPH_MAX_GAS_PER_HANDLER)",
      process.env.GRAPH_MAX_GAS_PER_HANDLER ?? String(DEFAULT_MAX_GAS_PER_HANDLER),
    )
    .option(
      "--entity-cache <KB>",
      "size of the cache of entities handlers read, in KB; beyond it they are read from the store (env GRAPH_ENTITY_CACHE_SIZE)",
      process.env.GRAPH_ENTITY_CACHE_SIZE ?? String(DEFAULT_ENTITY_CACHE_BYTES / 1000),
    )
    .option(
      "--target-triggers <n>",
      "events (and blocks, with block handlers) to fetch per eth_getLogs range; ranges are sized to it (env GRAPH_ETHEREUM_TARGET_TRIGGERS_PER_BLOCK_RANGE)",
      process.env.GRAPH_ETHEREUM_TARGET_TRIGGERS_PER_BLOCK_RANGE ?? String(DEFAULT_TARGET_TRIGGERS_PER_RANGE),
    )
    .option("--no-progress", "do not print the progress line")
    .option("--explorer <dir>", "serve the lineage explorer built in this directory at /explorer/", EXPLORER_BUILD);
  addGraphQLOptions(command)
    .addHelpText("after", "\nExample:\n  $ pedigree node --rpc http://127.0.0.1:8545 --network localhost --db .pedigree-store --port 8000")
    .action((options: NodeOptions, self: Command) => runNode(options, globalOptionsOf(self)));
}

/** The numeric options, checked: bad ones are refused with exit code 2 before anything starts. */
function numbersOf(options: NodeOptions): {
  port: number;
  confirmations: number;
  maxRange: number;
  handlerTimeoutSeconds: number;
  maxGasPerHandler: number;
  entityCacheBytes: number;
  targetTriggersPerRange: number;
} {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be 0..65535, not ${options.port}`);
  const confirmations = wholeNumber("--confirmations", options.confirmations, 0);
  const maxRange = wholeNumber("--max-range", options.maxRange, 1);
  const entityCacheBytes = wholeNumber("--entity-cache (or GRAPH_ENTITY_CACHE_SIZE)", options.entityCache, 0) * 1000;
  const targetTriggersPerRange = wholeNumber("--target-triggers (or GRAPH_ETHEREUM_TARGET_TRIGGERS_PER_BLOCK_RANGE)", options.targetTriggers, 1);
  if (!/^\d+(\.\d+)?$/.test(options.handlerTimeout.trim())) {
    throw new CliError(
      `--handler-timeout (or GRAPH_MAPPING_HANDLER_TIMEOUT) must be a number of seconds ≥ 0 (0: no limit), not "${options.handlerTimeout}"`,
    );
  }
  const maxGasPerHandler = /^\d[\d_]*$/.test(options.maxGas.trim()) ? Number(options.maxGas.replaceAll("_", "")) : NaN;
  if (!Number.isSafeInteger(maxGasPerHandler) || maxGasPerHandler <= 0) {
    throw new CliError(`--max-gas (or GRAPH_MAX_GAS_PER_HANDLER) must be a whole number of gas ≥ 1 (default 10^15), not "${options.maxGas}"`);
  }
  return {
    port,
    confirmations,
    maxRange,
    handlerTimeoutSeconds: Number(options.handlerTimeout),
    maxGasPerHandler,
    entityCacheBytes,
    targetTriggersPerRange,
  };
}

/** A whole-number option, at least `min`; refused with a one-line error otherwise. */
function wholeNumber(flag: string, value: string, min: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(`${flag} must be a whole number ≥ ${min}, not ${value}`);
  return n;
}

/** The contract addresses and start blocks of `--network` in the networks file; none without `--network`. */
async function networkOverrides({ network, networksFile }: GlobalOptions): Promise<Partial<ReturnType<typeof indexerOverrides>>> {
  if (!network) return {};
  const entry = (await readNetworksFile(networksFile))[network];
  if (!entry) throw new CliError(`${networksFile} has no network "${network}": deploy first with scripts/deploy.ts`);
  return indexerOverrides(entry);
}

/** Starts the indexer thread as the options say, prints where it serves, and serves until interrupted. */
async function runNode(options: NodeOptions, globals: GlobalOptions): Promise<void> {
  const numbers = numbersOf(options);
  const { queryLimits, http } = graphqlSettings(options, process.env, options.host);
  const { addresses, startBlocks } = await networkOverrides(globals);
  // Loaded here rather than at the top, so that other commands do not pay for the indexer's start-up.
  const { startIndexerThread, IndexerThreadStartError } = await import("../indexer/indexer-thread.ts");
  const thread = await startIndexerThread({
    subgraph: options.subgraph,
    rpcUrl: globals.rpc,
    dataDir: options.databaseUrl ? undefined : options.db,
    databaseUrl: options.databaseUrl,
    name: options.name,
    host: options.host,
    ...numbers,
    addresses,
    startBlocks,
    progress: options.progress,
    queryLimits,
    http: { ...http, site: explorerSite(options.explorer) },
  }).catch((error: Error) => {
    throw new CliError(error.message, { code: error instanceof IndexerThreadStartError && error.badInput ? "BAD_INPUT" : "FAILED" });
  });
  console.log(`GraphQL API: ${thread.url}  (GraphiQL: open it in a browser)`);
  console.log(explorerSite(options.explorer) ? `Lineage explorer: ${explorerUrl(thread.url)}` : `Lineage explorer: not built in ${options.explorer} (npm run build)`);
  console.log(`Store: ${options.databaseUrl ? "PostgreSQL" : options.db ? `PGlite in ${options.db}` : "PGlite in memory"}`);
  await serveUntilInterrupted(thread);
}

/**
 * Serves until SIGINT or SIGTERM, then stops the indexer (interrupting a running handler if it does not stop in
 * time; a second signal interrupts at once). A handler failure ends indexing but not serving, as in graph-node.
 *
 * @throws CliError (exit 1) when indexing failed otherwise, e.g. the chain stayed unreachable.
 */
async function serveUntilInterrupted(thread: IndexerThread): Promise<void> {
  const interrupted = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  const failed = thread.ended.then(
    () => interrupted,
    (error: Error) => error,
  );
  const first = await Promise.race([interrupted, failed]);
  if (first instanceof Error) {
    await thread.stop();
    throw new CliError(first.message, { code: "FAILED" });
  }
  const now = () => void thread.stop(0);
  process.once("SIGINT", now);
  process.once("SIGTERM", now);
  process.stderr.write(`${first}: stopping the indexer\n`);
  if ((await thread.stop()) === "terminated") {
    process.stderr.write("the indexer did not stop in time (a handler still running?): interrupted it; a restart resumes at the last committed block\n");
  }
}
