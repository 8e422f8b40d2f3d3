/**
 * The same indexer on a real PostgreSQL server (DATABASE_URL, or the one test/global-setup.ts started) gives exactly
 * what it gives on PGlite: the demo scenario indexed into both and compared entity by entity.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexerOverrides } from "../../src/sdk/networks.ts";
import { startIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { dumpAll } from "./helpers.ts";
import { DATABASE_URL as databaseUrl } from "./store/helpers.ts";

if (!databaseUrl) console.warn("test/indexer/postgres.test.ts skipped: set DATABASE_URL to run the indexer against PostgreSQL");

describe.skipIf(!databaseUrl)("indexing into PostgreSQL", () => {
  let fixture: IndexedScenario;
  let onPostgres: Indexer;

  beforeAll(async () => {
    fixture = await indexedScenario();
    onPostgres = await startIndexer({
      subgraph: "build",
      rpcUrl: fixture.chain.url,
      ...indexerOverrides(fixture.deployment.locations),
      databaseUrl,
      name: `pedigree-pg-test-${process.pid}-${Date.now()}`,
      port: 0,
      log: () => {},
    });
    await onPostgres.waitForBlock(fixture.result.blocks.end);
  }, 180_000);

  afterAll(async () => {
    await onPostgres?.stop();
    await fixture?.close();
  });

  it("holds exactly what PGlite holds, now and as of an earlier block", async () => {
    expect(await dumpAll(onPostgres.url)).toEqual(await dumpAll(fixture.url));
    const before = fixture.result.blocks.beforeRollback;
    expect(await dumpAll(onPostgres.url, before)).toEqual(await dumpAll(fixture.url, before));
  });
});
