/**
 * The Pedigree client: the six registries as typed TypeChain contracts behind one signer or provider, with the
 * network it must be on. Every action of src/sdk/actions takes a client as its first argument.
 */
import { FetchRequest, JsonRpcProvider, Network, type Provider, type Signer } from "ethers";
import {
  AgentRegistry__factory,
  AttestationRegistry__factory,
  DatasetRegistry__factory,
  ModelRegistry__factory,
  ReleaseRegistry__factory,
  RoyaltyRegistry__factory,
  SystemRegistry__factory,
  type AgentRegistry,
  type AttestationRegistry,
  type DatasetRegistry,
  type ModelRegistry,
  type ReleaseRegistry,
  type RoyaltyRegistry,
  type SystemRegistry,
} from "../../types/index.ts";
import { InvalidInputError } from "../core/errors.ts";
import {
  MissingSignerError,
  NodeUnreachableError,
  WrongNetworkError,
  decodeError,
  type PedigreeError,
  type TransactionOutcomeUnknownError,
} from "./errors/index.ts";
import { abortableGetUrl } from "./internal/abortableGetUrl.ts";
import { parseAddress } from "../core/hex.ts";
import { DEFAULT_TIMEOUT_MS } from "../core/timeouts.ts";

/** Where the registries are deployed on one network. */
export interface PedigreeAddresses {
  datasets: string;
  /** The treasury the DatasetRegistry created (`DatasetRegistry.royalties()`). */
  royalties: string;
  attestations: string;
  models: string;
  releases: string;
  systems: string;
  agents: string;
}

/** How to build a {@link PedigreeClient}. */
export interface PedigreeClientOptions {
  /** A signer to send transactions and sign with (connected to a provider), or a provider for reads only. */
  runner: Signer | Provider;
  /** The registries' addresses. */
  addresses: PedigreeAddresses;
  /** The chain the addresses belong to; every action first checks the node serves it. */
  chainId?: bigint | number;
  /** The RPC URL, named in errors when the node cannot be reached (read from a JsonRpcProvider when omitted). */
  rpcUrl?: string;
  /**
   * How long a write action waits for its transaction to be mined, in milliseconds, before it gives up with a
   * {@link TransactionOutcomeUnknownError} naming the transaction (default: no limit).
   */
  waitTimeoutMs?: number;
}

function isSigner(runner: Signer | Provider): runner is Signer {
  const candidate = runner as Partial<Signer>;
  return typeof candidate.getAddress === "function" && typeof candidate.signTypedData === "function";
}

function urlOfProvider(provider: Provider | null): string | undefined {
  if (provider instanceof JsonRpcProvider) return provider._getConnection().url;
  return undefined;
}

/**
 * Typed access to the Pedigree registries for one account (or read-only) on one network.
 *
 * @example
 * const client = createPedigreeClient({ runner: wallet, addresses, chainId: 11155111 });
 * const { datasetId } = await registerDataset(client, { version: { fingerprint, uri: "ipfs://…" } });
 * const asTeam = client.connect(teamWallet);
 */
export class PedigreeClient {
  /** The signer, or undefined for a read-only client. */
  readonly signer: Signer | undefined;
  /** The registries' checksummed addresses. */
  readonly addresses: Readonly<PedigreeAddresses>;
  /** The chain id every action checks for, when one was given. */
  readonly expectedChainId: bigint | undefined;
  /** The RPC URL, when known. */
  readonly rpcUrl: string | undefined;
  /** How long write actions wait for their transaction to be mined, when limited. */
  readonly waitTimeoutMs: number | undefined;
  readonly datasets: DatasetRegistry;
  readonly royalties: RoyaltyRegistry;
  readonly attestations: AttestationRegistry;
  readonly models: ModelRegistry;
  readonly releases: ReleaseRegistry;
  readonly systems: SystemRegistry;
  readonly agents: AgentRegistry;

  readonly #provider: Provider | null;
  #chainId: Promise<bigint> | undefined;
  #account: Promise<string> | undefined;

  constructor(options: PedigreeClientOptions) {
    const { runner } = options;
    this.signer = isSigner(runner) ? runner : undefined;
    this.#provider = isSigner(runner) ? runner.provider : runner;
    const addresses = options.addresses ?? ({} as PedigreeAddresses);
    this.addresses = Object.freeze({
      datasets: parseAddress(addresses.datasets, "addresses.datasets", { nonZero: true }),
      royalties: parseAddress(addresses.royalties, "addresses.royalties", { nonZero: true }),
      attestations: parseAddress(addresses.attestations, "addresses.attestations", { nonZero: true }),
      models: parseAddress(addresses.models, "addresses.models", { nonZero: true }),
      releases: parseAddress(addresses.releases, "addresses.releases", { nonZero: true }),
      systems: parseAddress(addresses.systems, "addresses.systems", { nonZero: true }),
      agents: parseAddress(addresses.agents, "addresses.agents", { nonZero: true }),
    });
    this.expectedChainId = options.chainId === undefined ? undefined : BigInt(options.chainId);
    this.rpcUrl = options.rpcUrl ?? urlOfProvider(this.#provider);
    if (options.waitTimeoutMs !== undefined && !(Number.isFinite(options.waitTimeoutMs) && options.waitTimeoutMs > 0)) {
      throw new InvalidInputError("waitTimeoutMs", `waitTimeoutMs ${String(options.waitTimeoutMs)} must be a positive number of milliseconds`);
    }
    this.waitTimeoutMs = options.waitTimeoutMs;
    this.datasets = DatasetRegistry__factory.connect(this.addresses.datasets, runner);
    this.royalties = RoyaltyRegistry__factory.connect(this.addresses.royalties, runner);
    this.attestations = AttestationRegistry__factory.connect(this.addresses.attestations, runner);
    this.models = ModelRegistry__factory.connect(this.addresses.models, runner);
    this.releases = ReleaseRegistry__factory.connect(this.addresses.releases, runner);
    this.systems = SystemRegistry__factory.connect(this.addresses.systems, runner);
    this.agents = AgentRegistry__factory.connect(this.addresses.agents, runner);
  }

  /**
   * The same client acting as another account.
   *
   * @example
   * const asEvaluator = client.connect(evaluatorWallet);
   * await attest(asEvaluator, { subjectType: "model-version", subjectId: 4n, kind: "safety-evaluation", … });
   */
  connect(signer: Signer): PedigreeClient {
    const connected = signer.provider || !this.#provider ? signer : signer.connect(this.#provider);
    return new PedigreeClient({
      runner: connected,
      addresses: this.addresses,
      chainId: this.expectedChainId,
      rpcUrl: this.rpcUrl,
      waitTimeoutMs: this.waitTimeoutMs,
    });
  }

  /**
   * The provider reads go through (the signer's provider for a signing client).
   *
   * @example
   * const block = await client.provider.getBlockNumber();
   */
  get provider(): Provider {
    if (!this.#provider) {
      throw new InvalidInputError("runner", "the client's signer is not connected to a provider", { hint: "Connect the signer to a provider, e.g. new Wallet(key, provider)." });
    }
    return this.#provider;
  }

  /**
   * The chain id the node serves (asked once, then remembered).
   *
   * @example
   * const chainId = await client.getChainId(); // 31337n
   */
  async getChainId(): Promise<bigint> {
    this.#chainId ??= this.provider.getNetwork().then(
      (network) => network.chainId,
      (error: unknown) => {
        this.#chainId = undefined;
        throw this.decodeError(error, "eth_chainId");
      },
    );
    return this.#chainId;
  }

  /**
   * Throws {@link WrongNetworkError} unless the node serves the chain the client was created for.
   *
   * @example
   * await client.assertNetwork();
   */
  async assertNetwork(): Promise<void> {
    if (this.expectedChainId === undefined) return;
    const actual = await this.getChainId();
    if (actual !== this.expectedChainId) throw new WrongNetworkError(this.expectedChainId, actual);
  }

  /**
   * The signer, or a {@link MissingSignerError} naming `action`.
   *
   * @example
   * const signer = client.requireSigner("acquireLicence");
   */
  requireSigner(action: string): Signer {
    if (!this.signer) throw new MissingSignerError(action);
    return this.signer;
  }

  /**
   * The signer's address (remembered).
   *
   * @example
   * const me = await client.account();
   */
  async account(): Promise<string> {
    const signer = this.requireSigner("account");
    this.#account ??= signer.getAddress();
    return this.#account;
  }

  /**
   * {@link decodeError} with what the client knows: its RPC URL, and the call that failed.
   *
   * @example
   * try { … } catch (error) { throw client.decodeError(error, "DatasetRegistry.setTerms"); }
   */
  decodeError(error: unknown, action?: string): PedigreeError {
    return decodeError(error, { rpcUrl: this.rpcUrl, action });
  }
}

/**
 * Creates a {@link PedigreeClient}.
 *
 * @example
 * import { JsonRpcProvider, Wallet } from "ethers";
 * const provider = await createRpcProvider("https://sepolia.example/rpc", { chainId: 11155111 });
 * const client = createPedigreeClient({
 *   runner: new Wallet(process.env.PRIVATE_KEY!, provider),
 *   addresses: { datasets: "0x…", attestations: "0x…", models: "0x…", releases: "0x…", systems: "0x…" },
 *   chainId: 11155111,
 * });
 */
export function createPedigreeClient(options: PedigreeClientOptions): PedigreeClient {
  return new PedigreeClient(options);
}

/** Options of {@link createRpcProvider}. */
export interface RpcProviderOptions {
  /** Refuse the node unless it serves this chain. */
  chainId?: bigint | number;
  /**
   * How long to wait for each answer of the node, in milliseconds: the first check and every later call
   * (default {@link DEFAULT_TIMEOUT_MS}, 30 s). A call that times out closes its connection.
   */
  timeoutMs?: number;
}

/** The node's HTTP endpoint, sent through {@link abortableGetUrl} with a timeout per request. */
function rpcConnection(url: string, timeoutMs: number): FetchRequest {
  const request = new FetchRequest(url);
  request.timeout = timeoutMs;
  request.getUrlFunc = abortableGetUrl;
  return request;
}

/**
 * A JSON-RPC provider for `url`, after checking the node answers (and serves `chainId`, when given). Unlike a bare
 * `new JsonRpcProvider(url)`, an unreachable node fails at once with a one-line {@link NodeUnreachableError} naming
 * the URL instead of retrying in the background, and every call gives up after `timeoutMs` with its connection closed,
 * so a node that never answers cannot keep the process alive.
 *
 * @example
 * const provider = await createRpcProvider("http://127.0.0.1:8545", { chainId: 31337 });
 * // NodeUnreachableError: Cannot reach the Ethereum node at http://127.0.0.1:9 (connection refused). Check …
 */
export async function createRpcProvider(url: string, options: RpcProviderOptions = {}): Promise<JsonRpcProvider> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError("rpcUrl", `the RPC URL ${JSON.stringify(url)} is not a URL`, { hint: "Give an http(s):// or ws(s):// URL." });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidInputError("rpcUrl", `the RPC URL ${url} must use http or https`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidInputError("timeoutMs", `timeoutMs ${String(timeoutMs)} must be a positive number of milliseconds`);
  }
  const connection = rpcConnection(url, timeoutMs);
  const request = connection.clone();
  request.setHeader("content-type", "application/json");
  request.body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
  let chainId: bigint;
  try {
    const response = await request.send();
    if (!response.ok()) throw new NodeUnreachableError(url, `HTTP ${response.statusCode} ${response.statusMessage}`);
    const body = response.bodyJson as { result?: string; error?: { message?: string } };
    if (typeof body?.result !== "string") {
      throw new NodeUnreachableError(url, `no chain id in its answer: ${body?.error?.message ?? "not a JSON-RPC node?"}`);
    }
    chainId = BigInt(body.result);
  } catch (error) {
    if (error instanceof NodeUnreachableError) throw error;
    const decoded = decodeError(error, { rpcUrl: url, action: "eth_chainId" });
    if (decoded instanceof NodeUnreachableError) throw decoded;
    throw new NodeUnreachableError(url, decoded.shortMessage.replace(/\.$/, ""), { cause: error });
  }
  if (options.chainId !== undefined && BigInt(options.chainId) !== chainId) {
    throw new WrongNetworkError(BigInt(options.chainId), chainId, { details: `the node at ${url}` });
  }
  // No request cache: two transactions sent back to back by one account must see each other's nonce.
  return new JsonRpcProvider(connection, Network.from(chainId), { staticNetwork: Network.from(chainId), cacheTimeout: -1 });
}
