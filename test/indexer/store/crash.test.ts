/**
 * Crash safety: a process writing blocks to a PGlite store in a directory is killed with SIGKILL at arbitrary
 * moments (mostly in the middle of a commit); the reopened store resumes at the last committed head, and what it
 * holds is exactly what committing blocks 1..head gives — nothing lost, nothing duplicated, nothing half-written.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/indexer/schema/schema.ts";
import { openPGliteExecutor } from "../../../src/indexer/store/executor-pglite.ts";
import type { SqlExecutor } from "../../../src/indexer/store/executor.ts";
import { buildLayout } from "../../../src/indexer/store/layout.ts";
import { SqlStore } from "../../../src/indexer/store/store.ts";
import { crashWorkload } from "./fixtures/crash-workload.ts";
import { dumpDeployment } from "./helpers.ts";

const schema = parseSchema(readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"));
const writer = fileURLToPath(new URL("./fixtures/crash-writer.ts", import.meta.url));

/** Runs the writer until it has committed `atLeast` blocks and `extraMs` more have passed, then SIGKILLs it. */
function runAndKill(dataDir: string, atLeast: number, extraMs: number): Promise<{ resumed: number; lastReported: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let resumed = -1;
    let lastReported = -1;
    let stderr = "";
    let killing = false;
    let buffered = "";
    child.stdout.on("data", (data: Buffer) => {
      buffered += data.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, n] = line.split(" ");
        if (word === "resumed") resumed = Number(n);
        if (word === "committed") lastReported = Number(n);
      }
      if (!killing && lastReported >= atLeast) {
        killing = true;
        setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    });
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve({ resumed, lastReported });
      else reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

describe("crash safety — PGlite in a directory, writer killed with SIGKILL", () => {
  let dataDir: string;
  let reference: SqlExecutor;
  let referenceStore: SqlStore;
  let referenceHead = 0;
  const blocks = crashWorkload();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "store-crash-"));
    reference = await openPGliteExecutor();
    referenceStore = new SqlStore(reference, buildLayout(schema, "crash"));
    await referenceStore.init();
  });
  afterAll(async () => {
    await reference?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Reopens the directory and checks head and content against the reference store brought to the same head. */
  async function checkReopened(lastReported: number): Promise<number> {
    const db = await openPGliteExecutor(dataDir);
    try {
      const store = new SqlStore(db, buildLayout(schema, "crash"));
      await store.init();
      const head = (await store.status()).head!.number;
      // Everything reported committed is there; at most the block in flight was committed after it.
      expect(head).toBeGreaterThanOrEqual(lastReported);
      expect(head).toBeLessThanOrEqual(lastReported + 1);
      while (referenceHead < head) {
        referenceHead += 1;
        const { block, changes } = blocks(referenceHead);
        await referenceStore.commitBlock(block, changes);
      }
      expect(await dumpDeployment(db, store.layout)).toEqual(await dumpDeployment(reference, referenceStore.layout));
      return head;
    } finally {
      await db.close();
    }
  }

  it("resumes at the last committed head with nothing lost or duplicated, twice over", async () => {
    const first = await runAndKill(dataDir, 8, 137);
    expect(first.resumed).toBe(0);
    const head1 = await checkReopened(first.lastReported);

    const second = await runAndKill(dataDir, head1 + 5, 61);
    expect(second.resumed).toBe(head1);
    const head2 = await checkReopened(second.lastReported);
    expect(head2).toBeGreaterThan(head1);
  }, 240_000);
});
