// Sample quality as TF-GAN measures MNIST generators: a classifier trained on the real data
// stands in for Inception. Its penultimate features give the Fréchet distance; its class
// probabilities give the classifier score and the class spread.
import { InvalidOptionError, NeuronaError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Mean and covariance of a set of feature vectors, in float64. */
export interface FeatureStatistics {
  /** Vectors the statistics come from. */
  count: number;
  dim: number;
  mean: Float64Array;
  /** `dim × dim`, row-major; the unbiased (n − 1) estimate, as `numpy.cov`. */
  covariance: Float64Array;
}

/**
 * Mean and covariance of `count` vectors of `dim` numbers stored row after row, accumulated in
 * float64 after centring (no `E[x²] − E[x]²` cancellation).
 */
export function featureStatistics(features: ArrayLike<number>, dim: number): FeatureStatistics {
  if (!(Number.isInteger(dim) && dim >= 1))
    throw new InvalidOptionError('featureStatistics', 'dim', dim, 'an integer >= 1');
  const count = features.length / dim;
  if (!(Number.isInteger(count) && count >= 2)) {
    throw new InvalidOptionError(
      'featureStatistics',
      'features',
      `${features.length} numbers`,
      `a multiple of dim (${dim}) holding at least 2 vectors`,
    );
  }
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (features[r * dim + j] as number);
  }
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / count;
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < dim; j++) centred[j] = (features[r * dim + j] as number) - (mean[j] as number);
    for (let i = 0; i < dim; i++) {
      const ci = centred[i] as number;
      if (ci === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) covariance[row + j] = (covariance[row + j] as number) + ci * (centred[j] as number);
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = (covariance[i * dim + j] as number) / (count - 1);
      covariance[i * dim + j] = v;
      covariance[j * dim + i] = v;
    }
  }
  return { count, dim, mean, covariance };
}

function toMatrix(values: Float64Array, dim: number): Matrix {
  return new Matrix(Array.from({ length: dim }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim))));
}

/** Eigenvalues of a symmetric matrix, with rounding's small negatives of a PSD one set to 0. */
function psdEigen(m: Matrix) {
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return { values: evd.realEigenvalues.map((v) => Math.max(0, v)), vectors: evd.eigenvectorMatrix };
}

/**
 * tr((Σa Σb)^½) for covariances Σa, Σb. Σa Σb is not symmetric, but it is similar to the
 * symmetric positive semi-definite M = Σa^½ Σb Σa^½ (Σa^½ (Σa Σb) Σa^-½ = M), so both have
 * the same non-negative eigenvalues λᵢ and tr((Σa Σb)^½) = Σ √λᵢ(M). Σa^½ = V diag(√μ) Vᵀ from
 * Σa's symmetric eigendecomposition (ml-matrix's Householder tridiagonalisation and QL); no
 * complex parts to discard, as scipy's `sqrtm` of the product has.
 */
export function traceSqrtProduct(a: FeatureStatistics, b: FeatureStatistics): number {
  const dim = a.dim;
  const { values, vectors } = psdEigen(toMatrix(a.covariance, dim));
  const scaled = vectors.clone();
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < dim; j++) scaled.set(i, j, scaled.get(i, j) * Math.sqrt(values[j] as number));
  const rootA = scaled.mmul(vectors.transpose());
  const m = rootA.mmul(toMatrix(b.covariance, dim)).mmul(rootA);
  // Symmetrise away rounding so the symmetric solver sees the matrix it assumes.
  const symmetric = m.add(m.transpose()).mul(0.5);
  return psdEigen(symmetric).values.reduce((sum, v) => sum + Math.sqrt(v), 0);
}

/**
 * The Fréchet distance between two Gaussians fitted to feature sets (FID's formula, Heusel et
 * al. 2017): ‖μa − μb‖² + tr(Σa) + tr(Σb) − 2 tr((Σa Σb)^½). 0 for a set with itself; for
 * Gaussians with one covariance it is the squared distance of the means. Biased upward at small
 * counts: compare only figures from the same number of images.
 */
export function frechetDistance(a: FeatureStatistics, b: FeatureStatistics): number {
  if (a.dim !== b.dim)
    throw new NeuronaError(`frechetDistance: features of ${a.dim} and ${b.dim} numbers: they must agree`);
  const dim = a.dim;
  let meanTerm = 0;
  let traces = 0;
  for (let j = 0; j < dim; j++) {
    meanTerm += ((a.mean[j] as number) - (b.mean[j] as number)) ** 2;
    traces += (a.covariance[j * dim + j] as number) + (b.covariance[j * dim + j] as number);
  }
  // Rounding can leave −1e-12 for identical sets: a distance is never negative.
  return Math.max(0, meanTerm + traces - 2 * traceSqrtProduct(a, b));
}

function checkProbabilities(where: string, probabilities: ArrayLike<number>, classes: number): number {
  const count = probabilities.length / classes;
  if (!(Number.isInteger(classes) && classes >= 2 && Number.isInteger(count) && count >= 1)) {
    throw new InvalidOptionError(
      where,
      'probabilities',
      `${probabilities.length} numbers for ${classes} classes`,
      'one row of class probabilities per image (at least one image, at least 2 classes)',
    );
  }
  return count;
}

function marginal(probabilities: ArrayLike<number>, classes: number, count: number): Float64Array {
  const p = new Float64Array(classes);
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < classes; k++) p[k] = (p[k] as number) + (probabilities[r * classes + k] as number);
  }
  for (let k = 0; k < classes; k++) p[k] = (p[k] as number) / count;
  return p;
}

const plogp = (p: number) => (p > 0 ? p * Math.log(p) : 0);

/**
 * TF-GAN's classifier score (the Inception Score with a data set's own classifier):
 * exp(mean over images of KL(p(y|x) ‖ p(y))), p(y) the mean of the rows. From 1 (every image
 * gets the same probabilities) to the number of classes (each image sure of its class, the
 * classes equally often).
 */
export function classifierScore(probabilities: ArrayLike<number>, classes: number): number {
  const count = checkProbabilities('classifierScore', probabilities, classes);
  const py = marginal(probabilities, classes, count);
  let kl = 0;
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < classes; k++) {
      const p = probabilities[r * classes + k] as number;
      if (p > 0) kl += p * (Math.log(p) - Math.log(py[k] as number));
    }
  }
  return Math.exp(kl / count);
}

/**
 * The entropy of the classes the classifier sees in a set, in nats: ln(classes) (2.30 for
 * ten) when every class comes equally often, 0 when one class has them all (mode collapse).
 */
export function classSpread(probabilities: ArrayLike<number>, classes: number): number {
  const count = checkProbabilities('classSpread', probabilities, classes);
  return marginal(probabilities, classes, count).reduce((sum, p) => sum - plogp(p), 0);
}

/** Under this many nats of class spread a run warns of mode collapse. */
export const MODE_COLLAPSE_SPREAD = 1.5;

/** The three figures of a set of images, from the same count as the reference. */
export interface SampleScores {
  /** Fréchet distance of the classifier's penultimate features to the reference set's. */
  frechetDistance: number;
  classifierScore: number;
  /** Entropy of the class marginal, nats. */
  classSpread: number;
  count: number;
}

/** Options of `SampleScorer`: images through the classifier at a time. */
export interface SampleScorerOptions {
  /** Images through the classifier at a time. Default 500. */
  batchSize?: number;
  /**
   * Turns images in the GAN's [−1, 1] into the classifier's input. Default `(x + 1) / 2`:
   * pixels in [0, 1], as the project's classifiers are trained.
   */
  toClassifierInput?: (images: tf.Tensor4D) => tf.Tensor;
}

/**
 * Scores sets of images against a reference set of real ones with a classifier trained on the
 * real data (softmax output). Features are the input of the classifier's last layer: for the
 * zoo's Fashion-MNIST CNN, its Dense(128). Always score the same number of images as the
 * reference holds: the Fréchet distance is biased at small counts.
 *
 * @example
 * ```ts
 * const scorer = SampleScorer.create(classifier, realTestImages); // [n, 28, 28, 1] in [−1, 1]
 * const { frechetDistance, classSpread } = scorer.scoreGenerator(generator, 42);
 * ```
 * The scorer keeps no tensor of its own: it shares the classifier's weights, which stay the caller's.
 */
export class SampleScorer {
  private readonly features: tfl.LayersModel;
  private readonly batchSize: number;
  private readonly toInput: (images: tf.Tensor4D) => tf.Tensor;
  /** The real images' statistics everything is compared with. */
  readonly reference: FeatureStatistics;
  /** The reference set's own class score and spread (what a perfect generator reaches). */
  readonly referenceScores: SampleScores;
  readonly classes: number;

  private constructor(classifier: tfl.LayersModel, reference: tf.Tensor4D, options: SampleScorerOptions) {
    const last = classifier.layers[classifier.layers.length - 1];
    const penultimate = last?.input;
    if (!last || !penultimate || Array.isArray(penultimate) || penultimate.shape.length !== 2) {
      throw new NeuronaError(
        `SampleScorer: the classifier '${classifier.name}' must end in a layer taking one flat feature vector (a Dense softmax), got ${last ? last.getClassName() : 'no layers'}`,
      );
    }
    this.classes = classifier.outputs[0]?.shape[1] as number;
    this.features = tfl.model({ inputs: classifier.inputs, outputs: [penultimate, ...classifier.outputs] });
    this.batchSize = options.batchSize ?? 500;
    if (!(Number.isInteger(this.batchSize) && this.batchSize >= 1)) {
      throw new InvalidOptionError('SampleScorer', 'batchSize', this.batchSize, 'an integer >= 1');
    }
    this.toInput = options.toClassifierInput ?? ((x) => tf.div(tf.add(x, 1), 2));
    const { statistics, scores } = this.measure(reference);
    this.reference = statistics;
    this.referenceScores = { ...scores, frechetDistance: 0 };
  }

  /** Reads the reference images' features once; the scorer keeps no tensor. */
  static create(classifier: tfl.LayersModel, reference: tf.Tensor4D, options: SampleScorerOptions = {}): SampleScorer {
    return new SampleScorer(classifier, reference, options);
  }

  /** The number of images every scored set should have. */
  get count(): number {
    return this.reference.count;
  }

  private measure(images: tf.Tensor4D) {
    const n = images.shape[0];
    const expected = this.features.inputs[0]?.shape.slice(1).join();
    if (images.shape.slice(1).join() !== expected) {
      throw new NeuronaError(`SampleScorer: images are [${images.shape.slice(1)}], the classifier takes [${expected}]`);
    }
    const dim = this.features.outputs[0]?.shape[1] as number;
    const features = new Float32Array(n * dim);
    const probabilities = new Float32Array(n * this.classes);
    for (let start = 0; start < n; start += this.batchSize) {
      const size = Math.min(this.batchSize, n - start);
      const [f, p] = tf.tidy(() => {
        const batch = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
        return this.features.apply(this.toInput(batch), { training: false }) as tf.Tensor[];
      }) as [tf.Tensor, tf.Tensor];
      features.set(f.dataSync(), start * dim);
      probabilities.set(p.dataSync(), start * this.classes);
      tf.dispose([f, p]);
    }
    const statistics = featureStatistics(features, dim);
    return {
      statistics,
      scores: {
        frechetDistance: Number.NaN,
        classifierScore: classifierScore(probabilities, this.classes),
        classSpread: classSpread(probabilities, this.classes),
        count: n,
      },
    };
  }

  /** Scores images in [−1, 1] against the reference. */
  score(images: tf.Tensor4D): SampleScores {
    const { statistics, scores } = this.measure(images);
    return { ...scores, frechetDistance: frechetDistance(statistics, this.reference) };
  }

  /**
   * Scores `count` (default: the reference's count) images the generator makes from seeded
   * noise, in inference mode, made and scored a batch at a time.
   */
  scoreGenerator(generator: tfl.LayersModel, seed: number, count = this.count): SampleScores {
    const latentDim = generator.inputs[0]?.shape[1] as number;
    const images = tf.tidy(() => {
      const noise = tf.randomNormal([count, latentDim], 0, 1, 'float32', seed === 0 ? 1 : seed);
      const parts: tf.Tensor[] = [];
      for (let start = 0; start < count; start += this.batchSize) {
        const size = Math.min(this.batchSize, count - start);
        parts.push(generator.apply(tf.slice(noise, [start, 0], [size, -1]), { training: false }) as tf.Tensor);
      }
      return tf.concat(parts) as tf.Tensor4D;
    });
    try {
      return this.score(images);
    } finally {
      images.dispose();
    }
  }
}
