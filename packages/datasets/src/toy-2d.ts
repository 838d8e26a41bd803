import { InvalidOptionError, UnknownNameError } from '@neurona/errors';
/**
 * The 2-D toy data sets of the TensorFlow Playground (book ch. 7.4): four classification
 * sets (circle, xor, gauss, spiral) and two regression sets (plane, multi-gauss), with a
 * noise parameter, drawn from a seeded generator the caller passes in.
 */
export interface RandomSource {
  /** A float in [0, 1). `createRng(seed)` from `@neurona/core` is one. */
  next(): number;
}

/** TensorFlow Playground's data sets: four for classification, two for regression. */
export type Toy2dName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'plane' | 'multi-gauss';
/** Every `Toy2dName`, in TensorFlow Playground's order. */
export const toy2dNames: readonly Toy2dName[] = ['circle', 'xor', 'gauss', 'spiral', 'plane', 'multi-gauss'];

/** Options of `toy2d`: number of points, noise and seed, as TensorFlow Playground's controls. */
export interface Toy2dOptions {
  /** Number of points. Default 500. */
  count?: number;
  /** 0 (clean) to 0.5 (noisy), as the Playground's slider (0–50%). Default 0. */
  noise?: number;
  rng: RandomSource;
}

/** A TensorFlow Playground data set: points, labels and whether it is classification or regression. */
export interface Toy2d {
  name: Toy2dName;
  kind: 'classification' | 'regression';
  /** `count × 2` coordinates in [−6, 6], row-major. */
  points: Float32Array;
  /** Class 0 or 1 for classification, a value in [−1, 1] for regression. */
  labels: Float32Array;
  count: number;
}

const RADIUS = 5;

function gaussian(rng: RandomSource, mean: number, sd: number) {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const uniform = (rng: RandomSource, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/** Draws one of the Playground's data sets. */
export function toy2d(name: Toy2dName, options: Toy2dOptions): Toy2d {
  const { count = 500, noise = 0, rng } = options;
  if (!toy2dNames.includes(name)) throw new UnknownNameError('toy data set', name, toy2dNames, { where: 'toy2d' });
  if (!(Number.isInteger(count) && count >= 1))
    throw new InvalidOptionError('toy2d', 'count', count, 'an integer >= 1');
  if (!(noise >= 0 && noise <= 0.5)) throw new InvalidOptionError('toy2d', 'noise', noise, 'a number in [0, 0.5]');
  const points = new Float32Array(count * 2);
  const labels = new Float32Array(count);
  const put = (i: number, x: number, y: number, label: number) => {
    points[2 * i] = x;
    points[2 * i + 1] = y;
    labels[i] = label;
  };
  for (let i = 0; i < count; i++) {
    const half = i < count / 2 ? 0 : 1;
    switch (name) {
      case 'circle': {
        // Class 1 inside half the radius, class 0 on a ring outside 0.7 of it.
        const r = half ? uniform(rng, 0, RADIUS * 0.5) : uniform(rng, RADIUS * 0.7, RADIUS);
        const angle = uniform(rng, 0, 2 * Math.PI);
        const nx = uniform(rng, -RADIUS, RADIUS) * noise;
        const ny = uniform(rng, -RADIUS, RADIUS) * noise;
        put(i, r * Math.sin(angle) + nx, r * Math.cos(angle) + ny, half);
        break;
      }
      case 'xor': {
        const pad = 0.3; // keeps points off the axes, where the class changes
        let x = uniform(rng, -RADIUS, RADIUS);
        let y = uniform(rng, -RADIUS, RADIUS);
        x += x > 0 ? pad : -pad;
        y += y > 0 ? pad : -pad;
        const label = x * y >= 0 ? 1 : 0;
        put(i, x + uniform(rng, -RADIUS, RADIUS) * noise, y + uniform(rng, -RADIUS, RADIUS) * noise, label);
        break;
      }
      case 'gauss': {
        // Two clusters at (2, 2) and (−2, −2); noise widens them.
        const sd = 0.5 + 3.5 * noise;
        const c = half ? 2 : -2;
        put(i, gaussian(rng, c, sd), gaussian(rng, c, sd), half);
        break;
      }
      case 'spiral': {
        const n = Math.floor(count / 2);
        const k = half ? i - n : i;
        const r = (k / Math.max(1, n)) * RADIUS;
        const t = ((1.75 * k) / Math.max(1, n)) * 2 * Math.PI + (half ? Math.PI : 0);
        put(i, r * Math.sin(t) + uniform(rng, -1, 1) * noise, r * Math.cos(t) + uniform(rng, -1, 1) * noise, half);
        break;
      }
      case 'plane': {
        const x = uniform(rng, -RADIUS, RADIUS);
        const y = uniform(rng, -RADIUS, RADIUS);
        const label = (x + y) / (2 * RADIUS);
        put(i, x + uniform(rng, -RADIUS, RADIUS) * noise, y + uniform(rng, -RADIUS, RADIUS) * noise, label);
        break;
      }
      case 'multi-gauss': {
        // Six bumps of height ±1; the label is the strongest bump at the point.
        const bumps: [number, number, number][] = [
          [-4, 2.5, 1],
          [0, 2.5, -1],
          [4, 2.5, 1],
          [-4, -2.5, -1],
          [0, -2.5, 1],
          [4, -2.5, -1],
        ];
        const x = uniform(rng, -RADIUS, RADIUS);
        const y = uniform(rng, -RADIUS, RADIUS);
        let label = 0;
        for (const [cx, cy, sign] of bumps) {
          const v = sign * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 2);
          if (Math.abs(v) > Math.abs(label)) label = v;
        }
        put(i, x + uniform(rng, -RADIUS, RADIUS) * noise, y + uniform(rng, -RADIUS, RADIUS) * noise, label);
        break;
      }
    }
  }
  return {
    name,
    kind: name === 'plane' || name === 'multi-gauss' ? 'regression' : 'classification',
    points,
    labels,
    count,
  };
}
