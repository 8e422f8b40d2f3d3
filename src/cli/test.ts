/**
 * `pedigree test [dir]`: runs a subgraph's matchstick-as unit tests on the embedded runtime (../matchstick), the
 * way `graph test` runs them with matchstick's binary — without the binary, Docker or a download.
 */
import type { Command } from "commander";
import { runMatchstick } from "../matchstick/index.ts";
import { CliError } from "./errors.ts";

interface TestOptions {
  coverage?: boolean;
  recompile?: boolean;
  suite?: string[];
  timeout: string;
}

const HELP = `
The subgraph's directory holds subgraph.yaml and, optionally, matchstick.yaml
(testsFolder, libsFolder, manifestPath; defaults ./tests, ./node_modules,
./subgraph.yaml). Every tests/**/*.test.ts is compiled with the libraries'
AssemblyScript compiler and matchstick's flags into tests/.bin/ (recompiled
only when it or a file it imports changed) and run. Exit code 1 when a test
fails or the run stops on a critical error.

Example:
  $ pedigree test subgraph
  $ pedigree test subgraph --suite datasets --suite models
  $ pedigree test subgraph --coverage`;

export function registerTestCommand(program: Command): void {
  program
    .command("test")
    .description("run a subgraph's matchstick-as unit tests on the embedded runtime (graph test without the binary)")
    .argument("[dir]", "the subgraph's directory", ".")
    .option("-c, --coverage", "list the handlers with and without tests instead of running them")
    .option("-r, --recompile", "recompile every test file")
    .option("-s, --suite <pattern...>", "only the test files whose path under the tests folder starts with a pattern")
    .option("--timeout <seconds>", "longest one test or hook may run; 0 for no limit", "60")
    .addHelpText("after", HELP)
    .action(async (dir: string, options: TestOptions) => {
      const timeoutSeconds = Number(options.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw new CliError(`--timeout must be a number of seconds ≥ 0, not ${options.timeout}`);
      const result = await runMatchstick(dir, { coverage: options.coverage, recompile: options.recompile, patterns: options.suite, timeoutSeconds });
      if (result.exitCode !== 0) {
        const what = result.failed > 0 ? `${result.failed} of ${result.failed + result.passed} tests failed` : "the test run stopped";
        throw new CliError(what, { code: "FAILED", resultPrinted: true });
      }
    });
}
