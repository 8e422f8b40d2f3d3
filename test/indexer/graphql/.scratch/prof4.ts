import { lineageStore, schema } from "../fixtures.ts";
import { createQueryExecutor } from "../../../../src/indexer/graphql/execute.ts";
const store = await lineageStore();
const orig = store.find.bind(store);
const memo = new Map<string, any>();
const key = (q: any) => JSON.stringify(q, (k, v) => typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v);
store.find = async (q) => { const k = key(q); if (!memo.has(k)) memo.set(k, await orig(q)); return memo.get(k); };
const st = await store.status(); store.status = async () => st;
const ex = createQueryExecutor({ store, schema, deployment: "QmTest" });
const lineage = `query Lineage($id: ID!) {
  modelVersion(id: $id) { id number uri model { id modelId requiredKindIds }
    trainingRun { id startedAt
      datasetVersions { id number uri fingerprint dataset { id datasetId creator { id } currentTerms { id price } }
        attestations(where: {revoked: false}) { id kind { name } attester { id } } children { id } }
      licences { id amount licensee { id } terms { id documentURI } attestations { id revoked } }
      attestations { id } }
    attestations(orderBy: createdAt, orderDirection: desc) { id subjectType revoked attester { id } } } }`;
for (let i = 0; i < 300; i++) await ex.execute({ query: lineage, variables: { id: "1" } });
const t: number[] = [];
for (let i = 0; i < 500; i++) { const s = performance.now(); await ex.execute({ query: lineage, variables: { id: "1" } }); t.push(performance.now() - s); }
t.sort((a, b) => a - b); console.log("JS-only p50", t[250].toFixed(3), "p95", t[475].toFixed(3));
await store.close();
