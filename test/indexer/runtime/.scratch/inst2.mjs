import { readFileSync } from "node:fs";
const bytes = readFileSync("build/DatasetRegistry/DatasetRegistry.wasm");
function leb(buf, pos) { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return [r >>> 0, pos]; }
function encLeb(n) { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; }
function strip(bytes) {
  const out = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    let [size, p] = leb(bytes, pos + 1);
    const end = p + size;
    if (id === 7) {
      let [count, q] = leb(bytes, p);
      const kept = [];
      let n = 0;
      for (let i = 0; i < count; i++) {
        const start = q;
        let [len, r] = leb(bytes, q); r += len;
        const kind = bytes[r]; r++;
        let [, r2] = leb(bytes, r);
        if (kind !== 3) { kept.push(bytes.subarray(start, r2)); n++; }
        q = r2;
      }
      const body = Buffer.concat([Buffer.from(encLeb(n)), ...kept]);
      out.push(Buffer.from([7, ...encLeb(body.length)]), body);
    } else out.push(bytes.subarray(pos, end));
    pos = end;
  }
  return Buffer.concat(out);
}
const stripped = strip(bytes);
console.log(bytes.length, stripped.length);
for (const [name, b] of [["orig", bytes], ["stripped", stripped]]) {
  const m = new WebAssembly.Module(b);
  const imports = {};
  for (const i of WebAssembly.Module.imports(m)) (imports[i.module] ??= {})[i.name] = () => 0;
  let inst;
  for (let i = 0; i < 200; i++) inst = new WebAssembly.Instance(m, imports);
  const N = 3000;
  let t0 = performance.now();
  for (let i = 0; i < N; i++) inst = new WebAssembly.Instance(m, imports);
  console.log(name, "instance µs", ((performance.now() - t0) / N * 1000).toFixed(1), Object.keys(inst.exports).length);
}
