import { lineageStore, schema } from "../fixtures.ts";
import { createQueryExecutor } from "../../../../src/indexer/graphql/execute.ts";
const store = await lineageStore();
const orig = store.find.bind(store);
let findTime = 0, n = 0;
store.find = async (q) => { const s = performance.now(); try { return await orig(q); } finally { findTime += performance.now() - s; n++; } };
const ex = createQueryExecutor({ store, schema, deployment: "QmTest" });
const lineage = `query Lineage($id: ID!) {
  modelVersion(id: $id) { id number uri model { id modelId requiredKindIds }
    trainingRun { id startedAt
      datasetVersions { id number uri fingerprint dataset { id datasetId creator { id } currentTerms { id price } }
        attestations(where: {revoked: false}) { id kind { name } attester { id } } children { id } }
      licences { id amount licensee { id } terms { id documentURI } attestations { id revoked } }
      attestations { id } }
    attestations(orderBy: createdAt, orderDirection: desc) { id subjectType revoked attester { id } } } }`;
for (let i = 0; i < 50; i++) await ex.execute({ query: lineage, variables: { id: "1" } });
findTime = 0; n = 0;
const t: number[] = [];
for (let i = 0; i < 200; i++) { const s = performance.now(); await ex.execute({ query: lineage, variables: { id: "1" } }); t.push(performance.now() - s); }
t.sort((a, b) => a - b); console.log("p50", t[100].toFixed(2), "p95", t[190].toFixed(2), "find total/req", (findTime / 200).toFixed(2), "finds/req", n / 200);
// single find latency
let s = performance.now();
for (let i = 0; i < 200; i++) await orig({ entityType: "Account", block: 4, first: 1000, skip: 0, filter: { kind: "compare", field: "id", op: "in", value: [new Uint8Array(20)] } });
console.log("single find ms", ((performance.now() - s) / 200).toFixed(3));
s = performance.now();
for (let i = 0; i < 200; i++) await store.status();
console.log("status ms", ((performance.now() - s) / 200).toFixed(3));
await store.close();
