/**
 * A file-hashing worker of sha256-pool.ts. Says `{ ready: true }` once loaded, then receives batches of ranges and
 * answers each with their SHA-256 digests (32 bytes each, in order, transferred) or with the first failure; counts
 * bytes read into its slot of the shared progress array. Loaded directly by Node (type stripping): erasable TypeScript only, relative imports with .ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { hashItemSync, READ_CHUNK, toItemError } from "./sha256-file.ts";
import type { HashItem } from "./sha256-file.ts";

interface Sha256WorkerData {
  progress: SharedArrayBuffer;
  slot: number;
}

interface Batch {
  id: number;
  items: HashItem[];
}

const { progress, slot } = workerData as Sha256WorkerData;
const counter = new BigInt64Array(progress);
const buffer = Buffer.allocUnsafe(READ_CHUNK);
const count = (bytes: number): void => {
  Atomics.add(counter, slot, BigInt(bytes));
};

parentPort!.on("message", (batch: Batch) => {
  const digests = new Uint8Array(32 * batch.items.length);
  let current = "";
  try {
    batch.items.forEach((item, i) => {
      current = item.path;
      digests.set(hashItemSync(item, buffer, count), 32 * i);
    });
    parentPort!.postMessage({ id: batch.id, digests }, [digests.buffer]);
  } catch (error) {
    const failure = toItemError(error, current);
    parentPort!.postMessage({ id: batch.id, failure: { code: failure.code, path: failure.path, message: failure.message } });
  }
});

parentPort!.postMessage({ ready: true });
