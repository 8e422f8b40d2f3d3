/**
 * The audit report generator against the real fixture: the demo scenario on a local chain, indexed by the embedded
 * indexer. Checks the dossier's facts and every transaction reference against the chain's receipts, the Markdown and
 * HTML renderings (sections, facts, well-formedness, self-containment, escaping of hostile chain text), the PROV-JSON
 * export, writeReport, and time travel.
 */
import { InvalidInputError } from "../../src/core/errors.ts";
import { disclose } from "../../src/core/commitments.ts";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { id, type Interface, type Log, type LogDescription, type Signer } from "ethers";
import {
  acquireLicence,
  attest,
  createPedigreeClient,
  publishDatasetVersion,
  publishModelVersion,
  registerDataset,
  registerModel,
  revokeAttestation,
  withdrawDataset,
  type PedigreeClient,
} from "../../src/sdk/index.ts";
import {
  LIMITATIONS,
  UntrustedVersionIdError,
  NODE_SIZE,
  SECTIONS,
  fetchDossier,
  layoutLineage,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderProvJson,
  toProvJson,
  writeDossier,
  writeReport,
  type ProvDocument,
  type TxRef,
  type VersionDossier,
} from "../../src/report/index.ts";
import { NotInSubgraphError } from "../../src/audit/errors.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import {
  expectReferentialIntegrity,
  expectTablesIntact,
  expectTxRefsMatchChain,
  expectWellFormed,
  mdOutsideCode,
  references,
} from "./checks.ts";

let fixture: IndexedScenario;
let client: PedigreeClient;
let v1: VersionDossier;
let v2: VersionDossier;
const who: Record<string, string> = {};
const s = (value: bigint | number) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  for (const [name, signer] of Object.entries(fixture.cast)) who[name] = signer.address.toLowerCase();
  client = createPedigreeClient({ runner: fixture.chain.connection.ethers.provider, addresses: fixture.deployment.addresses });
  v1 = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV1 });
  v2 = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2 });
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

// --- helpers --------------------------------------------------------------------------------------------------------

const provider = () => fixture.chain.connection.ethers.provider;

/** The registry events of a transaction, decoded. */
async function eventsOf(hash: string): Promise<LogDescription[]> {
  const receipt = await provider().getTransactionReceipt(hash);
  expect(receipt, `receipt of ${hash}`).not.toBeNull();
  const interfaces: Interface[] = [client.datasets.interface, client.models.interface, client.attestations.interface, client.releases.interface];
  const out: LogDescription[] = [];
  for (const log of receipt!.logs as readonly Log[]) {
    for (const iface of interfaces) {
      try {
        const parsed = iface.parseLog(log);
        if (parsed) {
          out.push(parsed);
          break;
        }
      } catch {
        // not this registry's event
      }
    }
  }
  return out;
}

async function expectEvent(tx: TxRef | null | undefined, name: string, check: (e: LogDescription) => boolean) {
  expect(tx, `${name} tx`).toBeTruthy();
  const events = await eventsOf(tx!.txHash);
  expect(events.some((e) => e.name === name && check(e)), `${name} in ${tx!.txHash}: ${events.map((e) => e.name).join(", ")}`).toBe(true);
}

// --- the dossier ----------------------------------------------------------------------------------------------------

describe("fetchDossier: triage v1", () => {
  it("identifies the model and version, gathered from the audit questions at one block", () => {
    const r = fixture.result;
    expect(v1.format).toBe("pedigree-dossier/1");
    expect(v1.subject).toEqual({ modelId: s(r.models.triage), versionId: s(r.modelVersions.triageV1), number: 1 });
    expect(v1.model).toMatchObject({ id: s(r.models.triage), creator: who.mlTeam, commercial: true, uri: "ipfs://bafytriagecard" });
    expect(v1.model.requiredKinds.map((k) => k.name)).toEqual(["safety-evaluation", "bias-check", "release-approval"]);
    expect(v1.version).toMatchObject({ id: s(r.modelVersions.triageV1), number: 1, weightsHash: id("triage v1 weights"), uri: "s3://acme/triage/v1", publisher: who.mlTeam, parentId: null, approved: true });
    expect(v1.parents).toEqual([]);
    expect(v1.fineTunes.map((f) => f.id)).toEqual([s(r.modelVersions.radiologyTriageV1), s(r.modelVersions.triageV2)].sort());
    expect(v1.generatedAt).toMatchObject({ subgraphUrl: fixture.url, deployment: fixture.indexer.deployment, hasIndexingErrors: false, requestedBlock: null });
    expect(v1.generatedAt.block.number).toBeGreaterThanOrEqual(r.blocks.end);
    expect(v1.generatedAt.block.hash).toMatch(/^0x[0-9a-f]{64}$/);
    // whoActedOn pins the block; then whatTrainedThis (one round trip per lineage level), environmentsOf,
    // agentsActingOn, _meta and the block time at once; then the provenance log of everything in scope, then the roles
    // of the accounts named; and, beside the log, the royalties of each of the 2 datasets in scope.
    expect(v1.generatedAt.requests).toBeLessThanOrEqual(12);
  });

  it("has the training run, its dataset versions with their derivation chain, and its licences with terms and splits", () => {
    const r = fixture.result;
    expect(v1.training).toMatchObject({ id: s(r.modelVersions.triageV1), codeHash: id("git:4be1d0c"), hyperparametersHash: id("lr=3e-4 epochs=3") });
    expect(v1.training!.uses).toEqual([
      { index: 0, datasetId: s(r.datasets.clinicalNotes), datasetVersionId: s(r.datasetVersions.clinicalNotesV2), licenceId: s(r.licences.clinicalNotes) },
      { index: 1, datasetId: s(r.datasets.publicText), datasetVersionId: s(r.datasetVersions.publicTextV1), licenceId: s(r.licences.publicText) },
    ]);
    const dv = new Map(v1.datasetVersions.map((v) => [v.id, v]));
    expect(dv.get(s(r.datasetVersions.clinicalNotesV2))).toMatchObject({
      usedInTraining: true,
      derivationDepth: 0,
      parentIds: [s(r.datasetVersions.clinicalNotesV1)],
      transformationHash: id("pipeline: de-identify PHI, dedupe"),
      uri: "ipfs://bafybeiclinicalnotesv2",
      publisher: who.alice,
    });
    expect(dv.get(s(r.datasetVersions.clinicalNotesV1))).toMatchObject({ usedInTraining: false, derivationDepth: 1, parentIds: [], uri: "ipfs://bafybeiclinicalnotesv1" });
    expect(dv.get(s(r.datasetVersions.publicTextV1))).toMatchObject({ usedInTraining: true, parentIds: [] });
    expect(dv.has(s(r.datasetVersions.radiologyV1))).toBe(false);
    expect(v1.datasets.map((d) => d.id)).toEqual([s(r.datasets.clinicalNotes), s(r.datasets.publicText)]);

    const [notes, open] = v1.licences;
    expect(notes).toMatchObject({ id: s(r.licences.clinicalNotes), licensee: who.mlTeam, payer: who.mlTeam, amount: "500000000000000000", expiredAtReportBlock: false });
    expect(notes!.terms).toMatchObject({ price: "500000000000000000", duration: String(365 * 24 * 3600), commercialUse: true, derivativesAllowed: true, documentURI: "ipfs://bafybeistmaryslicence" });
    expect(notes!.terms.splits).toEqual([
      { index: 0, recipient: who.alice, bps: 7000 },
      { index: 1, recipient: who.curator, bps: 3000 },
    ]);
    expect(open).toMatchObject({ id: s(r.licences.publicText), amount: "0", terms: { documentURI: "spdx:CC-BY-4.0", splits: [] } });
  });

  it("carries each licence's territories as groups and codes: the clinical notes' EEA / EU, the open text's worldwide", () => {
    const [notes, open] = v1.licences;
    expect(notes!.terms.trainingTerritories).toBe("EEA");
    expect(notes!.terms.deploymentTerritories).toBe("EU");
    expect(open!.terms.trainingTerritories).toBe("worldwide");
    expect(open!.terms.deploymentTerritories).toBe("worldwide");
    const json = JSON.parse(renderJson(v1)) as typeof v1;
    expect(json.licences[0]!.terms.deploymentTerritories).toEqual(notes!.terms.deploymentTerritories);
    expect(json.licences[0]!.terms.trainingTerritories).toEqual(notes!.terms.trainingTerritories);
  });

  it("has the attestations (relayed signature included), the approval, the deployment, the rollback back to it and the decision batch", () => {
    const r = fixture.result;
    const att = new Map(v1.attestations.filter((a) => a.subject.type !== "SystemVersion").map((a) => [a.id, a]));
    expect([...att.keys()]).toEqual([r.attestations.consent, r.attestations.licenceCompliance, r.attestations.safetyV1, r.attestations.biasV1, r.attestations.approvalV1].map(s));
    // The release gates of the assistant's two system versions, three attestations each.
    expect(v1.attestations.filter((a) => a.subject.type === "SystemVersion").map((a) => a.subject.id)).toEqual([
      ...Array(3).fill(s(r.systems.assistant)),
      ...Array(3).fill(s(r.systems.promptUpdate)),
    ]);
    expect(att.get(s(r.attestations.consent))).toMatchObject({ kind: { name: "consent" }, subject: { type: "DatasetVersion", id: s(r.datasetVersions.clinicalNotesV2) }, attester: who.steward, inApproval: false });
    expect(att.get(s(r.attestations.licenceCompliance))).toMatchObject({ subject: { type: "TrainingRun", id: s(r.modelVersions.triageV1) }, attester: who.auditor });
    expect(att.get(s(r.attestations.biasV1))).toMatchObject({
      kind: { name: "bias-check" },
      attester: who.evaluator,
      submitter: who.relayer,
      viaSignature: true,
      evidenceURI: "ipfs://bafybiasv1",
      revoked: false,
      revocation: null,
      inApproval: true,
    });
    expect(v1.approval).toMatchObject({ approvedBy: who.mlTeam, attestationIds: [r.attestations.safetyV1, r.attestations.biasV1, r.attestations.approvalV1].map(s) });
    expect(v1.deployments).toMatchObject([
      { id: s(r.deployments.triageV1), environment: "production", versionId: s(r.modelVersions.triageV1), systemId: null, active: true, deployer: who.mlTeam },
      // The prompt update replaced the first system version, and was rolled back to it (act 9).
      { id: s(r.deployments.assistantV1), environment: "assistant", systemId: s(r.systems.assistant), active: true },
      { id: s(r.deployments.assistant), environment: "assistant", systemId: s(r.systems.promptUpdate), active: false },
    ]);
    expect(v1.environments.map((e) => e.name)).toEqual(["assistant", "production"]);
    const production = v1.environments.find((e) => e.name === "production")!;
    expect(production).toMatchObject({ name: "production", liveVersionId: s(r.modelVersions.triageV1), versionLive: true });
    expect(production.timeline.map((c) => [c.kind, c.versionId])).toEqual([
      ["deployed", s(r.modelVersions.triageV1)],
      ["deployed", s(r.modelVersions.triageV2)],
      ["rolled-back", s(r.modelVersions.triageV1)],
    ]);
    expect(v1.rollbacks).toMatchObject([
      { fromVersionId: s(r.modelVersions.triageV2), toVersionId: s(r.modelVersions.triageV1), reason: "bias regression in v2", by: who.mlTeam },
      { environment: "assistant", fromDeploymentId: s(r.deployments.assistant), toDeploymentId: s(r.deployments.assistantV1), reason: "patients found the symptom-onset question confusing" },
    ]);
    expect(v1.decisionBatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ root: r.decisions.root, count: "1000", uri: "s3://acme/decisions/triage-v1/batch-0001.jsonl", operator: who.mlTeam, systemId: null }),
        expect.objectContaining({ root: r.systems.decisionsRoot, count: "100", systemId: s(r.systems.promptUpdate) }),
      ]),
    );
    expect(v1.systems.map((x) => [x.id, x.parentId, x.approved])).toEqual([
      [s(r.systems.assistant), null, true],
      [s(r.systems.promptUpdate), s(r.systems.assistant), true],
    ]);
    expect(v1.summary).toMatchObject({ approved: true, liveIn: ["assistant", "production"], everDeployed: true, rolledBack: 0, revokedAttestationIds: [] });
    // The one finding: Mallory registered triage v1's weights as his own model's, after the ML team.
    expect(v1.competingClaims).toMatchObject([
      { kind: "model-weights", subjectVersionId: s(r.modelVersions.triageV1), firstRegistered: s(r.modelVersions.triageV1), earliestPriority: s(r.modelVersions.triageV1) },
    ]);
    expect(v1.competingClaims[0]!.claims.map((c) => [c.versionId, c.claimant])).toEqual([
      [s(r.modelVersions.triageV1), who.mlTeam],
      [s(r.modelVersions.copyV1), who.mallory],
    ]);
    const assistantRollback = v1.rollbacks[1]!;
    expect(v1.summary.notices).toEqual([
      `A system version of it was rolled back in assistant at ${assistantRollback.tx.time} (block ${assistantRollback.tx.block}, tx ${assistantRollback.tx.txHash}) by ${who.mlTeam} (the weights stayed live): patients found the symptom-onset question confusing`,
      `The weights hash ${v1.version.weightsHash} of model version ${r.modelVersions.triageV1} is claimed by 2 accounts, in chain order: ${who.mlTeam} (model ${r.models.triage} version 1, id ${r.modelVersions.triageV1}, block ${v1.version.tx.block}), ${who.mallory} (model ${r.models.copy} version 1, id ${r.modelVersions.copyV1}, block ${v1.competingClaims[0]!.claims[1]!.tx.block}); the earliest claim is ${who.mlTeam}'s (version id ${r.modelVersions.triageV1}).`,
    ]);
  });

  it("has the provenance log of the version and its lineage, oldest first", () => {
    const actions = v1.history.filter((e) => e.aboutVersion).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["ModelVersionPublished", "TrainedOn", "Attested", "VersionApproved", "Deployed", "DecisionsAnchored", "FineTuned"]));
    expect(v1.history.map((e) => e.action)).toEqual(expect.arrayContaining(["DatasetRegistered", "DatasetDerived", "LicenceAcquired", "ModelRegistered", "ReleasePolicySet"]));
    const blocks = v1.history.map((e) => Number(e.tx.block));
    expect(blocks).toEqual([...blocks].sort((a, b) => a - b));
    // Other versions' training on the same licence is not this version's history.
    expect(v1.history.every((e) => e.subjects.modelVersionId === null || e.subjects.modelVersionId === v1.version.id)).toBe(true);
    const published = v1.history.find((e) => e.action === "ModelVersionPublished" && e.aboutVersion)!;
    expect(published.tx.txHash).toBe(v1.version.tx.txHash);
  });

  it("gives every fact a transaction reference that matches the chain's receipts and blocks", async () => {
    await expectTxRefsMatchChain(v1, provider());
    const r = fixture.result;
    await expectEvent(v1.version.tx, "ModelVersionPublished", (e) => e.args.versionId === r.modelVersions.triageV1);
    await expectEvent(v1.training!.tx, "TrainingRunRecorded", (e) => e.args.versionId === r.modelVersions.triageV1);
    await expectEvent(v1.approval!.tx, "VersionApproved", (e) => e.args.versionId === r.modelVersions.triageV1);
    await expectEvent(v1.deployments[0]!.tx, "Deployed", (e) => e.args.deploymentId === r.deployments.triageV1);
    await expectEvent(v1.decisionBatches[0]!.tx, "DecisionBatchAnchored", (e) => e.args.root === r.decisions.root);
    await expectEvent(v1.licences[0]!.tx, "LicenceAcquired", (e) => e.args.licenceId === r.licences.clinicalNotes);
    for (const a of v1.attestations) await expectEvent(a.tx, "Attested", (e) => e.args.id === BigInt(a.id));
    const derived = v1.datasetVersions.find((v) => v.id === s(r.datasetVersions.clinicalNotesV2))!;
    await expectEvent(derived.tx, "DatasetVersionPublished", (e) => e.args.versionId === r.datasetVersions.clinicalNotesV2);
  });
});

describe("fetchDossier: triage v2 (rolled back, bias check revoked)", () => {
  it("shows the fine-tune parent, the revoked bias check with its revocation, and the rollback", async () => {
    const r = fixture.result;
    expect(v2.version).toMatchObject({ id: s(r.modelVersions.triageV2), number: 2, parentId: s(r.modelVersions.triageV1), approved: true });
    expect(v2.parents).toMatchObject([{ id: s(r.modelVersions.triageV1), depth: 1, training: { datasetVersionIds: [r.datasetVersions.clinicalNotesV2, r.datasetVersions.publicTextV1].map(s) } }]);
    expect(v2.training!.uses.map((u) => u.datasetVersionId)).toEqual([s(r.datasetVersions.clinicalNotesV2)]);
    const bias = v2.attestations.find((a) => a.id === s(r.attestations.biasV2))!;
    expect(bias).toMatchObject({
      revoked: true,
      inApproval: true,
      revocation: { by: who.evaluator, reason: "bias regression found in post-release monitoring" },
    });
    await expectEvent(bias.revocation!.tx, "AttestationRevoked", (e) => e.args.id === r.attestations.biasV2);
    expect(v2.deployments).toMatchObject([{ id: s(r.deployments.triageV2), active: false, environment: "production" }]);
    expect(v2.deployments[0]!.endedAt?.time).toBeTruthy();
    expect(v2.rollbacks).toHaveLength(1);
    expect(v2.rollbacks[0]).toMatchObject({ fromVersionId: s(r.modelVersions.triageV2), fromDeploymentId: s(r.deployments.triageV2), toVersionId: s(r.modelVersions.triageV1), reason: "bias regression in v2" });
    await expectEvent(v2.rollbacks[0]!.tx, "RolledBack", (e) => e.args.fromDeploymentId === r.deployments.triageV2);
    expect(v2.environments[0]).toMatchObject({ liveVersionId: s(r.modelVersions.triageV1), versionLive: false });
    expect(v2.summary).toMatchObject({ approved: true, liveIn: [], everDeployed: true, rolledBack: 1, revokedAttestationIds: [s(r.attestations.biasV2)] });
    expect(v2.summary.notices.join("\n")).toMatch(/revoked.*bias regression found in post-release monitoring/);
    expect(v2.summary.notices.join("\n")).toMatch(/Rolled back from production.*bias regression in v2/);
    expect(v2.decisionBatches).toEqual([]);
    const actions = v2.history.filter((e) => e.aboutVersion).map((e) => e.action);
    expect(actions).toEqual(["ModelVersionPublished", "TrainedOn", "Attested", "Attested", "Attested", "VersionApproved", "Deployed", "AttestationRevoked", "RolledBack"]);
    await expectTxRefsMatchChain(v2, provider());
  });

  it("as of the block before the rollback (time travel): live in production, bias check unrevoked, no rollback", async () => {
    const r = fixture.result;
    const before = await fetchDossier({ url: fixture.url, versionId: r.modelVersions.triageV2, block: r.blocks.beforeRollback });
    expect(before.generatedAt.block.number).toBe(r.blocks.beforeRollback);
    expect(before.generatedAt.requestedBlock).toBe(r.blocks.beforeRollback);
    const block = await provider().getBlock(r.blocks.beforeRollback);
    expect(before.generatedAt.block.timestamp).toBe(String(block!.timestamp));
    expect(before.summary).toMatchObject({ liveIn: ["production"], rolledBack: 0, revokedAttestationIds: [] });
    expect(before.summary.notices).toEqual([]);
    expect(before.attestations.find((a) => a.id === s(r.attestations.biasV2))).toMatchObject({ revoked: false, revocation: null });
    expect(before.deployments).toMatchObject([{ id: s(r.deployments.triageV2), active: true, endedAt: null }]);
    expect(before.environments[0]).toMatchObject({ liveVersionId: s(r.modelVersions.triageV2), versionLive: true });
    expect(before.rollbacks).toEqual([]);
    expect(before.history.some((e) => Number(e.tx.block) > r.blocks.beforeRollback)).toBe(false);
    const html = renderHtml(before);
    expect(html).toContain("historical view");
    expect(renderMarkdown(before)).toContain(`as of block **${r.blocks.beforeRollback}**`);
  });

  it("is deterministic for a given block", async () => {
    const again = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2, block: v2.generatedAt.block.number });
    const { generatedAt: a, ...restA } = again;
    const { generatedAt: b, ...restB } = v2;
    expect(restA).toEqual(restB);
    expect(a.block.number).toBe(b.block.number);
    expect(renderHtml(v2)).toBe(renderHtml(v2));
  });
});

describe("private fields disclosed to the report", () => {
  it("checks each package against the datasheet hash the chain recorded: verified, tampered, outside the report; the rest stays committed", async () => {
    const r = fixture.result;
    const notesV1 = { type: "dataset-version", id: s(r.datasetVersions.clinicalNotesV1) };
    const honest = disclose(r.privateDatasheet, ["consentBasis", "piiPresent"], notesV1);
    const tampered = { ...honest, fields: honest.fields.map((f) => (f.name === "piiPresent" ? { ...f, value: "no" } : f)) };
    const outside = disclose(r.privateDatasheet, ["source"], { type: "dataset-version", id: s(r.datasetVersions.radiologyV1) });
    const d = await fetchDossier({ url: fixture.url, versionId: r.modelVersions.triageV2, disclosures: [honest, tampered, outside] });
    expect(d.datasetVersions.find((v) => v.id === notesV1.id)!.metadataHash).toBe(r.privateDatasheet.root);
    expect(d.disclosures).toEqual([
      {
        subject: notesV1,
        root: r.privateDatasheet.root,
        status: "verified",
        fields: [
          { name: "consentBasis", value: "GDPR Art. 9(2)(a), explicit consent, form CN-2024", verified: true },
          { name: "piiPresent", value: "yes: names and dates removed in version 2", verified: true },
        ],
        hidden: 2,
      },
      expect.objectContaining({ status: "mismatch", fields: [expect.objectContaining({ verified: true }), expect.objectContaining({ name: "piiPresent", verified: false })] }),
      expect.objectContaining({ status: "outside", fields: [] }),
    ]);
    const md = renderMarkdown(d);
    expect(md).toContain("Private fields disclosed to this report");
    expect(md).toContain("GDPR Art. 9(2)(a), explicit consent, form CN-2024");
    expect(md).toContain("committed, not disclosed");
    expect(md).toContain("DOES NOT OPEN THE RECORDED COMMITMENT");
    expect(md).not.toContain("St Mary's Hospital EHR export");
    expectTablesIntact(md);
    expectWellFormed(renderHtml(d));
    // Without packages, nothing is disclosed and the section shows the hash only.
    expect(v2.disclosures).toEqual([]);
    expect(renderMarkdown(v2)).not.toContain("Private fields disclosed");
  });
});

describe("errors", () => {
  it("an unknown version is the audit's NotInSubgraphError with a one-line, actionable message", async () => {
    const error = await fetchDossier({ url: fixture.url, versionId: 999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotInSubgraphError);
    const message = (error as Error).message;
    expect(message).toContain("model version 999");
    expect(message).not.toContain("\n");
    // Before v2 was published (v1's block), v2 does not exist yet.
    const block = Number(v1.version.tx.block);
    const early = await fetchDossier({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2, block }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(NotInSubgraphError);
    expect((early as Error).message).toContain(`as of block ${block}`);
  });

  it("rejects ids that are not version ids", async () => {
    await expect(fetchDossier({ url: fixture.url, versionId: "v2" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(fetchDossier({ url: fixture.url, versionId: 0 })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

// --- renderings -----------------------------------------------------------------------------------------------------

describe("renderMarkdown", () => {
  it("has every Annex IV section with its facts and transaction hashes", () => {
    const md = renderMarkdown(v2);
    for (const spec of Object.values(SECTIONS)) expect(md).toContain(`\n## ${spec.title}\n`);
    for (const annex of ["Annex IV §2(d)", "Annex IV §2(g)", "Annex IV §3", "Annex IV §6"]) expect(md).toContain(annex);
    expect(md).toContain(v2.version.tx.txHash);
    expect(md).toContain(v2.approval!.tx.txHash);
    expect(md).toContain(v2.rollbacks[0]!.tx.txHash);
    const revoked = v2.attestations.find((a) => a.revoked)!;
    expect(md).toContain(revoked.revocation!.tx!.txHash);
    expect(md).toContain("REVOKED");
    expect(md).toContain("bias regression found in post-release monitoring");
    expect(md).toContain("`s3://acme/triage/v2`");
    expect(md).toContain("`ipfs://bafybeiclinicalnotesv2`");
    expect(md).toContain("derived from dataset version 1");
    expect(md).toContain("What the chain does not prove");
    expect(md).toContain("does not prove that the files at the listed URIs");
    expect(md).toContain("ROLLED BACK 1×");
  });

  it("keeps tables intact: every row of a table has as many cells as its header", () => {
    for (const d of [v1, v2]) expectTablesIntact(renderMarkdown(d));
  });
});

describe("renderHtml", () => {
  it("is one well-formed, self-contained page with the sections and facts", () => {
    const html = renderHtml(v2);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expectWellFormed(html);
    for (const spec of Object.values(SECTIONS)) {
      expect(html).toContain(`<section id="${spec.id}"`);
      expect(html).toContain(`<a href="#${spec.id}">`);
    }
    // Nothing loads from anywhere: only in-document references, no script at all.
    for (const ref of references(html)) expect(ref.startsWith("#"), ref).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|@import|javascript:/i);
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain(v2.version.tx.txHash);
    expect(html).toContain(v2.rollbacks[0]!.tx.txHash);
    expect(html).toContain("bias regression found in post-release monitoring");
    expect(html).toContain("s3://acme/triage/v2");
    for (const line of LIMITATIONS) expect(html).toContain(line.slice(0, 40).replace(/'/g, "&#39;"));
    expect(html).toMatch(/@media print/);
  });

  it("has an inline SVG lineage diagram with a node per dataset version and model version", () => {
    for (const d of [v1, v2]) {
      const html = renderHtml(d);
      const svgs = html.match(/<svg[\s>]/g) ?? [];
      expect(svgs).toHaveLength(1);
      const svg = html.slice(html.indexOf("<svg"), html.indexOf("</svg>") + 6);
      expectWellFormed(svg);
      for (const v of d.datasetVersions) expect(svg).toContain(`id="pd-dv-${v.id}"`);
      for (const ds of d.datasets) expect(svg).toContain(`id="pd-ds-${ds.id}"`);
      expect(svg).toContain(`id="pd-mv-${d.version.id}"`);
      for (const p of d.parents) expect(svg).toContain(`id="pd-mv-${p.id}"`);
      if (d.training) expect(svg).toContain(`id="pd-run-${d.training.id}"`);
      for (const dep of d.deployments) expect(svg).toContain(`id="pd-dep-${dep.id}"`);
      expect((svg.match(/data-kind="datasetVersion"/g) ?? []).length).toBe(d.datasetVersions.length);
    }
    const svg2 = renderHtml(v2).split("<svg")[1]!;
    expect(svg2).toContain("ROLLED BACK");
    expect(svg2).toContain("rolled back: bias regression in v2");
  });

  it("lays the diagram out without overlapping boxes: data left of the run, the run left of the version, parents above", () => {
    for (const d of [v1, v2]) {
      const layout = layoutLineage(d);
      const { width: w, height: h } = NODE_SIZE;
      for (const [i, a] of layout.nodes.entries()) {
        expect(a.x).toBeGreaterThanOrEqual(0);
        expect(a.y).toBeGreaterThanOrEqual(0);
        expect(a.x + w).toBeLessThanOrEqual(layout.width);
        expect(a.y + h).toBeLessThanOrEqual(layout.height);
        for (const b of layout.nodes.slice(i + 1)) {
          const overlap = a.x < b.x + w && b.x < a.x + w && a.y < b.y + h && b.y < a.y + h;
          expect(overlap, `${a.key} overlaps ${b.key}`).toBe(false);
        }
      }
      const at = (key: string) => layout.nodes.find((n) => n.key === key)!;
      const version = at(`mv-${d.version.id}`);
      const run = at(`run-${d.training!.id}`);
      expect(run.x).toBeLessThan(version.x);
      expect(run.y).toBe(version.y);
      for (const v of d.datasetVersions) expect(at(`dv-${v.id}`).x).toBeLessThan(run.x);
      for (const v of d.datasetVersions) for (const p of v.parentIds) expect(at(`dv-${p}`).x).toBeLessThan(at(`dv-${v.id}`).x);
      for (const ds of d.datasets) expect(at(`ds-${ds.id}`).x).toBe(Math.min(...layout.nodes.map((n) => n.x)));
      for (const p of d.parents) {
        expect(at(`mv-${p.id}`).x).toBe(version.x);
        expect(at(`mv-${p.id}`).y).toBeLessThan(version.y);
      }
      for (const dep of d.deployments) expect(at(`dep-${dep.id}`).x).toBeGreaterThan(version.x);
    }
  });
});

describe("toProvJson", () => {
  it("is PROV-JSON with the lineage's entities, activities, agents and relations", () => {
    const r = fixture.result;
    const prov = JSON.parse(renderProvJson(v1)) as ProvDocument;
    expect(prov).toEqual(toProvJson(v1));
    for (const key of ["prefix", "entity", "activity", "agent", "wasGeneratedBy", "used", "wasDerivedFrom", "wasAttributedTo", "wasAssociatedWith", "actedOnBehalfOf"]) {
      expect(prov, key).toHaveProperty(key);
    }
    expect(prov.prefix).toMatchObject({ prov: "http://www.w3.org/ns/prov#", xsd: "http://www.w3.org/2001/XMLSchema#" });
    expect(prov.prefix.pedigree).toBeTruthy();

    const mv = `pedigree:modelVersion/${r.modelVersions.triageV1}`;
    const run = `pedigree:trainingRun/${r.modelVersions.triageV1}`;
    const dvNotes1 = `pedigree:datasetVersion/${r.datasetVersions.clinicalNotesV1}`;
    const dvNotes2 = `pedigree:datasetVersion/${r.datasetVersions.clinicalNotesV2}`;
    const dvOpen = `pedigree:datasetVersion/${r.datasetVersions.publicTextV1}`;
    const team = `pedigree:account/${who.mlTeam}`;
    for (const e of [mv, dvNotes1, dvNotes2, dvOpen, `pedigree:dataset/${r.datasets.clinicalNotes}`, `pedigree:licence/${r.licences.clinicalNotes}`, `pedigree:model/${r.models.triage}`]) {
      expect(prov.entity, e).toHaveProperty([e]);
    }
    expect(prov.entity[mv]!["prov:type"]).toEqual({ $: "pedigree:ModelVersion", type: "prov:QUALIFIED_NAME" });
    expect(prov.entity[mv]!["pedigree:transactionHash"]).toBe(v1.version.tx.txHash);
    expect(prov.activity).toHaveProperty([run]);
    expect(prov.activity).toHaveProperty([`pedigree:deployment/${r.deployments.triageV1}`]);
    expect(prov.agent).toHaveProperty([team]);
    expect(prov.agent[`pedigree:account/${who.evaluator}`]!["pedigree:role"]).toEqual(["EVALUATOR"]);

    const rel = (kind: keyof ProvDocument) => Object.values(prov[kind] as Record<string, Record<string, unknown>>);
    expect(rel("wasDerivedFrom")).toContainEqual(expect.objectContaining({ "prov:generatedEntity": dvNotes2, "prov:usedEntity": dvNotes1, "prov:type": { $: "prov:Revision", type: "prov:QUALIFIED_NAME" } }));
    expect(rel("used")).toContainEqual(expect.objectContaining({ "prov:activity": run, "prov:entity": dvNotes2 }));
    expect(rel("used")).toContainEqual(expect.objectContaining({ "prov:activity": run, "prov:entity": dvOpen }));
    expect(rel("wasGeneratedBy")).toContainEqual(expect.objectContaining({ "prov:entity": mv, "prov:activity": run }));
    expect(rel("wasAssociatedWith")).toContainEqual(expect.objectContaining({ "prov:activity": run, "prov:agent": team }));
    expect(rel("wasAttributedTo")).toContainEqual({ "prov:entity": `pedigree:attestation/${r.attestations.biasV1}`, "prov:agent": `pedigree:account/${who.evaluator}` });
    expect(rel("wasAttributedTo")).toContainEqual({ "prov:entity": `pedigree:attestation/${r.attestations.consent}`, "prov:agent": `pedigree:account/${who.steward}` });
    expect(rel("actedOnBehalfOf")).toContainEqual(expect.objectContaining({ "prov:delegate": `pedigree:account/${who.relayer}`, "prov:responsible": `pedigree:account/${who.evaluator}` }));
    expectReferentialIntegrity(prov);
  });

  it("marks v2 as a fine-tune of v1 and its revoked bias check as invalidated", () => {
    const r = fixture.result;
    const prov = toProvJson(v2);
    const mv2 = `pedigree:modelVersion/${r.modelVersions.triageV2}`;
    const mv1 = `pedigree:modelVersion/${r.modelVersions.triageV1}`;
    expect(Object.values(prov.wasDerivedFrom)).toContainEqual(expect.objectContaining({ "prov:generatedEntity": mv2, "prov:usedEntity": mv1 }));
    expect(Object.values(prov.used)).toContainEqual(expect.objectContaining({ "prov:activity": `pedigree:trainingRun/${r.modelVersions.triageV2}`, "prov:entity": mv1 }));
    const bias = `pedigree:attestation/${r.attestations.biasV2}`;
    expect(Object.values(prov.wasInvalidatedBy)).toContainEqual(expect.objectContaining({ "prov:entity": bias, "prov:activity": `pedigree:revocation/${r.attestations.biasV2}` }));
    expect(Object.keys(prov.activity).some((k) => k.startsWith("pedigree:rollback/"))).toBe(true);
    expectReferentialIntegrity(prov);
  });
});

describe("writeReport", () => {
  it("writes the four files, named after the version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-report-"));
    try {
      const { files, dossier } = await writeReport({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2, outDir: dir });
      const id2 = s(fixture.result.modelVersions.triageV2);
      expect(files).toEqual(["md", "html", "json", "prov.json"].map((ext) => join(dir, `model-version-${id2}.${ext}`)));
      for (const file of files) expect(statSync(file).size).toBeGreaterThan(1000);
      expect(JSON.parse(readFileSync(files[2]!, "utf8"))).toEqual(dossier);
      expect(readFileSync(files[2]!, "utf8")).toBe(renderJson(dossier));
      expect(JSON.parse(readFileSync(files[3]!, "utf8"))).toEqual(toProvJson(dossier));
      expect(readFileSync(files[0]!, "utf8")).toContain("# Audit dossier");
      expectWellFormed(readFileSync(files[1]!, "utf8"));

      const only = await writeReport({ url: fixture.url, versionId: fixture.result.modelVersions.triageV1, outDir: join(dir, "sub"), formats: ["prov", "md"] });
      expect(only.files).toEqual([join(dir, "sub", "model-version-1.md"), join(dir, "sub", "model-version-1.prov.json")]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names no file after a version id that is not the canonical id of the dossier's subject, and writes nothing", async () => {
    const root = mkdtempSync(join(tmpdir(), "pedigree-report-"));
    const out = join(root, "a", "b", "out");
    try {
      for (const hostile of ["../../../escaped-report", "1/../../x", "/tmp/escaped", "01", "1\u0000", "", s(fixture.result.modelVersions.triageV2)]) {
        const dossier: VersionDossier = { ...v1, version: { ...v1.version, id: hostile } };
        await expect(writeDossier(dossier, out), JSON.stringify(hostile)).rejects.toThrow(UntrustedVersionIdError);
      }
      expect(readdirSync(root, { recursive: true })).toEqual([]);
      expect(await writeDossier(v1, out, ["md"])).toEqual([join(out, "model-version-1.md")]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// --- lineage deeper than the first request reaches -----------------------------------------------------------------

describe("deep lineage", () => {
  let deep: VersionDossier;
  const datasetVersions: bigint[] = [];
  const modelVersions: bigint[] = [];
  let crossVersion: bigint;

  beforeAll(async () => {
    const { cast, deployment } = fixture;
    const as = (signer: Signer) => createPedigreeClient({ runner: signer, addresses: deployment.addresses });
    const free = { price: 0n, commercialUse: true, derivativesAllowed: true, documentURI: "spdx:CC0-1.0" };
    const base = await registerDataset(as(cast.carol), { version: { fingerprint: id("deep 1"), uri: "ipfs://deep1" }, terms: free });
    datasetVersions.push(base.versionId);
    for (let i = 2; i <= 5; i++) {
      const next = await publishDatasetVersion(as(cast.carol), {
        datasetId: base.datasetId,
        version: { fingerprint: id(`deep ${i}`), uri: `ipfs://deep${i}` },
        parents: [datasetVersions.at(-1)!],
        transformationHash: id(`step ${i}`),
      });
      datasetVersions.push(next.versionId);
    }
    // Another creator's dataset derived from the second version of the first (a cross-dataset derivation, licensed).
    const bobsLicence = await acquireLicence(as(cast.bob), { datasetId: base.datasetId });
    const cross = await registerDataset(as(cast.bob), {
      version: { fingerprint: id("cross 1"), uri: "ipfs://cross1" },
      parents: [{ versionId: datasetVersions[1]!, licenceId: bobsLicence.licenceId }],
      transformationHash: id("merge"),
      terms: free,
    });
    crossVersion = cross.versionId;
    const licence = await acquireLicence(as(cast.mlTeam), { datasetId: base.datasetId });
    const crossLicence = await acquireLicence(as(cast.mlTeam), { datasetId: cross.datasetId });
    const model = await registerModel(as(cast.mlTeam), { commercial: false, uri: "ipfs://deep-model" });
    const now = BigInt((await provider().getBlock("latest"))!.timestamp);
    for (let i = 1; i <= 6; i++) {
      const last = i === 6;
      const published = await publishModelVersion(as(cast.mlTeam), {
        modelId: model.modelId,
        version: { weightsHash: id(`deep weights ${i}`), uri: `s3://deep/${i}`, ...(modelVersions.length ? { parentVersionId: modelVersions.at(-1)! } : {}) },
        trainingRun: {
          region: "DE",
          data: last
            ? [
                { datasetVersionId: datasetVersions.at(-1)!, licenceId: licence.licenceId },
                // Also an ancestor of the version above: used directly and through a derivation.
                { datasetVersionId: datasetVersions[2]!, licenceId: licence.licenceId },
                { datasetVersionId: crossVersion, licenceId: crossLicence.licenceId },
              ]
            : [{ datasetVersionId: datasetVersions[0]!, licenceId: licence.licenceId }],
          codeHash: id(`deep code ${i}`),
          startedAt: now - 100n,
          endedAt: now - 10n,
        },
      });
      modelVersions.push(published.versionId);
    }
    const end = await provider().getBlockNumber();
    await fixture.indexer.waitForBlock(end);
    deep = await fetchDossier({ url: fixture.url, versionId: modelVersions.at(-1)! });
  }, 120_000);

  it("follows fine-tune parents and derivations past the first request's depth", () => {
    expect(deep.parents.map((p) => p.id)).toEqual(modelVersions.slice(0, -1).reverse().map(s));
    expect(deep.parents.map((p) => p.depth)).toEqual([1, 2, 3, 4, 5]);
    const byId = new Map(deep.datasetVersions.map((v) => [v.id, v]));
    expect(byId.size).toBe(6);
    expect(datasetVersions.map((v) => byId.get(s(v))!.derivationDepth)).toEqual([4, 3, 2, 1, 0]);
    expect(byId.get(s(crossVersion))).toMatchObject({ usedInTraining: true, derivationDepth: 0, parentIds: [s(datasetVersions[1]!)] });
    expect(byId.get(s(datasetVersions[2]!))).toMatchObject({ usedInTraining: true, derivationDepth: 2 });
    expect(byId.get(s(datasetVersions[1]!))).toMatchObject({ usedInTraining: false, derivationDepth: 3 });
    // One more round trip per level of lineage (fine-tunes, then derivations): flat pages of open ends; and one for the
    // royalties of each of the 2 datasets in scope.
    expect(deep.generatedAt.requests).toBeLessThanOrEqual(15);
  });

  it("renders it: a box per version, no overlaps, derivations left to right, valid PROV", () => {
    const html = renderHtml(deep);
    expectWellFormed(html);
    for (const v of deep.datasetVersions) expect(html).toContain(`id="pd-dv-${v.id}"`);
    for (const p of deep.parents) expect(html).toContain(`id="pd-mv-${p.id}"`);
    const layout = layoutLineage(deep);
    const { width: w, height: h } = NODE_SIZE;
    for (const [i, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(i + 1)) {
        expect(a.x < b.x + w && b.x < a.x + w && a.y < b.y + h && b.y < a.y + h, `${a.key} overlaps ${b.key}`).toBe(false);
      }
    }
    const at = (key: string) => layout.nodes.find((n) => n.key === key)!;
    for (const v of deep.datasetVersions) for (const p of v.parentIds) expect(at(`dv-${p}`).x).toBeLessThan(at(`dv-${v.id}`).x);
    const prov = toProvJson(deep);
    expectReferentialIntegrity(prov);
    expect(Object.values(prov.wasDerivedFrom)).toContainEqual(
      expect.objectContaining({
        "prov:generatedEntity": `pedigree:datasetVersion/${crossVersion}`,
        "prov:usedEntity": `pedigree:datasetVersion/${datasetVersions[1]}`,
        "prov:type": { $: "pedigree:DatasetDerivation", type: "prov:QUALIFIED_NAME" },
      }),
    );
    expectTablesIntact(renderMarkdown(deep));
  });

  it("renders a version with no recorded data or deployments", () => {
    const bare: VersionDossier = { ...v2, training: null, datasets: [], datasetVersions: [], licences: [], deployments: [], rollbacks: [], decisionBatches: [], parents: [] };
    const html = renderHtml(bare);
    expectWellFormed(html);
    expect(html).toContain(`id="pd-mv-${bare.version.id}"`);
    expect(layoutLineage(bare).nodes).toHaveLength(1);
    expect(renderMarkdown(bare)).toContain("No training run is recorded");
    expectReferentialIntegrity(toProvJson(bare));
  });
});

// --- hostile text from the chain ------------------------------------------------------------------------------------

describe("untrusted chain text", () => {
  const SCRIPT = "<script>alert(1)</script>";
  let hostile: VersionDossier;

  beforeAll(async () => {
    const { cast, deployment } = fixture;
    const as = (signer: Signer) => createPedigreeClient({ runner: signer, addresses: deployment.addresses });
    const data = await registerDataset(as(cast.alice), {
      version: { fingerprint: id("hostile data"), uri: SCRIPT },
      terms: { price: 0n, commercialUse: true, derivativesAllowed: true, documentURI: `javascript:alert(2)//${SCRIPT}` },
    });
    const licence = await acquireLicence(as(cast.mlTeam), { datasetId: data.datasetId });
    const model = await registerModel(as(cast.mlTeam), { commercial: true, uri: `"><img src=x onerror=alert(3)>` });
    const now = BigInt((await provider().getBlock("latest"))!.timestamp);
    const version = await publishModelVersion(as(cast.mlTeam), {
      modelId: model.modelId,
      version: { weightsHash: id("hostile weights"), uri: "</svg></title><script>alert(4)</script>`|" },
      trainingRun: { region: "DE", data: [{ datasetVersionId: data.versionId, licenceId: licence.licenceId }], codeHash: id("x"), startedAt: now - 100n, endedAt: now - 10n },
    });
    const evaluation = await attest(as(cast.evaluator), { subjectType: "model-version", subjectId: version.versionId, kind: "safety-evaluation", evidenceURI: SCRIPT });
    await revokeAttestation(as(cast.evaluator), {
      attestationId: evaluation.attestationId,
      reason: "</td></tr><script>alert(5)</script> | ~~~ **bold** [x](javascript:alert(6)) <!--",
    });
    const withdrawal = await withdrawDataset(as(cast.alice), { datasetId: data.datasetId, reason: "<script>alert(7)</script>\n# heading\n- item" });
    await fixture.indexer.waitForBlock(withdrawal.blockNumber);
    hostile = await fetchDossier({ url: fixture.url, versionId: version.versionId });
  }, 120_000);

  it("stores the hostile strings verbatim in the dossier", () => {
    expect(hostile.datasetVersions[0]!.uri).toBe(SCRIPT);
    expect(hostile.attestations[0]!.evidenceURI).toBe(SCRIPT);
    expect(hostile.attestations[0]!.revocation!.reason).toContain("<script>alert(5)</script>");
    expect(hostile.datasets[0]!.withdrawal!.reason).toContain("<script>alert(7)</script>");
  });

  it("escapes them in the HTML: no raw script, no injected element or attribute, no javascript: link", () => {
    const html = renderHtml(hostile);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*onerror/i);
    expect(html).not.toMatch(/<!--/);
    expectWellFormed(html);
    for (const ref of references(html)) expect(ref.startsWith("#"), ref).toBe(true);
    // Shown, as text.
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).toContain("&#60;script&#62;alert(7)&#60;/script&#62;");
    expect(html).toContain("javascript:alert(2)//&#60;script&#62;");
    // In the diagram too (the withdrawn dataset's reason and the tooltips).
    const svg = html.slice(html.indexOf("<svg"), html.indexOf("</svg>") + 6);
    expect(svg).toContain("&#60;script&#62;alert(7)");
    expectWellFormed(svg);
  });

  it("escapes them in the Markdown: no raw HTML outside code spans, tables intact", () => {
    const md = renderMarkdown(hostile);
    const prose = mdOutsideCode(md);
    expect(prose).not.toMatch(/(^|[^\\])</);
    expect(prose).not.toMatch(/^#+ heading/m);
    expect(prose).not.toMatch(/(^|[^\\])\]\(javascript:/);
    expect(md).toContain("\\<script\\>alert(7)\\</script\\>");
    expectTablesIntact(md);
  });

  it("keeps them as plain data in JSON and PROV-JSON", () => {
    const json = JSON.parse(renderJson(hostile)) as VersionDossier;
    expect(json.datasetVersions[0]!.uri).toBe(SCRIPT);
    const prov = JSON.parse(renderProvJson(hostile)) as ProvDocument;
    expect(prov.entity[`pedigree:datasetVersion/${hostile.datasetVersions[0]!.id}`]!["pedigree:uri"]).toBe(SCRIPT);
    expectReferentialIntegrity(prov);
  });
});

// --- a look at it, when a browser is at hand ------------------------------------------------------------------------

const chromium = ["chromium", "chromium-browser", "google-chrome"].map((name) => {
  try {
    return execFileSync("which", [name], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}).find(Boolean);

describe("screenshot", () => {
  it.runIf(Boolean(chromium))("renders in headless Chromium", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-shot-"));
    const { files } = await writeReport({ url: fixture.url, versionId: fixture.result.modelVersions.triageV2, outDir: dir, formats: ["html"] });
    const png = join(dir, "report.png");
    execFileSync(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", `--screenshot=${png}`, "--window-size=1400,2200", `file://${files[0]}`], { stdio: "ignore", timeout: 60_000 });
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(10_000);
    if (process.env.PEDIGREE_KEEP_SCREENSHOT) execFileSync("cp", [png, process.env.PEDIGREE_KEEP_SCREENSHOT]);
    rmSync(dir, { recursive: true, force: true });
  });
});
