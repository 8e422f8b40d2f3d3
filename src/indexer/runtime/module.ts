/**
 * One compiled mapping: the WebAssembly.Module (compiled once), its import object (built once from
 * `WebAssembly.Module.imports()`, matched by field name only, as graph-node does) and, for every trigger, an instance
 * in the state of a fresh one: the previous trigger's instance restored (memory from the image taken right after its
 * instantiation, mutable globals through wasm-reset.ts's export), or a new one when that is not possible.
 */
import { readFile } from "node:fs/promises";
import { ModuleLoadError } from "./errors.ts";
import { newRtIdCache, type AscExports } from "./asc.ts";
import { usesApi004Layout } from "./asc-v004.ts";
import { HostContext, hostFunctions, type HostEnvironment, type HostFunctions } from "./host/index.ts";
import { Wasm, type WasmImports, type WasmMemory, type WasmModule } from "./wasm.ts";
import { MEMORY_IMPORT, prepareModuleBinary, type MemoryLimits } from "./wasm-transform.ts";
import { GAS_GLOBAL_EXPORT, instrumentGas } from "./wasm-gas.ts";
import { RESET_GLOBALS_EXPORT, addGlobalReset } from "./wasm-reset.ts";

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
  /** Whether the module exports wasm-reset.ts's global reset, so that an instance can be restored between triggers. */
  restorable: boolean;
}

/** How a mapping is compiled and run (see {@link MappingModule.load}). */
export interface MappingOptions {
  /** Shares compilations between data sources using the same file. */
  compiled?: Map<string, Promise<CompiledWasm>>;
  /** The exported functions that will be called (see compileMapping). */
  handlers?: Iterable<string>;
  /** false: no gas metering (see compileMapping). Default true. */
  metered?: boolean;
  /**
   * false: a new instance for every trigger, never a restored one. Only for measuring what restoring saves
   * (`npm run bench:handlers`) and for checking that it changes nothing. Default true.
   */
  reuseInstances?: boolean;
}

/**
 * Compiles a mapping binary after the load-time rewrites: the gas metering of wasm-gas.ts (required: a module it
 * cannot be injected into is refused), then the instantiation savings of wasm-transform.ts. `handlers` are the
 * exported functions the host will call besides the runtime's own exports; other exported functions are dropped
 * (all kept if omitted). `metered: false` skips the metering, and with it the gas limit and the handler deadline:
 * only for measuring what metering costs. Last, wasm-reset.ts's global reset is added where the module allows it.
 */
export async function compileMapping(bytes: Uint8Array, handlers?: Iterable<string>, metered = true): Promise<CompiledWasm> {
  const keep = handlers === undefined ? undefined : new Set<string>([...REQUIRED_EXPORTS, ...REQUIRED_EXPORTS_V004, ...handlers]);
  const prepared = prepareModuleBinary(metered ? instrumentGas(bytes) : bytes, keep);
  const restorable = addGlobalReset(prepared.bytes);
  const wasm = await Wasm.compile(restorable ?? prepared.bytes);
  return { wasm, importedMemory: prepared.importedMemory, metered, restorable: restorable !== null };
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

type MappingExports = AscExports & Record<string, unknown>;

/**
 * An instance kept for the next trigger with the image of its memory right after instantiation: restoring the memory
 * and resetting the mutable globals (wasm-reset.ts) gives it the state of a fresh instance.
 */
class KeptInstance {
  /** A view of the live memory; a grown memory detaches it (length 0), and the instance can no longer be restored. */
  private readonly live: Uint8Array;
  private readonly image: Uint8Array;
  private readonly resetGlobals: () => void;

  /** Takes the image: call right after instantiation, before anything runs in the instance. */
  constructor(readonly exports: MappingExports) {
    this.live = new Uint8Array(exports.memory.buffer);
    this.image = this.live.slice();
    this.resetGlobals = exports[RESET_GLOBALS_EXPORT] as () => void;
  }

  /** Brings the instance back to its state right after instantiation; false if its memory grew (discard it then). */
  restore(): boolean {
    if (this.live.length !== this.image.length) return false;
    this.live.set(this.image);
    this.resetGlobals();
    return true;
  }
}

export class MappingModule {
  /** The host state shared by every instance of this module. */
  readonly ctx: HostContext;
  /** Names of the functions the module exports (handlers among them). */
  readonly exportedFunctions: ReadonlySet<string>;
  /** Names of the host functions the module imports (`ethereum.call`, `store.set`, …). */
  readonly importedFunctions: ReadonlySet<string>;
  private readonly wasm: WasmModule;
  private readonly imports: WasmImports;
  private readonly importedMemory: MemoryLimits | null;
  /** The memory handed to the next new instance: zeroed and of the initial size, like a fresh instance's own memory. */
  private memory: WasmMemory | null = null;
  /** Whether instances are restored between triggers instead of created anew (see CompiledWasm.restorable). */
  private readonly reuseInstances: boolean;
  /** The previous trigger's instance, when it can be restored. */
  private kept: KeptInstance | null = null;
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
    reuseInstances = true,
  ) {
    this.wasm = compiled.wasm;
    this.importedMemory = compiled.importedMemory;
    this.reuseInstances = reuseInstances && compiled.restorable;
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
    this.exportedFunctions = new Set(exports.filter((e) => e.kind === "function" && e.name !== RESET_GLOBALS_EXPORT).map((e) => e.name));
    this.imports = imports;
    this.importedFunctions = new Set(Object.values(imports).flatMap((functions) => Object.keys(functions)));
  }

  /** Reads and compiles a .wasm file (see {@link MappingOptions}). */
  static async load(file: string, env: HostEnvironment, options: MappingOptions = {}): Promise<MappingModule> {
    let pending = options.compiled?.get(file);
    if (!pending) {
      pending = readFile(file).then((bytes) => compileMapping(bytes, options.handlers, options.metered ?? true));
      options.compiled?.set(file, pending);
    }
    let result: CompiledWasm;
    try {
      result = await pending;
    } catch (error) {
      throw new ModuleLoadError(file, `cannot compile: ${(error as Error).message}`, [], { cause: error });
    }
    return new MappingModule(file, result, env, options.reuseInstances ?? true);
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
   * An instance in the state of a fresh one, attached to the heap and started (`_start` runs the module's top-level
   * code). Memory and globals never carry over from one trigger to the next: the previous trigger's instance is
   * restored to its state right after instantiation, or, if it cannot be (its memory grew, or the module does not
   * allow it), a new instance gets a zeroed memory of the initial size, into which instantiation copies the data
   * segments.
   */
  instantiate(): MappingExports {
    const exports = this.kept?.restore() ? this.kept.exports : this.newInstance();
    this.ctx.gas.attach(exports[GAS_GLOBAL_EXPORT]);
    if (!this.legacyLayout) exports._start!();
    this.ctx.heap.refresh();
    return exports;
  }

  private newInstance(): MappingExports {
    if (this.importedMemory) {
      (this.imports[MEMORY_IMPORT.module] ??= {})[MEMORY_IMPORT.name] = this.freshMemory(this.importedMemory);
    }
    const instance = new Wasm.Instance(this.wasm, this.imports);
    const exports = instance.exports as unknown as MappingExports;
    this.ctx.heap.attach(exports, this.rtIds);
    this.kept = this.reuseInstances ? new KeptInstance(exports) : null;
    return exports;
  }
}
