/**
 * AssemblyScript memory layout: every kind written into a live instance's memory reads back equal, with the exact
 * header (rtId from id_of_type, rtSize = payload length) and field layout graph-ts expects.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BigDecimal } from "../../../src/indexer/values.ts";
import { StoreValueKind as SK, JsonValueKind as JK, EthereumValueKind as EK, TypeId } from "../../../src/indexer/runtime/type-ids.ts";
import type { StoreValue } from "../../../src/indexer/runtime/asc.ts";
import type { JsonValue } from "../../../src/indexer/runtime/json.ts";
import type { EthValue } from "../../../src/indexer/runtime/eth-abi.ts";
import { HostError } from "../../../src/indexer/runtime/errors.ts";
import { hostHarness, type HostHarness } from "./helpers.ts";

const SK_NAMES = Object.fromEntries(Object.entries(SK).map(([k, v]) => [v, k])) as Record<number, string>;
const EK_NAMES = Object.fromEntries(Object.entries(EK).map(([k, v]) => [v, k])) as Record<number, string>;

let h: HostHarness;
beforeAll(async () => {
  h = await hostHarness();
});

const header = (ptr: number) => ({ rtId: h.heap.dv.getUint32(ptr - 8, true), rtSize: h.heap.dv.getUint32(ptr - 4, true) });

describe("headers and primitive layouts", () => {
  it("writes Strings as UTF-16LE with rtSize = 2 × length", () => {
    for (const s of ["", "a", "héllo", "😀 surrogate pair", "x".repeat(5000)]) {
      const ptr = h.heap.writeString(s);
      expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.String), rtSize: s.length * 2 });
      expect(h.heap.dv.getUint16(ptr, true)).toBe(s.length > 0 ? s.charCodeAt(0) : 0);
      expect(h.heap.readString(ptr)).toBe(s);
    }
  });

  it("reads short Strings through the table of those seen before: each read is the string in memory", () => {
    // More distinct strings than the table has slots, read twice: slots are shared and overwritten.
    const strings = Array.from({ length: 6000 }, (_, i) => `f${i.toString(36)}${"é".repeat(i % 5)}`);
    const ptrs = strings.map((s) => h.heap.writeString(s));
    for (let round = 0; round < 2; round++) strings.forEach((s, i) => expect(h.heap.readString(ptrs[i]!)).toBe(s));
    h.heap.dv.setUint16(ptrs[0]! + 2, 0x78, true); // the same memory, other content
    expect(h.heap.readString(ptrs[0]!)).toBe(`fx`);
  });

  it("rejects lone surrogates and strips NULs when reading Strings, as graph-node does", () => {
    const lone = h.heap.alloc(4, TypeId.String);
    h.heap.dv.setUint16(lone, 0xd800, true);
    h.heap.dv.setUint16(lone + 2, 0x61, true);
    expect(() => h.heap.readString(lone)).toThrow(HostError);
    const long = h.heap.writeString(`${"a".repeat(40)}\ud800`);
    expect(() => h.heap.readString(long)).toThrow("lone surrogate");
    expect(h.heap.readString(h.heap.writeString("a\u0000b"))).toBe("ab");
  });

  it("writes Uint8Array/Bytes as buffer, dataStart, byteLength over an ArrayBuffer", () => {
    const data = new Uint8Array([1, 2, 3, 250]);
    const ptr = h.heap.writeBytes(data);
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.Uint8Array), rtSize: 12 });
    const buffer = h.heap.u32(ptr);
    expect(h.heap.u32(ptr + 4)).toBe(buffer);
    expect(h.heap.u32(ptr + 8)).toBe(4);
    expect(header(buffer)).toEqual({ rtId: h.heap.rt(TypeId.ArrayBuffer), rtSize: 4 });
    expect([...h.heap.readBytes(ptr)]).toEqual([1, 2, 3, 250]);
    expect([...h.heap.readArrayBuffer(buffer)]).toEqual([1, 2, 3, 250]);
    expect([...h.heap.readBytes(h.heap.writeBytes(new Uint8Array(0)))]).toEqual([]);
  });

  it("reads a Uint8Array view that starts inside its buffer", () => {
    const buffer = h.heap.u32(h.heap.writeBytes(new Uint8Array([9, 8, 7, 6, 5]))); // its ArrayBuffer
    const view = h.heap.writeObject(TypeId.Uint8Array, [buffer, buffer + 2, 2]);
    expect([...h.heap.readBytes(view)]).toEqual([7, 6]);
  });

  it("writes BigDecimal as digits and exp BigInt pointers", () => {
    const ptr = h.heap.writeBigDecimal(new BigDecimal(-125n, -2));
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.BigDecimal), rtSize: 8 });
    expect(h.heap.readBigInt(h.heap.u32(ptr))).toBe(-125n);
    expect(h.heap.readBigInt(h.heap.u32(ptr + 4))).toBe(-2n);
    expect(h.heap.readBigDecimal(ptr)).toEqual(new BigDecimal(-125n, -2));
  });

  it("writes Array<T> as buffer, dataStart, byteLength, length", () => {
    const ptr = h.heap.writeStringArray(["a", "bc", ""]);
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.ArrayString), rtSize: 16 });
    expect(h.heap.u32(ptr + 8)).toBe(12);
    expect(h.heap.dv.getInt32(ptr + 12, true)).toBe(3);
    expect(h.heap.readStringArray(ptr)).toEqual(["a", "bc", ""]);
    expect(h.heap.readStringArray(h.heap.writeStringArray([]))).toEqual([]);
  });

  it("keeps working after the memory grows (views are refreshed)", () => {
    const before = h.heap.u8.buffer.byteLength;
    const big = new Uint8Array(3 * 65536).fill(7);
    const ptr = h.heap.writeBytes(big);
    expect(h.heap.u8.buffer.byteLength).toBeGreaterThan(before);
    expect(h.heap.readBytes(ptr).every((b) => b === 7)).toBe(true);
    expect(h.heap.readString(h.heap.writeString("after growth"))).toBe("after growth");
  });
});

describe("store values and entities", () => {
  const values: StoreValue[] = [
    { kind: SK.STRING, value: "text ✓" },
    { kind: SK.INT, value: -2147483648 },
    { kind: SK.INT, value: 2147483647 },
    { kind: SK.BIGDECIMAL, value: new BigDecimal(-15n, -1) },
    { kind: SK.BOOL, value: true },
    { kind: SK.BOOL, value: false },
    { kind: SK.NULL },
    { kind: SK.BYTES, value: new Uint8Array([0xde, 0xad]) },
    { kind: SK.BIGINT, value: -(2n ** 200n) },
    { kind: SK.INT8, value: -(2n ** 63n) },
    { kind: SK.INT8, value: 2n ** 63n - 1n },
    { kind: SK.TIMESTAMP, value: 1_700_000_000_123_456n },
    {
      kind: SK.ARRAY,
      value: [
        { kind: SK.STRING, value: "nested" },
        { kind: SK.ARRAY, value: [{ kind: SK.INT, value: 1 }, { kind: SK.NULL }] },
      ],
    },
    { kind: SK.ARRAY, value: [] },
  ];

  it.each(values.map((v) => [SK_NAMES[v.kind], v] as const))("round-trips %s", (_name, value) => {
    const ptr = h.heap.writeStoreValue(value);
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.StoreValue), rtSize: 16 });
    expect(h.heap.u32(ptr)).toBe(value.kind);
    expect(h.heap.readStoreValue(ptr)).toEqual(value);
  });

  it("sign-extends Int payloads to 64 bits like graph-node", () => {
    const ptr = h.heap.writeStoreValue({ kind: SK.INT, value: -1 });
    expect(h.heap.dv.getBigUint64(ptr + 8, true)).toBe(2n ** 64n - 1n);
  });

  it("writes an Entity as TypedMap → Array<TypedMapEntry> → (key, Value)", () => {
    const entries: [string, StoreValue][] = values.map((v, i) => [`field${i}`, v]);
    const ptr = h.heap.writeEntity(entries);
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.TypedMapStringStoreValue), rtSize: 4 });
    const array = h.heap.u32(ptr);
    expect(header(array).rtId).toBe(h.heap.rt(TypeId.ArrayTypedMapEntryStringStoreValue));
    const firstEntry = h.heap.readArray(array)[0]!;
    expect(header(firstEntry)).toEqual({ rtId: h.heap.rt(TypeId.TypedMapEntryStringStoreValue), rtSize: 8 });
    expect(h.heap.readEntity(ptr)).toEqual(entries);
  });
});

describe("JSON values", () => {
  const json: JsonValue = {
    kind: JK.OBJECT,
    value: [
      ["a", { kind: JK.ARRAY, value: [{ kind: JK.NULL }, { kind: JK.BOOL, value: true }, { kind: JK.NUMBER, value: "1.5e300" }] }],
      ["b", { kind: JK.STRING, value: "str" }],
      ["c", { kind: JK.OBJECT, value: [] }],
    ],
  };

  it("round-trips every kind, with graph-ts's class ids", () => {
    const ptr = h.heap.writeJsonValue(json);
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.JsonValue), rtSize: 16 });
    const map = h.heap.u32(ptr + 8);
    expect(header(map).rtId).toBe(h.heap.rt(TypeId.TypedMapStringJsonValue));
    expect(header(h.heap.u32(map)).rtId).toBe(h.heap.rt(TypeId.ArrayTypedMapEntryStringJsonValue));
    expect(h.heap.readJsonValue(ptr)).toEqual(json);
  });
});

describe("ethereum values", () => {
  const eth: EthValue[] = [
    { kind: EK.ADDRESS, value: new Uint8Array(20).fill(0xab) },
    { kind: EK.FIXED_BYTES, value: new Uint8Array([1, 2, 3, 4]) },
    { kind: EK.BYTES, value: new Uint8Array(0) },
    { kind: EK.INT, value: -(2n ** 255n) },
    { kind: EK.UINT, value: 2n ** 256n - 1n },
    { kind: EK.BOOL, value: true },
    { kind: EK.STRING, value: "ethereum ✓" },
    { kind: EK.FIXED_ARRAY, value: [{ kind: EK.UINT, value: 1n }] },
    { kind: EK.ARRAY, value: [] },
    { kind: EK.TUPLE, value: [{ kind: EK.BOOL, value: false }, { kind: EK.ARRAY, value: [{ kind: EK.STRING, value: "x" }] }] },
  ];

  it.each(eth.map((v) => [EK_NAMES[v.kind], v] as const))("round-trips %s", (_name, value) => {
    const ptr = h.heap.writeEthValue(value);
    expect(header(ptr)).toEqual({ rtId: h.heap.rt(TypeId.EthereumValue), rtSize: 16 });
    expect(h.heap.readEthValue(ptr)).toEqual(value);
  });
});

describe("wrappers and results", () => {
  it("writes Wrapped<bool> and Result<JSONValue, bool>", () => {
    const t = h.heap.writeWrappedBool(true);
    expect(header(t).rtId).toBe(h.heap.rt(TypeId.WrappedBool));
    expect(h.heap.u8[t]).toBe(1);
    const value = h.heap.writeJsonValue({ kind: JK.NULL });
    const ok = h.heap.writeResult(TypeId.ResultJsonValueBool, TypeId.WrappedJsonValue, value);
    expect(header(ok).rtId).toBe(h.heap.rt(TypeId.ResultJsonValueBool));
    expect(h.heap.u32(h.heap.u32(ok))).toBe(value);
    expect(h.heap.u32(ok + 4)).toBe(0);
  });

  it("refuses to read through a null pointer with graph-node's explanation", () => {
    expect(() => h.heap.readString(0)).toThrow(/Tried to read AssemblyScript value that is 'null'/);
  });
});

