/**
 * `pedigree test` as a user runs it: the real command in a child process, on the runner's fixture subgraph
 * (test/matchstick/fixtures/basic; its files are compiled by test/matchstick/runner.test.ts or here, whichever runs first).
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const FIXTURE = resolve(ROOT, "test/matchstick/fixtures/basic");

async function pedigree(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [resolve(ROOT, "bin/pedigree.mjs"), ...args], { env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe("pedigree test", () => {
  it("exits 0 when every test passes", async () => {
    const { code, stdout } = await pedigree("test", FIXTURE, "--suite", "registration");
    expect(code, stdout).toBe(0);
    expect(stdout).toContain("All 5 tests passed! 😎");
  }, 120_000);

  it("exits 1 with one line on stderr when a test fails", async () => {
    const { code, stdout, stderr } = await pedigree("test", FIXTURE, "-s", "failing");
    expect(code).toBe(1);
    expect(stdout).toContain("11 failed, 1 passed, 12 total");
    expect(stderr).toBe("pedigree: 11 of 12 tests failed\n");
  }, 120_000);

  it("refuses a bad --timeout before compiling anything", async () => {
    const { code, stdout, stderr } = await pedigree("test", FIXTURE, "--timeout", "soon");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("pedigree: --timeout must be a number of seconds ≥ 0, not soon\n");
  });
});
