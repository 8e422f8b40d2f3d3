import { readFileSync } from "node:fs";
import { parseSchema } from "../../../../src/indexer/schema/schema.ts";
import { createStore } from "../../../../src/indexer/store/index.ts";
import { hexToBytes } from "../../../../src/indexer/values.ts";
import { startGraphQLServer } from "../../../../src/indexer/graphql/server.ts";
const schema = parseSchema(readFileSync("schema.graphql", "utf8"));
const store = await createStore({ schema });
const acct = hexToBytes("0x00000000000000000000000000000000000000aa");
await store.commitBlock({ number: 1, hash: "0x" + "11".repeat(32), parentHash: "0x" + "00".repeat(32), timestamp: 1700000000 }, [
  { entityType: "Account", id: "0x00000000000000000000000000000000000000aa", data: { id: acct } },
  { entityType: "Dataset", id: "1", data: { id: "1", datasetId: 1n, creator: acct, owner: acct, withdrawn: false, withdrawnAt: null, withdrawalReason: null, versionCount: 2, currentTerms: null, createdAtBlock: 1n, createdAt: 1700000000n, createdTx: hexToBytes("0xabcd") } },
]);
const server = await startGraphQLServer({ store, schema, subgraphName: "pedigree/lineage", deployment: "QmTest" });
const q = async (query: string, variables?: unknown) => {
  const r = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  console.log(r.status, r.headers.get("graph-indexed"), await r.text());
};
await q(`{ datasets { id datasetId creator { id datasetsCreated { id } } createdTx withdrawn __typename } _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors } }`);
await q(`{ datasets(first: 1001) { id } }`);
await q(`{ datasets(block: {number: 5}) { id } }`);
await q(`{ dataset(id: "1") { id versions { id } } account(id: "0x00000000000000000000000000000000000000aa") { id } }`);
await q(`{ __type(name: "Dataset") { name fields { name } } }`);
await q(`{ datasets(where: {foo: 1}) { id } }`);
await q(`{ nope }`);
await server.close(); await store.close();
