/**
 * JSON-RPC transport benchmark: the SDK's transport (abortableGetUrl: Node http bounded by a timeout, destroyed when
 * it passes) against ethers' own Node transport, on the same local chain in the same run. Both providers are built
 * alike (static network, no cache, no batching delay) and differ only in the transport.
 *
 *   npx tsx bench/rpc.ts      (PEDIGREE_BENCH_RPC_CALLS: calls per measurement, default 2000)
 *
 * Each measurement sends `eth_blockNumber` (provider.send: no cache), one call at a time and then 50 at a time
 * (ethers batches concurrent calls into one HTTP request). The best of 3 runs is reported.
 */
import { FetchRequest, JsonRpcProvider, Network } from "ethers";
import { abortableGetUrl } from "../src/sdk/internal/abortableGetUrl.ts";
import { startLocalChain } from "../src/dev/local-chain.ts";
import { DEFAULT_TIMEOUT_MS } from "../src/core/timeouts.ts";

const CALLS = Number(process.env.PEDIGREE_BENCH_RPC_CALLS ?? 2000);
const RUNS = 3;
const CONCURRENCY = 50;

async function timed(provider: JsonRpcProvider, concurrency: number): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    for (let sent = 0; sent < CALLS; sent += concurrency) {
      await Promise.all(Array.from({ length: Math.min(concurrency, CALLS - sent) }, () => provider.send("eth_blockNumber", [])));
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const chain = await startLocalChain();
const network = Network.from(31337);
const options = { staticNetwork: network, cacheTimeout: -1, batchStallTime: 0 };
const ethersDefault = new JsonRpcProvider(chain.url, network, options);
const connection = new FetchRequest(chain.url);
connection.timeout = DEFAULT_TIMEOUT_MS;
connection.getUrlFunc = abortableGetUrl;
const sdk = new JsonRpcProvider(connection, network, options);
console.log(`RPC transport: ${CALLS} eth_blockNumber calls to a local Hardhat EDR chain over HTTP, best of ${RUNS}, Node ${process.version}`);
for (const concurrency of [1, CONCURRENCY]) {
  const baseline = await timed(ethersDefault, concurrency);
  const ours = await timed(sdk, concurrency);
  const rate = (ms: number) => `${Math.round((CALLS / ms) * 1000)} calls/s`.padStart(16);
  console.log(`  ${String(concurrency).padStart(2)} at a time  ethers' transport ${rate(baseline)}   SDK transport ${rate(ours)}   ratio ${(baseline / ours).toFixed(2)}× (>1: SDK faster)`);
}
ethersDefault.destroy();
sdk.destroy();
await chain.close();
