/**
 * What the WASM host needs from the indexing loop. Host functions are synchronous calls from WebAssembly, so the
 * store they see is an in-memory view: the entities current at the last committed block plus this block's writes.
 */
import type { Entity } from "../values.ts";
import type { EntityChange } from "../store/types.ts";

/** The entity state handlers read and write during one block. Implemented by runtime/entity-cache.ts. */
export interface HostStore {
  /** This block's write, else the state current before the block, else null. */
  get(entityType: string, id: string): Entity | null;
  /** Only what this block wrote (graph-node's store.get_in_block). */
  getInBlock(entityType: string, id: string): Entity | null;
  /** Stores the full, merged, validated entity. */
  /** `gasSize`: the entity's size as gas sizes it, when the caller has it (else computed). */
  set(entityType: string, id: string, data: Entity, gasSize?: number): void;
  remove(entityType: string, id: string): void;
  /** Entities of `entityType` whose field `field` (a reference or list of references) points at `id` — used for
   * store.loadRelated, given the derived field's target type and its backing field. */
  findReferencing(entityType: string, field: string, id: string): Entity[];
  /** Whether `entityType`/`id` existed before this block (immutable entities may not be written again). */
  existedBeforeBlock(entityType: string, id: string): boolean;
  /**
   * The next number of this block's sequence for generated ids (0, 1, …; graph-node's `SeqGenerator::id`, one
   * sequence per block shared by all data sources).
   */
  nextIdSeq(): number;
}

/** A synchronous view of the chain for ethereum.call / getBalance / hasCode, at the block being indexed. */
export interface HostChain {
  /** eth_call; returns the raw return data, or null when the call reverted. */
  call(request: { to: string; data: string; blockNumber: bigint }): string | null;
  getBalance(address: string, blockNumber: bigint): bigint;
  hasCode(address: string, blockNumber: bigint): boolean;
}

/** A data source created by a handler through a template (dataSource.create / createWithContext). */
export interface CreatedDataSource {
  template: string;
  /** Parameters; for Ethereum templates [address]. */
  params: string[];
  /** The DataSourceContext entity, if any. */
  context: Entity | null;
  /** Block at which it starts (the creating block). */
  startBlock: bigint;
}

export type { EntityChange };
