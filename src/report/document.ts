/**
 * The dossier laid out as a document — sections (one per Annex IV-relevant topic), tables, lists, paragraphs — that
 * the Markdown and HTML renderers both render, so both formats state the same facts in the same order.
 *
 * Every string in the model is plain text, untrusted or not: renderers escape all of it. Structure (bold, code, badges,
 * transaction references, in-document links) is expressed by the model's types, never by markup in strings.
 */
import {
  datasetVersionLabel,
  formatAmount,
  formatBps,
  formatDuration,
  formatTime,
  isZeroHash,
  subjectLabel,
  subjectTitle,
  versionLabel,
} from "./format.ts";
import { NOT_COVERED, SECTIONS, type SectionSpec } from "./limitations.ts";
import type { CompetingClaimsRecord, TxRef, VersionDossier } from "./types.ts";

export type Tone = "ok" | "bad" | "warn" | "muted";

export type Inline =
  | string
  | { code: string }
  | { strong: Inline[] }
  | { badge: string; tone: Tone }
  | { tx: TxRef | null }
  /** A link to a section of this document. */
  | { ref: string; text: string };

export type Cell = Inline[];

export type Block =
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "heading"; content: Inline[] }
  | { kind: "fields"; rows: [string, Cell][] }
  | { kind: "table"; header: string[]; rows: Cell[][]; empty: string }
  | { kind: "list"; items: Cell[]; empty?: string }
  | { kind: "note"; tone: Tone; content: Inline[] }
  /** The lineage drawing (HTML: SVG diagram; Markdown: text outline). */
  | { kind: "lineage" };

export interface Section {
  spec: SectionSpec;
  blocks: Block[];
}

export interface DossierDocument {
  title: string;
  intro: Inline[];
  sections: Section[];
}

const code = (text: string): Inline => ({ code: text });
const strong = (...content: Inline[]): Inline => ({ strong: content });
const badge = (text: string, tone: Tone): Inline => ({ badge: text, tone });
const tx = (ref: TxRef | null | undefined): Inline => ({ tx: ref ?? null });
const hash = (h: string): Inline => (isZeroHash(h) ? "— (not provided)" : code(h));
const yes = (b: boolean): Inline => (b ? "yes" : "no");
const table = (header: string[], rows: Cell[][], empty = "None recorded."): Block => ({ kind: "table", header, rows, empty });
const fields = (rows: [string, Cell | Inline][]): Block => ({
  kind: "fields",
  rows: rows.map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
});
const paragraph = (...content: Inline[]): Block => ({ kind: "paragraph", content });
const heading = (...content: Inline[]): Block => ({ kind: "heading", content });
const join = (items: Inline[][], separator: string): Inline[] => items.flatMap((item, i) => (i === 0 ? item : [separator, ...item]));

/** Builds the document of a dossier. */
export function buildDocument(d: VersionDossier): DossierDocument {
  const g = d.generatedAt;
  const s = d.summary;
  const dvById = new Map(d.datasetVersions.map((v) => [v.id, v]));
  const attById = new Map(d.attestations.map((a) => [a.id, a]));
  const sections: Section[] = [];
  const section = (spec: SectionSpec, blocks: Block[]) => sections.push({ spec, blocks });

  const intro: Inline[] = [
    "Facts read from the Pedigree subgraph ",
    code(g.subgraphUrl),
    " (deployment ",
    code(g.deployment),
    ") as of block ",
    strong(String(g.block.number)),
    g.block.time ? ` (${g.block.time})` : "",
    g.requestedBlock !== null ? " — a historical view (time travel), not the latest state" : "",
    ". Each fact carries its transaction reference (block · time · transaction hash), checkable against any node of the chain. Read ",
    { ref: SECTIONS.limitations.id, text: SECTIONS.limitations.title },
    " before relying on any of it.",
  ];

  // --- summary
  const summaryBlocks: Block[] = [];
  if (g.hasIndexingErrors) summaryBlocks.push({ kind: "note", tone: "bad", content: ["The subgraph reports indexing errors: facts may be missing."] });
  summaryBlocks.push(
    fields([
      ["Subject", versionLabel(d.version)],
      ["Release approval", s.approved ? [badge("approved", "ok"), " ", tx(d.approval?.tx)] : [badge("not approved", "bad")]],
      ["Live now in", s.liveIn.length ? [badge("live", "ok"), " ", ...join(s.liveIn.map((e) => [code(e)]), ", ")] : [badge("not live", "muted"), " in any environment"]],
      ...(s.liveButNotReleasable.length
        ? [["Releasable", [badge("live but not releasable", "bad"), " in ", ...join(s.liveButNotReleasable.map((e) => [code(e)]), ", ")]] as [string, Cell]]
        : []),
      ["Ever deployed", yes(s.everDeployed)],
      ["Rolled back", s.rolledBack ? [badge(`rolled back ${s.rolledBack}×`, "bad")] : ["no"]],
      ["Revoked attestations", s.revokedAttestationIds.length ? [badge(`revoked: ${s.revokedAttestationIds.join(", ")}`, "bad")] : ["none"]],
      [
        "Training data",
        d.training
          ? `${d.training.uses.length} dataset version(s) from ${new Set(d.training.uses.map((u) => u.datasetId)).size} dataset(s) under ${d.licences.length} licence(s); ${d.datasetVersions.length - d.training.uses.length} derivation ancestor(s)`
          : [badge("no training run recorded", "bad")],
      ],
      ["Fine-tuned from", d.parents.length ? d.parents.map((p) => versionLabel(p)).join(" ← ") : "— (a base model)"],
      ["Decision batches anchored", `${d.decisionBatches.length} (${d.decisionBatches.reduce((n, b) => n + BigInt(b.count), 0n)} decisions)`],
    ]),
    heading("Notices"),
    { kind: "list", items: s.notices.map((n) => [n]), empty: "No notices: nothing revoked, rolled back, withdrawn, expired or claimed by another account." },
  );
  section(SECTIONS.summary, summaryBlocks);

  // --- 1. identification
  section(SECTIONS.identification, [
    heading("Model"),
    fields([
      ["Model id", code(d.model.id)],
      ["Creator", code(d.model.creator)],
      ["Owner", code(d.model.owner)],
      ["Commercial", yes(d.model.commercial)],
      ["Model card URI", code(d.model.uri)],
      ["Model card hash", hash(d.model.metadataHash)],
      [
        "Release policy requires",
        `${d.model.requiredKinds.length ? d.model.requiredKinds.map((k) => `${k.name} (kind ${k.id})`).join(", ") : "nothing"}${d.model.requiresDeclaredData ? ", and declared training data" : ""}`,
      ],
      ["Versions", String(d.model.versionCount)],
      ["Registered", tx(d.model.tx)],
    ]),
    heading("Model version"),
    fields([
      ["Model version id", code(d.version.id)],
      ["Number within the model", String(d.version.number)],
      ["Weights hash", hash(d.version.weightsHash)],
      ["Manifest root", hash(d.version.manifestRoot)],
      ["Config hash", hash(d.version.configHash)],
      ["URI", code(d.version.uri)],
      ["Publisher", code(d.version.publisher)],
      ["Fine-tuned from", d.version.parentId ? `model version ${d.version.parentId}` : "— (a base model)"],
      ...(d.training && !d.version.dataDeclared ? [["Training data", [badge("undeclared", "bad"), " its training run, or a fine-tune ancestor's, names no registered dataset"]] as [string, Cell]] : []),
      [
        "Approved",
        d.version.approved
          ? s.notReleasableBecause.length
            ? [badge("approved", "ok"), " ", badge("no longer releasable", "bad"), ` (${s.notReleasableBecause.join("; ")})`]
            : badge("approved", "ok")
          : badge("not approved", "bad"),
      ],
      ["Published", tx(d.version.tx)],
    ]),
    ...claimsBlocks(d, "model-weights", "Competing claims of the weights hash"),
  ]);

  // --- 2. lineage
  section(SECTIONS.lineage, [
    paragraph(
      "Datasets → their versions (derivations left to right) → the training run → this model version, with the fine-tune parents above it and its deployments and decision batches to the right. Revoked, withdrawn and rolled-back items are marked (red in the HTML diagram).",
    ),
    { kind: "lineage" },
  ]);

  // --- 3. parents
  const parentBlocks: Block[] = [
    table(
      ["Depth", "Model version", "Weights hash", "URI", "Approved", "Trained on (dataset versions)", "Published"],
      d.parents.map((p) => [
        [String(p.depth)],
        [versionLabel(p)],
        [hash(p.weightsHash)],
        [code(p.uri)],
        [yes(p.approved)],
        [p.training ? p.training.datasetVersionIds.join(", ") || "—" : "no training run recorded"],
        [tx(p.tx)],
      ]),
      "None: a base model (not fine-tuned from another version).",
    ),
  ];
  if (d.parents.length) parentBlocks.push(paragraph("Each parent's own data, licences and attestations are in its own dossier."));
  if (d.fineTunes.length) {
    parentBlocks.push(heading("Versions fine-tuned from this one"), table(["Model version", "Published"], d.fineTunes.map((f) => [[versionLabel(f)], [tx(f.tx)]])));
  }
  section(SECTIONS.parents, parentBlocks);

  // --- 4. training
  if (d.training) {
    const t = d.training;
    section(SECTIONS.training, [
      fields([
        ["Training run id", code(t.id)],
        ["Code hash", hash(t.codeHash)],
        ["Hyperparameters hash", hash(t.hyperparametersHash)],
        ["Started (declared)", formatTime(t.startedAt, "not declared")],
        ["Ended (declared)", formatTime(t.endedAt, "not declared")],
        ["Recorded", tx(t.tx)],
      ]),
      heading("Data used"),
      table(
        ["#", "Dataset version", "Dataset", "Licence"],
        t.uses.map((u) => [
          [String(u.index)],
          [datasetVersionLabel(dvById.get(u.datasetVersionId) ?? { id: u.datasetVersionId, datasetId: u.datasetId, number: 0 })],
          [u.datasetId],
          [u.licenceId],
        ]),
      ),
    ]);
  } else {
    section(SECTIONS.training, [{ kind: "note", tone: "bad", content: ["No training run is recorded for this version on chain: its training data is undocumented here."] }]);
  }

  // --- 5. data
  section(SECTIONS.data, [
    heading("Dataset versions (used in training, then their derivation ancestors)"),
    table(
      ["Dataset version", "Role", "Derived from", "Fingerprint", "Manifest root", "Datasheet hash", "Transformation hash", "URI", "Publisher", "Published"],
      d.datasetVersions.map((v) => [
        [datasetVersionLabel(v)],
        [v.usedInTraining ? badge("used in training", "ok") : badge(`ancestor (depth ${v.derivationDepth})`, "muted")],
        [v.parentIds.length ? v.parentIds.map((p, i) => `dataset version ${p}${v.parentLicenceIds[i] ? ` under licence ${v.parentLicenceIds[i]}` : ""}`).join(", ") : "— (original)"],
        [hash(v.fingerprint)],
        [hash(v.manifestRoot)],
        [hash(v.metadataHash)],
        [hash(v.transformationHash)],
        [code(v.uri)],
        [code(v.publisher)],
        [tx(v.tx)],
      ]),
    ),
    heading("Datasets"),
    table(
      ["Dataset", "Creator", "Owner", "Versions", "Current terms", "Withdrawn", "Registered"],
      d.datasets.map((ds) => [
        [ds.id],
        [code(ds.creator)],
        [code(ds.owner)],
        [String(ds.versionCount)],
        ds.currentTermsId !== null ? [ds.currentTermsId] : termsCleared(ds),
        [
          ...(ds.withdrawal
            ? [badge("withdrawn", "bad"), " ", ds.withdrawal.reason, " — ", ds.withdrawal.tx ? tx(ds.withdrawal.tx) : formatTime(ds.withdrawal.at)]
            : ["no"]),
          ...(ds.consentRevocation
            ? [
                "; ",
                badge("consent revoked", "bad"),
                " ",
                ds.consentRevocation.reason,
                " — ",
                ds.consentRevocation.tx ? tx(ds.consentRevocation.tx) : formatTime(ds.consentRevocation.at),
              ]
            : []),
        ],
        [tx(ds.tx)],
      ]),
    ),
    ...claimsBlocks(d, "dataset-fingerprint", "Competing claims of these fingerprints"),
  ]);

  // --- 6. licences
  const licenceBlocks: Block[] = [
    table(
      ["Licence", "Dataset", "Licensee", "Payer", "Paid", "Expires", "Terms", "Acquired"],
      d.licences.map((l) => [
        [l.id],
        [l.datasetId],
        [code(l.licensee)],
        [code(l.payer)],
        l.refund
          ? [formatAmount(l.amount, l.currency), " ", badge("voided", "bad"), ` ${formatAmount(l.refund.amount, l.refund.currency)} refunded — `, tx(l.refund.tx)]
          : [formatAmount(l.amount, l.currency)],
        l.expiredAtReportBlock ? [formatTime(l.expiresAt, "perpetual"), " ", badge("expired", "bad")] : [formatTime(l.expiresAt, "perpetual")],
        [l.terms.id],
        [tx(l.tx)],
      ]),
    ),
  ];
  for (const l of d.licences) {
    const t = l.terms;
    licenceBlocks.push(
      heading(`Terms ${t.id} (dataset ${t.datasetId}, licence ${l.id})`),
      fields([
        ["Price", formatAmount(t.price, t.currency)],
        ["Duration", formatDuration(t.duration)],
        ["Commercial use", t.commercialUse ? "allowed" : badge("not allowed", "bad")],
        ["Derivatives", t.derivativesAllowed ? "allowed" : badge("not allowed", "bad")],
        ["Licence document URI", code(t.documentURI)],
        ["Licence document hash", hash(t.documentHash)],
        ["Royalty splits", t.splits.length ? join(t.splits.map((sp) => [code(sp.recipient), ` ${formatBps(sp.bps)}`]), "; ") : ["— (none)"]],
        ["Set by", code(t.setBy)],
        ["Set", tx(t.tx)],
      ]),
    );
  }
  section(SECTIONS.licences, licenceBlocks);

  // --- 7. attestations
  section(SECTIONS.attestations, [
    paragraph("Attestations on this version, its training run, its training data, its licences and its deployments, revoked ones included."),
    table(
      ["Id", "Kind", "Subject", "Attester", "Submitted by", "Evidence", "Expires", "Status", "Issued"],
      d.attestations.map((a) => [
        [a.id],
        [`${a.kind.name} (kind ${a.kind.id})`],
        [subjectLabel(a.subject)],
        [code(a.attester)],
        a.viaSignature ? [code(a.submitter), " (relayed the attester's EIP-712 signature)"] : ["the attester"],
        isZeroHash(a.evidenceHash) ? [code(a.evidenceURI)] : [code(a.evidenceURI), " hash ", code(a.evidenceHash)],
        [formatTime(a.expiresAt)],
        [
          ...(a.revocation
            ? [badge("revoked", "bad"), " by ", code(a.revocation.by), ": ", a.revocation.reason, " — ", a.revocation.tx ? tx(a.revocation.tx) : formatTime(a.revocation.at)]
            : [badge("valid", "ok"), a.inApproval ? " (in the release approval)" : ""]),
          ...(a.roleRevocation
            ? ["; ", badge("attester lost its role", "warn"), " revoked by ", code(a.roleRevocation.by), " — ", formatTime(a.roleRevocation.at)]
            : []),
        ],
        [tx(a.tx)],
      ]),
    ),
  ]);

  // --- 8. approval
  if (d.approval) {
    section(SECTIONS.approval, [
      fields([
        ["Approved by", code(d.approval.approvedBy)],
        ["Approved", tx(d.approval.tx)],
        [
          "On the strength of attestations",
          join(
            d.approval.attestationIds.map((id) => {
              const a = attById.get(id);
              if (!a) return [id];
              return a.revoked ? [`${id} (${a.kind.name}, `, badge("revoked since", "bad"), ")"] : [`${id} (${a.kind.name})`];
            }),
            ", ",
          ),
        ],
      ]),
      paragraph("The approval is a fact of its block: a later revocation of an attestation it relied on does not undo it on chain."),
      ...(d.summary.notReleasableBecause.length
        ? [{ kind: "note", tone: "bad", content: [`The version is no longer releasable: ${d.summary.notReleasableBecause.join("; ")}.`] } as Block]
        : []),
    ]);
  } else {
    section(SECTIONS.approval, [{ kind: "note", tone: "bad", content: ["The version has no release approval."] }]);
  }

  // --- 9. deployments
  const deploymentBlocks: Block[] = [
    heading("Deployments of this version"),
    table(
      ["Deployment", "Environment", "Deployer", "Replaced deployment", "Status", "Ended", "Deployed"],
      d.deployments.map((dep) => [
        [dep.id],
        [code(dep.environment)],
        [code(dep.deployer)],
        [dep.previousId ?? "—"],
        [dep.active ? badge("live", "ok") : badge("not live", "muted")],
        [dep.endedAt ? formatTime(dep.endedAt) : "—"],
        [tx(dep.tx)],
      ]),
      "Never deployed.",
    ),
    heading("Rollbacks from or to this version"),
    table(
      ["Environment", "From", "To", "Reason", "By", "When"],
      d.rollbacks.map((r) => [
        [code(r.environment)],
        [`version ${r.fromVersionId} (deployment ${r.fromDeploymentId})`],
        [r.toVersionId ? `version ${r.toVersionId} (deployment ${r.toDeploymentId})` : "nothing live"],
        [r.reason],
        [code(r.by)],
        [tx(r.tx)],
      ]),
    ),
    heading("Environments of the model (full timeline)"),
  ];
  if (d.environments.length === 0) deploymentBlocks.push(paragraph("The model has no environments."));
  for (const env of d.environments) {
    deploymentBlocks.push(
      paragraph(
        strong("Environment ", code(env.name)),
        " — live now: ",
        env.liveVersionId ? `model version ${env.liveVersionId} (deployment ${env.liveDeploymentId})` : "nothing",
        env.versionLive ? " " : "",
        env.versionLive ? badge("this version", "ok") : "",
        d.summary.liveButNotReleasable.includes(env.name) ? " " : "",
        d.summary.liveButNotReleasable.includes(env.name) ? badge("live but not releasable", "bad") : "",
      ),
      table(
        ["Change", "Version live after", "By", "Reason", "When"],
        env.timeline.map((c) => [
          [c.kind === "deployed" ? `deployed (deployment ${c.deploymentId})` : `rolled back from version ${c.fromVersionId}`],
          [c.versionId ? (c.versionId === d.version.id ? strong(`version ${c.versionId} (this one)`) : `version ${c.versionId}`) : "nothing"],
          [code(c.by)],
          [c.reason ?? "—"],
          [tx(c.tx)],
        ]),
      ),
    );
  }
  section(SECTIONS.deployments, deploymentBlocks);

  // --- 10. decisions
  section(SECTIONS.decisions, [
    table(
      ["Merkle root", "Decisions", "Window", "Records URI", "Operator", "Anchored"],
      d.decisionBatches.map((b) => [
        [code(b.root)],
        [b.count],
        [`${formatTime(b.windowStart)} – ${formatTime(b.windowEnd)}`],
        [code(b.uri)],
        [code(b.operator)],
        [tx(b.tx)],
      ]),
      "No decision batches anchored for this version.",
    ),
    ...otherAnchorsBlocks(d),
  ]);

  // --- 11. history
  section(SECTIONS.history, [
    paragraph("Every event the subgraph logged about this version, its model, data, licences, attestations and deployments, oldest first. Descriptions are the indexer's, built from on-chain values."),
    table(
      ["When", "Action", "Scope", "Actor", "Description"],
      d.history.map((e) => [[tx(e.tx)], [e.action], [e.aboutVersion ? "this version" : "lineage"], [code(e.actor)], [e.description]]),
    ),
  ]);

  // --- 12. accounts
  section(SECTIONS.accounts, [
    paragraph("Addresses only: the chain does not say who is behind them. Roles are those held in the AttestationRegistry at the dossier's block."),
    table(
      ["Address", "Roles", "Part in this dossier"],
      d.accounts.map((a) => [[code(a.address)], [a.roles.join(", ") || "—"], [a.parts.join("; ")]]),
    ),
  ]);

  // --- 13-15
  section(SECTIONS.limitations, [{ kind: "list", items: d.limitations.map((l) => [l]) }]);
  section(SECTIONS.notCovered, [paragraph("Annex IV items the chain holds nothing (or only hashes) about — document them elsewhere:"), { kind: "list", items: NOT_COVERED.map((l) => [l]) }]);
  section(SECTIONS.method, [
    fields([
      ["Subgraph URL", code(g.subgraphUrl)],
      ["Subgraph deployment", code(g.deployment)],
      ["Block read", g.block.hash ? [String(g.block.number), " ", code(g.block.hash)] : [String(g.block.number)]],
      ["Block time", g.block.time ?? "unknown (no event recorded in that block)"],
      ["Requested block", g.requestedBlock === null ? "— (the subgraph's head)" : String(g.requestedBlock)],
      ["Indexing errors", yes(g.hasIndexingErrors)],
      ["GraphQL requests", String(g.requests)],
      ["Dossier format", code(d.format)],
    ]),
    paragraph(
      "To verify a fact, fetch the receipt of its transaction from a node of the chain (",
      code("eth_getTransactionReceipt"),
      ") and decode the registry's event. To reproduce this dossier, generate the report of model version ",
      code(d.version.id),
      ` as of block ${g.block.number} from the same subgraph deployment: the facts are the same.`,
    ),
  ]);

  return { title: `Audit dossier: ${subjectTitle(d)}`, intro, sections };
}

/** "— (cleared by the transfer to 0x…, tx)" for a dataset whose terms a transfer cleared, else "—". */
function termsCleared(ds: VersionDossier["datasets"][number]): Cell {
  const last = ds.termsClearances.at(-1);
  return last ? ["— (terms ", last.previousTermsId, " cleared by the transfer to ", code(last.newOwner), " — ", tx(last.tx), ")"] : ["—"];
}

/** A heading and a table of every claim of each competing digest of `kind`; nothing when there is none. */
function claimsBlocks(d: VersionDossier, kind: CompetingClaimsRecord["kind"], title: string): Block[] {
  const competing = d.competingClaims.filter((c) => c.kind === kind);
  if (competing.length === 0) return [];
  const asset = kind === "model-weights" ? "model" : "dataset";
  return [
    heading(title),
    paragraph(
      "Several accounts registered the same digest: the registries let each claimant keep its own record, so every claim is listed in chain order. The earliest claim is the one with the earliest proven commitment (commit–reveal), else the earliest registration; neither proves authorship.",
    ),
    table(
      ["Digest", "Version", "Claimant", "Commitment proven", "Attestations", "Order", "Registered"],
      competing.flatMap((c) =>
        c.claims.map((claim) => [
          [code(c.digest)],
          [
            `${asset} ${claim.assetId} version ${claim.number} (id ${claim.versionId})`,
            claim.versionId === c.subjectVersionId ? " " : "",
            claim.versionId === c.subjectVersionId ? badge("in this dossier", "muted") : "",
          ],
          [code(claim.claimant)],
          claim.priority
            ? [formatTime(claim.priority.committedAt), claim.priority.commitmentBlock === null ? "" : ` (block ${claim.priority.commitmentBlock})`]
            : ["—"],
          [claim.attestationIds.join(", ") || "—"],
          [
            claim.versionId === c.firstRegistered ? "registered first" : "",
            claim.versionId === c.firstRegistered && claim.versionId === c.earliestPriority ? "; " : "",
            claim.versionId === c.earliestPriority ? badge("earliest claim", "ok") : "",
          ],
          [tx(claim.tx)],
        ]),
      ),
    ),
  ];
}

/** Other versions that anchored this version's decision roots, when there are any. */
function otherAnchorsBlocks(d: VersionDossier): Block[] {
  const rows = d.decisionBatches.flatMap((b) =>
    b.otherAnchors.map((o): Cell[] => [[code(b.root)], [`model version ${o.versionId} (model ${o.modelId})`], [code(o.modelOwner)], [tx(o.tx)]]),
  );
  if (rows.length === 0) return [];
  return [
    heading("The same roots anchored by other versions"),
    { kind: "note", tone: "bad", content: ["A root anchored by several versions does not by itself show which version produced a decision: each anchoring is listed."] },
    table(["Merkle root", "Also anchored by", "Model owner", "Anchored"], rows),
  ];
}
