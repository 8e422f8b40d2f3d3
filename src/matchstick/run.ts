/**
 * `pedigree test`: runs a subgraph's matchstick-as tests on the embedded runtime, printing what `graph test` prints —
 * a header per suite, `√ name - 0.123ms` / `𝖷 name - 0.123ms` per test, a test's logs after its line (a failed
 * test's in the summary), the "Failed tests:" block, `N failed, M passed, T total` or `All N tests passed! 😎`.
 * Tests run in registration order, files by suite name; the store lives for the whole file unless a test clears it.
 */
import { hrtime } from "node:process";
import { compileTests, findTestFiles, type TestFile } from "./compile.ts";
import { loadConfig, loadSubgraphSource, type SubgraphSource } from "./config.ts";
import { handlerCoverage, type HandlerCoverage } from "./coverage.ts";
import { MatchstickCritical } from "./errors.ts";
import { Output } from "./output.ts";
import { TestModule, type TestCase, type TestGroup } from "./suite.ts";

export interface RunOptions {
  /** Keep the files whose path under the tests folder starts with one of these (regular expressions). */
  patterns?: readonly string[];
  /** Recompile every file (`-r`). */
  recompile?: boolean;
  /** List the handlers with and without tests instead of running them (`-c`). */
  coverage?: boolean;
  /** Longest one test or hook may run, in seconds; 0 for no limit. Default 60. */
  timeoutSeconds?: number;
  /** Where the report goes (default: stdout). */
  write?: (text: string) => void;
}

export interface RunResult {
  exitCode: number;
  passed: number;
  failed: number;
  /** Milliseconds spent compiling and running. */
  compileMs: number;
  runMs: number;
  /** With `coverage`: every event and call handler, and whether a test calls it. */
  coverage?: HandlerCoverage[];
}

interface FailedTest {
  suite: string;
  name: string;
  logs: string;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

const elapsedMs = (start: bigint) => Number(hrtime.bigint() - start) / 1e6;

/** A duration as Rust's `{:.3?}` prints one: `523.123ms`, `1.234s`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}

class Runner {
  passed = 0;
  readonly failed: FailedTest[] = [];

  constructor(
    private readonly out: Output,
    private readonly timeoutSeconds: number,
  ) {}

  private call(module: TestModule, name: string, fn: () => void): void {
    module.limit(name, this.timeoutSeconds);
    fn();
  }

  private hooks(module: TestModule, hooks: readonly (() => void)[]): void {
    for (const hook of hooks) {
      try {
        this.call(module, "hook", hook);
      } catch (error) {
        if (error instanceof MatchstickCritical) throw error;
        throw new MatchstickCritical(`Unexpected error upon calling hook: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  private test(module: TestModule, test: TestCase): void {
    this.hooks(module, test.before);
    const out = this.out;
    out.hold();
    out.nest();
    const start = hrtime.bigint();
    let passed: boolean;
    try {
      this.call(module, test.name, test.run);
      passed = !test.shouldFail;
      if (!passed) out.log(1, "Expected test to fail but it passed successfully!");
    } catch (error) {
      if (error instanceof MatchstickCritical) {
        out.release();
        out.unnest();
        throw error;
      }
      passed = test.shouldFail;
      if (!passed) {
        out.nest();
        out.log(4, (error as Error).message);
        out.unnest();
      }
    }
    const ms = elapsedMs(start);
    out.unnest();
    const logs = out.release();
    const line = `${test.name} - ${out.styled("blueBright", `${ms.toFixed(3)}ms`)}`;
    out.log(passed ? 5 : 1, line);
    if (passed && logs) out.raw(logs);
    if (passed) this.passed++;
    else this.failed.push({ suite: "", name: test.name, logs });
    this.hooks(module, test.after);
  }

  group(module: TestModule, group: TestGroup): void {
    const out = this.out;
    if (group.name) out.line(`${group.name}:`, ["cyan", "bold", "italic"]);
    out.nest();
    this.hooks(module, group.beforeAll);
    for (const item of group.items) {
      if (item.kind === "test") this.test(module, item);
      else this.group(module, item);
    }
    this.hooks(module, group.afterAll);
    out.unnest();
  }

  suite(file: TestFile, module: TestModule, tree: TestGroup): void {
    const out = this.out;
    out.line(`\n${file.suite}`, "blueBright");
    out.line("-".repeat(50));
    const before = this.failed.length;
    this.group(module, tree);
    for (const failure of this.failed.slice(before)) failure.suite = file.suite;
  }

  summary(): void {
    const out = this.out;
    if (this.failed.length === 0) {
      out.line(`\nAll ${this.passed} tests passed! 😎`, "green");
      return;
    }
    out.line("\nFailed tests:\n", "red");
    let suite: string | null = null;
    for (const failure of this.failed) {
      if (failure.suite !== suite) {
        if (suite !== null) out.unnest();
        suite = failure.suite;
        out.line(suite, ["blueBright", "bold"]);
        out.nest();
      }
      out.line(failure.name, ["red", "bold"]);
      if (failure.logs) out.raw(failure.logs);
    }
    out.unnest();
    const total = this.failed.length + this.passed;
    out.line(`${out.styled("red", `${this.failed.length} failed`)}, ${out.styled("green", `${this.passed} passed`)}, ${total} total`);
  }
}

async function runSuites(files: readonly TestFile[], source: SubgraphSource, root: string, out: Output, timeoutSeconds: number): Promise<Runner> {
  const runner = new Runner(out, timeoutSeconds);
  out.line("\nIgniting tests 🔥", "redBright");
  for (const file of files) {
    const module = await TestModule.load(file.suite, file.wasm, source, root, out);
    runner.suite(file, module, module.start());
  }
  runner.summary();
  return runner;
}

/**
 * Compiles and runs the matchstick-as tests of the subgraph in `dir` (its matchstick.yaml, tests folder and
 * manifest), or with `coverage` lists its handlers with and without tests. Never throws for a failing test or a
 * critical error: both are printed, and the exit code is 1.
 */
export async function runMatchstick(dir: string, options: RunOptions = {}): Promise<RunResult> {
  const out = new Output(options.write ?? ((text) => process.stdout.write(text)));
  const result: RunResult = { exitCode: 1, passed: 0, failed: 0, compileMs: 0, runMs: 0 };
  const started = hrtime.bigint();
  try {
    const config = loadConfig(dir);
    const source = loadSubgraphSource(config.manifestPath);
    const files = findTestFiles(config, options.patterns);
    out.line("Compiling...\n", "greenBright");
    await compileTests(config, files, out, { recompile: options.recompile });
    result.compileMs = elapsedMs(started);
    if (options.coverage) {
      result.coverage = handlerCoverage(files, source, config.root, out);
      result.exitCode = 0;
      return result;
    }
    const runner = await runSuites(files, source, config.root, out, options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    Object.assign(result, { passed: runner.passed, failed: runner.failed.length, exitCode: runner.failed.length === 0 ? 0 : 1 });
  } catch (error) {
    if (!(error instanceof MatchstickCritical)) throw error;
    out.reset();
    out.line(out.styled(["bold", "red"], `🆘 ${error.message}`));
  } finally {
    const totalMs = elapsedMs(started);
    if (result.compileMs > 0 && !options.coverage) result.runMs = totalMs - result.compileMs;
    const total = formatDuration(totalMs);
    const parts = `compiling ${formatDuration(result.compileMs)}, running ${formatDuration(result.runMs)}`;
    out.line(`\n[${new Date().toUTCString()}] Program executed in: ${total} (${parts}).`);
  }
  return result;
}
