/**
 * The `pedigree` command. Each command group lives in its own file and registers itself with a
 * `register…(program)` function listed in {@link COMMAND_GROUPS}. Every failure is one line on stderr with a
 * non-zero exit code: 1 for a failed operation (a revert, an unreachable node), 2 for bad input.
 */
import { Command, CommanderError } from "commander";
import { registerAgentCommands } from "./agent.ts";
import { registerAttestCommands } from "./attest.ts";
import { registerAuditCommands, registerReportCommand } from "./audit.ts";
import { registerDatasetCommands } from "./dataset.ts";
import { registerDecisionsCommands } from "./decisions.ts";
import { EXIT_BAD_INPUT, EXIT_OK, describeFailure, oneLine, oneLineUsageErrors, quietBrokenPipe } from "./errors.ts";
import { PROGRAM_HELP } from "./help.ts";
import { registerFingerprintCommand } from "./fingerprint.ts";
import { registerLicenceCommands } from "./licence.ts";
import { registerMcpCommand } from "./mcp.ts";
import { registerModelCommands } from "./model.ts";
import { registerNodeCommand } from "./node.ts";
import { registerPrivacyCommands } from "./privacy.ts";
import { ALL_OPTION_SETS, addGlobalOptions } from "./options.ts";
import { terminalText } from "../core/output.ts";
import { jsonText } from "./output.ts";
import { registerReleaseCommands } from "./release.ts";
import { registerRoleCommands } from "./role.ts";
import { registerRoyaltiesCommands } from "./royalties.ts";
import { registerUsageCommands } from "./usage.ts";
import { registerSystemCommands } from "./system.ts";
import { registerTestCommand } from "./test.ts";

/** Adds one command group (`dataset`, `audit`, …) to the program. */
export type RegisterCommands = (program: Command) => void;

/**
 * The command groups, in the order `pedigree --help` lists them. New groups (`audit`, `report`) add their register
 * function here; global options for them come from `addGlobalOptions(command, [...])` (./options.ts), the chain and
 * key from the `run` wrapper's Context (./context.ts).
 */
export const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerFingerprintCommand,
  registerDatasetCommands,
  registerLicenceCommands,
  registerRoyaltiesCommands,
  registerUsageCommands,
  registerModelCommands,
  registerAttestCommands,
  registerRoleCommands,
  registerSystemCommands,
  registerAgentCommands,
  registerReleaseCommands,
  registerDecisionsCommands,
  registerPrivacyCommands,
  registerAuditCommands,
  registerReportCommand,
  registerNodeCommand,
  registerMcpCommand,
  registerTestCommand,
];


export function buildProgram(): Command {
  const program = new Command("pedigree")
    .description("Pedigree: on-chain provenance for AI models and their training data")
    .enablePositionalOptions()
    .exitOverride()
    .addHelpText("after", PROGRAM_HELP);
  addGlobalOptions(program, ALL_OPTION_SETS);
  for (const register of COMMAND_GROUPS) register(program);
  oneLineUsageErrors(program);
  return program;
}

/** Whether `--json` was asked for, as far as a failed parse lets us know. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/**
 * Runs the CLI on `argv` (without node and the script) and returns the exit code.
 *
 * @example
 * process.exitCode = await main(["dataset", "show", "1", "--json"]);
 */
export async function main(argv: string[]): Promise<number> {
  quietBrokenPipe();
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK;
      if (wantsJson(argv)) {
        const message = oneLine(error.message).replace(/^error: /, "");
        process.stdout.write(jsonText({ error: { code: "USAGE", message, exitCode: EXIT_BAD_INPUT } }));
      }
      return EXIT_BAD_INPUT;
    }
    const failure = describeFailure(error);
    process.stderr.write(`pedigree: ${terminalText(failure.message)}\n`);
    if (wantsJson(argv) && !failure.resultPrinted) {
      process.stdout.write(
        jsonText({ error: { code: failure.code, name: failure.errorName, message: failure.message, exitCode: failure.exitCode } }),
      );
    }
    return failure.exitCode;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
