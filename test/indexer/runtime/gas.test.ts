/**
 * Gas metering in the runtime, on real mappings compiled by `graph build` (fixtures/runaway): a handler's gas is
 * deterministic and grows with its work; the limit (GRAPH_MAX_GAS_PER_HANDLER) stops an endless loop
 * deterministically with graph-node's message, at exactly the gas the handler would use; host calls are charged;
 * and the gas meter's figures (GasMeter, valueGasSize) are graph-node's.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { HandlerError } from "../../../src/indexer/runtime/errors.ts";
import { GasMeter, entityGasSize, hexLength, valueGasSize } from "../../../src/indexer/runtime/host/gas.ts";
import { DEFAULT_MAX_GAS_PER_HANDLER } from "../../../src/indexer/runtime/gas-costs.ts";
import { BigDecimal } from "../../../src/indexer/values.ts";
import { loadRunaway, registerDataset, runawayManifest } from "./runaway.ts";

beforeAll(() => void runawayManifest(), 300_000);

const load = (maxGasPerHandler?: number) => loadRunaway({ handlerTimeoutSeconds: 0, maxGasPerHandler });
const register = (runtime: SubgraphRuntime, datasetId: number) => registerDataset(runtime, datasetId);

describe("gas of a handler", () => {
  let runtime: SubgraphRuntime;
  beforeAll(async () => {
    runtime = await load();
  });

  it("is the same on every run, and grows with the work done", () => {
    const quick = register(runtime, 1).gas!;
    expect(register(runtime, 1).gas).toBe(quick);
    const fib25 = register(runtime, 100).gas!; // fib(25): 242 785 calls
    const fib28 = register(runtime, 103).gas!; // fib(28): 1 028 457 calls
    expect(quick).toBeGreaterThan(0);
    expect(fib25).toBeGreaterThan(quick);
    // Each call of fib is a few metered blocks, each at least graph-node's 10 000 gas per `gas` call.
    expect((fib28 - fib25) / (1_028_457 - 242_785)).toBeGreaterThan(20_000);
  });

  it("includes graph-node's charges for host calls: a store.set costs at least STORE_SET's 40 000 000", () => {
    // Handler 1 makes a few host calls (BigInt.toString, store.set …) and little else.
    expect(register(runtime, 1).gas).toBeGreaterThan(40_000_000);
  });
});

describe("the gas limit (GRAPH_MAX_GAS_PER_HANDLER)", () => {
  it("is graph-node's 10^15 by default", async () => {
    expect((await load()).maxGasPerHandler).toBe(DEFAULT_MAX_GAS_PER_HANDLER);
    expect(DEFAULT_MAX_GAS_PER_HANDLER).toBe(1e15);
  });

  it("stops a handler that loops forever, deterministically, with graph-node's message", async () => {
    const { error } = register(await load(1e10), 2);
    expect(error).toBeInstanceOf(HandlerError);
    expect(error!.deterministic).toBe(true);
    expect(error!.handler).toBe("handleDatasetRegistered");
    const used = Number(/^Gas limit exceeded\. Used: (\d+)$/.exec(error!.reason)?.[1]);
    expect(used).toBeGreaterThanOrEqual(1e10);
    expect(used).toBeLessThan(1e10 + 100_000); // one loop iteration past the limit at most
  });

  it("stops recursion without a loop the same way", async () => {
    expect(register(await load(1e10), 3).error?.reason).toMatch(/^Gas limit exceeded\. Used: \d+$/);
  });

  it("fails a handler at exactly the gas it needs, and lets it finish with one more", async () => {
    const needed = register(await load(), 100).gas!;
    expect(register(await load(needed + 1), 100).gas).toBe(needed);
    expect(register(await load(needed), 100).error?.reason).toBe(`Gas limit exceeded. Used: ${needed}`);
  });

  it("refuses a limit that is not a positive whole number", async () => {
    await expect(load(0)).rejects.toThrow("the gas limit must be a positive whole number of gas (graph-node's default: 1000000000000000), not 0");
    await expect(load(1.5)).rejects.toThrow(RangeError);
  });
});

describe("GasMeter", () => {
  it("fails a host call past the limit, not deterministically (graph-node: gas errors in host calls are not)", () => {
    const meter = new GasMeter();
    meter.reset(1000);
    meter.charge(999);
    expect(meter.used).toBe(999);
    let error: unknown;
    try {
      meter.charge(1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ message: "Gas limit exceeded. Used: 1000", deterministic: false });
  });

  it("hands out allowances no larger than what is left, and fails the code deterministically once it is used up", () => {
    const meter = new GasMeter();
    const counter = { value: 0n };
    meter.reset(1500);
    meter.attach(counter);
    counter.value = -200n; // the first block cost 200, with nothing granted yet
    expect(meter.refill(-200)).toBe(1300);
    counter.value = 1300n;
    meter.charge(300);
    counter.value = 1000n; // code used 300 of its 1300
    expect(meter.used).toBe(200 + 300 + 300);
    let error: unknown;
    try {
      meter.refill(-1); // code used 1301: 200 + 1301 + 300 host ≥ 1500
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ message: "Gas limit exceeded. Used: 1801", deterministic: true });
  });
});

describe("gas sizes (graph-node's size_of.rs)", () => {
  it("sizes values by what they hold, plus 4", () => {
    expect(valueGasSize(null)).toBe(5);
    expect(valueGasSize("héllo")).toBe(4 + 6);
    expect(valueGasSize(7)).toBe(8);
    expect(valueGasSize(true)).toBe(5);
    expect(valueGasSize(new Uint8Array(20))).toBe(24);
    expect(valueGasSize(["a", "bc"])).toBe(4 + 16 + 2 + 5 + 6);
    expect(valueGasSize(0x1234n)).toBe(6);
    expect(valueGasSize(new BigDecimal(255n, -2))).toBe(4 + 1 + 8);
  });

  it("counts a BigInt's hex digits as its hex string does, at every bit length and sign", () => {
    const values = [0n, 1n, -1n, 15n, 16n, -16n];
    for (let bits = 1n; bits <= 300n; bits++) {
      const power = 1n << bits;
      values.push(power - 1n, power, power + 1n, -(power - 1n), -power, (power * 0x9e3779b97f4a7c15n) >> 64n);
    }
    for (const value of values) expect(hexLength(value), String(value)).toBe(value.toString(16).length);
  });

  it("sizes an entity as a map of its fields", () => {
    expect(entityGasSize({ id: "a", n: 1 })).toBe(32 + (2 + 5 + 8) + (1 + 8 + 8));
  });
});
