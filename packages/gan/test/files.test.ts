import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, DataFormatError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcganDiscriminator, dcganGenerator, generateImages, latentNoise } from '../src/index.js';
import { loadGenerator, loadScoringClassifier, saveGan, saveScoringClassifier } from '../src/node.js';

let dir = '';
beforeAll(async () => {
  await useBackend('wasm', { log: false });
  dir = await mkdtemp(join(tmpdir(), 'neurona-gan-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GAN folders', () => {
  it('saveGan and loadGenerator: the same images from the same noise; a folder without a generator is named', async () => {
    const rng = createRng(1);
    const networks = { generator: dcganGenerator({ latentDim: 16, rng }), discriminator: dcganDiscriminator({ rng }) };
    const info = await saveGan(join(dir, 'run'), networks, { recipe: 'test', epochs: 3 });
    expect(info).toMatchObject({ format: 'neurona-gan', imageShape: [28, 28, 1], latentDim: 16, epochs: 3 });
    const loaded = await loadGenerator(join(dir, 'run'));
    expect(loaded.info).toEqual(info);
    const noise = latentNoise(4, 16, 3);
    const [a, b] = [generateImages(networks.generator, noise), generateImages(loaded.generator, noise)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    loaded.generator.dispose();

    const error = await loadGenerator(dir).catch((e: unknown) => e);
    expect(DataFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      'holds no generator: expected gan.json and generator/model.json, as neurona train ch14-dcgan-fashion writes',
    );
    await writeFile(join(dir, 'gan.json'), '{"format": "other"}');
    await expect(loadGenerator(dir)).rejects.toThrow('has format "other"; expected "neurona-gan"');

    // A browser's download: files side by side, gan.json naming its generator's model.json.
    const flat = join(dir, 'flat');
    await mkdir(flat);
    await cp(join(dir, 'run', 'generator', 'weights.bin'), join(flat, 'weights.bin'));
    await cp(join(dir, 'run', 'generator', 'model.json'), join(flat, 'generator-model.json'));
    const flatInfo = { ...info, generator: 'generator-model.json' };
    await writeFile(join(flat, 'gan.json'), JSON.stringify(flatInfo));
    const fromFlat = await loadGenerator(flat);
    const again = [generateImages(networks.generator, noise), generateImages(fromFlat.generator, noise)];
    expect(Array.from((again[1] as tf.Tensor).dataSync())).toEqual(Array.from((again[0] as tf.Tensor).dataSync()));
    tf.dispose(again);
    fromFlat.generator.dispose();
    // A path out of the folder, or a file that is not there, is named.
    await writeFile(join(flat, 'gan.json'), JSON.stringify({ ...info, generator: '../run/generator/model.json' }));
    await expect(loadGenerator(flat)).rejects.toThrow(
      'names its generator "../run/generator/model.json"; expected a model.json path inside',
    );
    await writeFile(join(flat, 'gan.json'), JSON.stringify({ ...info, generator: 'g.json' }));
    await expect(loadGenerator(flat)).rejects.toThrow('has gan.json but no g.json: the generator was removed');
    noise.dispose();
    networks.generator.dispose();
    networks.discriminator.dispose();
  });

  it('scoring classifiers: absent is undefined, present is read with what it was trained on', async () => {
    expect(await loadScoringClassifier(join(dir, 'none'))).toBeUndefined();
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'softmax' })] });
    await saveScoringClassifier(join(dir, 'clf'), model, {
      data: 'fashion-mnist',
      testAccuracy: 0.9,
      testCount: 10,
      epochs: 1,
      seed: 1,
    });
    const read = await loadScoringClassifier(join(dir, 'clf'));
    expect(read?.info).toMatchObject({
      format: 'neurona-scoring-classifier',
      data: 'fashion-mnist',
      testAccuracy: 0.9,
    });
    expect(read?.model.outputs[0]?.shape).toEqual([null, 2]);
    read?.model.dispose();
    model.dispose();
  });
});
