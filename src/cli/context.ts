/**
 * What a command acts through: its merged global options, its output, and — built on demand, local checks first —
 * the signing account, the node (checked to serve the expected chain) and a PedigreeClient on the right registries.
 */
import type { Command } from "commander";
import { JsonRpcProvider, type Wallet } from "ethers";
import {
  NodeUnreachableError,
  PedigreeError,
  WrongNetworkError,
  createPedigreeClient,
  createRpcProvider,
  decodeError,
  type PedigreeAddresses,
  type PedigreeClient,
} from "../sdk/index.ts";
import { GRAPH_NETWORK_BY_CHAIN_ID, readNetworksFile, type NetworksFile } from "../sdk/networks.ts";
import { parseAddress } from "../core/hex.ts";
import { noAnswerWithin } from "../core/timeouts.ts";
import { CliError } from "./errors.ts";
import { checkKeyOptions, hasSigner, loadSigner } from "./keys.ts";
import { globalOptionsOf, type GlobalOptions } from "./options.ts";
import { Output } from "./output.ts";
import { parseTimeout, readJsonFile, requirePath } from "./parse.ts";

const ADDRESS_KEYS = {
  datasets: "DatasetRegistry",
  royalties: "RoyaltyRegistry",
  attestations: "AttestationRegistry",
  models: "ModelRegistry",
  releases: "ReleaseRegistry",
  systems: "SystemRegistry",
  agents: "AgentRegistry",
} as const satisfies Record<keyof PedigreeAddresses, string>;

/** The chain id a graph network name stands for (`sepolia` → 11155111). */
function chainIdOfNetwork(name: string): bigint | undefined {
  const entry = Object.entries(GRAPH_NETWORK_BY_CHAIN_ID).find(([, network]) => network === name);
  return entry ? BigInt(entry[0]) : undefined;
}

/** Registry addresses from a JSON object: `{datasets, …}` or a networks-file entry `{DatasetRegistry: {address}, …}`. */
function addressesFrom(value: unknown, where: string): PedigreeAddresses {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CliError(`${where} must be a JSON object with the address of every registry (datasets, royalties, attestations, models, releases, systems, agents)`);
  }
  const record = value as Record<string, unknown>;
  const result = {} as Record<keyof PedigreeAddresses, string>;
  for (const [key, contract] of Object.entries(ADDRESS_KEYS) as [keyof PedigreeAddresses, string][]) {
    const raw = record[key] ?? record[contract];
    const address = typeof raw === "object" && raw !== null ? (raw as { address?: unknown }).address : raw;
    if (typeof address !== "string") {
      throw new CliError(`${where} has no address for the ${contract} (key "${key}" or "${contract}")`);
    }
    const parsed = parseAddress(address, `${where} ${contract} address`);
    if (/^0x0{40}$/.test(parsed)) {
      throw new CliError(`${where} gives the zero address for the ${contract}: deploy first (scripts/deploy.ts) or point at another deployment`);
    }
    result[key] = parsed;
  }
  return result;
}

/** The context of one command run. */
export class Context {
  readonly options: GlobalOptions;
  readonly out: Output;
  /** How long to wait for each answer of the node or the subgraph (`--timeout`), in milliseconds. */
  readonly timeoutMs: number;
  /** How long to wait for a sent transaction to be mined (`--wait-timeout`), in milliseconds. */
  readonly waitTimeoutMs: number;
  #signer: Promise<Wallet> | undefined;
  #provider: Promise<JsonRpcProvider> | undefined;
  #providers: JsonRpcProvider[] = [];

  constructor(readonly command: Command) {
    this.options = globalOptionsOf(command);
    this.out = new Output(this.options.json);
    this.timeoutMs = parseTimeout(this.options.timeout, "--timeout (or PEDIGREE_TIMEOUT)");
    this.waitTimeoutMs = parseTimeout(this.options.waitTimeout, "--wait-timeout (or PEDIGREE_WAIT_TIMEOUT)");
    checkKeyOptions(this.options, this.out);
  }

  /** Whether a signing account is configured. */
  get hasSigner(): boolean {
    return hasSigner(this.options);
  }

  /** The signing account (local: nothing is contacted). */
  signer(): Promise<Wallet> {
    this.#signer ??= loadSigner(this.options);
    return this.#signer;
  }

  /** The chain id given with `--chain-id`, or implied by a well-known `--network` name. */
  expectedChainId(): bigint | undefined {
    const given = this.options.chainId;
    if (given !== undefined) {
      if (!/^\d+$/.test(given.trim()) || BigInt(given.trim()) === 0n) {
        throw new CliError(`--chain-id must be a positive whole number, got ${JSON.stringify(given)}`);
      }
      return BigInt(given.trim());
    }
    return this.options.network === undefined ? undefined : chainIdOfNetwork(this.options.network);
  }

  /** The node, after checking it answers and serves the expected chain. */
  provider(): Promise<JsonRpcProvider> {
    this.#provider ??= this.connect();
    return this.#provider;
  }

  private async connect(): Promise<JsonRpcProvider> {
    const { rpc } = this.options;
    const expected = this.expectedChainId();
    if (!/^https?:\/\/\S+$/i.test(rpc)) throw new CliError(`--rpc must be an http(s):// URL, got ${JSON.stringify(rpc)}`);
    try {
      // createRpcProvider checks the node answers and serves the expected chain (and has no request cache, so two
      // transactions sent back to back see each other's nonce).
      const provider = await createRpcProvider(rpc, { chainId: expected, timeoutMs: this.timeoutMs });
      this.#providers.push(provider);
      return provider;
    } catch (error) {
      if (error instanceof WrongNetworkError) {
        throw new CliError(
          `wrong network: expected chain id ${error.expectedChainId} but the node at ${rpc} is on chain id ${error.actualChainId}; point --rpc (or PEDIGREE_RPC_URL) at the right node, or correct --chain-id / --network`,
          { code: "WRONG_NETWORK" },
        );
      }
      if (error instanceof NodeUnreachableError) {
        const slow = error.reason === noAnswerWithin(this.timeoutMs) ? ", or raise --timeout (PEDIGREE_TIMEOUT)" : "";
        throw new CliError(
          `${error.shortMessage.replace(/\.$/, "")}: check --rpc (or PEDIGREE_RPC_URL) and that the node is running${slow}`,
          { code: "NODE_UNREACHABLE" },
        );
      }
      throw error;
    }
  }

  /** The registry addresses, from `--addresses` or the networks file (by `--network`, or by the node's chain id). */
  async addresses(): Promise<PedigreeAddresses> {
    const { addresses, network, networksFile, networksFileGiven } = this.options;
    if (addresses !== undefined) return addressesFrom(await readJsonFile(addresses, "--addresses file"), `--addresses file ${addresses}`);
    let networks: NetworksFile;
    if (networksFileGiven || network !== undefined) await requirePath(networksFile, "networks file");
    try {
      networks = await readNetworksFile(networksFile);
    } catch {
      throw new CliError(`networks file ${networksFile} is not valid JSON: check it, or pass --addresses <file>`);
    }
    const names = Object.keys(networks);
    if (names.length === 0) {
      throw new CliError(
        `no registry addresses: ${networksFile} does not exist or is empty; pass --network <name> with --networks-file <file>, or --addresses <file>`,
      );
    }
    let name = network;
    if (name === undefined) {
      const chainId = (await (await this.provider()).getNetwork()).chainId;
      const byChain = GRAPH_NETWORK_BY_CHAIN_ID[Number(chainId)];
      if (byChain !== undefined && networks[byChain]) name = byChain;
      else if (names.length === 1) name = names[0];
      else throw new CliError(`name the network with --network (${networksFile} has: ${names.join(", ")})`);
    }
    const entry = networks[name!];
    if (!entry) {
      throw new CliError(
        `${networksFile} has no network "${name}" (it has: ${names.join(", ")}): pick one with --network, or deploy first with scripts/deploy.ts`,
      );
    }
    return addressesFrom(entry, `network "${name}" of ${networksFile}`);
  }

  /**
   * A client on the registries: read-only, or signing with the configured account. Local checks come first (key,
   * addresses), then the node (reachable, right chain), then that every registry has code there.
   *
   * @example
   * const client = await ctx.client({ sign: true });
   */
  async client({ sign }: { sign: boolean }): Promise<PedigreeClient> {
    const signer = sign ? await this.signer() : undefined;
    const preliminary = this.options.addresses !== undefined || this.options.network !== undefined ? await this.addresses() : undefined;
    const provider = await this.provider();
    const addresses = preliminary ?? (await this.addresses());
    const chainId = (await provider.getNetwork()).chainId;
    const codes = await Promise.all(
      (Object.keys(ADDRESS_KEYS) as (keyof PedigreeAddresses)[]).map(async (key) => {
        try {
          return [key, await provider.getCode(addresses[key])] as const;
        } catch (error) {
          throw this.decode(error, "eth_getCode");
        }
      }),
    );
    const missing = codes.find(([, code]) => code === "0x");
    if (missing) {
      const [key] = missing;
      throw new CliError(
        `no contract at ${addresses[key]} (the ${ADDRESS_KEYS[key]}) on chain ${chainId} at ${this.options.rpc}: check --network / --addresses and --rpc`,
        { code: "NO_CONTRACT" },
      );
    }
    return createPedigreeClient({
      runner: signer ? signer.connect(provider) : provider,
      addresses,
      chainId,
      rpcUrl: this.options.rpc,
      waitTimeoutMs: this.waitTimeoutMs,
    });
  }

  /** A one-line PedigreeError from anything a direct node or contract call threw (PedigreeErrors pass as they are). */
  decode(error: unknown, action: string): PedigreeError {
    return decodeError(error, { rpcUrl: this.options.rpc, action });
  }

  /**
   * Runs a view call, decoding its failure (unknown ids, an unreachable node) into a one-line error.
   *
   * @example
   * const dataset = await ctx.view("DatasetRegistry.getDataset", () => client.datasets.getDataset(1n));
   */
  async view<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.decode(error, action);
    }
  }

  /**
   * The GraphQL endpoint of the indexed subgraph (`--subgraph` / $PEDIGREE_SUBGRAPH_URL), for commands that query it.
   *
   * @example
   * const url = ctx.subgraphUrl(); // "http://127.0.0.1:8000/subgraphs/name/pedigree"
   */
  subgraphUrl(): string {
    const url = this.options.subgraph;
    if (url === undefined || url.trim() === "") {
      throw new CliError("name the subgraph's GraphQL endpoint with --subgraph <url> (or PEDIGREE_SUBGRAPH_URL); `pedigree node` serves one");
    }
    if (!/^https?:\/\/\S+$/i.test(url)) throw new CliError(`--subgraph must be an http(s):// URL, got ${JSON.stringify(url)}`);
    return url;
  }

  /** `onSubmitted` for write actions: tells a person watching that the transaction is on its way. */
  readonly submitted = (hash: string): void => {
    this.out.progress(`sent ${hash}, waiting for it to be mined…`);
  };

  /** Releases the node connections. */
  close(): void {
    for (const provider of this.#providers) provider.destroy();
  }
}

/**
 * The action of a command: `fn(ctx, args, options)`, where args are the command's arguments and options its own.
 *
 * @example
 * command.action(run(async (ctx, [datasetId], options: { reason: string }) => { … }));
 */
export function run<O>(
  fn: (ctx: Context, args: string[], options: O) => Promise<void>,
): (...params: unknown[]) => Promise<void> {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const options = params[params.length - 2] as O;
    const args = params.slice(0, -2).flatMap((arg) => (Array.isArray(arg) ? arg : [arg])) as string[];
    const ctx = new Context(command);
    try {
      await fn(ctx, args, options);
    } finally {
      ctx.close();
    }
  };
}
