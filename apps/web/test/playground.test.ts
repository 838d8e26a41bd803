import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playgroundPresets } from '@neurona/recipes';
import { chromiumPath, haveChromium, launchChromium } from '@neurona/tooling/chromium';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LossPoint } from '../src/playground/engine.js';
import type { PlaygroundView as View } from '../src/playground/PlaygroundPage.js';
import { neurona } from './cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots of each preset after training, for a person to look at (and the README). */
const shots = join(root, 'test-results', 'playground');

declare global {
  interface Window {
    frameGaps?: { longest: number; stop: boolean };
  }
}

describe.skipIf(!haveChromium)('the Playground page in Debian’s Chromium', () => {
  let browser: Browser;
  // Built and served once for every test file (test/serve.ts).
  const url = inject('webUrl');
  let work: string;
  /** Per preset: what the training measured, printed at the end. */
  const measured: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'neurona-playground-files-'));
    browser = await launchChromium();
    await mkdir(shots, { recursive: true });
  });

  afterAll(async () => {
    if (measured.length > 0) console.log(`Playground page, headless Chromium:\n${measured.join('\n')}`);
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Opens the page and waits for its first picture; page errors fail the test. */
  async function open(query: string, target?: Page): Promise<Page> {
    const page = target ?? (await browser.newPage({ viewport: { width: 1280, height: 920 } }));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}playground${query ? `?${query}` : ''}`);
    await page.waitForFunction(() => (window.playground?.frames ?? 0) > 0, null, { timeout: 60_000 });
    // The loss chart is built once (Vega compiles its spec: a one-time 150 ms) before any training.
    await page.waitForSelector('#loss-chart canvas', { timeout: 60_000 });
    expect(errors).toEqual([]);
    return page;
  }

  const view = (page: Page) => page.evaluate(() => window.playground as View);
  const boundaryPixels = (page: Page) =>
    page.evaluate(() => (document.getElementById('boundary') as HTMLCanvasElement).toDataURL());

  /** Counts the longest gap between animation frames from now until `stopFrameGaps`. */
  const startFrameGaps = (page: Page) =>
    page.evaluate(() => {
      const gaps = { longest: 0, stop: false };
      window.frameGaps = gaps;
      let last = performance.now();
      const tick = (now: number) => {
        gaps.longest = Math.max(gaps.longest, now - last);
        last = now;
        if (!gaps.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  const stopFrameGaps = (page: Page) =>
    page.evaluate(() => {
      const gaps = window.frameGaps as { longest: number; stop: boolean };
      gaps.stop = true;
      return gaps.longest;
    });

  /** Presses play, waits until the test loss is under `bar` (or `maxEpochs`), presses pause; the view then. */
  async function train(page: Page, maxEpochs: number, bar = Number.NEGATIVE_INFINITY, timeout = 180_000) {
    await page.click('#play');
    await page.waitForFunction(
      ({ max, under }) => {
        const v = window.playground as View;
        return v.epoch >= max || (v.losses.length > 1 && (v.losses.at(-1) as LossPoint).test < under);
      },
      { max: maxEpochs, under: bar },
      { timeout, polling: 50 },
    );
    await page.click('#play');
    await page.waitForFunction(() => !window.playground?.playing, null, { timeout: 30_000 });
    return view(page);
  }

  for (const preset of playgroundPresets) {
    // One retry: this machine is shared, and another process can stall the whole browser for a
    // frame or two; a page that blocks its main thread fails both tries.
    it(`${preset.id}: one click, play, the test loss falls under ${preset.testLossBar}; the page keeps drawing`, {
      retry: 1,
    }, async () => {
      const page = await open('');
      const framesBefore = (await view(page)).frames;
      await page.click(`button[data-preset="${preset.id}"]`);
      // The network built again from the preset: a new first frame with epoch 0's losses alone.
      await page.waitForFunction(
        ({ shape, before }) => {
          const v = window.playground as View;
          return JSON.stringify(v.state.settings.networkShape) === shape && v.frames > before && v.losses.length === 1;
        },
        { shape: JSON.stringify(preset.settings.networkShape), before: framesBefore },
      );
      const before = await boundaryPixels(page);
      await startFrameGaps(page);
      const started = Date.now();
      const bar = preset.testLossBar;
      // Bounded: the preset's own epochs and a half.
      const done = await train(page, Math.ceil(preset.epochs * 1.5), bar);
      const seconds = (Date.now() - started) / 1000;
      const longest = await stopFrameGaps(page);
      const last = done.losses.at(-1) as LossPoint;
      expect(last.test, `test loss after ${done.epoch} epochs`).toBeLessThan(bar);
      expect(done.epoch).toBeLessThanOrEqual(Math.ceil(preset.epochs * 1.5) + 2);
      expect(done.losses[0]?.epoch).toBe(0);
      expect(last.test).toBeLessThan((done.losses[0] as LossPoint).test);
      expect(await boundaryPixels(page)).not.toBe(before);
      expect(done.where).toBe('a Web Worker');
      expect(longest, 'longest gap between animation frames, ms').toBeLessThan(100);
      expect(await page.textContent('#test-loss')).toBe(last.test.toFixed(3));
      measured.push(
        `  ${preset.id}: test loss ${last.test.toFixed(3)} at epoch ${done.epoch} (${seconds.toFixed(1)} s), ${done.epochsPerSecond.toFixed(1)} epochs/s on ${done.backend} in ${done.where}; longest frame gap ${longest.toFixed(0)} ms`,
      );
      // On to the preset's own epochs (the recipe's), for the accuracy bar and the screenshot.
      const end = await train(page, preset.epochs);
      expect(end.epoch).toBeGreaterThanOrEqual(preset.epochs);
      expect(Number(await page.textContent('#test-accuracy'))).toBeGreaterThanOrEqual(preset.accuracyBar);
      await page.screenshot({ path: join(shots, `${preset.id}.png`) });
      await page.close();
    });
  }

  it('a feature toggled, a layer added, test points shown or the output discretised: the drawing and the URL change', async () => {
    const page = await open('preset=ch07-hidden-layer');
    const links = async () => Number(await page.getAttribute('canvas.links', 'data-links'));
    expect(await links()).toBe(2 * 4 + 4);
    await page.click('button[data-feature="x1Squared"]');
    await page.waitForFunction(() => window.playground?.state.settings.features.toString() === 'x1,x2,x1Squared');
    await expect.poll(links).toBe(3 * 4 + 4);
    expect(new URL(page.url()).searchParams.get('features')).toBe('x1,x2,x1Squared');
    await page.click('#add-layer');
    await expect.poll(() => page.textContent('#layer-count')).toBe('2 hidden layers');
    await expect.poll(links).toBe(3 * 4 + 4 * 2 + 2);
    expect(new URL(page.url()).searchParams.get('networkShape')).toBe('4,2');
    expect(await page.locator('.node.neuron').count()).toBe(4 + 2 + 1);
    // Showing the test points and discretising the output redraw the picture, and go in the URL.
    const plain = await boundaryPixels(page);
    await page.check('#showTest');
    await expect.poll(() => boundaryPixels(page)).not.toBe(plain);
    const withTest = await boundaryPixels(page);
    await page.check('#discretize');
    await expect.poll(() => boundaryPixels(page)).not.toBe(withTest);
    expect(new URL(page.url()).searchParams.get('discretize')).toBe('true');
    // The link under the pointer says its weight: x₁'s to the first neuron runs straight across row 0.
    const from = await page.locator('button[data-feature="x1"]').boundingBox();
    const to = await page.locator('.node.neuron').first().boundingBox();
    if (!from || !to) throw new Error('no nodes drawn');
    await page.mouse.move((from.x + from.width + to.x) / 2, from.y + from.height / 2);
    expect(await page.textContent('#link-tooltip')).toMatch(/^weight x₁ → layer 1, neuron 1: -?\d\.\d{3}$/);
    await page.close();
  });

  it('a link reproduces the run: every control restored, the same first 10 losses', async () => {
    const first = await open('preset=ch07-hidden-layer&noise=10&seed=3&batchSize=5&showTest=true&activation=relu');
    const a = await train(first, 10);
    const link = first.url();
    await first.close();
    const second = await open(new URL(link).search.slice(1));
    expect(await second.inputValue('#noise')).toBe('10');
    expect(await second.inputValue('#batchSize')).toBe('5');
    expect(await second.inputValue('#percTrainData')).toBe('50');
    expect(await second.inputValue('#seed')).toBe('3');
    expect(await second.inputValue('#activation')).toBe('relu');
    expect(await second.inputValue('#learningRate')).toBe('0.1');
    expect(await second.isChecked('#showTest')).toBe(true);
    expect(await second.isChecked('#discretize')).toBe(false);
    expect(await second.getAttribute('button[data-feature="x1"]', 'aria-pressed')).toBe('true');
    expect(await second.getAttribute('button[data-feature="sinX1"]', 'aria-pressed')).toBe('false');
    const b = await train(second, 10);
    expect(b.state).toEqual(a.state);
    expect(b.backend).toBe(a.backend);
    const firstTen = (v: View) => v.losses.filter((p) => p.epoch >= 1 && p.epoch <= 10).map((p) => p.test);
    expect(firstTen(a)).toHaveLength(10);
    expect(firstTen(b)).toEqual(firstTen(a));
    await second.close();
  });

  it('a URL with values out of range: the nearest valid ones, and a note saying what changed', async () => {
    const page = await open('noise=500&networkShape=8,8,8,8,8,8,8,8,8,8,8,8&activation=foo');
    const notes = await page.textContent('#notes');
    expect(notes).toContain('noise 500 is out of range; using 50 (allowed: 0 to 50)');
    expect(notes).toContain('networkShape');
    expect(notes).toContain("activation 'foo' is unknown; using 'tanh'");
    expect(await page.inputValue('#noise')).toBe('50');
    expect(await page.textContent('#layer-count')).toBe('6 hidden layers');
    expect(await page.inputValue('#activation')).toBe('tanh');
    expect(new URL(page.url()).searchParams.get('noise')).toBe('50');
    await page.close();
  });

  it('exports a model that neurona evaluate scores as the page did', async () => {
    const page = await open('preset=ch07-hidden-layer');
    const trained = await train(page, 15);
    const downloads: Promise<import('playwright-core').Download>[] = [];
    const both = new Promise<void>((resolve) => {
      page.on('download', (d) => {
        downloads.push(Promise.resolve(d));
        if (downloads.length === 2) resolve();
      });
    });
    await page.click('#export');
    await both;
    for (const d of await Promise.all(downloads)) await d.saveAs(join(work, d.suggestedFilename()));
    expect(await page.textContent('#message')).toContain('exported playground-circle.json');
    const accuracy = Number(await page.textContent('#test-accuracy'));
    await page.close();
    const evaluated = await neurona('evaluate', join(work, 'playground-circle.json'), '--backend', 'cpu');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(await readFile(join(work, 'playground-circle-evaluation.json'), 'utf8'));
    expect(result.epoch).toBe(trained.epoch);
    expect(result.accuracy).toBeCloseTo(accuracy, 2);
    expect(result.loss).toBeCloseTo((trained.losses.at(-1) as LossPoint).test, 2);
  });

  it('loads a model neurona train wrote and shows its boundary; refuses what is not one, naming what was expected', async () => {
    const runDir = join(work, 'cli-run');
    const trained = await neurona('train', 'ch07-hidden-layer', '--backend', 'cpu', '--out', runDir);
    expect(trained.code, trained.stderr).toBe(0);
    const summary = JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8'));
    const page = await open('preset=ch07-one-neuron');
    const before = await boundaryPixels(page);
    await page.setInputFiles(
      '#import',
      ['model.json', 'weights.bin', 'summary.json'].map((f) => join(runDir, f)),
    );
    await page.waitForFunction(() => window.playground?.state.settings.dataset === 'circle');
    await page.waitForFunction(() => (window.playground?.losses.length ?? 0) > 0);
    const loaded = await view(page);
    expect(loaded.state.settings.networkShape).toEqual([4]);
    expect(await boundaryPixels(page)).not.toBe(before);
    expect((loaded.losses.at(-1) as LossPoint).test).toBeCloseTo(summary.testLoss, 3);

    const text = join(work, 'notes.json');
    await writeFile(text, '{"hello": 1}');
    await page.setInputFiles('#import', [text]);
    await expect
      .poll(() => page.textContent('#message'))
      .toContain('none of notes.json is a model file; expected a TensorFlow.js Layers model');

    // A Dense model of 5 inputs, while the page feeds 2 features.
    const five = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [5], activation: 'sigmoid' })] });
    await five.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const manifest = [{ paths: ['./five.weights.bin'], weights: artifacts.weightSpecs }];
        await writeFile(
          join(work, 'five.json'),
          JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: manifest }),
        );
        await writeFile(join(work, 'five.weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    five.dispose();
    await page.setInputFiles('#import', [join(work, 'five.json'), join(work, 'five.weights.bin')]);
    await expect
      .poll(() => page.textContent('#message'))
      .toContain('the model takes 5 inputs, but the chosen features are 2 (x₁, x₂)');
    await page.close();
  });

  it('epochs per second on each backend, in the worker and in the page (printed)', async () => {
    const rows: string[] = [];
    const timed = async (target: Browser, backend: string, worker: boolean) => {
      const page = await target.newPage();
      await open(`preset=ch07-hidden-layer&backend=${backend}${worker ? '' : '&worker=off'}`, page);
      const epochNow = () => page.evaluate(() => window.playground?.epoch ?? 0);
      const started = Date.now();
      await page.click('#play');
      // The GPU backends compile their shaders in the first epochs (seconds on a software GPU).
      await page.waitForFunction(() => (window.playground?.epoch ?? 0) >= 3, null, { timeout: 120_000 });
      const warm = { epoch: await epochNow(), at: Date.now() };
      await startFrameGaps(page);
      await page.waitForTimeout(3000);
      const steady = ((await epochNow()) - warm.epoch) / ((Date.now() - warm.at) / 1000);
      const longest = await stopFrameGaps(page);
      await page.click('#play');
      await page.waitForFunction(() => !window.playground?.playing, null, { timeout: 30_000 });
      const v = await view(page);
      await page.close();
      expect(v.backend).toBe(backend);
      expect((v.losses.at(-1) as LossPoint).test).toBeLessThan((v.losses[0] as LossPoint).test);
      rows.push(
        `  ${backend.padEnd(6)} ${worker ? 'worker' : 'page  '}  ${steady.toFixed(1).padStart(5)} epochs/s  first 3 epochs ${((warm.at - started) / 1000).toFixed(1)} s  longest frame gap ${longest.toFixed(0)} ms`,
      );
    };
    for (const backend of ['wasm', 'cpu', 'webgl']) await timed(browser, backend, true);
    await timed(browser, 'wasm', false);
    const gpu = await launchChromium({ webgpu: true });
    try {
      await timed(gpu, 'webgpu', true);
    } finally {
      await gpu.close();
    }
    measured.push(`  ch07-hidden-layer, 3 s of training after the first 3 epochs, per backend:\n${rows.join('\n')}`);
  });
});

if (!haveChromium) {
  it.skip(`browser tests skipped: ${chromiumPath} is absent (apt-get install chromium)`, () => {});
}
