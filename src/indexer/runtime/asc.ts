/**
 * AssemblyScript 0.19 memory as graph-node reads and writes it (apiVersion >= 0.0.5): every object has a 20-byte
 * header (`mmInfo, gcInfo, gcInfo2, rtId, rtSize`, little-endian u32) and its payload after it; a pointer points at
 * the payload and `rtSize` (at ptr-4) is the payload length. Objects are allocated through the module's exported
 * `__new(size, rtId)`, or, in a module built without `--exportRuntime` (matchstick's `--runtime stub` test builds),
 * through graph-ts's exported `allocate(size)` with the header written by the host, as graph-node does; class ids
 * come from `id_of_type(TypeId)` and are cached per compiled module.
 *
 * Layouts (payload):
 * - String: UTF-16LE code units. ArrayBuffer: raw bytes.
 * - Uint8Array (Bytes, Address, BigInt): `buffer ptr, dataStart (absolute address), byteLength`.
 * - Array<T>: `buffer ptr, dataStart, byteLength, length`; object elements are 4-byte pointers.
 * - TypedMap / Entity: `entries -> Array<TypedMapEntry>`; TypedMapEntry: `key ptr, value ptr`.
 * - Value enums (store Value, JSONValue, ethereum.Value): `kind u32 @0`, padding, `payload u64 @8`.
 * - BigDecimal: `digits BigInt ptr, exp BigInt ptr`.
 *
 * apiVersion 0.0.4 modules (AssemblyScript 0.6) use AscHeapV004 (asc-v004.ts), which overrides the methods whose
 * layout differs; `ascHeapFor` picks the heap of a module's apiVersion.
 */
import { BigDecimal } from "../values.ts";
import { HostError } from "./errors.ts";
import { TypeId, StoreValueKind as SK, JsonValueKind as JK, EthereumValueKind as EK, YamlValueKind as YK } from "./type-ids.ts";
import { BIGINT_MAX_BITS, bigIntFromSignedBytesLE, checkBigIntSize, signedBytesLELength, writeSignedBytesLE } from "./bigint.ts";
import { checkedDecimalFromParts } from "./bigdecimal.ts";
import { BytePool } from "./byte-pool.ts";
import type { JsonValue } from "./json.ts";
import type { YamlValue } from "./yaml.ts";
import type { EthValue } from "./eth-abi.ts";
import type { WasmMemory } from "./wasm.ts";

/** A store value with graph-ts's ValueKind, as it crosses the WASM boundary. */
export type StoreValue =
  | { kind: typeof SK.STRING; value: string }
  | { kind: typeof SK.INT; value: number }
  | { kind: typeof SK.BIGDECIMAL; value: BigDecimal }
  | { kind: typeof SK.BOOL; value: boolean }
  | { kind: typeof SK.ARRAY; value: StoreValue[] }
  | { kind: typeof SK.NULL }
  | { kind: typeof SK.BYTES; value: Uint8Array }
  | { kind: typeof SK.BIGINT; value: bigint }
  | { kind: typeof SK.INT8; value: bigint }
  /** Microseconds since the epoch. */
  | { kind: typeof SK.TIMESTAMP; value: bigint };

/** The exports of a module built by `graph build` that the host relies on. */
export interface AscExports {
  memory: WasmMemory;
  /** Absent from modules built without `--exportRuntime`; `allocate` is used then. */
  __new?(size: number, rtId: number): number;
  allocate?(size: number): number;
  /** apiVersion 0.0.4 (AssemblyScript 0.6): the allocator, instead of `__new`/`allocate`. */
  "memory.allocate"?(size: number): number;
  /** Absent from apiVersion 0.0.4 modules, which have no runtime type ids. */
  id_of_type?(typeId: number): number;
  /** Absent from apiVersion 0.0.4 modules (their top-level code is the wasm start function). */
  _start?(): void;
}

const NULL_POINTER_MESSAGE =
  "Tried to read AssemblyScript value that is 'null'. Suggestion: look into the function that the error happened " +
  "and add 'log' calls till you find where a 'null' value is being used as non-nullable. It's likely that you're " +
  "calling a 'graph-ts' function (or operator) with a 'null' value when it doesn't support it.";

/** Bytes of an object's header after its memory block's own (AssemblyScript's OBJECT_OVERHEAD). */
const OBJECT_HEADER = 16;

/** Class ids (rtId) by TypeId, learned from `id_of_type` once per compiled module. -1 = not asked yet. */
export function newRtIdCache(): Int32Array {
  return new Int32Array(TypeId.YamlResultValueBool + 1).fill(-1);
}

/** Strings of up to this many UTF-16 units are read through the table of short strings. */
const SHORT_STRING_UNITS = 16;
/** Short strings read, by a hash of their units (one per slot, the latest): 4096 slots. */
const SHORT_STRINGS: (string | undefined)[] = new Array(4096);

const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const utf16 = new TextDecoder("utf-16le", { fatal: false, ignoreBOM: true });
/** UTF-16 code units of each byte's two lower-case hex digits: byte b at 2b and 2b + 1. */
const HEX_UNITS = Uint16Array.from({ length: 512 }, (_, i) => "0123456789abcdef".charCodeAt(i & 1 ? (i >>> 1) & 15 : i >>> 5));

/**
 * Reads and writes AssemblyScript objects in one instance's memory. One AscHeap per compiled module is re-attached
 * to each fresh instance; views are refreshed after every call into WASM because memory may have grown.
 */
export class AscHeap {
  protected memory: WasmMemory | null = null;
  u8: Uint8Array = new Uint8Array(0);
  u16: Uint16Array = new Uint16Array(0);
  /** writeHexOfBytes's String units, reused. */
  private hexUnits = new Uint16Array(130);
  /** Where the bytes read out of memory are copied: small copies share chunks (byte-pool.ts). */
  protected readonly bytePool = new BytePool();
  dv: DataView = new DataView(new ArrayBuffer(0));
  private newFn: (size: number, rtId: number) => number = () => {
    throw new Error("AscHeap is not attached to an instance");
  };
  private idOfType: (typeId: number) => number = () => 0;
  private rtIds: Int32Array = newRtIdCache();
  /**
   * Runs the module's `id_of_type` without charging gas: its answers are cached per module, so charging for it would
   * make a handler's gas depend on what ran before it.
   */
  runUnmetered: <T>(fn: () => T) => T = (fn) => fn();

  /** Points the heap at a (fresh) instance's exports; `rtIds` is the module-wide class-id cache. */
  attach(exports: AscExports, rtIds: Int32Array): void {
    this.memory = exports.memory;
    this.newFn = exports.__new ?? this.newThroughAllocate(exports);
    this.idOfType = exports.id_of_type!;
    this.rtIds = rtIds;
    this.remap();
  }

  /** `__new` built on `allocate`: the 16 bytes of header after the block's own (gcInfo, gcInfo2, rtId, rtSize). */
  private newThroughAllocate(exports: AscExports): (size: number, rtId: number) => number {
    const allocate = exports.allocate;
    if (!allocate) throw new Error("the module exports neither __new nor allocate");
    return (size, rtId) => {
      const block = allocate(OBJECT_HEADER + size) >>> 0;
      if (this.u8.length === 0) this.remap();
      this.dv.setUint32(block, 0, true);
      this.dv.setUint32(block + 4, 0, true);
      this.dv.setUint32(block + 8, rtId, true);
      this.dv.setUint32(block + 12, size, true);
      return block + OBJECT_HEADER;
    };
  }

  /**
   * Re-reads memory.buffer if the memory grew. Growing detaches the previous ArrayBuffer, so a zero-length view is
   * the cheap sign that the views must be rebuilt.
   */
  refresh(): void {
    if (this.u8.length === 0) this.remap();
  }

  protected remap(): void {
    const buffer = this.memory!.buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer, 0, buffer.byteLength >>> 1);
    this.dv = new DataView(buffer);
  }

  /** The class id of a graph-ts TypeId in this module. */
  rt(typeId: number): number {
    let id = this.rtIds[typeId]!;
    if (id < 0) {
      id = this.runUnmetered(() => this.idOfType(typeId)) >>> 0;
      this.rtIds[typeId] = id;
    }
    return id;
  }

  /** Allocates an object of `size` payload bytes with the class of `typeId`; returns the payload pointer. */
  alloc(size: number, typeId: number): number {
    const rtId = this.rt(typeId);
    const ptr = this.newFn(size, rtId) >>> 0;
    if (this.u8.length === 0) this.remap();
    return ptr;
  }

  // ------------------------------------------------------------------ reading

  protected notNull(ptr: number): void {
    if (ptr === 0) throw new HostError("invalid-argument", NULL_POINTER_MESSAGE);
  }

  u32(ptr: number): number {
    return this.dv.getUint32(ptr, true);
  }

  /** Payload length of the object at `ptr` (its header's rtSize). */
  rtSize(ptr: number): number {
    return this.dv.getUint32(ptr - 4, true);
  }

  /** A String. Invalid UTF-16 is an error; NUL characters are removed (graph-node strips them for Postgres). */
  readString(ptr: number): string {
    this.notNull(ptr);
    const byteLength = this.rtSize(ptr);
    if (byteLength & 1) throw new HostError("invalid-argument", "Attempted to read past end of string content bytes chunk");
    return this.decodeUtf16(ptr, byteLength >>> 1);
  }

  /** `length` UTF-16LE code units at `ptr` as a string, checked and NUL-stripped as `readString` says. */
  protected decodeUtf16(ptr: number, length: number): string {
    const byteLength = length * 2;
    let s: string;
    if (length <= SHORT_STRING_UNITS && (ptr & 1) === 0) {
      s = this.shortString(ptr >>> 1, length);
    } else {
      s = utf16.decode(this.u8.subarray(ptr, ptr + byteLength));
      // The decoder replaces lone surrogates with U+FFFD; graph-node rejects them.
      if (s.includes("\uFFFD") && this.hasLoneSurrogate(ptr, length)) {
        throw new HostError("invalid-argument", "invalid utf-16: lone surrogate found");
      }
    }
    if (s.includes("\u0000")) s = s.replaceAll("\u0000", "");
    return s;
  }

  /**
   * A short string (field and type names, enum values, small ids: most strings handlers pass) from the table of those
   * seen before when it is there, else built and remembered: the same names cross into the host on every store.set,
   * and building each anew was a large share of the garbage handlers leave.
   */
  private shortString(start: number, length: number): string {
    const u16 = this.u16;
    let hash = length;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ u16[start + i]!, 0x01000193);
    const slot = (hash ^ (hash >>> 16)) & (SHORT_STRINGS.length - 1);
    const seen = SHORT_STRINGS[slot];
    if (seen !== undefined && seen.length === length) {
      let same = true;
      for (let i = 0; i < length && same; i++) same = seen.charCodeAt(i) === u16[start + i];
      if (same) return seen;
    }
    let s = "";
    for (let i = 0; i < length; i++) s += String.fromCharCode(u16[start + i]!);
    if (!isWellFormed(s)) throw new HostError("invalid-argument", "invalid utf-16: lone surrogate found");
    SHORT_STRINGS[slot] = s;
    return s;
  }

  private hasLoneSurrogate(ptr: number, length: number): boolean {
    const dv = this.dv;
    for (let i = 0; i < length; i++) {
      const c = dv.getUint16(ptr + 2 * i, true);
      if (c >= 0xd800 && c <= 0xdbff) {
        const next = i + 1 < length ? dv.getUint16(ptr + 2 * (i + 1), true) : 0;
        if (next < 0xdc00 || next > 0xdfff) return true;
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) return true;
    }
    return false;
  }

  /** An ArrayBuffer's bytes (a copy). */
  readArrayBuffer(ptr: number): Uint8Array {
    this.notNull(ptr);
    return this.bytePool.copy(this.u8, ptr, this.rtSize(ptr));
  }

  /** A Uint8Array (Bytes, Address, ByteArray, BigInt) as a copy of its bytes. */
  readBytes(ptr: number): Uint8Array {
    const { start, length } = this.bytesAt(ptr);
    return this.bytePool.copy(this.u8, start, length);
  }

  /** Where the bytes of the Uint8Array at `ptr` are in memory. */
  protected bytesAt(ptr: number): { start: number; length: number } {
    this.notNull(ptr);
    const buffer = this.u32(ptr);
    this.notNull(buffer);
    const start = this.u32(ptr + 4);
    if (start < buffer) throw new HostError("invalid-argument", `Subtract overflow on pointer: ${start}`);
    return { start, length: this.u32(ptr + 8) };
  }

  /**
   * A String `0x…` of the Uint8Array at `ptr` in lower-case hex (`typeConversion.bytesToHex`, the host call behind
   * most entity ids): its UTF-16 units are made from the bytes in memory, two per byte from a table, then copied into
   * the new String at once — no byte copy, hex string or concatenation in JS. The units are made before allocating,
   * as every host call reads its arguments before it allocates.
   */
  writeHexOfBytes(ptr: number): number {
    const { start, length } = this.bytesAt(ptr);
    const units = 2 + 2 * length;
    if (this.hexUnits.length < units) this.hexUnits = new Uint16Array(units);
    const hex = this.hexUnits;
    const u8 = this.u8;
    hex[0] = 0x30; // "0"
    hex[1] = 0x78; // "x"
    for (let i = 0; i < length; i++) {
      const digits = u8[start + i]! << 1;
      hex[2 + 2 * i] = HEX_UNITS[digits]!;
      hex[3 + 2 * i] = HEX_UNITS[digits + 1]!;
    }
    const out = this.alloc(2 * units, TypeId.String);
    this.u8.set(new Uint8Array(hex.buffer, 0, 2 * units), out);
    return out;
  }

  /** A BigInt (signed little-endian two's complement), with graph-node's size limit. */
  readBigInt(ptr: number): bigint {
    const { start, length } = this.bytesAt(ptr);
    const n = bigIntFromSignedBytesLE(this.u8, start, start + length);
    // |n| has at most 8 × length bits: the size check can only fail beyond that.
    return 8 * length + 1 > BIGINT_MAX_BITS ? checkBigIntSize(n) : n;
  }

  /** A BigDecimal, normalised and range-checked like graph-node. */
  readBigDecimal(ptr: number): BigDecimal {
    this.notNull(ptr);
    const digits = this.readBigInt(this.u32(ptr));
    const exp = this.readBigInt(this.u32(ptr + 4));
    if (exp < -(1n << 63n) || exp >= 1n << 63n) {
      throw new HostError("invalid-argument", `big decimal exponent \`${exp}\` is out of range`);
    }
    return checkedDecimalFromParts(digits, Number(exp));
  }

  /** The element pointers (or 32-bit values) of an Array<T> with 4-byte elements. */
  readArray(ptr: number): number[] {
    this.notNull(ptr);
    const buffer = this.u32(ptr);
    this.notNull(buffer);
    const dataStart = this.u32(ptr + 4);
    const length = this.dv.getInt32(ptr + 12, true);
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = this.dv.getUint32(dataStart + 4 * i, true);
    return out;
  }

  /** An Array<string>. */
  readStringArray(ptr: number): string[] {
    return this.readArray(ptr).map((p) => this.readString(p));
  }

  /** A store Value. */
  readStoreValue(ptr: number): StoreValue {
    this.notNull(ptr);
    const kind = this.u32(ptr);
    switch (kind) {
      case SK.STRING:
        return { kind, value: this.readString(this.u32(ptr + 8)) };
      case SK.INT:
        return { kind, value: this.dv.getInt32(ptr + 8, true) };
      case SK.BIGDECIMAL:
        return { kind, value: this.readBigDecimal(this.u32(ptr + 8)) };
      case SK.BOOL:
        return { kind, value: this.dv.getBigUint64(ptr + 8, true) !== 0n };
      case SK.ARRAY:
        return { kind, value: this.readArray(this.u32(ptr + 8)).map((p) => this.readStoreValue(p)) };
      case SK.NULL:
        return { kind };
      case SK.BYTES:
        return { kind, value: this.readBytes(this.u32(ptr + 8)) };
      case SK.BIGINT:
        return { kind, value: this.readBigInt(this.u32(ptr + 8)) };
      case SK.INT8:
      case SK.TIMESTAMP:
        return { kind, value: this.dv.getBigInt64(ptr + 8, true) };
      default:
        throw new HostError("invalid-argument", `unknown store value kind ${kind}`);
    }
  }

  /** A TypedMap<string, Value> (Entity, DataSourceContext) as its entries in order (duplicates kept). */
  readEntity(ptr: number): [string, StoreValue][] {
    this.notNull(ptr);
    return this.readArray(this.u32(ptr)).map((entry) => {
      this.notNull(entry);
      return [this.readString(this.u32(entry)), this.readStoreValue(this.u32(entry + 4))];
    });
  }

  /** An ethereum.Value. */
  readEthValue(ptr: number): EthValue {
    this.notNull(ptr);
    const kind = this.u32(ptr);
    const payload = this.u32(ptr + 8);
    switch (kind) {
      case EK.ADDRESS:
      case EK.FIXED_BYTES:
      case EK.BYTES:
        return { kind, value: this.readBytes(payload) };
      case EK.INT:
      case EK.UINT:
        return { kind, value: this.readBigInt(payload) };
      case EK.BOOL:
        return { kind, value: this.dv.getBigUint64(ptr + 8, true) !== 0n };
      case EK.STRING:
        return { kind, value: this.readString(payload) };
      case EK.FIXED_ARRAY:
      case EK.ARRAY:
      case EK.TUPLE:
        return { kind, value: this.readArray(payload).map((p) => this.readEthValue(p)) };
      default:
        throw new HostError("invalid-argument", `unknown ethereum value kind ${kind}`);
    }
  }

  /** A JSONValue (graph-node never reads these back; here for round-trip checks). */
  readJsonValue(ptr: number): JsonValue {
    this.notNull(ptr);
    const kind = this.u32(ptr);
    const payload = this.u32(ptr + 8);
    switch (kind) {
      case JK.NULL:
        return { kind };
      case JK.BOOL:
        return { kind, value: this.dv.getBigUint64(ptr + 8, true) !== 0n };
      case JK.NUMBER:
      case JK.STRING:
        return { kind, value: this.readString(payload) };
      case JK.ARRAY:
        return { kind, value: this.readArray(payload).map((p) => this.readJsonValue(p)) };
      case JK.OBJECT:
        return {
          kind,
          value: this.readArray(this.u32(payload)).map((e): [string, JsonValue] => [
            this.readString(this.u32(e)),
            this.readJsonValue(this.u32(e + 4)),
          ]),
        };
      default:
        throw new HostError("invalid-argument", `unknown JSON value kind ${kind}`);
    }
  }

  // ------------------------------------------------------------------ writing

  /** A String. */
  writeString(s: string): number {
    const length = s.length;
    const ptr = this.alloc(length * 2, TypeId.String);
    if ((ptr & 1) === 0) {
      const u16 = this.u16;
      const base = ptr >>> 1;
      for (let i = 0; i < length; i++) u16[base + i] = s.charCodeAt(i);
    } else {
      for (let i = 0; i < length; i++) this.dv.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
    }
    return ptr;
  }

  /** A Uint8Array (Bytes, Address, ByteArray) over a new ArrayBuffer. */
  writeBytes(bytes: Uint8Array): number {
    const ptr = this.writeBytesOfLength(bytes.length);
    this.u8.set(bytes, this.bytesAt(ptr).start);
    return ptr;
  }

  /** A Uint8Array over a new ArrayBuffer of `length` bytes, to be filled where `bytesAt` says they are. */
  protected writeBytesOfLength(length: number): number {
    const buffer = this.alloc(length, TypeId.ArrayBuffer);
    const ptr = this.alloc(12, TypeId.Uint8Array);
    const dv = this.dv;
    dv.setUint32(ptr, buffer, true);
    dv.setUint32(ptr + 4, buffer, true);
    dv.setUint32(ptr + 8, length, true);
    return ptr;
  }

  /** A BigInt. */
  writeBigInt(n: bigint): number {
    const length = signedBytesLELength(n);
    const ptr = this.writeBytesOfLength(length);
    writeSignedBytesLE(n, length, this.u8, this.bytesAt(ptr).start);
    return ptr;
  }

  /** A BigDecimal (written as given; callers pass normalised values). */
  writeBigDecimal(d: BigDecimal): number {
    const digits = this.writeBigInt(d.digits);
    const exp = this.writeBigInt(BigInt(d.exp));
    const ptr = this.alloc(8, TypeId.BigDecimal);
    this.dv.setUint32(ptr, digits, true);
    this.dv.setUint32(ptr + 4, exp, true);
    return ptr;
  }

  /** An Array<T> of 4-byte elements (pointers) with the class of `typeId`. */
  writeArray(elements: readonly number[], typeId: number): number {
    const length = elements.length;
    const buffer = this.alloc(length * 4, TypeId.ArrayBuffer);
    const dv0 = this.dv;
    for (let i = 0; i < length; i++) dv0.setUint32(buffer + 4 * i, elements[i]!, true);
    const ptr = this.alloc(16, typeId);
    const dv = this.dv;
    dv.setUint32(ptr, buffer, true);
    dv.setUint32(ptr + 4, buffer, true);
    dv.setUint32(ptr + 8, length * 4, true);
    dv.setInt32(ptr + 12, length, true);
    return ptr;
  }

  /** An Array<string>. */
  writeStringArray(items: readonly string[]): number {
    return this.writeArray(
      items.map((s) => this.writeString(s)),
      TypeId.ArrayString,
    );
  }

  /** An object whose payload is a sequence of 4-byte fields (pointers), with the class of `typeId`. */
  writeObject(typeId: number, fields: readonly number[]): number {
    const ptr = this.alloc(fields.length * 4, typeId);
    const dv = this.dv;
    for (let i = 0; i < fields.length; i++) dv.setUint32(ptr + 4 * i, fields[i]!, true);
    return ptr;
  }

  /** A value enum (`kind`, padding, 8-byte payload). */
  private writeEnum(typeId: number, kind: number, payload: bigint | number): number {
    const ptr = this.alloc(16, typeId);
    const dv = this.dv;
    dv.setUint32(ptr, kind, true);
    dv.setUint32(ptr + 4, 0, true);
    if (typeof payload === "bigint") dv.setBigInt64(ptr + 8, BigInt.asIntN(64, payload), true);
    else {
      // Pointers, booleans and i32s; negative i32s are sign-extended like graph-node's `n as u64`.
      dv.setInt32(ptr + 8, payload, true);
      dv.setInt32(ptr + 12, payload < 0 ? -1 : 0, true);
    }
    return ptr;
  }

  /** A store Value. */
  writeStoreValue(v: StoreValue): number {
    switch (v.kind) {
      case SK.STRING:
        return this.writeEnum(TypeId.StoreValue, v.kind, this.writeString(v.value));
      case SK.INT:
        return this.writeEnum(TypeId.StoreValue, v.kind, v.value | 0);
      case SK.BIGDECIMAL:
        return this.writeEnum(TypeId.StoreValue, v.kind, this.writeBigDecimal(v.value));
      case SK.BOOL:
        return this.writeEnum(TypeId.StoreValue, v.kind, v.value ? 1 : 0);
      case SK.ARRAY: {
        const items = v.value.map((item) => this.writeStoreValue(item));
        return this.writeEnum(TypeId.StoreValue, v.kind, this.writeArray(items, TypeId.ArrayStoreValue));
      }
      case SK.NULL:
        return this.writeEnum(TypeId.StoreValue, v.kind, 0);
      case SK.BYTES:
        return this.writeEnum(TypeId.StoreValue, v.kind, this.writeBytes(v.value));
      case SK.BIGINT:
        return this.writeEnum(TypeId.StoreValue, v.kind, this.writeBigInt(v.value));
      case SK.INT8:
      case SK.TIMESTAMP:
        return this.writeEnum(TypeId.StoreValue, v.kind, v.value);
    }
  }

  /** A TypedMap<string, Value> (an Entity) with the entries in the given order. */
  writeEntity(entries: readonly (readonly [string, StoreValue])[]): number {
    const entryPtrs = new Array<number>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const [key, value] = entries[i]!;
      const k = this.writeString(key);
      const v = this.writeStoreValue(value);
      entryPtrs[i] = this.writeObject(TypeId.TypedMapEntryStringStoreValue, [k, v]);
    }
    const array = this.writeArray(entryPtrs, TypeId.ArrayTypedMapEntryStringStoreValue);
    return this.writeObject(TypeId.TypedMapStringStoreValue, [array]);
  }

  /** A JSONValue. */
  writeJsonValue(v: JsonValue): number {
    switch (v.kind) {
      case JK.NULL:
        return this.writeEnum(TypeId.JsonValue, v.kind, 0);
      case JK.BOOL:
        return this.writeEnum(TypeId.JsonValue, v.kind, v.value ? 1 : 0);
      case JK.NUMBER:
      case JK.STRING:
        return this.writeEnum(TypeId.JsonValue, v.kind, this.writeString(v.value));
      case JK.ARRAY: {
        const items = v.value.map((item) => this.writeJsonValue(item));
        return this.writeEnum(TypeId.JsonValue, v.kind, this.writeArray(items, TypeId.ArrayJsonValue));
      }
      case JK.OBJECT: {
        const entries = v.value.map(([key, value]) => {
          const k = this.writeString(key);
          const val = this.writeJsonValue(value);
          return this.writeObject(TypeId.TypedMapEntryStringJsonValue, [k, val]);
        });
        const array = this.writeArray(entries, TypeId.ArrayTypedMapEntryStringJsonValue);
        const map = this.writeObject(TypeId.TypedMapStringJsonValue, [array]);
        return this.writeEnum(TypeId.JsonValue, v.kind, map);
      }
    }
  }

  /** A YAMLValue (graph-node to_from/external.rs: mappings as TypedMap<YAMLValue, YAMLValue>, tags as YAMLTaggedValue). */
  writeYamlValue(v: YamlValue): number {
    switch (v.kind) {
      case YK.NULL:
        return this.writeEnum(TypeId.YamlValue, v.kind, 0);
      case YK.BOOL:
        return this.writeEnum(TypeId.YamlValue, v.kind, v.value ? 1 : 0);
      case YK.NUMBER:
      case YK.STRING:
        return this.writeEnum(TypeId.YamlValue, v.kind, this.writeString(v.value));
      case YK.ARRAY: {
        const items = v.value.map((item) => this.writeYamlValue(item));
        return this.writeEnum(TypeId.YamlValue, v.kind, this.writeArray(items, TypeId.YamlArrayValue));
      }
      case YK.OBJECT: {
        const entries = v.value.map(([key, value]) => {
          const k = this.writeYamlValue(key);
          return this.writeObject(TypeId.YamlTypedMapEntryValueValue, [k, this.writeYamlValue(value)]);
        });
        const map = this.writeObject(TypeId.YamlTypedMapValueValue, [this.writeArray(entries, TypeId.YamlArrayTypedMapEntryValueValue)]);
        return this.writeEnum(TypeId.YamlValue, v.kind, map);
      }
      case YK.TAGGED: {
        const tag = this.writeString(v.tag);
        const tagged = this.writeObject(TypeId.YamlTaggedValue, [tag, this.writeYamlValue(v.value)]);
        return this.writeEnum(TypeId.YamlValue, v.kind, tagged);
      }
    }
  }

  /** An ethereum.Value. */
  writeEthValue(v: EthValue): number {
    switch (v.kind) {
      case EK.ADDRESS:
      case EK.FIXED_BYTES:
      case EK.BYTES:
        return this.writeEnum(TypeId.EthereumValue, v.kind, this.writeBytes(v.value));
      case EK.INT:
      case EK.UINT:
        return this.writeEnum(TypeId.EthereumValue, v.kind, this.writeBigInt(v.value));
      case EK.BOOL:
        return this.writeEnum(TypeId.EthereumValue, v.kind, v.value ? 1 : 0);
      case EK.STRING:
        return this.writeEnum(TypeId.EthereumValue, v.kind, this.writeString(v.value));
      case EK.FIXED_ARRAY:
      case EK.ARRAY:
      case EK.TUPLE: {
        const items = v.value.map((item) => this.writeEthValue(item));
        return this.writeEnum(TypeId.EthereumValue, v.kind, this.writeArray(items, TypeId.ArrayEthereumValue));
      }
    }
  }

  /** An Array<ethereum.Value>. */
  writeEthValueArray(values: readonly EthValue[]): number {
    return this.writeArray(
      values.map((v) => this.writeEthValue(v)),
      TypeId.ArrayEthereumValue,
    );
  }

  /** A `Wrapped<bool>`. */
  writeWrappedBool(value: boolean): number {
    const ptr = this.alloc(4, TypeId.WrappedBool);
    this.dv.setUint32(ptr, value ? 1 : 0, true);
    return ptr;
  }

  /** A `Result<V, bool>`: `{ _value: Wrapped<V> | null, _error: Wrapped<bool> | null }`. */
  writeResult(resultTypeId: number, wrappedTypeId: number, valuePtr: number | null): number {
    if (valuePtr !== null) {
      const wrapped = this.writeObject(wrappedTypeId, [valuePtr]);
      return this.writeObject(resultTypeId, [wrapped, 0]);
    }
    const error = this.writeWrappedBool(true);
    return this.writeObject(resultTypeId, [0, error]);
  }
}
