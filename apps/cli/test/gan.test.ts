import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neurona, startNeurona } from './neurona.js';

let root: string;
/** A complete ch14-dcgan-fashion --quick run on the bundled sample (512 images, 2 epochs of batch 64), trained once. */
let straight: string;
const small = [
  '--quick',
  '--data',
  'fashion-mnist-sample',
  '--train-images',
  '512',
  '--score-images',
  '300',
  '--backend',
  'wasm',
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'neurona-gan-'));
  // The scoring classifier is trained once into this folder, on the sample, then read by every
  // run (the child processes inherit the variable).
  process.env.NEURONA_CLASSIFIER_DIR = join(root, 'classifiers');
  straight = join(root, 'straight');
  const done = await neurona('train', 'ch14-dcgan-fashion', ...small, '--out', straight);
  expect(done.code, done.stderr).toBe(0);
}, 400_000);
afterAll(async () => {
  delete process.env.NEURONA_CLASSIFIER_DIR;
  await rm(root, { recursive: true, force: true });
});

const json = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('neurona train ch14-dcgan-fashion and generate images', () => {
  it('writes both networks, a grid each epoch, the animation, the scores against floor and ceiling, and a summary', async () => {
    expect((await readdir(straight)).sort()).toEqual(
      [
        'checkpoints',
        'discriminator',
        'gan.json',
        'generator',
        'grids',
        'grids.gif',
        'history.json',
        'history.png',
        'history.svg',
        'run.json',
        'samples.png',
        'scores.png',
        'scores.svg',
        'summary.json',
      ].sort(),
    );
    expect((await readdir(join(straight, 'grids'))).sort()).toEqual(['epoch-001.png', 'epoch-002.png']);
    const grid = await sharp(join(straight, 'grids', 'epoch-002.png')).metadata();
    // 64 images of 28×28 in 8 columns with 2-pixel gaps: 8 × 28 + 7 × 2 = 238.
    expect([grid.width, grid.height, grid.channels]).toEqual([238, 238, 1]);
    const gif = await sharp(join(straight, 'grids.gif'), { animated: true }).metadata();
    expect([gif.format, gif.pages, gif.width]).toEqual(['gif', 2, 238]);

    const summary = await json(join(straight, 'summary.json'));
    expect(summary).toMatchObject({ recipe: 'ch14-dcgan-fashion', kind: 'gan', epochsRun: 2, backend: 'wasm' });
    expect(summary.settings).toMatchObject({ epochs: 2, batchSize: 64, trainImages: 512, scoreImages: 300 });
    expect(summary.params.generator.total).toBe(2_330_944);
    expect(summary.data).toMatchObject({ train: 512, scored: 300 });
    const { floor, untrained } = summary.baselines;
    // Real images sit far closer to real ones than the untrained generator's.
    expect(untrained.frechetDistance).toBeGreaterThan(5 * floor.frechetDistance);
    const history = await json(join(straight, 'history.json'));
    expect(Object.keys(history.history).sort()).toEqual(
      ['class_spread', 'classifier_score', 'd_accuracy', 'd_loss', 'frechet_distance', 'g_loss'].sort(),
    );
    expect(history.history.frechet_distance).toHaveLength(2);
    expect(summary.final.frechetDistance).toBe(history.history.frechet_distance[1]);
    expect(summary.distanceRatio).toBeCloseTo(summary.final.frechetDistance / untrained.frechetDistance, 10);
    expect(summary.trainImagesPerSec).toBeGreaterThan(0);
    const classifier = await json(join(root, 'classifiers', 'fashion-mnist-sample', 'classifier.json'));
    expect(classifier).toMatchObject({
      format: 'neurona-scoring-classifier',
      data: 'fashion-mnist-sample',
      trainImages: 8000,
    });
    expect(classifier.testAccuracy).toBeGreaterThan(0.7);
    expect(await json(join(straight, 'gan.json'))).toMatchObject({ imageShape: [28, 28, 1], latentDim: 100 });

    const shown = await neurona('runs', 'show', straight);
    expect(shown.stdout).toContain('settings: Adam lr 0.0002 β1 0.5, 2 epochs, batch 64, latent 100, seed 42');
    expect(shown.stdout).toMatch(
      /Fréchet distance [\d.]+ \([\d.]+% of the untrained generator's\), class spread [\d.]+ nats/,
    );
    const evaluated = await neurona('evaluate', straight);
    expect(evaluated.code).toBe(1);
    expect(evaluated.stderr).toContain('a GAN: evaluate is for the image and table recipes');
    expect(evaluated.stderr).toContain(`neurona generate images --model ${straight}`);
  });

  it('generate images writes a grid, the same for the same seed, an interpolation walk, and a GIF', async () => {
    const out = (name: string) => join(root, name);
    const a = await neurona(
      'generate',
      'images',
      '--model',
      straight,
      '--count',
      '12',
      '--columns',
      '4',
      '--out',
      out('a.png'),
    );
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(
      /12 images \(28×28×1\) from .* \(ch14-dcgan-fashion, 2 epochs\) in [\d.]+ s, noise seed 1: /,
    );
    const again = await neurona(
      'generate',
      'images',
      '--model',
      straight,
      '--count',
      '12',
      '--columns',
      '4',
      '--out',
      out('b.png'),
    );
    expect(again.code).toBe(0);
    const pixels = async (path: string) => (await sharp(path).raw().toBuffer()).toString('base64');
    expect(await pixels(out('b.png'))).toBe(await pixels(out('a.png')));
    expect((await sharp(out('a.png')).metadata()).width).toBe(4 * 28 + 3 * 2);

    const walk = await neurona(
      'generate',
      'images',
      '--model',
      straight,
      '--count',
      '8',
      '--interpolate',
      '--out',
      out('walk.gif'),
    );
    expect(walk.code, walk.stderr).toBe(0);
    expect(walk.stdout).toContain('8 steps of a walk between two latent points');
    const meta = await sharp(out('walk.gif'), { animated: true }).metadata();
    expect([meta.pages, meta.width, meta.pageHeight]).toEqual([8, 28, 28]);

    const bad = await neurona('generate', 'images', '--model', straight, '--out', out('x.jpg'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--out');
    expect(bad.stderr).toContain('write a .png (a grid) or a .gif (one image a frame)');
  });

  it('generate images on a folder with no generator names what it expected; a GAN option on another recipe is refused', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'not a run');
    const none = await neurona('generate', 'images', '--model', empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      'holds no generator: expected gan.json and generator/model.json, as neurona train ch14-dcgan-fashion writes',
    );
    const wrong = await neurona('train', 'ch08-fashion-adam', '--latent-dim', '10', '--quick');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      '--latent-dim is for the chapter-14 GAN recipes (ch14-dcgan-fashion, ch14-dcgan-mnist)',
    );
    const batch = await neurona(
      'train',
      'ch14-dcgan-fashion',
      ...small,
      '--batch-size',
      '1000',
      '--out',
      join(root, 'big'),
    );
    expect(batch.code).toBe(1);
    expect(batch.stderr).toContain(
      "ch14-dcgan-fashion: option 'batchSize' is 1000; allowed: at most 512, the images it trains on",
    );
    // Refused before a run folder was made.
    await expect(readdir(join(root, 'big'))).rejects.toThrow();
  });

  it('Ctrl-C in epoch 2 and --resume end with the weights and scores of the uninterrupted run', async () => {
    const out = join(root, 'interrupted');
    const run = startNeurona('train', 'ch14-dcgan-fashion', ...small, '--out', out);
    await run.waitFor(/epoch 1\/2: d_loss/);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(`resume with: neurona train --resume ${out}`);
    await expect(readFile(join(out, 'summary.json'))).rejects.toThrow();
    const changed = await neurona('train', '--resume', out, '--latent-dim', '64');
    expect(changed.stderr.trim()).toBe(
      `neurona: --resume goes on with the run's own settings (from ${join(out, 'run.json')}); drop --latent-dim`,
    );
    const resumed = await neurona('train', '--resume', out, '--backend', 'wasm');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resuming .* from its checkpoint at epoch 1/);
    const weights = async (dir: string, net: string) => readFile(join(dir, net, 'weights.bin'));
    for (const net of ['generator', 'discriminator']) {
      expect(Buffer.compare(await weights(out, net), await weights(straight, net))).toBe(0);
    }
    expect(await json(join(out, 'history.json'))).toEqual(await json(join(straight, 'history.json')));
    const [a, b] = [await json(join(out, 'summary.json')), await json(join(straight, 'summary.json'))];
    expect(a.final).toEqual(b.final);
    expect(a.resumedFrom.epoch).toBe(1);
    expect((await readdir(join(out, 'grids'))).sort()).toEqual(['epoch-001.png', 'epoch-002.png']);
  });
});
