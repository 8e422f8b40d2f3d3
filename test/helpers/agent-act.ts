/**
 * Test fixture: a second agent acting on the demo scenario's chain (besides the scenario's support agent, act 9),
 * played through the SDK: the ML team registers it (moving its card from a draft), lets a
 * wallet act for it and binds it to the prompt update under a policy of its own; the wallet anchors a batch of action
 * records; the agent is rebound to the assistant's first system version (live again since the scenario's rollback),
 * under that version's own policy, and a second batch is anchored through an EIP-712 signature relayed by the relayer;
 * an evaluator validates the agent twice and revokes one validation; a second wallet is let act and stopped again; the
 * agent changes hands, ending its wallet.
 */
import { id as keccakText } from "ethers";
import { actionBatch, type ActionBatch } from "../../src/core/actions.ts";
import type { IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { actionRecords } from "../../src/dev/scenario.ts";
import {
  anchorActions,
  attest,
  bindAgent,
  createPedigreeClient,
  registerAgent,
  relayActionBatch,
  revokeAttestation,
  setAgentURI,
  setOperatorWallet,
  signActionBatch,
} from "../../src/sdk/index.ts";

/** What the act did, to check the audit's answers against. */
export interface AgentAct {
  agentId: bigint;
  owner: string;
  newOwner: string;
  wallet: string;
  /** A wallet set and unset again before the transfer. */
  unsetWallet: string;
  relayer: string;
  agentURI: string;
  /** The policy of the first binding (the second one takes the system version's own). */
  policyHash: string;
  bindings: { first: bigint; second: bigint };
  batches: { byWallet: ActionBatch; bySignature: ActionBatch };
  validations: { kept: bigint; revoked: bigint };
  revocationReason: string;
}

/** Plays the act on the scenario's chain through the SDK, and waits until the indexer has indexed it. */
export async function playAgentAct(fixture: IndexedScenario): Promise<AgentAct> {
  const { cast, deployment, result } = fixture;
  const { mlTeam: owner, curator: wallet, bob: unsetWallet, relayer, alice: newOwner, evaluator } = cast;
  const as = (signer: typeof owner) => createPedigreeClient({ runner: signer, addresses: deployment.addresses });
  const team = as(owner);
  const agentURI = "ipfs://bafyagentcard-support";
  const { agentId } = await registerAgent(team, { agentURI: "ipfs://bafyagentcard-draft" });
  await setAgentURI(team, { agentId, agentURI });
  await setOperatorWallet(team, { agentId, wallet: wallet.address, allowed: true });

  const policyHash = keccakText("support agent policy: refunds up to 100 EUR, escalate the rest");
  const first = await bindAgent(team, { agentId, systemId: result.systems.promptUpdate, policyHash });
  const start = (await fixture.chain.connection.ethers.provider.getBlock("latest"))!.timestamp;
  const byWallet = actionBatch(actionRecords("refund", 10, start - 3600));
  await anchorActions(as(wallet), { agentId, batch: byWallet, uri: "s3://acme/agents/support/batch-1.jsonl" });

  const second = await bindAgent(team, { agentId, systemId: result.systems.assistant });
  const bySignature = actionBatch(actionRecords("escalation", 4, start));
  const signed = await signActionBatch(as(wallet), { agentId, batch: bySignature, uri: "s3://acme/agents/support/batch-2.jsonl" });
  await relayActionBatch(as(relayer), signed);

  const validate = (uri: string) => attest(as(evaluator), { subjectType: "agent", subjectId: agentId, kind: "safety-evaluation", evidenceURI: uri });
  const kept = (await validate("ipfs://bafyagentconformance-1")).attestationId;
  const revoked = (await validate("ipfs://bafyagentconformance-2")).attestationId;
  const revocationReason = "refunds above the policy limit";
  await revokeAttestation(as(evaluator), { attestationId: revoked, reason: revocationReason });

  await setOperatorWallet(team, { agentId, wallet: unsetWallet.address, allowed: true });
  await setOperatorWallet(team, { agentId, wallet: unsetWallet.address, allowed: false });
  await (await team.agents.connect(owner).transferFrom(owner.address, newOwner.address, agentId)).wait();
  await fixture.indexer.waitForBlock(await fixture.chain.connection.ethers.provider.getBlockNumber());
  const lower = (address: string) => address.toLowerCase();
  return {
    agentId,
    owner: lower(owner.address),
    newOwner: lower(newOwner.address),
    wallet: lower(wallet.address),
    unsetWallet: lower(unsetWallet.address),
    relayer: lower(relayer.address),
    agentURI,
    policyHash,
    bindings: { first: first.bindingId, second: second.bindingId },
    batches: { byWallet, bySignature },
    validations: { kept, revoked },
    revocationReason,
  };
}
