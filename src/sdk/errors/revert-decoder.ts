/**
 * Revert data into a {@link PedigreeContractError}: one ethers Interface holding the custom errors of every contract
 * the project compiles, and the explanation table (./explanations.ts) for the sentence and the next step.
 */
import { ErrorFragment, Interface, type ErrorDescription } from "ethers";
import { factories } from "../../../types/index.ts";
import { PedigreeContractError, type ContractErrorArgs } from "./contract.ts";
import type { SdkErrorOptions } from "./base.ts";
import { explain, formatArg } from "./explanations.ts";

/** The custom errors in the ABIs of the TypeChain factories, found by walking them, once per selector. */
function collectErrorFragments(): ErrorFragment[] {
  const bySelector = new Map<string, ErrorFragment>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || (typeof value !== "object" && typeof value !== "function")) return;
    const abi = (value as { abi?: unknown }).abi;
    if (typeof value === "function" && Array.isArray(abi)) {
      for (const item of abi as { type?: string }[]) {
        if (item.type !== "error") continue;
        const fragment = ErrorFragment.from(item);
        if (!bySelector.has(fragment.selector)) bySelector.set(fragment.selector, fragment);
      }
      return;
    }
    if (typeof value === "object") for (const child of Object.values(value)) visit(child, depth + 1);
  };
  visit(factories, 0);
  return [...bySelector.values()];
}

/**
 * One ethers Interface holding the custom errors of all the project's contracts: the five registries, RoyaltySplits,
 * OpenZeppelin's AccessControl, Nonces, ERC-721, SafeERC20, ReentrancyGuard and the ERC-20 errors (IERC20Errors).
 */
export const PEDIGREE_ERRORS_INTERFACE: Interface = new Interface(collectErrorFragments());

/** The description of revert data, or undefined when its selector is unknown. */
function describe(data: string): ErrorDescription | undefined {
  try {
    return PEDIGREE_ERRORS_INTERFACE.parseError(data) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Arguments by name (`arg0`… for unnamed ones), as decoded and as shown to people. */
function argumentsOf(description: ErrorDescription): { args: ContractErrorArgs; formattedArgs: Record<string, string> } {
  const args: ContractErrorArgs = {};
  const formattedArgs: Record<string, string> = {};
  description.fragment.inputs.forEach((input, index) => {
    const key = input.name || `arg${index}`;
    args[key] = description.args[index];
    formattedArgs[key] = formatArg(description.name, key, input.type, args[key]);
  });
  return { args, formattedArgs };
}

/**
 * Decodes revert data into a {@link PedigreeContractError}, or undefined when the selector is unknown.
 *
 * @example
 * const error = decodeRevertData("0x0dd32d1c…");
 * error?.message; // "WrongPayment: 1.0 ETH is due but 0.5 ETH was sent. Send the price of the current terms, …"
 */
export function decodeRevertData(data: string, options: SdkErrorOptions = {}): PedigreeContractError | undefined {
  const description = describe(data);
  if (!description) return undefined;
  const errorName = description.name;
  const { args, formattedArgs } = argumentsOf(description);
  const call = `${errorName}(${Object.entries(formattedArgs)
    .map(([key, value]) => `${key}: ${value}`)
    .join(", ")})`;
  const explanation = explain(errorName, args, call);
  const prefix = errorName === "Error" || errorName === "Panic" ? "Revert" : errorName;
  return new PedigreeContractError(
    { errorName, args, formattedArgs, signature: description.signature, data, shortMessage: `${prefix}: ${explanation.text}` },
    { hint: explanation.hint, details: [call, options.details].filter(Boolean).join("; "), cause: options.cause },
  );
}

/**
 * The error a registry would revert with, built locally: actions use it to refuse, before sending anything, what the
 * chain would refuse after an approval or a fee was already spent.
 *
 * @example
 * throw registryError("ConsentNotRevoked", [2n]); // "ConsentNotRevoked: consent to use dataset 2 has not been revoked, …"
 */
export function registryError(errorName: string, args: readonly unknown[]): PedigreeContractError {
  const data = PEDIGREE_ERRORS_INTERFACE.encodeErrorResult(errorName, args);
  return decodeRevertData(data, { details: "refused before sending" })!;
}
