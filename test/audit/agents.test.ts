/**
 * Agents on the demo scenario's chain (real local chain, embedded indexer): a support agent bound to the assistant
 * system version anchors its actions, is rebound to the prompt update and anchors more through a relayed signature,
 * is validated (one validation revoked) and changes hands. The subgraph records every binding, batch, wallet and
 * validation; the read model answers which agent acted under which policy on which version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id as keccakText } from "ethers";
import { agentOf, agentsActingOn, createAuditClient, InvalidInputError, NotInSubgraphError, type AuditClient } from "../../src/audit/index.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { playAgentAct, type AgentAct } from "../helpers/agent-act.ts";

let fixture: IndexedScenario;
let act: AgentAct;
let client: AuditClient;
const id = (value: bigint) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  act = await playAgentAct(fixture);
  client = createAuditClient({ url: fixture.url });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

/** A raw GraphQL answer of the subgraph. */
async function graphql(query: string): Promise<any> {
  const response = await fetch(fixture.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe("the subgraph's agents", () => {
  it("records the agent, its wallets, its bindings as a history, its batches and its validations", async () => {
    const { agent } = await graphql(`{
      agent(id: "${act.agentId}") {
        creator { id } owner { id } agentURI bindingCount actionBatchCount currentBinding { id }
        wallets { wallet { id } active endedBy setBy { id } }
        bindings(orderBy: bindingId) { id systemVersion { id } modelVersion { id } policyHash previous { id } replacedBy { id } by { id } }
        actionBatches(orderBy: blockNumber) { root count binding { id } systemVersion { id } signer { id } submitter { id } viaSignature uri }
        attestations(orderBy: attestationId) { id subjectType subjectId revoked revocationReason }
        history(orderBy: id) { action }
      }
    }`);
    expect(agent).toMatchObject({ creator: { id: act.owner }, owner: { id: act.newOwner }, agentURI: act.agentURI, bindingCount: 2, actionBatchCount: 2 });
    expect(agent.currentBinding.id).toBe(id(act.bindings.second));
    // The transfer ended the wallet the previous owner set; the other one had been unset before.
    const byAddress = (a: any, b: any) => (a.wallet.id < b.wallet.id ? -1 : 1);
    expect([...agent.wallets].sort(byAddress)).toEqual(
      [
        { wallet: { id: act.wallet }, active: false, endedBy: "transfer", setBy: { id: act.owner } },
        { wallet: { id: act.unsetWallet }, active: false, endedBy: "unset", setBy: { id: act.owner } },
      ].sort(byAddress),
    );
    const [first, second] = agent.bindings;
    expect(first).toMatchObject({ id: id(act.bindings.first), systemVersion: { id: id(fixture.result.systems.promptUpdate) }, policyHash: act.policyHash, previous: null, replacedBy: { id: id(act.bindings.second) } });
    expect(second).toMatchObject({ systemVersion: { id: id(fixture.result.systems.assistant) }, previous: { id: id(act.bindings.first) }, replacedBy: null });
    // Bound with no policy of its own, the agent acts under the system version's.
    expect(second.policyHash).toBe(keccakText("guardrails: no diagnosis, escalate to a clinician"));
    expect(agent.actionBatches).toEqual([
      { root: act.batches.byWallet.root, count: "10", binding: { id: id(act.bindings.first) }, systemVersion: { id: id(fixture.result.systems.promptUpdate) }, signer: { id: act.wallet }, submitter: { id: act.wallet }, viaSignature: false, uri: "s3://acme/agents/support/batch-1.jsonl" },
      { root: act.batches.bySignature.root, count: "4", binding: { id: id(act.bindings.second) }, systemVersion: { id: id(fixture.result.systems.assistant) }, signer: { id: act.wallet }, submitter: { id: act.relayer }, viaSignature: true, uri: "s3://acme/agents/support/batch-2.jsonl" },
    ]);
    expect(agent.attestations.map((a: any) => [a.id, a.subjectType, a.subjectId, a.revoked])).toEqual([
      [id(act.validations.kept), "Agent", id(act.agentId), false],
      [id(act.validations.revoked), "Agent", id(act.agentId), true],
    ]);
    const actions = agent.history.map((h: any) => h.action);
    for (const action of ["AgentRegistered", "AgentURIUpdated", "OperatorWalletSet", "AgentBound", "ActionsAnchored", "Attested", "AttestationRevoked", "AgentTransferred", "OperatorWalletsCleared"]) {
      expect(actions).toContain(action);
    }
  });

  it("links system and model versions back to the agents bound to them and the batches made on them", async () => {
    const data = await graphql(`{
      assistant: systemVersion(id: "${fixture.result.systems.assistant}") { agentBindings { id } actionBatches { root } }
      update: systemVersion(id: "${fixture.result.systems.promptUpdate}") { agentBindings { id } actionBatches { root } policyHash }
      modelVersion(id: "${fixture.result.modelVersions.triageV1}") { agentBindings(orderBy: bindingId) { id } actionBatches { root } }
    }`);
    // Each holds the bindings and batches of the scenario's support agent (act 9) and of this file's agent.
    const support = fixture.result.agent;
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();
    const roots = (rows: { root: string }[]) => rows.map((row) => row.root).sort();
    expect(ids(data.update.agentBindings)).toEqual([id(support.bindings.beforeRollback), id(act.bindings.first)].sort());
    expect(roots(data.update.actionBatches)).toEqual([support.batches.beforeRollback.root, act.batches.byWallet.root].sort());
    expect(ids(data.assistant.agentBindings)).toEqual([id(support.bindings.afterRollback), id(act.bindings.second)].sort());
    expect(roots(data.assistant.actionBatches)).toEqual([support.batches.afterRollback.root, act.batches.bySignature.root].sort());
    expect(data.modelVersion.agentBindings).toEqual(
      [support.bindings.beforeRollback, support.bindings.afterRollback, act.bindings.first, act.bindings.second].map((binding) => ({ id: id(binding) })),
    );
    expect(data.modelVersion.actionBatches).toHaveLength(4);
  });
});

describe("agentOf", () => {
  it("answers who owns the agent, what it is bound to now, whether that may act, and every binding from/to", async () => {
    const answer = await agentOf(client, act.agentId);
    expect(answer.agent).toMatchObject({ id: id(act.agentId), creator: act.owner, owner: act.newOwner, agentURI: act.agentURI });
    expect(answer.current).toMatchObject({
      binding: { id: id(act.bindings.second), systemId: id(fixture.result.systems.assistant), systemPolicy: true, inForce: true, replaced: null },
      system: { id: id(fixture.result.systems.assistant) },
      modelVersion: { id: id(fixture.result.modelVersions.triageV1) },
      systemApproved: true,
      releasable: { releasable: true, reasons: [] },
      liveIn: [{ environment: "assistant", deploymentId: id(fixture.result.deployments.assistantV1) }],
    });
    const [first, second] = answer.bindings;
    expect(first).toMatchObject({ id: id(act.bindings.first), policyHash: act.policyHash, systemPolicy: false, inForce: false, by: act.owner });
    expect(first!.replaced).toMatchObject({ bindingId: id(act.bindings.second), blockNumber: second!.bound.blockNumber });
    expect(answer.wallets.map((w) => [w.wallet, w.active, w.endedBy]).sort()).toEqual(
      [
        [act.wallet, false, "transfer"],
        [act.unsetWallet, false, "unset"],
      ].sort(),
    );
  });

  it("ties each batch to the binding in force when it was anchored, and names the relayer of a signed one", async () => {
    const { actionBatches } = await agentOf(client, act.agentId);
    expect(actionBatches.map((b) => [b.root, b.count, b.bindingId, b.systemId, b.signer, b.relayedBy])).toEqual([
      [act.batches.byWallet.root, 10, id(act.bindings.first), id(fixture.result.systems.promptUpdate), act.wallet, null],
      [act.batches.bySignature.root, 4, id(act.bindings.second), id(fixture.result.systems.assistant), act.wallet, act.relayer],
    ]);
    expect([actionBatches[0]!.windowStart, actionBatches[0]!.windowEnd]).toEqual([act.batches.byWallet.windowStart, act.batches.byWallet.windowEnd]);
    expect(actionBatches[1]!.policyHash).toBe(keccakText("guardrails: no diagnosis, escalate to a clinician"));
  });

  it("reports validations with the revoked one, and the timeline in chain order", async () => {
    const { validations, timeline } = await agentOf(client, act.agentId);
    expect(validations.map((v) => [v.id, v.kindName, v.revocation?.reason ?? null, v.expired])).toEqual([
      [id(act.validations.kept), "safety-evaluation", null, false],
      [id(act.validations.revoked), "safety-evaluation", act.revocationReason, false],
    ]);
    expect(timeline[0]!.action).toBe("AgentRegistered");
    expect(timeline.at(-1)!.action).toBe("OperatorWalletsCleared");
  });

  it("answers as of an earlier block: before the rebinding the first binding was in force", async () => {
    const { actionBatches } = await agentOf(client, act.agentId);
    const then = await agentOf(client.at(actionBatches[0]!.blockNumber), act.agentId);
    expect(then.current?.binding.id).toBe(id(act.bindings.first));
    expect(then.agent.owner).toBe(act.owner);
    expect(then.wallets).toEqual([expect.objectContaining({ wallet: act.wallet, active: true, endedBy: null })]);
    expect(then.actionBatches).toHaveLength(1);
  });

  it("refuses an unknown agent and a malformed id with one-line errors", async () => {
    await expect(agentOf(client, 99n)).rejects.toThrow(NotInSubgraphError);
    await expect(agentOf(client, 99n)).rejects.toThrow(/^agent 99 is not in the subgraph at .*; check the id/);
    await expect(agentOf(client, "x")).rejects.toThrow(InvalidInputError);
  });
});

describe("agentsActingOn", () => {
  it("lists the agents bound to a system version running the model version, with their batches", async () => {
    const { agents } = await agentsActingOn(client, fixture.result.modelVersions.triageV1);
    // The scenario's support agent (act 9), then this file's.
    expect(agents.map((agent) => agent.agentId)).toEqual([id(fixture.result.agent.agentId), id(act.agentId)]);
    const [support, mine] = agents;
    expect(support).toMatchObject({ actionCount: 14, boundNow: true });
    expect(support!.actionBatches.map((b) => b.root)).toEqual([fixture.result.agent.batches.beforeRollback.root, fixture.result.agent.batches.afterRollback.root]);
    expect(mine).toMatchObject({ agentId: id(act.agentId), owner: act.newOwner, agentURI: act.agentURI, actionCount: 14, boundNow: true });
    expect(mine!.bindings.map((b) => b.id)).toEqual([id(act.bindings.first), id(act.bindings.second)]);
    expect(mine!.actionBatches.map((b) => b.root)).toEqual([act.batches.byWallet.root, act.batches.bySignature.root]);
    // No agent ran the fine-tune.
    expect((await agentsActingOn(client, fixture.result.modelVersions.triageV2)).agents).toEqual([]);
  });
});
