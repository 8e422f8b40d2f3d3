/**
 * typeConversion.*, crypto.keccak256, json.* and ethereum.encode/decode host functions against a live instance,
 * checked against independently computed values (ethers, Node's crypto-free reference values, hand-written JSON).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AbiCoder, keccak256, toUtf8Bytes, encodeBase58 } from "ethers";
import { HostError } from "../../../src/indexer/runtime/errors.ts";
import { EthereumValueKind as EK, JsonValueKind as JK, TypeId } from "../../../src/indexer/runtime/type-ids.ts";
import type { EthValue } from "../../../src/indexer/runtime/eth-abi.ts";
import type { JsonValue } from "../../../src/indexer/runtime/json.ts";
import { hostHarness, type HostHarness } from "./helpers.ts";

let h: HostHarness;
beforeAll(async () => {
  h = await hostHarness();
});

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/^0x/, ""), "hex"));
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const str = (ptr: unknown) => h.heap.readString(ptr as number);

function hostError(fn: () => unknown): HostError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HostError) return error;
    throw error;
  }
  throw new Error("expected a HostError");
}

/** JSON value as compact text with numbers marked, to compare with expectations. */
function show(v: JsonValue): string {
  switch (v.kind) {
    case JK.NULL:
      return "null";
    case JK.BOOL:
      return String(v.value);
    case JK.NUMBER:
      return `#${v.value}`;
    case JK.STRING:
      return JSON.stringify(v.value);
    case JK.ARRAY:
      return `[${v.value.map(show).join(",")}]`;
    case JK.OBJECT:
      return `{${v.value.map(([k, x]) => `${JSON.stringify(k)}:${show(x)}`).join(",")}}`;
  }
}

describe("typeConversion", () => {
  it("bytesToString decodes UTF-8 lossily and trims trailing NULs only", () => {
    expect(str(h.call("typeConversion.bytesToString", h.heap.writeBytes(bytes("68690000"))))).toBe("hi");
    expect(str(h.call("typeConversion.bytesToString", h.heap.writeBytes(utf8("añ€😀"))))).toBe("añ€😀");
    expect(str(h.call("typeConversion.bytesToString", h.heap.writeBytes(bytes("61ff62"))))).toBe("a\uFFFDb");
    expect(str(h.call("typeConversion.bytesToString", h.heap.writeBytes(bytes("efbbbf61"))))).toBe("\uFEFFa");
  });

  it("bytesToHex prints lowercase 0x-hex, 0x for empty", () => {
    expect(str(h.call("typeConversion.bytesToHex", h.heap.writeBytes(bytes("00ABcdEF"))))).toBe("0x00abcdef");
    expect(str(h.call("typeConversion.bytesToHex", h.heap.writeBytes(new Uint8Array(0))))).toBe("0x");
  });

  it("bytesToHex prints every byte value, long values, and a view into the middle of its buffer", () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(str(h.call("typeConversion.bytesToHex", h.heap.writeBytes(every)))).toBe(`0x${Buffer.from(every).toString("hex")}`);
    // A shorter value after a longer one shows none of the longer one's bytes.
    expect(str(h.call("typeConversion.bytesToHex", h.heap.writeBytes(bytes("7f80"))))).toBe("0x7f80");
    // Bytes 2..5 of a 6-byte buffer (a Uint8Array whose data starts after its buffer's start, as subarray makes).
    const buffer = h.heap.u32(h.heap.writeBytes(bytes("0102a1b2c3d4"))); // its ArrayBuffer
    const view = h.heap.alloc(12, TypeId.Uint8Array);
    h.heap.dv.setUint32(view, buffer, true);
    h.heap.dv.setUint32(view + 4, buffer + 2, true);
    h.heap.dv.setUint32(view + 8, 4, true);
    expect(str(h.call("typeConversion.bytesToHex", view))).toBe("0xa1b2c3d4");
  });

  it("bytesToBase58 uses the Bitcoin alphabet and keeps leading zero bytes", () => {
    const cases = ["", "00", "000001", "0000ffee", "1220" + "ab".repeat(32), Buffer.from("Hello World").toString("hex")];
    for (const hex of cases) {
      const expected = encodeBase58(`0x${hex}`);
      expect(str(h.call("typeConversion.bytesToBase58", h.heap.writeBytes(bytes(hex)))), hex).toBe(expected);
    }
    expect(str(h.call("typeConversion.bytesToBase58", h.heap.writeBytes(utf8("Hello World"))))).toBe("JxF12TrwUP45BMd");
  });

  it("stringToH160 accepts 40 hex digits with or without 0x, in any case", () => {
    const read = (s: string) => Buffer.from(h.heap.readBytes(h.call("typeConversion.stringToH160", h.heap.writeString(s)) as number)).toString("hex");
    expect(read("0xA16081F360e3847006dB660bae1c6d1b2e17eC2A")).toBe("a16081f360e3847006db660bae1c6d1b2e17ec2a");
    expect(read("a16081f360e3847006db660bae1c6d1b2e17ec2a")).toBe("a16081f360e3847006db660bae1c6d1b2e17ec2a");
    for (const bad of ["0x1234", "0xzz6081f360e3847006db660bae1c6d1b2e17ec2a", ""]) {
      expect(hostError(() => h.call("typeConversion.stringToH160", h.heap.writeString(bad))).message).toBe(`Failed to convert string to Address: '${bad}'`);
    }
  });
});

describe("crypto.keccak256", () => {
  it.each(["", "abc", "Transfer(address,address,uint256)", "😀".repeat(100)])("hashes %j like ethers", (text) => {
    const hash = h.heap.readBytes(h.call("crypto.keccak256", h.heap.writeBytes(utf8(text))) as number);
    expect(`0x${Buffer.from(hash).toString("hex")}`).toBe(keccak256(toUtf8Bytes(text)));
  });

  it("of the empty input is the well-known constant", () => {
    const hash = h.heap.readBytes(h.call("crypto.keccak256", h.heap.writeBytes(new Uint8Array(0))) as number);
    expect(Buffer.from(hash).toString("hex")).toBe("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });
});

describe("json", () => {
  const parse = (text: string | Uint8Array) =>
    show(h.heap.readJsonValue(h.call("json.fromBytes", h.heap.writeBytes(typeof text === "string" ? utf8(text) : text)) as number));

  it("parses every kind, keeps number text, sorts object keys, last duplicate wins", () => {
    expect(parse('{"b":1,"a":[true,null,"x\\u00e9\\ud83d\\ude00"],"big":123456789012345678901234567890,"f":1.50e3,"neg":-0,"b":2}')).toBe(
      '{"a":[true,null,"xé😀"],"b":#2,"big":#123456789012345678901234567890,"f":#1.50e3,"neg":#0}',
    );
    expect(parse(" [ -12 , 18446744073709551615, 18446744073709551616, -9223372036854775809 ] ")).toBe(
      "[#-12,#18446744073709551615,#18446744073709551616,#-9223372036854775809]",
    );
    expect(parse('"plain"')).toBe('"plain"');
    expect(parse('{"é":1,"z":2,"😀":3,"\uffff":4}')).toBe('{"z":#2,"é":#1,"\uffff":#4,"😀":#3}');
  });

  it("rejects what serde_json rejects, with graph-node's message", () => {
    for (const bad of ["[1,]", "01", '{"a":1,}', "NaN", "'x'", "[1] x", "", '"\\ud800"', "\uFEFF{}", "{a:1}", "1.", "-", '"a\u0001"', "[".repeat(128) + "]".repeat(128)]) {
      const error = hostError(() => parse(bad));
      expect(error.message, bad).toMatch(/^Failed to parse JSON from byte array\. Bytes \(truncated to 1024 chars\): `\[[0-9, ]*\]`: /);
    }
    expect(parse("[".repeat(127) + "]".repeat(127))).toBe("[".repeat(127) + "]".repeat(127));
    expect(hostError(() => parse(bytes("22ff22"))).message).toContain("invalid unicode code point");
  });

  it("try_fromBytes returns a Result: value on success, error flag on failure", () => {
    const ok = h.call("json.try_fromBytes", h.heap.writeBytes(utf8('{"x":[1]}'))) as number;
    const valueWrapper = h.heap.u32(ok);
    expect(h.heap.u32(ok + 4)).toBe(0);
    expect(show(h.heap.readJsonValue(h.heap.u32(valueWrapper)))).toBe('{"x":[#1]}');
    const bad = h.call("json.try_fromBytes", h.heap.writeBytes(utf8("{"))) as number;
    expect(h.heap.u32(bad)).toBe(0);
    expect(h.heap.u32(h.heap.u32(bad + 4)) & 0xff).toBe(1);
  });

  it("converts number text to i64, u64, f64 and BigInt with Rust's parsers", () => {
    const call = (name: string, text: string) => h.call(name, h.heap.writeString(text));
    expect(call("json.toI64", "-9223372036854775808")).toBe(-(2n ** 63n));
    expect(call("json.toI64", "+42")).toBe(42n);
    expect(hostError(() => call("json.toI64", "9223372036854775808")).message).toBe("JSON `9223372036854775808` cannot be parsed as i64");
    expect(hostError(() => call("json.toI64", "1.0")).message).toBe("JSON `1.0` cannot be parsed as i64");
    expect(call("json.toU64", "18446744073709551615")).toBe(-1n); // u64::MAX travels as the bits of an i64
    expect(hostError(() => call("json.toU64", "-1")).message).toBe("JSON `-1` cannot be parsed as u64");
    expect(call("json.toF64", "1.5e3")).toBe(1500);
    expect(call("json.toF64", "-inf")).toBe(-Infinity);
    expect(call("json.toF64", "0.1")).toBe(0.1);
    expect(hostError(() => call("json.toF64", "0x10")).message).toBe("JSON `0x10` cannot be parsed as f64");
    expect(h.heap.readBigInt(call("json.toBigInt", "-123456789012345678901234567890") as number)).toBe(-123456789012345678901234567890n);
    expect(hostError(() => call("json.toBigInt", "1e3")).message).toBe("JSON `1e3` is not a decimal string");
  });
});

describe("ethereum.encode / ethereum.decode", () => {
  const coder = AbiCoder.defaultAbiCoder();
  const addr = "0x00000000000000000000000000000000000000aa";
  const tuple: EthValue = {
    kind: EK.TUPLE,
    value: [
      { kind: EK.ADDRESS, value: bytes(addr) },
      { kind: EK.UINT, value: 2n ** 256n - 1n },
      { kind: EK.STRING, value: "hi ✓" },
      { kind: EK.BYTES, value: bytes("0102") },
      { kind: EK.BOOL, value: true },
      { kind: EK.INT, value: -5n },
      { kind: EK.FIXED_BYTES, value: bytes("cafe") },
      { kind: EK.ARRAY, value: [{ kind: EK.UINT, value: 1n }, { kind: EK.UINT, value: 2n }] },
      { kind: EK.FIXED_ARRAY, value: [{ kind: EK.STRING, value: "a" }, { kind: EK.STRING, value: "" }] },
    ],
  };
  const tupleType = "(address,uint256,string,bytes,bool,int256,bytes2,uint256[],string[2])";
  const tupleEthers = [addr, 2n ** 256n - 1n, "hi ✓", "0x0102", true, -5n, "0xcafe", [1n, 2n], ["a", ""]];

  const encode = (v: EthValue) => {
    const ptr = h.call("ethereum.encode", h.heap.writeEthValue(v)) as number;
    return ptr === 0 ? null : `0x${Buffer.from(h.heap.readBytes(ptr)).toString("hex")}`;
  };
  const decode = (types: string, data: string) => {
    const ptr = h.call("ethereum.decode", h.heap.writeString(types), h.heap.writeBytes(bytes(data))) as number;
    return ptr === 0 ? null : h.heap.readEthValue(ptr);
  };

  it("encodes a value as a single ABI parameter, byte for byte like ethers", () => {
    expect(encode(tuple)).toBe(coder.encode([tupleType], [tupleEthers]));
    expect(encode({ kind: EK.UINT, value: 5n })).toBe(coder.encode(["uint256"], [5n]));
    expect(encode({ kind: EK.INT, value: -1n })).toBe(`0x${"f".repeat(64)}`);
    expect(encode({ kind: EK.ARRAY, value: [] })).toBe(coder.encode(["uint256[]"], [[]]));
  });

  it("decodes back to the same values, with each kind", () => {
    expect(decode(tupleType, coder.encode([tupleType], [tupleEthers]))).toEqual(tuple);
    expect(decode("int8", coder.encode(["int8"], [-128]))).toEqual({ kind: EK.INT, value: -128n });
    expect(decode("uint256", coder.encode(["uint256"], [2n ** 255n]))).toEqual({ kind: EK.UINT, value: 2n ** 255n });
    expect(decode("(uint256,string)", `0x${"00".repeat(31)}20${coder.encode(["uint256", "string"], [7n, "x"]).slice(2)}`)).toEqual({
      kind: EK.TUPLE,
      value: [
        { kind: EK.UINT, value: 7n },
        { kind: EK.STRING, value: "x" },
      ],
    });
  });

  it("returns null when the data does not decode or the type is not a type", () => {
    expect(decode("uint256", "0x1234")).toBeNull();
    expect(decode("string", `0x${"00".repeat(31)}20${"00".repeat(31)}ff`)).toBeNull();
    expect(decode("notatype", "0x")).toBeNull();
  });

  it("decodes invalid UTF-8 in strings lossily instead of failing", () => {
    const data = `0x${"00".repeat(31)}20${"00".repeat(31)}02ff61${"00".repeat(30)}`;
    expect(decode("string", data)).toEqual({ kind: EK.STRING, value: "\uFFFDa" });
  });

  it("fails the handler (not null) for values graph-node cannot convert", () => {
    expect(hostError(() => encode({ kind: EK.UINT, value: -1n })).message).toBe("BigInt value is negative, cannot convert to unsigned U256: -1");
    expect(hostError(() => encode({ kind: EK.INT, value: 2n ** 255n })).message).toContain("does not fit into int256");
    expect(hostError(() => encode({ kind: EK.ADDRESS, value: bytes("0102") })).message).toContain("20 bytes");
    expect(hostError(() => encode({ kind: EK.FIXED_BYTES, value: new Uint8Array(33) })).message).toContain("at most 32 bytes");
  });

  it("writes Array<ethereum.Value> with graph-ts's class id", () => {
    const ptr = h.heap.writeEthValueArray([{ kind: EK.BOOL, value: false }]);
    expect(h.heap.dv.getUint32(ptr - 8, true)).toBe(h.heap.rt(TypeId.ArrayEthereumValue));
  });
});
