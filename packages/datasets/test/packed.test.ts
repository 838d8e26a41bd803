import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(join(pkg, 'dist', 'node.js')) && existsSync(join(pkg, '..', 'errors', 'dist', 'index.js'));

// What a user gets from `npm install @neurona/datasets`: the packed tarball, installed
// alone in an empty project, with no TensorFlow.js and no workspace around it.
describe.skipIf(!built)('the published @neurona/datasets', () => {
  it('installs alone and loads the bundled sample through its exports', async () => {
    const work = await mkdtemp(join(tmpdir(), 'neurona-pack-'));
    // With its one @neurona dependency, packed the same way (npm would fetch it from the registry).
    for (const dir of [pkg, join(pkg, '..', 'errors')])
      execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: dir, stdio: 'pipe' });
    const tarballs = (await readdir(work)).filter((f) => f.endsWith('.tgz')).map((f) => join(work, f));
    const app = join(work, 'app');
    execFileSync('mkdir', [app]);
    await writeFile(join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], {
      cwd: app,
      stdio: 'pipe',
    });
    await writeFile(
      join(app, 'main.js'),
      `import { loadFashionMnistSample } from '@neurona/datasets/node';
import { parseIdx, fashionMnistClassNames } from '@neurona/datasets';
const d = await loadFashionMnistSample();
console.log(JSON.stringify({ train: d.train.count, test: d.test.count, first: fashionMnistClassNames[d.train.labels[0]], parse: typeof parseIdx }));`,
    );
    const out = JSON.parse(execFileSync('node', ['main.js'], { cwd: app, encoding: 'utf8' }));
    expect(out).toEqual({ train: 8000, test: 2000, first: 'Ankle boot', parse: 'function' });
    const files = await readdir(join(app, 'node_modules', '@neurona', 'datasets'));
    expect(files.sort()).toEqual(['LICENSE', 'README.md', 'data', 'dist', 'package.json'].sort());
  });
});

if (!built) it.skip('packed-package test skipped: build first (pnpm build)', () => {});
