/**
 * The host side of gas metering: the gas a handler has used, its limit (GRAPH_MAX_GAS_PER_HANDLER), the `__gas`
 * import the metered code calls when its allowance runs out (wasm-gas.ts), which also enforces the handler's
 * deadline, and the charge every host function call makes, as graph-node's GasCounter.
 */
import { BigDecimal, type Entity, type Value } from "../../values.ts";
import { HostError } from "../errors.ts";
import { DEFAULT_BASE_COST, HOST_EXPORT_GAS } from "../gas-costs.ts";
import { GAS_IMPORT } from "../wasm-gas.ts";
import { checkDeadline } from "./deadline.ts";
import type { HostContext, HostFunction, HostFunctions } from "./context.ts";

/**
 * Gas between two calls of the metered code into the host: about 10^5 iterations of the tightest loop (each
 * iteration is at least one block, 10 000 gas), well under a millisecond, so a runaway handler meets its deadline
 * promptly while the call into JS is paid rarely (`npm run bench:metering`).
 */
export const GAS_ALLOWANCE = 1_000_000_000;

/** The exported counter of an instance: an i64 WebAssembly.Global. */
interface GasCounterGlobal {
  value: bigint;
}

/** One handler's gas: what it used in host calls and in metered code, and its limit. */
export class GasMeter {
  /** The running handler's limit; Infinity for none. */
  private limit = Infinity;
  private hostUsed = 0;
  /** Gas of the allowances the code has used up. */
  private spentAllowances = 0;
  /** The allowance the counter was last set to. */
  private allowance = 0;
  private counter: GasCounterGlobal | null = null;

  /** Starts a handler with `limit` gas (Infinity: metered, never stopped). The instance's counter starts at 0. */
  reset(limit: number): void {
    this.limit = limit;
    this.hostUsed = 0;
    this.spentAllowances = 0;
    this.allowance = 0;
    this.counter = null;
  }

  /** The instance's counter, for exact figures between two allowances (absent before instantiation). */
  attach(counter: unknown): void {
    this.counter = typeof counter === "object" && counter !== null && "value" in counter ? (counter as GasCounterGlobal) : null;
  }

  /** Gas used so far by the running handler. */
  get used(): number {
    const left = this.counter === null ? 0 : Number(this.counter.value);
    return this.hostUsed + this.spentAllowances + this.allowance - left;
  }

  /**
   * Gas a host function uses. Past the limit, the call fails — not deterministically, as in graph-node ("until we
   * are confident on the gas numbers, gas errors are not deterministic").
   */
  charge(gas: number): void {
    this.hostUsed += gas;
    if (this.hostUsed + this.spentAllowances + this.allowance < this.limit) return;
    const used = this.used;
    if (used >= this.limit) throw gasExceeded(used, false);
  }

  /** Runs `fn` (metered code the host calls) and gives back the gas it used. */
  free<T>(fn: () => T): T {
    const before = this.used;
    try {
      return fn();
    } finally {
      this.hostUsed -= this.used - before;
    }
  }

  /**
   * The metered code ran out of its allowance with `left` (≤ 0) on its counter: accounts for it, fails past the
   * limit (deterministically: graph-node marks a failed `gas` call a deterministic trap), and returns the next.
   */
  refill(left: number): number {
    this.spentAllowances += this.allowance - left;
    const used = this.hostUsed + this.spentAllowances;
    if (used >= this.limit) throw gasExceeded(used, true);
    this.allowance = Math.min(GAS_ALLOWANCE, this.limit - used);
    return this.allowance;
  }
}

function gasExceeded(used: number, deterministic: boolean): HostError {
  return new HostError("gas", `Gas limit exceeded. Used: ${used}`, { deterministic });
}

/** Checks a limit given in gas. @throws RangeError naming `setting` for anything but a positive integer. */
export function checkedGasLimit(gas: number, setting = "the gas limit"): number {
  if (!Number.isSafeInteger(gas) || gas <= 0) {
    throw new RangeError(`${setting} must be a positive whole number of gas (graph-node's default: 1000000000000000), not ${gas}`);
  }
  return gas;
}

/** `__gas(left) -> next allowance`: accounts the code's gas, checks the limit and the deadline. */
export function gasHostFunctions(ctx: HostContext): HostFunctions {
  return {
    [GAS_IMPORT.name](left) {
      const next = ctx.gas.refill(Number(left));
      checkDeadline(ctx);
      return BigInt(next);
    },
  };
}

/**
 * Every host function, charging graph-node's base cost (or `baseCosts[name]`) plus HOST_EXPORT_GAS before it runs;
 * functions whose cost grows with their input charge the rest themselves (store.set, log.log, json.fromBytes).
 */
export function chargingGas(ctx: HostContext, functions: HostFunctions, baseCosts: Readonly<Record<string, number>>): HostFunctions {
  const out: HostFunctions = {};
  for (const [name, fn] of Object.entries(functions)) {
    if (name === GAS_IMPORT.name) out[name] = fn;
    else out[name] = chargingFirst(ctx, (baseCosts[name] ?? DEFAULT_BASE_COST) + HOST_EXPORT_GAS, fn);
  }
  return out;
}

function chargingFirst(ctx: HostContext, cost: number, fn: HostFunction): HostFunction {
  const gas = ctx.gas;
  // Fixed arities: a rest parameter would allocate an array on every call into the host.
  switch (fn.length) {
    case 0:
      return () => (gas.charge(cost), fn());
    case 1:
      return (a) => (gas.charge(cost), fn(a!));
    case 2:
      return (a, b) => (gas.charge(cost), fn(a!, b!));
    case 3:
      return (a, b, c) => (gas.charge(cost), fn(a!, b!, c!));
    default:
      return (...args) => (gas.charge(cost), fn(...args));
  }
}

/** graph-node's gas size of a store value (graph/src/runtime/gas/size_of.rs): 4 + the size of what it holds. */
export function valueGasSize(value: Value): number {
  return 4 + innerGasSize(value);
}

function innerGasSize(value: Value): number {
  if (value === null) return 1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (typeof value === "number") return 4;
  if (typeof value === "boolean") return 1;
  if (typeof value === "bigint") return Math.ceil(hexLength(value) / 2);
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof BigDecimal) return Math.ceil(hexLength(value.digits) / 2) + 8;
  return value.reduce<number>((sum, item) => sum + valueGasSize(item), 16 + value.length);
}

/** `value.toString(16).length` (sign included), without the string for values of up to 53 bits. */
export function hexLength(value: bigint): number {
  const sign = value < 0n ? 1 : 0;
  const magnitude = sign ? -value : value;
  if (magnitude > 0x1fffffffffffffn) return value.toString(16).length;
  const n = Number(magnitude);
  const high = Math.floor(n / 2 ** 32);
  const bits = high > 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(n >>> 0);
  return sign + Math.max(1, Math.ceil(bits / 4));
}

/** The gas size of an entity, as graph-node sizes a map: its fields' names and values, 32, and 8 per field. */
export function entityGasSize(entity: Entity): number {
  let size = 32;
  for (const name in entity) size += name.length + valueGasSize(entity[name]!) + 8;
  return size;
}
