/** Errors of the MCP server itself (the tools' own failures are the audit's, the SDK's and core's errors). */
import { PedigreeError } from "../core/errors.ts";

/**
 * A tool needs the chain, and the server was started without a way to reach it.
 *
 * @example
 * // NoChainError: this Pedigree MCP server has no chain connection. Start it with --rpc and --network or --addresses.
 */
export class NoChainError extends PedigreeError {
  override name = "NoChainError";
  constructor() {
    super("this Pedigree MCP server has no chain connection", { code: "NO_CHAIN", hint: "Start it with --rpc and --network or --addresses (createMcpServer: connectChain)." });
  }
}
