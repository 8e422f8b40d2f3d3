/**
 * The `pedigree` command. Each command group lives in its own file and registers itself with a
 * `register…(program)` function listed in {@link COMMAND_GROUPS}. Every failure is one line on stderr with a
 * non-zero exit code: 1 for a failed operation (a revert, an unreachable node), 2 for bad input.
 */
import { Command, CommanderError } from "commander";
import { registerAttestCommands } from "./attest.ts";
import { registerDatasetCommands } from "./dataset.ts";
import { registerDecisionsCommands } from "./decisions.ts";
import { EXIT_BAD_INPUT, EXIT_OK, describeFailure, oneLine } from "./errors.ts";
import { registerFingerprintCommand } from "./fingerprint.ts";
import { registerLicenceCommands } from "./licence.ts";
import { registerModelCommands } from "./model.ts";
import { registerNodeCommand } from "./node.ts";
import { ALL_OPTION_SETS, addGlobalOptions } from "./options.ts";
import { jsonText } from "./output.ts";
import { registerReleaseCommands } from "./release.ts";
import { registerRoleCommands } from "./role.ts";
import { registerRoyaltiesCommands } from "./royalties.ts";

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
  registerModelCommands,
  registerAttestCommands,
  registerRoleCommands,
  registerReleaseCommands,
  registerDecisionsCommands,
  registerNodeCommand,
];

const EPILOGUE = `
Keys: commands that send transactions sign with the key in $PEDIGREE_PRIVATE_KEY,
or with --keystore <file> (an Ethereum JSON keystore; its password comes from
$PEDIGREE_KEYSTORE_PASSWORD, or is asked on a terminal). A key on the command
line (--private-key) is refused unless --unsafe-key-on-command-line is given.
Read-only commands need no key.

Addresses: --network <name> picks the registries from the networks file (default
subgraph/networks.json; without --network, the entry of the node's chain), or
--addresses <file> names them. --chain-id (implied by well-known network names)
refuses a node on another chain before anything is sent.

Environment: PEDIGREE_RPC_URL, PEDIGREE_NETWORK, PEDIGREE_NETWORKS_FILE,
PEDIGREE_ADDRESSES, PEDIGREE_CHAIN_ID, PEDIGREE_SUBGRAPH_URL,
PEDIGREE_PRIVATE_KEY, PEDIGREE_KEYSTORE, PEDIGREE_KEYSTORE_PASSWORD.

Output: human-readable lines on stdout; with --json one JSON document instead
(ids and amounts as strings; on failure {"error": {code, name, message,
exitCode}}). Errors are one line on stderr.

Exit codes:
  0  ok
  1  the operation failed: the chain refused it (a revert: unknown id,
     unlicensed dataset, missing role, ...), the node could not be reached,
     or a check or verification said no
  2  bad input, nothing was sent: usage, a malformed address, hash, id or
     amount, a missing or unreadable file, a wrong network or chain id, no
     contract at the addresses, a missing, refused or undecryptable key

Example:
  $ export PEDIGREE_NETWORK=localhost PEDIGREE_PRIVATE_KEY=0x...
  $ pedigree dataset register --path ./data --uri ipfs://bafy... \\
      --price 0.5 --licence-uri spdx:CC-BY-4.0 --derivatives`;

/** The command path of a command, e.g. `pedigree dataset register`. */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(" ");
}

/** Commander's own errors (usage) as one line naming the command's help. */
function oneLineErrors(command: Command): void {
  const path = pathOf(command);
  command.configureOutput({
    outputError: (text, write) => write(`${path.split(" ")[0]}: ${oneLine(text).replace(/^error: /, "")} (see \`${path} --help\`)\n`),
  });
  for (const sub of command.commands) oneLineErrors(sub);
}

export function buildProgram(): Command {
  const program = new Command("pedigree")
    .description("Pedigree: on-chain provenance for AI models and their training data")
    .enablePositionalOptions()
    .exitOverride()
    .addHelpText("after", EPILOGUE);
  addGlobalOptions(program, ALL_OPTION_SETS);
  for (const register of COMMAND_GROUPS) register(program);
  oneLineErrors(program);
  return program;
}

let pipeGuard = false;

/** `pedigree … | head` closes stdout early: stop quietly instead of failing with a stack trace. */
function quietBrokenPipe(): void {
  if (pipeGuard) return;
  pipeGuard = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
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
    process.stderr.write(`pedigree: ${failure.message}\n`);
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
