import dagre from '@dagrejs/dagre';
import type { LayerNode } from '@neurona/zoo';
import { useMemo } from 'preact/hooks';

const WIDTH = 250;
const HEIGHT = 46;

/** A colour per kind of layer, as a reader scans a diagram: inputs, convolutions, pooling, dense, merges. */
function colourOf(className: string): string {
  if (className === 'InputLayer') return '#e8eef7';
  if (/Conv/.test(className)) return '#fde9c9';
  if (/Pool/.test(className)) return '#dcefd9';
  if (/Dense/.test(className)) return '#e5dcf2';
  if (/Add|Concatenate|Multiply|Average/.test(className)) return '#f7d6d6';
  if (/BatchNormalization|Dropout|Activation|ReLU|ZeroPadding/.test(className)) return '#eef0f3';
  return '#ffffff';
}

/**
 * A model's layers as a diagram, top to bottom: dagre lays the graph out (ranks, crossings,
 * edge routes), the page draws it as SVG. Each box names the layer, its class and output shape.
 */
export function Graph({ nodes }: { nodes: LayerNode[] }) {
  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 28, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes) g.setNode(n.name, { width: WIDTH, height: HEIGHT });
    for (const n of nodes) for (const from of n.inputs) g.setEdge(from, n.name);
    dagre.layout(g);
    const graph = g.graph();
    return {
      width: graph.width ?? WIDTH,
      height: graph.height ?? HEIGHT,
      boxes: nodes.map((n) => ({ node: n, at: g.node(n.name) })),
      edges: g.edges().map((e) => ({ id: `${e.v}->${e.w}`, points: g.edge(e).points ?? [] })),
    };
  }, [nodes]);
  return (
    <svg
      id="graph"
      class="graph"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label={`the model's ${nodes.length} layers as a graph`}
      data-nodes={nodes.length}
      data-edges={layout.edges.length}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#7b8494" />
        </marker>
      </defs>
      {layout.edges.map((e) => (
        <polyline
          key={e.id}
          class="edge"
          points={e.points.map((p: { x: number; y: number }) => `${p.x},${p.y}`).join(' ')}
          fill="none"
          stroke="#7b8494"
          marker-end="url(#arrow)"
        />
      ))}
      {layout.boxes.map(({ node, at }) => (
        <g key={node.name} class="layer" transform={`translate(${at.x - WIDTH / 2},${at.y - HEIGHT / 2})`}>
          <title>
            {node.name} ({node.className}): {node.outputShape}, {node.parameters.toLocaleString('en')} parameters
          </title>
          <rect width={WIDTH} height={HEIGHT} rx={5} fill={colourOf(node.className)} stroke="#9aa3b2" />
          <text x={8} y={17} font-size="12" font-weight="600">
            {node.name.length > 32 ? `${node.name.slice(0, 31)}…` : node.name}
          </text>
          <text x={8} y={34} font-size="11" fill="#4a5262">
            {node.className} {node.outputShape}
          </text>
        </g>
      ))}
    </svg>
  );
}
