/** `json.fromBytes`, `json.try_fromBytes`, `json.toI64 | toU64 | toF64 | toBigInt`. */
import { HostError } from "../errors.ts";
import { JSON_FROM_BYTES } from "../gas-costs.ts";
import { TypeId } from "../type-ids.ts";
import { parseJsonBytes } from "../json.ts";
import { checkBigIntSize, parseBigIntDecimal, parseF64, parseI64, parseU64 } from "../bigint.ts";
import type { HostContext, HostFunctions } from "./context.ts";

function parseError(bytes: Uint8Array, error: unknown): HostError {
  const shown = Array.from(bytes.subarray(0, 1024)).join(", ");
  return new HostError(
    "invalid-argument",
    `Failed to parse JSON from byte array. Bytes (truncated to 1024 chars): \`[${shown}]\`: ${(error as Error).message}`,
  );
}

export function jsonHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  return {
    "json.fromBytes"(ptr) {
      heap.refresh();
      const bytes = heap.readBytes(ptr >>> 0);
      ctx.gas.charge(bytes.length * JSON_FROM_BYTES.perSize);
      let value;
      try {
        value = parseJsonBytes(bytes);
      } catch (error) {
        throw parseError(bytes, error);
      }
      return heap.writeJsonValue(value);
    },

    "json.try_fromBytes"(ptr) {
      heap.refresh();
      const bytes = heap.readBytes(ptr >>> 0);
      ctx.gas.charge(bytes.length * JSON_FROM_BYTES.perSize);
      let valuePtr: number | null;
      try {
        valuePtr = heap.writeJsonValue(parseJsonBytes(bytes));
      } catch (error) {
        if (error instanceof HostError) throw error;
        ctx.env.logger?.log("warning", `Failed to parse JSON from byte array: ${(error as Error).message}`, {
          dataSource: ctx.state.dataSource.id,
          handler: ctx.state.handler,
          blockNumber: ctx.state.blockNumber,
        });
        valuePtr = null;
      }
      return heap.writeResult(TypeId.ResultJsonValueBool, TypeId.WrappedJsonValue, valuePtr);
    },

    "json.toI64"(ptr) {
      heap.refresh();
      const text = heap.readString(ptr >>> 0);
      const v = parseI64(text);
      if (v === null) throw new HostError("invalid-argument", `JSON \`${text}\` cannot be parsed as i64`);
      return v;
    },

    "json.toU64"(ptr) {
      heap.refresh();
      const text = heap.readString(ptr >>> 0);
      const v = parseU64(text);
      if (v === null) throw new HostError("invalid-argument", `JSON \`${text}\` cannot be parsed as u64`);
      return BigInt.asIntN(64, v); // a u64 travels as the bits of a wasm i64
    },

    "json.toF64"(ptr) {
      heap.refresh();
      const text = heap.readString(ptr >>> 0);
      const v = parseF64(text);
      if (v === null) throw new HostError("invalid-argument", `JSON \`${text}\` cannot be parsed as f64`);
      return v;
    },

    "json.toBigInt"(ptr) {
      heap.refresh();
      const text = heap.readString(ptr >>> 0);
      const v = parseBigIntDecimal(text);
      if (v === null) throw new HostError("invalid-argument", `JSON \`${text}\` is not a decimal string`);
      return heap.writeBigInt(checkBigIntSize(v));
    },
  };
}
