/**
 * One compiled mapping: the WebAssembly.Module (compiled once), its import object (built once from
 * `WebAssembly.Module.imports()`, matched by field name only, as graph-node does) and a fresh instance per trigger.
 */
import { readFile } from "node:fs/promises";
import { ModuleLoadError } from "./errors.ts";
import { newRtIdCache, type AscExports } from "./asc.ts";
import { usesApi004Layout } from "./asc-v004.ts";
import { HostContext, hostFunctions, type HostEnvironment, type HostFunctions } from "./host/index.ts";
import { Wasm, type WasmImports, type WasmMemory, type WasmModule } from "./wasm.ts";
import { MEMORY_IMPORT, prepareModuleBinary, type MemoryLimits } from "./wasm-transform.ts";
import { GAS_GLOBAL_EXPORT, instrumentGas } from "./wasm-gas.ts";

const REQUIRED_EXPORTS = ["memory", "__new", "id_of_type", "_start"] as const;
/**
 * What an apiVersion 0.0.4 (AssemblyScript 0.6) module must export: graph-node allocates through `memory.allocate`
 * and neither asks `id_of_type` nor calls `_start` for versions <= 0.0.4 (runtime/wasm/src/module/mod.rs,
 * module/instance.rs).
 */
const REQUIRED_EXPORTS_V004 = ["memory", "memory.allocate"] as const;
const PAGE = 65536;

/** A compiled binary and the memory limits it now imports (see wasm-transform.ts). */
export interface CompiledWasm {
  wasm: WasmModule;
  importedMemory: MemoryLimits | null;
  /** Whether gas is metered: the code instrumented, host calls charged. */
  metered: boolean;
}

/**
 * Compiles a mapping binary after the load-time rewrites: the gas metering of wasm-gas.ts (required: a module it
 * cannot be injected into is refused), then the instantiation savings of wasm-transform.ts. `handlers` are the
 * exported functions the host will call besides the runtime's own exports; other exported functions are dropped
 * (all kept if omitted). `metered: false` skips the metering, and with it the gas limit and the handler deadline:
 * only for measuring what metering costs.
 */
export async function compileMapping(bytes: Uint8Array, handlers?: Iterable<string>, metered = true): Promise<CompiledWasm> {
  const keep = handlers === undefined ? undefined : new Set<string>([...REQUIRED_EXPORTS, ...REQUIRED_EXPORTS_V004, ...handlers]);
  const prepared = prepareModuleBinary(metered ? instrumentGas(bytes) : bytes, keep);
  return { wasm: await Wasm.compile(prepared.bytes), importedMemory: prepared.importedMemory, metered };
}

/**
 * The import object of `wasm`: each imported function from `available`, matched by field name only (graph-node's
 * rule); `importedMemory` skips the memory import the load-time rewrite introduced.
 *
 * @throws ModuleLoadError naming every import `available` lacks (and any non-function import).
 */
export function linkImports(file: string, wasm: WasmModule, available: HostFunctions, importedMemory: boolean): WasmImports {
  const imports: WasmImports = {};
  const missing: string[] = [];
  for (const entry of Wasm.Module.imports(wasm)) {
    if (importedMemory && entry.kind === "memory" && entry.module === MEMORY_IMPORT.module && entry.name === MEMORY_IMPORT.name) {
      continue;
    }
    const fn = entry.kind === "function" ? available[entry.name] : undefined;
    if (!fn) {
      missing.push(`${entry.module}.${entry.name}${entry.kind === "function" ? "" : ` (${entry.kind})`}`);
      continue;
    }
    (imports[entry.module] ??= {})[entry.name] = fn;
  }
  if (missing.length > 0) {
    throw new ModuleLoadError(file, `the mapping imports host functions this runtime does not provide: ${missing.join(", ")}`, missing);
  }
  return imports;
}

export class MappingModule {
  /** The host state shared by every instance of this module. */
  readonly ctx: HostContext;
  /** Names of the functions the module exports (handlers among them). */
  readonly exportedFunctions: ReadonlySet<string>;
  private readonly wasm: WasmModule;
  private readonly imports: WasmImports;
  private readonly importedMemory: MemoryLimits | null;
  /** The memory handed to the next instance: zeroed and of the initial size, like a fresh instance's own memory. */
  private memory: WasmMemory | null = null;
  /** Class ids by TypeId, learned on first use and valid for every instance of this module. */
  private readonly rtIds = newRtIdCache();
  /** apiVersion 0.0.4: no `_start` to call (see REQUIRED_EXPORTS_V004). */
  private readonly legacyLayout: boolean;

  /**
   * @throws ModuleLoadError when the module imports a host function this runtime does not implement (naming every
   * such import), imports something other than functions, or lacks the exports `graph build` produces.
   */
  constructor(
    readonly file: string,
    compiled: CompiledWasm,
    env: HostEnvironment,
  ) {
    this.wasm = compiled.wasm;
    this.importedMemory = compiled.importedMemory;
    this.ctx = new HostContext(env);
    const imports = linkImports(file, this.wasm, hostFunctions(this.ctx, compiled.metered), this.importedMemory !== null);
    const exports = Wasm.Module.exports(this.wasm);
    const names = new Set(exports.map((e) => e.name));
    this.legacyLayout = usesApi004Layout(env.apiVersion);
    const lacking = (this.legacyLayout ? REQUIRED_EXPORTS_V004 : REQUIRED_EXPORTS).filter((n) => !names.has(n));
    if (lacking.length > 0) {
      const hint = this.legacyLayout ? "apiVersion 0.0.4 mappings are built by graph-cli < 0.22" : "was it built by `graph build`?";
      throw new ModuleLoadError(file, `the module lacks the exports ${lacking.join(", ")} (${hint})`);
    }
    this.exportedFunctions = new Set(exports.filter((e) => e.kind === "function").map((e) => e.name));
    this.imports = imports;
  }

  /**
   * Reads and compiles a .wasm file; `compiled` shares compilations between data sources using the same file, and
   * `handlers` names the exported functions that will be called (see compileMapping).
   */
  static async load(
    file: string,
    env: HostEnvironment,
    compiled?: Map<string, Promise<CompiledWasm>>,
    handlers?: Iterable<string>,
    metered = true,
  ): Promise<MappingModule> {
    let pending = compiled?.get(file);
    if (!pending) {
      pending = readFile(file).then((bytes) => compileMapping(bytes, handlers, metered));
      compiled?.set(file, pending);
    }
    let result: CompiledWasm;
    try {
      result = await pending;
    } catch (error) {
      throw new ModuleLoadError(file, `cannot compile: ${(error as Error).message}`, [], { cause: error });
    }
    return new MappingModule(file, result, env);
  }

  private freshMemory(limits: MemoryLimits): WasmMemory {
    let memory = this.memory;
    if (memory !== null && memory.buffer.byteLength === limits.initial * PAGE) {
      new Uint8Array(memory.buffer).fill(0);
    } else {
      memory = new Wasm.Memory(limits.maximum === null ? { initial: limits.initial } : { initial: limits.initial, maximum: limits.maximum });
      this.memory = memory;
    }
    return memory;
  }

  /**
   * A fresh instance, attached to the heap and started (`_start` runs the module's top-level code). Memory and
   * globals never carry over from one trigger to the next: the instance gets a zeroed memory of the initial size,
   * into which instantiation copies the data segments.
   */
  instantiate(): AscExports & Record<string, unknown> {
    if (this.importedMemory) {
      (this.imports[MEMORY_IMPORT.module] ??= {})[MEMORY_IMPORT.name] = this.freshMemory(this.importedMemory);
    }
    const instance = new Wasm.Instance(this.wasm, this.imports);
    const exports = instance.exports as unknown as AscExports & Record<string, unknown>;
    this.ctx.heap.attach(exports, this.rtIds);
    this.ctx.gas.attach(exports[GAS_GLOBAL_EXPORT]);
    if (!this.legacyLayout) exports._start!();
    this.ctx.heap.refresh();
    return exports;
  }
}
