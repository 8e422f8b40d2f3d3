/**
 * Builds the test subgraphs under fixtures/<name> with graph-cli (codegen + build, offline) when their build output
 * is missing or older than their sources. Safe to call from parallel test workers: a lock directory serialises the
 * build.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const graphCli = join(repo, "node_modules/@graphprotocol/graph-cli/bin/run.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of ["subgraph.yaml", "schema.graphql", "abis", "src"]) {
    const path = join(dir, entry);
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const file of readdirSync(path)) newest = Math.max(newest, statSync(join(path, file)).mtimeMs);
    } else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

function graph(dir: string, args: string[]): void {
  const result = spawnSync(process.execPath, [graphCli, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${join(repo, "node_modules/.bin")}:${process.env.PATH ?? ""}` },
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`graph ${args.join(" ")} failed in ${dir}:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Marks the generated AssemblyScript as not for the project's tsc (it is compiled by `graph build`). */
function markGenerated(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) markGenerated(path);
    else if (entry.name.endsWith(".ts")) {
      const text = readFileSync(path, "utf8");
      if (!text.startsWith("// @ts-nocheck")) writeFileSync(path, `// @ts-nocheck\n${text}`);
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Returns the path of fixtures/<name>/build/subgraph.yaml, building the fixture first if needed. */
export function ensureFixtureBuilt(name: string): string {
  const dir = join(here, "fixtures", name);
  const manifest = join(dir, "build", "subgraph.yaml");
  const fresh = () => existsSync(manifest) && statSync(manifest).mtimeMs >= newestSource(dir);
  if (fresh()) return manifest;
  const lock = join(dir, ".build.lock");
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker is building; a lock older than the deadline is stale.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      sleep(250);
      if (fresh()) return manifest;
    }
  }
  try {
    if (!fresh()) {
      graph(dir, ["codegen", "subgraph.yaml", "-o", "generated"]);
      markGenerated(join(dir, "generated"));
      // Build next to the final place and swap it in with a rename, so that no reader sees a half-written build.
      const staging = join(dir, `.build-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      graph(dir, ["build", "subgraph.yaml", "-o", staging]);
      rmSync(join(dir, "build"), { recursive: true, force: true });
      renameSync(staging, join(dir, "build"));
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return manifest;
}

/** The project's own build (build/subgraph.yaml at the repository root). */
export const PROJECT_MANIFEST = join(repo, "build", "subgraph.yaml");
