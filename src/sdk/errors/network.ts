/** The node cannot be reached, serves another chain, or has no registry where the client expects one. */
import { SdkError, type SdkErrorOptions } from "./base.ts";

/** The JSON-RPC node could not be reached (refused, timed out, unknown host, HTTP error). */
export class NodeUnreachableError extends SdkError {
  override name = "NodeUnreachableError";
  readonly url: string | undefined;
  readonly reason: string;
  constructor(url: string | undefined, reason: string, options: SdkErrorOptions = {}) {
    super("NODE_UNREACHABLE", `Cannot reach the Ethereum node at ${url ?? "the configured RPC URL"} (${reason}).`, {
      hint: "Check the RPC URL and that the node is running and reachable.",
      ...options,
    });
    this.url = url;
    this.reason = reason;
  }
}

/** The node serves another chain than the one expected (the client's, or the one a signature was made for). */
export class WrongNetworkError extends SdkError {
  override name = "WrongNetworkError";
  readonly expectedChainId: bigint;
  readonly actualChainId: bigint;
  constructor(expectedChainId: bigint, actualChainId: bigint, options: SdkErrorOptions = {}) {
    super("WRONG_NETWORK", `Wrong network: expected chain id ${expectedChainId} but the node is on chain id ${actualChainId}.`, {
      hint: "Point the RPC URL at the right network, or pick the matching network.",
      ...options,
    });
    this.expectedChainId = expectedChainId;
    this.actualChainId = actualChainId;
  }
}

/** A signed request or a configuration names a different registry contract than the client's. */
export class WrongContractError extends SdkError {
  override name = "WrongContractError";
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string, shortMessage: string, options: SdkErrorOptions = {}) {
    super("WRONG_CONTRACT", shortMessage, options);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A call returned no data: there is no contract at the address on this network. */
export class NoContractError extends SdkError {
  override name = "NoContractError";
  readonly address: string | undefined;
  constructor(address: string | undefined, options: SdkErrorOptions = {}) {
    super("NO_CONTRACT", `No contract answered at ${address ?? "the registry address"} on this network.`, {
      hint: "Check the deployment addresses and that the RPC URL points at the network they were deployed on.",
      ...options,
    });
    this.address = address;
  }
}
