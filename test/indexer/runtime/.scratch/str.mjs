const buf = new ArrayBuffer(1 << 16); const u16 = new Uint16Array(buf);
const s0 = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-12";
for (let i = 0; i < s0.length; i++) u16[100 + i] = s0.charCodeAt(i);
const short = 10, long = s0.length;
const td = new TextDecoder("utf-16le");
const u8 = new Uint8Array(buf);
const f = {
  apply: (a, n) => String.fromCharCode.apply(null, u16.subarray(a, a + n)),
  loop: (a, n) => { let s = ""; for (let i = 0; i < n; i++) s += String.fromCharCode(u16[a + i]); return s; },
  td: (a, n) => td.decode(u8.subarray(a * 2, (a + n) * 2)),
  latin1: (a, n) => { for (let i = 0; i < n; i++) if (u16[a+i] > 127) return null; return Buffer.from(buf, a*2, n*2).toString("utf16le"); },
};
for (const n of [short, long]) for (const [k, fn] of Object.entries(f)) {
  let x; for (let i = 0; i < 1e5; i++) x = fn(100, n);
  const t0 = performance.now(); for (let i = 0; i < 1e6; i++) x = fn(100, n); console.log(n, k, ((performance.now() - t0)).toFixed(0), "ns/op");
}
