import { readFileSync } from "node:fs";
const bytes = readFileSync(process.argv[2]);
function leb(buf, pos) { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return [r >>> 0, pos]; }
let pos = 8;
const names = {0:"custom",1:"type",2:"import",3:"function",4:"table",5:"memory",6:"global",7:"export",8:"start",9:"element",10:"code",11:"data",12:"datacount"};
while (pos < bytes.length) {
  const id = bytes[pos]; let [size, p] = leb(bytes, pos + 1);
  let extra = "";
  if (id !== 0) { const [count] = leb(bytes, p); extra = "count=" + count; }
  if (id === 4) { extra += " table bytes " + [...bytes.subarray(p, p+8)].join(","); }
  if (id === 6) {
    let [count, q] = leb(bytes, p); let mut = 0;
    for (let i = 0; i < count; i++) { const t = bytes[q]; const m = bytes[q+1]; q += 2; if (m) mut++; // init expr until 0x0b
      while (bytes[q] !== 0x0b) q++; q++; }
    extra += " mutable=" + mut;
  }
  console.log(names[id], size, extra);
  pos = p + size;
}
