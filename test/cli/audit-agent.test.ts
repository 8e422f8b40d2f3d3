/**
 * `pedigree audit agent` as a user runs it: a child process against the demo scenario with an agent acting on it
 * (test/helpers/agent-act.ts), indexed by the embedded indexer on a real local chain.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { AgentRegistry__factory } from "../../types/index.ts";
import { playAgentAct, type AgentAct } from "../helpers/agent-act.ts";

const exec = promisify(execFile);
let fixture: IndexedScenario;
let act: AgentAct;

beforeAll(async () => {
  fixture = await indexedScenario();
  act = await playAgentAct(fixture);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

/** Runs the CLI; resolves with exit code, stdout and stderr (never rejects). */
async function pedigree(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["bin/pedigree.mjs", ...args], { env: { ...process.env, PEDIGREE_SUBGRAPH_URL: fixture.url } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("pedigree audit agent", () => {
  it("answers as JSON: the binding in force, the bindings over time, the batches and the validations", async () => {
    const { code, stdout } = await pedigree("audit", "agent", String(act.agentId), "--json");
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.agent.owner).toBe(act.newOwner);
    expect(answer.current.binding.id).toBe(String(act.bindings.second));
    expect(answer.current.releasable.releasable).toBe(true);
    expect(answer.bindings.map((b: { id: string }) => b.id)).toEqual([String(act.bindings.first), String(act.bindings.second)]);
    expect(answer.actionBatches.map((b: { root: string }) => b.root)).toEqual([act.batches.byWallet.root, act.batches.bySignature.root]);
    expect(answer.validations.map((v: { revocation: unknown }) => v.revocation !== null)).toEqual([false, true]);
  });

  it("answers in text: what it is bound to and whether that may act, each binding from/to, and the revoked validation", async () => {
    const { code, stdout } = await pedigree("audit", "agent", String(act.agentId));
    expect(code).toBe(0);
    expect(stdout).toContain(`agent ${act.agentId} as of block`);
    expect(stdout).toContain(`bound to system version ${fixture.result.systems.assistant} (model ${fixture.result.models.triage}, model version ${fixture.result.modelVersions.triageV1})`);
    expect(stdout).toContain(`approved, releasable, live in "assistant" (deployment ${fixture.result.deployments.assistantV1})`);
    expect(stdout).toMatch(new RegExp(`    ${act.bindings.first}: system version ${fixture.result.systems.promptUpdate} .* to block \\d+ \\(replaced by ${act.bindings.second}\\)`));
    expect(stdout).toContain(`wallet ${act.wallet}: ended (transfer)`);
    expect(stdout).toContain(`wallet ${act.unsetWallet}: ended (unset)`);
    expect(stdout).toContain(`relayed by ${act.relayer}`);
    expect(stdout).toContain(`attestation ${act.validations.revoked} (safety-evaluation) by`);
    expect(stdout).toContain(`REVOKED by`);
  });

  it("gives the agent's provenance log through audit history", async () => {
    const { code, stdout } = await pedigree("audit", "history", "agent", String(act.agentId), "--json");
    expect(code).toBe(0);
    const actions = JSON.parse(stdout).events.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      "AgentRegistered",
      "AgentURIUpdated",
      "OperatorWalletSet",
      "AgentBound",
      "ActionsAnchored",
      "AgentBound",
      "ActionsAnchored",
      "Attested",
      "Attested",
      "AttestationRevoked",
      "OperatorWalletSet",
      "OperatorWalletSet",
      "AgentTransferred",
      "OperatorWalletsCleared",
    ]);
  });

  it("escapes a hostile agent card URI on the terminal and keeps it verbatim in JSON", async () => {
    const hostile = "ipfs://card\u001b[2J\u001b]0;pwned\u0007\nagent 1 bound to nothing";
    const agents = AgentRegistry__factory.connect(fixture.deployment.addresses.agents, fixture.cast.mallory);
    const agentId = await agents.register.staticCall(hostile);
    const receipt = await (await agents.register(hostile)).wait();
    await fixture.indexer.waitForBlock(receipt!.blockNumber);
    const human = await pedigree("audit", "agent", String(agentId));
    expect(human.code).toBe(0);
    expect(human.stdout).not.toContain("\u001b");
    expect(human.stdout).toContain("card ipfs://card\\u001b[2J\\u001b]0;pwned\\u0007\\u000aagent 1 bound to nothing");
    expect(human.stdout).toContain("  never bound to a system version");
    const json = await pedigree("audit", "agent", String(agentId), "--json");
    expect(JSON.parse(json.stdout).agent.agentURI).toBe(hostile);
  });

  it("answers as of an earlier block, and refuses an unknown agent or a bad id in one line", async () => {
    const now = JSON.parse((await pedigree("audit", "agent", String(act.agentId), "--json")).stdout);
    const then = await pedigree("audit", "agent", String(act.agentId), "--block", String(now.actionBatches[0].blockNumber), "--json");
    expect(JSON.parse(then.stdout).current.binding.id).toBe(String(act.bindings.first));
    const unknown = await pedigree("audit", "agent", "99");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain("agent 99 is not in the subgraph");
    const bad = await pedigree("audit", "agent", "nope");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/agentId/);
  });
});
