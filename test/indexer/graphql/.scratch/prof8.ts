import { openStore, scaledLineageBlock, schema } from "../fixtures.ts";
import { createQueryExecutor } from "../../../../src/indexer/graphql/execute.ts";
import { parse } from "graphql";
import { prepareQuery } from "../../../../src/indexer/graphql/prepare.ts";
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
const orig = store.find.bind(store);
let chain = Promise.resolve() as Promise<unknown>;
const serial = (q: any) => { const p = chain.then(() => orig(q)); chain = p.catch(() => {}); return p; };
const exA = createQueryExecutor({ store, schema, deployment: "Qm", cacheResults: false });
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(v.length * p)]!.toFixed(2);
const recorded: any[] = [];
store.find = (q) => { recorded.push(q); return orig(q); };
await exA.execute({ query: LINEAGE, variables: { id: "8" } });
store.find = orig;
let s = performance.now();
for (let i = 0; i < 100; i++) prepareQuery(exA.api.schema, parse(LINEAGE), { id: "8" });
console.log("parse+prepare ms", ((performance.now() - s) / 100).toFixed(3));
for (let round = 0; round < 3; round++) {
  const a: number[] = [], b: number[] = [], c: number[] = [];
  for (let i = 0; i < 60; i++) {
    const id = modelVersionIds[i % modelVersionIds.length];
    store.find = orig;
    let t = performance.now(); await exA.execute({ query: LINEAGE, variables: { id } }); a.push(performance.now() - t);
    store.find = serial;
    t = performance.now(); await exA.execute({ query: LINEAGE, variables: { id } }); b.push(performance.now() - t);
    store.find = orig;
    t = performance.now(); await store.status(); for (const q of recorded) await orig(q); c.push(performance.now() - t);
  }
  console.log("concurrent", pct(a, .5), pct(a, .95), "| serialized", pct(b, .5), pct(b, .95), "| direct", pct(c, .5), pct(c, .95));
}
await store.close();
