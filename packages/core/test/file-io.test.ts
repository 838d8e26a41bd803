import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileSystem, registerFileSystem, useBackend } from '../src/node.js';

function smallModel() {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('file:// model IO without tfjs-node', () => {
  beforeAll(async () => {
    await useBackend('cpu', { log: false });
    registerFileSystem();
  });

  it('saves and loads a model that predicts exactly the same numbers', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'neurona-io-')), 'model');
    const model = smallModel();
    const x = tf.tensor2d([
      [0.1, 0.2, 0.3, 0.4],
      [1, -1, 0.5, 2],
    ]);
    const before = await (model.predict(x) as tf.Tensor).array();
    await model.save(`file://${dir}`);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toHaveLength(4);
    expect((await readFile(join(dir, 'weights.bin'))).byteLength).toBe((4 * 3 + 3 + 3 * 2 + 2) * 4);

    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    const after = await (loaded.predict(x) as tf.Tensor).array();
    expect(after).toEqual(before);
    // Loading the folder itself works too.
    const again = await tf.loadLayersModel(fileSystem(dir));
    expect(again.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
    again.dispose();
  });

  it('leaves no temporary files and replaces an earlier save whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-io-'));
    const model = smallModel();
    await model.save(`file://${dir}`);
    await model.save(`file://${dir}`);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    model.dispose();
  });

  it('names the file when there is no model or its weights are missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-io-'));
    await expect(tf.loadLayersModel(`file://${dir}/nothing/model.json`)).rejects.toThrow(
      `fileSystem: no model at '${dir}/nothing/model.json'`,
    );
    const model = smallModel();
    await model.save(`file://${dir}`);
    model.dispose();
    await writeFile(
      join(dir, 'model.json'),
      (await readFile(join(dir, 'model.json'), 'utf8')).replace('./weights.bin', './gone.bin'),
    );
    await expect(tf.loadLayersModel(`file://${dir}/model.json`)).rejects.toThrow(/cannot read weights '.*gone\.bin'/);
  });
});
