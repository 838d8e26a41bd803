import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath, haveChromium, launchChromium } from '@neurona/tooling/chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RecipePageResult as PageResult } from '../src/recipes/RecipesPage.js';

describe.skipIf(!haveChromium)('the web app in Debian’s Chromium', () => {
  // Built and served once for every test file (test/serve.ts).
  const url = inject('webUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function train(query: string, cachesSample = true): Promise<PageResult & { isolated: boolean; cores: number }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A script that fails to load leaves the page 'loading': stop at the first page error.
    const failed = new Promise<never>((_, reject) => page.once('pageerror', (e) => reject(e)));
    failed.catch(() => undefined); // a later error is reported through `errors` below
    await page.goto(`${url}recipes?${query}`);
    await Promise.race([
      page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 240_000 }),
      failed,
    ]);
    const state = await page.getAttribute('body', 'data-state');
    const status = await page.textContent('#status');
    expect({ state, status, errors }).toEqual({ state: 'done', status: 'done', errors: [] });
    const rows = await page.locator('#epochs tbody tr').count();
    const result = (await page.evaluate(() => window.neurona)) as PageResult;
    expect(rows).toBe(result.losses.length);
    // The four sample files were verified and kept in the Cache API for the next visit.
    const cached = await page.evaluate(async () =>
      (await (await caches.open('neurona-datasets')).keys()).map((r) => r.url.split('/').pop()).sort(),
    );
    if (cachesSample) {
      expect(cached).toEqual([
        't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz',
        'train-images-idx3-ubyte.gz',
        'train-labels-idx1-ubyte.gz',
      ]);
    }
    // Served with COOP/COEP (vite.config.ts), the page may run the WASM backend's threaded build.
    const [isolated, cores] = await page.evaluate(() => [crossOriginIsolated, navigator.hardwareConcurrency] as const);
    await page.close();
    return { ...result, isolated, cores };
  }

  it('passes over the software GPU renderers for WASM, and the loss falls', async () => {
    const result = await train('epochs=5&trainLimit=4000');
    // Headless Chromium without a GPU renders WebGL with SwiftShader (far slower than
    // WASM for training) and offers no WebGPU adapter without --enable-unsafe-webgpu.
    expect(result.backend).toBe('wasm');
    expect(result.report).toContain('passed over webgpu: no adapter');
    expect(result.report).toMatch(/passed over webgl: software renderer \(.*SwiftShader.*\), slower than WASM/);
    expect(result.report).toContain("with Neurona's kernels for wasm: Conv2DBackpropFilter");
    // Cross-origin isolated, the WASM backend runs on every logical core (tfjs alone takes half).
    expect(result.isolated).toBe(true);
    const threads = Math.min(result.cores, 8);
    expect(result.report).toContain(`using the wasm backend (${threads} thread${threads === 1 ? '' : 's'})`);
    expect(result.losses).toHaveLength(5);
    expect(result.losses[4]).toBeLessThan((result.losses[0] as number) * 0.75);
    expect(result.testAccuracy).toBeGreaterThan(0.55);
  });

  it('trains on WebGL when the page asks for it by name', async () => {
    const result = await train('epochs=3&trainLimit=2000&backend=webgl');
    expect(result.backend).toBe('webgl');
    expect(result.losses[2]).toBeLessThan(result.losses[0] as number);
  });

  it('runs the Playground recipes in the page: the circle needs the hidden layer', async () => {
    const result = await train('recipe=ch07-hidden-layer', false);
    expect(result.recipe).toBe('ch07-hidden-layer');
    expect(result.losses).toHaveLength(40);
    expect(result.testAccuracy).toBeGreaterThan(0.9);
  });

  it('names the recipes the page can run for one it cannot', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}recipes?recipe=ch10-dogs-cats`);
    await page.waitForSelector('body[data-state="error"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toBe(
      "error: URL parameter 'recipe' is 'ch10-dogs-cats'; allowed here: ch05-dense, ch07-one-neuron, ch07-hidden-layer, ch07-deep, ch08-fashion-basic, ch08-fashion-adam, ch08-fashion-bn-dropout, ch08-fashion-lr-decay, ch12-functional",
    );
    await page.close();
  });

  it('ships a bundle with no Node-only import in it', async () => {
    const assets = join(inject('webDist'), 'assets');
    const scripts = (await readdir(assets)).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const code = await readFile(join(assets, file), 'utf8');
      expect(code, file).not.toMatch(/from\s*["']node:|import\(["']node:|require\(["']node:/);
      expect(code, file).not.toContain('@neurona/core/node');
    }
    expect(existsSync(join(inject('webDist'), 'fashion-mnist-sample', 'train-images-idx3-ubyte.gz'))).toBe(true);
  });
});

if (!haveChromium) {
  it.skip(`browser tests skipped: ${chromiumPath} is absent (apt-get install chromium)`, () => {});
}
