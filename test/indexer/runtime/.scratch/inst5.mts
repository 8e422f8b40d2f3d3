import { readFileSync } from "node:fs";
import { prepareModuleBinary } from "../../../../src/indexer/runtime/wasm-transform.ts";
const orig = readFileSync("build/DatasetRegistry/DatasetRegistry.wasm");
const { bytes } = prepareModuleBinary(orig);
function leb(buf: Uint8Array, pos: number): [number, number] { let r = 0, s = 0, b; do { b = buf[pos++]!; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return [r >>> 0, pos]; }
function encLeb(n: number) { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; }
function variant(dropData: boolean, keepExports: string[] | null) {
  const out: number[] = [...bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!; const [size, p] = leb(bytes, pos + 1); const body = bytes.subarray(p, p + size);
    if (dropData && (id === 11 || id === 12)) { if (id === 11) out.push(11, 1, 0); else out.push(12, 1, 0); }
    else if (id === 7 && keepExports) {
      let [count, q] = leb(body, 0); const kept: number[] = []; let n = 0;
      for (let i = 0; i < count; i++) { const st = q; const [len, r] = leb(body, q); const nm = Buffer.from(body.subarray(r, r + len)).toString(); const [, r2] = leb(body, r + len + 1); if (keepExports.includes(nm)) { kept.push(...body.subarray(st, r2)); n++; } q = r2; }
      const b = [...encLeb(n), ...kept]; out.push(7, ...encLeb(b.length), ...b);
    } else out.push(id, ...encLeb(size), ...body);
    pos = p + size;
  }
  return new Uint8Array(out);
}
for (const [label, b] of [["transformed", bytes], ["nodata", variant(true, null)], ["fewexports", variant(false, ["memory", "__new", "id_of_type", "_start", "handleDatasetRegistered"])]] as const) {
  const m = new WebAssembly.Module(b);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const imports: any = { env: { memory } };
  for (const i of WebAssembly.Module.imports(m)) if (i.kind === "function") (imports[i.module] ??= {})[i.name] = () => 0;
  let inst: any;
  for (let i = 0; i < 500; i++) { inst = new WebAssembly.Instance(m, imports); }
  const N = 5000; const t0 = performance.now();
  for (let i = 0; i < N; i++) { new Uint8Array(memory.buffer).fill(0); inst = new WebAssembly.Instance(m, imports); inst.exports._start(); }
  console.log(label, ((performance.now() - t0) / N * 1000).toFixed(1), "µs");
}
