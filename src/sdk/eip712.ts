/** The EIP-712 domain every Pedigree contract that verifies signatures declares (OpenZeppelin's EIP712, version "1"). */
import { getAddress, type TypedDataDomain } from "ethers";

/** The EIP-712 domain of the Pedigree contract named `name` at `contract` on `chainId`. */
export function pedigreeDomain(name: string, chainId: bigint, contract: string): TypedDataDomain {
  return { name, version: "1", chainId, verifyingContract: getAddress(contract) };
}
