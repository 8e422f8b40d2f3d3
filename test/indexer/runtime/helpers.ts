/**
 * Shared test helpers: chain objects (blocks, transactions, logs encoded with ethers), and a harness that calls host
 * functions directly against a live instance's memory and allocator.
 */
import { existsSync } from "node:fs";
import { Interface, keccak256, toUtf8Bytes } from "ethers";
import type { BlockHeader, Log, Transaction, Trigger } from "../../../src/indexer/chain/types.ts";
import { loadManifest } from "../../../src/indexer/runtime/manifest.ts";
import { MappingModule } from "../../../src/indexer/runtime/module.ts";
import { SchemaInfo } from "../../../src/indexer/runtime/entity.ts";
import { hostFunctions, type HostFunctions } from "../../../src/indexer/runtime/host/index.ts";
import type { AscHeap } from "../../../src/indexer/runtime/asc.ts";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import type { ActiveDataSource } from "../../../src/indexer/runtime/matching.ts";
import type { HostChain } from "../../../src/indexer/runtime/types.ts";
import { PROJECT_MANIFEST, ensureFixtureBuilt } from "./fixture-build.ts";

export const hex = (byte: number, length: number): string => `0x${byte.toString(16).padStart(2, "0").repeat(length)}`;

/** A block header with distinct, recognisable hashes. */
export function block(number: bigint, overrides: Partial<BlockHeader> = {}): BlockHeader {
  return {
    number,
    hash: `0x${number.toString(16).padStart(64, "b")}`,
    parentHash: `0x${(number - 1n).toString(16).padStart(64, "b")}`,
    unclesHash: hex(0x1d, 32),
    author: hex(0xa0, 20),
    stateRoot: hex(0x51, 32),
    transactionsRoot: hex(0x52, 32),
    receiptsRoot: hex(0x53, 32),
    gasUsed: 21_000n,
    gasLimit: 30_000_000n,
    timestamp: 1_700_000_000n + number * 12n,
    difficulty: 0n,
    totalDifficulty: 0n,
    size: 1234n,
    baseFeePerGas: 7n,
    ...overrides,
  };
}

export function transaction(hash: string, overrides: Partial<Transaction> = {}): Transaction {
  return {
    hash,
    index: 0n,
    from: hex(0xf1, 20),
    to: hex(0xf2, 20),
    value: 0n,
    gasLimit: 1_000_000n,
    gasPrice: 1_000_000_000n,
    input: "0x1234",
    nonce: 5n,
    ...overrides,
  };
}

/** A Log of `event` with `args`, ABI-encoded by ethers. */
export function encodeLog(
  iface: Interface,
  event: string,
  args: unknown[],
  at: { address: string; block: BlockHeader; txHash: string; logIndex: bigint },
): Log {
  const encoded = iface.encodeEventLog(iface.getEvent(event)!, args);
  return {
    address: at.address,
    topics: encoded.topics,
    data: encoded.data,
    logIndex: at.logIndex,
    transactionIndex: 0n,
    transactionHash: at.txHash,
    blockNumber: at.block.number,
    blockHash: at.block.hash,
  };
}

/** An event trigger for `log` in `block`. */
export function eventTrigger(dataSource: string, handler: string, log: Log, blk: BlockHeader, tx: Transaction): Trigger {
  return { kind: "event", dataSource, handler, log, block: blk, transaction: tx, receipt: null };
}

export const txHash = (n: number): string => `0x${n.toString(16).padStart(64, "0")}`;

export const keccakText = (text: string): string => keccak256(toUtf8Bytes(text));

/** Path of the hostcheck fixture's build, building it if needed. */
export function hostcheckManifest(): string {
  return ensureFixtureBuilt("hostcheck");
}

/** Path of the project's build, with a clear message when it is missing. */
export function projectManifest(): string {
  if (!existsSync(PROJECT_MANIFEST)) {
    throw new Error(`${PROJECT_MANIFEST} is missing: run \`npm run build:subgraph\` first`);
  }
  return PROJECT_MANIFEST;
}

export interface HostHarness {
  heap: AscHeap;
  fns: HostFunctions;
  store: EntityCache;
  /** Calls a host function by import name; returns what it returns to WASM. */
  call(name: string, ...args: number[]): number | bigint | void;
  /** A fresh instance (memory reset), as a new trigger would get. */
  reset(): void;
}

/**
 * Instantiates the hostcheck Factory mapping and returns its live heap plus the host functions bound to it, with a
 * trigger state in place (EntityCache store, block 100), so host functions can be called directly.
 */
export async function hostHarness(options: { chain?: HostChain } = {}): Promise<HostHarness> {
  const manifest = loadManifest(hostcheckManifest());
  const spec = manifest.dataSources[0]!;
  const module = await MappingModule.load(spec.mapping.file, {
    schema: new SchemaInfo(manifest.schema),
    apiVersion: spec.mapping.apiVersion,
    abis: spec.mapping.abis,
    templates: manifest.templates.map((t) => t.name),
    chain: options.chain ?? null,
    logger: null,
  });
  const store = new EntityCache(manifest.schema);
  const dataSource: ActiveDataSource = {
    id: spec.name,
    name: spec.name,
    fromTemplate: false,
    kind: spec.kind,
    network: spec.network,
    address: spec.address,
    abi: spec.abi,
    startBlock: spec.startBlock,
    endBlock: null,
    context: null,
    mapping: spec.mapping,
  };
  module.ctx.begin({ store, dataSource, handler: "test", blockNumber: 100n, blockHash: hex(0xbb, 32), blockTimestamp: 0n, created: [] });
  module.instantiate();
  const fns = hostFunctions(module.ctx);
  return {
    heap: module.ctx.heap,
    fns,
    store,
    call(name, ...args) {
      const fn = fns[name];
      if (!fn) throw new Error(`no host function ${name}`);
      return fn(...args);
    },
    reset() {
      module.instantiate();
    },
  };
}
