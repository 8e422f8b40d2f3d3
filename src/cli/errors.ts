/**
 * Errors of the `pedigree` command and the exit codes scripts can rely on. Everything that goes wrong ends as ONE
 * line on stderr (never a stack trace) and one of these codes.
 */
import type { Command } from "commander";
import { AuditError, InvalidAuditInputError } from "../audit/errors.ts";
import { PedigreeContractError, PedigreeError } from "../sdk/errors.ts";
import { FingerprintError, InvalidOptionError } from "../sdk/fingerprint.ts";
import {
  EmptyTreeError,
  IndexOutOfRangeError,
  InvalidBytes32Error,
  InvalidDumpError,
  NotInTreeError,
  RootMismatchError,
} from "../sdk/merkle.ts";

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

/** An error the CLI prints as one line (no stack trace) before exiting with `exitCode`. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_BAD_INPUT,
    /** Machine-readable category, shown in the `--json` error document. */
    readonly code: string = exitCode === EXIT_BAD_INPUT ? "BAD_INPUT" : "FAILED",
    /** The command printed its result document already (a check that failed): no `--json` error document follows. */
    readonly resultPrinted = false,
  ) {
    super(message);
  }
}

/** What the CLI reports about a failure. */
export interface Failure {
  /** One line, without the `pedigree:` prefix. */
  message: string;
  exitCode: number;
  /** CliError code, PedigreeError code (`CONTRACT_REVERT`, `NODE_UNREACHABLE`, …) or `INPUT` / `FAILED`. */
  code: string;
  /** The Solidity error name of a revert, e.g. `DatasetVersionNotUsable`. */
  errorName?: string;
  /** The command printed its result already. */
  resultPrinted?: boolean;
}

/** PedigreeError codes that mean the user's input or configuration is wrong rather than the operation failing. */
const BAD_INPUT_CODES = new Set(["VALIDATION", "WRONG_NETWORK", "WRONG_CONTRACT", "NO_CONTRACT", "NO_SIGNER"]);

/** One line: newlines folded, surrounding space trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * The exit code and one-line message of anything a command can throw.
 *
 * @example
 * const { message, exitCode } = describeFailure(error);
 * process.stderr.write(`pedigree: ${message}\n`);
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) {
    return { message: oneLine(error.message), exitCode: error.exitCode, code: error.code, resultPrinted: error.resultPrinted };
  }
  if (error instanceof PedigreeError) {
    return {
      message: oneLine(error.message),
      exitCode: BAD_INPUT_CODES.has(error.code) ? EXIT_BAD_INPUT : EXIT_FAILED,
      code: error.code,
      errorName: error instanceof PedigreeContractError ? error.errorName : undefined,
    };
  }
  if (error instanceof AuditError) {
    const badInput = error instanceof InvalidAuditInputError;
    return { message: oneLine(error.message), exitCode: badInput ? EXIT_BAD_INPUT : EXIT_FAILED, code: badInput ? "BAD_INPUT" : "FAILED" };
  }
  if (error instanceof NotInTreeError) return { message: oneLine(error.message), exitCode: EXIT_FAILED, code: "NOT_IN_TREE" };
  if (
    error instanceof FingerprintError ||
    error instanceof InvalidOptionError ||
    error instanceof EmptyTreeError ||
    error instanceof InvalidBytes32Error ||
    error instanceof InvalidDumpError ||
    error instanceof RootMismatchError ||
    error instanceof IndexOutOfRangeError
  ) {
    return { message: oneLine(error.message), exitCode: EXIT_BAD_INPUT, code: "BAD_INPUT" };
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
