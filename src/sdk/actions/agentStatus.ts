import type { PedigreeClient } from "../client.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { parseBytes32 } from "../../core/hex.ts";
import { parseId, type IdInput } from "../../core/ids.ts";
import { readView } from "../internal/transactions.ts";
import { toText } from "../internal/validate.ts";

export interface AgentStatusParameters {
  agentId: IdInput;
  /** The environment `live` and `deploymentId` refer to. */
  environment: string;
}

/** Everything to check about an agent before trusting what it does, from one view call. */
export interface AgentStatus {
  exists: boolean;
  owner: string;
  /** The binding in force (0 = never bound). */
  bindingId: bigint;
  systemId: bigint;
  modelId: bigint;
  modelVersionId: bigint;
  /** The policy the agent acts under. */
  policyHash: string;
  /** The bound system version passed its release gate. */
  systemApproved: boolean;
  /** ... and its approvals, and its model version's, still hold. */
  releasable: boolean;
  /** The live deployment of its model in the environment runs the bound system version. */
  live: boolean;
  deploymentId: bigint;
  /** Live although no longer releasable: roll back, or rebind the agent. */
  liveButNotReleasable: boolean;
}

/**
 * The agent's status in an environment (AgentRegistry.agentStatus): what it is bound to and whether that may act.
 *
 * @example
 * const status = await agentStatus(client, { agentId: 1n, environment: "assistant" });
 * if (!status.releasable || !status.live) throw new Error("do not act: the agent's system version is not cleared");
 */
export async function agentStatus(client: PedigreeClient, parameters: AgentStatusParameters): Promise<AgentStatus> {
  const agentId = parseId(parameters.agentId, "agentId");
  const environment = toText(parameters.environment, "environment");
  const status = await readView(client, "AgentRegistry.agentStatus", () => client.agents.agentStatus(agentId, environment));
  return {
    exists: status.exists,
    owner: status.owner,
    bindingId: status.bindingId,
    systemId: status.systemId,
    modelId: status.modelId,
    modelVersionId: status.modelVersionId,
    policyHash: status.policyHash,
    systemApproved: status.systemApproved,
    releasable: status.releasable,
    live: status.live,
    deploymentId: status.deploymentId,
    liveButNotReleasable: status.liveButNotReleasable,
  };
}

export interface VerifyActionParameters {
  agentId: IdInput;
  /** The batch's Merkle root. */
  root: string;
  /** The record's hash (`actionRecordHash`, src/core/actions.ts). */
  recordHash: string;
  proof: readonly string[];
}

/** What the registry says about an action record. */
export interface VerifiedAction {
  /** The record is in the batch. */
  included: boolean;
  /** The binding in force when the batch was anchored, and what it bound. */
  bindingId: bigint;
  systemId: bigint;
  modelVersionId: bigint;
  policyHash: string;
  /** The batch: how many records, and the time window they span (unix seconds). */
  count: bigint;
  windowStart: bigint;
  windowEnd: bigint;
}

/**
 * Checks on chain that an action record is in a batch the agent anchored, and returns the binding in force then; a
 * batch the agent never anchored is refused by the registry (`UnknownActionBatch`).
 *
 * @example
 * const proof = parseActionProof(JSON.parse(text));  // src/core/actions.ts
 * const { included, systemId, policyHash } = await verifyAction(client, proof);
 */
export async function verifyAction(client: PedigreeClient, parameters: VerifyActionParameters): Promise<VerifiedAction> {
  const agentId = parseId(parameters.agentId, "agentId");
  const root = parseBytes32(parameters.root, "root", { nonZero: true });
  const recordHash = parseBytes32(parameters.recordHash, "recordHash");
  if (!Array.isArray(parameters.proof)) throw new InvalidInputError("proof", "proof must be an array of 32-byte hashes");
  const proof = parameters.proof.map((node, index) => parseBytes32(node, `proof[${index}]`));
  const [included, systemId, modelVersionId, policyHash] = await readView(client, "AgentRegistry.verifyAction", () =>
    client.agents.verifyAction(agentId, root, recordHash, proof),
  );
  const batch = await readView(client, "AgentRegistry.actionBatch", () => client.agents.actionBatch(agentId, root));
  return {
    included,
    bindingId: batch.bindingId,
    systemId,
    modelVersionId,
    policyHash,
    count: batch.count,
    windowStart: batch.windowStart,
    windowEnd: batch.windowEnd,
  };
}
