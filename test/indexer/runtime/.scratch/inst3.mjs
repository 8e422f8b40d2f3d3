import { readFileSync } from "node:fs";
const bytes = readFileSync(process.argv[2] ?? "build/DatasetRegistry/DatasetRegistry.wasm");
function leb(buf, pos) { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return [r >>> 0, pos]; }
function sleb(buf, pos) { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); if (s < 32 && (b & 0x40)) r |= (~0 << s); return [r, pos]; }
function encLeb(n) { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; }
function encSleb(n) { const out = []; while (true) { let b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { out.push(b); return out; } out.push(b | 0x80); } }
function transform(bytes, { stripGlobals, mergeData }) {
  const out = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    let [size, p] = leb(bytes, pos + 1);
    const end = p + size;
    if (id === 7 && stripGlobals) {
      let [count, q] = leb(bytes, p); const kept = []; let n = 0;
      for (let i = 0; i < count; i++) { const start = q; let [len, r] = leb(bytes, q); r += len; const kind = bytes[r]; r++; let [, r2] = leb(bytes, r); if (kind !== 3) { kept.push(bytes.subarray(start, r2)); n++; } q = r2; }
      const body = Buffer.concat([Buffer.from(encLeb(n)), ...kept]);
      out.push(Buffer.from([7, ...encLeb(body.length)]), body);
    } else if (id === 11 && mergeData) {
      let [count, q] = leb(bytes, p); const segs = [];
      for (let i = 0; i < count; i++) {
        const flag = bytes[q]; q++;
        if (flag !== 0 || bytes[q] !== 0x41) throw new Error("unsupported segment");
        let [off, r] = sleb(bytes, q + 1); if (bytes[r] !== 0x0b) throw new Error("expr"); r++;
        let [len, r2] = leb(bytes, r); segs.push([off, bytes.subarray(r2, r2 + len)]); q = r2 + len;
      }
      segs.sort((a, b) => a[0] - b[0]);
      const start = segs[0][0]; const last = segs[segs.length - 1]; const total = last[0] + last[1].length - start;
      const data = Buffer.alloc(total); for (const [o, d] of segs) d.copy(data, o - start);
      const body = Buffer.concat([Buffer.from([1, 0, 0x41, ...encSleb(start), 0x0b, ...encLeb(total)]), data]);
      out.push(Buffer.from([11, ...encLeb(body.length)]), body);
    } else if (id === 12 && mergeData) {
      const body = Buffer.from([1]); out.push(Buffer.from([12, 1]), body);
    } else out.push(bytes.subarray(pos, end));
    pos = end;
  }
  return Buffer.concat(out);
}
for (const opts of [{}, { stripGlobals: true }, { mergeData: true }, { stripGlobals: true, mergeData: true }]) {
  const b = transform(bytes, opts);
  const m = new WebAssembly.Module(b);
  const imports = {};
  for (const i of WebAssembly.Module.imports(m)) (imports[i.module] ??= {})[i.name] = () => 0;
  let inst;
  for (let i = 0; i < 300; i++) inst = new WebAssembly.Instance(m, imports);
  const N = 3000;
  let t0 = performance.now();
  for (let i = 0; i < N; i++) { inst = new WebAssembly.Instance(m, imports); inst.exports._start(); }
  console.log(JSON.stringify(opts), "instance+start µs", ((performance.now() - t0) / N * 1000).toFixed(1));
}
