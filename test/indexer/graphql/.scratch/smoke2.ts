import { lineageStore, schema, post } from "../fixtures.ts";
import { startGraphQLServer } from "../../../../src/indexer/graphql/server.ts";
const store = await lineageStore();
const server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmTest" });
const lineage = `query Lineage($id: ID!) {
  modelVersion(id: $id) {
    id number uri
    model { id modelId requiredKindIds }
    trainingRun {
      id startedAt
      datasetVersions { id number uri fingerprint
        dataset { id datasetId creator { id } currentTerms { id price } }
        attestations(where: {revoked: false}) { id kind { name } attester { id } }
        children { id }
      }
      licences { id amount licensee { id } terms { id documentURI } attestations { id revoked } }
      attestations { id }
    }
    attestations(orderBy: createdAt, orderDirection: desc) { id subjectType revoked attester { id } }
  }
}`;
console.log(JSON.stringify(await post(server.url, lineage, { id: "1" }), null, 1));
const t: number[] = [];
for (let i = 0; i < 200; i++) { const s = performance.now(); await post(server.url, lineage, { id: "1" }); t.push(performance.now() - s); }
t.sort((a, b) => a - b); console.log("p50", t[100], "p95", t[190]);
const r = await server.executor.execute({ query: lineage, variables: { id: "1" } }); console.log("store queries", r.storeQueries);
await server.close(); await store.close();
