// `pnpm stress:runs`: kills `neurona train` with SIGKILL at random moments — while it starts,
// trains, writes a checkpoint, writes the finished run, and replaces a run with --force — and
// checks after each kill that what is on disk is whole: the visible run loads and matches its
// summary, the last checkpoint loads and matches the run, and an interrupted run resumes to the
// end. Then (--rss) the memory of a 300-epoch dense run and a 30-epoch augmentation run.
// A stress test, not part of `pnpm test`: several minutes on 2 cores.
//
//   node stress-runs.mjs [--kills 50] [--seed 1] [--json FILE] [--rss]
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRng } from '@neurona/core';
import { listCheckpoints, loadCheckpoint, registerFileSystem, useBackend } from '@neurona/core/node';
import { stripesFolder } from '@neurona/tooling/fixtures';
import { loadModel } from '@neurona/zoo/node';
import { Command } from 'commander';

const opts = new Command()
  .option('--kills <n>', 'kills to make', (v) => Number.parseInt(v, 10), 50)
  .option('--seed <n>', 'seed for the kill moments and scenarios', (v) => Number.parseInt(v, 10), 1)
  .option('--json <file>', 'also write the results as JSON')
  .option('--rss', 'also measure RSS over a 300-epoch dense run and a 30-epoch augmentation run')
  .parse()
  .opts();

const cli = fileURLToPath(new URL('../apps/cli/dist/cli.js', import.meta.url));
if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'pnpm build' first`);
const run = promisify(execFile);
const neurona = (...args) =>
  run(process.execPath, [cli, ...args], { maxBuffer: 1 << 26 }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

await useBackend('cpu', { log: false });
registerFileSystem();
const rng = createRng(opts.seed);
const root = await mkdtemp(join(tmpdir(), 'neurona-stress-'));
const epochs = '8';
const train = (out, ...more) => [
  'train',
  'ch05-dense',
  '--epochs',
  epochs,
  '--checkpoint-every',
  '1',
  '--backend',
  'wasm',
  '--out',
  out,
  ...more,
];

/** Starts `neurona ...args`, kills it with SIGKILL after `ms`, and resolves when it is gone. */
function killAfter(args, ms) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : `ended by itself (${code})`);
    });
  });
}

/** A complete run: model loads, summary and history agree, the last checkpoint holds the same history. */
async function checkComplete(dir) {
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
  const history = JSON.parse(await readFile(join(dir, 'history.json'), 'utf8'));
  const model = await loadModel(dir);
  model.dispose();
  if (history.epoch.length !== summary.epochsRun) {
    throw new Error(`history.json has ${history.epoch.length} epochs, summary.json says ${summary.epochsRun}`);
  }
  const checkpoint = await loadCheckpoint(join(dir, 'checkpoints'));
  try {
    if (checkpoint.epoch !== summary.epochsRun) {
      throw new Error(`last checkpoint is at epoch ${checkpoint.epoch}, summary.json says ${summary.epochsRun}`);
    }
    if (JSON.stringify(checkpoint.state.history.history.loss) !== JSON.stringify(history.history.loss)) {
      throw new Error('the last checkpoint and history.json disagree');
    }
  } finally {
    checkpoint.dispose();
  }
}

/** Whatever a kill left at `out`: complete (check it) or interrupted (its checkpoint loads; resume it to the end). */
async function checkAfterKill(out) {
  const notes = [];
  if (existsSync(join(out, 'summary.json'))) {
    await checkComplete(out);
    notes.push('complete');
  } else if (existsSync(join(out, 'run.json'))) {
    const found = await listCheckpoints(join(out, 'checkpoints'));
    if (found.length > 0) {
      const c = await loadCheckpoint(join(out, 'checkpoints'));
      c.dispose();
      notes.push(`interrupted at epoch ${c.epoch}`);
    } else notes.push('interrupted before its first checkpoint');
    const resumed = await neurona('train', '--resume', out, '--backend', 'wasm');
    if (resumed.code !== 0) throw new Error(`--resume failed: ${resumed.stderr.trim()}`);
    await checkComplete(out);
    notes.push('resumed to the end');
  } else if (!existsSync(out) || (await readdir(out)).length === 0) {
    notes.push('killed before run.json');
  } else {
    throw new Error(`${out} holds ${(await readdir(out)).join(', ')}: neither a run nor empty`);
  }
  return notes.join(', ');
}

// One complete run to replace with --force, and its weights to compare with after a kill.
const base = join(root, 'base');
const startedBase = performance.now();
const made = await neurona(...train(base));
if (made.code !== 0) throw new Error(made.stderr);
// How long a whole run takes here: kill moments are drawn over it, so every phase is hit.
const runMs = performance.now() - startedBase;
console.log(
  `a whole ${epochs}-epoch run takes ${(runMs / 1000).toFixed(1)} s here; kills fall from start-up to just past its end`,
);
const baseWeights = await readFile(join(base, 'weights.bin'));

const results = [];
for (let i = 0; i < opts.kills; i++) {
  const scenario = ['fresh', 'force', 'resume'][rng.int(3)];
  // Anywhere from start-up to just past the end; a third of the --force kills in the last
  // 15% (final writes and the swap of the two folders).
  const late = scenario === 'force' && rng.next() < 1 / 3;
  const ms = Math.round(runMs * (late ? 0.85 + 0.2 * rng.next() : 0.05 + rng.next()));
  const out = join(root, `run-${i}`);
  let outcome;
  let error;
  try {
    if (scenario === 'fresh') {
      outcome = await killAfter(train(out), ms);
      outcome += `; ${await checkAfterKill(out)}`;
    } else if (scenario === 'force') {
      await run('cp', ['-r', base, out]);
      outcome = await killAfter(train(out, '--force', '--seed', '7'), ms);
      // The next command at this place tidies up (and finishes a swap stopped between its renames).
      const cleaned = await neurona('runs', 'clean', '--dir', root, '--include-resumable');
      if (cleaned.code !== 0) throw new Error(`runs clean failed: ${cleaned.stderr}`);
      // What the kill interrupted, as the clean-up found it.
      if (/finished an interrupted --force replacement/.test(cleaned.stdout)) outcome += '; between the two renames';
      else if (/moved in a complete --force run/.test(cleaned.stdout))
        outcome += '; after the new run was complete, before the swap';
      else if (/removed .*partial/.test(cleaned.stdout)) outcome += '; while the new run trained';
      await checkComplete(out);
      const weights = await readFile(join(out, 'weights.bin'));
      const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
      const isOld = Buffer.compare(weights, baseWeights) === 0 && summary.settings.seed !== 7;
      const isNew = summary.settings.seed === 7;
      if (!isOld && !isNew) throw new Error('the visible run is neither the old one nor the new one');
      outcome += `; visible run: ${isOld ? 'the old one, whole' : 'the new one, complete'}`;
    } else {
      // Interrupt once, then kill the resume at a random moment.
      await killAfter(train(out), Math.round(runMs * (0.3 + 0.4 * rng.next())));
      if (!existsSync(join(out, 'run.json')) || existsSync(join(out, 'summary.json'))) {
        outcome = 'first kill missed the training; skipped the resume kill';
        outcome += `; ${await checkAfterKill(out)}`;
      } else {
        outcome = `resume ${await killAfter(['train', '--resume', out, '--backend', 'wasm'], ms)}`;
        outcome += `; ${await checkAfterKill(out)}`;
      }
    }
    const hidden = (await readdir(root)).filter((n) => n.startsWith(`.run-${i}.`));
    if (hidden.length > 0 && scenario !== 'force') throw new Error(`left hidden: ${hidden.join(', ')}`);
  } catch (e) {
    error = e.message;
  }
  results.push({ i, scenario, killAfterMs: ms, ok: !error, outcome, ...(error ? { error } : {}) });
  console.log(
    `${String(i + 1).padStart(3)} ${scenario.padEnd(7)} kill at ${String(ms).padStart(5)} ms: ${error ? `FAIL ${error}` : outcome}`,
  );
  await rm(out, { recursive: true, force: true });
}
const failures = results.filter((r) => !r.ok);
console.log(`\n| scenario | kills | failures |\n| --- | --- | --- |`);
for (const s of ['fresh', 'force', 'resume']) {
  const these = results.filter((r) => r.scenario === s);
  console.log(`| ${s} | ${these.length} | ${these.filter((r) => !r.ok).length} |`);
}
console.log(`| all | ${results.length} | ${failures.length} |`);

/** Runs `neurona ...args` and samples its RSS (VmRSS) at every epoch line it prints. */
function rssPerEpoch(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const samples = [];
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', async (chunk) => {
      for (const m of String(chunk).matchAll(/^Epoch (\d+)\//gm)) {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
        samples.push({ epoch: Number(m[1]), rssMiB: kb / 1024 });
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve(samples) : reject(new Error(err))));
  });
}

let rss;
if (opts.rss) {
  const photos = await stripesFolder(join(root, 'photos'), { train: 40, validation: 10, test: 10 });
  rss = {};
  for (const [name, args] of [
    ['ch05-dense, 300 epochs', ['train', 'ch05-dense', '--epochs', '300', '--out', join(root, 'rss-dense')]],
    [
      'ch11-augmentation, 30 epochs',
      ['train', 'ch11-augmentation', '--quick', '--epochs', '30', '--data-dir', photos, '--out', join(root, 'rss-aug')],
    ],
  ]) {
    const samples = await rssPerEpoch(args);
    const at = (k) => samples.find((s) => s.epoch === k)?.rssMiB;
    const first = at(Math.min(10, samples.length));
    const last = samples.at(-1)?.rssMiB;
    const max = Math.max(...samples.map((s) => s.rssMiB));
    rss[name] = { epochs: samples.length, atEpoch10MiB: first, atEndMiB: last, maxMiB: max };
    console.log(
      `RSS ${name}: ${first?.toFixed(0)} MiB at epoch ${Math.min(10, samples.length)}, ${last?.toFixed(0)} MiB at epoch ${samples.length}, max ${max.toFixed(0)} MiB`,
    );
  }
}
if (opts.json)
  await writeFile(opts.json, `${JSON.stringify({ kills: results, failures: failures.length, rss }, null, 2)}\n`);
await rm(root, { recursive: true, force: true });
process.exitCode = failures.length === 0 ? 0 : 1;
