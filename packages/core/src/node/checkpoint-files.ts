import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError, FileNotFoundError, InvalidOptionError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { HistoryRecord } from '../callbacks/history.js';
import type { TrainingState } from '../checkpoint/training-state.js';

const STATE_JSON = 'state.json';
const TENSORS_BIN = 'tensors.bin';
/** `ckpt-<step>-<epoch>-<batch>`, zero-padded so the newest sorts last. */
const NAME = /^ckpt-(\d{12})-(\d{9})-(\d{9})$/;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A checkpoint found on disk: where it is and the position it holds. */
export interface CheckpointInfo {
  path: string;
  step: number;
  epoch: number;
  batch: number;
}

/** A checkpoint read back: the state (its tensors are the caller's: `dispose()` frees them) and its folder. */
export interface LoadedCheckpoint extends CheckpointInfo {
  state: TrainingState;
  dispose(): void;
}

type StateJson = Omit<TrainingState, 'tensors'> & { weightSpecs: tf.io.WeightsManifestEntry[]; bytes: number };

/**
 * Checkpoint folders in `dir`, oldest first. Only complete ones carry this name (they are renamed
 * in when written).
 */
export async function listCheckpoints(dir: string): Promise<CheckpointInfo[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const found: CheckpointInfo[] = [];
  for (const name of entries) {
    const m = NAME.exec(name);
    if (m) found.push({ path: join(dir, name), step: Number(m[1]), epoch: Number(m[2]), batch: Number(m[3]) });
  }
  return found.sort((a, b) => a.step - b.step || a.epoch - b.epoch || a.batch - b.batch);
}

/** Half-written checkpoints a killed run left in `dir` (hidden `.ckpt-*.tmp-*` folders). */
export async function checkpointLeftovers(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.filter((name) => /^\.ckpt-.*\.tmp-[0-9a-f]+$/.test(name)).map((name) => join(dir, name));
}

/**
 * Writes a training state into `dir` as one new folder (`state.json` + `tensors.bin`),
 * built under a hidden name and renamed into place when complete, then removes older
 * checkpoints beyond `keep` (default 1). A kill at any moment leaves the last complete
 * checkpoint readable. Returns the new folder's path.
 */
export async function saveCheckpoint(dir: string, state: TrainingState, options: { keep?: number } = {}) {
  const keep = options.keep ?? 1;
  if (!Number.isInteger(keep) || keep < 1)
    throw new InvalidOptionError('saveCheckpoint', 'keep', keep, 'an integer >= 1');
  await mkdir(dir, { recursive: true });
  const name = `ckpt-${pad(state.step, 12)}-${pad(state.epoch, 9)}-${pad(state.batch, 9)}`;
  const target = join(dir, name);
  const { data, specs } = await tf.io.encodeWeights(state.tensors);
  const bytes = new Uint8Array(data);
  const { tensors: _tensors, ...rest } = state;
  const json: StateJson = { ...rest, weightSpecs: specs, bytes: bytes.byteLength };
  // JSON has no NaN (a history pads late metrics with it): written as null, read back as NaN.
  const text = JSON.stringify(json, (_key, value) =>
    typeof value === 'number' && !Number.isFinite(value) ? null : value,
  );
  const temporary = join(dir, `.${name}.tmp-${randomBytes(4).toString('hex')}`);
  await mkdir(temporary);
  try {
    await writeFile(join(temporary, TENSORS_BIN), bytes);
    await writeFile(join(temporary, STATE_JSON), text);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    // The same step, epoch and batch saved twice is the same state: the first copy stays.
    if (exists) await rm(temporary, { recursive: true, force: true });
    else await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  const all = await listCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) await rm(old.path, { recursive: true, force: true });
  return target;
}

function historyFromJson(record: HistoryRecord): HistoryRecord {
  const history: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(record.history)) history[key] = values.map((v) => v ?? Number.NaN);
  return { epoch: record.epoch, history };
}

/**
 * Reads the newest checkpoint in `dir`. Every error names the file and what is wrong
 * (no checkpoint; unreadable or malformed state; weights shorter or longer than the state says).
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const info = (await listCheckpoints(dir)).at(-1);
  if (!info)
    throw new FileNotFoundError(
      dir,
      `loadCheckpoint: no checkpoint in ${dir} (a folder named ckpt-<step>-<epoch>-<batch>)`,
    );
  const statePath = join(info.path, STATE_JSON);
  const tensorsPath = join(info.path, TENSORS_BIN);
  let json: StateJson;
  try {
    json = JSON.parse(await readFile(statePath, 'utf8')) as StateJson;
  } catch (error) {
    throw new DataFormatError(statePath, `cannot be read: ${(error as Error).message}`, {}, { cause: error });
  }
  if (json.format !== 'neurona-training-state' || !Array.isArray(json.weightSpecs)) {
    throw new DataFormatError(statePath, 'is not a Neurona training state');
  }
  const data = await readFile(tensorsPath).catch((error: Error) => {
    throw new DataFormatError(tensorsPath, `cannot be read: ${error.message}`, {}, { cause: error });
  });
  if (data.byteLength !== json.bytes) {
    throw new DataFormatError(
      tensorsPath,
      `holds ${data.byteLength} bytes; ${statePath} expects ${json.bytes}: the file is truncated or from another save`,
    );
  }
  const { weightSpecs, bytes: _bytes, ...rest } = json;
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const map = tf.io.decodeWeights(buffer, weightSpecs);
  const tensors = weightSpecs.map((spec) => ({ name: spec.name, tensor: map[spec.name] as tf.Tensor }));
  const state: TrainingState = { ...rest, history: historyFromJson(rest.history), tensors };
  return { ...info, state, dispose: () => tf.dispose(tensors.map((t) => t.tensor)) };
}
