/**
 * Typed access to the WebAssembly JS API. The project's TypeScript libs (ES2023 + @types/node, no DOM) only declare
 * part of the `WebAssembly` namespace, so the host declares the few members it uses here.
 */

/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

export interface WasmImportDescriptor {
  module: string;
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}

export interface WasmExportDescriptor {
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}

/** A function table (matchstick-as test modules export theirs). */
export interface WasmTable {
  readonly length: number;
  get(index: number): unknown;
}

export type WasmImports = Record<string, Record<string, unknown>>;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): WasmImportDescriptor[];
    exports(module: WasmModule): WasmExportDescriptor[];
  };
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Table: abstract new (...args: never[]) => WasmTable;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  RuntimeError: new (message?: string) => Error;
}

/** `globalThis.WebAssembly`, typed. */
export const Wasm: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
