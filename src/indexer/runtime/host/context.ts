/**
 * The state host functions work on. One HostContext per compiled mapping module: the static part (schema, ABIs,
 * templates, chain, logger) is fixed at load time; the per-trigger part is set before each handler call. Host
 * functions are synchronous and only one handler runs at a time, so one context object serves every instance of
 * the module and the import object is built once.
 */
import type { AscHeap } from "../asc.ts";
import { ascHeapFor } from "../asc-v004.ts";
import type { SchemaInfo } from "../entity.ts";
import type { AbiSpec } from "../manifest.ts";
import type { ActiveDataSource } from "../matching.ts";
import type { CreatedDataSource, HostChain, HostStore } from "../types.ts";
import { HostError } from "../errors.ts";
import { GasMeter } from "./gas.ts";

/** Log levels of graph-ts's `log` (0 critical … 4 debug). */
export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";

/** Receives the mappings' `log.*` calls. */
export interface RuntimeLogger {
  log(level: LogLevel, message: string, meta: { dataSource: string; handler: string; blockNumber: bigint }): void;
}

/** Fixed for the lifetime of a compiled module. */
export interface HostEnvironment {
  schema: SchemaInfo;
  /** e.g. "0.0.9" */
  apiVersion: string;
  /** The mapping's ABIs (for ethereum.call). */
  abis: AbiSpec[];
  /** Names of the manifest's templates (for dataSource.create). */
  templates: readonly string[];
  chain: HostChain | null;
  logger: RuntimeLogger | null;
}

/** When the running handler must have returned. */
export interface HandlerDeadline {
  /** A `performance.now()` time. */
  at: number;
  /** The timeout it was set from, for the error message. */
  seconds: number;
  /** What sets the timeout, for the error message; graph-node's GRAPH_MAPPING_HANDLER_TIMEOUT when absent. */
  setting?: string;
}

/** What one handler call sees. */
export interface TriggerState {
  store: HostStore;
  dataSource: ActiveDataSource;
  handler: string;
  blockNumber: bigint;
  blockHash: string;
  /** The block's timestamp, Unix seconds (timeseries points get it as their `timestamp`). */
  blockTimestamp: bigint;
  /** Data sources the handler created (dataSource.create / createWithContext). */
  created: CreatedDataSource[];
  /** Absent: the handler may run as long as it likes. */
  deadline?: HandlerDeadline;
  /** Gas the handler may use (GRAPH_MAX_GAS_PER_HANDLER); absent: metered, never stopped. */
  gasLimit?: number;
}

export class HostContext {
  /** The module's memory, in the layout of its apiVersion. */
  readonly heap: AscHeap;
  /** The running handler's gas. */
  readonly gas = new GasMeter();
  private current: TriggerState | null = null;

  constructor(readonly env: HostEnvironment) {
    this.heap = ascHeapFor(env.apiVersion);
    this.heap.runUnmetered = (fn) => this.gas.free(fn);
  }

  /** The running trigger; host functions called outside a handler (e.g. from `_start`) fail clearly. */
  get state(): TriggerState {
    const state = this.current;
    if (state === null) throw new HostError("unsupported", "host function called outside of a handler");
    return state;
  }

  /** The running handler's deadline, if it has one (no error outside a handler: `_start` runs checks too). */
  get deadline(): HandlerDeadline | null {
    return this.current?.deadline ?? null;
  }

  begin(state: TriggerState): void {
    this.current = state;
    this.gas.reset(state.gasLimit ?? Infinity);
  }

  end(): void {
    this.current = null;
  }

  /** Whether the module's apiVersion is at least `major.minor.patch`. */
  apiAtLeast(major: number, minor: number, patch: number): boolean {
    const [a = 0, b = 0, c = 0] = this.env.apiVersion.split(".").map(Number);
    if (a !== major) return a > major;
    if (b !== minor) return b > minor;
    return c >= patch;
  }
}

/** A host function as WebAssembly calls it: i32 pointers/values in, a pointer, number or bigint out. */
export type HostFunction = (...args: number[]) => number | bigint | void;
export type HostFunctions = Record<string, HostFunction>;
