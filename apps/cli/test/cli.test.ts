import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerFileSystem, useBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import { imagesToTensor } from '@neurona/preprocessing';
import { stripesFolder } from '@neurona/tooling/fixtures';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { neurona, neuronaWithEnv } from './neurona.js';

describe('neurona train ch05-dense (the default run)', () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof neurona>>;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    result = await neurona('train', 'ch05-dense', '--out', dir);
  });

  it('exits 0, prints the backend choice, the summary and one line per epoch', () => {
    expect(result.stderr).not.toMatch(/neurona: /);
    expect(result.code).toBe(0);
    // A dense net of 7,960 weights: the recipe asks the WASM backend for one thread (fastest for it).
    expect(result.stdout).toContain('neurona: using the wasm backend (1 thread)');
    expect(result.stdout).toContain('passed over tfjs-node: not installed (npm install @tensorflow/tfjs-node)');
    expect(result.stdout).toContain('Total params: 7,960');
    const epochs = result.stdout.split('\n').filter((l) => /^Epoch \d+\/20 - 72\/72 - /.test(l));
    expect(epochs).toHaveLength(20);
    expect(epochs[0]).toMatch(
      / - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/,
    );
  });

  it('writes the run folder, and summary.json says what happened', async () => {
    expect((await readdir(dir)).sort()).toEqual([
      'checkpoints',
      'history.json',
      'history.png',
      'history.svg',
      'model.json',
      'run.json',
      'summary.json',
      'weights.bin',
    ]);
    // The last checkpoint, and what run.json asked for (what --resume would repeat).
    expect(await readdir(join(dir, 'checkpoints'))).toEqual(['ckpt-000000001440-000000020-000000000']);
    const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    expect(run.request).toEqual({ recipe: 'ch05-dense' });
    expect(run.settings.epochs).toBe(20);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    expect(summary.backend).toBe('wasm');
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(summary.secondsPerEpoch).toBeGreaterThan(0);
    expect(summary.trainSamplesPerSec).toBeGreaterThan(0);
    expect(summary.params.total).toBe(7960);
    expect(summary.data).toEqual({ name: 'fashion-mnist-sample', train: 7200, validation: 800, test: 2000 });
    const history = JSON.parse(await readFile(join(dir, 'history.json'), 'utf8'));
    expect(history.history.loss).toHaveLength(20);
    expect(history.history.loss[19]).toBeLessThan(history.history.loss[0]);
    const png = await readFile(join(dir, 'history.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(await readFile(join(dir, 'history.svg'), 'utf8')).toContain('>validation<');
  });

  it('saves a model that loads and scores the test accuracy it reported', async () => {
    await useBackend('wasm', { log: false });
    registerFileSystem();
    const model = await tf.loadLayersModel(`file://${dir}/model.json`);
    const data = await loadFashionMnistSample();
    const x = imagesToTensor(data.test);
    const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync());
    let right = 0;
    predicted.forEach((p, i) => {
      if (p === data.test.labels[i]) right += 1;
    });
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    expect(right / data.test.count).toBeCloseTo(summary.testAccuracy, 6);
    x.dispose();
    model.dispose();
  });
});

describe('neurona: bad input', () => {
  it('lists the recipes', async () => {
    const { code, stdout } = await neurona('list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ch05-dense\s+ch {2}5 /m);
    expect(stdout).toMatch(/^ch09-auto-mpg\s+ch {2}9 {2}Auto MPG regression/m);
    expect(stdout).toContain('runs on: fashion-mnist-sample, fashion-mnist, mnist');
  });

  it('names the known recipes for an unknown one', async () => {
    const { code, stderr } = await neurona('train', 'ch99-magic');
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      /^neurona: 'ch99-magic' is not a known recipe; known: ch05-dense, ch07-one-neuron, .*, ch12-cifar-vgg19, ch13-one-hot, .*, ch13-moby-dick$/,
    );
  });

  it('names the valid backends for an unknown one', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    const { code, stderr } = await neurona('train', 'ch05-dense', '--backend', 'cuda', '--out', out);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      "neurona: 'cuda' is not a known backend; known: tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu",
    );
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a non-integer epoch count, naming the option', async () => {
    const { code, stderr } = await neurona('train', 'ch05-dense', '--epochs', 'many');
    expect(code).toBe(1);
    expect(stderr).toContain(
      "option '--epochs <n>' argument 'many' is invalid. must be an integer from 1 to 1,000,000",
    );
  });

  it('refuses an --out that holds a run unless --force, leaving it untouched', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    await mkdir(out);
    await writeFile(join(out, 'summary.json'), '{"earlier": true}');
    const refused = await neurona('train', 'ch05-dense', '--out', out, '--epochs', '1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `neurona: --out ${out} already holds a run (summary.json); pass --force to replace it`,
    );
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe('{"earlier": true}');

    const forced = await neurona('train', 'ch05-dense', '--out', out, '--epochs', '1', '--backend', 'cpu', '--force');
    expect(forced.code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.settings.epochs).toBe(1);
    expect(summary.backend).toBe('cpu');
    // No temporary or previous folder is left beside it.
    expect((await readdir(join(out, '..'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('runs the book’s exact settings with --book', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    const { code, stdout } = await neurona('train', 'ch05-dense', '--book', '--epochs', '1', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain("settings (the book's): sgd lr 0.01, 1 epochs, batch 100, seed 42");
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.settingsFrom).toBe('book');
    expect(summary.settings.learningRate).toBe(0.01);
  });
});

describe('neurona train: the other chapters', () => {
  it('ch09-auto-mpg --quick: a regression, reported as a test MAE, with its scaler saved', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    const { code, stdout } = await neurona('train', 'ch09-auto-mpg', '--quick', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/test MAE \d\.\d{3}, test loss \d+\.\d{4} on 78 examples/);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.settingsFrom).toBe('quick');
    expect(summary.testMae).toBeLessThan(3.5);
    expect(summary.preprocessing.scaler.kind).toBe('StandardScaler');
    expect(summary.preprocessing.columns).toContain('origin=Japan');
  });

  it('ch11-feature-extraction --quick on a folder of photos, with the MobileNetV2 nsfwjs ships', async () => {
    const folder = await stripesFolder(await mkdtemp(join(tmpdir(), 'neurona-photos-')), {
      train: 20,
      validation: 6,
      test: 10,
    });
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    const { code, stdout, stderr } = await neurona(
      'train',
      'ch11-feature-extraction',
      '--quick',
      '--data-dir',
      folder,
      '--out',
      out,
    );
    expect(stderr).not.toMatch(/neurona: /);
    expect(code).toBe(0);
    expect(stdout).toContain('pretrained nsfwjs-mobilenet-v2');
    expect(stdout).toMatch(/features extracted in \d+\.\d s/);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.data).toEqual({ name: 'dogs-vs-cats', train: 40, validation: 12, test: 20 });
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('refuses data a recipe does not run on, a pretrained model for a from-scratch recipe, and names missing data', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    const other = await neurona('train', 'ch05-dense', '--data', 'cifar10', '--out', out);
    expect(other.code).toBe(1);
    expect(other.stderr.trim()).toBe(
      "neurona: ch05-dense: option 'data' is 'cifar10'; allowed: fashion-mnist-sample, fashion-mnist, mnist (set with --data)",
    );
    const pretrained = await neurona('train', 'ch05-dense', '--pretrained', 'nsfwjs-mobilenet-v2', '--out', out);
    expect(pretrained.stderr.trim()).toBe(
      "neurona: option '--pretrained' is for the transfer-learning recipes; 'ch05-dense' trains from scratch",
    );
    const missing = await neurona('train', 'ch10-dogs-cats', '--no-download', '--out', out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('neurona: dogs-vs-cats: not found. Tried:');
    expect(missing.stderr).toContain("run 'neurona data fetch dogs-vs-cats'");
    expect(existsSync(out)).toBe(false);
  });
});

describe('neurona train on WASM threads', () => {
  it('a CNN recipe trains on every core; NEURONA_WASM_THREADS chooses, and a bad value is named before any work', async () => {
    const base = await mkdtemp(join(tmpdir(), 'neurona-cli-'));
    const cores = Math.min(availableParallelism(), 8);
    const cnn = await neurona('train', 'ch08-fashion-basic', '--quick', '--epochs', '1', '--out', join(base, 'cnn'));
    expect(cnn.code, cnn.stderr).toBe(0);
    expect(cnn.stdout).toContain(`neurona: using the wasm backend (${cores} thread${cores === 1 ? '' : 's'})`);
    const one = await neuronaWithEnv(
      { NEURONA_WASM_THREADS: '1' },
      'train',
      'ch08-fashion-basic',
      '--quick',
      '--epochs',
      '1',
      '--out',
      join(base, 'one'),
    );
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('neurona: using the wasm backend (1 thread)');
    const bad = await neuronaWithEnv({ NEURONA_WASM_THREADS: 'x' }, 'train', 'ch05-dense', '--out', join(base, 'bad'));
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      "neurona: environment: option 'NEURONA_WASM_THREADS' is 'x'; allowed: an integer from 1 to 8 (the WASM backend's threads)",
    );
    expect(existsSync(join(base, 'bad'))).toBe(false);
  });
});

describe('neurona train --backend webgpu (Dawn)', () => {
  const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  const libvulkan = ['/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/x86_64-linux-gnu/libvulkan.so.1'].some(
    existsSync,
  );

  it('without a Vulkan driver: one line naming the cause and the fix, no run folder', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
    const result = await neuronaWithEnv(
      { VK_ICD_FILENAMES: '', XDG_DATA_DIRS: '/nonexistent', XDG_CONFIG_DIRS: '/nonexistent' },
      'train',
      'ch05-dense',
      '--backend',
      'webgpu',
      '--out',
      out,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^neurona: Backend 'webgpu' cannot be used: no adapter: /);
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(!(existsSync(swiftShader) && libvulkan))(
    "on SwiftShader's software adapter when asked by name: trains, writes the run, exits by itself",
    async () => {
      const out = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
      const result = await neuronaWithEnv(
        { VK_ICD_FILENAMES: swiftShader },
        'train',
        'ch05-dense',
        '--backend',
        'webgpu',
        '--quick',
        '--epochs',
        '1',
        '--out',
        out,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/using the webgpu backend \(adapter: .*swiftshader.*a software adapter\)/i);
      const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
      expect(summary.backend).toBe('webgpu');
      // The same run on the CPU backend scores the same (float32 on both; summation order differs).
      const cpuOut = join(await mkdtemp(join(tmpdir(), 'neurona-cli-')), 'run');
      const cpu = await neurona('train', 'ch05-dense', '--backend', 'cpu', '--quick', '--epochs', '1', '--out', cpuOut);
      expect(cpu.code, cpu.stderr).toBe(0);
      const reference = JSON.parse(await readFile(join(cpuOut, 'summary.json'), 'utf8'));
      expect(summary.testAccuracy).toBeGreaterThan(0.15); // chance is 0.1
      expect(Math.abs(summary.testAccuracy - reference.testAccuracy)).toBeLessThan(0.01);
    },
  );
});
