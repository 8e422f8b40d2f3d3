/**
 * Test fixture: a second agent acting on the demo scenario's chain (besides the scenario's support agent, act 9),
 * played straight through the contracts (TypeChain): the ML team registers it (moving its card from a draft), lets a
 * wallet act for it and binds it to the prompt update under a policy of its own; the wallet anchors a batch of action
 * records; the agent is rebound to the assistant's first system version (live again since the scenario's rollback),
 * under that version's own policy, and a second batch is anchored through an EIP-712 signature relayed by the relayer;
 * an evaluator validates the agent twice and revokes one validation; a second wallet is let act and stopped again; the
 * agent changes hands, ending its wallet.
 */
import { id as keccakText, type ContractTransactionResponse } from "ethers";
import { actionBatch, type ActionBatch, type ActionRecord } from "../../src/core/actions.ts";
import type { IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { AgentRegistry__factory, AttestationRegistry__factory } from "../../types/index.ts";
import { ANCHOR_ACTIONS_TYPES, agentsDomain } from "../../src/sdk/signedActionBatch.ts";
import { Kind, Subject, attestation } from "./protocol.ts";

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

/** `count` action records of the agent, one a minute from `start`. */
function recordsOf(prefix: string, count: number, start: number): ActionRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    actionId: `${prefix}-${i}`,
    intentHash: keccakText(`${prefix} intent ${i}`),
    reference: `ticket-${prefix}-${i}`,
    policyCheck: i % 5 === 4 ? ("failed" as const) : ("passed" as const),
    timestamp: start + 60 * i,
  }));
}

async function mined(tx: Promise<ContractTransactionResponse>) {
  return (await (await tx).wait())!;
}

/** Plays the act on the scenario's chain and waits until the indexer has indexed it. */
export async function playAgentAct(fixture: IndexedScenario): Promise<AgentAct> {
  const { cast, deployment, result } = fixture;
  const { mlTeam: owner, curator: wallet, bob: unsetWallet, relayer, alice: newOwner, evaluator } = cast;
  const agents = (signer: typeof owner) => AgentRegistry__factory.connect(deployment.addresses.agents, signer);
  const agentURI = "ipfs://bafyagentcard-support";
  const agentId = await agents(owner).register.staticCall("ipfs://bafyagentcard-draft");
  await mined(agents(owner).register("ipfs://bafyagentcard-draft"));
  await mined(agents(owner).setAgentURI(agentId, agentURI));
  await mined(agents(owner).setOperatorWallet(agentId, wallet.address, true));

  const policyHash = keccakText("support agent policy: refunds up to 100 EUR, escalate the rest");
  const first = await agents(owner).bind.staticCall(agentId, result.systems.promptUpdate, policyHash);
  await mined(agents(owner).bind(agentId, result.systems.promptUpdate, policyHash));
  const start = Number((await fixture.chain.connection.ethers.provider.getBlock("latest"))!.timestamp);
  const byWallet = actionBatch(recordsOf("refund", 10, start - 3600));
  await mined(agents(wallet).anchorActions(agentId, byWallet.root, byWallet.count, byWallet.windowStart, byWallet.windowEnd, "s3://acme/agents/support/batch-1.jsonl"));

  const second = await agents(owner).bind.staticCall(agentId, result.systems.assistant, `0x${"0".repeat(64)}`);
  await mined(agents(owner).bind(agentId, result.systems.assistant, `0x${"0".repeat(64)}`));
  const bySignature = actionBatch(recordsOf("escalation", 4, start));
  const request = { agentId, count: BigInt(bySignature.count), windowStart: BigInt(bySignature.windowStart), windowEnd: BigInt(bySignature.windowEnd), root: bySignature.root, uri: "s3://acme/agents/support/batch-2.jsonl" };
  const nonce = await agents(owner).nonces(wallet.address);
  const deadline = BigInt(start + 86_400);
  const { chainId } = await fixture.chain.connection.ethers.provider.getNetwork();
  const signature = await wallet.signTypedData(agentsDomain(chainId, deployment.addresses.agents), ANCHOR_ACTIONS_TYPES, { ...request, signer: wallet.address, nonce, deadline });
  await mined(agents(relayer).anchorActionsBySig(request, wallet.address, nonce, deadline, signature));

  const attestations = AttestationRegistry__factory.connect(deployment.addresses.attestations, evaluator);
  const validation = (uri: string) => attestation(Subject.Agent, agentId, Kind.SafetyEvaluation, { evidenceURI: uri });
  const kept = await attestations.attest.staticCall(validation("ipfs://bafyagentconformance-1"));
  await mined(attestations.attest(validation("ipfs://bafyagentconformance-1")));
  const revoked = await attestations.attest.staticCall(validation("ipfs://bafyagentconformance-2"));
  await mined(attestations.attest(validation("ipfs://bafyagentconformance-2")));
  const revocationReason = "refunds above the policy limit";
  await mined(attestations.revoke(revoked, revocationReason));

  await mined(agents(owner).setOperatorWallet(agentId, unsetWallet.address, true));
  await mined(agents(owner).setOperatorWallet(agentId, unsetWallet.address, false));
  await mined(agents(owner).transferFrom(owner.address, newOwner.address, agentId));
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
    bindings: { first, second },
    batches: { byWallet, bySignature },
    validations: { kept, revoked },
    revocationReason,
  };
}
