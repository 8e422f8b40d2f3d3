/**
 * The worker side of SyncRpcChain (./sync-rpc.ts): runs JSON-RPC calls asynchronously for a thread that waits for
 * each answer (../sync-worker.ts). Loaded by SyncWorker's bootstrap; importing it has no effect.
 */
import { serveSyncRequests, type SyncWorkerData } from "../sync-worker.ts";
import { JsonRpcClient, isCallRevert, type JsonRpcClientOptions } from "./rpc.ts";

/** A request from the main thread. */
export type SyncRpcRequest =
  | { op: "call"; to: string; data: string; block: bigint }
  | { op: "getBalance"; address: string; block: bigint }
  | { op: "getCode"; address: string; block: bigint };

/** Serves requests until the port closes. */
export function start(data: SyncWorkerData & { url: string; options: JsonRpcClientOptions }): void {
  const client = new JsonRpcClient(data.url, data.options);
  serveSyncRequests<SyncRpcRequest & { id: number }>(data, (request) => answer(client, request));
}

async function answer(client: JsonRpcClient, request: SyncRpcRequest): Promise<unknown> {
  switch (request.op) {
    case "call":
      try {
        return await client.call({ to: request.to, data: request.data }, request.block);
      } catch (error) {
        if (isCallRevert(error)) return null;
        throw error;
      }
    case "getBalance":
      return client.getBalance(request.address, request.block);
    case "getCode":
      return client.getCode(request.address, request.block);
  }
}
