import { readFileSync } from "node:fs";
const bytes = readFileSync("build/DatasetRegistry/DatasetRegistry.wasm");
console.log("wasm size", bytes.length);
const m = new WebAssembly.Module(bytes);
const imports = {};
for (const i of WebAssembly.Module.imports(m)) (imports[i.module] ??= {})[i.name] = () => 0;
let inst = new WebAssembly.Instance(m, imports);
console.log("memory pages", inst.exports.memory.buffer.byteLength / 65536);
const N = 2000;
let t0 = performance.now();
for (let i = 0; i < N; i++) inst = new WebAssembly.Instance(m, imports);
console.log("instance µs", ((performance.now() - t0) / N * 1000).toFixed(1));
t0 = performance.now();
for (let i = 0; i < N; i++) { inst = new WebAssembly.Instance(m, imports); inst.exports._start(); }
console.log("instance+start µs", ((performance.now() - t0) / N * 1000).toFixed(1));
