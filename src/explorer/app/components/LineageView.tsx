/**
 * The lineage graph, laid out by ELK (../../graph/layout.ts) and drawn as SVG: one focusable link per node (Tab moves
 * between nodes, Enter opens one), edges as orthogonal routes with arrow heads, drag to pan, wheel or +/- to zoom.
 * Every node and edge carries data attributes (`data-node`, `data-from`, `data-to`) that the browser tests read.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { layoutGraph, type GraphEdge, type GraphNode, type PlacedGraph } from "../../graph/layout.ts";

export interface LineageViewProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The node drawn as the subject of the page. */
  focus: string;
  /** Where a node leads, if anywhere (a permalink). */
  hrefOf(node: GraphNode): string | null;
}

const MARGIN = 16;

export function LineageView({ nodes, edges, focus, hrefOf }: LineageViewProps) {
  const [placed, setPlaced] = useState<PlacedGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState({ x: 0, y: 0, scale: 1 });
  const drag = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    let current = true;
    setPlaced(null);
    layoutGraph(nodes, edges).then(
      (graph) => current && setPlaced(graph),
      (failure: Error) => current && setError(`The graph could not be laid out: ${failure.message}`),
    );
    return () => {
      current = false;
    };
  }, [nodes, edges]);

  if (error) return <p role="alert">{error}</p>;
  if (!placed) return <p aria-busy="true">Laying out {nodes.length} nodes…</p>;
  const zoom = (factor: number) => setView((v) => ({ ...v, scale: Math.min(4, Math.max(0.2, v.scale * factor)) }));
  const width = placed.width + 2 * MARGIN;
  const height = placed.height + 2 * MARGIN;
  return (
    <figure class="lineage" data-ready="true" data-nodes={placed.nodes.length} data-edges={placed.edges.length}>
      <div class="zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => zoom(0.8)} aria-label="Zoom out">−</button>
        <button type="button" onClick={() => setView({ x: 0, y: 0, scale: 1 })}>Fit</button>
      </div>
      <svg
        role="img"
        aria-label={`Lineage graph: ${placed.nodes.length} nodes, ${placed.edges.length} edges`}
        viewBox={`${-MARGIN - view.x} ${-MARGIN - view.y} ${width / view.scale} ${height / view.scale}`}
        style={{ maxHeight: "70vh" }}
        onWheel={(e) => {
          e.preventDefault();
          zoom(e.deltaY < 0 ? 1.1 : 0.9);
        }}
        onPointerDown={(e) => (drag.current = { x: e.clientX, y: e.clientY })}
        onPointerUp={() => (drag.current = null)}
        onPointerLeave={() => (drag.current = null)}
        onPointerMove={(e) => {
          const from = drag.current;
          if (!from) return;
          drag.current = { x: e.clientX, y: e.clientY };
          setView((v) => ({ ...v, x: v.x + (e.clientX - from.x) / v.scale, y: v.y + (e.clientY - from.y) / v.scale }));
        }}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" />
          </marker>
        </defs>
        {placed.edges.map((edge) => (
          <polyline
            class="edge"
            data-from={edge.from}
            data-to={edge.to}
            points={edge.points.map((p) => `${p.x},${p.y}`).join(" ")}
            marker-end="url(#arrow)"
          />
        ))}
        {placed.nodes.map((node) => {
          const href = hrefOf(node);
          const box = (
            <g class={`node ${node.kind}${node.id === focus ? " focus" : ""}`} data-node={node.id} transform={`translate(${node.x},${node.y})`}>
              <rect width={node.width} height={node.height} rx="6" />
              <text x="10" y="19">{node.label}</text>
              {node.detail ? <text class="detail" x="10" y="36">{node.detail}</text> : null}
            </g>
          );
          return href ? (
            <a href={href} aria-label={`${node.label}${node.detail ? `, ${node.detail}` : ""}`}>
              {box}
            </a>
          ) : (
            box
          );
        })}
      </svg>
      <figcaption>
        Arrows point from what was used to what was made from it. Drag to move, wheel or +/− to zoom; Tab moves between
        nodes and Enter opens one.
      </figcaption>
    </figure>
  );
}
