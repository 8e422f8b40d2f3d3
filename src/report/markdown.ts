/**
 * The dossier as Markdown (GitHub-flavoured): one section per Annex IV-relevant topic, each fact with its transaction
 * reference. Text from the chain is untrusted: it is rendered either as a code span (hashes, URIs, addresses) or as
 * text with every Markdown/HTML-significant character backslash-escaped, and newlines collapsed, so it can neither
 * inject HTML into a Markdown viewer nor break the tables.
 */
import {
  datasetVersionLabel,
  formatAmount,
  formatBps,
  formatDuration,
  formatTime,
  isZeroHash,
  oneLine,
  subjectLabel,
  subjectTitle,
  txWhen,
  versionLabel,
} from "./format.ts";
import { NOT_COVERED, SECTIONS, type SectionSpec } from "./limitations.ts";
import type { TxRef, VersionDossier } from "./types.ts";

/** Escapes untrusted text for Markdown prose and table cells. */
export function mdText(text: string): string {
  const inline = oneLine(text).replace(/[\\`*_[\]<>|~&!]/g, (c) => `\\${c}`);
  // Block syntax only matters at the start (a list item's text starts a paragraph): headings, lists, quotes.
  return inline.replace(/^([#+=>-])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
}

/** Untrusted text as a code span (literal in every Markdown renderer); `|` escaped for GFM tables. */
export function mdCode(text: string): string {
  const t = oneLine(text).replace(/\|/g, "\\|");
  if (t === "") return "(empty)";
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = t.startsWith("`") || t.endsWith("`") || (t.startsWith(" ") && t.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

const tx = (ref: TxRef | null | undefined): string => (ref ? `${txWhen(ref)} · tx ${mdCode(ref.txHash)}` : "—");
const yes = (b: boolean): string => (b ? "yes" : "no");
const hash = (h: string): string => (isZeroHash(h) ? "— (not provided)" : mdCode(h));

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return "_None recorded._\n";
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\n/g, " ")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

function fields(rows: [string, string][]): string {
  return table(["Field", "Value"], rows.map(([k, v]) => [k, v]));
}

function heading(spec: SectionSpec): string {
  return `## ${spec.title}\n\n_${spec.annex}_\n`;
}

/** Renders the dossier as one Markdown document. */
export function renderMarkdown(d: VersionDossier): string {
  const out: string[] = [];
  const push = (...parts: string[]) => out.push(...parts);
  const g = d.generatedAt;
  const dvById = new Map(d.datasetVersions.map((v) => [v.id, v]));

  push(`# Audit dossier: ${subjectTitle(d)}\n`);
  push(
    `> Facts read from the Pedigree subgraph ${mdCode(g.subgraphUrl)} (deployment ${mdCode(g.deployment)}) ` +
      `as of block **${g.block.number}**${g.block.time ? ` (${g.block.time})` : ""}${g.requestedBlock !== null ? " — a historical view (time travel), not the latest state" : ""}. ` +
      `Each fact carries its transaction reference (block · time · tx hash), checkable against any node of the chain. ` +
      `Read [${SECTIONS.limitations.title}](#${anchor(SECTIONS.limitations.title)}) before relying on any of it.\n`,
  );
  if (g.hasIndexingErrors) push(`> **Warning:** the subgraph reports indexing errors; facts may be missing.\n`);

  push("## Contents\n");
  for (const spec of Object.values(SECTIONS)) push(`- [${spec.title}](#${anchor(spec.title)}) — ${spec.annex}`);
  push("");

  // --- summary
  push(heading(SECTIONS.summary));
  const s = d.summary;
  push(
    fields([
      ["Subject", `${versionLabel(d.version)}`],
      ["Release approval", s.approved ? `approved (${tx(d.approval?.tx)})` : "**not approved**"],
      ["Live now in", s.liveIn.length ? s.liveIn.map(mdCode).join(", ") : "no environment"],
      ["Ever deployed", yes(s.everDeployed)],
      ["Rolled back", s.rolledBack ? `**${s.rolledBack} time(s)**` : "no"],
      ["Revoked attestations", s.revokedAttestationIds.length ? `**${s.revokedAttestationIds.join(", ")}**` : "none"],
      [
        "Training data",
        d.training
          ? `${d.training.uses.length} dataset version(s) from ${new Set(d.training.uses.map((u) => u.datasetId)).size} dataset(s) under ${d.licences.length} licence(s)`
          : "**no training run recorded**",
      ],
      ["Fine-tuned from", d.parents.length ? d.parents.map((p) => versionLabel(p)).join(" ← ") : "— (a base model)"],
      ["Decision batches anchored", `${d.decisionBatches.length} (${d.decisionBatches.reduce((n, b) => n + BigInt(b.count), 0n)} decisions)`],
    ]),
  );
  push("### Notices\n");
  push(s.notices.length ? s.notices.map((n) => `- ${mdText(n)}`).join("\n") + "\n" : "_No notices: nothing revoked, rolled back, withdrawn or expired._\n");

  // --- 1. identification
  push(heading(SECTIONS.identification));
  push("### Model\n");
  push(
    fields([
      ["Model id", mdCode(d.model.id)],
      ["Creator", mdCode(d.model.creator)],
      ["Owner", mdCode(d.model.owner)],
      ["Commercial", yes(d.model.commercial)],
      ["Model card URI", mdCode(d.model.uri)],
      ["Model card hash", hash(d.model.metadataHash)],
      ["Release policy requires", d.model.requiredKinds.length ? d.model.requiredKinds.map((k) => `${mdText(k.name)} (kind ${k.id})`).join(", ") : "nothing"],
      ["Versions", String(d.model.versionCount)],
      ["Registered", tx(d.model.tx)],
    ]),
  );
  push("### Model version\n");
  push(
    fields([
      ["Model version id", mdCode(d.version.id)],
      ["Number within the model", String(d.version.number)],
      ["Weights hash", hash(d.version.weightsHash)],
      ["Manifest root", hash(d.version.manifestRoot)],
      ["Config hash", hash(d.version.configHash)],
      ["URI", mdCode(d.version.uri)],
      ["Publisher", mdCode(d.version.publisher)],
      ["Fine-tuned from", d.version.parentId ? `model version ${d.version.parentId}` : "—"],
      ["Approved", yes(d.version.approved)],
      ["Published", tx(d.version.tx)],
    ]),
  );

  // --- 2. lineage outline
  push(heading(SECTIONS.lineage));
  push("The HTML dossier draws this as a diagram; here as an outline (arrows point from the source to what was made from it).\n");
  push("~~~~text\n" + lineageOutline(d).join("\n") + "\n~~~~\n");

  // --- 3. parents
  push(heading(SECTIONS.parents));
  push(
    table(
      ["Depth", "Model version", "Weights hash", "URI", "Approved", "Trained on (dataset versions)", "Published"],
      d.parents.map((p) => [
        String(p.depth),
        versionLabel(p),
        hash(p.weightsHash),
        mdCode(p.uri),
        yes(p.approved),
        p.training ? p.training.datasetVersionIds.join(", ") || "—" : "no training run recorded",
        tx(p.tx),
      ]),
    ),
  );
  if (d.parents.length) push("Each parent's own data, licences and attestations are in its own dossier.\n");
  if (d.fineTunes.length) {
    push("**Versions fine-tuned from this one:**\n");
    push(table(["Model version", "Published"], d.fineTunes.map((f) => [versionLabel(f), tx(f.tx)])));
  }

  // --- 4. training
  push(heading(SECTIONS.training));
  if (d.training) {
    const t = d.training;
    push(
      fields([
        ["Training run id", mdCode(t.id)],
        ["Code hash", hash(t.codeHash)],
        ["Hyperparameters hash", hash(t.hyperparametersHash)],
        ["Started (declared)", formatTime(t.startedAt, "not declared")],
        ["Ended (declared)", formatTime(t.endedAt, "not declared")],
        ["Recorded", tx(t.tx)],
      ]),
    );
    push(
      table(
        ["#", "Dataset version", "Dataset", "Licence"],
        t.uses.map((u) => [String(u.index), datasetVersionLabel(dvById.get(u.datasetVersionId) ?? { id: u.datasetVersionId, datasetId: u.datasetId, number: 0 }), u.datasetId, u.licenceId]),
      ),
    );
  } else {
    push("_No training run is recorded for this version on chain._\n");
  }

  // --- 5. data
  push(heading(SECTIONS.data));
  push("### Dataset versions (used in training, then their derivation ancestors)\n");
  push(
    table(
      ["Dataset version", "Used in training", "Derived from", "Fingerprint", "Manifest root", "Transformation hash", "URI", "Publisher", "Published"],
      d.datasetVersions.map((v) => [
        datasetVersionLabel(v),
        v.usedInTraining ? "yes" : `ancestor (depth ${v.derivationDepth})`,
        v.parentIds.length ? v.parentIds.join(", ") : "— (original)",
        hash(v.fingerprint),
        hash(v.manifestRoot),
        hash(v.transformationHash),
        mdCode(v.uri),
        mdCode(v.publisher),
        tx(v.tx),
      ]),
    ),
  );
  push("### Datasets\n");
  push(
    table(
      ["Dataset", "Creator", "Owner", "Versions", "Current terms", "Withdrawn", "Registered"],
      d.datasets.map((ds) => [
        ds.id,
        mdCode(ds.creator),
        mdCode(ds.owner),
        String(ds.versionCount),
        ds.currentTermsId ?? "—",
        ds.withdrawal ? `**yes**: ${mdText(ds.withdrawal.reason)} (${ds.withdrawal.tx ? tx(ds.withdrawal.tx) : formatTime(ds.withdrawal.at)})` : "no",
        tx(ds.tx),
      ]),
    ),
  );

  // --- 6. licences
  push(heading(SECTIONS.licences));
  push(
    table(
      ["Licence", "Dataset", "Licensee", "Payer", "Paid", "Expires", "Terms", "Acquired"],
      d.licences.map((l) => [
        l.id,
        l.datasetId,
        mdCode(l.licensee),
        mdCode(l.payer),
        formatAmount(l.amount, l.currency),
        `${formatTime(l.expiresAt, "perpetual")}${l.expiredAtReportBlock ? " **(expired)**" : ""}`,
        l.terms.id,
        tx(l.tx),
      ]),
    ),
  );
  for (const l of d.licences) {
    const t = l.terms;
    push(`### Terms ${t.id} (dataset ${t.datasetId}, licence ${l.id})\n`);
    push(
      fields([
        ["Price", formatAmount(t.price, t.currency)],
        ["Duration", formatDuration(t.duration)],
        ["Commercial use", t.commercialUse ? "allowed" : "**not allowed**"],
        ["Derivatives", t.derivativesAllowed ? "allowed" : "**not allowed**"],
        ["Licence document URI", mdCode(t.documentURI)],
        ["Licence document hash", hash(t.documentHash)],
        ["Royalty splits", t.splits.length ? t.splits.map((sp) => `${mdCode(sp.recipient)} ${formatBps(sp.bps)}`).join("; ") : "— (none)"],
        ["Set by", mdCode(t.setBy)],
        ["Set", tx(t.tx)],
      ]),
    );
  }

  // --- 7. attestations
  push(heading(SECTIONS.attestations));
  push(
    table(
      ["Id", "Kind", "Subject", "Attester", "Submitted by", "Evidence", "Expires", "Status", "Issued"],
      d.attestations.map((a) => [
        a.id,
        `${mdText(a.kind.name)} (${a.kind.id})`,
        subjectLabel(a.subject),
        mdCode(a.attester),
        a.viaSignature ? `${mdCode(a.submitter)} (relayed EIP-712 signature)` : "the attester",
        `${mdCode(a.evidenceURI)}${isZeroHash(a.evidenceHash) ? "" : ` hash ${mdCode(a.evidenceHash)}`}`,
        formatTime(a.expiresAt),
        a.revocation
          ? `**REVOKED** by ${mdCode(a.revocation.by)}: ${mdText(a.revocation.reason)} (${a.revocation.tx ? tx(a.revocation.tx) : formatTime(a.revocation.at)})`
          : "valid (not revoked)",
        tx(a.tx),
      ]),
    ),
  );

  // --- 8. approval
  push(heading(SECTIONS.approval));
  if (d.approval) {
    const byId = new Map(d.attestations.map((a) => [a.id, a]));
    push(
      fields([
        ["Approved by", mdCode(d.approval.approvedBy)],
        ["Approved", tx(d.approval.tx)],
        [
          "On the strength of attestations",
          d.approval.attestationIds
            .map((id) => {
              const a = byId.get(id);
              return a ? `${id} (${mdText(a.kind.name)}${a.revoked ? ", **revoked since**" : ""})` : id;
            })
            .join(", "),
        ],
      ]),
    );
    push("The approval is a fact of its block: a later revocation of an attestation it relied on does not undo it on chain.\n");
  } else {
    push("_The version has no release approval._\n");
  }

  // --- 9. deployments
  push(heading(SECTIONS.deployments));
  push("### Deployments of this version\n");
  push(
    table(
      ["Deployment", "Environment", "Deployer", "Replaced deployment", "Live now", "Ended", "Deployed"],
      d.deployments.map((dep) => [
        dep.id,
        mdCode(dep.environment),
        mdCode(dep.deployer),
        dep.previousId ?? "—",
        dep.active ? "**live**" : "no",
        dep.endedAt ? formatTime(dep.endedAt) : "—",
        tx(dep.tx),
      ]),
    ),
  );
  push("### Rollbacks from or to this version\n");
  push(
    table(
      ["Environment", "From", "To", "Reason", "By", "When"],
      d.rollbacks.map((r) => [
        mdCode(r.environment),
        `version ${r.fromVersionId} (deployment ${r.fromDeploymentId})`,
        r.toVersionId ? `version ${r.toVersionId} (deployment ${r.toDeploymentId})` : "nothing live",
        mdText(r.reason),
        mdCode(r.by),
        tx(r.tx),
      ]),
    ),
  );
  push("### Environments of the model (full timeline)\n");
  for (const env of d.environments) {
    push(`#### ${mdText(env.name)}${env.versionLive ? " — this version is live here" : ""}\n`);
    push(`Live now: ${env.liveVersionId ? `model version ${env.liveVersionId} (deployment ${env.liveDeploymentId})` : "nothing"}.\n`);
    push(
      table(
        ["Change", "Version live after", "By", "Reason", "When"],
        env.timeline.map((c) => [
          c.kind === "deployed" ? `deployed (deployment ${c.deploymentId})` : `rolled back from version ${c.fromVersionId}`,
          c.versionId ? `${c.versionId === d.version.id ? "**" : ""}version ${c.versionId}${c.versionId === d.version.id ? "**" : ""}` : "nothing",
          mdCode(c.by),
          c.reason === null ? "—" : mdText(c.reason),
          tx(c.tx),
        ]),
      ),
    );
  }
  if (d.environments.length === 0) push("_The model has no environments._\n");

  // --- 10. decisions
  push(heading(SECTIONS.decisions));
  push(
    table(
      ["Merkle root", "Decisions", "Window", "Records URI", "Operator", "Anchored"],
      d.decisionBatches.map((b) => [
        mdCode(b.root),
        b.count,
        `${formatTime(b.windowStart)} – ${formatTime(b.windowEnd)}`,
        mdCode(b.uri),
        mdCode(b.operator),
        tx(b.tx),
      ]),
    ),
  );

  // --- 11. history
  push(heading(SECTIONS.history));
  push("Every event the subgraph logged about this version, its model, data, licences, attestations and deployments, oldest first. Descriptions are the indexer's.\n");
  push(
    table(
      ["When", "Action", "About this version", "Actor", "Description", "Tx"],
      d.history.map((e) => [
        `block ${e.tx.block} · ${e.tx.time}`,
        e.action,
        e.aboutVersion ? "yes" : "lineage",
        mdCode(e.actor),
        mdText(e.description),
        mdCode(e.tx.txHash),
      ]),
    ),
  );

  // --- 12. accounts
  push(heading(SECTIONS.accounts));
  push("Addresses only: the chain does not say who is behind them. Roles are those held in the AttestationRegistry at the dossier's block.\n");
  push(table(["Address", "Roles", "Part in this dossier"], d.accounts.map((a) => [mdCode(a.address), a.roles.join(", ") || "—", a.parts.map(mdText).join("; ")])));

  // --- 13. limitations
  push(heading(SECTIONS.limitations));
  push(d.limitations.map((l) => `- ${mdText(l)}`).join("\n") + "\n");

  // --- 14. not covered
  push(heading(SECTIONS.notCovered));
  push("Annex IV items the chain holds nothing (or only hashes) about — document them elsewhere:\n");
  push(NOT_COVERED.map((l) => `- ${mdText(l)}`).join("\n") + "\n");

  // --- 15. method
  push(heading(SECTIONS.method));
  push(
    fields([
      ["Subgraph URL", mdCode(g.subgraphUrl)],
      ["Subgraph deployment", mdCode(g.deployment)],
      ["Block read", `${g.block.number}${g.block.hash ? ` (${mdCode(g.block.hash)})` : ""}`],
      ["Block time", g.block.time ?? "unknown (historical block without a recorded event)"],
      ["Requested block", g.requestedBlock === null ? "— (the subgraph's head)" : String(g.requestedBlock)],
      ["Indexing errors", yes(g.hasIndexingErrors)],
      ["GraphQL requests", String(g.requests)],
      ["Format", mdCode(d.format)],
    ]),
  );
  push(
    "To verify a fact, fetch the receipt of its transaction from a node of the chain (`eth_getTransactionReceipt`) and decode the registry's event. " +
      "To reproduce this dossier, run `pedigree report " +
      `${d.version.id}` +
      (g.requestedBlock === null ? "" : ` --block ${g.requestedBlock}`) +
      "` against the same subgraph.\n",
  );
  return out.join("\n");
}

/** GitHub's heading anchor of a (trusted) heading text. */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}

/** The lineage as an indented text tree (plain text: chain strings are reduced to ids and hashes). */
function lineageOutline(d: VersionDossier): string[] {
  const lines: string[] = [];
  const dvById = new Map(d.datasetVersions.map((v) => [v.id, v]));
  lines.push(`${versionLabel(d.version)}  weights ${d.version.weightsHash}`);
  const top: string[][] = [];
  // Parents
  const parentLines: string[] = [];
  d.parents.forEach((p, i) => parentLines.push(`${"   ".repeat(i)}└─ ${versionLabel(p)}${p.training ? ` trained on dataset versions ${p.training.datasetVersionIds.join(", ")}` : ""}`));
  top.push(["fine-tuned from:", ...(parentLines.length ? parentLines : ["└─ nothing (a base model)"])]);
  // Training
  const trainLines: string[] = [];
  if (d.training) {
    trainLines.push(`training run ${d.training.id} (code ${d.training.codeHash})`);
    const seen = new Set<string>();
    const walk = (id: string, indent: string, last: boolean, prefix: string) => {
      const v = dvById.get(id);
      const label = v ? datasetVersionLabel(v) : `dataset version ${id}`;
      trainLines.push(`${indent}${last ? "└─" : "├─"} ${prefix}${label}`);
      if (!v || seen.has(id)) return;
      seen.add(id);
      v.parentIds.forEach((pid, i) => walk(pid, indent + (last ? "   " : "│  "), i === v.parentIds.length - 1, "derived from "));
    };
    d.training.uses.forEach((u, i) => walk(u.datasetVersionId, "", i === d.training!.uses.length - 1, `licence ${u.licenceId}: `));
  } else {
    trainLines.push("└─ no training run recorded");
  }
  top.push(["trained by:", ...trainLines]);
  const attLines = d.attestations.map((a) => `${a.kind.name.replace(/\s+/g, " ")} ${a.id} on ${subjectLabel(a.subject)}${a.revoked ? " [REVOKED]" : ""}`);
  top.push(["attestations:", ...(attLines.length ? attLines : ["none"])]);
  const depLines = d.deployments.map((dep) => `deployment ${dep.id} → ${oneLine(dep.environment)}${dep.active ? " [LIVE]" : " [ended]"}`);
  for (const r of d.rollbacks) depLines.push(`rollback in ${oneLine(r.environment)}: version ${r.fromVersionId} → ${r.toVersionId ?? "nothing"}`);
  top.push(["deployments:", ...(depLines.length ? depLines : ["none"])]);
  top.forEach((group, gi) => {
    const last = gi === top.length - 1;
    lines.push(`${last ? "└─" : "├─"} ${group[0]}`);
    for (const line of group.slice(1)) lines.push(`${last ? "   " : "│  "}${line}`);
  });
  // A fenced block ends at a line starting with the fence: no line here starts with "~".
  return lines.map((l) => l.replace(/^~/, " ~"));
}
