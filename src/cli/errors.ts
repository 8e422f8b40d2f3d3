/**
 * Errors of the `pedigree` command and the exit codes scripts can rely on. Everything that goes wrong ends as ONE
 * line on stderr (never a stack trace) and one of these codes.
 */
import type { Command } from "commander";
import { PedigreeError, oneLine, withHint } from "../core/errors.ts";
import { PedigreeContractError } from "../sdk/errors/index.ts";
import { cliHint } from "./hints.ts";

export { oneLine } from "../core/errors.ts";

/** Everything went as asked. */
export const EXIT_OK = 0;
/**
 * The operation failed: the chain refused it (a revert), the node or subgraph could not be reached or did not answer
 * within --timeout, a sent transaction's outcome is unknown, the subgraph's answer was not trustworthy, a verification
 * said no.
 */
export const EXIT_FAILED = 1;
/** Bad input, caught before anything was sent: usage, a malformed value, a missing file, a wrong network or key. */
export const EXIT_BAD_INPUT = 2;

/**
 * Error codes that mean the user's input or configuration is wrong rather than the operation failing (exit 2); every
 * other code of a {@link PedigreeError} — a revert, an unreachable node or subgraph, a failed check — exits 1.
 */
const BAD_INPUT_CODES: ReadonlySet<string> = new Set([
  "BAD_INPUT", // CliError: a bad option, file or key
  "INVALID_INPUT", // core: a malformed id, address, hash, option or royalty split (SDK, audit, core alike)
  "BAD_PATH", // core: a path that cannot be fingerprinted
  "WRONG_NETWORK", // SDK: the node serves another chain
  "WRONG_CONTRACT", // SDK: a signed request names another registry
  "NO_CONTRACT", // SDK: no registry at the address given
  "NO_SIGNER", // SDK: a write without a key
]);

/** What a {@link CliError} carries besides its message. */
export interface CliErrorOptions {
  /** Machine-readable category, shown in the `--json` error document; `BAD_INPUT` (exit 2) when omitted. */
  code?: string;
  /** The command printed its result document already (a check that failed): no `--json` error document follows. */
  resultPrinted?: boolean;
}

/**
 * An error of the `pedigree` command itself, printed as one line (no stack trace). Its exit code follows from its
 * code, like every {@link PedigreeError}'s.
 *
 * @example
 * throw new CliError("give either --path or --fingerprint, not both"); // exit 2
 * throw new CliError("the proof does not verify on chain", { code: "FAILED", resultPrinted: true }); // exit 1
 */
export class CliError extends PedigreeError {
  override name = "CliError";
  readonly resultPrinted: boolean;
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, { code: options.code ?? "BAD_INPUT" });
    this.resultPrinted = options.resultPrinted ?? false;
  }
}

/** What the CLI reports about a failure. */
export interface Failure {
  /** One line, without the `pedigree:` prefix. */
  message: string;
  exitCode: number;
  /** The error's code (`BAD_INPUT`, `INVALID_INPUT`, `CONTRACT_REVERT`, `NODE_UNREACHABLE`, …), `FAILED` otherwise. */
  code: string;
  /** The Solidity error name of a revert, e.g. `DatasetVersionNotUsable`. */
  errorName?: string;
  /** The command printed its result already. */
  resultPrinted?: boolean;
}

/** The exit code of an error's code: 2 for bad input, 1 for a failed operation. */
export function exitCodeOf(code: string): number {
  return BAD_INPUT_CODES.has(code) ? EXIT_BAD_INPUT : EXIT_FAILED;
}

/**
 * The exit code and one-line message of anything a command can throw: every {@link PedigreeError} by its code, with
 * the CLI's own hint where the SDK's names a function; anything else exits 1 with its first line.
 *
 * @example
 * const { message, exitCode } = describeFailure(error);
 * process.stderr.write(`pedigree: ${message}\n`);
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof PedigreeError) {
    const hint = cliHint(error);
    return {
      message: oneLine(hint ? withHint(error.shortMessage, hint) : error.message),
      exitCode: exitCodeOf(error.code),
      code: error.code,
      errorName: error instanceof PedigreeContractError ? error.errorName : undefined,
      resultPrinted: error instanceof CliError ? error.resultPrinted : undefined,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { message: oneLine(text.split("\n")[0] ?? text) || "unexpected error", exitCode: EXIT_FAILED, code: "FAILED" };
}

/** The command path of a command, e.g. `pedigree dataset register`. */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(" ");
}

/** Commander's own errors (usage) as one line naming the command's help. */
export function oneLineUsageErrors(command: Command): void {
  const path = pathOf(command);
  command.configureOutput({
    outputError: (text, write) => write(`${path.split(" ")[0]}: ${oneLine(text).replace(/^error: /, "")} (see \`${path} --help\`)\n`),
  });
  for (const sub of command.commands) oneLineUsageErrors(sub);
}

let pipeGuard = false;

/** `pedigree … | head` closes stdout early: stop quietly instead of failing with a stack trace. */
export function quietBrokenPipe(): void {
  if (pipeGuard) return;
  pipeGuard = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}
