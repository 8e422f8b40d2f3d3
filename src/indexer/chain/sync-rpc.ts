/**
 * SyncRpcChain: the synchronous chain view WASM host functions need (ethereum.call, ethereum.getBalance,
 * ethereum.hasCode are synchronous imports; JSON-RPC is asynchronous). Calls run in a worker thread; the calling
 * thread blocks with Atomics.wait on a SharedArrayBuffer until the worker has posted the answer, then reads it with
 * receiveMessageOnPort.
 *
 * The calling thread's event loop is frozen while it waits, so the JSON-RPC server must not run on that thread
 * (an in-process Hardhat server created with network.createServer in the same thread would never answer: run it in
 * another process or thread, or use `hardhat node`).
 *
 * @example
 * const chain = new SyncRpcChain("http://127.0.0.1:8545");
 * const data = chain.call({ to: registry, data: "0x…", blockNumber: 12n }); // null if it reverted
 * await chain.close();
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { HostChain } from "../runtime/types.ts";
import type { JsonRpcClientOptions } from "./rpc.ts";
import { ChainError, SyncRpcError } from "./errors.ts";
import type { SyncRpcRequest, SyncRpcResponse, SyncRpcWorkerData } from "./sync-rpc-worker.ts";

/** Options of the synchronous chain view. */
export interface SyncRpcChainOptions {
  /** Longest a host call may block, worker start-up included, in ms. Default 60 000. */
  timeoutMs?: number;
  /** Options of the worker's JSON-RPC client (timeouts, retries, headers). */
  rpc?: JsonRpcClientOptions;
}

/**
 * Loads the worker module by URL so it works whether this file runs under Node's type stripping, tsx or vitest,
 * and reports a module that fails to load as an answer instead of a silent hang.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
import(workerData.module).then(
  (m) => m.start(workerData),
  (error) => {
    workerData.port.postMessage({ id: 0, ok: false, name: "Error", message: "sync RPC worker failed to load: " + (error && error.message) });
    const counter = new Int32Array(workerData.signal);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  },
);
`;

/** A HostChain over JSON-RPC that answers synchronously. */
export class SyncRpcChain implements HostChain {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly rpcOptions: JsonRpcClientOptions;
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private counter: Int32Array | null = null;
  private nextId = 1;
  private closed = false;

  constructor(url: string, options: SyncRpcChainOptions = {}) {
    this.url = url;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.rpcOptions = options.rpc ?? {};
  }

  /** eth_call at `blockNumber`; the return data, or null when the call reverted. Node failures throw SyncRpcError. */
  call(request: { to: string; data: string; blockNumber: bigint }): string | null {
    return this.invoke({ id: 0, op: "call", to: request.to, data: request.data, block: request.blockNumber }) as string | null;
  }

  /** eth_getBalance at `blockNumber`, in wei. */
  getBalance(address: string, blockNumber: bigint): bigint {
    return this.invoke({ id: 0, op: "getBalance", address, block: blockNumber }) as bigint;
  }

  /** Whether `address` has code at `blockNumber`. */
  hasCode(address: string, blockNumber: bigint): boolean {
    const code = this.invoke({ id: 0, op: "getCode", address, block: blockNumber }) as string;
    return code !== "0x" && code.length > 2;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.port?.close();
    this.port = null;
    if (worker) await worker.terminate();
  }

  private start(): void {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const data: SyncRpcWorkerData & { module: string } = {
      module: new URL("./sync-rpc-worker.ts", import.meta.url).href,
      url: this.url,
      options: this.rpcOptions,
      signal,
      port: port2,
    };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data, transferList: [port2] });
    worker.unref();
    // Errors reach the waiting thread as answers; this only keeps an unexpected crash from being unhandled.
    worker.on("error", () => {});
    this.worker = worker;
    this.port = port1;
    this.counter = new Int32Array(signal);
  }

  private invoke(request: SyncRpcRequest): unknown {
    if (this.closed) throw new ChainError("SyncRpcChain is closed");
    if (!this.worker) this.start();
    const port = this.port!;
    const counter = this.counter!;
    const id = this.nextId++;
    let seen = Atomics.load(counter, 0);
    port.postMessage({ ...request, id });
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
        const response = message.message as SyncRpcResponse;
        if (response.id !== id && response.id !== 0) continue; // a late answer to a call that timed out
        if (response.ok) return response.value;
        throw new SyncRpcError(response.message, { details: { op: request.op, name: response.name } });
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        throw new SyncRpcError(`${describe(request)} got no answer from ${this.url} within ${this.timeoutMs} ms`, {
          hint: "Check the node; a JSON-RPC server running on the thread that waits for it can never answer.",
        });
      }
      const now = Atomics.load(counter, 0);
      if (now !== seen) {
        seen = now;
        continue;
      }
      Atomics.wait(counter, 0, seen, remaining);
    }
  }
}

function describe(request: SyncRpcRequest): string {
  switch (request.op) {
    case "call":
      return `eth_call to ${request.to} at block ${request.block}`;
    case "getBalance":
      return `eth_getBalance of ${request.address} at block ${request.block}`;
    case "getCode":
      return `eth_getCode of ${request.address} at block ${request.block}`;
  }
}
