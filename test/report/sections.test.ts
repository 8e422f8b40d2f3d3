/**
 * The report's section builders against the real fixture: the demo scenario on a local chain, indexed by the embedded
 * indexer, and the dossiers of its four model versions. Each builder is checked for its section (title and anchor from
 * SECTIONS) and the facts it states, then an emptied dossier for what each section says when there is nothing, then
 * each format (Markdown, HTML, JSON, PROV-JSON) for one fact of every section in its place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroHash, formatEther, id } from "ethers";
import {
  NOT_COVERED,
  SECTIONS,
  SECTION_BUILDERS,
  buildDocument,
  escapeHtml,
  fetchDossier,
  mdText,
  provId,
  renderHtml,
  renderJson,
  renderMarkdown,
  toProvJson,
  type Inline,
  type ProvDocument,
  type Section,
  type SectionSpec,
  type VersionDossier,
} from "../../src/report/index.ts";
import { datasetVersionLabel, formatTime, isZeroHash, versionLabel } from "../../src/report/format.ts";
import { accountsSection } from "../../src/report/sections/accounts.ts";
import { agentsSection } from "../../src/report/sections/agents.ts";
import { approvalSection } from "../../src/report/sections/approval.ts";
import { attestationsSection } from "../../src/report/sections/attestations.ts";
import { limitationsSection, methodSection, notCoveredSection } from "../../src/report/sections/closing.ts";
import { dataSection } from "../../src/report/sections/data.ts";
import { decisionsSection } from "../../src/report/sections/decisions.ts";
import { jurisdictionsSection } from "../../src/report/sections/jurisdictions.ts";
import { deploymentsSection } from "../../src/report/sections/deployments.ts";
import { historySection } from "../../src/report/sections/history.ts";
import { identificationSection } from "../../src/report/sections/identification.ts";
import { licencesSection } from "../../src/report/sections/licences.ts";
import { lineageSection, parentsSection } from "../../src/report/sections/lineage.ts";
import { summarySection } from "../../src/report/sections/summary.ts";
import { trainingSection } from "../../src/report/sections/training.ts";
import { indexedScenario, type IndexedScenario } from "../../src/dev/indexed-scenario.ts";
import { playAgentAct, type AgentAct } from "../helpers/agent-act.ts";
import { expectReferentialIntegrity, expectTablesIntact, expectWellFormed } from "./checks.ts";

type SectionKey = keyof typeof SECTIONS;

let fixture: IndexedScenario;
/** A support agent bound to the assistant (a system version running triage v1), then to its prompt update. */
let act: AgentAct;
/** Triage v1 (approved, live, decisions anchored, its weights copied), v2 (fine-tuned from v1, bias check revoked, rolled back). */
let v1: VersionDossier;
let v2: VersionDossier;
/** The radiology fine-tune: unapproved, trained on data whose consent was revoked and whose licence was refunded. */
let radiology: VersionDossier;
/** Mallory's copy of v1's weights: no training data declared, nothing else. */
let copy: VersionDossier;
const who: Record<string, string> = {};
const s = (value: bigint | number) => value.toString();

beforeAll(async () => {
  fixture = await indexedScenario();
  act = await playAgentAct(fixture);
  for (const [name, signer] of Object.entries(fixture.cast)) who[name] = signer.address.toLowerCase();
  const dossierOf = (versionId: bigint) => fetchDossier({ url: fixture.url, versionId });
  const versions = fixture.result.modelVersions;
  [v1, v2, radiology, copy] = await Promise.all([versions.triageV1, versions.triageV2, versions.radiologyTriageV1, versions.copyV1].map(dossierOf));
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

// --- helpers --------------------------------------------------------------------------------------------------------

/** What a reader sees of some inlines: code as its text, badges as their word, a transaction as its hash. */
function plain(content: Inline[]): string {
  return content
    .map((part): string => {
      if (typeof part === "string") return part;
      if ("code" in part) return part.code;
      if ("strong" in part) return plain(part.strong);
      if ("badge" in part) return part.badge;
      if ("tx" in part) return part.tx?.txHash ?? "—";
      return part.text;
    })
    .join("");
}

/** The `n`-th fields block of a section: label → what it shows. */
function fieldsOf(section: Section, n = 0): Map<string, string> {
  const blocks = section.blocks.filter((b) => b.kind === "fields");
  expect(blocks.length, `fields block ${n} of ${section.spec.id}`).toBeGreaterThan(n);
  return new Map(blocks[n]!.rows.map(([label, value]) => [label, plain(value)]));
}

/** The table of a section whose first column is `first`: its rows as text, and what it says when it has none. */
function tableOf(section: Section, first: string): { rows: string[][]; empty: string } {
  const table = section.blocks.find((b) => b.kind === "table" && b.header[0] === first);
  if (table?.kind !== "table") throw new Error(`no table "${first}" in section ${section.spec.id}`);
  return { rows: table.rows.map((row) => row.map(plain)), empty: table.empty };
}

/** All a reader sees of a section, one line per paragraph, field, row or item, empty tables and lists by their message. */
function textOf(section: Section): string {
  return section.blocks
    .flatMap((b): string[] => {
      switch (b.kind) {
        case "fields":
          return b.rows.map(([label, value]) => `${label}: ${plain(value)}`);
        case "table":
          return b.rows.length ? [b.header.join(" | "), ...b.rows.map((row) => row.map(plain).join(" | "))] : [b.empty];
        case "list":
          return b.items.length ? b.items.map(plain) : [b.empty ?? "None."];
        case "lineage":
          return ["(lineage drawing)"];
        default:
          return [plain(b.content)];
      }
    })
    .join("\n");
}

/** The Markdown of one section: from its heading to the next section's. */
function mdSection(md: string, spec: SectionSpec): string {
  const start = md.indexOf(`\n## ${spec.title}\n`);
  expect(start, `## ${spec.title}`).toBeGreaterThan(0);
  const end = md.indexOf("\n## ", start + 1);
  return md.slice(start, end === -1 ? undefined : end);
}

/** The HTML of one section: its <section> element, found by its anchor. */
function htmlSection(html: string, spec: SectionSpec): string {
  const start = html.indexOf(`<section id="${spec.id}" class="section-${spec.id}">\n<h2>${spec.title}</h2>`);
  expect(start, `<section id="${spec.id}">`).toBeGreaterThan(0);
  return html.slice(start, html.indexOf("</section>", start));
}

/** Each section's builder, by its key in SECTIONS. */
const BUILDER: Record<SectionKey, (d: VersionDossier) => Section> = {
  summary: summarySection,
  identification: identificationSection,
  lineage: lineageSection,
  parents: parentsSection,
  training: trainingSection,
  data: dataSection,
  licences: licencesSection,
  attestations: attestationsSection,
  approval: approvalSection,
  deployments: deploymentsSection,
  decisions: decisionsSection,
  jurisdictions: jurisdictionsSection,
  agents: agentsSection,
  history: historySection,
  accounts: accountsSection,
  limitations: limitationsSection,
  notCovered: notCoveredSection,
  method: methodSection,
};

// --- the builders ---------------------------------------------------------------------------------------------------

describe("buildDocument", () => {
  it("is the list of section builders: one section each, in the order and with the titles and anchors of SECTIONS", () => {
    const document = buildDocument(v1);
    expect(document.sections.map((section) => section.spec)).toEqual(Object.values(SECTIONS));
    expect(document.sections).toEqual(SECTION_BUILDERS.map((build) => build(v1)));
    expect(new Set(document.sections.map((section) => section.spec.id)).size).toBe(SECTION_BUILDERS.length);
    expect(document.title).toBe(`Audit dossier: model ${v1.model.id}, version 1 (model version id ${v1.version.id})`);
    expect(plain(document.intro)).toContain(`as of block ${v1.generatedAt.block.number}`);
  });
});

describe("section builders", () => {
  it("summary: approval, where it is live, rollbacks, revocations, training data, parents, decisions and the notices", () => {
    const r = fixture.result;
    const section = summarySection(v2);
    expect(section.spec).toBe(SECTIONS.summary);
    const f = fieldsOf(section);
    expect(f.get("Subject")).toBe(versionLabel(v2.version));
    expect(f.get("Release approval")).toBe(`approved ${v2.approval!.tx.txHash}`);
    expect(f.get("Live now in")).toBe("not live in any environment");
    expect(f.get("Rolled back")).toBe("rolled back 1×");
    expect(f.get("Revoked attestations")).toBe(`revoked: ${r.attestations.biasV2}`);
    expect(f.get("Training data")).toBe("1 dataset version(s) from 1 dataset(s) under 1 licence(s); 1 derivation ancestor(s)");
    expect(f.get("Fine-tuned from")).toBe(versionLabel(v2.parents[0]!));
    expect(section.blocks.at(-1)).toEqual({ kind: "list", items: v2.summary.notices.map((n) => [n]), empty: expect.stringContaining("No notices") });
    expect(v2.summary.notices.length).toBeGreaterThan(0);

    const live = fieldsOf(summarySection(v1));
    expect(live.get("Live now in")).toBe("live assistant, production");
    expect(live.get("Training data")).toBe("2 dataset version(s) from 2 dataset(s) under 2 licence(s); 1 derivation ancestor(s)");
    expect(live.get("Decision batches anchored")).toBe("2 (1100 decisions)");
    expect(fieldsOf(summarySection(radiology)).get("Release approval")).toBe("not approved");
  });

  it("identification: the model and its release policy, the version's hashes and status, and the competing claims of its weights", () => {
    const section = identificationSection(v1);
    expect(section.spec).toBe(SECTIONS.identification);
    const model = fieldsOf(section, 0);
    expect(model.get("Model id")).toBe(s(fixture.result.models.triage));
    expect(model.get("Creator")).toBe(who.mlTeam);
    expect(model.get("Model card URI")).toBe("ipfs://bafytriagecard");
    expect(model.get("Release policy requires")).toBe("safety-evaluation (kind 1), bias-check (kind 2), release-approval (kind 6), and declared training data");
    const version = fieldsOf(section, 1);
    expect(version.get("Model version id")).toBe(v1.version.id);
    expect(version.get("Weights hash")).toBe(id("triage v1 weights"));
    expect(version.get("URI")).toBe("s3://acme/triage/v1");
    expect(version.get("Fine-tuned from")).toBe("— (a base model)");
    expect(version.get("Approved")).toBe("approved");
    expect(version.get("Published")).toBe(v1.version.tx.txHash);
    expect(version.has("Training data")).toBe(false);
    const claims = tableOf(section, "Digest").rows;
    expect(claims.map((row) => [row[0], row[2], row[5]])).toEqual([
      [v1.version.weightsHash, who.mlTeam, "registered first; earliest claim"],
      [v1.version.weightsHash, who.mallory, ""],
    ]);
    expect(claims[0]![1]).toBe(`model ${v1.model.id} version 1 (id ${v1.version.id}) in this dossier`);

    expect(fieldsOf(identificationSection(v2), 1).get("Approved")).toBe(`approved no longer releasable (${v2.summary.notReleasableBecause.join("; ")})`);
    const copied = identificationSection(copy);
    expect(fieldsOf(copied, 1).get("Training data")).toBe("undeclared its training run, or a fine-tune ancestor's, names no registered dataset");
    expect(tableOf(copied, "Digest").rows.map((row) => row[1]!.endsWith("in this dossier"))).toEqual([false, true]);
  });

  it("lineage overview: the explanation, then the drawing", () => {
    const section = lineageSection(v1);
    expect(section.spec).toBe(SECTIONS.lineage);
    expect(section.blocks.map((b) => b.kind)).toEqual(["paragraph", "lineage"]);
    expect(textOf(section)).toContain("Datasets → their versions");
  });

  it("fine-tune lineage: the parents with what they were trained on, and the versions fine-tuned from this one", () => {
    const section = parentsSection(v2);
    expect(section.spec).toBe(SECTIONS.parents);
    const parent = v2.parents[0]!;
    expect(tableOf(section, "Depth").rows).toEqual([
      ["1", versionLabel(parent), parent.weightsHash, "s3://acme/triage/v1", "yes", parent.training!.datasetVersionIds.join(", "), parent.tx.txHash],
    ]);
    expect(textOf(section)).toContain("in its own dossier");

    const base = parentsSection(v1);
    expect(tableOf(base, "Depth")).toEqual({ rows: [], empty: "None: a base model (not fine-tuned from another version)." });
    expect(tableOf(base, "Model version").rows).toEqual(v1.fineTunes.map((f) => [versionLabel(f), f.tx.txHash]));
    expect(v1.fineTunes).toHaveLength(2);
  });

  it("training run: its declared hashes and period, and each dataset version it used under which licence", () => {
    const r = fixture.result;
    const section = trainingSection(v1);
    expect(section.spec).toBe(SECTIONS.training);
    const f = fieldsOf(section);
    expect(f.get("Training run id")).toBe(v1.training!.id);
    expect(f.get("Code hash")).toBe(id("git:4be1d0c"));
    expect(f.get("Hyperparameters hash")).toBe(id("lr=3e-4 epochs=3"));
    expect(f.get("Started (declared)")).toBe(v1.training!.startedAt.time);
    expect(f.get("Recorded")).toBe(v1.training!.tx.txHash);
    const label = (versionId: bigint) => datasetVersionLabel(v1.datasetVersions.find((v) => v.id === s(versionId))!);
    expect(tableOf(section, "#").rows).toEqual([
      ["0", label(r.datasetVersions.clinicalNotesV2), s(r.datasets.clinicalNotes), s(r.licences.clinicalNotes)],
      ["1", label(r.datasetVersions.publicTextV1), s(r.datasets.publicText), s(r.licences.publicText)],
    ]);
    expect(tableOf(trainingSection(copy), "#")).toEqual({ rows: [], empty: "None recorded." });
  });

  it("training data provenance: each dataset version's role, derivation and hashes, and each dataset's terms and withdrawal", () => {
    const r = fixture.result;
    const section = dataSection(v1);
    expect(section.spec).toBe(SECTIONS.data);
    const versions = new Map(tableOf(section, "Dataset version").rows.map((row) => [row[0], row]));
    const notesV2 = v1.datasetVersions.find((v) => v.id === s(r.datasetVersions.clinicalNotesV2))!;
    const notesV1 = v1.datasetVersions.find((v) => v.id === s(r.datasetVersions.clinicalNotesV1))!;
    expect(notesV2.metadataHash).toBe(ZeroHash); // no datasheet registered
    expect(versions.get(datasetVersionLabel(notesV2))).toEqual([
      datasetVersionLabel(notesV2),
      "used in training",
      `dataset version ${notesV1.id}`,
      notesV2.fingerprint,
      notesV2.manifestRoot,
      "— (not provided)",
      id("pipeline: de-identify PHI, dedupe"),
      "ipfs://bafybeiclinicalnotesv2",
      who.alice,
      notesV2.tx.txHash,
    ]);
    expect(versions.get(datasetVersionLabel(notesV1))!.slice(1, 3)).toEqual(["ancestor (depth 1)", "— (original)"]);
    expect(tableOf(section, "Dataset").rows.map((row) => [row[0], row[1], row[4], row[5]])).toEqual([
      [s(r.datasets.clinicalNotes), who.alice, v1.datasets[0]!.currentTermsId, "no"],
      [s(r.datasets.publicText), who.carol, v1.datasets[1]!.currentTermsId, "no"],
    ]);
    expect(textOf(section)).not.toContain("Competing claims");

    const revoked = radiology.datasets[0]!;
    expect(tableOf(dataSection(radiology), "Dataset").rows[0]![5]).toBe(
      `withdrawn patient consent revoked — ${revoked.withdrawal!.tx!.txHash}; consent revoked patient consent revoked — ${revoked.consentRevocation!.tx!.txHash}`,
    );
  });

  it("licences and terms: who paid what until when, and the terms each licence was sold under, royalty splits included", () => {
    const r = fixture.result;
    const section = licencesSection(v1);
    expect(section.spec).toBe(SECTIONS.licences);
    const [notes, open] = v1.licences;
    expect(tableOf(section, "Licence").rows).toEqual([
      [notes!.id, notes!.datasetId, who.mlTeam, who.mlTeam, "0.5 ETH", notes!.expiresAt.time, notes!.terms.id, notes!.tx.txHash],
      [open!.id, open!.datasetId, who.mlTeam, who.mlTeam, "0 ETH", "perpetual", open!.terms.id, open!.tx.txHash],
    ]);
    const headings = section.blocks.filter((b) => b.kind === "heading").map((b) => plain(b.content));
    expect(headings).toEqual([
      `Terms ${notes!.terms.id} (dataset ${notes!.datasetId}, licence ${notes!.id})`,
      `Terms ${open!.terms.id} (dataset ${open!.datasetId}, licence ${open!.id})`,
      "Royalties by use and down the lineage",
    ]);
    const terms = fieldsOf(section, 0);
    expect(terms.get("Price")).toBe("0.5 ETH");
    expect(terms.get("Duration")).toBe("365 days");
    expect(terms.get("Commercial use")).toBe("allowed");
    expect(terms.get("Licence document URI")).toBe("ipfs://bafybeistmaryslicence");
    expect(terms.get("Training territories")).toBe("EEA");
    expect(terms.get("Deployment territories")).toBe("EU");
    expect(fieldsOf(section, 1).get("Training territories")).toBe("worldwide");
    expect(fieldsOf(section, 1).get("Deployment territories")).toBe("worldwide");
    expect(terms.get("Royalty splits")).toBe(`${who.alice} 70 %; ${who.curator} 30 %`);
    expect(terms.get("Price per unit of use")).toBe("0.000000001 ETH per tokens-trained");
    expect(terms.get("Derivative royalty")).toBe("15 %");
    expect(fieldsOf(section, 1).get("Royalty splits")).toBe("— (none)");
    expect(fieldsOf(section, 1).get("Price per unit of use")).toBe("— (not metered)");

    // Act 10: clinical notes earned by two sales, by the ML team's usage report (disputed), and by derivation.
    expect(tableOf(section, "Earned by dataset").rows).toEqual([[String(r.datasets.clinicalNotes), "1 ETH", "0.004 ETH", "0.015 ETH", "0 ETH", "1.019 ETH"]]);
    expect(tableOf(section, "Metered licence").rows).toEqual([
      [String(r.licences.clinicalNotes), String(r.datasets.clinicalNotes), "4000000 tokens-trained", "1", "0.004 ETH", `disputed: ${r.usage.reportId}`],
    ]);

    const refund = radiology.licences[0]!.refund!;
    expect(tableOf(licencesSection(radiology), "Licence").rows[0]![4]).toBe(`0.2 ETH voided ${formatEther(refund.amount)} ETH refunded — ${refund.tx.txHash}`);
  });

  it("evaluations and attestations: kind, subject, attester and relayer, evidence, and whether each still stands", () => {
    const r = fixture.result;
    const section = attestationsSection(v1);
    expect(section.spec).toBe(SECTIONS.attestations);
    const rows = new Map(tableOf(section, "Id").rows.map((row) => [row[0], row]));
    expect([...rows.keys()]).toEqual(v1.attestations.map((a) => a.id));
    expect(rows.get(s(r.attestations.biasV1))!.slice(1, 6)).toEqual([
      "bias-check (kind 2)",
      `model version ${v1.version.id}`,
      who.evaluator,
      `${who.relayer} (relayed the attester's EIP-712 signature)`,
      "ipfs://bafybiasv1",
    ]);
    expect(rows.get(s(r.attestations.biasV1))![7]).toBe("valid (in the release approval)");
    const consent = v1.attestations.find((a) => a.id === s(r.attestations.consent))!;
    expect(rows.get(consent.id)!.slice(2, 6)).toEqual([
      `dataset version ${r.datasetVersions.clinicalNotesV2}`,
      who.steward,
      "the attester",
      `ipfs://bafyconsentregister hash ${consent.evidenceHash}`,
    ]);

    const revoked = v2.attestations.find((a) => a.revoked)!;
    const status = tableOf(attestationsSection(v2), "Id").rows.find((row) => row[0] === revoked.id)![7];
    expect(status).toBe(`revoked by ${who.evaluator}: bias regression found in post-release monitoring — ${revoked.revocation!.tx!.txHash}`);
  });

  it("release approval: by whom, on which attestations, and whether it still holds", () => {
    const r = fixture.result;
    const section = approvalSection(v1);
    expect(section.spec).toBe(SECTIONS.approval);
    const f = fieldsOf(section);
    expect(f.get("Approved by")).toBe(who.mlTeam);
    expect(f.get("Approved")).toBe(v1.approval!.tx.txHash);
    expect(f.get("On the strength of attestations")).toBe(`${r.attestations.safetyV1} (safety-evaluation), ${r.attestations.biasV1} (bias-check), ${r.attestations.approvalV1} (release-approval)`);
    expect(section.blocks.some((b) => b.kind === "note")).toBe(false);

    const withdrawn = approvalSection(v2);
    expect(fieldsOf(withdrawn).get("On the strength of attestations")).toContain(`${r.attestations.biasV2} (bias-check, revoked since)`);
    expect(withdrawn.blocks.at(-1)).toEqual({ kind: "note", tone: "bad", content: [`The version is no longer releasable: ${v2.summary.notReleasableBecause.join("; ")}.`] });
  });

  it("deployments and rollbacks: this version's deployments, the rollback to it, and the environment's whole timeline", () => {
    const r = fixture.result;
    const section = deploymentsSection(v1);
    expect(section.spec).toBe(SECTIONS.deployments);
    const deployment = v1.deployments[0]!;
    expect(tableOf(section, "Deployment").rows[0]).toEqual([s(r.deployments.triageV1), "production", who.mlTeam, "—", "live", "—", deployment.tx.txHash]);
    expect(tableOf(section, "Deployment").rows.slice(1).map((row) => [row[1], row[4]])).toEqual([["assistant", "live"], ["assistant", "not live"]]);
    const [rollback, assistantRollback] = v1.rollbacks;
    expect(tableOf(section, "Environment").rows).toEqual([
      [
        "production",
        `version ${r.modelVersions.triageV2} (deployment ${r.deployments.triageV2})`,
        `version ${r.modelVersions.triageV1} (deployment ${rollback!.toDeploymentId})`,
        "bias regression in v2",
        who.mlTeam,
        rollback!.tx.txHash,
      ],
      [
        "assistant",
        `version ${r.modelVersions.triageV1} (deployment ${r.deployments.assistant})`,
        `version ${r.modelVersions.triageV1} (deployment ${r.deployments.assistantV1})`,
        "patients found the symptom-onset question confusing",
        who.mlTeam,
        assistantRollback!.tx.txHash,
      ],
    ]);
    const text = textOf(section);
    expect(text).toContain(`Environment production — live now: model version ${r.modelVersions.triageV1} (deployment ${r.deployments.triageV1}) this version`);
    expect(text).toContain(`Environment assistant — live now: model version ${r.modelVersions.triageV1} (deployment ${r.deployments.assistantV1}) this version`);
    // Environments by name: the assistant's timeline, then production's.
    const timelines = section.blocks.filter((b) => b.kind === "table" && b.header[0] === "Change").map((b) => (b.kind === "table" ? b.rows.map((row) => [plain(row[0]!), plain(row[1]!)]) : []));
    expect(timelines[1]).toEqual([
      [`deployed (deployment ${r.deployments.triageV1})`, `version ${r.modelVersions.triageV1} (this one)`],
      [`deployed (deployment ${r.deployments.triageV2})`, `version ${r.modelVersions.triageV2}`],
      [`rolled back from version ${r.modelVersions.triageV2}`, `version ${r.modelVersions.triageV1} (this one)`],
    ]);
    expect(timelines[0]!.map((row) => row[0])).toEqual([`deployed (deployment ${r.deployments.assistantV1})`, `deployed (deployment ${r.deployments.assistant})`, `rolled back from version ${r.modelVersions.triageV1}`]);

    const rolledBack = tableOf(deploymentsSection(v2), "Deployment").rows[0]!;
    expect([rolledBack[4], rolledBack[5]]).toEqual(["not live", formatTime(v2.deployments[0]!.endedAt)]);
  });

  it("anchored decision records: each batch's root, count, window, records and operator", () => {
    const section = decisionsSection(v1);
    expect(section.spec).toBe(SECTIONS.decisions);
    const b = v1.decisionBatches[0]!;
    expect(tableOf(section, "Merkle root").rows.slice(0, 1)).toEqual([
      [fixture.result.decisions.root, "1000", `${b.windowStart.time} – ${b.windowEnd.time}`, "s3://acme/decisions/triage-v1/batch-0001.jsonl", who.mlTeam, b.tx.txHash],
    ]);
    expect(textOf(section)).not.toContain("anchored by other versions");
    expect(tableOf(decisionsSection(v2), "Merkle root")).toEqual({ rows: [], empty: "No decision batches anchored for this version." });
  });

  it("agents acting on this model: each agent, its bindings with policy and from/to, its batches under the binding in force", () => {
    const r = fixture.result;
    const section = agentsSection(v1);
    expect(section.spec).toBe(SECTIONS.agents);
    // The scenario's support agent (act 9), then this file's.
    const support = r.agent;
    expect(tableOf(section, "Agent").rows).toEqual([
      [s(support.agentId), who.mlTeam, "ipfs://bafyagentcard-support", "bound", "14"],
      [s(act.agentId), act.newOwner, act.agentURI, "bound", "14"],
    ]);
    expect(tableOf(section, "Binding").rows.slice(0, 2).map((row) => [row[0], row[2], row[3]])).toEqual([
      [s(support.bindings.beforeRollback), `system version ${r.systems.promptUpdate}`, support.policyHash],
      [s(support.bindings.afterRollback), `system version ${r.systems.assistant}`, expect.stringContaining("(the system version's own)")],
    ]);
    const [first, second] = v1.agents[1]!.bindings;
    expect(tableOf(section, "Binding").rows.slice(2)).toEqual([
      [s(act.bindings.first), s(act.agentId), `system version ${r.systems.promptUpdate}`, act.policyHash, act.owner, first!.tx.txHash, `${second!.tx.txHash} (by binding ${act.bindings.second})`],
      [s(act.bindings.second), s(act.agentId), `system version ${r.systems.assistant}`, `${second!.policyHash} (the system version's own)`, act.owner, second!.tx.txHash, "in force"],
    ]);
    const batches = tableOf(section, "Merkle root").rows;
    expect(batches.slice(0, 2).map((row) => [row[0], row[2]])).toEqual([
      [support.batches.beforeRollback.root, "10"],
      [support.batches.afterRollback.root, "4"],
    ]);
    expect(batches.slice(2).map((row) => [row[0], row[2], row[4], row[6]])).toEqual([
      [act.batches.byWallet.root, "10", `binding ${act.bindings.first} (system version ${r.systems.promptUpdate})`, act.wallet],
      [act.batches.bySignature.root, "4", `binding ${act.bindings.second} (system version ${r.systems.assistant})`, `${act.wallet} relayed by ${act.relayer}`],
    ]);
    expect(v1.accounts.find((a) => a.address === act.wallet)?.parts).toContain(`operator wallet of agent ${act.agentId}`);
    // The fine-tune runs no system version: no agent acted on it.
    expect(tableOf(agentsSection(v2), "Agent")).toEqual({ rows: [], empty: "No agent was bound to a system version running this model version." });
    expect(textOf(agentsSection(v2))).not.toContain("Bindings");
    // The agents in every format: Markdown tables intact, HTML well formed, PROV-JSON naming only what it declares.
    expectTablesIntact(renderMarkdown(v1));
    expectWellFormed(renderHtml(v1));
    const prov = toProvJson(v1);
    expectReferentialIntegrity(prov);
    const agent = provId.agent(s(act.agentId));
    expect(prov.agent[agent]).toMatchObject({ "prov:type": { $: "prov:SoftwareAgent" }, "pedigree:agentURI": act.agentURI });
    expect(Object.values(prov.actedOnBehalfOf)).toContainEqual({ "prov:delegate": agent, "prov:responsible": provId.account(act.newOwner) });
    const batch = provId.actionBatch(s(act.agentId), act.batches.bySignature.root);
    expect(prov.entity[batch]).toMatchObject({ "pedigree:systemVersion": { $: provId.systemVersion(s(r.systems.assistant)) }, "pedigree:count": { $: "4" } });
    expect(Object.values(prov.wasAttributedTo)).toContainEqual({ "prov:entity": batch, "prov:agent": agent });
  });

  it("where, and under which conditions: the territory the licences leave, each run's region, each licence's territories, deployment and decision regions", () => {
    const r = fixture.result;
    const section = jurisdictionsSection(v2);
    expect(section.spec).toBe(SECTIONS.jurisdictions);
    expect(textOf(section)).toContain("Territory left by the licences: training in EEA; deployment in EU.");
    expect(textOf(section)).toContain("Every training run, deployment and decision batch lies inside its territory.");
    expect(tableOf(section, "Model version").rows).toEqual([
      [`${r.modelVersions.triageV2} (this one)`, "IE", "eu-gpu-cloud:dublin", "EEA"],
      [s(r.modelVersions.triageV1), "IE", "eu-gpu-cloud:dublin", "EEA"],
    ]);
    expect(tableOf(section, "Licence").rows).toContainEqual([s(r.licences.clinicalNotes), s(r.datasets.clinicalNotes), "EEA", "EU"]);
    expect(tableOf(section, "Licence").rows).toContainEqual([s(r.licences.publicText), s(r.datasets.publicText), "worldwide", "worldwide"]);
    expect(tableOf(section, "Deployment").rows).toEqual([[s(r.deployments.triageV2), "production", "— (bare)", "EU", "not live", v2.deployments[0]!.tx.txHash]]);
    expect(tableOf(jurisdictionsSection(v1), "Decision batch").rows[0]!.slice(0, 3)).toEqual([r.decisions.root, "1000", "DE, FR, NL"]);
  });

  it("provenance log: every event, oldest first, scoped to this version or its lineage", () => {
    const section = historySection(v1);
    expect(section.spec).toBe(SECTIONS.history);
    const rows = tableOf(section, "When").rows;
    expect(rows).toEqual(v1.history.map((e) => [e.tx.txHash, e.action, e.aboutVersion ? "this version" : "lineage", e.actor, e.description]));
    expect(rows.map((row) => row[1])).toEqual(expect.arrayContaining(["DatasetRegistered", "ModelVersionPublished", "VersionApproved", "Deployed", "DecisionsAnchored"]));
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(["this version", "lineage"]));
  });

  it("accounts and roles: each address, its roles at the block and its part in the dossier", () => {
    const section = accountsSection(v1);
    expect(section.spec).toBe(SECTIONS.accounts);
    const rows = new Map(tableOf(section, "Address").rows.map((row) => [row[0], row]));
    expect(rows.size).toBe(v1.accounts.length);
    expect(rows.get(who.evaluator)).toEqual([who.evaluator, "EVALUATOR", "attester (safety-evaluation); attester (bias-check)"]);
    expect(rows.get(who.alice)![1]).toBe("—");
    expect(rows.get(who.mlTeam)![2]).toContain("approved the release; deployer");
  });

  it("what the chain does not prove, the Annex IV items not covered, and the source and method", () => {
    const limitations = limitationsSection(v1);
    expect(limitations.spec).toBe(SECTIONS.limitations);
    expect(limitations.blocks).toEqual([{ kind: "list", items: v1.limitations.map((l) => [l]) }]);
    const notCovered = notCoveredSection(v1);
    expect(notCovered.spec).toBe(SECTIONS.notCovered);
    expect(notCovered.blocks.at(-1)).toEqual({ kind: "list", items: NOT_COVERED.map((l) => [l]) });

    const method = methodSection(v1);
    expect(method.spec).toBe(SECTIONS.method);
    const g = v1.generatedAt;
    const f = fieldsOf(method);
    expect(f.get("Subgraph URL")).toBe(fixture.url);
    expect(f.get("Subgraph deployment")).toBe(fixture.indexer.deployment);
    expect(f.get("Block read")).toBe(`${g.block.number} ${g.block.hash}`);
    expect(f.get("Block time")).toBe(g.block.time);
    expect(f.get("Requested block")).toBe("— (the subgraph's head)");
    expect(f.get("Indexing errors")).toBe("no");
    expect(f.get("GraphQL requests")).toBe(String(g.requests));
    expect(f.get("Dossier format")).toBe("pedigree-dossier/1");
    expect(textOf(method)).toContain(`generate the report of model version ${v1.version.id} as of block ${g.block.number}`);
  });
});

// --- a dossier with nothing in it ----------------------------------------------------------------------------------

describe("an empty dossier", () => {
  /** What each section says when the dossier holds nothing for it (repeated when said more than once). */
  const SAYS: Record<SectionKey, string[]> = {
    summary: ["— (a base model)", "0 (0 decisions)", "No notices: nothing revoked, rolled back, withdrawn, expired or claimed by another account."],
    identification: ["— (a base model)"],
    lineage: ["Revoked, withdrawn and rolled-back items are marked"],
    parents: ["None: a base model (not fine-tuned from another version)."],
    training: ["No training run is recorded for this version on chain: its training data is undocumented here."],
    data: ["None recorded.", "None recorded."],
    licences: ["None recorded."],
    attestations: ["None recorded."],
    approval: ["The version has no release approval."],
    deployments: ["Never deployed.", "None recorded.", "The model has no environments."],
    decisions: ["No decision batches anchored for this version."],
    jurisdictions: [
      "Every training run, deployment and decision batch lies inside its territory.",
      "No registered data behind this version.",
      "No training run recorded.",
      "No licence behind this version.",
      "No system version runs this model version: it is deployed bare.",
      "Never deployed.",
      "No decision batches anchored for this version.",
    ],
    agents: ["No agent was bound to a system version running this model version."],
    history: ["None recorded."],
    accounts: ["None recorded."],
    limitations: ["Hashes are commitments, not checks"],
    notCovered: [NOT_COVERED[0]!],
    method: ["— (the subgraph's head)"],
  };
  const count = (text: string, part: string) => text.split(part).length - 1;

  it("has every section, each saying that there is nothing, in the document, the Markdown and the HTML", () => {
    // Mallory's copy (the sparsest real dossier: unapproved, untrained) with every list emptied.
    const d: VersionDossier = {
      ...copy,
      parents: [],
      fineTunes: [],
      training: null,
      datasets: [],
      datasetVersions: [],
      licences: [],
      attestations: [],
      approval: null,
      environments: [],
      deployments: [],
      rollbacks: [],
      decisionBatches: [],
      systems: [],
      jurisdictions: { data: [], runs: [], systems: [], licences: [], territory: copy.jurisdictions.territory, conflicts: [] },
      agents: [],
      competingClaims: [],
      accounts: [],
      history: [],
      summary: { ...copy.summary, notices: [] },
    };
    const md = renderMarkdown(d);
    const html = renderHtml(d);
    for (const key of Object.keys(SECTIONS) as SectionKey[]) {
      const section = BUILDER[key](d);
      expect(section.spec).toBe(SECTIONS[key]);
      for (const text of new Set(SAYS[key])) {
        const times = SAYS[key].filter((said) => said === text).length;
        expect(count(textOf(section), text), `${key}: ${text}`).toBe(times);
        expect(count(mdSection(md, section.spec), mdText(text)), `${key} in Markdown: ${text}`).toBe(times);
        expect(count(htmlSection(html, section.spec), escapeHtml(text)), `${key} in HTML: ${text}`).toBe(times);
      }
    }
    expect(textOf(identificationSection(d))).not.toContain("Competing claims");
  });
});

// --- every format ---------------------------------------------------------------------------------------------------

describe("every format states a fact of every section, in its place", () => {
  /** One fact of each section, as every format writes it verbatim (hashes, ids, addresses, plain words); null when `d` has none. */
  const FACT: Record<SectionKey, (d: VersionDossier) => string | null> = {
    summary: (d) => d.approval?.tx.txHash ?? null,
    identification: (d) => d.version.weightsHash,
    lineage: (d) => d.training?.codeHash ?? null,
    parents: (d) => d.parents[0]?.weightsHash ?? null,
    training: (d) => (d.training && !isZeroHash(d.training.hyperparametersHash) ? d.training.hyperparametersHash : null),
    data: (d) => d.datasetVersions[0]?.fingerprint ?? null,
    licences: (d) => d.licences[0]?.tx.txHash ?? null,
    attestations: (d) => d.attestations[0]?.tx.txHash ?? null,
    approval: (d) => d.approval?.approvedBy ?? null,
    deployments: (d) => d.deployments[0]?.tx.txHash ?? null,
    decisions: (d) => d.decisionBatches[0]?.root ?? null,
    jurisdictions: (d) => d.jurisdictions.runs[0]?.computeProvider ?? null,
    agents: (d) => d.agents[0]?.actionBatches[0]?.root ?? null,
    history: (d) => d.history[0]?.tx.txHash ?? null,
    accounts: (d) => d.accounts.find((a) => a.roles.length)?.address ?? null,
    limitations: (d) => d.limitations[0]?.slice(0, 34) ?? null,
    notCovered: () => NOT_COVERED[0]!.slice(0, 30),
    method: (d) => d.generatedAt.deployment,
  };

  /** Calls `check` with each section's fact in v1 and in v2 (v1 has no parents, v2 no decisions); returns the sections checked. */
  function eachFact(keys: SectionKey[], check: (d: VersionDossier, key: SectionKey, fact: string) => void): Set<SectionKey> {
    const checked = new Set<SectionKey>();
    for (const d of [v1, v2]) {
      for (const key of keys) {
        const fact = FACT[key](d);
        if (fact === null) continue;
        check(d, key, fact);
        checked.add(key);
      }
    }
    return checked;
  }
  const ALL = Object.keys(SECTIONS) as SectionKey[];

  it("Markdown: under the section's heading", () => {
    const md = new Map([v1, v2].map((d) => [d, renderMarkdown(d)]));
    const checked = eachFact(ALL, (d, key, fact) => expect(mdSection(md.get(d)!, SECTIONS[key]), key).toContain(fact));
    expect(checked).toEqual(new Set(ALL));
  });

  it("HTML: in the section's element, found by its anchor", () => {
    const html = new Map([v1, v2].map((d) => [d, renderHtml(d)]));
    const checked = eachFact(ALL, (d, key, fact) => expect(htmlSection(html.get(d)!, SECTIONS[key]), key).toContain(escapeHtml(fact)));
    expect(checked).toEqual(new Set(ALL));
  });

  it("JSON: in the dossier (all but the list of Annex IV items not covered, a constant of the report rather than a fact)", () => {
    const json = new Map([v1, v2].map((d) => [d, renderJson(d)]));
    const facts = ALL.filter((key) => key !== "notCovered");
    const checked = eachFact(facts, (d, key, fact) => expect(json.get(d), key).toContain(JSON.stringify(fact).slice(1, -1)));
    expect(checked).toEqual(new Set(facts));
  });

  it("PROV-JSON: on the entity, activity or agent it is about (the lineage graph: not the log, the limitations or the items not covered)", () => {
    /** Where PROV-JSON states each section's fact. */
    const AT: Partial<Record<SectionKey, (p: ProvDocument, d: VersionDossier) => unknown>> = {
      summary: (p, d) => p.activity[provId.approval(d.version.id)]?.["pedigree:transactionHash"],
      identification: (p, d) => p.entity[provId.modelVersion(d.version.id)]?.["pedigree:weightsHash"],
      lineage: (p, d) => {
        const generation = Object.values(p.wasGeneratedBy).find((g) => g["prov:entity"] === provId.modelVersion(d.version.id));
        return p.activity[String(generation?.["prov:activity"])]?.["pedigree:codeHash"];
      },
      parents: (p, d) => p.entity[provId.modelVersion(d.parents[0]!.id)]?.["pedigree:weightsHash"],
      training: (p, d) => p.activity[provId.trainingRun(d.training!.id)]?.["pedigree:hyperparametersHash"],
      data: (p, d) => p.entity[provId.datasetVersion(d.datasetVersions[0]!.id)]?.["pedigree:fingerprint"],
      licences: (p, d) => p.entity[provId.licence(d.licences[0]!.id)]?.["pedigree:transactionHash"],
      attestations: (p, d) => p.entity[provId.attestation(d.attestations[0]!.id)]?.["pedigree:transactionHash"],
      approval: (p, d) => {
        const association = Object.values(p.wasAssociatedWith).find((a) => a["prov:activity"] === provId.approval(d.version.id));
        return p.agent[String(association?.["prov:agent"])]?.["pedigree:address"];
      },
      deployments: (p, d) => p.activity[provId.deployment(d.deployments[0]!.id)]?.["pedigree:transactionHash"],
      decisions: (p, d) => p.entity[provId.decisionBatch(d.decisionBatches[0]!.root)]?.["pedigree:merkleRoot"],
      jurisdictions: (p, d) => p.activity[provId.trainingRun(d.training!.id)]?.["pedigree:computeProvider"],
      agents: (p, d) => p.entity[provId.actionBatch(d.agents[0]!.agentId, FACT.agents(d)!)]?.["pedigree:merkleRoot"],
      accounts: (p, d) => p.agent[provId.account(FACT.accounts(d)!)]?.["pedigree:address"],
      method: (p, d) => p.entity[provId.dossier(d.version.id)]?.["pedigree:subgraphDeployment"],
    };
    const prov = new Map([v1, v2].map((d) => [d, toProvJson(d)]));
    const facts = Object.keys(AT) as SectionKey[];
    const checked = eachFact(facts, (d, key, fact) => expect(AT[key]!(prov.get(d)!, d), key).toBe(fact));
    expect(checked).toEqual(new Set(facts));
    expect(ALL.filter((key) => !AT[key])).toEqual(["history", "limitations", "notCovered"]);
  });
});
