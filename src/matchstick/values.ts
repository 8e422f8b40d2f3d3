/**
 * The value conversions matchstick makes: `assert.equals` compares ethereum values as graph-node store values
 * (ethabi Token → Value: every byte kind is Bytes, Int and Uint are one BigInt, arrays and tuples are lists), and a
 * mocked contract call is found by its address, function and arguments written as ethabi prints tokens.
 */
import { bytesToHex } from "../indexer/values.ts";
import type { StoreValue } from "../indexer/runtime/asc.ts";
import { displayStoreValue } from "../indexer/runtime/entity.ts";
import type { EthValue } from "../indexer/runtime/eth-abi.ts";
import { EthereumValueKind as K, StoreValueKind as SK } from "../indexer/runtime/type-ids.ts";

/** The store value matchstick's `get_token_value` makes of an ethereum value. */
export function tokenValue(value: EthValue): StoreValue {
  switch (value.kind) {
    case K.ADDRESS:
    case K.FIXED_BYTES:
    case K.BYTES:
      return { kind: SK.BYTES, value: value.value };
    case K.INT:
    case K.UINT:
      return { kind: SK.BIGINT, value: value.value };
    case K.BOOL:
      return { kind: SK.BOOL, value: value.value };
    case K.STRING:
      return { kind: SK.STRING, value: value.value };
    default:
      return { kind: SK.ARRAY, value: value.value.map(tokenValue) };
  }
}

/** graph-node's equality of two store values (BigInt and Bytes by value, lists element by element). */
export function storeValuesEqual(a: StoreValue, b: StoreValue): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === SK.ARRAY) {
    const items = (b as typeof a).value;
    return a.value.length === items.length && a.value.every((item, i) => storeValuesEqual(item, items[i]!));
  }
  return displayStoreValue(a) === displayStoreValue(b);
}

const U256 = 1n << 256n;

/** An argument as ethabi's Display writes a token: numbers as 256-bit two's-complement hex, bytes as hex. */
function tokenText(value: EthValue): string {
  switch (value.kind) {
    case K.ADDRESS:
    case K.FIXED_BYTES:
    case K.BYTES:
      return bytesToHex(value.value).slice(2);
    case K.INT:
    case K.UINT:
      return (((value.value % U256) + U256) % U256).toString(16);
    case K.BOOL:
    case K.STRING:
      return String(value.value);
    case K.TUPLE:
      return `(${value.value.map(tokenText).join(",")})`;
    default:
      return `[${value.value.map(tokenText).join(",")}]`;
  }
}

/**
 * The key of a mocked call. matchstick keys on the address as Rust prints it abbreviated (`0x1234…cdef`), so two
 * contracts sharing their first and last two bytes share mocks there; here the full address is used.
 */
export function mockedCallKey(address: Uint8Array, name: string, signature: string, args: readonly EthValue[]): string {
  return [bytesToHex(address), name, signature, ...args.map(tokenText)].join("\u0000");
}
