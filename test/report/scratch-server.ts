// TEMPORARY scratch: runs the fixture and keeps it alive for manual queries.
import { indexedScenario } from "../helpers/indexed-scenario.ts";
const f = await indexedScenario();
console.log(JSON.stringify({ url: f.url, chain: f.chain.url, result: f.result }, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
setInterval(() => {}, 1 << 30);
