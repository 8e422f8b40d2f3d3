import { lineageStore, schema } from "../fixtures.ts";
import { createQueryExecutor } from "../../../../src/indexer/graphql/execute.ts";
import { prepareQuery } from "../../../../src/indexer/graphql/prepare.ts";
import { parse } from "graphql";
const store = await lineageStore();
const ex = createQueryExecutor({ store, schema, deployment: "QmTest" });
const lineage = `query Lineage($id: ID!) {
  modelVersion(id: $id) { id number uri model { id modelId requiredKindIds }
    trainingRun { id startedAt
      datasetVersions { id number uri fingerprint dataset { id datasetId creator { id } currentTerms { id price } }
        attestations(where: {revoked: false}) { id kind { name } attester { id } } children { id } }
      licences { id amount licensee { id } terms { id documentURI } attestations { id revoked } }
      attestations { id } }
    attestations(orderBy: createdAt, orderDirection: desc) { id subjectType revoked attester { id } } } }`;
let s = performance.now();
for (let i = 0; i < 200; i++) prepareQuery(ex.api.schema, parse(lineage), { id: "1" });
console.log("prepare ms", ((performance.now() - s) / 200).toFixed(3));
// sequential finds of the same shapes
const orig = store.find.bind(store);
const log: any[] = [];
store.find = async (q) => { log.push(q); return orig(q); };
await ex.execute({ query: lineage, variables: { id: "1" } });
store.find = orig;
s = performance.now();
for (let i = 0; i < 50; i++) for (const q of log) await orig(q);
console.log("sequential replay of", log.length, "finds ms", ((performance.now() - s) / 50).toFixed(2));
s = performance.now();
for (let i = 0; i < 50; i++) await Promise.all(log.map((q) => orig(q)));
console.log("parallel replay ms", ((performance.now() - s) / 50).toFixed(2));
for (const q of log) { const t = performance.now(); for (let i = 0; i < 20; i++) await orig(q); console.log(q.entityType, JSON.stringify(q.filter, (k, v) => typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? "bytes" : v).slice(0, 140), ((performance.now() - t) / 20).toFixed(2)); }
await store.close();
