/**
 * Finding and compiling test files as `graph test` does: every `*.test.ts` under the tests folder, each compiled by
 * the libraries' AssemblyScript compiler (the one graph-cli builds mappings with) with matchstick's flags, to
 * `<tests>/.bin/<suite>.wasm`. A file is recompiled only when it, a file it imports by a relative path (followed
 * recursively, as matchstick does), the compiler or the libraries changed; here by content hash, not by time.
 * Files compile in parallel, one compiler process per core.
 */
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { MatchstickConfig } from "./config.ts";
import { MatchstickCritical } from "./errors.ts";
import type { Output } from "./output.ts";

const run = promisify(execFile);

/** matchstick's compiler flags (src/main.rs, src/compiler/mod.rs). */
export const ASC_FLAGS = ["--explicitStart", "--exportTable", "--runtime", "stub", "--optimize", "--debug"] as const;

export interface TestFile {
  /** The file's path under the tests folder without `.test.ts`, lowercased (matchstick's suite name). */
  suite: string;
  source: string;
  wasm: string;
}

function collect(dir: string, prefix: string, into: TestFile[], bin: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name.toLowerCase();
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!name.startsWith(".") && name !== "node_modules") collect(path, `${prefix}${name}/`, into, bin);
    } else if (name.endsWith(".test.ts")) {
      const suite = prefix + name.slice(0, -".test.ts".length);
      into.push({ suite, source: path, wasm: join(bin, `${suite}.wasm`) });
    }
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The test files, by suite name. `patterns` keep the files whose path starts with `<tests folder>/<pattern>`
 * (regular expressions, case-insensitive), like `graph test <datasource>`.
 */
export function findTestFiles(config: MatchstickConfig, patterns: readonly string[] = []): TestFile[] {
  if (!existsSync(config.testsFolder)) throw new MatchstickCritical(`Could not get tests from ${config.testsFolder}: no such folder`);
  const files: TestFile[] = [];
  collect(config.testsFolder, "", files, join(config.testsFolder, ".bin"));
  if (files.length === 0) throw new MatchstickCritical("No tests have been written yet.");
  files.sort((a, b) => (a.suite < b.suite ? -1 : a.suite > b.suite ? 1 : 0));
  if (patterns.length === 0) return files;
  const base = escapeRegExp(config.testsFolder + sep);
  const matchers = patterns.map((pattern) => {
    try {
      return new RegExp(`^${base}${pattern}`, "i");
    } catch (error) {
      throw new MatchstickCritical(`Test pattern ${JSON.stringify(pattern)} is not a regular expression: ${(error as Error).message}`);
    }
  });
  const kept = files.filter((file) => matchers.some((m) => m.test(file.source)));
  if (kept.length === 0) throw new MatchstickCritical(`No tests match set patterns: ${patterns.join(",")}`);
  return kept;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g;

function resolveImport(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The file and every file it imports by a relative path, recursively (node_modules are not followed). */
export function sourceClosure(file: string): string[] {
  const seen = new Set<string>([file]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.pop()!;
    for (const match of readFileSync(current, "utf8").matchAll(IMPORT)) {
      const target = resolveImport(current, match[1]!);
      if (target !== null && !seen.has(target) && !target.includes(`${sep}node_modules${sep}`)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].sort();
}

function packageVersion(libs: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(libs, name, "package.json"), "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return "absent";
  }
}

function cacheKey(config: MatchstickConfig, file: TestFile): string {
  const hash = createHash("sha256");
  hash.update(ASC_FLAGS.join(" "));
  for (const lib of ["assemblyscript", "@graphprotocol/graph-ts", "matchstick-as"]) hash.update(`\0${lib}@${packageVersion(config.libsFolder, lib)}`);
  for (const source of sourceClosure(file.source)) hash.update(`\0${source}\0`).update(readFileSync(source));
  return hash.digest("hex");
}

export interface CompileOptions {
  /** Compile every file, even those whose wasm is current (`-r`). */
  recompile?: boolean;
}

async function compileOne(config: MatchstickConfig, file: TestFile, asc: string): Promise<void> {
  const globalTs = join(config.libsFolder, "@graphprotocol", "graph-ts", "global", "global.ts");
  const args = [asc, relative(config.root, file.source), relative(config.root, globalTs), "--lib", relative(config.root, config.libsFolder) || "."];
  mkdirSync(dirname(file.wasm), { recursive: true });
  // Written aside, then renamed: another run compiling the same file at once never reads half a module.
  const partial = `${file.wasm}.${process.pid}.${randomUUID()}.partial`;
  try {
    await run(process.execPath, [...args, ...ASC_FLAGS, "--outFile", partial], { cwd: config.root, maxBuffer: 64 * 1024 * 1024 });
    renameSync(partial, file.wasm);
  } catch (error) {
    rmSync(partial, { force: true });
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new CompileError(file.suite, `${stdout ?? ""}${stderr ?? (error as Error).message}`);
  }
}

class CompileError extends Error {
  constructor(
    readonly suite: string,
    readonly output: string,
  ) {
    super(`${suite} does not compile`);
  }
}

/**
 * Compiles the files whose wasm is missing or stale, printing `💬 Compiling <suite>...` or `<suite> skipped!` for each,
 * as matchstick does. @throws MatchstickCritical after printing the compiler's errors.
 */
export async function compileTests(config: MatchstickConfig, files: readonly TestFile[], out: Output, options: CompileOptions = {}): Promise<void> {
  const asc = join(config.libsFolder, "assemblyscript", "bin", "asc");
  if (!existsSync(asc)) {
    throw new MatchstickCritical(`No AssemblyScript compiler at ${asc}: install @graphprotocol/graph-cli in the subgraph, or set libsFolder in matchstick.yaml`);
  }
  const keys = new Map<TestFile, string>();
  for (const file of files) {
    const key = cacheKey(config, file);
    const keyFile = `${file.wasm}.key`;
    if (!options.recompile && existsSync(file.wasm) && existsSync(keyFile) && readFileSync(keyFile, "utf8") === key) {
      out.line(`${file.suite} skipped!`);
    } else {
      out.log(3, `Compiling ${file.suite}...`);
      keys.set(file, key);
    }
  }
  const pending = [...keys.keys()];
  const failures: CompileError[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const file = pending[next++]!;
      try {
        await compileOne(config, file, asc);
        writeFileSync(`${file.wasm}.key`, keys.get(file)!);
      } catch (error) {
        if (!(error instanceof CompileError)) throw error;
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), pending.length) }, worker));
  if (failures.length > 0) {
    for (const failure of failures) out.raw(`${failure.output.trimEnd()}\n`);
    throw new MatchstickCritical(`Please attend to the compilation errors above! (${failures.map((f) => f.suite).join(", ")})`);
  }
}
