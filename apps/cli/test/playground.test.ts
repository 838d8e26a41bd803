import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaygroundTrainer, playgroundPresets } from '@neurona/recipes';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { neurona } from './neurona.js';

let root: string;
const json = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'neurona-playground-'));
  await tf.setBackend('cpu');
});

/**
 * Saves a model as the Playground page's Export button does (tfjs's browserDownloads): `NAME.json`
 * whose manifest points at `./NAME.weights.bin`, and that file beside it.
 */
async function saveAsThePageDoes(model: tf.LayersModel, dir: string, name: string) {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, weightSpecs, ...rest } = artifacts;
      const bytes = new Uint8Array(weightData as ArrayBuffer);
      const manifest = [{ paths: [`./${name}.weights.bin`], weights: weightSpecs }];
      await writeFile(join(dir, `${name}.json`), JSON.stringify({ ...rest, weightsManifest: manifest }));
      await writeFile(join(dir, `${name}.weights.bin`), bytes);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, `${name}.json`);
}

describe('neurona evaluate on Playground models', () => {
  it('a ch07 run: the test accuracy and loss its training reported', async () => {
    const run = join(root, 'hidden-layer');
    const trained = await neurona('train', 'ch07-hidden-layer', '--backend', 'cpu', '--out', run);
    expect(trained.code, trained.stderr).toBe(0);
    const summary = await json(join(run, 'summary.json'));
    const evaluated = await neurona('evaluate', run, '--backend', 'cpu');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = await json(join(run, 'evaluation.json'));
    expect(result.examples).toBe(250);
    expect(result.accuracy).toBeCloseTo(summary.testAccuracy, 4);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("a page export: scored on the test points its settings draw again, the trainer's own figures", async () => {
    const preset = playgroundPresets.find((p) => p.id === 'ch07-hidden-layer');
    if (!preset) throw new Error('no ch07-hidden-layer preset');
    const before = tf.memory().numTensors;
    const trainer = PlaygroundTrainer.create(preset.settings);
    for (let i = 0; i < 25; i++) await trainer.trainEpoch();
    const figures = await trainer.figures();
    const file = await saveAsThePageDoes(trainer.modelToSave(), root, 'circle');
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const evaluated = await neurona('evaluate', file, '--backend', 'cpu');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(
      /Playground model circle\.json \(epoch 25\) on the circle test points \(250 examples/,
    );
    const result = await json(join(root, 'circle-evaluation.json'));
    expect(result.epoch).toBe(25);
    expect(result.playground.networkShape).toEqual([4]);
    expect(result.accuracy).toBeCloseTo(figures.testAccuracy as number, 4);
    expect(result.loss).toBeCloseTo(figures.testLoss, 3);
    expect(result.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(250);
    expect(existsSync(join(root, 'circle-confusion-matrix.png'))).toBe(true);
  });

  it('a file that is not a Playground model: a message naming the file and what is taken', async () => {
    const text = join(root, 'notes.txt');
    await writeFile(text, 'hello');
    const notJson = await neurona('evaluate', text, '--backend', 'cpu');
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr).toContain(`${text}: neurona evaluate takes a run folder, or the .json file of a model`);

    const broken = join(root, 'broken.json');
    await writeFile(broken, '{"modelTopology": ');
    const unreadable = await neurona('evaluate', broken, '--backend', 'cpu');
    expect(unreadable.stderr).toContain(`${broken} is not a TensorFlow.js model file`);

    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const other = await saveAsThePageDoes(plain, root, 'plain');
    plain.dispose();
    const noSettings = await neurona('evaluate', other, '--backend', 'cpu');
    expect(noSettings.code).not.toBe(0);
    expect(noSettings.stderr).toContain(`${other} is a TensorFlow.js model without the Playground's settings`);
  });
});
