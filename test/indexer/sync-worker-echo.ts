/** A SyncWorker module for sync-worker.test.ts: echoes, waits, or fails as asked. */
import { serveSyncRequests, type SyncWorkerData } from "../../src/indexer/sync-worker.ts";

export function start(data: SyncWorkerData): void {
  serveSyncRequests<{ id: number; echo?: unknown; waitMs?: number; fail?: string }>(data, async (request) => {
    if (request.waitMs) await new Promise((resolve) => setTimeout(resolve, request.waitMs));
    if (request.fail) throw Object.assign(new Error(request.fail), { code: "23505", constraint: "t_pkey", count: 3 });
    return request.echo;
  });
}
