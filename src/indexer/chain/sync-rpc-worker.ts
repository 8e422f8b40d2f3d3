/**
 * The worker side of SyncRpcChain (./sync-rpc.ts): runs JSON-RPC calls asynchronously for a thread that waits on a
 * shared counter. Each answer is posted on the port, then the counter is bumped and waiters are woken.
 * Loaded by the bootstrap in sync-rpc.ts; importing it has no effect.
 */
import type { MessagePort } from "node:worker_threads";
import { JsonRpcClient, isCallRevert, type JsonRpcClientOptions } from "./rpc.ts";

/** What the main thread hands the worker. */
export interface SyncRpcWorkerData {
  url: string;
  options: JsonRpcClientOptions;
  /** Int32Array[1] counter of answers posted. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

/** A request from the main thread. */
export type SyncRpcRequest =
  | { id: number; op: "call"; to: string; data: string; block: bigint }
  | { id: number; op: "getBalance"; address: string; block: bigint }
  | { id: number; op: "getCode"; address: string; block: bigint };

/** The answer; `id` 0 reports a worker that failed to start. */
export type SyncRpcResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };

/** Serves requests until the port closes. */
export function start(data: SyncRpcWorkerData): void {
  const counter = new Int32Array(data.signal);
  const client = new JsonRpcClient(data.url, data.options);
  data.port.on("message", (request: SyncRpcRequest) => {
    void answer(client, request).then((response) => {
      data.port.postMessage(response);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
    });
  });
}

async function answer(client: JsonRpcClient, request: SyncRpcRequest): Promise<SyncRpcResponse> {
  try {
    switch (request.op) {
      case "call":
        try {
          return { id: request.id, ok: true, value: await client.call({ to: request.to, data: request.data }, request.block) };
        } catch (error) {
          if (isCallRevert(error)) return { id: request.id, ok: true, value: null };
          throw error;
        }
      case "getBalance":
        return { id: request.id, ok: true, value: await client.getBalance(request.address, request.block) };
      case "getCode":
        return { id: request.id, ok: true, value: await client.getCode(request.address, request.block) };
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { id: request.id, ok: false, name: failure.name, message: failure.message };
  }
}
