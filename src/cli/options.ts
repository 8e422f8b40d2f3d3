/**
 * Global options: accepted before the command (`pedigree --json dataset register …`) and after it
 * (`pedigree dataset register … --json`). Each command adds the sets it uses, so that its `--help` lists them under
 * "Global options:"; the program itself takes all of them.
 */
import { Option, type Command } from "commander";
import { DEFAULT_TIMEOUT_MS } from "../core/timeouts.ts";

/** The sets of global options a command can take. */
export type OptionSet =
  /** `--json`. */
  | "output"
  /** `--rpc`, `--network`, `--networks-file`, `--addresses`, `--chain-id`, `--timeout`: where the registries are. */
  | "chain"
  /** `--keystore`, `--private-key`, `--unsafe-key-on-command-line`, `--wait-timeout`: the account that signs. */
  | "key"
  /** `--subgraph`, `--timeout`: the GraphQL endpoint of the indexed subgraph (audit and report commands). */
  | "subgraph";

/** Values of the global options, merged from the command and its ancestors. */
export interface GlobalOptions {
  json: boolean;
  rpc: string;
  subgraph?: string;
  network?: string;
  networksFile: string;
  networksFileGiven: boolean;
  addresses?: string;
  chainId?: string;
  keystore?: string;
  privateKey?: string;
  unsafeKeyOnCommandLine: boolean;
  /** Seconds to wait for each answer of the node or the subgraph, as given (checked by the Context). */
  timeout: string;
  /** Seconds to wait for a sent transaction to be mined, as given (checked by the Context). */
  waitTimeout: string;
}

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_NETWORKS_FILE = "subgraph/networks.json";
export const DEFAULT_TIMEOUT_SECONDS = String(DEFAULT_TIMEOUT_MS / 1000);
/**
 * Ten minutes: a transaction with a fee the network accepts is mined within a minute or two; one still pending after
 * ten is stuck (fee too low, dropped) or the node is not telling — the user should look rather than wait for ever.
 */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = "600";
const GROUP = "Global options:";

/** Shared by the chain and subgraph sets: every network call gives up after it. */
function timeoutOption(): Option {
  return new Option("--timeout <seconds>", "give up on a node or subgraph that has not answered within this many seconds")
    .env("PEDIGREE_TIMEOUT")
    .default(DEFAULT_TIMEOUT_SECONDS);
}

function optionsOf(set: OptionSet): Option[] {
  switch (set) {
    case "output":
      return [new Option("--json", "print one JSON document on stdout (ids and amounts as strings)")];
    case "chain":
      return [
        new Option("--rpc <url>", "Ethereum JSON-RPC endpoint").env("PEDIGREE_RPC_URL").default(DEFAULT_RPC_URL),
        new Option("--network <name>", "take the registry addresses of this network from the networks file").env(
          "PEDIGREE_NETWORK",
        ),
        new Option("--networks-file <file>", "networks file written by scripts/deploy.ts")
          .env("PEDIGREE_NETWORKS_FILE")
          .default(DEFAULT_NETWORKS_FILE),
        new Option(
          "--addresses <file>",
          "JSON file with the registry addresses ({datasets, attestations, models, releases}) instead of a network",
        ).env("PEDIGREE_ADDRESSES"),
        new Option("--chain-id <id>", "refuse to act unless the node serves this chain id").env("PEDIGREE_CHAIN_ID"),
        timeoutOption(),
      ];
    case "key":
      return [
        new Option(
          "--keystore <file>",
          "sign with this Ethereum JSON keystore (password: $PEDIGREE_KEYSTORE_PASSWORD, or asked on a terminal); default: the key in $PEDIGREE_PRIVATE_KEY",
        ).env("PEDIGREE_KEYSTORE"),
        new Option("--private-key <key>", "refused: a key on the command line leaks into shell history and process lists"),
        new Option("--unsafe-key-on-command-line", "accept --private-key anyway (prints a warning)"),
        new Option("--wait-timeout <seconds>", "give up waiting for a sent transaction to be mined after this many seconds")
          .env("PEDIGREE_WAIT_TIMEOUT")
          .default(DEFAULT_WAIT_TIMEOUT_SECONDS),
      ];
    case "subgraph":
      return [new Option("--subgraph <url>", "GraphQL endpoint of the indexed Pedigree subgraph").env("PEDIGREE_SUBGRAPH_URL"), timeoutOption()];
  }
}

/**
 * Adds global option sets to a command, listed under "Global options:" in its help.
 *
 * @example
 * addGlobalOptions(program.command("audit").command("model <id>"), ["output", "subgraph"]);
 */
export function addGlobalOptions(command: Command, sets: readonly OptionSet[]): Command {
  for (const set of sets) {
    for (const option of optionsOf(set)) {
      if (command.options.some((present) => present.long === option.long)) continue; // --timeout is in two sets
      command.addOption(option.helpGroup(GROUP));
    }
  }
  return command;
}

/** Every global option set, for the program itself. */
export const ALL_OPTION_SETS: readonly OptionSet[] = ["output", "chain", "key", "subgraph"];

const KEYS = [
  "json",
  "rpc",
  "subgraph",
  "network",
  "networksFile",
  "addresses",
  "chainId",
  "keystore",
  "privateKey",
  "unsafeKeyOnCommandLine",
  "timeout",
  "waitTimeout",
] as const;

/**
 * The global options as they apply to `command`: a value given on the command line wins wherever it was given
 * (after the command, or before it), then environment variables and defaults.
 *
 * @example
 * const { rpc, json } = globalOptionsOf(command);
 */
export function globalOptionsOf(command: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let current: Command | null = command; current; current = current.parent) chain.push(current);
  const merged: Record<string, unknown> = {};
  const fromCli = new Set<string>();
  for (const key of KEYS) {
    const given = chain.find((c) => c.getOptionValueSource(key) === "cli");
    if (given) {
      merged[key] = given.opts()[key];
      fromCli.add(key);
      continue;
    }
    for (const source of ["env", "default"]) {
      const found = chain.find((c) => c.getOptionValueSource(key) === source && c.opts()[key] !== undefined);
      if (found) {
        merged[key] = found.opts()[key];
        break;
      }
    }
  }
  return {
    json: merged.json === true,
    rpc: (merged.rpc as string | undefined) ?? process.env.PEDIGREE_RPC_URL ?? DEFAULT_RPC_URL,
    subgraph: merged.subgraph as string | undefined,
    network: merged.network as string | undefined,
    networksFile: (merged.networksFile as string | undefined) ?? DEFAULT_NETWORKS_FILE,
    networksFileGiven: fromCli.has("networksFile") || process.env.PEDIGREE_NETWORKS_FILE !== undefined,
    addresses: merged.addresses as string | undefined,
    chainId: merged.chainId as string | undefined,
    keystore: merged.keystore as string | undefined,
    privateKey: merged.privateKey as string | undefined,
    unsafeKeyOnCommandLine: merged.unsafeKeyOnCommandLine === true,
    timeout: (merged.timeout as string | undefined) ?? process.env.PEDIGREE_TIMEOUT ?? DEFAULT_TIMEOUT_SECONDS,
    waitTimeout: (merged.waitTimeout as string | undefined) ?? process.env.PEDIGREE_WAIT_TIMEOUT ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
  };
}
