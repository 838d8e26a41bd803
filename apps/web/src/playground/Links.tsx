import type { PlaygroundFeature, PlaygroundWeights } from '@neurona/recipes';
import { playgroundFeatures } from '@neurona/recipes';
import { useEffect, useRef, useState } from 'preact/hooks';
import { cssColour } from './draw.js';

/** One link drawn: its ends, its weight and what it joins, for the tooltip. */
interface Link {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  weight: number;
  label: string;
}

/** A point of the cubic Bézier a link is drawn as (flat at both ends), at t in [0, 1]. */
function pointOn(link: Link, t: number): [number, number] {
  const mid = (link.x0 + link.x1) / 2;
  const u = 1 - t;
  const x = u * u * u * link.x0 + 3 * u * u * t * mid + 3 * u * t * t * mid + t * t * t * link.x1;
  const y = u * u * u * link.y0 + 3 * u * u * t * link.y0 + 3 * u * t * t * link.y1 + t * t * t * link.y1;
  return [x, y];
}

/** Where the links start and end: node geometry from the page. */
export interface LinksLayout {
  width: number;
  height: number;
  /** The left edge of a column's nodes. */
  x: (column: number) => number;
  /** The top edge of a row's nodes. */
  y: (row: number) => number;
  node: number;
}

/**
 * The links between layers on one canvas: thickness and colour by weight, and a tooltip with the
 * weight under the pointer. (A canvas, not SVG: hundreds of SVG paths restyled ten times a second
 * cost the page 50 ms a frame in style recalculation alone.)
 */
export function Links(props: {
  weights: PlaygroundWeights | undefined;
  /** The features of the network whose weights these are. */
  features: readonly PlaygroundFeature[];
  layout: LinksLayout;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const links = useRef<Link[]>([]);
  const [tip, setTip] = useState<{ x: number; y: number; text: string }>();
  const { weights, features, layout } = props;

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const ctx = element.getContext('2d') as CanvasRenderingContext2D;
    ctx.clearRect(0, 0, element.width, element.height);
    const drawn: Link[] = [];
    if (weights) {
      const { x, y, node } = layout;
      for (let l = 0; l < weights.kernels.length; l++) {
        const kernel = weights.kernels[l] as Float32Array;
        const units = (weights.biases[l] as Float32Array).length;
        const inputs = kernel.length / units;
        const isOutput = l === weights.kernels.length - 1;
        for (let i = 0; i < inputs; i++) {
          // Layer 0's inputs sit in their features' rows; a hidden layer's in rows 0, 1, ….
          const feature = playgroundFeatures.findIndex((p) => p.name === features[i]);
          const row = l === 0 ? feature : i;
          const from = l === 0 ? (playgroundFeatures[feature]?.label ?? '') : `layer ${l}, neuron ${i + 1}`;
          for (let j = 0; j < units; j++) {
            const to = isOutput ? 'the output' : `layer ${l + 1}, neuron ${j + 1}`;
            drawn.push({
              x0: x(l) + node,
              y0: y(row) + node / 2,
              x1: x(l + 1),
              y1: y(j) + node / 2,
              weight: kernel[i * units + j] as number,
              label: `${from} → ${to}`,
            });
          }
        }
      }
    }
    for (const link of drawn) {
      const mid = (link.x0 + link.x1) / 2;
      ctx.beginPath();
      ctx.moveTo(link.x0, link.y0);
      ctx.bezierCurveTo(mid, link.y0, mid, link.y1, link.x1, link.y1);
      ctx.strokeStyle = cssColour(link.weight);
      ctx.lineWidth = Math.min(8, 0.6 + Math.abs(link.weight) * 2.5);
      ctx.stroke();
    }
    links.current = drawn;
    element.dataset.links = String(drawn.length);
  }, [weights, layout.width, layout.height]);

  /** The link nearest the pointer, within a few pixels of its curve. */
  const hover = (event: MouseEvent) => {
    const element = canvas.current as HTMLCanvasElement;
    const box = element.getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    let best: { link: Link; distance: number } | undefined;
    for (const link of links.current) {
      if (px < link.x0 - 4 || px > link.x1 + 4) continue;
      for (let k = 0; k <= 24; k++) {
        const [x, y] = pointOn(link, k / 24);
        const distance = Math.hypot(x - px, y - py);
        if (distance < 5 && (!best || distance < best.distance)) best = { link, distance };
      }
    }
    setTip(best ? { x: px, y: py, text: `weight ${best.link.label}: ${best.link.weight.toFixed(3)}` } : undefined);
  };

  return (
    <>
      <canvas
        class="links"
        ref={canvas}
        width={layout.width}
        height={layout.height}
        onMouseMove={hover}
        onMouseLeave={() => setTip(undefined)}
      />
      {tip && (
        <div id="link-tooltip" class="tooltip" style={{ left: `${tip.x + 12}px`, top: `${tip.y + 12}px` }}>
          {tip.text}
        </div>
      )}
    </>
  );
}
