import { openStore, scaledLineageBlock, schema, post } from "../fixtures.ts";
import { startGraphQLServer } from "../../../../src/indexer/graphql/server.ts";
const LINEAGE = `query Lineage($id: ID!) {
  modelVersion(id: $id) { id number uri model { id modelId }
    trainingRun { id startedAt endedAt
      datasetVersions { id number uri fingerprint dataset { id datasetId creator { id } currentTerms { id price } }
        attestations(where: { revoked: false }) { id kind { name } attester { id } } }
      licences { id amount licensee { id } terms { id documentURI } attestations { id revoked } }
      attestations { id } }
    attestations(orderBy: createdAt, orderDirection: desc) { id subjectType revoked attester { id } } } }`;
const store = await openStore();
const { block, changes, modelVersionIds } = scaledLineageBlock({ datasets: 60, models: 10, versionsPerModel: 3, perRun: 12 });
await store.commitBlock(block, changes);
const recorded: any[] = [];
const orig = store.find.bind(store);
let rec = true;
store.find = (q) => { if (rec) recorded.push(q); return orig(q); };
const server = await startGraphQLServer({ store, schema, subgraphName: "x", deployment: "Qm" });
await server.executor.execute({ query: LINEAGE, variables: { id: "8" } });
rec = false;
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(v.length * p)]!.toFixed(2);
for (let round = 0; round < 3; round++) {
  const a: number[] = [], b: number[] = [], c: number[] = [], d: number[] = [];
  for (let i = 0; i < 100; i++) {
    const id = modelVersionIds[i % modelVersionIds.length];
    let s = performance.now(); await post(server.url, LINEAGE, { id }); a.push(performance.now() - s);
    s = performance.now(); await server.executor.execute({ query: LINEAGE, variables: { id } }); b.push(performance.now() - s);
    s = performance.now(); await store.status(); for (const q of recorded) await orig(q); c.push(performance.now() - s);
    s = performance.now(); await Promise.all([store.status(), ...recorded.map((q) => orig(q))]); d.push(performance.now() - s);
  }
  console.log("http", pct(a, .5), pct(a, .95), "| execute", pct(b, .5), pct(b, .95), "| direct seq", pct(c, .5), pct(c, .95), "| direct parallel", pct(d, .5), pct(d, .95));
}
await server.close(); await store.close();
