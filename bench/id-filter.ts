/**
 * Id filter benchmark: the entity cache's Bloom filter of store ids (src/indexer/runtime/id-filter.ts) against the
 * obvious alternative, a Set of the same "type\0id" keys, in the same process: memory held, and lookups per second of
 * ids present and absent (a handler looks up every id before creating it, so most lookups are of absent ids).
 *
 *   npm run bench:id-filter                        (1 000 000 ids)
 *   npm run bench:id-filter -- --ids 2000000
 *
 * A benchmark reports; it does not enforce: a missed target prints FAIL, exit code 0.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { EntityIdFilter } from "../src/indexer/runtime/id-filter.ts";

const { values: args } = parseArgs({ options: { ids: { type: "string" } } });
const IDS = Number(args.ids ?? 1_000_000);
if (!Number.isSafeInteger(IDS) || IDS < 1000) throw new Error(`--ids must be a whole number ≥ 1000, not ${args.ids}`);
const LOOKUPS = 1_000_000;
const TYPES = ["ProvenanceEvent", "Attestation", "DatasetVersion", "ModelVersion"];

/** Ids shaped like the subgraph's: a transaction hash and a log index. */
const idOf = (i: number) => `0x${i.toString(16).padStart(64, "0")}-${i % 9}`;
const typeOf = (i: number) => TYPES[i % TYPES.length]!;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function heapAfterGc(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

/** Lookups per second of `count` ids from `from`, and how many were reported present. */
function lookups(has: (type: string, id: string) => boolean, from: number): { perSecond: number; present: number } {
  const keys = Array.from({ length: LOOKUPS }, (_, k) => [typeOf(from + k), idOf(from + k)] as const);
  let present = 0;
  const started = performance.now();
  for (const [type, id] of keys) if (has(type, id)) present += 1;
  return { perSecond: LOOKUPS / ((performance.now() - started) / 1000), present };
}

console.log("Id filter benchmark\n");
console.log("Setup");
console.log(`  machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}${globalThis.gc ? "" : " (run with --expose-gc for memory figures)"}`);
console.log(`  ${IDS.toLocaleString("en-US")} ids of ${TYPES.length} types (transaction hash + log index), then ${LOOKUPS.toLocaleString("en-US")} lookups of present and of absent ids`);

const before = heapAfterGc();
const filter = new EntityIdFilter();
for (let i = 0; i < IDS; i++) filter.add(typeOf(i), idOf(i));
const filterBytes = heapAfterGc() - before;
const set = new Set<string>();
for (let i = 0; i < IDS; i++) set.add(`${typeOf(i)}\u0000${idOf(i)}`);
const setBytes = heapAfterGc() - before - filterBytes;

const row = (label: string, value: string, note = "") => console.log(`  ${label.padEnd(44)} ${value.padStart(14)}  ${note}`);
const filterHas = (type: string, id: string) => filter.mayHave(type, id);
const setHas = (type: string, id: string) => set.has(`${type}\u0000${id}`);
const filterPresent = lookups(filterHas, 0);
const setPresent = lookups(setHas, 0);
const filterAbsent = lookups(filterHas, IDS);
const setAbsent = lookups(setHas, IDS);

console.log("\nMemory held");
row("Bloom filter", mib(filterBytes), globalThis.gc ? `${(filterBytes / setBytes).toFixed(3)}× the Set's` : "");
row("baseline: Set of keys", mib(setBytes));
console.log("\nLookups per second");
row("present ids, Bloom filter", Math.round(filterPresent.perSecond).toLocaleString("en-US"), `${(filterPresent.perSecond / setPresent.perSecond).toFixed(2)}× the Set`);
row("present ids, baseline: Set", Math.round(setPresent.perSecond).toLocaleString("en-US"));
row("absent ids, Bloom filter", Math.round(filterAbsent.perSecond).toLocaleString("en-US"), `${(filterAbsent.perSecond / setAbsent.perSecond).toFixed(2)}× the Set`);
row("absent ids, baseline: Set", Math.round(setAbsent.perSecond).toLocaleString("en-US"));
const falsePositiveRate = filterAbsent.present / LOOKUPS;
row("absent ids reported 'maybe' (store reads)", `${(falsePositiveRate * 100).toFixed(4)} %`);

console.log("\nTargets");
console.log(`  ${filterPresent.present === LOOKUPS ? "PASS" : "FAIL"}  every present id found (${filterPresent.present.toLocaleString("en-US")} of ${LOOKUPS.toLocaleString("en-US")})`);
console.log(`  ${falsePositiveRate <= 1e-3 || IDS > 2_000_000 ? "PASS" : "FAIL"}  'maybe' for at most 0.1 % of absent ids up to 2 million ids (${(falsePositiveRate * 100).toFixed(4)} %)`);
const speed = filterAbsent.perSecond / setAbsent.perSecond;
console.log(`  ${speed >= 0.8 ? "PASS" : "FAIL"}  lookups of absent ids as fast as the Set's (${speed.toFixed(2)}×; ≥ 0.8× allows for noise): the store read each one saves takes ~0.3 ms`);
