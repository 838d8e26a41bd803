import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listCheckpoints } from '@neurona/core/node';
import {
  CHECKPOINTS,
  cleanLeftovers,
  parseLeftover,
  readCompleteRun,
  readRunJson,
  runFigure,
  runStatus,
  textFigure,
} from './run-folder.js';

const visible = async (dir: string) =>
  (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter(
    (e) => e.isDirectory() && !e.name.startsWith('.'),
  );

const hiddenLeftovers = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).flatMap((n) => parseLeftover(n) ?? []);

/** `neurona runs list [--dir runs]`: every run folder, complete or interrupted, with its figure. */
export async function runsList(options: { dir: string }, log = console.log) {
  const folders = await visible(options.dir);
  if (folders.length === 0) log(`no runs in ${options.dir}`);
  for (const entry of folders.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(options.dir, entry.name);
    const status = await runStatus(path);
    if (status.kind === 'complete') {
      const { summary } = await readCompleteRun(path).catch(() => ({ summary: undefined }));
      const figure = summary ? runFigure(summary) : 'no test figure';
      log(
        `${entry.name.padEnd(40)} complete     ${summary?.recipe ?? '?'}, ${figure}, ${summary?.epochsRun ?? '?'} epochs`,
      );
    } else if (status.kind === 'interrupted') {
      log(
        `${entry.name.padEnd(40)} interrupted  at epoch ${status.epoch}${status.batch ? `, batch ${status.batch}` : ''}${status.epochs ? ` of ${status.epochs}` : ''}: neurona train --resume ${path}`,
      );
    } else {
      log(`${entry.name.padEnd(40)} not a run`);
    }
  }
  const left = await hiddenLeftovers(options.dir);
  if (left.length > 0)
    log(`${left.length} hidden leftover${left.length === 1 ? '' : 's'} of killed runs: neurona runs clean`);
}

/** `neurona runs show RUN_DIR`: the summary's main figures, the status and the last checkpoint. */
export async function runsShow(dir: string, log = console.log) {
  const status = await runStatus(dir);
  if (status.kind === 'absent') throw new Error(`${dir}: no such run folder`);
  const last = (await listCheckpoints(join(dir, CHECKPOINTS))).at(-1);
  if (status.kind === 'complete') {
    const { summary } = await readCompleteRun(dir);
    const s = summary.settings;
    log(`${dir}: complete run of ${summary.recipe} (${summary.createdAt ?? 'date unknown'})`);
    if (summary.kind === 'text') {
      const t = s as unknown as Record<string, number | string>;
      log(
        `  settings: ${String(t.cell).toUpperCase()} ${t.units} × ${t.layers}, Adam lr ${s.learningRate}, ${s.epochs} epochs, batch ${s.batchSize}, windows of ${t.sequenceLength}, seed ${s.seed}`,
      );
      log(
        `  data: ${summary.data.name}, ${summary.data.train} characters to train on / ${summary.data.validation} held out`,
      );
      log(`  ${textFigure(summary)}`);
    } else if (summary.kind === 'gan') {
      const g = s as unknown as Record<string, number>;
      log(
        `  settings: Adam lr ${s.learningRate} β1 ${g.beta1}, ${s.epochs} epochs, batch ${s.batchSize}, latent ${g.latentDim}, seed ${s.seed}`,
      );
      log(
        `  data: ${summary.data.name}, ${summary.data.train} training images, scores from ${(summary.data as { scored?: number }).scored} images`,
      );
      log(`  ${runFigure(summary)}`);
    } else {
      log(`  settings: ${s.optimizer} lr ${s.learningRate}, ${s.epochs} epochs, batch ${s.batchSize}, seed ${s.seed}`);
      log(
        `  data: ${summary.data.name}, ${summary.data.train} train / ${summary.data.validation} validation / ${summary.data.test} test`,
      );
    }
    if (summary.testAccuracy !== undefined) log(`  test accuracy: ${summary.testAccuracy.toFixed(4)}`);
    if (summary.testMae !== undefined) log(`  test MAE: ${summary.testMae.toFixed(3)}`);
    log(`  backend: ${summary.backend ?? '?'}, epochs run: ${summary.epochsRun ?? '?'}`);
  } else if (status.kind === 'interrupted') {
    const run = (await readRunJson(dir)) as { request?: { recipe?: string } };
    log(
      `${dir}: interrupted run of ${run.request?.recipe ?? '?'}, at epoch ${status.epoch}${status.batch ? `, batch ${status.batch}` : ''}${status.epochs ? ` of ${status.epochs}` : ''}`,
    );
    log(`  resume: neurona train --resume ${dir}`);
  } else {
    throw new Error(`${dir} is not a run folder (no run.json or summary.json)`);
  }
  log(
    last
      ? `  last checkpoint: ${last.path} (epoch ${last.epoch}, batch ${last.batch}, step ${last.step})`
      : '  no checkpoint',
  );
  const files = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  log(`  files: ${files.join(', ')}`);
}

/**
 * `neurona runs clean [--dir runs]`: removes what killed runs left (hidden partial, previous and
 * temporary entries) and says what it removed; runs that can be resumed stay unless
 * `includeResumable`.
 */
export async function runsClean(options: { dir: string; includeResumable?: boolean }, log = console.log) {
  const names = new Set((await visible(options.dir)).map((e) => e.name));
  for (const leftover of await hiddenLeftovers(options.dir)) names.add(leftover.run);
  let notes = 0;
  for (const name of [...names].sort()) {
    for (const note of await cleanLeftovers(join(options.dir, name), {
      removeResumable: Boolean(options.includeResumable),
    })) {
      log(note);
      notes += 1;
    }
  }
  if (notes === 0) log(`nothing to clean in ${options.dir}`);
}
