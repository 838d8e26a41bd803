import type { Rng } from '@neurona/core';
import { createRng, InvalidOptionError } from '@neurona/core';
import { toy2d } from '@neurona/datasets';
import type { PlaygroundFeature, PlaygroundSettings } from './settings.js';
import { playgroundFeatures, playgroundPointCount } from './settings.js';

/** Points of one part (training or test): coordinates and labels. */
export interface PlaygroundPoints {
  /** `count × 2` coordinates (x₁, x₂) in about [−6, 6], row-major. */
  points: Float32Array;
  /** 0 or 1 to classify; a value in [−1, 1] to regress. */
  labels: Float32Array;
  count: number;
}

/** A Playground data set drawn from its settings, split as the Playground splits it. */
export interface PlaygroundData {
  train: PlaygroundPoints;
  test: PlaygroundPoints;
}

/** The half-width of the Playground's plane: points and pictures span [−6, 6] on both axes. */
export const PLAYGROUND_EXTENT = 6;

/**
 * The three random streams of a Playground run, each drawn from the seed, so that changing the
 * network leaves the points where they were and changing the data leaves the first weights alone.
 */
export function playgroundStreams(seed: number): { data: Rng; model: Rng; shuffle: Rng } {
  const root = createRng(seed);
  return { data: createRng(root.nextSeed()), model: createRng(root.nextSeed()), shuffle: createRng(root.nextSeed()) };
}

const pick = (points: Float32Array, labels: Float32Array, rows: Int32Array): PlaygroundPoints => {
  const part = { points: new Float32Array(rows.length * 2), labels: new Float32Array(rows.length), count: rows.length };
  rows.forEach((r, i) => {
    part.points[2 * i] = points[2 * r] as number;
    part.points[2 * i + 1] = points[2 * r + 1] as number;
    part.labels[i] = labels[r] as number;
  });
  return part;
};

/**
 * Draws the settings' data set (500 points to classify, 1,200 to regress, with its noise), shuffles
 * it and keeps `percTrainData` percent for training and the rest for testing, as the Playground
 * does. The same settings give the same points.
 *
 * @example
 * ```ts
 * const { train, test } = playgroundData({ ...playgroundDefaults, dataset: 'xor', noise: 10 });
 * train.count; // 250
 * ```
 */
export function playgroundData(settings: PlaygroundSettings, options: { count?: number } = {}): PlaygroundData {
  const rng = playgroundStreams(settings.seed).data;
  const set = toy2d(settings.dataset, {
    count: options.count ?? playgroundPointCount(settings.problem),
    noise: settings.noise / 100,
    rng,
  });
  const order = rng.permutation(set.count);
  const trainCount = Math.floor((set.count * settings.percTrainData) / 100);
  return {
    train: pick(set.points, set.labels, order.subarray(0, trainCount)),
    test: pick(set.points, set.labels, order.subarray(trainCount)),
  };
}

/** The features of each point, `count × features.length`, row-major: what the network takes in. */
export function featureMatrix(points: Float32Array, features: readonly PlaygroundFeature[]): Float32Array {
  const fs = features.map((name) => {
    const feature = playgroundFeatures.find((f) => f.name === name);
    if (!feature)
      throw new InvalidOptionError('featureMatrix', 'features', name, playgroundFeatures.map((f) => f.name).join(', '));
    return feature.of;
  });
  const count = points.length / 2;
  const out = new Float32Array(count * fs.length);
  for (let i = 0; i < count; i++) {
    const x1 = points[2 * i] as number;
    const x2 = points[2 * i + 1] as number;
    fs.forEach((f, j) => {
      out[i * fs.length + j] = f(x1, x2);
    });
  }
  return out;
}

/**
 * The points of a `density × density` grid over the Playground's plane, row by row from the top
 * (x₂ = +6) down, each row from the left (x₁ = −6): the cell centres a picture of the plane shows.
 */
export function playgroundGrid(density: number): Float32Array {
  const grid = new Float32Array(density * density * 2);
  const step = (2 * PLAYGROUND_EXTENT) / density;
  for (let row = 0; row < density; row++) {
    for (let col = 0; col < density; col++) {
      const i = row * density + col;
      grid[2 * i] = -PLAYGROUND_EXTENT + (col + 0.5) * step;
      grid[2 * i + 1] = PLAYGROUND_EXTENT - (row + 0.5) * step;
    }
  }
  return grid;
}
