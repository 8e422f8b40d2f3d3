/**
 * The dossier as ONE self-contained HTML file: inline CSS, the inline SVG lineage diagram, no script, no external
 * reference of any kind (a Content-Security-Policy forbids them too), readable on screen and on paper.
 *
 * All text from the chain is untrusted. It is escaped by construction (see escape.ts); URIs from the chain are shown as
 * text, never as links, so that a `javascript:` or tracking URI cannot be followed by a click.
 */
import { buildDocument, type Block, type Inline, type Tone } from "./document.ts";
import { renderLineageSvg } from "./diagram.ts";
import { html, trusted, type Html } from "./escape.ts";
import { txWhen } from "./format.ts";
import type { VersionDossier } from "./types.ts";

const TONE_CLASS: Record<Tone, string> = { ok: "ok", bad: "bad", warn: "warn", muted: "muted" };

function inline(parts: Inline[]): Html {
  return html`${parts.map((part) => {
    if (typeof part === "string") return html`${part}`;
    if ("code" in part) return part.code === "" ? html`<span class="empty">(empty)</span>` : html`<code>${part.code}</code>`;
    if ("strong" in part) return html`<strong>${inline(part.strong)}</strong>`;
    if ("badge" in part) return html`<span class="badge ${TONE_CLASS[part.tone]}">${part.badge}</span>`;
    if ("tx" in part) {
      return part.tx ? html`<span class="tx"><span class="when">${txWhen(part.tx)}</span> <code class="hash">${part.tx.txHash}</code></span>` : html`—`;
    }
    return html`<a href="#${part.ref}">${part.text}</a>`;
  })}`;
}

function table(header: string[], rows: Inline[][][], empty: string, className = ""): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap"><table${className ? trusted(` class="${className}"`) : ""}><thead><tr>${header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell) => html`<td>${inline(cell)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

function block(b: Block, d: VersionDossier): Html {
  switch (b.kind) {
    case "paragraph":
      return html`<p>${inline(b.content)}</p>`;
    case "heading":
      return html`<h3>${inline(b.content)}</h3>`;
    case "note":
      return html`<p class="note ${TONE_CLASS[b.tone]}">${inline(b.content)}</p>`;
    case "fields":
      return html`<table class="fields"><tbody>${b.rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${inline(v)}</td></tr>`)}</tbody></table>`;
    case "table":
      return table(b.header, b.rows, b.empty);
    case "list":
      return b.items.length ? html`<ul>${b.items.map((item) => html`<li>${inline(item)}</li>`)}</ul>` : html`<p class="empty">${b.empty ?? "None."}</p>`;
    case "lineage":
      return html`<figure class="diagram">${renderLineageSvg(d)}<figcaption>Lineage of model version ${d.version.id} as of block ${d.generatedAt.block.number}. Hover a box for its hashes and transaction.</figcaption></figure>`;
  }
}

/** Renders the dossier as one self-contained HTML document. */
export function renderHtml(dossier: VersionDossier): string {
  const doc = buildDocument(dossier);
  const g = dossier.generatedAt;
  const s = dossier.summary;
  const status: Html[] = [
    s.approved ? html`<span class="badge ok">approved</span>` : html`<span class="badge bad">not approved</span>`,
    s.liveIn.length ? html`<span class="badge ok">live in ${s.liveIn.join(", ")}</span>` : html`<span class="badge muted">not live</span>`,
    s.rolledBack ? html`<span class="badge bad">rolled back</span>` : html``,
    s.revokedAttestationIds.length ? html`<span class="badge bad">${s.revokedAttestationIds.length} attestation(s) revoked</span>` : html``,
    dossier.datasets.some((ds) => ds.withdrawn) ? html`<span class="badge bad">training data withdrawn</span>` : html``,
    dossier.datasets.some((ds) => ds.consentRevocation) ? html`<span class="badge bad">consent revoked</span>` : html``,
    dossier.licences.some((l) => l.refund) ? html`<span class="badge bad">licence voided</span>` : html``,
    s.liveButNotReleasable.length ? html`<span class="badge bad">live but not releasable</span>` : html``,
    dossier.competingClaims.length ? html`<span class="badge warn">claimed by others too</span>` : html``,
    dossier.attestations.some((a) => a.roleRevocation) ? html`<span class="badge warn">attester lost its role</span>` : html``,
  ];
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Pedigree report">
<title>${doc.title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header>
<p class="kicker">Pedigree audit dossier · EU AI Act Annex IV technical documentation support</p>
<h1>${doc.title}</h1>
<p class="status">${status}</p>
<p class="intro">${inline(doc.intro)}</p>
</header>
<nav aria-label="Contents"><h2 class="nav-title">Contents</h2><ol>${doc.sections.map(
    (sec) => html`<li><a href="#${sec.spec.id}">${sec.spec.title}</a> <span class="annex">${sec.spec.annex}</span></li>`,
  )}</ol></nav>
<main>
${doc.sections.map(
  (sec) => html`<section id="${sec.spec.id}" class="section-${sec.spec.id}">
<h2>${sec.spec.title}</h2>
<p class="annex-ref">${sec.spec.annex}</p>
${sec.blocks.map((b) => block(b, dossier))}
</section>
`,
)}</main>
<footer><p>Generated from subgraph deployment <code>${g.deployment}</code> at block ${g.block.number}${g.block.time ? ` (${g.block.time})` : ""}. Dossier format <code>${dossier.format}</code>. This file contains no scripts and loads nothing from the network.</p></footer>
</body>
</html>
`;
  return page.value;
}

const CSS = `
:root{--ink:#1c2430;--muted:#5f6b7a;--line:#d5dbe3;--soft:#f5f7fa;--ok:#2e7d32;--bad:#c62828;--warn:#b26a00;--accent:#1a237e}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0 auto;max-width:1320px;padding:28px 32px 48px;color:var(--ink);background:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.45}
h1{font-size:1.7rem;margin:.2rem 0 .6rem;color:var(--accent)}
h2{font-size:1.25rem;margin:2.2rem 0 .2rem;padding-bottom:.25rem;border-bottom:2px solid var(--accent);color:var(--accent)}
h3{font-size:1.02rem;margin:1.3rem 0 .4rem}
.kicker{margin:0;color:var(--muted);font-size:.85rem;text-transform:uppercase;letter-spacing:.06em}
.intro{color:var(--muted);font-size:.92rem}
.status{margin:.3rem 0 .8rem}
.annex-ref{margin:.1rem 0 .8rem;color:var(--muted);font-size:.85rem;font-style:italic}
nav{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem .8rem;margin:1rem 0 1.5rem}
.nav-title{border:0;margin:.2rem 0 .3rem;font-size:1rem}
nav ol{margin:0;padding-left:1.2rem;columns:2;column-gap:2rem;font-size:.9rem}
nav li{break-inside:avoid;margin:.15rem 0}
nav .annex{display:block;color:var(--muted);font-size:.78rem}
a{color:var(--accent)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.82em;background:var(--soft);border-radius:3px;padding:0 .2em;overflow-wrap:anywhere;word-break:break-all}
.table-wrap{overflow-x:auto;margin:.4rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.84rem}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--soft);font-weight:600}
table.fields{width:auto;min-width:60%;margin:.4rem 0 1rem}
table.fields th{background:var(--soft);font-weight:600;white-space:nowrap;width:14rem}
.tx{display:inline-block;font-size:.92em;color:var(--muted)}
.tx .when{white-space:nowrap}
.tx code.hash{display:block;font-size:.86em;color:var(--ink)}
.badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.78rem;font-weight:600;border:1px solid;margin-right:.25rem;white-space:nowrap}
.badge.ok{color:var(--ok);border-color:var(--ok);background:#edf7ee}
.badge.bad{color:var(--bad);border-color:var(--bad);background:#fdecea}
.badge.warn{color:var(--warn);border-color:var(--warn);background:#fff4e5}
.badge.muted{color:var(--muted);border-color:var(--line);background:var(--soft)}
.note{border-left:4px solid var(--line);padding:.4rem .8rem;background:var(--soft)}
.note.bad{border-color:var(--bad);background:#fdecea}
.empty{color:var(--muted);font-style:italic}
.section-summary ul li{margin:.25rem 0}
.section-limitations ul li{margin:.45rem 0}
.section-limitations{background:#fffbf2;border:1px solid #f0dfb8;border-radius:8px;padding:0 1rem .6rem;margin-top:2rem}
.section-limitations h2{margin-top:1rem}
figure.diagram{margin:.6rem 0 1rem;overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;background:#fcfdff}
figure.diagram svg{display:block;height:auto}
figcaption{color:var(--muted);font-size:.8rem;margin-top:.3rem}
footer{margin-top:3rem;border-top:1px solid var(--line);color:var(--muted);font-size:.8rem}
@page{size:A4 landscape;margin:12mm}
@media print{
  html{font-size:10.5pt}
  body{max-width:none;padding:0}
  nav ol{columns:2}
  a{color:inherit;text-decoration:none}
  h2{break-after:avoid;page-break-after:avoid}
  h3{break-after:avoid}
  tr,figure.diagram,table.fields{break-inside:avoid;page-break-inside:avoid}
  .table-wrap,figure.diagram{overflow:visible}
  figure.diagram svg{max-width:100%}
  thead{display:table-header-group}
  .badge,.note.bad,.section-limitations{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;
