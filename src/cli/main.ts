/**
 * The `pedigree` command. Every failure is one line on stderr with a non-zero exit code:
 * 1 for a failed operation (a revert, an unreachable node), 2 for bad input.
 */
import { Command, CommanderError } from "commander";
import { CliError } from "./errors.ts";
import { registerNodeCommand } from "./node.ts";

export function buildProgram(): Command {
  const program = new Command("pedigree")
    .description("Pedigree: on-chain provenance for AI models and their training data")
    .showHelpAfterError()
    .exitOverride();
  registerNodeCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      process.stderr.write(`pedigree: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`pedigree: ${(error as Error).message?.split("\n")[0] ?? String(error)}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
