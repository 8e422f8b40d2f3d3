/**
 * AssemblyScript 0.6 memory as graph-node reads and writes it for apiVersion 0.0.4 (graph-cli < 0.22,
 * graph-ts 0.19–0.20): objects have no header and no class id; the host allocates them through the module's exported
 * `memory.allocate(size)` (runtime/wasm/src/module/mod.rs, `AscHeapCtx::new`: "memory.allocate" for versions
 * <= 0.0.4). Layouts, from graph-node's runtime/wasm/src/asc_abi/v0_0_4.rs:
 * - String: `length u32` (UTF-16 code units), then the code units (`AscString`).
 * - ArrayBuffer: `byte_length u32`, 4 bytes of padding, the bytes; the host allocates the object's size rounded up
 *   to the next power of two, "as required by asc".
 * - Uint8Array (Bytes, Address, BigInt): `buffer ptr, byte_offset, byte_length`; the bytes start at
 *   `buffer + 8 + byte_offset` (`TypedArray`).
 * - Array<T>: `buffer ptr, length`; the elements start at `buffer + 8` (`Array`).
 * Classes (TypedMap, entries, value enums, BigDecimal, ethereum structs) have the same fields as in 0.0.5, without
 * the header, so every other read and write of AscHeap serves both layouts.
 */
import { bytesToHex } from "../values.ts";
import { AscHeap, type AscExports } from "./asc.ts";
import { HostError } from "./errors.ts";
import { TypeId } from "./type-ids.ts";

/** Bytes before an ArrayBuffer's content: `byte_length` and padding. */
const BUFFER_HEADER = 8;

/** Whether a mapping of `apiVersion` uses the AssemblyScript 0.6 layout (graph-node: `version <= 0.0.4`). */
export function usesApi004Layout(apiVersion: string): boolean {
  const [a = 0, b = 0, c = 0] = apiVersion.split(".").map(Number);
  return a === 0 && b === 0 && c <= 4;
}

/** The heap of a mapping of `apiVersion`. */
export function ascHeapFor(apiVersion: string): AscHeap {
  return usesApi004Layout(apiVersion) ? new AscHeapV004() : new AscHeap();
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

/** AscHeap for apiVersion 0.0.4 modules: the layout-specific reads, writes and allocation overridden. */
export class AscHeapV004 extends AscHeap {
  private allocate: (size: number) => number = () => {
    throw new Error("AscHeap is not attached to an instance");
  };

  /** Points the heap at a fresh instance; 0.0.4 modules have no class ids, so `rtIds` is unused. */
  override attach(exports: AscExports, _rtIds: Int32Array): void {
    const allocate = exports["memory.allocate"];
    if (!allocate) throw new Error("the module does not export memory.allocate");
    this.memory = exports.memory;
    this.allocate = allocate;
    this.remap();
  }

  /** There are no class ids in AssemblyScript 0.6. */
  override rt(_typeId: number): number {
    return 0;
  }

  /** `size` bytes from the module's allocator (no header). */
  override alloc(size: number, _typeId: number): number {
    const ptr = this.allocate(size) >>> 0;
    if (this.u8.length === 0) this.remap();
    return ptr;
  }

  /** Objects have no header in this layout. */
  override rtSize(_ptr: number): number {
    throw new Error("apiVersion 0.0.4 objects have no header");
  }

  /** Fails like graph-node's heap read (runtime/wasm/src/module/mod.rs) when `size` bytes at `ptr` are not memory. */
  private checkInMemory(ptr: number, size: number): void {
    if (ptr + size > this.u8.length) {
      throw new HostError("invalid-argument", `Heap access out of bounds. Offset: ${ptr} Size: ${size}`);
    }
  }

  override readString(ptr: number): string {
    this.notNull(ptr);
    this.checkInMemory(ptr, 4);
    const length = this.u32(ptr);
    const size = 4 + 2 * length;
    if (size > 0xffffffff) throw new HostError("invalid-argument", "Overflowed when getting size of string");
    this.checkInMemory(ptr, size);
    return this.decodeUtf16(ptr + 4, length);
  }

  override readArrayBuffer(ptr: number): Uint8Array {
    this.notNull(ptr);
    const content = this.bufferContent(ptr);
    return this.bytePool.copy(this.u8, content, this.u32(ptr));
  }

  /** Where the content of the ArrayBuffer at `ptr` starts, after checking it lies in memory. */
  private bufferContent(ptr: number): number {
    this.checkInMemory(ptr, BUFFER_HEADER);
    this.checkInMemory(ptr, BUFFER_HEADER + this.u32(ptr));
    return ptr + BUFFER_HEADER;
  }

  /** Where a TypedArray's bytes are; like graph-node, a view reaching past its buffer's end has the bytes up to it. */
  protected override bytesAt(ptr: number): { start: number; length: number } {
    this.notNull(ptr);
    const buffer = this.u32(ptr);
    this.notNull(buffer);
    const byteOffset = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    const content = this.bufferContent(buffer);
    const bufferLength = this.u32(buffer);
    if (byteOffset > bufferLength) throw new HostError("invalid-argument", "Attempted to read past end of array");
    return { start: content + byteOffset, length: Math.min(byteLength, bufferLength - byteOffset) };
  }

  /** 0.0.4's strings start with their length: written as any other string. */
  override writeHexOfBytes(ptr: number): number {
    return this.writeString(bytesToHex(this.readBytes(ptr)));
  }

  /** An Array's 4-byte elements; like graph-node, at most as many as its buffer holds. */
  override readArray(ptr: number): number[] {
    this.notNull(ptr);
    const buffer = this.u32(ptr);
    this.notNull(buffer);
    const content = this.bufferContent(buffer);
    const length = Math.min(this.u32(ptr + 4), Math.floor(this.u32(buffer) / 4));
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = this.dv.getUint32(content + 4 * i, true);
    return out;
  }

  override writeString(s: string): number {
    const length = s.length;
    const ptr = this.alloc(4 + length * 2, TypeId.String);
    const dv = this.dv;
    dv.setUint32(ptr, length, true);
    for (let i = 0; i < length; i++) dv.setUint16(ptr + 4 + 2 * i, s.charCodeAt(i), true);
    return ptr;
  }

  /** An ArrayBuffer of `byteLength` zeroed bytes, allocated at the power-of-two size asc expects. */
  private newArrayBuffer(byteLength: number): number {
    const capacity = nextPowerOfTwo(BUFFER_HEADER + byteLength);
    const ptr = this.alloc(capacity, TypeId.ArrayBuffer);
    this.u8.fill(0, ptr, ptr + capacity);
    this.dv.setUint32(ptr, byteLength, true);
    return ptr;
  }

  protected override writeBytesOfLength(length: number): number {
    return this.writeObject(TypeId.Uint8Array, [this.newArrayBuffer(length), 0, length]);
  }

  override writeArray(elements: readonly number[], typeId: number): number {
    const buffer = this.newArrayBuffer(elements.length * 4);
    const dv = this.dv;
    for (let i = 0; i < elements.length; i++) dv.setUint32(buffer + BUFFER_HEADER + 4 * i, elements[i]!, true);
    return this.writeObject(typeId, [buffer, elements.length]);
  }
}
