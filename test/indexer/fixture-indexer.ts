/**
 * End-to-end tests of fixture subgraphs (test/indexer/runtime/fixtures/<name>) run on both stores: PGlite in a
 * directory of the test's, and the test PostgreSQL server (test/global-setup.ts) under a subgraph name of their own.
 */
import { join } from "node:path";
import { startIndexer, type Indexer, type IndexerOptions } from "../../src/indexer/indexer.ts";
import { DATABASE_URL as TEST_DATABASE_URL } from "./store/helpers.ts";

export interface FixtureStore {
  name: "PGlite" | "PostgreSQL";
  /** The store options for a test whose files go under `dir`, its deployment named after `label`. */
  options(dir: string, label: string): Pick<IndexerOptions, "dataDir" | "databaseUrl" | "name">;
}

export const FIXTURE_STORES: readonly FixtureStore[] = [
  { name: "PGlite", options: (dir) => ({ dataDir: join(dir, "db") }) },
  { name: "PostgreSQL", options: (_, label) => ({ databaseUrl: TEST_DATABASE_URL, name: `${label}-${process.pid}-${Date.now()}` }) },
];

/** Starts the indexer quietly on a fixture's build: one data source at `address` from `startBlock`, queries uncached. */
export function indexFixture(
  manifest: string,
  chainUrl: string,
  store: { options: ReturnType<FixtureStore["options"]>; name: FixtureStore["name"] },
  source: { name: string; address: string; startBlock: number },
): Promise<Indexer> {
  if (store.name === "PostgreSQL" && !TEST_DATABASE_URL) throw new Error("no PostgreSQL server: test/global-setup.ts should have started one");
  return startIndexer({
    subgraph: manifest,
    rpcUrl: chainUrl,
    ...store.options,
    addresses: { [source.name]: source.address.toLowerCase() },
    startBlocks: { [source.name]: source.startBlock },
    port: 0,
    pollIntervalMs: 50,
    cacheQueries: false,
    log: () => {},
  });
}
