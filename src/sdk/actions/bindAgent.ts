import { ZeroHash } from "ethers";
import type { PedigreeClient } from "../client.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId, type IdInput } from "../../core/ids.ts";
import { eventOf, sendTransaction } from "../internal/transactions.ts";
import type { TransactionOptions, TransactionResult } from "../types.ts";

export interface BindAgentParameters extends TransactionOptions {
  agentId: IdInput;
  /** The system version the agent runs from now on; it must be releasable. */
  systemId: IdInput;
  /** The digest of the policy the agent acts under; the system version's own policy when omitted. */
  policyHash?: string;
}

export interface BindAgentResult extends TransactionResult {
  agentId: bigint;
  bindingId: bigint;
  systemId: bigint;
  /** The model version that system version runs. */
  modelVersionId: bigint;
  /** The policy in force (the system version's when none was given). */
  policyHash: string;
}

/**
 * Binds an agent to a releasable system version under a policy, keeping every earlier binding; the signer must manage
 * the agent.
 *
 * @example
 * const { bindingId } = await bindAgent(client, { agentId: 1n, systemId: 2n, policyHash: id("agent policy v1") });
 */
export async function bindAgent(client: PedigreeClient, parameters: BindAgentParameters): Promise<BindAgentResult> {
  const agentId = parseId(parameters.agentId, "agentId");
  const systemId = parseId(parameters.systemId, "systemId");
  const policyHash = parameters.policyHash === undefined ? ZeroHash : parseBytes32(parameters.policyHash, "policyHash");
  const mined = await sendTransaction(
    client,
    "AgentRegistry.bind",
    (signer, overrides) => client.agents.connect(signer).bind(agentId, systemId, policyHash, overrides),
    parameters,
  );
  const bound = eventOf(mined.receipt, client.agents, "AgentBound");
  return {
    agentId: bound.agentId,
    bindingId: bound.bindingId,
    systemId: bound.systemId,
    modelVersionId: bound.modelVersionId,
    policyHash: bound.policyHash,
    hash: mined.hash,
    blockNumber: mined.blockNumber,
  };
}
