import { lineageStore } from "../fixtures.ts";
const store = await lineageStore();
async function bench(label: string, q: any, n = 400) {
  for (let i = 0; i < 100; i++) await store.find(q);
  const s = performance.now();
  for (let i = 0; i < n; i++) await store.find(q);
  console.log(label, ((performance.now() - s) / n).toFixed(3));
}
for (let round = 0; round < 2; round++) {
await bench("Account id in (1 row)", { entityType: "Account", block: 4, first: 1000, skip: 0, filter: { kind: "compare", field: "id", op: "in", value: [Buffer.from("000000000000000000000000000000000000ca01", "hex")] } });
await bench("Attestation licence in (1 row)", { entityType: "Attestation", block: 4, first: 1000, skip: 0, filter: { kind: "compare", field: "licence", op: "in", value: ["1"] } });
await bench("Attestation licence in (0 rows)", { entityType: "Attestation", block: 4, first: 1000, skip: 0, filter: { kind: "compare", field: "licence", op: "in", value: ["9"] } });
await bench("Attestation all (4 rows)", { entityType: "Attestation", block: 4, first: 1000, skip: 0 });
await bench("DatasetVersion all (4 rows)", { entityType: "DatasetVersion", block: 4, first: 1000, skip: 0 });
await bench("AttestationKind id in", { entityType: "AttestationKind", block: 4, first: 1000, skip: 0, filter: { kind: "compare", field: "id", op: "in", value: ["0"] } });
}
await store.close();
