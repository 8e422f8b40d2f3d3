/**
 * Host functions graph-node links but this runtime cannot serve: IPFS (no IPFS node here; graph-node disables it
 * for on-chain subgraphs too unless non-deterministic IPFS is allowed), the removed arweave/box APIs, and ENS
 * lookups (no rainbow table: always null).
 */
import { HostError } from "../errors.ts";
import type { HostContext, HostFunctions } from "./context.ts";

const noIpfs = (name: string) => (): never => {
  throw new HostError("unsupported", `\`${name}\` is not available: this runtime has no IPFS node. Use file data sources or on-chain data instead.`);
};

const removed = (name: string) => (): never => {
  throw new HostError("unsupported", `\`${name}\` has been removed.`);
};

export function unsupportedHostFunctions(_ctx: HostContext): HostFunctions {
  return {
    "ipfs.cat": noIpfs("ipfs.cat"),
    "ipfs.map": noIpfs("ipfs.map"),
    "ipfs.getBlock": noIpfs("ipfs.getBlock"),
    "arweave.transactionData": removed("arweave.transactionData"),
    "box.profile": removed("box.profile"),
    /** No ENS rainbow table is loaded, so every name is unknown. */
    "ens.nameByHash": () => 0,
  };
}
