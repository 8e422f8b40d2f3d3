/**
 * graph-node's gas costs, in one place: what each WebAssembly instruction costs (runtime/wasm/src/gas_rules.rs),
 * what a host function call costs (graph/src/runtime/gas/costs.rs) and the per-handler limit
 * (graph/src/env/mod.rs, GRAPH_MAX_GAS_PER_HANDLER). "10 gas ≈ 1 ns" of work.
 */

const GAS_PER_SECOND = 10_000_000_000;

/** graph-node's CONST_MAX_GAS_PER_HANDLER: 1 000 seconds of gas, the scale the host costs are set against. */
export const CONST_MAX_GAS_PER_HANDLER = 1000 * GAS_PER_SECOND;

/**
 * GRAPH_MAX_GAS_PER_HANDLER's default in graph-node: 10^15, a hundred times CONST_MAX_GAS_PER_HANDLER ("set absurdly
 * high by default because we've seen many cases of gas being overestimated").
 */
export const DEFAULT_MAX_GAS_PER_HANDLER = 1_000_000_000_000_000;

/** Charged on top of every host function call, and of every metered block (each is a call to graph-node's `gas`). */
export const HOST_EXPORT_GAS = 10_000;

/** DEFAULT_BASE_COST: the least a host function costs. */
export const DEFAULT_BASE_COST = 100_000;

/** A host operation's cost: a base, plus a multiple of the size of its arguments (graph-node's GasOp). */
export interface GasOp {
  base: number;
  perSize: number;
}

const DEFAULT_GAS_PER_BYTE = GAS_PER_SECOND / 10_000_000;
export const DEFAULT_GAS_OP: GasOp = { base: DEFAULT_BASE_COST, perSize: DEFAULT_GAS_PER_BYTE };
export const BIG_MATH_GAS_OP: GasOp = { base: DEFAULT_BASE_COST, perSize: GAS_PER_SECOND / 100_000_000 };
export const STORE_SET: GasOp = { base: CONST_MAX_GAS_PER_HANDLER / 250_000, perSize: CONST_MAX_GAS_PER_HANDLER / 1_000_000_000 };
export const STORE_GET: GasOp = { base: CONST_MAX_GAS_PER_HANDLER / 10_000_000, perSize: CONST_MAX_GAS_PER_HANDLER / 10_000_000_000 };
export const STORE_REMOVE = STORE_SET;
export const LOG_OP: GasOp = { base: CONST_MAX_GAS_PER_HANDLER / 100_000, perSize: DEFAULT_GAS_PER_BYTE };
export const JSON_FROM_BYTES: GasOp = { base: DEFAULT_BASE_COST, perSize: DEFAULT_GAS_PER_BYTE * 100 };
export const YAML_FROM_BYTES = JSON_FROM_BYTES;
export const CREATE_DATA_SOURCE = CONST_MAX_GAS_PER_HANDLER / 100_000;
export const ENS_NAME_BY_HASH = DEFAULT_BASE_COST;

/** What calling each host function costs before its input is read (graph-node's host_exports.rs); others cost DEFAULT_BASE_COST. */
export const HOST_BASE_COSTS: Readonly<Record<string, number>> = {
  "store.set": STORE_SET.base,
  "store.get": STORE_GET.base,
  "store.get_in_block": STORE_GET.base,
  "store.loadRelated": STORE_GET.base,
  "store.remove": STORE_REMOVE.base,
  "log.log": LOG_OP.base,
  "dataSource.create": CREATE_DATA_SOURCE,
  "dataSource.createWithContext": CREATE_DATA_SOURCE,
  "ens.nameByHash": ENS_NAME_BY_HASH,
};

/** The cost of `op` on arguments of gas size `size` (saturating, as graph-node's Gas). */
export function opCost(op: GasOp, size: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, op.base + size * op.perSize);
}

/** memory.grow's extra cost per 64 KiB page: the limit spread over 12 GiB of pages (MemoryGrowCost::Linear). */
export const MEMORY_GROW_GAS_PER_PAGE = Math.floor(CONST_MAX_GAS_PER_HANDLER / ((12 * 2 ** 30) / 65_536));

/** Instructions gas_rules.rs gives no figure of its own (floats, sign extension, the rest): its "invented" 100. */
const OTHER_INSTRUCTION_GAS = 100;
const LOAD = 1573;
const STORE = 2263;

/** Cost by opcode byte (prefixed instructions, 0xfc–0xfe, cost OTHER_INSTRUCTION_GAS). */
const INSTRUCTION_GAS: Uint32Array = (() => {
  const table = new Uint32Array(256).fill(OTHER_INSTRUCTION_GAS);
  const set = (from: number, costs: number[]) => costs.forEach((cost, i) => (table[from + i] = cost));
  set(0x00, [1, 1]); // unreachable, nop
  set(0x04, [79]); // if
  set(0x0c, [30, 63]); // br, br_if (br_table: see instructionGas)
  set(0x10, [951, 1995]); // call, call_indirect
  set(0x1b, [61, 61]); // select, typed select
  set(0x20, [18, 21, 21, 66, 107]); // local.get/set/tee, global.get/set
  for (let op = 0x28; op <= 0x35; op++) table[op] = LOAD;
  for (let op = 0x36; op <= 0x3e; op++) table[op] = STORE;
  set(0x3f, [23, 435_000]); // memory.size, memory.grow
  set(0x41, [16, 16, 16, 16]); // i32/i64/f32/f64.const
  set(0x45, [26, 26, 25, 25, 26, 25, 25, 25, 26, 26, 25]); // i32.eqz … i32.ge_u
  set(0x50, [24, 26, 25, 25, 26, 25, 25, 25, 26, 26, 25]); // i64.eqz … i64.ge_u
  const integerArithmetic = [23, 23, 29, 25, 26, 25, 82, 72, 81, 73, 25, 25, 26, 25, 26, 26, 25, 26];
  set(0x67, integerArithmetic); // i32.clz … i32.rotr
  set(0x79, integerArithmetic); // i64.clz … i64.rotr
  set(0xa7, [23]); // i32.wrap_i64
  set(0xac, [22, 22]); // i64.extend_i32_s/u
  return table;
})();

/** gas_rules.rs's cost of the instruction with opcode `op`; `brTableTargets` counts br_table's non-default labels. */
export function instructionGas(op: number, brTableTargets = 0): number {
  return op === 0x0e ? 146 + brTableTargets : INSTRUCTION_GAS[op]!;
}
