/**
 * The dossier as Markdown (GitHub-flavoured): one section per Annex IV-relevant topic, each fact with its transaction
 * reference. Text from the chain is untrusted: it is rendered either as a code span (hashes, URIs, addresses) or as
 * text with every Markdown/HTML-significant character backslash-escaped and newlines collapsed, so that it can neither
 * inject HTML into a Markdown viewer nor break a table.
 */
import { buildDocument, type Block, type Inline } from "./document.ts";
import { datasetVersionLabel, oneLine, subjectLabel, txWhen, versionLabel } from "./format.ts";
import type { VersionDossier } from "./types.ts";

/** Escapes untrusted text for Markdown prose and table cells (whitespace runs, newlines included, become one space). */
export function mdText(text: string): string {
  const inline = text.replace(/\s+/g, " ").replace(/[\\`*_[\]<>|~&!]/g, (c) => `\\${c}`);
  // Block syntax only matters at the start (a list item's text starts a paragraph): headings, lists, quotes.
  return inline.replace(/^([#+=>-])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
}

/** Untrusted text as a code span (literal in every Markdown renderer); `|` escaped for GFM tables. */
export function mdCode(text: string): string {
  const t = oneLine(text).replace(/\|/g, "\\|");
  if (t === "") return "(empty)";
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = t.startsWith("`") || t.endsWith("`") ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

function inline(parts: Inline[]): string {
  return parts
    .map((part): string => {
      if (typeof part === "string") return mdText(part);
      if ("code" in part) return mdCode(part.code);
      if ("strong" in part) return `**${inline(part.strong)}**`;
      if ("badge" in part) return part.tone === "bad" ? `**${mdText(part.badge.toUpperCase())}**` : `_${mdText(part.badge)}_`;
      if ("tx" in part) return part.tx ? `${mdText(txWhen(part.tx))} · tx ${mdCode(part.tx.txHash)}` : "—";
      return `[${mdText(part.text)}](#${anchor(part.text)})`;
    })
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

function table(header: string[], rows: Inline[][][], empty: string): string {
  if (rows.length === 0) return `_${mdText(empty)}_\n`;
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header.map(mdText)), line(header.map(() => "---")), ...rows.map((row) => line(row.map((cell) => inline(cell) || " ")))].join("\n") + "\n";
}

function block(b: Block, d: VersionDossier): string {
  switch (b.kind) {
    case "paragraph":
      return `${inline(b.content)}\n`;
    case "heading":
      return `### ${inline(b.content)}\n`;
    case "note":
      return `> ${b.tone === "bad" ? "**Warning:** " : ""}${inline(b.content)}\n`;
    case "fields":
      return table(["Field", "Value"], b.rows.map(([k, v]) => [[k], v]), "");
    case "table":
      return table(b.header, b.rows, b.empty);
    case "list":
      return b.items.length ? b.items.map((item) => `- ${inline(item)}`).join("\n") + "\n" : `_${mdText(b.empty ?? "None.")}_\n`;
    case "lineage":
      return "~~~~text\n" + lineageOutline(d).join("\n") + "\n~~~~\n";
  }
}

/** Renders the dossier as one Markdown document. */
export function renderMarkdown(dossier: VersionDossier): string {
  const doc = buildDocument(dossier);
  const out: string[] = [`# ${mdText(doc.title)}\n`, `> ${inline(doc.intro)}\n`, "## Contents\n"];
  // Section titles and Annex references are our own constants (no chain text): rendered as they are.
  out.push(doc.sections.map((s) => `- [${s.spec.title}](#${anchor(s.spec.title)}) — ${s.spec.annex}`).join("\n") + "\n");
  for (const section of doc.sections) {
    out.push(`## ${section.spec.title}\n`, `_${section.spec.annex}_\n`);
    for (const b of section.blocks) out.push(block(b, dossier));
  }
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

/**
 * The lineage as an indented text tree, for a fenced code block (literal text: nothing in it is interpreted; chain
 * strings are reduced to one line, and no line starts with the fence).
 */
export function lineageOutline(d: VersionDossier): string[] {
  const lines: string[] = [];
  const dvById = new Map(d.datasetVersions.map((v) => [v.id, v]));
  const claimedByOthers = new Set(d.competingClaims.filter((c) => c.kind === "dataset-fingerprint").map((c) => c.subjectVersionId));
  lines.push(`${versionLabel(d.version)}  weights ${d.version.weightsHash}`);
  const groups: string[][] = [];
  const parentLines = d.parents.map(
    (p, i) => `${"   ".repeat(i)}└─ ${versionLabel(p)}${p.training ? `, trained on dataset versions ${p.training.datasetVersionIds.join(", ")}` : ""}`,
  );
  groups.push(["fine-tuned from:", ...(parentLines.length ? parentLines : ["└─ nothing (a base model)"])]);
  const trainLines: string[] = [];
  if (d.training) {
    trainLines.push(`training run ${d.training.id} (code ${d.training.codeHash})`);
    const seen = new Set<string>();
    const walk = (id: string, indent: string, last: boolean, prefix: string) => {
      const v = dvById.get(id);
      const ds = v ? d.datasets.find((x) => x.id === v.datasetId) : undefined;
      const label = v ? datasetVersionLabel(v) : `dataset version ${id}`;
      const marks = `${ds?.withdrawn ? " [DATASET WITHDRAWN]" : ""}${ds?.consentRevocation ? " [CONSENT REVOKED]" : ""}${claimedByOthers.has(id) ? " [CLAIMED BY OTHERS TOO]" : ""}`;
      trainLines.push(`${indent}${last ? "└─" : "├─"} ${prefix}${label}${marks}`);
      if (!v || seen.has(id)) return;
      seen.add(id);
      v.parentIds.forEach((pid, i) => walk(pid, indent + (last ? "   " : "│  "), i === v.parentIds.length - 1, "derived from "));
    };
    const uses = d.training.uses;
    const voided = new Set(d.licences.filter((l) => l.refund).map((l) => l.id));
    uses.forEach((u, i) => walk(u.datasetVersionId, "", i === uses.length - 1, `licence ${u.licenceId}${voided.has(u.licenceId) ? " [VOIDED]" : ""} → `));
  } else {
    trainLines.push("└─ no training run recorded");
  }
  groups.push(["trained by:", ...trainLines]);
  const attLines = d.attestations.map(
    (a) => `${oneLine(a.kind.name)} ${a.id} on ${subjectLabel(a.subject)}${a.revoked ? " [REVOKED]" : ""}${a.roleRevocation ? " [ATTESTER LOST ITS ROLE]" : ""}`,
  );
  groups.push(["attestations:", ...(attLines.length ? attLines : ["none"])]);
  const depLines = d.deployments.map(
    (dep) =>
      `deployment ${dep.id} → ${oneLine(dep.environment)}${dep.active ? " [LIVE]" : " [not live]"}${dep.active && d.summary.liveButNotReleasable.includes(dep.environment) ? " [NOT RELEASABLE]" : ""}`,
  );
  for (const r of d.rollbacks) depLines.push(`rollback in ${oneLine(r.environment)}: version ${r.fromVersionId} → ${r.toVersionId ?? "nothing"}`);
  for (const b of d.decisionBatches) depLines.push(`decision batch ${b.root} (${b.count} decisions)`);
  groups.push(["deployments and decisions:", ...(depLines.length ? depLines : ["none"])]);
  groups.forEach((group, gi) => {
    const last = gi === groups.length - 1;
    lines.push(`${last ? "└─" : "├─"} ${group[0]}`);
    for (const line of group.slice(1)) lines.push(`${last ? "   " : "│  "}${line}`);
  });
  return lines;
}
