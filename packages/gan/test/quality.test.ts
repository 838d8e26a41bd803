import { createRng, InvalidOptionError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import * as tf from '@tensorflow/tfjs';
import { inverse, Matrix } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureStatistics, ScoringClassifier } from '../src/index.js';
import {
  classifierScore,
  classSpread,
  dcganDiscriminator,
  dcganGenerator,
  featureStatistics,
  frechetDistance,
  SampleScorer,
  traceSqrtProduct,
  trainGan,
  trainScoringClassifier,
} from '../src/index.js';

/** Statistics with a given mean and covariance, as a fitted Gaussian would have. */
const gaussian = (mean: number[], covariance: number[][]): FeatureStatistics => ({
  count: 1000,
  dim: mean.length,
  mean: Float64Array.from(mean),
  covariance: Float64Array.from(covariance.flat()),
});

/** A random symmetric positive-definite matrix, A Aᵀ + εI from a seeded stream. */
const spd = (dim: number, seed: number): number[][] => {
  const rng = createRng(seed);
  const a = Matrix.from1DArray(
    dim,
    dim,
    Array.from({ length: dim * dim }, () => rng.next() * 2 - 1),
  );
  return a.mmul(a.transpose()).add(Matrix.eye(dim).mul(0.1)).to2DArray();
};

/**
 * The reference computed another way: the Denman–Beavers iteration for the square root of the
 * (non-symmetric) product Σa Σb itself, Y ← (Y + Z⁻¹)/2, Z ← (Z + Y⁻¹)/2, Y → A^½.
 */
const denmanBeaversTrace = (a: number[][], b: number[][]) => {
  let y = new Matrix(a).mmul(new Matrix(b));
  let z = Matrix.eye(a.length);
  for (let i = 0; i < 60; i++) {
    const next = y.clone().add(inverse(z)).mul(0.5);
    z = z.clone().add(inverse(y)).mul(0.5);
    y = next;
  }
  return y.trace();
};

describe('Fréchet distance', () => {
  it('is 0 for a set with itself, and the closed form for shifted and scaled Gaussians', () => {
    const rng = createRng(3);
    const dim = 6;
    const features = Float64Array.from({ length: 400 * dim }, () => rng.next());
    const stats = featureStatistics(features, dim);
    expect(frechetDistance(stats, stats)).toBeCloseTo(0, 9);
    // Same covariance: only the means' squared distance is left (‖(1, 2, 2)‖² = 9).
    const cov = spd(3, 5);
    expect(frechetDistance(gaussian([0, 0, 0], cov), gaussian([1, 2, 2], cov))).toBeCloseTo(9, 9);
    // Diagonal covariances: Σ (σa − σb)² over the axes, plus the means' term.
    const d = frechetDistance(
      gaussian(
        [0, 0],
        [
          [4, 0],
          [0, 1],
        ],
      ),
      gaussian(
        [3, 0],
        [
          [1, 0],
          [0, 9],
        ],
      ),
    );
    expect(d).toBeCloseTo(9 + (2 - 1) ** 2 + (1 - 3) ** 2, 9);
  });

  it('takes the trace of the square root of a non-commuting product as other methods do', () => {
    // 2×2 closed form: a matrix with non-negative eigenvalues has tr(A^½) = √(tr A + 2 √det A).
    const a = [
      [2, 1],
      [1, 3],
    ];
    const b = [
      [1, -0.5],
      [-0.5, 2],
    ];
    const product = new Matrix(a).mmul(new Matrix(b));
    const det = product.get(0, 0) * product.get(1, 1) - product.get(0, 1) * product.get(1, 0);
    expect(traceSqrtProduct(gaussian([0, 0], a), gaussian([0, 0], b))).toBeCloseTo(
      Math.sqrt(product.trace() + 2 * Math.sqrt(det)),
      10,
    );
    // 12 dimensions against the Denman–Beavers iteration on the product itself.
    const [x, y] = [spd(12, 1), spd(12, 2)];
    const ours = traceSqrtProduct(gaussian(Array(12).fill(0), x), gaussian(Array(12).fill(0), y));
    expect(ours).toBeCloseTo(denmanBeaversTrace(x, y), 8);
  });

  it('measures sampled Gaussians: the shift squared, and unbiased covariances', () => {
    const rng = createRng(11);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const dim = 4;
    const n = 20_000;
    const draw = (shift: number) => Float64Array.from({ length: n * dim }, () => normal() + shift);
    const [a, b] = [featureStatistics(draw(0), dim), featureStatistics(draw(0.5), dim)];
    // Closed form for N(0, I) against N(0.5·1, I): 4 × 0.25 = 1; sampling noise of order √(dim/n).
    expect(frechetDistance(a, b)).toBeCloseTo(1, 1);
    expect(a.covariance[0]).toBeCloseTo(1, 1);
    expect(featureStatistics([1, 3], 1)).toMatchObject({ count: 2, mean: Float64Array.from([2]) });
    expect(featureStatistics([1, 3], 1).covariance[0]).toBe(2);
    expect(() => featureStatistics([1, 2, 3], 2)).toThrow(
      "featureStatistics: option 'features' is '3 numbers'; allowed: a multiple of dim (2) holding at least 2 vectors",
    );
  });
});

describe('classifier score and class spread', () => {
  it('are the number of classes and ln(classes) for sure, evenly spread predictions; 1 and 0 for one class', () => {
    const even = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(classifierScore(even, 3)).toBeCloseTo(3, 12);
    expect(classSpread(even, 3)).toBeCloseTo(Math.log(3), 12);
    const collapsed = [0, 1, 0, 0, 1, 0];
    expect(classifierScore(collapsed, 3)).toBeCloseTo(1, 12);
    expect(classSpread(collapsed, 3)).toBe(0);
    // Unsure images: an even marginal (spread ln 2) but no information in any one image (score 1).
    expect(classifierScore([0.5, 0.5, 0.5, 0.5], 2)).toBeCloseTo(1, 12);
    expect(classSpread([0.5, 0.5, 0.5, 0.5], 2)).toBeCloseTo(Math.LN2, 12);
    const error = (() => {
      try {
        classSpread([0.5, 0.5, 1], 2);
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidOptionError.isInstance(error)).toBe(true);
  });
});

describe('SampleScorer with a classifier trained on real Fashion-MNIST', () => {
  let train: { images: tf.Tensor4D; labels: tf.Tensor1D };
  let test: { images: tf.Tensor4D; labels: tf.Tensor1D };
  let classifier: ScoringClassifier;
  beforeAll(async () => {
    await useBackend('wasm', { log: false });
    const sample = await loadFashionMnistSample();
    const take = (set: typeof sample.train, n: number) => ({
      images: tf.tensor4d(
        Float32Array.from(set.images.subarray(0, n * 784), (v) => v / 127.5 - 1),
        [n, 28, 28, 1],
      ),
      labels: tf.tensor1d(set.labels.subarray(0, n), 'int32'),
    });
    train = take(sample.train, 3000);
    test = take(sample.test, 1000);
    classifier = await trainScoringClassifier(train, test, { epochs: 2, batchSize: 32, seed: 4 });
  }, 120_000);
  afterAll(() => {
    classifier.model.dispose();
    tf.dispose([train.images, train.labels, test.images, test.labels]);
  });

  it('shows a short seeded run moving the samples toward the data: the distance falls', async () => {
    const reference = test.images.slice(0, 500);
    const scorer = SampleScorer.create(classifier.model, reference);
    const rng = createRng(2);
    const generator = dcganGenerator({ rng });
    const discriminator = dcganDiscriminator({ rng });
    const before = scorer.scoreGenerator(generator, 9);
    const images = train.images.slice(0, 512);
    const run = await trainGan(images, {
      generator,
      discriminator,
      epochs: 1,
      batchSize: 16,
      learningRate: 1e-3,
      beta1: 0.5,
      seed: 7,
      measureEpoch: () => ({ frechet_distance: scorer.scoreGenerator(generator, 9).frechetDistance }),
    });
    const after = run.history.history.frechet_distance as number[];
    // 32 steps of 16 images: 69.3 → 37.9 on wasm with these seeds.
    expect(after).toHaveLength(1);
    expect(after[0]).toBeLessThan(0.8 * before.frechetDistance);
    run.dispose();
    tf.dispose([reference, images]);
    generator.dispose();
    discriminator.dispose();
  }, 240_000);

  it('separates real images from an untrained generator’s, and keeps no tensor', async () => {
    const before = tf.memory().numTensors;
    // Two short epochs on 3,000 images already tell most classes apart.
    expect(classifier.testAccuracy).toBeGreaterThan(0.6);
    const reference = test.images.slice(0, 500);
    const realTrain = train.images.slice(0, 500);
    const scorer = SampleScorer.create(classifier.model, reference);
    expect(scorer.count).toBe(500);
    // The reference set is spread over the ten classes nearly evenly (ln 10 = 2.30).
    expect(scorer.referenceScores.classSpread).toBeGreaterThan(2.1);
    expect(scorer.score(reference).frechetDistance).toBeCloseTo(0, 6);
    const floor = scorer.score(realTrain);
    const generator = dcganGenerator({ rng: createRng(2) });
    const during = tf.memory().numTensors;
    const ceiling = scorer.scoreGenerator(generator, 9);
    // Scoring keeps nothing: the same count after it.
    expect(tf.memory().numTensors).toBe(during);
    expect(ceiling.count).toBe(500);
    // Real train images against real test images sit far closer than an untrained generator's noise.
    expect(floor.frechetDistance).toBeGreaterThan(0);
    expect(ceiling.frechetDistance).toBeGreaterThan(10 * floor.frechetDistance);
    expect(floor.classifierScore).toBeGreaterThan(ceiling.classifierScore);
    tf.dispose([reference, realTrain]);
    generator.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
