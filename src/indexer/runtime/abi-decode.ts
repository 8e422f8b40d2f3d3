/**
 * A fast ABI decoder producing EthValues directly (event parameters are decoded for every log, so this is on the
 * hot path). Decoding plans are compiled once per ParamType. Like graph-node's alloy decoder it is lenient where
 * alloy is: strings are decoded lossily, words are not checked for dirty high bits, trailing data is ignored; data
 * that is too short or offsets that point outside the data are errors.
 */
import type { ParamType } from "ethers";
import { EthereumValueKind as K } from "./type-ids.ts";
import type { EthValue } from "./eth-abi.ts";

/** Thrown when data does not decode as the expected types. */
export class AbiDecodeError extends Error {
  override name = "AbiDecodeError";
}

/** How one ABI type decodes (built once per type by planFor). */
export interface Plan {
  /** Whether the type is dynamic (encoded out of line, behind an offset). */
  dynamic: boolean;
  /** Bytes the type occupies in its enclosing head. */
  headSize: number;
  /** Decodes the value encoded at `at` (the head slot for static types, the pointed-to position for dynamic ones). */
  decode(data: Uint8Array, at: number): EthValue;
}

const lossyUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const TWO_256 = 1n << 256n;
const TWO_255 = 1n << 255n;

/**
 * data[start, end) as a view, not a copy: decoded values are only read (written into WASM memory, compared), and the
 * bytes they view are the decoder's own (a log's data or a topic, read from hex).
 */
const view = (data: Uint8Array, start: number, end: number): Uint8Array => data.subarray(start, end);

function need(data: Uint8Array, end: number): void {
  if (end > data.length) throw new AbiDecodeError(`data too short: need ${end} bytes, have ${data.length}`);
}

function wordToBigInt(data: Uint8Array, at: number): bigint {
  need(data, at + 32);
  let firstNonZero = at;
  const end = at + 32;
  while (firstNonZero < end && data[firstNonZero] === 0) firstNonZero++;
  if (firstNonZero === end) return 0n;
  if (end - firstNonZero <= 6) {
    let v = 0;
    for (let i = firstNonZero; i < end; i++) v = v * 256 + data[i]!;
    return BigInt(v);
  }
  let hex = "0x";
  for (let i = firstNonZero; i < end; i++) hex += HEX[data[i]!];
  return BigInt(hex);
}

/** A word used as an offset or length: must fit in a safe integer. */
function wordToIndex(data: Uint8Array, at: number): number {
  need(data, at + 32);
  for (let i = at; i < at + 24; i++) {
    if (data[i] !== 0) throw new AbiDecodeError("offset or length out of range");
  }
  let v = 0;
  for (let i = at + 24; i < at + 32; i++) v = v * 256 + data[i]!;
  if (!Number.isSafeInteger(v)) throw new AbiDecodeError("offset or length out of range");
  return v;
}

function tuplePlan(components: Plan[], kind: typeof K.TUPLE | typeof K.FIXED_ARRAY | typeof K.ARRAY): Plan {
  const dynamic = components.some((c) => c.dynamic);
  const headSize = dynamic ? 32 : components.reduce((n, c) => n + c.headSize, 0);
  return {
    dynamic,
    headSize,
    decode(data, at) {
      return { kind, value: decodeSequence(components, data, at) };
    },
  };
}

function decodeSequence(plans: readonly Plan[], data: Uint8Array, start: number): EthValue[] {
  const out = new Array<EthValue>(plans.length);
  let pos = start;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    if (plan.dynamic) {
      const offset = wordToIndex(data, pos);
      out[i] = plan.decode(data, start + offset);
      pos += 32;
    } else {
      out[i] = plan.decode(data, pos);
      pos += plan.headSize;
    }
  }
  return out;
}

function decodeRepeated(plan: Plan, length: number, data: Uint8Array, start: number): EthValue[] {
  const out = new Array<EthValue>(length);
  let pos = start;
  for (let i = 0; i < length; i++) {
    if (plan.dynamic) {
      out[i] = plan.decode(data, start + wordToIndex(data, pos));
      pos += 32;
    } else {
      out[i] = plan.decode(data, pos);
      pos += plan.headSize;
    }
  }
  return out;
}

const plans = new WeakMap<ParamType, Plan>();

/** The decoding plan of an ABI type (cached). */
export function planFor(type: ParamType): Plan {
  let plan = plans.get(type);
  if (!plan) {
    plan = buildPlan(type);
    plans.set(type, plan);
  }
  return plan;
}

function buildPlan(type: ParamType): Plan {
  if (type.isArray()) {
    const child = planFor(type.arrayChildren);
    if (type.arrayLength >= 0) {
      const length = type.arrayLength;
      return tuplePlan(Array.from({ length }, () => child), K.FIXED_ARRAY);
    }
    return {
      dynamic: true,
      headSize: 32,
      decode(data, at) {
        const length = wordToIndex(data, at);
        // Each element needs at least one word; reject absurd lengths before allocating.
        need(data, at + 32 + Math.min(length, data.length) * (child.dynamic ? 32 : child.headSize));
        return { kind: K.ARRAY, value: decodeRepeated(child, length, data, at + 32) };
      },
    };
  }
  if (type.isTuple()) return tuplePlan(type.components.map(planFor), K.TUPLE);
  const base = type.baseType;
  if (base === "address") {
    return {
      dynamic: false,
      headSize: 32,
      decode: (data, at) => {
        need(data, at + 32);
        return { kind: K.ADDRESS, value: view(data, at + 12, at + 32) };
      },
    };
  }
  if (base === "bool") {
    return {
      dynamic: false,
      headSize: 32,
      decode: (data, at) => ({ kind: K.BOOL, value: wordToBigInt(data, at) !== 0n }),
    };
  }
  if (base === "string" || base === "bytes") {
    const isString = base === "string";
    return {
      dynamic: true,
      headSize: 32,
      decode(data, at) {
        const length = wordToIndex(data, at);
        need(data, at + 32 + length);
        const bytes = view(data, at + 32, at + 32 + length);
        return isString ? { kind: K.STRING, value: lossyUtf8.decode(bytes) } : { kind: K.BYTES, value: bytes };
      },
    };
  }
  const fixed = /^bytes([0-9]+)$/.exec(base);
  if (fixed) {
    const size = Number(fixed[1]);
    return {
      dynamic: false,
      headSize: 32,
      decode: (data, at) => {
        need(data, at + 32);
        return { kind: K.FIXED_BYTES, value: view(data, at, at + size) };
      },
    };
  }
  if (base.startsWith("uint")) {
    return { dynamic: false, headSize: 32, decode: (data, at) => ({ kind: K.UINT, value: wordToBigInt(data, at) }) };
  }
  if (base.startsWith("int")) {
    return {
      dynamic: false,
      headSize: 32,
      decode: (data, at) => {
        const v = wordToBigInt(data, at);
        return { kind: K.INT, value: v >= TWO_255 ? v - TWO_256 : v };
      },
    };
  }
  if (base === "function") {
    return {
      dynamic: false,
      headSize: 32,
      decode: (data, at) => {
        need(data, at + 32);
        return { kind: K.FIXED_BYTES, value: view(data, at, at + 24) };
      },
    };
  }
  throw new AbiDecodeError(`unsupported ABI type ${type.type}`);
}

/** Decodes `data` (no selector) as the parameter list `types`. */
export function decodeAbi(types: readonly ParamType[], data: Uint8Array): EthValue[] {
  return decodePlanned(types.map(planFor), data);
}

/** decodeAbi with the types' plans made beforehand (for a list decoded many times). */
export function decodePlanned(plans: readonly Plan[], data: Uint8Array): EthValue[] {
  return decodeSequence(plans, data, 0);
}
