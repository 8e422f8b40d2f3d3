/**
 * Data sources created from templates on a real chain: the runtime follows a contract created at run time with the
 * context its creator gave it, keeps following it after a restart (created data sources are stored with their
 * block), and forgets it when a reorg drops the block that created it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../../src/dev/local-chain.ts";
import { startIndexer, type Indexer } from "../../src/indexer/indexer.ts";
import { ChildFactory__factory, PingChild__factory, type ChildFactory } from "../../types/index.ts";
import { ensureFixtureBuilt } from "./runtime/fixture-build.ts";
import { post, rpc } from "./helpers.ts";

let chain: LocalChain;
let factory: ChildFactory;
let factoryBlock: number;
let manifest: string;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  manifest = ensureFixtureBuilt("hostcheck");
  chain = await startLocalChain();
  factory = await new ChildFactory__factory(chain.signers[0]).deploy();
  factoryBlock = (await factory.deploymentTransaction()!.wait())!.blockNumber;
  dir = await mkdtemp(join(tmpdir(), "pedigree-templates-"));
}, 180_000);

afterAll(async () => {
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function start(): Promise<Indexer> {
  return startIndexer({
    subgraph: manifest,
    rpcUrl: chain.url,
    dataDir: join(dir, "db"),
    addresses: { Factory: (factory.target as string).toLowerCase() },
    startBlocks: { Factory: factoryBlock },
    port: 0,
    pollIntervalMs: 50,
    cacheQueries: false,
    log: (line) => logs.push(line),
  });
}

async function createChild(label: string, withContext: boolean) {
  const receipt = (await (await factory.createChild(label, withContext)).wait())!;
  const event = receipt.logs.map((log) => factory.interface.parseLog(log)).find((parsed) => parsed?.name === "ChildCreated")!;
  return PingChild__factory.connect(event.args.child as string, chain.signers[0]);
}

async function pings(indexer: Indexer) {
  const body = await post(indexer.url, "{ pingRecords(orderBy: value) { source label n i8 value note } }");
  return (body.data as { pingRecords: Record<string, unknown>[] }).pingRecords;
}

const head = () => chain.connection.ethers.provider.getBlockNumber();

describe("templates", () => {
  it("follows a created contract with its context, across a restart and a reorg", async () => {
    const alpha = await createChild("alpha", true);
    await (await alpha.ping(1, "first")).wait();

    let indexer = await start();
    await indexer.waitForBlock(await head());
    const alphaAddress = (alpha.target as string).toLowerCase();
    expect(await pings(indexer)).toEqual([{ source: alphaAddress, label: "alpha", n: "42", i8: "-7", value: "1", note: "first" }]);
    await indexer.stop();

    // While the indexer is down, the child keeps pinging; after the restart it is still followed, context intact.
    await (await alpha.ping(2, "while down")).wait();
    indexer = await start();
    try {
      await indexer.waitForBlock(await head());
      expect((await pings(indexer)).map((p) => [p.value, p.note, p.label, p.i8])).toEqual([
        ["1", "first", "alpha", "-7"],
        ["2", "while down", "alpha", "-7"],
      ]);

      // A reorg drops the block that created a second child: its pings vanish and it is no longer followed.
      const snapshot = await rpc<string>(chain, "evm_snapshot");
      const beta = await createChild("beta", false);
      await (await beta.ping(3, "dropped")).wait();
      await indexer.waitForBlock(await head());
      expect((await pings(indexer)).map((p) => p.note)).toEqual(["first", "while down", "dropped"]);
      const droppedHead = await head();

      await rpc(chain, "evm_revert", [snapshot]);
      await (await alpha.ping(4, "new branch")).wait();
      while ((await head()) <= droppedHead) await rpc(chain, "evm_mine");
      await indexer.waitForBlock(await head());
      expect((await pings(indexer)).map((p) => p.note)).toEqual(["first", "while down", "new branch"]);
      expect(logs.some((line) => line.includes("reorg dropped 1 data source(s) created from templates"))).toBe(true);
    } finally {
      await indexer.stop();
    }
  });
});
