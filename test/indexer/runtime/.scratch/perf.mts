import { Interface } from "ethers";
import { readFileSync } from "node:fs";
import { SubgraphRuntime } from "../../../../src/indexer/runtime/index.ts";
const abi = JSON.parse(readFileSync("build/DatasetRegistry/DatasetRegistry.json", "utf8"));
const iface = new Interface(abi);
const addr = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const rt = await SubgraphRuntime.load("build/subgraph.yaml", { addresses: { DatasetRegistry: addr } });
const cache = rt.createEntityCache();
const mk = (n: bigint) => ({ number: n, hash: "0x" + n.toString(16).padStart(64, "0"), parentHash: "0x" + "22".repeat(32), unclesHash: "0x" + "33".repeat(32), author: "0x" + "44".repeat(20), stateRoot: "0x" + "55".repeat(32), transactionsRoot: "0x" + "66".repeat(32), receiptsRoot: "0x" + "77".repeat(32), gasUsed: 100n, gasLimit: 30000000n, timestamp: 1700000000n + n, difficulty: 0n, totalDifficulty: 0n, size: null, baseFeePerGas: 7n });
const N = Number(process.argv[2] ?? 3000);
const evR = iface.getEvent("DatasetRegistered")!;
const evV = iface.getEvent("DatasetVersionPublished")!;
const triggers: any[] = [];
for (let i = 1; i <= N; i++) {
  const block = mk(BigInt(i));
  const tx = { hash: "0x" + i.toString(16).padStart(64, "0"), index: 0n, from: "0x" + "bb".repeat(20), to: addr, value: 0n, gasLimit: 1000000n, gasPrice: 1n, input: "0x", nonce: 3n };
  const owner = "0x" + (i % 50 + 1).toString(16).padStart(40, "0");
  const e1 = iface.encodeEventLog(evR, [BigInt(i), owner]);
  const e2 = iface.encodeEventLog(evV, [BigInt(i), BigInt(i), 1, "0x" + "ab".repeat(32), "0x" + "cd".repeat(32), "0x" + "ef".repeat(32), "ipfs://x", i > 1 ? [BigInt(i - 1)] : [], "0x" + "01".repeat(32), owner]);
  for (const [j, e] of [e1, e2].entries()) {
    const log = { address: addr, topics: e.topics, data: e.data, logIndex: BigInt(j), transactionIndex: 0n, transactionHash: tx.hash, blockNumber: block.number, blockHash: block.hash };
    triggers.push({ log, block, tx });
  }
}
let t0 = performance.now();
const c0 = process.cpuUsage();
let count = 0;
let matchTime = 0;
for (let i = 0; i < triggers.length; i += 2) {
  cache.beginBlock();
  for (const t of [triggers[i], triggers[i + 1]]) {
    const m0 = performance.now();
    const ms = rt.matchLog(t.log);
    matchTime += performance.now() - m0;
    for (const m of ms) { rt.runTrigger({ kind: "event", dataSource: m.dataSource.id, handler: m.handler.handler, log: t.log, block: t.block, transaction: t.tx, receipt: null }, cache); count++; }
  }
  cache.changes();
  cache.commitBlock();
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0); const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(`${count} triggers in ${ms.toFixed(0)} ms wall = ${(count / ms * 1000).toFixed(0)}/s; cpu ${cpuMs.toFixed(0)} ms = ${(count / cpuMs * 1000).toFixed(0)}/s per core; matchLog ${matchTime.toFixed(0)} ms`);
