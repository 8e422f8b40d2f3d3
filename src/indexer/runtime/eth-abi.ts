/**
 * Ethereum ABI values as graph-ts's `ethereum.Value` carries them, and the conversions graph-node performs with
 * them: decoding event parameters and call results, `ethereum.encode` / `ethereum.decode`, encoding call arguments.
 * Encoding goes through ethers' AbiCoder, types are parsed by ethers' ParamType; decoding uses abi-decode.ts, which
 * decodes strings lossily (invalid UTF-8 becomes U+FFFD) like graph-node's alloy does, instead of failing.
 */
import { AbiCoder, EventFragment, FunctionFragment, ParamType } from "ethers";
import { EthereumValueKind as K } from "./type-ids.ts";
import { HostError } from "./errors.ts";
import { decodeAbi, decodePlanned, planFor, type Plan } from "./abi-decode.ts";
import { bytesToHex, hexToBytes } from "../values.ts";

export type EthValue =
  | { kind: typeof K.ADDRESS; value: Uint8Array }
  | { kind: typeof K.FIXED_BYTES; value: Uint8Array }
  | { kind: typeof K.BYTES; value: Uint8Array }
  | { kind: typeof K.INT; value: bigint }
  | { kind: typeof K.UINT; value: bigint }
  | { kind: typeof K.BOOL; value: boolean }
  | { kind: typeof K.STRING; value: string }
  | { kind: typeof K.FIXED_ARRAY; value: EthValue[] }
  | { kind: typeof K.ARRAY; value: EthValue[] }
  | { kind: typeof K.TUPLE; value: EthValue[] };

/** One decoded event parameter (graph-ts `ethereum.EventParam`). */
export interface EventParam {
  name: string;
  value: EthValue;
}

const coder = AbiCoder.defaultAbiCoder();

const INT256_MIN = -(1n << 255n);
const INT256_MAX = (1n << 255n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;

/** Decodes ABI data (no selector) as the given parameter list. */
export function decodeParams(types: readonly ParamType[], data: Uint8Array): EthValue[] {
  return decodeAbi(types, data);
}

/**
 * The graph-node signature of an event as written in subgraph.yaml: `Name(indexed uint64,address,(address,uint16)[])`.
 */
export function eventSignatureWithIndexed(fragment: EventFragment): string {
  return `${fragment.name}(${fragment.inputs
    .map((p) => `${p.indexed ? "indexed " : ""}${p.format("sighash")}`)
    .join(",")})`;
}

/**
 * Decodes a log's parameters with graph-node's conventions: indexed dynamic parameters (strings, bytes, arrays,
 * tuples) are only their topic hash, a FIXED_BYTES of 32. Throws when the log does not fit the event.
 */
export function decodeEventLog(fragment: EventFragment, topics: readonly string[], data: string): EventParam[] {
  const layout = eventLayoutOf(fragment);
  if (topics.length !== layout.topics) {
    throw new Error(`event ${fragment.name} expects ${layout.topics} topics, the log has ${topics.length}`);
  }
  const body = layout.body.length > 0 ? decodePlanned(layout.body, Buffer.from(data.slice(2), "hex")) : [];
  const params = new Array<EventParam>(layout.inputs.length);
  let topicIndex = fragment.anonymous ? 0 : 1;
  let bodyIndex = 0;
  for (let i = 0; i < layout.inputs.length; i++) {
    const input = layout.inputs[i]!;
    let value: EthValue;
    if (input.topic === null) value = body[bodyIndex++]!;
    else {
      const topicBytes = Buffer.from(topics[topicIndex++]!.slice(2), "hex");
      value = input.topic === "hash" ? { kind: K.FIXED_BYTES, value: topicBytes } : input.topic.decode(topicBytes, 0);
    }
    params[i] = { name: input.name, value };
  }
  return params;
}

/** How an event's log decodes: computed once per fragment (every log of the event is decoded the same way). */
interface EventLayout {
  /** Topics the log has: the indexed parameters, plus the signature's unless anonymous. */
  topics: number;
  /** The data's parameters, in order. */
  body: Plan[];
  /** Per input: null when it is in the data; "hash" for an indexed dynamic value (only its hash is logged). */
  inputs: { name: string; topic: Plan | "hash" | null }[];
}

const eventLayouts = new WeakMap<EventFragment, EventLayout>();

function eventLayoutOf(fragment: EventFragment): EventLayout {
  let layout = eventLayouts.get(fragment);
  if (layout) return layout;
  const dynamic = (input: ParamType) => input.isArray() || input.isTuple() || input.baseType === "string" || input.baseType === "bytes";
  layout = {
    topics: fragment.inputs.filter((p) => p.indexed).length + (fragment.anonymous ? 0 : 1),
    body: fragment.inputs.filter((p) => !p.indexed).map(planFor),
    inputs: fragment.inputs.map((input) => ({ name: input.name, topic: !input.indexed ? null : dynamic(input) ? "hash" : planFor(input) })),
  };
  eventLayouts.set(fragment, layout);
  return layout;
}

/** The ABI type string graph-node's alloy infers from a value (used by `ethereum.encode`). */
export function typeOfValue(value: EthValue): string {
  switch (value.kind) {
    case K.ADDRESS:
      return "address";
    case K.FIXED_BYTES:
      return `bytes${value.value.length}`;
    case K.BYTES:
      return "bytes";
    case K.INT:
      return "int256";
    case K.UINT:
      return "uint256";
    case K.BOOL:
      return "bool";
    case K.STRING:
      return "string";
    case K.FIXED_ARRAY:
      return `${value.value.length > 0 ? typeOfValue(value.value[0]!) : "uint256"}[${value.value.length}]`;
    case K.ARRAY:
      return `${value.value.length > 0 ? typeOfValue(value.value[0]!) : "uint256"}[]`;
    case K.TUPLE:
      return `(${value.value.map(typeOfValue).join(",")})`;
  }
}

/**
 * Checks a value the way graph-node does when it reads an ethereum.Value from WASM (these are deterministic errors,
 * not a null result): addresses are 20 bytes, fixed bytes at most 32, ints fit int256, uints fit uint256.
 */
export function checkEthValue(value: EthValue): void {
  switch (value.kind) {
    case K.ADDRESS:
      if (value.value.length !== 20) {
        throw new HostError("invalid-argument", `an Address must be 20 bytes long, got ${value.value.length}`);
      }
      return;
    case K.FIXED_BYTES:
      if (value.value.length > 32) {
        throw new HostError("invalid-argument", `fixed bytes can hold at most 32 bytes, got ${value.value.length}`);
      }
      return;
    case K.INT:
      if (value.value < INT256_MIN || value.value > INT256_MAX) {
        throw new HostError("invalid-argument", `BigInt value \`${value.value}\` does not fit into int256`);
      }
      return;
    case K.UINT:
      if (value.value < 0n) {
        throw new HostError("invalid-argument", `BigInt value is negative, cannot convert to unsigned U256: ${value.value}`);
      }
      if (value.value > UINT256_MAX) {
        throw new HostError("invalid-argument", `BigInt value \`${value.value}\` does not fit into uint256`);
      }
      return;
    case K.FIXED_ARRAY:
    case K.ARRAY:
    case K.TUPLE:
      for (const item of value.value) checkEthValue(item);
      return;
    default:
      return;
  }
}

/** The value in the form ethers' AbiCoder encodes. */
export function toEthers(value: EthValue): unknown {
  switch (value.kind) {
    case K.ADDRESS:
    case K.FIXED_BYTES:
    case K.BYTES:
      return bytesToHex(value.value);
    case K.FIXED_ARRAY:
    case K.ARRAY:
    case K.TUPLE:
      return value.value.map(toEthers);
    default:
      return value.value;
  }
}

/** `ethereum.encode`: ABI-encodes the value as a single parameter. Null when it cannot be encoded. */
export function encodeEthValue(value: EthValue): Uint8Array | null {
  try {
    return hexToBytes(coder.encode([typeOfValue(value)], [toEthers(value)]));
  } catch {
    return null;
  }
}

/** `ethereum.decode`: decodes `data` as a single parameter of the type `types` (e.g. "(uint256,string)"). Null on failure. */
export function decodeEthValue(types: string, data: Uint8Array): EthValue | null {
  let type: ParamType;
  try {
    type = ParamType.from(types);
  } catch {
    return null;
  }
  try {
    return decodeParams([type], data)[0]!;
  } catch {
    return null;
  }
}

/** Whether `value` can be passed as an argument of ABI type `type` (alloy's type check before encoding a call). */
export function matchesType(type: ParamType, value: EthValue): boolean {
  if (type.isArray()) {
    if (type.arrayLength >= 0) {
      return value.kind === K.FIXED_ARRAY && value.value.length === type.arrayLength && value.value.every((v) => matchesType(type.arrayChildren, v));
    }
    return value.kind === K.ARRAY && value.value.every((v) => matchesType(type.arrayChildren, v));
  }
  if (type.isTuple()) {
    return value.kind === K.TUPLE && value.value.length === type.components.length && type.components.every((c, i) => matchesType(c, value.value[i]!));
  }
  const base = type.baseType;
  if (base === "address") return value.kind === K.ADDRESS;
  if (base === "bool") return value.kind === K.BOOL;
  if (base === "string") return value.kind === K.STRING;
  if (base === "bytes") return value.kind === K.BYTES;
  if (base.startsWith("bytes")) return value.kind === K.FIXED_BYTES && value.value.length === Number(base.slice(5));
  if (base.startsWith("uint")) return value.kind === K.UINT;
  if (base.startsWith("int")) return value.kind === K.INT;
  return false;
}

/** graph-node's `signature_compat` of a function: `name(inputs):(outputs)`, as graph-ts codegen writes it. */
export function functionSignatureCompat(fragment: FunctionFragment): string {
  const inputs = `${fragment.name}(${fragment.inputs.map((p) => p.format("sighash")).join(",")})`;
  if (fragment.outputs.length === 0) return inputs;
  return `${inputs}:(${fragment.outputs.map((p) => p.format("sighash")).join(",")})`;
}

/** Encodes a call: selector plus arguments. */
export function encodeCall(fragment: FunctionFragment, args: EthValue[]): string {
  return fragment.selector + coder.encode(fragment.inputs, args.map(toEthers)).slice(2);
}

/** Renders a value for messages, like alloy's Display of DynSolValue. */
export function formatEthValue(value: EthValue): string {
  switch (value.kind) {
    case K.ADDRESS:
    case K.FIXED_BYTES:
    case K.BYTES:
      return bytesToHex(value.value);
    case K.FIXED_ARRAY:
    case K.ARRAY:
      return `[${value.value.map(formatEthValue).join(", ")}]`;
    case K.TUPLE:
      return `(${value.value.map(formatEthValue).join(", ")})`;
    default:
      return String(value.value);
  }
}
