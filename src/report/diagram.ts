/**
 * The lineage diagram: an inline SVG laid out deterministically (same dossier → same bytes), no script, no external
 * reference.
 *
 * Layout, in columns left to right:
 *   datasets │ dataset versions (derivation ancestors left, versions used in training right) │ training run │
 *   model version (fine-tune parents stacked above it, arrows pointing down into it) │ deployments and decision batches.
 * Each dataset gets a horizontal lane holding its dataset node and its versions, so that derivations within a dataset
 * read left to right on one line. Revoked, withdrawn and rolled-back items are drawn in red.
 */
import { html, trusted, type Html } from "./escape.ts";
import { formatTime, oneLine, shortHex } from "./format.ts";
import type { AttestationRecord, VersionDossier } from "./types.ts";

const W = 200;
const H = 62;
const GAP_X = 52;
const GAP_Y = 16;
const GAP_PARENT = 34;
const PAD = 16;
const TOP = 40;

/** Size of every node box, in SVG units. */
export const NODE_SIZE = { width: W, height: H } as const;

type NodeKind = "dataset" | "datasetVersion" | "trainingRun" | "modelVersion" | "parent" | "deployment" | "decisionBatch";
type Tone = "normal" | "bad" | "ok" | "muted";

export interface DiagramNode {
  /** Stable id within the SVG, e.g. "dv-2", "mv-3" (ours, never chain text). */
  key: string;
  kind: NodeKind;
  x: number;
  y: number;
  lines: [string, string, string];
  tone: Tone;
  tooltip: string;
}

interface Edge {
  from: string;
  to: string;
  label: string;
  vertical?: boolean;
  /** Leave from the bottom and run along the gap under the source's row (to pass the boxes right of it). */
  below?: boolean;
  tone?: Tone;
  dashed?: boolean;
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: Edge[];
  columns: { x: number; title: string }[];
}

const FILL: Record<NodeKind, string> = {
  dataset: "#e8eaf6",
  datasetVersion: "#e3f2fd",
  trainingRun: "#fff3e0",
  modelVersion: "#e8f5e9",
  parent: "#f1f1f1",
  deployment: "#e0f2f1",
  decisionBatch: "#f3e5f5",
};

const KIND_LABEL: Record<NodeKind, string> = {
  dataset: "dataset",
  datasetVersion: "dataset version",
  trainingRun: "training run",
  modelVersion: "model version (subject)",
  parent: "fine-tune parent",
  deployment: "deployment",
  decisionBatch: "decision batch",
};

function attestationLine(list: AttestationRecord[]): { text: string; bad: boolean } {
  if (list.length === 0) return { text: "", bad: false };
  const revoked = list.filter((a) => a.revoked);
  if (list.length <= 2) {
    return { text: list.map((a) => `${a.revoked ? "✗" : "✓"} ${oneLine(a.kind.name)}`).join("  "), bad: revoked.length > 0 };
  }
  return { text: revoked.length ? `✗ ${revoked.length} of ${list.length} attestations revoked` : `✓ ${list.length} attestations`, bad: revoked.length > 0 };
}

/** "; also claimed by 0x…, 0x…" when other accounts claim the digest of version `id`, else "". */
function claimedAlsoBy(d: VersionDossier, id: string, kind: "dataset-fingerprint" | "model-weights" = "dataset-fingerprint"): string {
  const c = d.competingClaims.find((x) => x.kind === kind && x.subjectVersionId === id);
  const others = c?.claims.filter((x) => x.versionId !== id).map((x) => x.claimant) ?? [];
  return others.length ? `; also claimed by ${others.join(", ")}` : "";
}

/** Computes node positions and edges. Exported for tests. */
export function layoutLineage(d: VersionDossier): DiagramLayout {
  const nodes: DiagramNode[] = [];
  const edges: Edge[] = [];
  const attOn = (type: string, id: string) => d.attestations.filter((a) => a.subject.type === type && a.subject.id === id);

  const hasData = d.datasetVersions.length > 0;
  const maxDepth = Math.max(0, ...d.datasetVersions.map((v) => v.derivationDepth));
  const colDataset = 0;
  const colVersionOf = (depth: number) => 1 + (maxDepth - depth);
  const colRun = hasData ? maxDepth + 2 : d.training ? 0 : -1;
  const colModel = colRun + 1;
  const colDeploy = colModel + 1;
  const x = (col: number) => PAD + col * (W + GAP_X);

  // Dataset lanes.
  const lanes = d.datasets.map((ds) => {
    const versions = d.datasetVersions.filter((v) => v.datasetId === ds.id);
    const perColumn = new Map<number, typeof versions>();
    for (const v of versions) {
      const col = colVersionOf(v.derivationDepth);
      perColumn.set(col, [...(perColumn.get(col) ?? []), v]);
    }
    const rows = Math.max(1, ...[...perColumn.values()].map((list) => list.length));
    return { ds, perColumn, rows };
  });
  const dataHeight = lanes.reduce((sum, lane) => sum + lane.rows * (H + GAP_Y), 0) - (lanes.length ? GAP_Y : 0);
  const parents = d.parents;
  const yVersion = Math.max(TOP + parents.length * (H + GAP_PARENT), TOP + Math.round(dataHeight / 2 - H / 2));
  let laneY = Math.max(TOP, yVersion + Math.round(H / 2 - dataHeight / 2));

  for (const lane of lanes) {
    const ds = lane.ds;
    const withdrawn = ds.withdrawn;
    const consent = ds.consentRevocation;
    nodes.push({
      key: `ds-${ds.id}`,
      kind: "dataset",
      x: x(colDataset),
      y: laneY,
      lines: consent
        ? [`Dataset ${ds.id}`, `CONSENT REVOKED ${formatTime(consent.at, "").slice(0, 10)}`, `“${oneLine(consent.reason)}”`]
        : withdrawn
          ? [`Dataset ${ds.id}`, `WITHDRAWN ${formatTime(ds.withdrawal?.at, "").slice(0, 10)}`, `“${oneLine(ds.withdrawal?.reason ?? "")}”`]
          : [`Dataset ${ds.id}`, `creator ${shortHex(ds.creator)}`, `${ds.versionCount} version(s) · terms ${ds.currentTermsId ?? "—"}`],
      tone: withdrawn ? "bad" : "normal",
      tooltip: `Dataset ${ds.id}; creator ${ds.creator}; owner ${ds.owner}${withdrawn ? `; withdrawn: ${ds.withdrawal?.reason ?? ""}` : ""}${consent ? `; consent revoked: ${consent.reason}` : ""}; registered in tx ${ds.tx.txHash} (block ${ds.tx.block})`,
    });
    for (const [col, versions] of [...lane.perColumn.entries()].sort((a, b) => a[0] - b[0])) {
      versions.forEach((v, row) => {
        const licence = d.training?.uses.find((u) => u.datasetVersionId === v.id)?.licenceId;
        const att = attestationLine(attOn("DatasetVersion", v.id));
        nodes.push({
          key: `dv-${v.id}`,
          kind: "datasetVersion",
          x: x(col),
          y: laneY + row * (H + GAP_Y),
          lines: [
            `Dataset version ${v.id}`,
            `dataset ${v.datasetId} v${v.number} · ${shortHex(v.fingerprint)}`,
            att.text || (v.usedInTraining ? `used under licence ${licence ?? "?"}` : "derivation ancestor"),
          ],
          tone: att.bad ? "bad" : "normal",
          tooltip: `Dataset version ${v.id} (dataset ${v.datasetId} v${v.number}); fingerprint ${v.fingerprint}${claimedAlsoBy(d, v.id)}; URI ${oneLine(v.uri)}; published in tx ${v.tx.txHash} (block ${v.tx.block})`,
        });
        const sameDatasetParent = v.parentIds.some((p) => d.datasetVersions.find((o) => o.id === p)?.datasetId === v.datasetId);
        if (!sameDatasetParent) edges.push({ from: `ds-${ds.id}`, to: `dv-${v.id}`, label: "", dashed: true });
        for (const p of v.parentIds) {
          if (d.datasetVersions.some((o) => o.id === p)) edges.push({ from: `dv-${p}`, to: `dv-${v.id}`, label: "derived" });
        }
      });
    }
    laneY += lane.rows * (H + GAP_Y);
  }

  // Training run and model version.
  if (d.training) {
    const t = d.training;
    const att = attestationLine(attOn("TrainingRun", t.id));
    nodes.push({
      key: `run-${t.id}`,
      kind: "trainingRun",
      x: x(colRun),
      y: yVersion,
      lines: [`Training run ${t.id}`, `code ${shortHex(t.codeHash)}`, att.text || `ended ${formatTime(t.endedAt, "—").slice(0, 10)}`],
      tone: att.bad ? "bad" : "normal",
      tooltip: `Training run ${t.id}; code ${t.codeHash}; hyperparameters ${t.hyperparametersHash}; declared ${formatTime(t.startedAt, "—")} to ${formatTime(t.endedAt, "—")}; recorded in tx ${t.tx.txHash} (block ${t.tx.block})`,
    });
    for (const u of t.uses) {
      // A version used in training that is also the parent of another has boxes to its right in its lane.
      const depth = d.datasetVersions.find((v) => v.id === u.datasetVersionId)?.derivationDepth ?? 0;
      edges.push({ from: `dv-${u.datasetVersionId}`, to: `run-${t.id}`, label: `licence ${u.licenceId}`, below: depth > 0 });
    }
    edges.push({ from: `run-${t.id}`, to: `mv-${d.version.id}`, label: "generated" });
  }
  const versionAtt = attestationLine(attOn("ModelVersion", d.version.id));
  nodes.push({
    key: `mv-${d.version.id}`,
    kind: "modelVersion",
    x: x(colModel),
    y: yVersion,
    lines: [
      `Model version ${d.version.id}`,
      `model ${d.version.modelId} v${d.version.number} · ${shortHex(d.version.weightsHash)}`,
      `${d.version.approved ? (d.summary.notReleasableBecause.length ? "NOT releasable" : "approved") : "NOT approved"}${versionAtt.text ? ` · ${versionAtt.text.replace(" attestations revoked", " revoked")}` : ""}`,
    ],
    tone: versionAtt.bad || !d.version.approved || d.summary.notReleasableBecause.length > 0 ? "bad" : "ok",
    tooltip: `Model version ${d.version.id} (model ${d.version.modelId} v${d.version.number}); weights ${d.version.weightsHash}${claimedAlsoBy(d, d.version.id, "model-weights")}; URI ${oneLine(d.version.uri)}; published in tx ${d.version.tx.txHash} (block ${d.version.tx.block})`,
  });
  parents.forEach((p, i) => {
    nodes.push({
      key: `mv-${p.id}`,
      kind: "parent",
      x: x(colModel),
      y: yVersion - (i + 1) * (H + GAP_PARENT),
      lines: [`Model version ${p.id}`, `model ${p.modelId} v${p.number} · ${shortHex(p.weightsHash)}`, `fine-tune parent${p.approved ? " · approved" : ""}`],
      tone: "muted",
      tooltip: `Fine-tune parent ${p.id} (model ${p.modelId} v${p.number}); weights ${p.weightsHash}; published in tx ${p.tx.txHash} (block ${p.tx.block})`,
    });
    const child = i === 0 ? d.version.id : parents[i - 1]!.id;
    edges.push({ from: `mv-${p.id}`, to: `mv-${child}`, label: "fine-tuned into", vertical: true });
  });

  // Deployments and decision batches.
  const right: Omit<DiagramNode, "x" | "y">[] = [];
  for (const dep of d.deployments) {
    const rolledBack = d.rollbacks.find((r) => r.fromDeploymentId === dep.id);
    right.push({
      key: `dep-${dep.id}`,
      kind: "deployment",
      lines: [
        `Deployment ${dep.id} · ${oneLine(dep.environment)}`,
        dep.active ? `LIVE since ${dep.tx.time.slice(0, 10)}` : rolledBack ? `ROLLED BACK ${rolledBack.tx.time.slice(0, 10)}` : `ended ${formatTime(dep.endedAt, "—").slice(0, 10)}`,
        rolledBack && !dep.active ? `“${oneLine(rolledBack.reason)}”` : `deployed ${dep.tx.time.slice(0, 10)}`,
      ],
      tone: dep.active ? "ok" : rolledBack ? "bad" : "muted",
      tooltip: `Deployment ${dep.id} to ${oneLine(dep.environment)}; ${dep.active ? "live" : "not live"}${rolledBack ? `; rolled back: ${oneLine(rolledBack.reason)}` : ""}; deployed in tx ${dep.tx.txHash} (block ${dep.tx.block})`,
    });
    edges.push({ from: `mv-${d.version.id}`, to: `dep-${dep.id}`, label: "deployed", tone: rolledBack ? "bad" : undefined });
  }
  d.decisionBatches.forEach((b, i) => {
    right.push({
      key: `batch-${i}`,
      kind: "decisionBatch",
      lines: ["Decision batch", `${b.count} decisions`, `root ${shortHex(b.root)}`],
      tone: "normal",
      tooltip: `Decision batch ${b.root}: ${b.count} decisions from ${formatTime(b.windowStart)} to ${formatTime(b.windowEnd)}; anchored in tx ${b.tx.txHash} (block ${b.tx.block})`,
    });
    edges.push({ from: `mv-${d.version.id}`, to: `batch-${i}`, label: "decided", dashed: true });
  });
  const rightTop = Math.max(TOP, yVersion + Math.round(H / 2 - (right.length * (H + GAP_Y) - GAP_Y) / 2));
  right.forEach((n, i) => nodes.push({ ...n, x: x(colDeploy), y: rightTop + i * (H + GAP_Y) }));

  const columns: { x: number; title: string }[] = [];
  if (hasData) {
    columns.push({ x: x(colDataset), title: "Datasets" });
    columns.push({ x: x(1), title: maxDepth > 0 ? "Dataset versions (derivations →)" : "Dataset versions" });
  }
  if (d.training) columns.push({ x: x(colRun), title: "Training run" });
  columns.push({ x: x(colModel), title: parents.length ? "Model version (parents above)" : "Model version" });
  if (right.length) columns.push({ x: x(colDeploy), title: "Deployments & decisions" });

  const maxCol = right.length ? colDeploy : colModel;
  const width = PAD * 2 + (maxCol + 1) * W + maxCol * GAP_X;
  const height = Math.max(...nodes.map((n) => n.y + H)) + PAD + 34;
  return { width, height, nodes, edges, columns };
}

/**
 * Conservative width of `text` in a sans-serif font of `size` px (wide fonts such as DejaVu Sans included), so that
 * labels are cut before they overflow their box whatever font the reader's system substitutes.
 */
export function estimateTextWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (/[0-9]/.test(ch)) em += 0.64;
    else if (/[ijlft.,:;'|!·()[\] ]/.test(ch)) em += 0.36;
    else if (/[mw]/.test(ch)) em += 0.92;
    else if (/[a-z]/.test(ch)) em += 0.6;
    else if (/[MW]/.test(ch)) em += 0.95;
    else if (/[A-Z]/.test(ch)) em += 0.74;
    else if (/[\x21-\x7e]/.test(ch)) em += 0.62;
    else em += 1;
  }
  return em * size;
}

/** `text` on one line, cut with an ellipsis to fit `width` px. */
export function fitText(text: string, size: number, width: number): string {
  const line = oneLine(text);
  if (estimateTextWidth(line, size) <= width) return line;
  const chars = [...line];
  while (chars.length > 1 && estimateTextWidth(`${chars.join("")}…`, size) > width) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}

const STROKE: Record<Tone, string> = { normal: "#5c6b7a", bad: "#c62828", ok: "#2e7d32", muted: "#9e9e9e" };

/** Renders the lineage diagram as an inline SVG element. */
export function renderLineageSvg(d: VersionDossier): Html {
  const layout = layoutLineage(d);
  const byKey = new Map(layout.nodes.map((n) => [n.key, n]));
  const fit = (text: string, bold: boolean) => fitText(text, bold ? 12.5 * 1.06 : 11, W - 18);

  const edgeMarkup = layout.edges.map((e) => {
    const a = byKey.get(e.from);
    const b = byKey.get(e.to);
    if (!a || !b) return html``;
    const color = STROKE[e.tone ?? "normal"];
    const marker = e.tone === "bad" ? "pd-arrow-bad" : "pd-arrow";
    let path: string;
    let lx: number;
    let ly: number;
    let anchor = "start";
    if (e.vertical) {
      const cx = a.x + W / 2;
      path = `M${cx},${a.y + H} L${cx},${b.y - 2}`;
      lx = cx + 6;
      ly = Math.round((a.y + H + b.y) / 2) + 4;
    } else if (e.below) {
      const cx = a.x + W / 2;
      const gy = a.y + H + GAP_Y / 2;
      const x2 = b.x - 2;
      const y2 = b.y + H / 2;
      const turn = x2 - GAP_X / 2;
      path = `M${cx},${a.y + H} L${cx},${gy} L${turn},${gy} C${x2 - 8},${gy} ${turn},${y2} ${x2},${y2}`;
      lx = cx + 6;
      ly = gy + 4;
    } else if (a.x === b.x) {
      // Same column (a version both used and derived from another used version): an arc on the left side.
      const y1 = a.y + H / 2;
      const y2 = b.y + H / 2;
      path = `M${a.x},${y1} C${a.x - 40},${y1} ${b.x - 40},${y2} ${b.x - 2},${y2}`;
      lx = a.x - 44;
      ly = Math.round((y1 + y2) / 2);
      anchor = "end";
    } else {
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x - 2;
      const y2 = b.y + H / 2;
      const mx = Math.round((x1 + x2) / 2);
      path = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
      lx = x1 + 5;
      ly = y1 - 5;
    }
    return html`<path class="edge" d="${path}" stroke="${color}"${trusted(e.dashed ? ' stroke-dasharray="5 4"' : "")} marker-end="url(#${marker})"/>${
      e.label ? html`<text class="edge-label" x="${lx}" y="${ly}" text-anchor="${anchor}">${e.label}</text>` : ""
    }`;
  });

  const nodeMarkup = layout.nodes.map((n) => {
    const stroke = STROKE[n.tone];
    const width = n.kind === "modelVersion" || n.tone === "bad" ? 2.5 : 1.2;
    return html`<g class="node node-${n.kind}" id="${`pd-${n.key}`}" data-kind="${n.kind}"><title>${n.tooltip}</title><rect x="${n.x}" y="${n.y}" width="${W}" height="${H}" rx="7" fill="${FILL[n.kind]}" stroke="${stroke}" stroke-width="${width}"/><text x="${n.x + 10}" y="${n.y + 19}" class="l1">${fit(n.lines[0], true)}</text><text x="${n.x + 10}" y="${n.y + 36}" class="l2">${fit(n.lines[1], false)}</text><text x="${n.x + 10}" y="${n.y + 52}" class="l3" fill="${n.tone === "bad" ? STROKE.bad : n.tone === "ok" ? STROKE.ok : "#37474f"}">${fit(n.lines[2], false)}</text></g>`;
  });

  const columnMarkup = layout.columns.map((c) => html`<text class="col" x="${c.x}" y="22">${c.title}</text>`);

  const legendY = layout.height - 18;
  const legendKinds: NodeKind[] = ["dataset", "datasetVersion", "trainingRun", "modelVersion", "parent", "deployment", "decisionBatch"];
  let lx = PAD;
  const legend = legendKinds.map((k) => {
    const label = KIND_LABEL[k];
    const item = html`<rect x="${lx}" y="${legendY - 10}" width="14" height="12" rx="3" fill="${FILL[k]}" stroke="#5c6b7a"/><text class="legend" x="${lx + 19}" y="${legendY}">${label}</text>`;
    lx += 19 + label.length * 6.2 + 16;
    return item;
  });
  legend.push(
    html`<rect x="${lx}" y="${legendY - 10}" width="14" height="12" rx="3" fill="#fff" stroke="${STROKE.bad}" stroke-width="2.5"/><text class="legend" x="${lx + 19}" y="${legendY}">revoked / withdrawn / rolled back / not approved</text>`,
  );
  const width = Math.max(layout.width, Math.ceil(lx + 19 + 48 * 6.2 + PAD));

  const title = `Lineage of model version ${d.version.id}`;
  const desc = `${d.datasetVersions.length} dataset version(s) from ${d.datasets.length} dataset(s), ${d.training ? "one training run" : "no training run"}, ${d.parents.length} fine-tune parent(s), ${d.deployments.length} deployment(s), ${d.decisionBatches.length} decision batch(es).`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" aria-labelledby="pd-svg-title pd-svg-desc" width="${width}" height="${layout.height}" viewBox="0 0 ${width} ${layout.height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"><title id="pd-svg-title">${title}</title><desc id="pd-svg-desc">${desc}</desc><defs><marker id="pd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${STROKE.normal}"/></marker><marker id="pd-arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${STROKE.bad}"/></marker></defs><style>${trusted(SVG_STYLE)}</style>${columnMarkup}${edgeMarkup}${nodeMarkup}${legend}</svg>`;
}

const SVG_STYLE =
  ".edge{fill:none;stroke-width:1.5}.edge-label{font-size:10px;fill:#455a64;paint-order:stroke;stroke:#fff;stroke-width:3px}" +
  ".l1{font-size:12.5px;font-weight:600;fill:#1a237e}.l2{font-size:11px;fill:#37474f}.l3{font-size:11px}" +
  ".col{font-size:12px;font-weight:600;fill:#546e7a;letter-spacing:.02em}.legend{font-size:10.5px;fill:#455a64}";

/** For tests and callers that want the raw string. */
export function lineageSvgString(d: VersionDossier): string {
  return renderLineageSvg(d).value;
}

