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

/** Where a global option comes from: its flag, what it does, the environment variable it falls back on, its default. */
interface Declaration {
  flags: string;
  description: string;
  env?: string;
  default?: string;
}

/**
 * Ten minutes: a transaction with a fee the network accepts is mined within a minute or two; one still pending after
 * ten is stuck (fee too low, dropped) or the node is not telling — the user should look rather than wait for ever.
 */
const DEFAULT_WAIT_TIMEOUT_SECONDS = "600";

/** Every global option, declared once (commands that take one on their own, like `pedigree node`, reuse it). */
const DECLARATIONS = {
  json: { flags: "--json", description: "print one JSON document on stdout (ids and amounts as strings)" },
  rpc: { flags: "--rpc <url>", description: "Ethereum JSON-RPC endpoint", env: "PEDIGREE_RPC_URL", default: "http://127.0.0.1:8545" },
  network: {
    flags: "--network <name>",
    description: "take the registry addresses of this network from the networks file",
    env: "PEDIGREE_NETWORK",
  },
  networksFile: {
    flags: "--networks-file <file>",
    description: "networks file written by scripts/deploy.ts",
    env: "PEDIGREE_NETWORKS_FILE",
    default: "subgraph/networks.json",
  },
  addresses: {
    flags: "--addresses <file>",
    description: "JSON file with the registry addresses ({datasets, attestations, models, releases, systems}) instead of a network",
    env: "PEDIGREE_ADDRESSES",
  },
  chainId: { flags: "--chain-id <id>", description: "refuse to act unless the node serves this chain id", env: "PEDIGREE_CHAIN_ID" },
  timeout: {
    flags: "--timeout <seconds>",
    description: "give up on a node or subgraph that has not answered within this many seconds",
    env: "PEDIGREE_TIMEOUT",
    default: String(DEFAULT_TIMEOUT_MS / 1000),
  },
  keystore: {
    flags: "--keystore <file>",
    description:
      "sign with this Ethereum JSON keystore (password: $PEDIGREE_KEYSTORE_PASSWORD, or asked on a terminal); default: the key in $PEDIGREE_PRIVATE_KEY",
    env: "PEDIGREE_KEYSTORE",
  },
  privateKey: { flags: "--private-key <key>", description: "refused: a key on the command line leaks into shell history and process lists" },
  unsafeKeyOnCommandLine: { flags: "--unsafe-key-on-command-line", description: "accept --private-key anyway (prints a warning)" },
  waitTimeout: {
    flags: "--wait-timeout <seconds>",
    description: "give up waiting for a sent transaction to be mined after this many seconds",
    env: "PEDIGREE_WAIT_TIMEOUT",
    default: DEFAULT_WAIT_TIMEOUT_SECONDS,
  },
  subgraph: { flags: "--subgraph <url>", description: "GraphQL endpoint of the indexed Pedigree subgraph", env: "PEDIGREE_SUBGRAPH_URL" },
} as const satisfies Record<string, Declaration>;

/** The name of a global option, as commander stores its value. */
export type GlobalOptionName = keyof typeof DECLARATIONS;

/** The options of each set. */
const SETS: Readonly<Record<OptionSet, readonly GlobalOptionName[]>> = {
  output: ["json"],
  chain: ["rpc", "network", "networksFile", "addresses", "chainId", "timeout"],
  key: ["keystore", "privateKey", "unsafeKeyOnCommandLine", "waitTimeout"],
  subgraph: ["subgraph", "timeout"],
};

const GROUP = "Global options:";

/**
 * A global option as a commander Option, from its one declaration; `description` words it for a command that takes it
 * on its own.
 *
 * @example
 * command.addOption(globalOption("rpc"));
 */
export function globalOption(name: GlobalOptionName, description?: string): Option {
  const declaration: Declaration = DECLARATIONS[name];
  const option = new Option(declaration.flags, description ?? declaration.description);
  if (declaration.env) option.env(declaration.env);
  if (declaration.default !== undefined) option.default(declaration.default);
  return option;
}

/**
 * Adds global option sets to a command, listed under "Global options:" in its help.
 *
 * @example
 * addGlobalOptions(program.command("audit").command("model <id>"), ["output", "subgraph"]);
 */
export function addGlobalOptions(command: Command, sets: readonly OptionSet[]): Command {
  for (const name of new Set(sets.flatMap((set) => SETS[set]))) {
    const option = globalOption(name);
    if (!command.options.some((present) => present.long === option.long)) command.addOption(option.helpGroup(GROUP));
  }
  return command;
}

/** Every global option set, for the program itself. */
export const ALL_OPTION_SETS: readonly OptionSet[] = ["output", "chain", "key", "subgraph"];

/**
 * The value of one global option as it applies to `command`: given on the command line wherever (after the command,
 * or before it), then its environment variable and its default, as commander resolved them on the nearest command
 * that takes it.
 */
function resolve(chain: readonly Command[], name: GlobalOptionName): { value: unknown; source?: string } {
  for (const source of ["cli", "env", "default"]) {
    const found = chain.find((c) => c.getOptionValueSource(name) === source && c.opts()[name] !== undefined);
    if (found) return { value: found.opts()[name], source };
  }
  return { value: undefined };
}

/**
 * The global options as they apply to `command` (a value given on the command line wins wherever it was given, then
 * environment variables and defaults).
 *
 * @example
 * const { rpc, json } = globalOptionsOf(command);
 */
export function globalOptionsOf(command: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let current: Command | null = command; current; current = current.parent) chain.push(current);
  const values = Object.fromEntries(
    (Object.keys(DECLARATIONS) as GlobalOptionName[]).map((name) => [name, resolve(chain, name)]),
  ) as Record<GlobalOptionName, { value: unknown; source?: string }>;
  const text = (name: GlobalOptionName) => values[name].value as string | undefined;
  const withDefault = (name: "rpc" | "networksFile" | "timeout" | "waitTimeout") => text(name) ?? DECLARATIONS[name].default;
  return {
    json: values.json.value === true,
    rpc: withDefault("rpc"),
    subgraph: text("subgraph"),
    network: text("network"),
    networksFile: withDefault("networksFile"),
    networksFileGiven: values.networksFile.source === "cli" || values.networksFile.source === "env",
    addresses: text("addresses"),
    chainId: text("chainId"),
    keystore: text("keystore"),
    privateKey: text("privateKey"),
    unsafeKeyOnCommandLine: values.unsafeKeyOnCommandLine.value === true,
    timeout: withDefault("timeout"),
    waitTimeout: withDefault("waitTimeout"),
  };
}
