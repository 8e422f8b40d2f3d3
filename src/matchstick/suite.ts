/**
 * One test file's module, run as matchstick runs it: one long-lived instance whose `_start` registers the file's
 * tests, describes and hooks by their slot in the exported table; each describe's contents found by calling it in a
 * throw-away instance with a fresh session (so code in a describe body never touches the tests' store); hooks placed
 * as matchstick places them (beforeAll/afterAll around their group, beforeEach/afterEach copied onto every test of
 * the group and its subgroups, outer before inner).
 */
import { readFile } from "node:fs/promises";
import { newRtIdCache, type AscExports } from "../indexer/runtime/asc.ts";
import { SchemaInfo } from "../indexer/runtime/entity.ts";
import { HostError, ModuleLoadError } from "../indexer/runtime/errors.ts";
import { HostContext, hostFunctions, type HostEnvironment, type TriggerState } from "../indexer/runtime/host/index.ts";
import type { ActiveDataSource } from "../indexer/runtime/matching.ts";
import { linkImports } from "../indexer/runtime/module.ts";
import { instrumentGas } from "../indexer/runtime/wasm-gas.ts";
import { Wasm, type WasmImports, type WasmModule, type WasmTable } from "../indexer/runtime/wasm.ts";
import type { SubgraphSource } from "./config.ts";
import { MatchstickCritical } from "./errors.ts";
import { MatchstickHost, type Registration } from "./host.ts";
import type { Output } from "./output.ts";

type TestFunction = () => void;

export interface TestCase {
  kind: "test";
  name: string;
  shouldFail: boolean;
  run: TestFunction;
  before: TestFunction[];
  after: TestFunction[];
}

export interface TestGroup {
  kind: "group";
  /** Empty for the file itself. */
  name: string;
  beforeAll: TestFunction[];
  afterAll: TestFunction[];
  items: (TestCase | TestGroup)[];
}

type Exports = AscExports & { table?: WasmTable } & Record<string, unknown>;

/** The data source a test's host calls see (the runtime's log and JSON warnings name it). */
const TEST_DATA_SOURCE: ActiveDataSource = {
  id: "matchstick",
  name: "matchstick",
  fromTemplate: false,
  kind: "ethereum",
  network: "mainnet",
  address: null,
  abi: "",
  startBlock: 0n,
  endBlock: null,
  context: null,
  mapping: { kind: "ethereum/events", apiVersion: "0.0.6", language: "wasm/assemblyscript", entities: [], abis: [], eventHandlers: [], blockHandlers: [], file: "" },
};

export class TestModule {
  readonly host: MatchstickHost;
  private readonly ctx: HostContext;
  private readonly imports: WasmImports;
  private readonly rtIds = newRtIdCache();
  private readonly state: TriggerState;
  private main: Exports | null = null;

  private constructor(
    readonly suite: string,
    private readonly wasm: WasmModule,
    file: string,
    source: SubgraphSource,
    root: string,
    out: Output,
  ) {
    const env: HostEnvironment = {
      schema: new SchemaInfo(source.schema),
      apiVersion: source.apiVersion,
      abis: [],
      templates: source.templates.map((t) => t.name),
      chain: null,
      logger: null,
    };
    this.ctx = new HostContext(env);
    this.host = new MatchstickHost({
      ctx: this.ctx,
      out,
      root,
      templates: source.templates,
      callInFreshInstance: (name, args) => this.callInFreshInstance(name, args),
    });
    this.imports = linkImports(file, wasm, this.host.functions(hostFunctions(this.ctx)), false);
    this.state = { store: null!, dataSource: TEST_DATA_SOURCE, handler: "", blockNumber: 1n, blockHash: `0x${"00".repeat(32)}`, blockTimestamp: 0n, created: [] };
    this.ctx.begin(this.state);
  }

  /** Compiles the file's wasm (metered like a mapping, for the deadline; no gas limit) and links it; does not start it. */
  static async load(suite: string, wasmFile: string, source: SubgraphSource, root: string, out: Output): Promise<TestModule> {
    const wasm = await Wasm.compile(instrumentGas(await readFile(wasmFile)));
    try {
      return new TestModule(suite, wasm, wasmFile, source, root, out);
    } catch (error) {
      if (!(error instanceof ModuleLoadError)) throw error;
      const missing = error.unsupportedImports.join(", ");
      throw new MatchstickCritical(`${suite}: the test module imports host functions neither matchstick nor graph-node provides: ${missing}`, { cause: error });
    }
  }

  /** A new instance, attached to the heap, its `_start` run (registering into the current session). */
  private instantiate(): Exports {
    const exports = new Wasm.Instance(this.wasm, this.imports).exports as unknown as Exports;
    if (!exports.allocate && !exports.__new) throw new MatchstickCritical(`${this.suite}: the module exports neither allocate nor __new`);
    this.ctx.heap.attach(exports, this.rtIds);
    exports._start!();
    this.ctx.heap.refresh();
    return exports;
  }

  private attachMain(): void {
    if (this.main) this.ctx.heap.attach(this.main, this.rtIds);
  }

  private tableFunction(exports: Exports, index: number): TestFunction {
    const table = exports.table;
    if (!(table instanceof Wasm.Table)) {
      throw new MatchstickCritical("WebAssembly.Table was not exported from the AssemblyScript sources. (Please compile with the `--exportTable` option.)");
    }
    const fn = index < table.length ? (table.get(index) as TestFunction | null) : null;
    if (typeof fn !== "function") throw new MatchstickCritical(`Could not get WebAssembly.Table entry with index '${index}'.`);
    return fn;
  }

  /** Starts the instance the tests run in and builds the file's test tree. */
  start(): TestGroup {
    this.main = this.instantiate();
    return this.group("", [...this.host.session.registrations]);
  }

  /** What a describe registers, found in a throw-away instance with a session of its own. */
  private discover(index: number): Registration[] {
    const kept = this.host.session;
    this.host.session = this.host.newSession();
    try {
      const clone = this.instantiate();
      const before = this.host.session.registrations.length;
      try {
        this.tableFunction(clone, index)();
      } catch (error) {
        if (error instanceof MatchstickCritical) throw error;
        throw new MatchstickCritical(`Failed to execute function: ${(error as Error).message}`, { cause: error });
      }
      return this.host.session.registrations.slice(before);
    } finally {
      this.host.session = kept;
      this.attachMain();
    }
  }

  private group(name: string, registrations: readonly Registration[]): TestGroup {
    const main = this.main!;
    const group: TestGroup = { kind: "group", name, beforeAll: [], afterAll: [], items: [] };
    const beforeEach: TestFunction[] = [];
    const afterEach: TestFunction[] = [];
    for (const entry of registrations) {
      const fn = this.tableFunction(main, entry.index);
      if (entry.role === "beforeAll") group.beforeAll.push(fn);
      else if (entry.role === "afterAll") group.afterAll.push(fn);
      else if (entry.role === "beforeEach") beforeEach.push(fn);
      else if (entry.role === "afterEach") afterEach.push(fn);
      else if (entry.role === "test") group.items.push({ kind: "test", name: entry.name, shouldFail: entry.shouldFail, run: fn, before: [], after: [] });
      else group.items.push(this.group(entry.name, this.discover(entry.index)));
    }
    addEachHooks(group, beforeEach, afterEach);
    return group;
  }

  /** Sets the longest the next call may run (0: no limit) and what a timeout message calls it. */
  limit(name: string, seconds: number): void {
    this.state.handler = name;
    if (seconds > 0) this.state.deadline = { at: performance.now() + seconds * 1000, seconds, setting: "pedigree test --timeout" };
    else delete this.state.deadline;
  }

  /** `ipfs.map`: the exported callback of a fresh instance that shares the session, as matchstick does. */
  private callInFreshInstance(name: string, args: (ctx: HostContext) => number[]): void {
    const session = this.host.session;
    const registered = session.registrations.length;
    try {
      const fresh = this.instantiate();
      session.registrations.length = registered;
      const callback = fresh[name];
      if (typeof callback !== "function") throw new MatchstickCritical(`function ${name} not found (export it from the test file)`);
      try {
        (callback as (...a: number[]) => void)(...args(this.ctx));
      } catch (error) {
        if (error instanceof MatchstickCritical) throw error;
        throw new HostError("invalid-argument", `Failed to handle callback '${name}': ${(error as Error).message}`, { cause: error });
      }
    } finally {
      this.attachMain();
    }
  }
}

/** matchstick's `update_test_hooks`: the group's each-hooks go around every test below it, outer before inner. */
function addEachHooks(group: TestGroup, before: readonly TestFunction[], after: readonly TestFunction[]): void {
  for (const item of group.items) {
    if (item.kind === "test") {
      item.before.unshift(...before);
      item.after.push(...after);
    } else addEachHooks(item, before, after);
  }
}
