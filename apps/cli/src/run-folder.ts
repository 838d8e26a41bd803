// The life of a run folder: checked and created before training, written while training
// (run.json first, checkpoints/ every epoch), completed by summary.json, written last. A
// `--force` run trains in a hidden sibling and replaces the old run only once complete.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkpointLeftovers, listCheckpoints } from '@neurona/core/node';

export const RUN_JSON = 'run.json';
export const SUMMARY_JSON = 'summary.json';
export const CHECKPOINTS = 'checkpoints';

/** What a folder holds: nothing, a complete run, a run stopped before its end, or something else. */
export type RunStatus =
  | { kind: 'absent' | 'empty' | 'complete' | 'other' | 'file' }
  | { kind: 'interrupted'; epoch: number; batch: number; epochs: number | undefined };

export async function runStatus(dir: string): Promise<RunStatus> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return { kind: 'absent' };
  if (!info.isDirectory()) return { kind: 'file' };
  const entries = await readdir(dir);
  if (entries.length === 0) return { kind: 'empty' };
  if (entries.includes(SUMMARY_JSON)) return { kind: 'complete' };
  if (!entries.includes(RUN_JSON)) return { kind: 'other' };
  const last = (await listCheckpoints(join(dir, CHECKPOINTS))).at(-1);
  const run = await readRunJson(dir).catch(() => undefined);
  return {
    kind: 'interrupted',
    epoch: last?.epoch ?? 0,
    batch: last?.batch ?? 0,
    epochs: (run?.settings as { epochs?: number } | undefined)?.epochs,
  };
}

/** `run.json`: what was asked for, so `--resume` can go on with exactly the same run. */
export async function readRunJson(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, RUN_JSON);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'ENOENT'
        ? `${dir} is not a run folder: it has no ${RUN_JSON} (a folder written by neurona train)`
        : `cannot read ${path}: ${error.message}`,
    );
  });
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

const describeStatus = (s: RunStatus) =>
  s.kind === 'interrupted'
    ? `an interrupted run (stopped at epoch ${s.epoch}${s.batch ? `, batch ${s.batch}` : ''}${s.epochs ? ` of ${s.epochs}` : ''})`
    : s.kind === 'complete'
      ? 'a complete run'
      : 'files';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** A hidden leftover's name, `.NAME.partial-H` or `.NAME.previous-H`: the run it belongs to, its kind and tag. */
export function parseLeftover(name: string): { run: string; kind: 'partial' | 'previous'; hex: string } | undefined {
  const m = /^\.(.+)\.(partial|previous)-([0-9a-f]+)$/.exec(name);
  return m ? { run: m[1] as string, kind: m[2] as 'partial' | 'previous', hex: m[3] as string } : undefined;
}

/** Hidden siblings of a run folder (`.NAME.partial-H`, `.NAME.previous-H`), by tag. */
async function siblings(target: string) {
  const parent = dirname(target);
  const partial = new Map<string, string>();
  const previous = new Map<string, string>();
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const leftover = parseLeftover(name);
    if (leftover?.run !== basename(target)) continue;
    (leftover.kind === 'partial' ? partial : previous).set(leftover.hex, join(parent, name));
  }
  return { partial, previous };
}

/**
 * Tidies what killed runs left at `target`, and says what it did, one line each: finishes
 * a `--force` replacement stopped between its two renames (the complete new run goes in),
 * removes half-written checkpoints and files, and removes hidden partial runs — except
 * resumable ones (with a checkpoint) unless `removeResumable`, which are reported with the
 * command that resumes them.
 */
export async function cleanLeftovers(target: string, options: { removeResumable?: boolean } = {}): Promise<string[]> {
  const notes: string[] = [];
  const { partial, previous } = await siblings(target);
  for (const [hex, old] of previous) {
    const fresh = partial.get(hex);
    if (!(await exists(target))) {
      if (fresh && (await runStatus(fresh)).kind === 'complete') {
        await rename(fresh, target);
        partial.delete(hex);
        notes.push(`finished an interrupted --force replacement: the new run is now ${target}`);
      } else {
        await rename(old, target);
        notes.push(`put back the run an interrupted --force had moved aside (${old})`);
        continue;
      }
    }
    await rm(old, { recursive: true, force: true });
    notes.push(`removed ${old} (the run a finished --force replaced)`);
  }
  for (const [hex, path] of partial) {
    const status = await runStatus(path);
    if (status.kind === 'complete') {
      // Killed after writing everything but before moving in: it is the run that was asked for.
      const aside = join(dirname(target), `.${basename(target)}.previous-${hex}`);
      if (await exists(target)) await rename(target, aside);
      await rename(path, target);
      await rm(aside, { recursive: true, force: true });
      notes.push(`moved in a complete --force run that was killed just before replacing ${target}`);
    } else if (status.kind === 'interrupted' && (await listCheckpoints(join(path, CHECKPOINTS))).length > 0) {
      if (options.removeResumable) {
        await rm(path, { recursive: true, force: true });
        notes.push(`removed ${path}, ${describeStatus(status)}`);
      } else {
        notes.push(`kept ${path}, ${describeStatus(status)}: neurona train --resume ${path}`);
      }
    } else {
      await rm(path, { recursive: true, force: true });
      notes.push(`removed ${path} (a run killed before its first checkpoint)`);
    }
  }
  for (const dir of [target, join(target, CHECKPOINTS)]) {
    const temporaries = (await readdir(dir).catch(() => [] as string[]))
      // writeFileAtomic's temporaries, and checkWritable's probe.
      .filter((n) => /^\..*\.[0-9a-f]{12}\.tmp$/.test(n) || /^\.write-probe-[0-9a-f]+$/.test(n))
      .map((n) => join(dir, n));
    for (const path of [...temporaries, ...(await checkpointLeftovers(dir))]) {
      await rm(path, { recursive: true, force: true });
      notes.push(`removed ${path} (half-written by a killed run)`);
    }
  }
  return notes;
}

/** Where a run is written: `stage` while training, moved to `target` when complete. */
export interface RunPlace {
  target: string;
  stage: string;
}

function fsReason(error: NodeJS.ErrnoException) {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file stands where a folder is needed';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return error.message;
  }
}

/**
 * Checks `--out` and creates the folder training writes into, before any data is read:
 * refuses a file, a run (unless `force`) and an interrupted run (which `--resume` continues),
 * and proves the place writable by writing to it. With `force`, the new run is staged in a
 * hidden sibling so the old one stays until the new one is complete.
 */
export async function openRunFolder(out: string, force: boolean, log: (line: string) => void): Promise<RunPlace> {
  const target = resolve(out);
  const fail = (what: string, error: NodeJS.ErrnoException): never => {
    throw new Error(`--out ${out}: cannot ${what}: ${fsReason(error)}; choose another --out`);
  };
  await mkdir(dirname(target), { recursive: true }).catch((e) => fail(`create the folder ${dirname(target)}`, e));
  for (const note of await cleanLeftovers(target, { removeResumable: force })) log(note);
  const status = await runStatus(target);
  if (status.kind === 'file') throw new Error(`--out ${out} is a file, not a folder; choose another --out`);
  if (status.kind === 'interrupted' && !force) {
    throw new Error(
      `--out ${out} holds ${describeStatus(status)}; continue it with: neurona train --resume ${out} (or pass --force to replace it)`,
    );
  }
  if ((status.kind === 'complete' || status.kind === 'other') && !force) {
    const entries = await readdir(target);
    throw new Error(
      `--out ${out} already holds ${status.kind === 'complete' ? 'a run' : 'files'} (${entries.slice(0, 4).join(', ')}${entries.length > 4 ? ', …' : ''}); pass --force to replace it, or choose another --out`,
    );
  }
  const hex = randomBytes(4).toString('hex');
  const stage =
    status.kind === 'absent' || status.kind === 'empty'
      ? target
      : join(dirname(target), `.${basename(target)}.partial-${hex}`);
  await mkdir(stage, { recursive: true }).catch((e) => fail(`create ${stage}`, e));
  await checkWritable(stage).catch(async (e) => {
    if (stage !== target || status.kind === 'absent') await rm(stage, { recursive: true, force: true });
    fail(`write into ${stage}`, e);
  });
  return { target, stage };
}

/** Writes and removes a small file: the folder takes files now, not only after hours of training. */
export async function checkWritable(dir: string) {
  const probe = join(dir, `.write-probe-${randomBytes(4).toString('hex')}`);
  await writeFile(probe, 'neurona');
  await rm(probe, { force: true });
}

/** Moves a complete staged run into place; the old run is removed only after the new one is in. */
export async function finishRunFolder(place: RunPlace) {
  if (place.stage === place.target) return;
  const hex = /partial-([0-9a-f]+)$/.exec(place.stage)?.[1] ?? randomBytes(4).toString('hex');
  const aside = join(dirname(place.target), `.${basename(place.target)}.previous-${hex}`);
  const replacing = await exists(place.target);
  if (replacing) await rename(place.target, aside);
  await rename(place.stage, place.target);
  if (replacing) await rm(aside, { recursive: true, force: true });
}

/** What `summary.json` of a complete run holds that evaluate, predict and `runs` read. */
export interface RunSummary {
  recipe: string;
  settings: {
    epochs: number;
    batchSize: number;
    seed: number;
    learningRate: number;
    optimizer: string;
    validationFraction: number;
  };
  settingsFrom?: string;
  backend?: string;
  data: { name: string; train: number; validation: number; test: number };
  classNames?: string[];
  pretrained?: string;
  epochsRun?: number;
  testAccuracy?: number;
  testMae?: number;
  preprocessing?: Record<string, unknown>;
  createdAt?: string;
  /** `'text'` for a chapter-13 run, whose figure is the validation loss (nats per character); `'gan'` for chapter 14's, scored by sample quality. */
  kind?: 'text' | 'gan';
  validationLoss?: number;
  belowUnigram?: number;
  final?: { frechetDistance: number; classifierScore: number; classSpread: number };
  distanceRatio?: number;
}

/** A chapter-14 run's main figure, in words. */
export function ganFigure(summary: RunSummary): string {
  const final = summary.final;
  if (!final) return 'no sample scores';
  return `Fréchet distance ${final.frechetDistance.toFixed(2)} (${(100 * (summary.distanceRatio ?? Number.NaN)).toFixed(1)}% of the untrained generator's), class spread ${final.classSpread.toFixed(2)} nats`;
}

/** A run's main figure, in words, whatever its kind. */
export function runFigure(summary: RunSummary): string {
  if (summary.kind === 'text') return textFigure(summary);
  if (summary.kind === 'gan') return ganFigure(summary);
  if (summary.testAccuracy !== undefined) return `test accuracy ${summary.testAccuracy.toFixed(4)}`;
  if (summary.testMae !== undefined) return `test MAE ${summary.testMae.toFixed(3)}`;
  return 'no test figure';
}

/** A chapter-13 run's main figure, in words. */
export function textFigure(summary: RunSummary): string {
  const below = summary.belowUnigram ?? Number.NaN;
  return `validation loss ${(summary.validationLoss ?? Number.NaN).toFixed(4)} nats/char, ${(100 * Math.abs(below)).toFixed(1)}% ${below >= 0 ? 'below' : 'above'} the unigram entropy`;
}

/** Refuses a chapter-13 or -14 run where a command needs an image or table classifier (evaluate, predict). */
export function refuseGenerativeRun(dir: string, summary: RunSummary, command: string) {
  if (summary.kind === 'text' || summary.kind === 'gan') {
    const what = summary.kind === 'text' ? 'a character model' : 'a GAN';
    const writes = summary.kind === 'text' ? 'neurona generate text' : 'neurona generate images';
    throw new Error(
      `${dir} is a run of '${summary.recipe}', ${what}: ${command} is for the image and table recipes; its figure is in summary.json (${runFigure(summary)}), and it writes with: ${writes} --model ${dir}`,
    );
  }
}

/** Reads a complete run's summary (and run.json where the run has one), or says why the folder is not one. */
export async function readCompleteRun(dir: string): Promise<{ summary: RunSummary; run?: Record<string, unknown> }> {
  const status = await runStatus(dir);
  if (status.kind === 'absent') throw new Error(`${dir}: no such run folder`);
  if (status.kind === 'interrupted') {
    throw new Error(`${dir} holds ${describeStatus(status)}, not a trained model yet: neurona train --resume ${dir}`);
  }
  if (status.kind !== 'complete') throw new Error(`${dir} is not a run folder: it has no ${SUMMARY_JSON}`);
  const path = join(dir, SUMMARY_JSON);
  let summary: RunSummary;
  try {
    summary = JSON.parse(await readFile(path, 'utf8')) as RunSummary;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof summary.recipe !== 'string' || !summary.settings || !summary.data) {
    throw new Error(`${path} is not a neurona run summary (no recipe, settings or data)`);
  }
  const run = await readRunJson(dir).catch(() => undefined);
  return { summary, ...(run ? { run } : {}) };
}
