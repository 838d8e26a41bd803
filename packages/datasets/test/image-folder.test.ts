import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageFolder } from '../src/node/image-folder.js';
import { extractDogsVsCats, makeDogsVsCatsSplit } from '../src/node.js';

/** A solid-colour image of `width × height`. */
const solid = (file: string, value: number, width = 20, height = 16) =>
  sharp({ create: { width, height, channels: 3, background: { r: value, g: value, b: value } } })
    .png()
    .toFile(file);

async function folder(classes: Record<string, number[]>) {
  const dir = await mkdtemp(join(tmpdir(), 'neurona-folder-'));
  for (const [name, values] of Object.entries(classes)) {
    await mkdir(join(dir, name));
    for (const [i, v] of values.entries()) await solid(join(dir, name, `${name}.${i}.png`), v, 20 + i, 16);
  }
  return dir;
}

beforeAll(async () => {
  await useBackend('wasm', { log: false });
});

describe('imageFolder', () => {
  it('reads one class per sub-folder, resizes, batches and labels; a bad image is skipped and counted', async () => {
    const dir = await folder({ cats: [10, 20, 30], dogs: [200, 210, 220] });
    await writeFile(join(dir, 'dogs', 'dog.broken.jpg'), 'not a jpeg');
    const warnings: string[] = [];
    const data = await imageFolder(dir, {
      imageSize: [8, 8],
      batchSize: 4,
      seed: 1,
      onWarning: (m) => warnings.push(m),
    });
    expect(data.classNames).toEqual(['cats', 'dogs']);
    expect(data.trainFiles).toHaveLength(7);
    const seen: { shape: number[]; labels: number[]; firstPixels: number[] }[] = [];
    await data.training.forEachAsync((b) => {
      const { xs, ys } = b as { xs: tf.Tensor; ys: tf.Tensor };
      const values = xs.dataSync();
      seen.push({
        shape: xs.shape,
        labels: Array.from(ys.dataSync()),
        firstPixels: Array.from({ length: xs.shape[0] as number }, (_, i) => values[i * 8 * 8 * 3] as number),
      });
    });
    expect(seen.map((s) => s.shape)).toEqual([
      [expect.any(Number), 8, 8, 3],
      [expect.any(Number), 8, 8, 3],
    ]);
    expect(seen.reduce((n, s) => n + (s.shape[0] as number), 0)).toBe(6);
    expect(data.skipped).toBe(1);
    expect(warnings).toEqual([expect.stringContaining(`imageFolder: skipped ${join(dir, 'dogs', 'dog.broken.jpg')}`)]);
    // Each image keeps its class: dark ones are cats (0), bright ones dogs (1).
    for (const s of seen) {
      for (const [i, label] of s.labels.entries()) expect(label).toBe((s.firstPixels[i] as number) > 100 ? 1 : 0);
    }
  });

  it('splits off a seeded validation part and gives categorical or binary labels', async () => {
    const dir = await folder({ a: [1, 2, 3, 4, 5], b: [101, 102, 103, 104, 105] });
    const one = await imageFolder(dir, { imageSize: [4, 4], validationSplit: 0.2, seed: 7, labelMode: 'categorical' });
    const two = await imageFolder(dir, { imageSize: [4, 4], validationSplit: 0.2, seed: 7, labelMode: 'binary' });
    expect(one.validationFiles).toHaveLength(2);
    expect(one.validationFiles).toEqual(two.validationFiles);
    const batch = (await (one.validation as tf.data.Dataset<tf.TensorContainer>).iterator().then((it) => it.next()))
      .value as {
      xs: tf.Tensor;
      ys: tf.Tensor;
    };
    expect(batch.ys.shape).toEqual([2, 2]);
    expect(Array.from(batch.ys.sum(1).dataSync())).toEqual([1, 1]);
    tf.dispose(batch as unknown as tf.TensorContainer);
  });

  it('trains a model through fitDataset without leaking tensors', async () => {
    const dir = await folder({ cats: [10, 20, 30, 40], dogs: [200, 210, 220, 230] });
    const data = await imageFolder(dir, { imageSize: [8, 8], batchSize: 4, labelMode: 'binary' });
    const model = tf.sequential({
      layers: [
        tf.layers.rescaling({ inputShape: [8, 8, 3], scale: 1 / 255 }),
        tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'binaryCrossentropy' });
    const before = tf.memory().numTensors;
    await model.fitDataset(data.training, { epochs: 3, verbose: 0 });
    const after = tf.memory().numTensors;
    await model.fitDataset(data.training, { epochs: 3, verbose: 0 });
    expect(tf.memory().numTensors).toBe(after);
    expect(after).toBeLessThanOrEqual(before); // nothing left over from the first three epochs
    model.dispose();
  });

  it('explains a folder it cannot use', async () => {
    const one = await folder({ cats: [1, 2] });
    await expect(imageFolder(one)).rejects.toThrow(
      `imageFolder: ${one} has 1 class folder ('cats'); a classifier needs at least 2`,
    );
    const empty = await folder({ cats: [1], dogs: [] });
    await expect(imageFolder(empty)).rejects.toThrow(`imageFolder: class folder 'dogs' in ${empty} has no images`);
    await expect(imageFolder(join(empty, 'nope'))).rejects.toThrow(
      `imageFolder: ${join(empty, 'nope')} is not a folder`,
    );
    const three = await folder({ a: [1], b: [2], c: [3] });
    await expect(imageFolder(three, { labelMode: 'binary' })).rejects.toThrow(
      `imageFolder: option 'labelMode' is 'binary'; allowed: int, categorical ('binary' needs exactly 2 classes; ${three} has 3: a, b, c)`,
    );
    await expect(imageFolder(three, { validationSplit: 1 })).rejects.toThrow("option 'validationSplit' is 1");
  });
});

describe('extractDogsVsCats', () => {
  it('extracts PetImages from the archive, checksum first, and refuses another archive', async () => {
    const { ZipFile } = await import('yazl');
    const { createWriteStream } = await import('node:fs');
    const dir = await mkdtemp(join(tmpdir(), 'neurona-zip-'));
    const zip = (file: string, entries: Record<string, string>) =>
      new Promise<void>((resolve, reject) => {
        const z = new ZipFile();
        for (const [name, text] of Object.entries(entries)) z.addBuffer(Buffer.from(text), name);
        z.end();
        z.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject);
      });
    const archive = join(dir, 'kagglecatsanddogs_3367a.zip');
    await zip(archive, { 'PetImages/Cat/0.jpg': 'c0', 'PetImages/Dog/0.jpg': 'd0', 'readme[1].txt': 'x' });
    const pets = await extractDogsVsCats(archive, join(dir, 'out'));
    expect(await readdir(join(pets, 'Cat'))).toEqual(['0.jpg']);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['PetImages']);
    await expect(extractDogsVsCats(archive, join(dir, 'again'), { sha256: '0'.repeat(64) })).rejects.toThrow(
      `${archive}: SHA-256 is`,
    );
    const other = join(dir, 'other.zip');
    await zip(other, { 'photos/1.jpg': 'x' });
    await expect(extractDogsVsCats(other, join(dir, 'third'))).rejects.toThrow(`${other}: has no PetImages/ folder`);
  });
});

describe('makeDogsVsCatsSplit', () => {
  it("also reads Microsoft's PetImages/{Cat,Dog}/N.jpg layout, naming files as Kaggle does", async () => {
    const pets = await mkdtemp(join(tmpdir(), 'neurona-pets-'));
    for (const [folder, prefix] of [
      ['Cat', 'c'],
      ['Dog', 'd'],
    ] as const) {
      await mkdir(join(pets, folder));
      for (let i = 0; i < 4; i++) await writeFile(join(pets, folder, `${i}.jpg`), `${prefix}${i}`);
      await writeFile(join(pets, folder, 'Thumbs.db'), 'not a photo');
    }
    const target = join(pets, 'small');
    await makeDogsVsCatsSplit(pets, target, { train: 2, validation: 1, test: 1 });
    expect((await readdir(join(target, 'train', 'dogs'))).sort()).toEqual(['dog.0.jpg', 'dog.1.jpg']);
    expect(await readdir(join(target, 'test', 'cats'))).toEqual(['cat.3.jpg']);
  });

  it('builds train/validation/test folders per class from the Kaggle layout, lowest numbers first', async () => {
    const kaggle = await mkdtemp(join(tmpdir(), 'neurona-kaggle-'));
    for (let i = 0; i < 7; i++) {
      await writeFile(join(kaggle, `cat.${i}.jpg`), `c${i}`);
      await writeFile(join(kaggle, `dog.${i}.jpg`), `d${i}`);
    }
    const target = join(kaggle, '..', `small-${Date.now()}`);
    await makeDogsVsCatsSplit(kaggle, target, { train: 3, validation: 2, test: 1 });
    expect((await readdir(join(target, 'train', 'cats'))).sort()).toEqual(['cat.0.jpg', 'cat.1.jpg', 'cat.2.jpg']);
    expect((await readdir(join(target, 'validation', 'dogs'))).sort()).toEqual(['dog.3.jpg', 'dog.4.jpg']);
    expect(await readdir(join(target, 'test', 'dogs'))).toEqual(['dog.5.jpg']);
    await expect(makeDogsVsCatsSplit(kaggle, target)).rejects.toThrow(
      `makeDogsVsCatsSplit: option 'target' is '${target}'; allowed: a folder that does not exist yet`,
    );
    await expect(makeDogsVsCatsSplit(kaggle, `${target}-2`)).rejects.toThrow(
      `makeDogsVsCatsSplit: ${kaggle} has 7 cat photos; the split needs 2000 per class`,
    );
  });
});
