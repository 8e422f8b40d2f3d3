/** An agent's identity: registering it, moving its agent card, and the operator wallets that act for it. */
import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseAddress } from "../../core/hex.ts";
import { parseId, type IdInput } from "../../core/ids.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import { toText } from "../internal/validate.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface RegisterAgentParameters extends TransactionOptions {
  /** Where its agent card (an ERC-8004 registration file) lives; may be empty and set later. */
  agentURI?: string;
}

export interface RegisterAgentResult extends TransactionResult {
  /** The new agent (also its ERC-721 token id). */
  agentId: bigint;
  owner: string;
}

/**
 * Registers an agent owned by the signer.
 *
 * @example
 * const { agentId } = await registerAgent(client, { agentURI: "ipfs://…/agent-card.json" });
 */
export async function registerAgent(client: PedigreeClient, parameters: RegisterAgentParameters = {}): Promise<RegisterAgentResult> {
  const agentURI = toText(parameters.agentURI ?? "", "agentURI", { allowEmpty: true });
  const mined = await sendTransaction(
    client,
    "AgentRegistry.register",
    (signer, overrides) => client.agents.connect(signer).register(agentURI, overrides),
    parameters,
  );
  const registered = eventOf(mined.receipt, client.agents, "AgentRegistered");
  return { agentId: registered.agentId, owner: registered.owner, hash: mined.hash, blockNumber: mined.blockNumber };
}

export interface SetAgentURIParameters extends TransactionOptions {
  agentId: IdInput;
  agentURI: string;
}

/**
 * Moves an agent's card; the signer must manage the agent (its owner, or an operator for all the owner's tokens).
 *
 * @example
 * await setAgentURI(client, { agentId: 1n, agentURI: "ipfs://…/agent-card-v2.json" });
 */
export async function setAgentURI(client: PedigreeClient, parameters: SetAgentURIParameters): Promise<TransactionResult> {
  const agentId = parseId(parameters.agentId, "agentId");
  const agentURI = toText(parameters.agentURI, "agentURI", { allowEmpty: true });
  return sendTransaction(
    client,
    "AgentRegistry.setAgentURI",
    (signer, overrides) => client.agents.connect(signer).setAgentURI(agentId, agentURI, overrides),
    parameters,
  );
}

export interface SetOperatorWalletParameters extends TransactionOptions {
  agentId: IdInput;
  /** The wallet that anchors (or signs) the agent's action batches. */
  wallet: string;
  /** true: it acts for the agent from now on; false: it no longer does. */
  allowed: boolean;
}

/**
 * Lets a wallet act for an agent, or stops it; the signer must manage the agent. A transfer of the agent ends every
 * wallet its previous owner set.
 *
 * @example
 * await setOperatorWallet(client, { agentId: 1n, wallet: "0x…", allowed: true });
 */
export async function setOperatorWallet(client: PedigreeClient, parameters: SetOperatorWalletParameters): Promise<TransactionResult> {
  const agentId = parseId(parameters.agentId, "agentId");
  const wallet = parseAddress(parameters.wallet, "wallet", { nonZero: true });
  if (typeof parameters.allowed !== "boolean") throw new InvalidInputError("allowed", "allowed must be true or false");
  return sendTransaction(
    client,
    "AgentRegistry.setOperatorWallet",
    (signer, overrides) => client.agents.connect(signer).setOperatorWallet(agentId, wallet, parameters.allowed, overrides),
    parameters,
  );
}
