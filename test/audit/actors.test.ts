/**
 * Who-did-what audits on the demo scenario (real local chain, embedded indexer): attestations, approvals, deployments
 * and rollbacks of a version, the provenance log of any subject, and the royalties each creator earned.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroHash, getAddress, parseEther } from "ethers";
import type { ScenarioResult } from "../../src/dev/scenario.ts";
import {
  blockTime,
  combinedHistory,
  createAuditClient,
  environmentsOf,
  history,
  rolesOf,
  royalties,
  whoActedOn,
  type AuditClient,
  type ProvenanceEntry,
} from "../../src/audit/index.ts";
import {
  LicenceRefundsPageDocument,
  RoyaltyBalancesPageDocument,
  RoyaltyCreditsPageDocument,
  RoyaltyWithdrawalsPageDocument,
} from "../../src/audit/generated/graphql.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";

let fixture: IndexedScenario;
let result: ScenarioResult;
let client: AuditClient;
const who: Record<string, string> = {};
const id = (value: bigint) => value.toString();
const TX = /^0x[0-9a-f]{64}$/;

beforeAll(async () => {
  fixture = await indexedScenario();
  result = fixture.result;
  for (const [name, signer] of Object.entries(fixture.cast)) who[name] = signer.address.toLowerCase();
  client = createAuditClient({ url: fixture.url });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

function expectChainOrder(events: ProvenanceEntry[]): void {
  for (let i = 1; i < events.length; i++) {
    const [a, b] = [events[i - 1]!, events[i]!];
    expect(a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex <= b.logIndex)).toBe(true);
    expect(a.timestamp).toBeLessThanOrEqual(b.timestamp);
  }
}

describe("whoActedOn", () => {
  it("lists triage v1's attestations with the relayed signature, the approval, the deployment and the rollback to it", async () => {
    const audit = createAuditClient({ url: fixture.url });
    const answer = await whoActedOn(audit, result.modelVersions.triageV1);
    expect(audit.stats.requests).toBe(1);
    const { attestations: a } = result;
    const own = answer.attestations.filter((x) => x.subject.type !== "SystemVersion");
    expect(own.map((x) => [x.id, x.kindName, x.attester])).toEqual([
      [id(a.licenceCompliance), "licence-compliance", who.auditor],
      [id(a.safetyV1), "safety-evaluation", who.evaluator],
      [id(a.biasV1), "bias-check", who.evaluator],
      [id(a.approvalV1), "release-approval", who.approver],
    ]);
    // The release gates of the two system versions it runs as (the assistant, then its prompt update).
    const gate = (system: bigint) => ["safety-evaluation", "bias-check", "release-approval"].map((kind) => [id(system), kind]);
    expect(answer.attestations.filter((x) => x.subject.type === "SystemVersion").map((x) => [x.subject.id, x.kindName])).toEqual([
      ...gate(result.systems.assistant),
      ...gate(result.systems.promptUpdate),
    ]);
    expect(answer.systems.map((s) => [s.id, s.parentId, s.approved])).toEqual([
      [id(result.systems.assistant), null, true],
      [id(result.systems.promptUpdate), id(result.systems.assistant), true],
    ]);
    const compliance = answer.attestations[0]!;
    expect(compliance.subject).toEqual({ type: "TrainingRun", id: id(result.modelVersions.triageV1) });
    const bias = answer.attestations.find((x) => x.id === id(a.biasV1))!;
    expect(bias).toMatchObject({ viaSignature: true, submitter: who.relayer, relayedBy: who.relayer, revocation: null, expiresAt: null, expired: false });
    expect(answer.attestations.find((x) => x.id === id(a.safetyV1))).toMatchObject({ viaSignature: false, relayedBy: null });

    expect(answer.approval).toMatchObject({ approvedBy: who.mlTeam, attestationIds: [a.safetyV1, a.biasV1, a.approvalV1].map(id) });
    expect(answer.approval!.attestations.map((x) => x.kindName)).toEqual(["safety-evaluation", "bias-check", "release-approval"]);
    expect(answer.approval!.transactionHash).toMatch(TX);

    expect(answer.deployments).toEqual([
      expect.objectContaining({ id: id(result.deployments.triageV1), environment: "production", systemId: null, deployer: who.mlTeam, active: true, previousDeploymentId: null }),
      // The prompt update replaced the first system version, and was rolled back to it (act 9).
      expect.objectContaining({ id: id(result.deployments.assistantV1), environment: "assistant", systemId: id(result.systems.assistant), active: true }),
      expect.objectContaining({ id: id(result.deployments.assistant), environment: "assistant", systemId: id(result.systems.promptUpdate), active: false }),
    ]);
    expect(answer.rollbacks).toEqual([
      expect.objectContaining({
        direction: "to",
        environment: "production",
        by: who.mlTeam,
        reason: "bias regression in v2",
        fromVersionId: id(result.modelVersions.triageV2),
        toVersionId: id(result.modelVersions.triageV1),
      }),
      // Act 9: the assistant went back from the prompt update to the first system version, both on triage v1.
      expect.objectContaining({ direction: "within", environment: "assistant", reason: "patients found the symptom-onset question confusing", fromDeploymentId: id(result.deployments.assistant), toDeploymentId: id(result.deployments.assistantV1) }),
    ]);
    expect(answer.decisionBatches).toEqual([
      expect.objectContaining({ root: result.decisions.root, count: 1000, operator: who.mlTeam, systemId: null, policyHash: ZeroHash }),
      expect.objectContaining({ root: result.systems.decisionsRoot, count: 100, systemId: id(result.systems.promptUpdate), policyHash: answer.systems[1]!.config.policyHash }),
    ]);

    // The log, in time order, from publication to the fine-tunes built on it.
    expectChainOrder(answer.timeline);
    expect(answer.timeline[0]).toMatchObject({ action: "ModelVersionPublished", actor: who.mlTeam });
    expect(answer.timeline.map((e) => e.action)).toEqual(
      expect.arrayContaining(["TrainedOn", "Attested", "VersionApproved", "Deployed", "DecisionsAnchored", "FineTuned", "RolledBack"]),
    );
    expect(answer.timeline.every((e) => TX.test(e.transactionHash) && e.timestamp > 0)).toBe(true);
    expect(answer.actors.map((x) => x.account)).toEqual(expect.arrayContaining([who.mlTeam, who.auditor, who.evaluator, who.approver]));
  });

  it("shows who revoked v2's bias check and why, and the rollback away from v2, with transactions", async () => {
    const answer = await whoActedOn(client, result.modelVersions.triageV2);
    const bias = answer.attestations.find((x) => x.id === id(result.attestations.revoked))!;
    expect(bias.revocation).toMatchObject({ by: who.evaluator, reason: "bias regression found in post-release monitoring" });
    expect(bias.revocation!.transactionHash).toMatch(TX);
    expect(bias.revocation!.blockNumber).toBeGreaterThan(bias.attested.blockNumber);
    expect(answer.rollbacks).toEqual([expect.objectContaining({ direction: "from", reason: "bias regression in v2", toVersionId: id(result.modelVersions.triageV1) })]);
    expect(answer.deployments).toEqual([
      expect.objectContaining({ id: id(result.deployments.triageV2), active: false, previousDeploymentId: id(result.deployments.triageV1), previousVersionId: id(result.modelVersions.triageV1) }),
    ]);
    expect(answer.deployments[0]!.endedAt).toBe(answer.rollbacks[0]!.timestamp);
    expect(answer.timeline.map((e) => e.action)).toEqual([
      "ModelVersionPublished",
      "TrainedOn",
      "Attested",
      "Attested",
      "Attested",
      "VersionApproved",
      "Deployed",
      "AttestationRevoked",
      "RolledBack",
    ]);
  });

  it("answers as of the block before the rollback: v2 live, bias check standing", async () => {
    const answer = await whoActedOn(client.at(result.blocks.beforeRollback), result.modelVersions.triageV2);
    expect(answer.asOf).toEqual({ blockNumber: result.blocks.beforeRollback, blockHash: null, timestamp: null });
    expect(answer.attestations.find((x) => x.id === id(result.attestations.revoked))!.revocation).toBeNull();
    expect(answer.deployments[0]!.active).toBe(true);
    expect(answer.rollbacks).toEqual([]);
    expect(answer.timeline.at(-1)!.action).toBe("Deployed");
  });

  it("gives the model's release policy with kind names, the fine-tunes, and who else anchored each decision root", async () => {
    const answer = await whoActedOn(client, result.modelVersions.triageV1);
    expect(answer.model).toMatchObject({ id: id(result.models.triage), creator: who.mlTeam, commercial: true, uri: "ipfs://bafytriagecard" });
    expect(answer.model.requiredKinds.map((k) => k.name)).toEqual(["safety-evaluation", "bias-check", "release-approval"]);
    expect(answer.model.requiredKinds.every((k) => /^0x[0-9a-f]{64}$/.test(k.role))).toBe(true);
    expect(answer.model.versionCount).toBeGreaterThanOrEqual(2);
    expect(answer.model.registered.transactionHash).toMatch(TX);
    expect(answer.fineTunes.map((f) => f.id)).toEqual([id(result.modelVersions.radiologyTriageV1), id(result.modelVersions.triageV2)].sort((a, b) => Number(a) - Number(b)));
    expect(answer.decisionBatches.length).toBeGreaterThan(0);
    expect(answer.decisionBatches.every((b) => Array.isArray(b.otherAnchors))).toBe(true);
  });

  it("says which version is unknown", async () => {
    await expect(whoActedOn(client, 77n)).rejects.toThrow(`model version 77 is not in the subgraph at ${fixture.url}; check the id`);
    await expect(whoActedOn(client.at(3), result.modelVersions.triageV1)).rejects.toThrow(
      `model version ${result.modelVersions.triageV1} is not in the subgraph at ${fixture.url} as of block 3; check the id or wait for the indexer to catch up`,
    );
  });
});

describe("history", () => {
  it("gives a model version's log in chain order", async () => {
    const answer = await history(client, { type: "model-version", id: result.modelVersions.triageV2 });
    expectChainOrder(answer.events);
    expect(answer.events.map((e) => e.action)).toEqual([
      "ModelVersionPublished",
      "TrainedOn",
      "Attested",
      "Attested",
      "Attested",
      "VersionApproved",
      "Deployed",
      "AttestationRevoked",
      "RolledBack",
    ]);
    expect(answer.events.at(-1)!.description).toBe(
      `production rolled back from version ${result.modelVersions.triageV2} to version ${result.modelVersions.triageV1}: bias regression in v2`,
    );
  });

  it("covers datasets, dataset versions, licences, attestations, deployments, decision batches and accounts", async () => {
    const dataset = await history(client, { type: "dataset", id: result.datasets.clinicalNotes });
    expectChainOrder(dataset.events);
    expect(dataset.events[0]!.action).toBe("DatasetRegistered");
    expect(dataset.events.map((e) => e.action)).toEqual(expect.arrayContaining(["TermsSet", "DatasetVersionPublished", "LicenceAcquired"]));

    const notesV1 = await history(client, { type: "dataset-version", id: result.datasetVersions.clinicalNotesV1 });
    expect(notesV1.events.map((e) => e.action)).toEqual(["DatasetVersionPublished", "DatasetDerived"]);

    // Bob revoked consent (which withdrew the dataset) and refunded the licence he had sold.
    const radiology = await history(client, { type: "dataset", id: result.datasets.radiology });
    expect(radiology.events.slice(-3).map((e) => [e.action, e.actor])).toEqual([
      ["DatasetWithdrawn", who.bob],
      ["ConsentRevoked", who.bob],
      ["LicenceRefunded", who.bob],
    ]);

    const licence = await history(client, { type: "licence", id: result.licences.clinicalNotes });
    // Act 10: the ML team reported the tokens trained under it, paid to Alice and the curators.
    expect(licence.events.map((e) => e.action)).toEqual([
      "LicenceAcquired",
      "RoyaltyCredited",
      "RoyaltyCredited",
      "TrainedOn",
      "TrainedOn",
      "UsageReported",
      "RoyaltyCredited",
      "RoyaltyCredited",
    ]);

    const attestation = await history(client, { type: "attestation", id: result.attestations.revoked });
    expect(attestation.events.map((e) => [e.action, e.actor])).toEqual([
      ["Attested", who.evaluator],
      ["AttestationRevoked", who.evaluator],
    ]);

    const deployment = await history(client, { type: "deployment", id: result.deployments.triageV2 });
    expect(deployment.events.map((e) => e.action)).toEqual(["Deployed", "RolledBack"]);

    const batch = await history(client, { type: "decision-batch", id: result.decisions.root });
    expect(batch.events.map((e) => e.action)).toEqual(["DecisionsAnchored"]);

    // An account's log is what it did: the evaluator attested four times (one relayed), revoked once, then checked the
    // safety and bias of the two system versions and the support agent's conformance to its policy.
    const evaluator = await history(client, { type: "account", id: getAddress(who.evaluator) });
    expect(evaluator.subject.id).toBe(who.evaluator);
    expect(evaluator.events.map((e) => e.action)).toEqual(["Attested", "Attested", "Attested", "Attested", "AttestationRevoked", ...Array(5).fill("Attested")]);
  });

  it("answers as of a block and names unknown subjects", async () => {
    const before = await history(client.at(result.blocks.beforeRollback), { type: "model-version", id: result.modelVersions.triageV2 });
    expect(before.events.at(-1)!.action).toBe("Deployed");
    await expect(history(client, { type: "deployment", id: 9 })).rejects.toThrow(`deployment 9 is not in the subgraph at ${fixture.url}`);
    await expect(history(client, { type: "account", id: `0x${"12".repeat(20)}` })).rejects.toThrow(
      `account 0x${"12".repeat(20)} is not in the subgraph`,
    );
  });
});

describe("royalties", () => {
  it("tells what each creator earned, from which licence, and what they withdrew", async () => {
    const audit = createAuditClient({ url: fixture.url });
    const answer = await royalties(audit);
    expect(audit.stats.requests).toBe(1);
    const of = (account: string) => answer.creators.find((c) => c.account === account)!;
    // The ML team is listed too: its radiology licence was refunded to its balance; and the annotators of act 10.
    const annotators = result.usage.annotators.map((a) => a.toLowerCase());
    expect(answer.creators.map((c) => c.account).sort()).toEqual([who.alice, who.bob, who.curator, who.mlTeam, ...annotators].sort());

    // Before act 10 Alice earned 0.35 ETH and withdrew it; act 10 pays her 70 % of the 0.004 ETH usage report, of the
    // collective's 0.5 ETH licence, and of the 15 % the annotated notes' 0.1 ETH sale paid up the lineage.
    const alice = of(who.alice);
    expect(alice.balances).toEqual([
      {
        currency: `0x${"0".repeat(40)}`,
        native: true,
        credited: parseEther("0.7133").toString(),
        refunded: "0",
        surplus: "0",
        released: "0",
        withdrawn: parseEther("0.35").toString(),
        balance: parseEther("0.3633").toString(),
      },
    ]);
    expect(alice.byLicence).toEqual([
      expect.objectContaining({
        licenceId: id(result.licences.clinicalNotes),
        datasetId: id(result.datasets.clinicalNotes),
        payer: who.mlTeam,
        licensee: who.mlTeam,
        amount: parseEther("0.3528").toString(),
        shareBps: 7000,
        documentURI: "ipfs://bafybeistmaryslicence",
      }),
      expect.objectContaining({ licenceId: id(result.usage.licences.collective), payer: who.curator, amount: parseEther("0.35").toString() }),
      expect.objectContaining({ licenceId: id(result.usage.licences.sale), datasetId: id(result.usage.annotated.datasetId), amount: parseEther("0.0105").toString() }),
    ]);
    expect(alice.credits.map((c) => [c.source, c.viaDerivation, c.settledDatasetId])).toEqual([
      ["sale", false, id(result.datasets.clinicalNotes)],
      ["use", false, id(result.datasets.clinicalNotes)],
      ["sale", false, id(result.datasets.clinicalNotes)],
      ["sale", true, id(result.datasets.clinicalNotes)],
    ]);
    expect(alice.credits[0]!.transactionHash).toMatch(TX);
    expect(alice.withdrawals).toEqual([expect.objectContaining({ amount: result.royalties.alice.toString(), to: who.alice })]);

    expect(of(who.curator).byLicence[0]).toMatchObject({ shareBps: 3000, amount: parseEther("0.1512").toString() });
    expect(of(who.bob).byDataset).toEqual([{ datasetId: id(result.datasets.radiology), currency: `0x${"0".repeat(40)}`, amount: parseEther("0.2").toString() }]);
    // Bob paid a little more than the refund was due when mined: the registry credited the surplus back to him.
    const { amount, surplus } = result.refund;
    expect(surplus).toBeGreaterThan(0n);
    expect(of(who.bob).balances).toEqual([
      expect.objectContaining({ credited: parseEther("0.2").toString(), surplus: surplus.toString(), withdrawn: parseEther("0.2").toString(), balance: surplus.toString() }),
    ]);
    const team = of(who.mlTeam);
    expect(team.refunds).toEqual([
      expect.objectContaining({ licenceId: id(result.licences.radiology), datasetId: id(result.datasets.radiology), amount: amount.toString(), refundedBy: who.bob }),
    ]);
    expect(team.balances).toEqual([expect.objectContaining({ credited: "0", refunded: amount.toString(), withdrawn: amount.toString(), balance: "0" })]);
    // Act 10 brought in 0.004 (use) + 0.5 + 0.1 ETH (sales), none of it withdrawn.
    expect(answer.totals).toEqual([
      expect.objectContaining({ credited: parseEther("1.304").toString(), refunded: amount.toString(), surplus: surplus.toString(), balance: (surplus + parseEther("0.604")).toString() }),
    ]);
  });

  it("filters by account, and answers as of a block before the withdrawals", async () => {
    const answer = await royalties(client, { account: getAddress(who.curator) });
    expect(answer.creators.map((c) => c.account)).toEqual([who.curator]);
    const before = await royalties(client.at(result.blocks.beforeRollback), { account: who.alice });
    expect(before.creators[0]!.balances[0]).toMatchObject({ credited: parseEther("0.35").toString(), withdrawn: "0", balance: parseEther("0.35").toString() });
    expect(before.creators[0]!.withdrawals).toEqual([]);
    // Carol's licence was free: she is an account, but earned nothing.
    const carol = await royalties(client, { account: who.carol });
    expect(carol.creators).toEqual([]);
    await expect(royalties(client, { account: `0x${"ab".repeat(20)}` })).rejects.toThrow(`account 0x${"ab".repeat(20)} is not in the subgraph`);
  });

  it("reads the pages after the first by id cursor, for every account or one (past 1 000 records)", async () => {
    const answer = await royalties(client);
    const of = (account: string) => answer.creators.find((c) => c.account === account)!;
    const ids = (page: ReadonlyArray<{ id: string }>) => page.map((x) => x.id);
    // Every credit after the first by id, unscoped: the rest of all credits.
    const credits = answer.creators.flatMap((c) => c.credits.map((x) => x.id)).sort();
    expect(credits.length).toBeGreaterThan(1);
    const rest = await client.request(RoyaltyCreditsPageDocument, { where: {}, after: credits[0]! });
    expect(ids(rest.page)).toEqual(credits.slice(1));
    // Scoped to one account, from the start: that account's records.
    const alice = await client.request(RoyaltyCreditsPageDocument, { where: { recipient: who.alice }, after: "" });
    expect(ids(alice.page).sort()).toEqual(of(who.alice).credits.map((x) => x.id).sort());
    const withdrawals = await client.request(RoyaltyWithdrawalsPageDocument, { where: { recipient: who.alice }, after: "" });
    expect(ids(withdrawals.page)).toEqual(of(who.alice).withdrawals.map((x) => x.id));
    const refunds = await client.request(LicenceRefundsPageDocument, { where: { licensee: who.mlTeam }, after: "" });
    expect(ids(refunds.page)).toEqual(of(who.mlTeam).refunds.map((x) => x.licenceId));
    const balances = await client.request(RoyaltyBalancesPageDocument, { where: { account: who.bob }, after: "" });
    expect(balances.page.map((b) => [b.account.id, b.balance])).toEqual(of(who.bob).balances.map((b) => [who.bob, b.balance]));
  });
});

describe("environmentsOf", () => {
  it("gives production with v1 live again, and its timeline: v1 deployed, v2 deployed, rolled back to v1", async () => {
    const { environments, modelId } = await environmentsOf(client, result.models.triage);
    expect(modelId).toBe(id(result.models.triage));
    const production = environments.find((e) => e.name === "production")!;
    expect(production).toMatchObject({ liveVersionId: id(result.modelVersions.triageV1), liveDeploymentId: id(result.deployments.triageV1) });
    expect(production.timeline.map((c) => (c.kind === "deployed" ? `deployed ${c.deployment.versionId}` : `rolled back to ${c.rollback.toVersionId}`))).toEqual([
      `deployed ${id(result.modelVersions.triageV1)}`,
      `deployed ${id(result.modelVersions.triageV2)}`,
      `rolled back to ${id(result.modelVersions.triageV1)}`,
    ]);
  });

  it("answers as of the block before the rollback: v2 live, no rollback yet", async () => {
    const { environments } = await environmentsOf(client.at(result.blocks.beforeRollback), result.models.triage);
    const production = environments.find((e) => e.name === "production")!;
    expect(production.liveVersionId).toBe(id(result.modelVersions.triageV2));
    expect(production.timeline.map((c) => c.kind)).toEqual(["deployed", "deployed"]);
  });

  it("rejects a malformed model id", async () => {
    await expect(environmentsOf(client, "triage")).rejects.toThrow('modelId must be a positive whole number (an id), got "triage"');
  });
});

describe("rolesOf", () => {
  it("gives each account's active roles and leaves out accounts without any", async () => {
    const roles = await rolesOf(client, [who.evaluator!, who.approver!, who.alice!]);
    expect(roles.get(who.evaluator!)).toEqual(["EVALUATOR"]);
    expect(roles.get(who.approver!)).toEqual(["RELEASE_APPROVER"]);
    expect(roles.has(who.alice!)).toBe(false);
    await expect(rolesOf(client, ["0x12"])).rejects.toThrow('accounts must be an Ethereum address (0x followed by 40 hex digits), got "0x12"');
  });
});

describe("blockTime", () => {
  it("gives the head block's time, and a lower bound of an earlier block's (time travel answers carry none)", async () => {
    const counted = createAuditClient({ url: fixture.url });
    const head = await blockTime(counted);
    expect(head.timestamp).not.toBeNull();
    expect(head.atLeast).toBe(head.timestamp);
    // The head's time comes with _meta; only time travel looks up the latest log entry (a scan of the whole log).
    expect(counted.stats.requests).toBe(1);
    const earlier = await blockTime(counted.at(result.blocks.beforeRollback));
    expect(counted.stats.requests).toBe(3);
    expect(earlier.asOf.blockNumber).toBe(result.blocks.beforeRollback);
    expect(earlier.atLeast).toBeGreaterThan(0);
    expect(earlier.atLeast).toBeLessThanOrEqual(head.atLeast);
  });
});

describe("combinedHistory", () => {
  it("merges the logs of several subjects without repeats, in chain order", async () => {
    const version = await history(client, { type: "model-version", id: result.modelVersions.triageV1 });
    const dataset = await history(client, { type: "dataset", id: result.datasets.clinicalNotes });
    const merged = await combinedHistory(client, [
      { type: "model-version", id: result.modelVersions.triageV1 },
      { type: "dataset", id: result.datasets.clinicalNotes },
      { type: "dataset", id: result.datasets.clinicalNotes },
    ]);
    expect(new Set(merged.map((e) => e.id))).toEqual(new Set([...version.events, ...dataset.events].map((e) => e.id)));
    expect(merged.length).toBe(new Set(merged.map((e) => e.id)).size);
    expectChainOrder(merged);
    expect(await combinedHistory(client, [])).toEqual([]);
  });
});
