import { lineageStore, schema, post } from "../fixtures.ts";
import { startGraphQLServer } from "../../../../src/indexer/graphql/server.ts";
import { createServer } from "node:http";
const store = await lineageStore();
const server = await startGraphQLServer({ store, schema, subgraphName: "x", deployment: "Qm" });
const plain = createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, {"content-type": "application/json"}); res.end('{"data":{}}'); }); });
await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
const plainUrl = `http://127.0.0.1:${(plain.address() as any).port}/`;
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(v.length * p)]!.toFixed(2);
for (let round = 0; round < 3; round++) {
  const a: number[] = [], b: number[] = [], c: number[] = [];
  for (let i = 0; i < 200; i++) {
    let s = performance.now(); await post(plainUrl, "{x}"); a.push(performance.now() - s);
    s = performance.now(); await post(server.url, "{ _meta { deployment } }"); b.push(performance.now() - s);
    s = performance.now(); await server.executor.execute({ query: "{ _meta { deployment } }" }); c.push(performance.now() - s);
  }
  console.log("plain http", pct(a, .5), pct(a, .95), "| meta http", pct(b, .5), pct(b, .95), "| meta execute", pct(c, .5), pct(c, .95));
}
await server.close(); plain.close(); await store.close();
