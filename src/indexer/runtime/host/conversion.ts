/** `typeConversion.*` and `crypto.keccak256`. */
import { keccak256 } from "ethers";
import { hexToBytes } from "../../values.ts";
import { HostError } from "../errors.ts";
import { bigIntToHexGraph } from "../bigint.ts";
import type { HostContext, HostFunctions } from "./context.ts";

const lossyUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Bitcoin-alphabet base58 (the `bs58` crate graph-node uses): leading zero bytes become leading "1"s. */
export function toBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let value = 0n;
  for (let i = zeros; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  let out = "";
  while (value > 0n) {
    out = BASE58_ALPHABET[Number(value % 58n)]! + out;
    value /= 58n;
  }
  return "1".repeat(zeros) + out;
}

/** `typeConversion.bytesToString`: lossy UTF-8 (U+FFFD for invalid sequences), trailing NULs removed. */
export function bytesToUtf8String(bytes: Uint8Array): string {
  return lossyUtf8.decode(bytes).replace(/\u0000+$/, "");
}

/** `typeConversion.stringToH160`: 40 hex digits with an optional 0x. */
export function stringToAddress(text: string): Uint8Array {
  const hex = text.startsWith("0x") ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
    throw new HostError("invalid-argument", `Failed to convert string to Address: '${text}'`);
  }
  return hexToBytes(hex);
}

export function conversionHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  return {
    "typeConversion.bytesToString"(ptr) {
      heap.refresh();
      return heap.writeString(bytesToUtf8String(heap.readBytes(ptr >>> 0)));
    },
    "typeConversion.bytesToHex"(ptr) {
      heap.refresh();
      return heap.writeHexOfBytes(ptr >>> 0);
    },
    "typeConversion.bigIntToString"(ptr) {
      heap.refresh();
      return heap.writeString(heap.readBigInt(ptr >>> 0).toString());
    },
    "typeConversion.bigIntToHex"(ptr) {
      heap.refresh();
      return heap.writeString(bigIntToHexGraph(heap.readBigInt(ptr >>> 0)));
    },
    "typeConversion.stringToH160"(ptr) {
      heap.refresh();
      return heap.writeBytes(stringToAddress(heap.readString(ptr >>> 0)));
    },
    "typeConversion.bytesToBase58"(ptr) {
      heap.refresh();
      return heap.writeString(toBase58(heap.readBytes(ptr >>> 0)));
    },
    "crypto.keccak256"(ptr) {
      heap.refresh();
      return heap.writeBytes(hexToBytes(keccak256(heap.readBytes(ptr >>> 0))));
    },
  };
}
