/**
 * Lays out a lineage graph left to right with ELK's layered algorithm (the Eclipse Layout Kernel's Sugiyama-style
 * layout, made for directed acyclic graphs: layers, crossing minimisation, orthogonal edge routing). Pure: runs in
 * the browser and in Node (the layout benchmark). Large graphs trade some crossing minimisation for time.
 */
import elkBundled from "elkjs/lib/elk.bundled.js";
import type { ELK, ElkNode } from "elkjs/lib/elk-api.js";

/** The bundled ELK constructor (its typings describe the CommonJS export as a default export). */
const Elk = elkBundled as unknown as new () => ELK;

/** What a node stands for; decides its colour and its page. */
export type NodeKind = "model-version" | "dataset-version" | "training-run" | "licence" | "system-version";

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** A second line (a version number, a status). */
  detail?: string;
}

export interface GraphEdge {
  /** The input (a parent, the data a run used). */
  from: string;
  /** What was made from it. */
  to: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends GraphNode, Point {
  width: number;
  height: number;
}

export interface PlacedEdge extends GraphEdge {
  points: Point[];
}

export interface PlacedGraph {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 188;
export const NODE_HEIGHT = 46;

/** Above this many nodes, ELK spends less effort on crossings (a 1 000-node lineage within 2 s). */
const LARGE = 300;

const elk = new Elk();

function options(nodes: number): Record<string, string> {
  const base = {
    "elk.algorithm": "layered",
    "elk.direction": "RIGHT",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.layered.spacing.nodeNodeBetweenLayers": "56",
    "elk.spacing.nodeNode": "18",
  };
  if (nodes <= LARGE) return base;
  return { ...base, "elk.layered.thoroughness": "1", "elk.layered.crossingMinimization.strategy": "INTERACTIVE" };
}

/** Positions for every node and a route for every edge; edges between unknown nodes are dropped. */
export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Promise<PlacedGraph> {
  return layoutGraphWith(nodes, edges, options(nodes.length));
}

/** {@link layoutGraph} with ELK options of the caller's (the benchmark's baseline: ELK's defaults). */
export async function layoutGraphWith(nodes: readonly GraphNode[], edges: readonly GraphEdge[], layoutOptions: Record<string, string>): Promise<PlacedGraph> {
  const known = new Set(nodes.map((n) => n.id));
  const kept = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const root: ElkNode = {
    id: "root",
    layoutOptions,
    children: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: kept.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const laid = await elk.layout(root);
  const at = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const placed = nodes.map((n) => {
    const c = at.get(n.id)!;
    return { ...n, x: c.x ?? 0, y: c.y ?? 0, width: NODE_WIDTH, height: NODE_HEIGHT };
  });
  const routes = laid.edges ?? [];
  const placedEdges = kept.map((e, i) => {
    const section = routes[i]?.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    return { ...e, points };
  });
  return { nodes: placed, edges: placedEdges, width: laid.width ?? 0, height: laid.height ?? 0 };
}
