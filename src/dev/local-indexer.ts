/**
 * The embedded indexer over a local chain: the built subgraph (`npm run build`) indexing the registries a local
 * deployment (./deploy.ts) put on a local chain (./local-chain.ts, or the benchmarks' chain in its own process),
 * serving GraphQL on 127.0.0.1, and the lineage explorer at /explorer/ when it is built.
 */
import { startIndexer, type Indexer } from "../indexer/indexer.ts";
import { indexerOverrides, type ContractLocation } from "../sdk/networks.ts";
import type { LocalChain } from "./local-chain.ts";
import { explorerSite } from "../explorer/site.ts";

export interface LocalIndexerOptions {
  /** GraphQL port; 0 (the default) takes any free port. */
  port?: number;
  /** With a preferred `port` that is taken, take any free port instead of failing (the demo prefers 8000). */
  fallbackToAnyPort?: boolean;
  /** How often the chain is polled for new blocks (default 100 ms). */
  pollIntervalMs?: number;
  /** Cache query results (default true); benchmarks turn it off to measure every query's real path. */
  cacheQueries?: boolean;
  /** Keep the PGlite store in this directory (default: in memory). */
  dataDir?: string;
  /** Use this PostgreSQL server instead of PGlite. */
  databaseUrl?: string;
}

/**
 * Starts the indexer on `chain` for `deployment`, quietly (no log lines).
 *
 * @example
 * const indexer = await indexLocally(chain, deployment);
 * await indexer.waitForBlock(await chain.connection.ethers.provider.getBlockNumber());
 */
export async function indexLocally(
  chain: Pick<LocalChain, "url">,
  deployment: { locations: Readonly<Record<string, ContractLocation>> },
  options: LocalIndexerOptions = {},
): Promise<Indexer> {
  const settings = {
    subgraph: "build",
    rpcUrl: chain.url,
    ...indexerOverrides(deployment.locations),
    pollIntervalMs: options.pollIntervalMs ?? 100,
    cacheQueries: options.cacheQueries,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    http: { site: explorerSite() },
    log: () => {},
  };
  const port = options.port ?? 0;
  return startIndexer({ ...settings, port }).catch((error: unknown) =>
    options.fallbackToAnyPort && port !== 0 ? startIndexer({ ...settings, port: 0 }) : Promise.reject(error),
  );
}
