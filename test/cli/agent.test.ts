/**
 * Agents through the real `pedigree` command (child processes) against one local chain: register, move the card, let
 * a wallet act, bind to a releasable system version, anchor a batch as the wallet and relay one it signed, prove a
 * record and check it on chain with `audit action`, check the agent's status; then the attacks — the wrong account for
 * every state change, a replayed signature, an edited record, a record proven against another agent, a batch file
 * that does not rebuild — each one line, nothing sent.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { id } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveSystemVersion,
  approveVersion,
  attest,
  createPedigreeClient,
  deploySystem,
  publishModelVersion,
  publishSystemVersion,
  registerModel,
} from "../../src/sdk/index.ts";
import { actionRecords } from "../../src/dev/scenario.ts";
import { failureShape, startCliChain, type CliChain } from "./cli-chain.ts";

type Json = Record<string, any>;


describe("pedigree agent …, audit action", () => {
  let t: CliChain;
  let systemId: bigint;
  let modelVersionId: bigint;
  let file: (name: string) => string;

  beforeAll(async () => {
    t = await startCliChain();
    file = (name) => join(t.dir, name);
    const [, , , mlTeamSigner, , approverSigner] = t.chain.signers;
    const mlTeam = createPedigreeClient({ runner: mlTeamSigner!, addresses: t.deployment.addresses });
    const approver = mlTeam.connect(approverSigner!);
    const { modelId } = await registerModel(mlTeam, { commercial: false, uri: "ipfs://card" });
    const version = await publishModelVersion(mlTeam, { modelId, version: { weightsHash: id("weights"), uri: "s3://w" }, trainingRun: { data: [], region: "DE", startedAt: 1n, endedAt: 2n } });
    modelVersionId = version.versionId;
    const approval = await attest(approver, { subjectType: "model-version", subjectId: modelVersionId, kind: "release-approval" });
    await approveVersion(mlTeam, { versionId: modelVersionId, attestationIds: [approval.attestationId] });
    const system = await publishSystemVersion(mlTeam, { modelVersionId, config: { promptHash: id("prompt"), policyHash: id("system policy") }, uri: "ipfs://sys" });
    systemId = system.systemId;
    const systemApproval = await attest(approver, { subjectType: "system-version", subjectId: systemId, kind: "release-approval" });
    await approveSystemVersion(mlTeam, { systemId, attestationIds: [systemApproval.attestationId] });
    await deploySystem(mlTeam, { systemId, environment: "support", regions: "EU" });
    const now = Number((await t.chain.connection.ethers.provider.getBlock("latest"))!.timestamp);
    await writeFile(file("actions-1.json"), JSON.stringify(actionRecords("refund", 5, now - 3600)));
    await writeFile(file("actions-2.json"), JSON.stringify(actionRecords("escalation", 3, now)));
    await writeFile(file("policy.yaml"), "refunds: up to 100 EUR\n");
  });

  afterAll(async () => {
    await t?.close();
  });

  async function ok(args: string[], as?: "mlTeam" | "curator" | "relayer" | "stranger"): Promise<Json> {
    const result = await t.cli([...args, "--json"], { as });
    expect(result.code, result.stderr).toBe(0);
    return result.json<Json>();
  }

  it("registers an agent, moves its card, lets a wallet act and binds it under a policy file", async () => {
    expect(await ok(["agent", "register", "--uri", "ipfs://agent-draft"], "mlTeam")).toMatchObject({ agentId: "1", owner: t.accounts.mlTeam.address });
    await ok(["agent", "uri", "1", "ipfs://agent-card"], "mlTeam");
    await ok(["agent", "wallet", "1", t.accounts.curator.address], "mlTeam");
    const bound = await ok(["agent", "bind", "1", "--system", systemId.toString(), "--policy", file("policy.yaml")], "mlTeam");
    expect(bound).toMatchObject({ agentId: "1", bindingId: "1", systemId: systemId.toString(), modelVersionId: modelVersionId.toString() });
    const status = await ok(["agent", "status", "1", "--env", "support", "--check", "releasable", "live"]);
    expect(status).toMatchObject({ exists: true, bindingId: "1", policyHash: bound.policyHash, releasable: true, live: true, ok: true });
    const elsewhere = await t.cli(["agent", "status", "1", "--env", "production", "--check", "live"]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr.trim()).toBe(`pedigree: agent 1's system version is not live in "production"`);
  });

  it("anchors a batch as the wallet, signs one for a relayer, proves a record and checks it on chain", async () => {
    const anchored = await ok(["agent", "anchor", "1", "--actions", file("actions-1.json"), "--uri", "s3://agent/1", "--out", file("batch-1.json")], "curator");
    expect(anchored).toMatchObject({ agentId: "1", bindingId: "1", count: 5, signer: t.accounts.curator.address, submitter: t.accounts.curator.address });
    const signed = await ok(["agent", "sign", "1", "--actions", file("actions-2.json"), "--out", file("signed-2.json"), "--batch-out", file("batch-2.json")], "curator");
    expect(signed).toMatchObject({ format: "pedigree-signed-actions/v1", signer: t.accounts.curator.address, nonce: "0" });
    const relayed = await ok(["agent", "relay", file("signed-2.json")], "relayer");
    expect(relayed).toMatchObject({ count: "3", signer: t.accounts.curator.address, submitter: t.accounts.relayer.address });

    await ok(["agent", "prove", file("batch-1.json"), "--action", "refund-3", "--out", file("refund-3.json")]);
    const audited = await ok(["audit", "action", file("refund-3.json")]);
    expect(audited).toMatchObject({
      agentId: "1",
      owner: t.accounts.mlTeam.address,
      agentURI: "ipfs://agent-card",
      included: true,
      bindingId: "1",
      systemId: systemId.toString(),
      modelVersionId: modelVersionId.toString(),
      count: "5",
      record: { actionId: "refund-3", policyCheck: "passed" },
    });
    const text = await t.cli(["audit", "action", file("refund-3.json")]);
    expect(text.stdout).toContain('action "refund-3" verified on chain: agent 1 anchored it');
    expect(text.stdout).toMatch(new RegExp(`system version\\s+${systemId}`));
  });

  it("refuses every state change from the wrong account, in one line, sending nothing", async () => {
    const block = await t.chain.connection.ethers.provider.getBlockNumber();
    const stranger = t.accounts.stranger.address;
    const cases: [string[], string][] = [
      [["agent", "uri", "1", "ipfs://mine"], `NotAgentManager: ${stranger} neither owns agent 1 nor operates all its owner's tokens.`],
      [["agent", "wallet", "1", stranger], `NotAgentManager: ${stranger} neither owns agent 1`],
      [["agent", "bind", "1", "--system", systemId.toString(), "--policy", id("other")], `NotAgentManager: ${stranger} neither owns agent 1`],
      [["agent", "anchor", "1", "--actions", file("actions-1.json"), "--out", file("stranger-batch.json")], `NotOperatorWallet: ${stranger} is not an operator wallet of agent 1.`],
    ];
    for (const [args, message] of cases) {
      const result = await t.cli(args, { as: "stranger" });
      expect(failureShape(result), args.join(" ")).toEqual({ code: 1, lines: 1, stackTrace: false });
      expect(result.stderr).toContain(`pedigree: ${message}`);
    }
    expect(await t.chain.connection.ethers.provider.getBlockNumber()).toBe(block);
  });

  it("refuses a replayed signature, an edited record, a record of another agent and a batch that does not rebuild", async () => {
    const replay = await t.cli(["agent", "relay", file("signed-2.json")], { as: "relayer" });
    expect(failureShape(replay)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(replay.stderr).toMatch(/^pedigree: InvalidAccountNonce: .*already relayed or superseded/);

    const proof = JSON.parse(await readFile(file("refund-3.json"), "utf8"));
    await writeFile(file("edited.json"), JSON.stringify({ ...proof, record: { ...proof.record, reference: "ticket-999" } }));
    const edited = await t.cli(["audit", "action", file("edited.json")]);
    expect(failureShape(edited)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(edited.stderr).toMatch(/^pedigree: the record hashes to 0x[0-9a-f]{64}, not the stated 0x[0-9a-f]{64}; the record was edited/);

    await writeFile(file("unstated.json"), JSON.stringify({ ...proof, recordHash: undefined, record: { ...proof.record, reference: "ticket-999" } }));
    const unstated = await t.cli(["audit", "action", file("unstated.json")]);
    expect(unstated.code).toBe(1);
    expect(unstated.stderr.trim()).toBe('pedigree: action "refund-3" is NOT in batch ' + proof.root + " of agent 1: its proof does not verify");

    await ok(["agent", "register"], "mlTeam");
    await writeFile(file("other-agent.json"), JSON.stringify({ ...proof, agentId: "2" }));
    const other = await t.cli(["audit", "action", file("other-agent.json")]);
    expect(failureShape(other)).toEqual({ code: 1, lines: 1, stackTrace: false });
    expect(other.stderr).toContain(`pedigree: UnknownActionBatch: agent 2 anchored no batch with root ${proof.root}.`);

    const batch = JSON.parse(await readFile(file("batch-1.json"), "utf8"));
    batch.records[0].timestamp += 1;
    await writeFile(file("tampered-batch.json"), JSON.stringify(batch));
    const tampered = await t.cli(["agent", "prove", file("tampered-batch.json"), "--action", "refund-1", "--out", file("x.json")]);
    expect(failureShape(tampered)).toEqual({ code: 2, lines: 1, stackTrace: false });
    expect(tampered.stderr).toMatch(/the records rebuild to root 0x[0-9a-f]{64}, not the recorded 0x[0-9a-f]{64}/);
  });

  it("refuses bad input with exit 2 before anything is sent", async () => {
    const block = await t.chain.connection.ethers.provider.getBlockNumber();
    await writeFile(file("bad-actions.json"), JSON.stringify([{ actionId: "a", intentHash: id("i"), reference: "", policyCheck: "ok", timestamp: 1 }]));
    const cases: [string[], RegExp][] = [
      [["agent", "bind", "1"], /^pedigree: --system \(the system version the agent runs\) must not be empty$/],
      [["agent", "wallet", "1", "0x1234"], /address/],
      [["agent", "anchor", "1", "--actions", file("bad-actions.json"), "--out", file("b.json")], /records\[0\]\.policyCheck must be one of skipped, passed, failed, got "ok"/],
      [["agent", "anchor", "1", "--actions", file("actions-1.json")], /^pedigree: name the file to write the batch to with --out <file>$/],
      [["agent", "anchor", "1", "--actions", file("actions-1.json"), "--out", file("batch-1.json")], /batch-1\.json.*exists/],
      [["agent", "prove", file("batch-1.json"), "--action", "nope", "--out", file("n.json")], /action "nope" is not in this batch/],
      [["audit", "action", file("batch-1.json")], /not an action proof file: expected "format": "pedigree-action-proof-v1"/],
    ];
    for (const [args, message] of cases) {
      const result = await t.cli(args, { as: "mlTeam" });
      expect(failureShape(result), args.join(" ")).toEqual({ code: 2, lines: 1, stackTrace: false });
      expect(result.stderr.trim(), args.join(" ")).toMatch(message);
    }
    expect(await t.chain.connection.ethers.provider.getBlockNumber()).toBe(block);
  });
});
