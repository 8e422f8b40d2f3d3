/**
 * A synthetic lineage graph of a given size for the explorer's layout benchmark, shaped like Pedigree's: datasets of
 * five versions chained by derivation (every third dataset derived from the previous one), licences on their latest
 * versions, model versions in fine-tune chains of ten, each with a training run using three dataset versions under
 * licences. Deterministic.
 */
import type { GraphEdge, GraphNode } from "../explorer/graph/layout.ts";

export function syntheticLineage(size: number): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const datasets = Math.max(1, Math.round(size / 10));
  const chains = Math.max(1, Math.round(size / 50));
  const dv = (d: number, v: number) => `dv:${d}.${v}`;
  for (let d = 0; d < datasets; d++) {
    for (let v = 0; v < 5; v++) {
      nodes.push({ id: dv(d, v), kind: "dataset-version", label: `Dataset ${d} · v${v + 1}` });
      if (v > 0) edges.push({ from: dv(d, v - 1), to: dv(d, v) });
    }
    if (d > 0 && d % 3 === 0) edges.push({ from: dv(d - 1, 4), to: dv(d, 0) });
    nodes.push({ id: `lic:${d}`, kind: "licence", label: `Licence ${d}` });
    edges.push({ from: dv(d, 4), to: `lic:${d}` });
  }
  const published = new Array<number>(chains).fill(0);
  for (let m = 0; nodes.length < size; m = (m + 1) % chains) {
    const n = published[m]!++;
    const id = `mv:${m}.${n}`;
    nodes.push({ id, kind: "model-version", label: `Model ${m} · v${n + 1}` }, { id: `run:${m}.${n}`, kind: "training-run", label: "Training run" });
    edges.push({ from: `run:${m}.${n}`, to: id });
    if (n > 0) edges.push({ from: `mv:${m}.${n - 1}`, to: id });
    for (let k = 0; k < 3; k++) edges.push({ from: `lic:${(m * 37 + n * 11 + k * 7) % datasets}`, to: `run:${m}.${n}` });
  }
  return { nodes: nodes.slice(0, size), edges };
}
