/**
 * SyncRpcChain: the synchronous chain view WASM host functions need (ethereum.call, ethereum.getBalance,
 * ethereum.hasCode are synchronous imports; JSON-RPC is asynchronous). Calls run in a worker thread (../sync-worker.ts)
 * while the calling thread blocks until the answer is posted.
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
import type { HostChain } from "../runtime/types.ts";
import { SyncWorker } from "../sync-worker.ts";
import type { JsonRpcClientOptions } from "./rpc.ts";
import { ChainError, SyncRpcError } from "./errors.ts";
import type { SyncRpcRequest } from "./sync-rpc-worker.ts";

/** Options of the synchronous chain view. */
export interface SyncRpcChainOptions {
  /** Longest a host call may block, worker start-up included, in ms. Default 60 000. */
  timeoutMs?: number;
  /** Options of the worker's JSON-RPC client (timeouts, retries, headers). */
  rpc?: JsonRpcClientOptions;
}

/** A HostChain over JSON-RPC that answers synchronously. */
export class SyncRpcChain implements HostChain {
  readonly url: string;
  private readonly worker: SyncWorker;

  constructor(url: string, options: SyncRpcChainOptions = {}) {
    this.url = url;
    this.worker = new SyncWorker(new URL("./sync-rpc-worker.ts", import.meta.url), { url, options: options.rpc ?? {} }, options.timeoutMs ?? 60_000);
  }

  /** eth_call at `blockNumber`; the return data, or null when the call reverted. Node failures throw SyncRpcError. */
  call(request: { to: string; data: string; blockNumber: bigint }): string | null {
    return this.invoke({ op: "call", to: request.to, data: request.data, block: request.blockNumber }) as string | null;
  }

  /** eth_getBalance at `blockNumber`, in wei. */
  getBalance(address: string, blockNumber: bigint): bigint {
    return this.invoke({ op: "getBalance", address, block: blockNumber }) as bigint;
  }

  /** Whether `address` has code at `blockNumber`. */
  hasCode(address: string, blockNumber: bigint): boolean {
    const code = this.invoke({ op: "getCode", address, block: blockNumber }) as string;
    return code !== "0x" && code.length > 2;
  }

  /** Starts the worker now, so that the first host call does not wait for it to start and load its modules. */
  start(): void {
    this.worker.start();
  }

  /** Stops the worker. */
  close(): Promise<void> {
    return this.worker.close();
  }

  private invoke(request: SyncRpcRequest): unknown {
    if (this.worker.isClosed) throw new ChainError("SyncRpcChain is closed");
    const answer = this.worker.call(request);
    if (answer === null) {
      throw new SyncRpcError(`${describe(request)} got no answer from ${this.url} within ${this.worker.timeoutMs} ms`, {
        hint: "Check the node; a JSON-RPC server running on the thread that waits for it can never answer.",
      });
    }
    if (answer.ok) return answer.value;
    throw new SyncRpcError(answer.message, { details: { op: request.op, name: answer.name } });
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
