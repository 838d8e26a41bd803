import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { neuronaWithEnv } from './neurona.js';

const debian = '/usr/share/datasets/fashion-mnist';

describe('neurona data', () => {
  it('lists the data sets with licence and where each is found, in the cache NEURONA_DATA_DIR names', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'neurona-data-'));
    const { code, stdout } = await neuronaWithEnv({ NEURONA_DATA_DIR: cache }, 'data', 'list');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^mnist\s+not here \(neurona data fetch mnist\)\n {2}Handwritten digits.*\n {2}licence: CC BY-SA 3.0$/m,
    );
    expect(stdout).toMatch(/^auto-mpg\s+bundled: auto-mpg\/auto-mpg.csv in @neurona\/datasets \(406 rows\)$/m);
    expect(stdout).toContain(`cache: ${cache} (NEURONA_DATA_DIR overrides)`);
  });

  it('says where it looked and how to fix it when a data set is absent', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'neurona-data-'));
    const { code, stderr } = await neuronaWithEnv({ NEURONA_DATA_DIR: cache }, 'data', 'path', 'mnist');
    expect(code).toBe(1);
    expect(stderr).toContain(
      `neurona: mnist: not found. Tried:\n  cache ${join(cache, 'mnist')}: missing train-images-idx3-ubyte.gz`,
    );
    expect(stderr).toContain("Fix: run 'neurona data fetch mnist'");
    const unknown = await neuronaWithEnv({}, 'data', 'path', 'imagenet');
    expect(unknown.stderr.trim()).toBe(
      "neurona: 'imagenet' is not a known data set; known: mnist, fashion-mnist, cifar10, dogs-vs-cats, shakespeare, moby-dick",
    );
  });

  it('verifies Moby Dick, which works offline from its npm package', async () => {
    const { code, stdout } = await neuronaWithEnv({}, 'data', 'verify', 'moby-dick');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^moby-dick: verified .*datasets-moby-dick\/data \(npm\): 1,\d{3},\d{3} characters, SHA-256 as registered$/m,
    );
  });

  it.skipIf(!existsSync(`${debian}/train-images-idx3-ubyte.gz`))(
    'verifies the real Fashion-MNIST from Debian',
    async () => {
      const { code, stdout } = await neuronaWithEnv({}, 'data', 'verify', 'fashion-mnist', '--path', debian);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(
        `fashion-mnist: verified ${debian} (path): 60000 training and 10000 test images of 28×28, 10 classes, SHA-256 of every file as registered`,
      );
    },
  );
});
