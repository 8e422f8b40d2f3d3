/**
 * Which block a query runs at: the deployment's state as graph-node sees it (`DeploymentState`), the `block`
 * argument (`BlockConstraint`), and resolving constraints to block pointers with graph-node's errors
 * (`graphql/src/store/resolver.rs`, `locate_blocks`; `graph/src/data/subgraph/mod.rs`, `block_queryable`).
 *
 * One difference in bookkeeping is bridged here: when a handler fails, graph-node still advances the subgraph's block
 * pointer to the failing block (writing only the proof of indexing) and records the error at that block, so queries
 * at "latest" see the failing block and `hasIndexingErrors: true`. This project's store keeps its head at the last good
 * block and records the error separately; the deployment state below therefore treats the failing block as the latest
 * block, with the head's data.
 */
import type { BlockPtr, Store } from "../store/types.ts";
import { QueryErrors, SCHEMA_POSITION } from "./errors.ts";
import { ObjectValue, type RValue } from "./input-values.ts";

/** A block a query runs at. `hash` is null when the query asked for a block number (graph-node does not look it up). */
export interface ResolvedBlock {
  number: number;
  hash: string | null;
}

/** What graph-node's `DeploymentState` holds, derived from the store's status. */
export interface DeploymentState {
  deployment: string;
  /** The first block queries may ask for (graph-node's `earliest_block_number`). */
  earliest: number;
  /** The latest block as queries see it (the failing block when indexing failed after the head). */
  latest: { number: number; hash: string };
  /** The store's head (the block whose data "latest" queries read); null when indexing failed at its first block. */
  head: BlockPtr | null;
  /** The first block with a (deterministic) indexing error, if any. */
  firstErrorBlock: number | null;
  /** The failing block's hash, when the latest block is the failing block. */
  errorBlockHash: string | null;
}

/** `block: { hash } | { number } | { number_gte }` after coercion, or latest. */
export type BlockConstraint =
  | { kind: "latest" }
  | { kind: "number"; number: number }
  | { kind: "min"; number: number }
  | { kind: "hash"; hash: string };

/**
 * Reads the store's status as graph-node's deployment state. `earliest` is the first queryable block (graph-node sets
 * it to the deployment's start block; this runtime does not prune).
 */
export async function deploymentState(store: Store, deployment: string, earliest = 0): Promise<DeploymentState> {
  const { head, error } = await store.status();
  if (!head && !error) {
    throw QueryErrors.store(
      `query execution failed: Subgraph \`${deployment}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it`,
    );
  }
  if (!head) {
    const hash = error!.blockHash.toLowerCase();
    return {
      deployment,
      earliest,
      latest: { number: error!.blockNumber, hash },
      head: null,
      firstErrorBlock: error!.blockNumber,
      errorBlockHash: hash,
    };
  }
  const failedAfterHead = error !== null && error.blockNumber > head.number;
  return {
    deployment,
    earliest,
    latest: failedAfterHead ? { number: error.blockNumber, hash: error.blockHash.toLowerCase() } : { number: head.number, hash: head.hash },
    head,
    firstErrorBlock: error ? error.blockNumber : null,
    errorBlockHash: failedAfterHead ? error.blockHash.toLowerCase() : null,
  };
}

/** `DeploymentState::has_deterministic_errors`: an error is visible at `block`. */
export function hasIndexingErrorsAt(state: DeploymentState, block: number): boolean {
  return state.firstErrorBlock !== null && state.firstErrorBlock <= block;
}

const isI32 = (n: RValue) => typeof n === "number" && Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1;

/**
 * `BlockConstraint::try_from_value` on the coerced `block` argument. `hash` wins over `number`, which wins over
 * `number_gte`; an empty object or a null member is invalid.
 *
 * @throws QueryExecutionError "Invalid value provided for argument `block`: …"
 */
export function blockConstraint(value: RValue | undefined): BlockConstraint {
  if (value === undefined || value === null) return { kind: "latest" };
  const invalid = () => QueryErrors.invalidArgument(SCHEMA_POSITION, "block", value);
  if (!(value instanceof ObjectValue)) throw invalid();
  if (value.has("hash")) {
    const hash = value.get("hash");
    if (typeof hash !== "string") throw invalid();
    const body = hash.startsWith("0x") ? hash.slice(2) : hash;
    if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw invalid();
    return { kind: "hash", hash: `0x${body.toLowerCase()}` };
  }
  if (value.has("number")) {
    const number = value.get("number");
    if (!isI32(number ?? null)) throw invalid();
    return { kind: "number", number: number as number };
  }
  if (value.has("number_gte")) {
    const number = value.get("number_gte");
    if (!isI32(number ?? null)) throw invalid();
    return { kind: "min", number: number as number };
  }
  throw invalid();
}

/** Whether two constraints are the same (consecutive root fields with equal constraints run together). */
export function sameConstraint(a: BlockConstraint, b: BlockConstraint): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "hash" && b.kind === "hash") return a.hash === b.hash;
  if ((a.kind === "number" || a.kind === "min") && (b.kind === "number" || b.kind === "min")) return a.number === b.number;
  return true;
}

/** `DeploymentState::block_queryable`. */
function checkQueryable(state: DeploymentState, block: number, argument: string): void {
  if (block > state.latest.number) {
    throw QueryErrors.valueParse(
      argument,
      `subgraph ${state.deployment} has only indexed up to block number ${state.latest.number} and data for block number ${block} is therefore not yet available`,
    );
  }
  if (block < state.earliest) {
    throw QueryErrors.valueParse(
      argument,
      `subgraph ${state.deployment} only has data starting at block number ${state.earliest} and data for block number ${block} is therefore not available`,
    );
  }
}

/** How far back a hash is searched for when the store has no reverse lookup. */
export const MAX_HASH_SCAN = 4096;

/** A store that can also map a block hash to its number (optional; used when present). */
interface StoreWithHashLookup extends Store {
  blockNumber(hash: string): Promise<number | null>;
}

/**
 * Maps block hashes to numbers through the store's `blockHash(number)`, caching what it learns. The store records
 * hashes for reorg detection; a hash is looked for from the head backwards (at most {@link MAX_HASH_SCAN} blocks)
 * unless the store offers `blockNumber(hash)`. Cached entries are re-checked, so reorgs never yield stale answers.
 */
export class BlockHashIndex {
  private readonly numbers = new Map<string, number>();

  constructor(private readonly store: Store) {}

  /** The number of the block with `hash` (lowercase 0x-hex), or null if the store does not know it. */
  async numberOf(hash: string, state: DeploymentState): Promise<number | null> {
    if (state.errorBlockHash === hash) return state.latest.number;
    if (!state.head) return null;
    const head = state.head;
    if (hash === head.hash.toLowerCase()) return head.number;
    const withLookup = this.store as Partial<StoreWithHashLookup>;
    if (typeof withLookup.blockNumber === "function") return withLookup.blockNumber.call(this.store, hash);
    const cached = this.numbers.get(hash);
    if (cached !== undefined && cached <= head.number && (await this.hashAt(cached)) === hash) return cached;
    const lowest = Math.max(0, head.number - MAX_HASH_SCAN);
    for (let number = head.number - 1; number >= lowest; number--) {
      const found = await this.hashAt(number);
      if (found === null) break;
      this.numbers.set(found, number);
      if (found === hash) return number;
    }
    return null;
  }

  private async hashAt(number: number): Promise<string | null> {
    const hash = await this.store.blockHash(number);
    return hash === null ? null : hash.toLowerCase();
  }
}

/**
 * `locate_blocks` for one constraint.
 *
 * @throws QueryExecutionError "Failed to decode `block.number` value: `subgraph … has only indexed up to block number
 *   N and data for block number M is therefore not yet available`", the same for `block.number_gte`, or
 *   "Failed to decode `block.hash` value: `no block with that hash found`".
 */
export async function locateBlock(
  constraint: BlockConstraint,
  state: DeploymentState,
  hashes: BlockHashIndex,
): Promise<ResolvedBlock> {
  switch (constraint.kind) {
    case "latest":
      return { number: state.latest.number, hash: state.latest.hash };
    case "number":
      checkQueryable(state, constraint.number, "block.number");
      return { number: constraint.number, hash: null };
    case "min":
      if (state.latest.number < constraint.number) {
        throw QueryErrors.valueParse(
          "block.number_gte",
          `subgraph ${state.deployment} has only indexed up to block number ${state.latest.number} and data for block number ${constraint.number} is therefore not yet available`,
        );
      }
      return { number: state.latest.number, hash: state.latest.hash };
    case "hash": {
      const number = await hashes.numberOf(constraint.hash, state);
      if (number === null) throw QueryErrors.valueParse("block.hash", "no block with that hash found");
      checkQueryable(state, number, "block.number");
      return { number, hash: constraint.hash };
    }
  }
}

/** `_meta.block` for a resolved block: timestamp and parent hash where the store can tell them, else null. */
export async function metaBlock(
  block: ResolvedBlock,
  state: DeploymentState,
  store: Store,
): Promise<{ number: number; hash: string | null; timestamp: number | null; parentHash: string | null }> {
  if (block.hash === null) return { number: block.number, hash: null, timestamp: null, parentHash: null };
  const head = state.head;
  if (head && block.hash === head.hash.toLowerCase()) {
    return { number: block.number, hash: block.hash, timestamp: head.timestamp, parentHash: head.parentHash };
  }
  if (!head || block.number === head.number + 1) {
    return { number: block.number, hash: block.hash, timestamp: null, parentHash: head ? head.hash : null };
  }
  const parentHash = block.number > 0 ? await store.blockHash(block.number - 1) : null;
  return { number: block.number, hash: block.hash, timestamp: null, parentHash };
}

