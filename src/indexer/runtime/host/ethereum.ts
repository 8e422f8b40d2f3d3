/** `ethereum.encode | decode | call | getBalance | hasCode`. Chain access goes through the synchronous HostChain. */
import { FunctionFragment } from "ethers";
import { bytesToHex, hexToBytes } from "../../values.ts";
import { HostError } from "../errors.ts";
import {
  checkEthValue,
  decodeEthValue,
  decodeParams,
  encodeCall,
  encodeEthValue,
  functionSignatureCompat,
  matchesType,
  type EthValue,
} from "../eth-abi.ts";
import type { AbiSpec } from "../manifest.ts";
import type { HostChain } from "../types.ts";
import type { HostContext, HostFunctions } from "./context.ts";

/** A `SmartContractCall` as the mapping sends it. */
export interface ContractCall {
  contractName: string;
  contractAddress: Uint8Array;
  functionName: string;
  functionSignature: string | null;
  functionParams: EthValue[];
}

/** Finds the ABI function graph-node would call: by name, and by `name(inputs):(outputs)` when a signature is given. */
export function resolveFunction(abis: readonly AbiSpec[], call: ContractCall): FunctionFragment {
  const abi = abis.find((a) => a.name === call.contractName);
  if (!abi) {
    throw new HostError(
      "invalid-argument",
      `Could not find ABI for contract "${call.contractName}", try adding it to the 'abis' section of the subgraph manifest`,
    );
  }
  const candidates = abi.iface.fragments.filter(
    (f): f is FunctionFragment => f instanceof FunctionFragment && f.name === call.functionName,
  );
  if (candidates.length === 0) {
    throw new HostError("invalid-argument", `Unknown function "${call.contractName}::${call.functionName}" called from WASM runtime`);
  }
  if (call.functionSignature === null) return candidates[0]!;
  const fragment = candidates.find((f) => functionSignatureCompat(f) === call.functionSignature);
  if (!fragment) {
    throw new HostError(
      "invalid-argument",
      `Unknown function "${call.contractName}::${call.functionName}" with signature \`${call.functionSignature}\` called from WASM runtime`,
    );
  }
  return fragment;
}

/**
 * Performs an eth_call through `chain` and decodes the result; null when the call reverted, returned nothing, or
 * returned data that does not decode (graph-node treats all three as a revert).
 */
export function performCall(chain: HostChain, fragment: FunctionFragment, call: ContractCall, blockNumber: bigint): EthValue[] | null {
  const args = call.functionParams;
  if (args.length !== fragment.inputs.length || !fragment.inputs.every((input, i) => matchesType(input, args[i]!))) {
    throw new HostError(
      "chain",
      `Failed to call function "${call.functionName}" of contract "${call.contractName}": the arguments do not match ${fragment.format("sighash")}`,
      { deterministic: false },
    );
  }
  const data = encodeCall(fragment, args);
  let result: string | null;
  try {
    result = chain.call({ to: bytesToHex(call.contractAddress), data, blockNumber });
  } catch (error) {
    throw new HostError(
      "chain",
      `Ethereum node returned an error when calling function "${call.functionName}" of contract "${call.contractName}": ${(error as Error).message}`,
      { deterministic: false, cause: error },
    );
  }
  if (result === null) return null;
  const bytes = hexToBytes(result);
  if (bytes.length === 0) return null;
  try {
    return decodeParams(fragment.outputs, bytes);
  } catch {
    return null;
  }
}

/** An address argument: 20 bytes. */
function readAddress(ctx: HostContext, ptr: number): Uint8Array {
  const bytes = ctx.heap.readBytes(ptr);
  if (bytes.length !== 20) throw new HostError("invalid-argument", `an Address must be 20 bytes long, got ${bytes.length}`);
  return bytes;
}

/** The `SmartContractCall` at `ptr` (with its signature from apiVersion 0.0.4), its arguments checked. */
export function readContractCall(ctx: HostContext, ptr: number): ContractCall {
  const heap = ctx.heap;
  const withSignature = ctx.apiAtLeast(0, 0, 4);
  const call: ContractCall = {
    contractName: heap.readString(heap.u32(ptr)),
    contractAddress: readAddress(ctx, heap.u32(ptr + 4)),
    functionName: heap.readString(heap.u32(ptr + 8)),
    functionSignature: withSignature ? heap.readString(heap.u32(ptr + 12)) : null,
    functionParams: heap.readArray(heap.u32(ptr + (withSignature ? 16 : 12))).map((v) => heap.readEthValue(v)),
  };
  for (const arg of call.functionParams) checkEthValue(arg);
  return call;
}

/** The host functions that ask the chain (through the runtime's HostChain): a mapping importing none never does. */
export const CHAIN_HOST_FUNCTIONS: ReadonlySet<string> = new Set(["ethereum.call", "ethereum.getBalance", "ethereum.hasCode"]);

export function ethereumHostFunctions(ctx: HostContext): HostFunctions {
  const heap = ctx.heap;
  const chain = (what: string): HostChain => {
    const c = ctx.env.chain;
    if (!c) {
      throw new HostError("chain", `${what} needs chain access: pass { chain } to SubgraphRuntime.load`, { deterministic: false });
    }
    return c;
  };
  const askChain = <T>(what: string, ask: (c: HostChain) => T): T => {
    const c = chain(what);
    try {
      return ask(c);
    } catch (error) {
      throw new HostError("chain", `${what} failed: ${(error as Error).message}`, { deterministic: false, cause: error });
    }
  };
  const requireApi = (what: string): void => {
    if (!ctx.apiAtLeast(0, 0, 9)) throw new HostError("unsupported", `${what} call is not supported before API version 0.0.9`);
  };

  return {
    "ethereum.encode"(ptr) {
      heap.refresh();
      const value = heap.readEthValue(ptr >>> 0);
      checkEthValue(value);
      const encoded = encodeEthValue(value);
      return encoded === null ? 0 : heap.writeBytes(encoded);
    },

    "ethereum.decode"(typesPtr, dataPtr) {
      heap.refresh();
      const types = heap.readString(typesPtr >>> 0);
      const data = heap.readBytes(dataPtr >>> 0);
      const value = decodeEthValue(types, data);
      return value === null ? 0 : heap.writeEthValue(value);
    },

    "ethereum.call"(ptr) {
      heap.refresh();
      const call = readContractCall(ctx, ptr >>> 0);
      const fragment = resolveFunction(ctx.env.abis, call);
      const result = performCall(chain("ethereum.call"), fragment, call, ctx.state.blockNumber);
      return result === null ? 0 : heap.writeEthValueArray(result);
    },

    "ethereum.getBalance"(ptr) {
      heap.refresh();
      requireApi("ethereum.getBalance");
      const address = bytesToHex(readAddress(ctx, ptr >>> 0));
      const balance = askChain("ethereum.getBalance", (c) => c.getBalance(address, ctx.state.blockNumber));
      return heap.writeBigInt(balance);
    },

    "ethereum.hasCode"(ptr) {
      heap.refresh();
      requireApi("ethereum.hasCode");
      const address = bytesToHex(readAddress(ctx, ptr >>> 0));
      return heap.writeWrappedBool(askChain("ethereum.hasCode", (c) => c.hasCode(address, ctx.state.blockNumber)));
    },
  };
}
