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
import type { AttestationRecord, DatasetRecord, DatasetVersionRecord, DeploymentRecord, RollbackRecord, VersionDossier } from "./types.ts";

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

/** Where the columns are: the data columns exist only when there is data, the run's only when there is a run. */
interface Grid {
  hasData: boolean;
  /** Longest derivation chain among the dataset versions. */
  maxDepth: number;
  run: number;
  model: number;
  deploy: number;
}

/** A dataset's lane: its versions by column, and how many rows the fullest column needs. */
interface Lane {
  ds: DatasetRecord;
  perColumn: Map<number, DatasetVersionRecord[]>;
  rows: number;
}

/** Nodes and edges of one part of the diagram, in drawing order. */
interface Drawing {
  nodes: DiagramNode[];
  edges: Edge[];
}

/** Unplaced nodes of the right-hand column (deployments and decision batches), with their edges. */
interface RightColumn {
  nodes: Omit<DiagramNode, "x" | "y">[];
  edges: Edge[];
}

const columnX = (col: number) => PAD + col * (W + GAP_X);
/** Derivation ancestors left of the versions derived from them; versions used in training rightmost. */
const versionColumn = (grid: Grid, depth: number) => 1 + (grid.maxDepth - depth);
const attestationsOn = (d: VersionDossier, type: string, id: string) => d.attestations.filter((a) => a.subject.type === type && a.subject.id === id);

/** Computes node positions and edges. Exported for tests. */
export function layoutLineage(d: VersionDossier): DiagramLayout {
  const grid = gridOf(d);
  const lanes = datasetLanes(d, grid);
  const dataHeight = lanes.reduce((sum, lane) => sum + lane.rows * (H + GAP_Y), 0) - (lanes.length ? GAP_Y : 0);
  const yVersion = Math.max(TOP + d.parents.length * (H + GAP_PARENT), TOP + Math.round(dataHeight / 2 - H / 2));
  const right = rightColumn(d);
  const parts: Drawing[] = [
    lanesDrawing(d, grid, lanes, Math.max(TOP, yVersion + Math.round(H / 2 - dataHeight / 2))),
    trainingDrawing(d, grid, yVersion),
    { nodes: [subjectNode(d, grid, yVersion)], edges: [] },
    parentsDrawing(d, grid, yVersion),
    { nodes: placeRightColumn(right.nodes, grid, yVersion), edges: right.edges },
  ];
  const nodes = parts.flatMap((part) => part.nodes);
  const edges = parts.flatMap((part) => part.edges);
  const maxCol = right.nodes.length ? grid.deploy : grid.model;
  const width = PAD * 2 + (maxCol + 1) * W + maxCol * GAP_X;
  const height = Math.max(...nodes.map((n) => n.y + H)) + PAD + 34;
  return { width, height, nodes, edges, columns: columnTitles(d, grid, right.nodes.length > 0) };
}

function gridOf(d: VersionDossier): Grid {
  const hasData = d.datasetVersions.length > 0;
  const maxDepth = Math.max(0, ...d.datasetVersions.map((v) => v.derivationDepth));
  const run = hasData ? maxDepth + 2 : d.training ? 0 : -1;
  return { hasData, maxDepth, run, model: run + 1, deploy: run + 2 };
}

function datasetLanes(d: VersionDossier, grid: Grid): Lane[] {
  return d.datasets.map((ds) => {
    const perColumn = new Map<number, DatasetVersionRecord[]>();
    for (const v of d.datasetVersions.filter((v) => v.datasetId === ds.id)) {
      const col = versionColumn(grid, v.derivationDepth);
      perColumn.set(col, [...(perColumn.get(col) ?? []), v]);
    }
    const rows = Math.max(1, ...[...perColumn.values()].map((list) => list.length));
    return { ds, perColumn, rows };
  });
}

/** The lanes stacked from `top` down: each dataset's node, then its versions column by column, with their edges. */
function lanesDrawing(d: VersionDossier, grid: Grid, lanes: Lane[], top: number): Drawing {
  const drawing: Drawing = { nodes: [], edges: [] };
  let laneY = top;
  for (const lane of lanes) {
    drawing.nodes.push(datasetNode(lane.ds, laneY));
    for (const [col, versions] of [...lane.perColumn.entries()].sort((a, b) => a[0] - b[0])) {
      versions.forEach((v, row) => {
        drawing.nodes.push(datasetVersionNode(d, v, columnX(col), laneY + row * (H + GAP_Y)));
        drawing.edges.push(...datasetVersionEdges(d, lane.ds, v));
      });
    }
    laneY += lane.rows * (H + GAP_Y);
  }
  return drawing;
}

function datasetNode(ds: DatasetRecord, y: number): DiagramNode {
  const withdrawn = ds.withdrawn;
  const consent = ds.consentRevocation;
  return {
    key: `ds-${ds.id}`,
    kind: "dataset",
    x: columnX(0),
    y,
    lines: consent
      ? [`Dataset ${ds.id}`, `CONSENT REVOKED ${formatTime(consent.at, "").slice(0, 10)}`, `“${oneLine(consent.reason)}”`]
      : withdrawn
        ? [`Dataset ${ds.id}`, `WITHDRAWN ${formatTime(ds.withdrawal?.at, "").slice(0, 10)}`, `“${oneLine(ds.withdrawal?.reason ?? "")}”`]
        : [`Dataset ${ds.id}`, `creator ${shortHex(ds.creator)}`, `${ds.versionCount} version(s) · terms ${ds.currentTermsId ?? "—"}`],
    tone: withdrawn ? "bad" : "normal",
    tooltip: `Dataset ${ds.id}; creator ${ds.creator}; owner ${ds.owner}${withdrawn ? `; withdrawn: ${ds.withdrawal?.reason ?? ""}` : ""}${consent ? `; consent revoked: ${consent.reason}` : ""}; registered in tx ${ds.tx.txHash} (block ${ds.tx.block})`,
  };
}

function datasetVersionNode(d: VersionDossier, v: DatasetVersionRecord, x: number, y: number): DiagramNode {
  const licence = d.training?.uses.find((u) => u.datasetVersionId === v.id)?.licenceId;
  const att = attestationLine(attestationsOn(d, "DatasetVersion", v.id));
  return {
    key: `dv-${v.id}`,
    kind: "datasetVersion",
    x,
    y,
    lines: [
      `Dataset version ${v.id}`,
      `dataset ${v.datasetId} v${v.number} · ${shortHex(v.fingerprint)}`,
      att.text || (v.usedInTraining ? `used under licence ${licence ?? "?"}` : "derivation ancestor"),
    ],
    tone: att.bad ? "bad" : "normal",
    tooltip: `Dataset version ${v.id} (dataset ${v.datasetId} v${v.number}); fingerprint ${v.fingerprint}${claimedAlsoBy(d, v.id)}; URI ${oneLine(v.uri)}; published in tx ${v.tx.txHash} (block ${v.tx.block})`,
  };
}

/** From its dataset (unless derived within it) and from each parent version shown. */
function datasetVersionEdges(d: VersionDossier, ds: DatasetRecord, v: DatasetVersionRecord): Edge[] {
  const edges: Edge[] = [];
  const sameDatasetParent = v.parentIds.some((p) => d.datasetVersions.find((o) => o.id === p)?.datasetId === v.datasetId);
  if (!sameDatasetParent) edges.push({ from: `ds-${ds.id}`, to: `dv-${v.id}`, label: "", dashed: true });
  for (const p of v.parentIds) {
    if (d.datasetVersions.some((o) => o.id === p)) edges.push({ from: `dv-${p}`, to: `dv-${v.id}`, label: "derived" });
  }
  return edges;
}

/** The training run level with the version, fed by the dataset versions it used and generating the version. */
function trainingDrawing(d: VersionDossier, grid: Grid, y: number): Drawing {
  if (!d.training) return { nodes: [], edges: [] };
  const t = d.training;
  const att = attestationLine(attestationsOn(d, "TrainingRun", t.id));
  const node: DiagramNode = {
    key: `run-${t.id}`,
    kind: "trainingRun",
    x: columnX(grid.run),
    y,
    lines: [`Training run ${t.id}`, `code ${shortHex(t.codeHash)}`, att.text || `ended ${formatTime(t.endedAt, "—").slice(0, 10)}`],
    tone: att.bad ? "bad" : "normal",
    tooltip: `Training run ${t.id}; code ${t.codeHash}; hyperparameters ${t.hyperparametersHash}; declared ${formatTime(t.startedAt, "—")} to ${formatTime(t.endedAt, "—")}; recorded in tx ${t.tx.txHash} (block ${t.tx.block})`,
  };
  const edges: Edge[] = t.uses.map((u) => {
    // A version used in training that is also the parent of another has boxes to its right in its lane.
    const depth = d.datasetVersions.find((v) => v.id === u.datasetVersionId)?.derivationDepth ?? 0;
    return { from: `dv-${u.datasetVersionId}`, to: `run-${t.id}`, label: `licence ${u.licenceId}`, below: depth > 0 };
  });
  edges.push({ from: `run-${t.id}`, to: `mv-${d.version.id}`, label: "generated" });
  return { nodes: [node], edges };
}

/** The dossier's model version: approved, releasable, its attestations. */
function subjectNode(d: VersionDossier, grid: Grid, y: number): DiagramNode {
  const v = d.version;
  const att = attestationLine(attestationsOn(d, "ModelVersion", v.id));
  const notReleasable = d.summary.notReleasableBecause.length > 0;
  return {
    key: `mv-${v.id}`,
    kind: "modelVersion",
    x: columnX(grid.model),
    y,
    lines: [
      `Model version ${v.id}`,
      `model ${v.modelId} v${v.number} · ${shortHex(v.weightsHash)}`,
      `${v.approved ? (notReleasable ? "NOT releasable" : "approved") : "NOT approved"}${att.text ? ` · ${att.text.replace(" attestations revoked", " revoked")}` : ""}`,
    ],
    tone: att.bad || !v.approved || notReleasable ? "bad" : "ok",
    tooltip: `Model version ${v.id} (model ${v.modelId} v${v.number}); weights ${v.weightsHash}${claimedAlsoBy(d, v.id, "model-weights")}; URI ${oneLine(v.uri)}; published in tx ${v.tx.txHash} (block ${v.tx.block})`,
  };
}

/** The fine-tune parents stacked above the version, nearest first, each pointing down into its child. */
function parentsDrawing(d: VersionDossier, grid: Grid, yVersion: number): Drawing {
  const nodes = d.parents.map((p, i): DiagramNode => ({
    key: `mv-${p.id}`,
    kind: "parent",
    x: columnX(grid.model),
    y: yVersion - (i + 1) * (H + GAP_PARENT),
    lines: [`Model version ${p.id}`, `model ${p.modelId} v${p.number} · ${shortHex(p.weightsHash)}`, `fine-tune parent${p.approved ? " · approved" : ""}`],
    tone: "muted",
    tooltip: `Fine-tune parent ${p.id} (model ${p.modelId} v${p.number}); weights ${p.weightsHash}; published in tx ${p.tx.txHash} (block ${p.tx.block})`,
  }));
  const edges = d.parents.map((p, i): Edge => {
    const child = i === 0 ? d.version.id : d.parents[i - 1]!.id;
    return { from: `mv-${p.id}`, to: `mv-${child}`, label: "fine-tuned into", vertical: true };
  });
  return { nodes, edges };
}

/** Deployments (live, rolled back or ended), then decision batches, each with its edge from the version. */
function rightColumn(d: VersionDossier): RightColumn {
  const column: RightColumn = { nodes: [], edges: [] };
  for (const dep of d.deployments) {
    const rolledBack = d.rollbacks.find((r) => r.fromDeploymentId === dep.id);
    column.nodes.push(deploymentNode(dep, rolledBack));
    column.edges.push({ from: `mv-${d.version.id}`, to: `dep-${dep.id}`, label: "deployed", tone: rolledBack ? "bad" : undefined });
  }
  d.decisionBatches.forEach((b, i) => {
    column.nodes.push({
      key: `batch-${i}`,
      kind: "decisionBatch",
      lines: ["Decision batch", `${b.count} decisions`, `root ${shortHex(b.root)}`],
      tone: "normal",
      tooltip: `Decision batch ${b.root}: ${b.count} decisions from ${formatTime(b.windowStart)} to ${formatTime(b.windowEnd)}; anchored in tx ${b.tx.txHash} (block ${b.tx.block})`,
    });
    column.edges.push({ from: `mv-${d.version.id}`, to: `batch-${i}`, label: "decided", dashed: true });
  });
  return column;
}

function deploymentNode(dep: DeploymentRecord, rolledBack: RollbackRecord | undefined): Omit<DiagramNode, "x" | "y"> {
  const environment = oneLine(dep.environment);
  return {
    key: `dep-${dep.id}`,
    kind: "deployment",
    lines: [
      `Deployment ${dep.id} · ${environment}`,
      dep.active ? `LIVE since ${dep.tx.time.slice(0, 10)}` : rolledBack ? `ROLLED BACK ${rolledBack.tx.time.slice(0, 10)}` : `ended ${formatTime(dep.endedAt, "—").slice(0, 10)}`,
      rolledBack && !dep.active ? `“${oneLine(rolledBack.reason)}”` : `deployed ${dep.tx.time.slice(0, 10)}`,
    ],
    tone: dep.active ? "ok" : rolledBack ? "bad" : "muted",
    tooltip: `Deployment ${dep.id} to ${environment}; ${dep.active ? "live" : "not live"}${rolledBack ? `; rolled back: ${oneLine(rolledBack.reason)}` : ""}; deployed in tx ${dep.tx.txHash} (block ${dep.tx.block})`,
  };
}

/** The right-hand nodes stacked in their column, centred on the version's row (never above the top). */
function placeRightColumn(nodes: Omit<DiagramNode, "x" | "y">[], grid: Grid, yVersion: number): DiagramNode[] {
  const top = Math.max(TOP, yVersion + Math.round(H / 2 - (nodes.length * (H + GAP_Y) - GAP_Y) / 2));
  return nodes.map((n, i) => ({ ...n, x: columnX(grid.deploy), y: top + i * (H + GAP_Y) }));
}

function columnTitles(d: VersionDossier, grid: Grid, hasRight: boolean): { x: number; title: string }[] {
  const columns: { x: number; title: string }[] = [];
  if (grid.hasData) {
    columns.push({ x: columnX(0), title: "Datasets" });
    columns.push({ x: columnX(1), title: grid.maxDepth > 0 ? "Dataset versions (derivations →)" : "Dataset versions" });
  }
  if (d.training) columns.push({ x: columnX(grid.run), title: "Training run" });
  columns.push({ x: columnX(grid.model), title: d.parents.length ? "Model version (parents above)" : "Model version" });
  if (hasRight) columns.push({ x: columnX(grid.deploy), title: "Deployments & decisions" });
  return columns;
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
  const edgeMarkup = layout.edges.map((e) => {
    const a = byKey.get(e.from);
    const b = byKey.get(e.to);
    return a && b ? edgeSvg(e, a, b) : html``;
  });
  const columnMarkup = layout.columns.map((c) => html`<text class="col" x="${c.x}" y="22">${c.title}</text>`);
  const legend = legendSvg(layout.height - 18);
  const width = Math.max(layout.width, legend.width);
  const title = `Lineage of model version ${d.version.id}`;
  const desc = `${d.datasetVersions.length} dataset version(s) from ${d.datasets.length} dataset(s), ${d.training ? "one training run" : "no training run"}, ${d.parents.length} fine-tune parent(s), ${d.deployments.length} deployment(s), ${d.decisionBatches.length} decision batch(es).`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" aria-labelledby="pd-svg-title pd-svg-desc" width="${width}" height="${layout.height}" viewBox="0 0 ${width} ${layout.height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"><title id="pd-svg-title">${title}</title><desc id="pd-svg-desc">${desc}</desc><defs><marker id="pd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${STROKE.normal}"/></marker><marker id="pd-arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${STROKE.bad}"/></marker></defs><style>${trusted(SVG_STYLE)}</style>${columnMarkup}${edgeMarkup}${layout.nodes.map(nodeSvg)}${legend.markup}</svg>`;
}

/** The path of an edge from `a` to `b`, and where its label goes. */
interface EdgeGeometry {
  path: string;
  labelX: number;
  labelY: number;
  anchor: "start" | "end";
}

function edgeSvg(e: Edge, a: DiagramNode, b: DiagramNode): Html {
  const { path, labelX, labelY, anchor } = edgeGeometry(e, a, b);
  const color = STROKE[e.tone ?? "normal"];
  const marker = e.tone === "bad" ? "pd-arrow-bad" : "pd-arrow";
  return html`<path class="edge" d="${path}" stroke="${color}"${trusted(e.dashed ? ' stroke-dasharray="5 4"' : "")} marker-end="url(#${marker})"/>${
    e.label ? html`<text class="edge-label" x="${labelX}" y="${labelY}" text-anchor="${anchor}">${e.label}</text>` : ""
  }`;
}

function edgeGeometry(e: Edge, a: DiagramNode, b: DiagramNode): EdgeGeometry {
  if (e.vertical) {
    const cx = a.x + W / 2;
    return { path: `M${cx},${a.y + H} L${cx},${b.y - 2}`, labelX: cx + 6, labelY: Math.round((a.y + H + b.y) / 2) + 4, anchor: "start" };
  }
  if (e.below) {
    const cx = a.x + W / 2;
    const gy = a.y + H + GAP_Y / 2;
    const x2 = b.x - 2;
    const y2 = b.y + H / 2;
    const turn = x2 - GAP_X / 2;
    return { path: `M${cx},${a.y + H} L${cx},${gy} L${turn},${gy} C${x2 - 8},${gy} ${turn},${y2} ${x2},${y2}`, labelX: cx + 6, labelY: gy + 4, anchor: "start" };
  }
  if (a.x === b.x) {
    // Same column (a version both used and derived from another used version): an arc on the left side.
    const y1 = a.y + H / 2;
    const y2 = b.y + H / 2;
    return { path: `M${a.x},${y1} C${a.x - 40},${y1} ${b.x - 40},${y2} ${b.x - 2},${y2}`, labelX: a.x - 44, labelY: Math.round((y1 + y2) / 2), anchor: "end" };
  }
  const x1 = a.x + W;
  const y1 = a.y + H / 2;
  const x2 = b.x - 2;
  const y2 = b.y + H / 2;
  const mx = Math.round((x1 + x2) / 2);
  return { path: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, labelX: x1 + 5, labelY: y1 - 5, anchor: "start" };
}

function nodeSvg(n: DiagramNode): Html {
  const fit = (text: string, bold: boolean) => fitText(text, bold ? 12.5 * 1.06 : 11, W - 18);
  const stroke = STROKE[n.tone];
  const width = n.kind === "modelVersion" || n.tone === "bad" ? 2.5 : 1.2;
  return html`<g class="node node-${n.kind}" id="${`pd-${n.key}`}" data-kind="${n.kind}"><title>${n.tooltip}</title><rect x="${n.x}" y="${n.y}" width="${W}" height="${H}" rx="7" fill="${FILL[n.kind]}" stroke="${stroke}" stroke-width="${width}"/><text x="${n.x + 10}" y="${n.y + 19}" class="l1">${fit(n.lines[0], true)}</text><text x="${n.x + 10}" y="${n.y + 36}" class="l2">${fit(n.lines[1], false)}</text><text x="${n.x + 10}" y="${n.y + 52}" class="l3" fill="${n.tone === "bad" ? STROKE.bad : n.tone === "ok" ? STROKE.ok : "#37474f"}">${fit(n.lines[2], false)}</text></g>`;
}

/** The legend on one line at `y`: a swatch per node kind, then the red border's meaning; with the width it needs. */
function legendSvg(y: number): { markup: Html[]; width: number } {
  const kinds: NodeKind[] = ["dataset", "datasetVersion", "trainingRun", "modelVersion", "parent", "deployment", "decisionBatch"];
  let x = PAD;
  const markup = kinds.map((k) => {
    const label = KIND_LABEL[k];
    const item = html`<rect x="${x}" y="${y - 10}" width="14" height="12" rx="3" fill="${FILL[k]}" stroke="#5c6b7a"/><text class="legend" x="${x + 19}" y="${y}">${label}</text>`;
    x += 19 + label.length * 6.2 + 16;
    return item;
  });
  markup.push(
    html`<rect x="${x}" y="${y - 10}" width="14" height="12" rx="3" fill="#fff" stroke="${STROKE.bad}" stroke-width="2.5"/><text class="legend" x="${x + 19}" y="${y}">revoked / withdrawn / rolled back / not approved</text>`,
  );
  return { markup, width: Math.ceil(x + 19 + 48 * 6.2 + PAD) };
}

const SVG_STYLE =
  ".edge{fill:none;stroke-width:1.5}.edge-label{font-size:10px;fill:#455a64;paint-order:stroke;stroke:#fff;stroke-width:3px}" +
  ".l1{font-size:12.5px;font-weight:600;fill:#1a237e}.l2{font-size:11px;fill:#37474f}.l3{font-size:11px}" +
  ".col{font-size:12px;font-weight:600;fill:#546e7a;letter-spacing:.02em}.legend{font-size:10.5px;fill:#455a64}";

/** For tests and callers that want the raw string. */
export function lineageSvgString(d: VersionDossier): string {
  return renderLineageSvg(d).value;
}

