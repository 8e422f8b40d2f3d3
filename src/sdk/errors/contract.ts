/** A contract refused a call: a decoded custom error, `Error(string)` or `Panic(uint256)`. */
import { SdkError, type SdkErrorOptions } from "./base.ts";

/** Values of a decoded custom error, by argument name (positional `arg0`… for unnamed arguments). */
export type ContractErrorArgs = Record<string, unknown>;

/** What a decoded revert is made of. */
export interface ContractErrorInit {
  /** The Solidity error name, e.g. `DatasetVersionNotUsable`. */
  errorName: string;
  args: ContractErrorArgs;
  formattedArgs: Record<string, string>;
  signature: string;
  data: string;
  shortMessage: string;
}

/**
 * A transaction or call reverted with a known custom error, `Error(string)` or `Panic(uint256)`.
 *
 * @example
 * const error = decodeError(caught);
 * if (error instanceof PedigreeContractError && error.errorName === "TermsChanged") {
 *   console.log(`terms are now ${error.args.currentTermsId}`);
 * }
 */
export class PedigreeContractError extends SdkError {
  override name = "PedigreeContractError";
  /** The Solidity error name, e.g. `DatasetVersionNotUsable`. */
  readonly errorName: string;
  /** Decoded arguments by name, with their ABI types (bigint for integers, checksummed strings for addresses). */
  readonly args: ContractErrorArgs;
  /** The same arguments formatted for people: enum values by name, amounts in ETH, roles and kinds by name. */
  readonly formattedArgs: Record<string, string>;
  /** The error's signature, e.g. `TermsChanged(uint64,uint64,uint64)`. */
  readonly signature: string;
  /** The raw revert data. */
  readonly data: string;

  constructor(init: ContractErrorInit, options: SdkErrorOptions = {}) {
    super("CONTRACT_REVERT", init.shortMessage, options);
    this.errorName = init.errorName;
    this.args = init.args;
    this.formattedArgs = init.formattedArgs;
    this.signature = init.signature;
    this.data = init.data;
  }
}
