import { extname } from 'node:path';
import { useBackend, useBestBackend, writeFileAtomic } from '@neurona/core/node';
import { generateImages, latentNoise } from '@neurona/gan';
import { loadGenerator } from '@neurona/gan/node';
import { CharGenerator } from '@neurona/text-rnn';
import { loadCharModel } from '@neurona/text-rnn/node';
import { animatedGif, imageGridPng } from '@neurona/viz/node';
import * as tf from '@tensorflow/tfjs';
import { readCompleteRun, runStatus } from './run-folder.js';
import { gridImages } from './train-gan.js';

export interface GenerateTextOptions {
  model: string;
  seed: string;
  length: number;
  temperature: number;
  topK?: number;
  topP?: number;
  randomSeed: number;
  dropUnknown?: boolean;
  backend?: string;
}

/**
 * `neurona generate text`: continues `--seed` with a chapter-13 run's model, printing each
 * character as it is drawn; the figures go to stderr so stdout is the text alone.
 */
export async function generateTextCommand(
  options: GenerateTextOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
  log: (line: string) => void = (line) => console.error(line),
) {
  const { summary } = await readCompleteRun(options.model);
  if ((summary as { kind?: string }).kind !== 'text') {
    throw new Error(
      `--model ${options.model} is a run of '${summary.recipe}', which does not write text; train one with neurona train ch13-moby-dick (or ch13-shakespeare, --text FILE)`,
    );
  }
  // The backend's report goes to stderr with the figures: stdout is the text alone.
  await (options.backend ? useBackend(options.backend, { log }) : useBestBackend({ log }));
  const { model, vocabulary } = await loadCharModel(options.model);
  const generator = CharGenerator.fromModel(model, vocabulary);
  model.dispose();
  try {
    const known = new Set(vocabulary.tokens.slice(1));
    const unknown = [...new Set(Array.from(options.seed).filter((c) => !known.has(c)))];
    if (unknown.length > 0 && !options.dropUnknown) {
      throw new Error(
        `--seed ${JSON.stringify(options.seed)} has ${unknown.length === 1 ? 'a character' : 'characters'} the model never saw: ${unknown.map((c) => JSON.stringify(c)).join(', ')}; change the seed, or add --drop-unknown to skip ${unknown.length === 1 ? 'it' : 'them'}`,
      );
    }
    let shownPrompt = false;
    const result = await generator.generate({
      prompt: options.seed,
      length: options.length,
      temperature: options.temperature,
      ...(options.topK !== undefined ? { topK: options.topK } : {}),
      ...(options.topP !== undefined ? { topP: options.topP } : {}),
      seed: options.randomSeed,
      dropUnknown: Boolean(options.dropUnknown),
      onText: (c) => {
        if (!shownPrompt) {
          shownPrompt = true;
          out(
            Array.from(options.seed)
              .filter((ch) => known.has(ch))
              .join(''),
          );
        }
        out(c);
      },
    });
    out('\n');
    log(
      `${options.length.toLocaleString('en-US')} characters in ${result.seconds.toFixed(2)} s (${Math.round(result.charactersPerSecond).toLocaleString('en-US')} characters/s), temperature ${options.temperature}` +
        (options.topK !== undefined ? `, top-k ${options.topK}` : '') +
        (options.topP !== undefined ? `, top-p ${options.topP}` : '') +
        `, random seed ${options.randomSeed}` +
        (result.dropped > 0
          ? `; ${result.dropped} seed character${result.dropped === 1 ? '' : 's'} not in the vocabulary skipped`
          : ''),
    );
    return result;
  } finally {
    generator.dispose();
  }
}

export interface GenerateImagesOptions {
  model: string;
  count: number;
  out: string;
  seed: number;
  columns?: number;
  /** A walk from one latent point to another, `count` steps, instead of independent draws. */
  interpolate?: boolean;
  backend?: string;
}

/**
 * Spherical interpolation between two noise vectors (Shoemake's slerp, as GAN demos walk a
 * Gaussian latent space: a straight line would pass through low-norm points the generator
 * rarely saw). `count` points from `a` to `b` inclusive.
 */
export function slerpPath(a: Float32Array, b: Float32Array, count: number): Float32Array {
  const dim = a.length;
  const norm = (v: Float32Array) => Math.hypot(...v);
  const cos = Math.min(1, Math.max(-1, a.reduce((s, x, i) => s + x * (b[i] as number), 0) / (norm(a) * norm(b))));
  const omega = Math.acos(cos);
  const out = new Float32Array(count * dim);
  for (let k = 0; k < count; k++) {
    const t = count === 1 ? 0 : k / (count - 1);
    // Parallel vectors: the straight line is the arc.
    const [wa, wb] =
      omega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
    for (let i = 0; i < dim; i++) out[k * dim + i] = wa * (a[i] as number) + wb * (b[i] as number);
  }
  return out;
}

/**
 * `neurona generate images`: images from a chapter-14 run's generator, as a grid PNG (or, for
 * a `.gif` path, an animation with one image a frame: an `--interpolate` walk plays as a morph).
 */
export async function generateImagesCommand(options: GenerateImagesOptions, log: (line: string) => void = console.log) {
  const ext = extname(options.out).toLowerCase();
  if (ext !== '.png' && ext !== '.gif') {
    throw new Error(`--out ${options.out}: write a .png (a grid) or a .gif (one image a frame)`);
  }
  if (options.interpolate && options.count < 2) {
    throw new Error(`--count ${options.count}: an --interpolate walk needs at least 2 images (its two ends)`);
  }
  if ((await runStatus(options.model)).kind === 'interrupted') await readCompleteRun(options.model);
  await (options.backend ? useBackend(options.backend, { log }) : useBestBackend({ log }));
  const { generator, info } = await loadGenerator(options.model);
  try {
    const { latentDim } = info;
    const noise = options.interpolate
      ? await (async () => {
          const ends = latentNoise(2, latentDim, options.seed);
          const values = await ends.data();
          ends.dispose();
          const path = slerpPath(
            Float32Array.from(values.subarray(0, latentDim)),
            Float32Array.from(values.subarray(latentDim)),
            options.count,
          );
          return tf.tensor2d(path, [options.count, latentDim]);
        })()
      : latentNoise(options.count, latentDim, options.seed);
    const started = performance.now();
    const images = generateImages(generator, noise);
    noise.dispose();
    const cells = await gridImages(images);
    images.dispose();
    const seconds = (performance.now() - started) / 1000;
    const columns = options.columns ?? (options.interpolate ? Math.min(options.count, 16) : undefined);
    const bytes =
      ext === '.gif'
        ? await animatedGif(await Promise.all(cells.map((cell) => imageGridPng([cell], { gap: 0 }))), {
            delayMs: options.interpolate ? 80 : 400,
            lastDelayMs: options.interpolate ? 80 : 400,
          })
        : await imageGridPng(cells, columns !== undefined ? { columns } : {});
    await writeFileAtomic(options.out, bytes);
    const [height, width, channels] = info.imageShape;
    log(
      `${options.count} ${options.interpolate ? 'steps of a walk between two latent points' : 'images'} (${height}×${width}×${channels}) from ${options.model} (${info.recipe ?? 'a GAN'}, ${info.epochs ?? '?'} epochs) in ${seconds.toFixed(2)} s, noise seed ${options.seed}: ${options.out}`,
    );
    return { out: options.out, count: options.count, seconds };
  } finally {
    generator.dispose();
  }
}
