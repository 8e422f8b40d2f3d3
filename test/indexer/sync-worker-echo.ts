/** A SyncWorker module for sync-worker.test.ts: echoes, waits, fails, or tells when it started, as asked. */
import { serveSyncRequests, type SyncWorkerData } from "../../src/indexer/sync-worker.ts";

export function start(data: SyncWorkerData): void {
  const startedAt = Date.now();
  // Tells sync-worker.test.ts it started, without a call (which would start it).
  const channel = new BroadcastChannel("sync-worker-echo");
  channel.postMessage(startedAt);
  channel.unref();
  serveSyncRequests<{ id: number; echo?: unknown; waitMs?: number; fail?: string; startedAt?: true }>(data, async (request) => {
    if (request.startedAt) return startedAt;
    if (request.waitMs) await new Promise((resolve) => setTimeout(resolve, request.waitMs));
    if (request.fail) throw Object.assign(new Error(request.fail), { code: "23505", constraint: "t_pkey", count: 3 });
    return request.echo;
  });
}
