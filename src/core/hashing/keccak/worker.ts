/**
 * Helper thread for pool.ts: instantiates the shared-memory keccak module over the pool's memory and runs
 * chunks of each job the main thread posts, until the exit job. Loaded directly by Node (type stripping), so: erasable
 * TypeScript only, relative imports with their .ts extension.
 */
import { workerData } from "node:worker_threads";
import { CTRL, JOB_EXIT, work } from "./jobs.ts";
import { instantiateKeccak } from "./wasm.ts";
import type { WasmMemory, WasmModule } from "./wasm.ts";

interface KeccakWorkerData {
  module: WasmModule;
  memory: WasmMemory;
  control: SharedArrayBuffer;
  thread: number;
}

const { module, memory, control, thread } = workerData as KeccakWorkerData;
const ctrl = new Int32Array(control);
const k = instantiateKeccak(module, memory, thread);
let generation = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.GEN, generation);
  generation = Atomics.load(ctrl, CTRL.GEN);
  if (Atomics.load(ctrl, CTRL.TYPE) === JOB_EXIT) break;
  try {
    work(k, ctrl);
  } catch {
    // ERROR is set; the main thread reports it.
  }
}
