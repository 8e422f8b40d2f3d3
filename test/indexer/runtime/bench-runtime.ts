/**
 * Throughput of the WASM host on the project's DatasetRegistry handlers (not a test; run it by hand):
 *
 *   npx tsx test/indexer/runtime/bench-runtime.ts [datasets=3000]
 *
 * Per dataset, one block with DatasetRegistered + DatasetVersionPublished (+ TermsSet with two royalty splits for
 * every third dataset), matched with matchLog, run with runTrigger into an EntityCache that is committed per block
 * (changes() + commitBlock(); no database). Reports triggers per second of wall time and of CPU time (the machine
 * may be shared), and the share spent in matchLog (ABI decoding).
 */
import { readFileSync } from "node:fs";
import { Interface } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import type { Log, BlockHeader, Transaction } from "../../../src/indexer/chain/types.ts";
import { block, encodeLog, hex, projectManifest, transaction, txHash } from "./helpers.ts";
import { WORLDWIDE } from "../../../src/core/regions.ts";

const DATASETS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const count = Number(process.argv[2] ?? 3000);
const manifest = projectManifest();
const iface = new Interface(JSON.parse(readFileSync(manifest.replace("subgraph.yaml", "DatasetRegistry/DatasetRegistry.json"), "utf8")));
const runtime = await SubgraphRuntime.load(manifest, { addresses: { DatasetRegistry: DATASETS } });

const blocks: { block: BlockHeader; items: { log: Log; tx: Transaction }[] }[] = [];
for (let i = 1; i <= count; i++) {
  const blk = block(BigInt(i));
  const owner = `0x${(1 + (i % 200)).toString(16).padStart(40, "0")}`;
  const items: { log: Log; tx: Transaction }[] = [];
  const add = (event: string, args: unknown[]) => {
    const hash = txHash(i * 10 + items.length);
    items.push({ log: encodeLog(iface, event, args, { address: DATASETS, block: blk, txHash: hash, logIndex: BigInt(items.length) }), tx: transaction(hash) });
  };
  add("DatasetRegistered", [BigInt(i), owner]);
  add("DatasetVersionPublished", [BigInt(i), BigInt(i), 1, hex(0xab, 32), hex(0xcd, 32), hex(0xef, 32), `ipfs://dataset/${i}`, i > 1 ? [BigInt(i - 1)] : [], i > 1 ? [0n] : [], hex(0x01, 32), owner, 0n, hex(0, 32), "", WORLDWIDE, WORLDWIDE]);
  if (i % 3 === 0) {
    add("TermsSet", [BigInt(i), BigInt(i), "0x0000000000000000000000000000000000000000", 10n ** 18n, 0, true, true, hex(0x02, 32), "ipfs://terms", [[owner, 9000], [hex(0x77, 20), 1000]], WORLDWIDE, WORLDWIDE, owner]);
  }
  blocks.push({ block: blk, items });
}

const cache = runtime.createEntityCache();
let triggers = 0;
let matchMs = 0;
const wall = performance.now();
const cpu = process.cpuUsage();
for (const { block: blk, items } of blocks) {
  cache.beginBlock();
  for (const { log, tx } of items) {
    const m0 = performance.now();
    const matches = runtime.matchLog(log);
    matchMs += performance.now() - m0;
    for (const match of matches) {
      runtime.runTrigger({ kind: "event", dataSource: match.dataSource.id, handler: match.handler.handler, log, block: blk, transaction: tx, receipt: null }, cache);
      triggers++;
    }
  }
  cache.changes();
  cache.commitBlock();
}
const wallMs = performance.now() - wall;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
console.log(`setup: ${count} blocks, ${triggers} triggers (DatasetRegistry), Node ${process.version}, EntityCache only`);
console.log(`wall: ${wallMs.toFixed(0)} ms → ${((triggers / wallMs) * 1000).toFixed(0)} triggers/s`);
console.log(`cpu:  ${cpuMs.toFixed(0)} ms → ${((triggers / cpuMs) * 1000).toFixed(0)} triggers/s per core`);
console.log(`matchLog (ABI decoding): ${matchMs.toFixed(0)} ms (${((matchMs / wallMs) * 100).toFixed(0)}% of wall)`);
console.log(`entities: ${["Dataset", "DatasetVersion", "LicenceTerms", "RoyaltySplit", "Account", "ProvenanceEvent"].map((t) => `${t}=${cache.count(t)}`).join(" ")}`);
