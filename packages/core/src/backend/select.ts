import { isMarked, NeuronaError, UnknownNameError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';

/** One backend that selection may try, fastest first. */
export interface BackendCandidate {
  /** The name a user passes to `useBackend` (`tfjs-node-gpu`, `wasm`, …). */
  name: string;
  /** The name tfjs registers the backend under (`tensorflow`, `wasm`, …). */
  tfName: string;
  /** The npm package that provides it, named in the report when it is missing. */
  packageName?: string;
  /** Imports the package that registers the backend; absent for backends tfjs ships. */
  load?: () => Promise<unknown>;
  /** Why this backend cannot run here, checked before loading (e.g. no `navigator.gpu`). */
  unavailable?: () => string | undefined | Promise<string | undefined>;
  /**
   * Checked after `load`: why the backend should be passed over here (no adapter, a software
   * one). `named` is true when the user asked for this backend by name, which may accept what
   * automatic selection passes over (a software adapter).
   */
  adapterProblem?: (named: boolean) => Promise<string | undefined>;
  /** Runs once the backend is active; returns the names of kernels Neurona added to it. */
  afterSelect?: () => string[];
  /** A line on what was chosen (the GPU adapter), printed in the report. */
  describe?: () => string | undefined;
  /** Wraps the backend's start (`tf.setBackend`), for a setting the backend reads only then. */
  aroundInit?: <T>(init: () => Promise<T>) => Promise<T>;
}

/** What became of a backend candidate: chosen, or why it was passed over. */
export type BackendOutcome = 'chosen' | 'not-installed' | 'failed-to-load' | 'no-adapter' | 'not-tried';

/** One backend tried while choosing: its name, what happened (`outcome`) and why. */
export interface BackendAttempt {
  name: string;
  outcome: BackendOutcome;
  reason?: string;
  /** For the chosen backend: what it runs on (the GPU adapter), where the candidate says. */
  detail?: string;
}

/**
 * No backend could be started (automatic selection), or not the one asked for: `attempts` says
 * what was tried and why each failed.
 */
const BACKEND_UNAVAILABLE_MARKER = Symbol.for('neurona.error.backend-unavailable');

export class BackendUnavailableError extends NeuronaError {
  protected readonly [BACKEND_UNAVAILABLE_MARKER] = true;

  constructor(
    message: string,
    readonly attempts: readonly BackendAttempt[],
  ) {
    super(message);
  }

  static override isInstance(error: unknown): error is BackendUnavailableError {
    return isMarked(error, BACKEND_UNAVAILABLE_MARKER);
  }
}

/** What selection chose and why each faster backend was passed over. */
export interface BackendReport {
  /** The chosen candidate's name (`wasm`, `webgl`, …). */
  backend: string;
  /** The name tfjs knows it by (`tf.getBackend()`). */
  tfBackend: string;
  attempts: BackendAttempt[];
  /** Kernels that Neurona registered for this backend because tfjs lacks them. */
  ownKernels: string[];
}

/** Options of the backend choosers: where the one-line report goes. */
export interface SelectOptions {
  /** Where the one-time report line goes; `false` prints nothing. Default: `console.log`. */
  log?: ((line: string) => void) | false;
}

const printedFor = new Set<string>();

/**
 * Says which shared library a native backend could not load and what provides it, e.g.
 * `libcudart.so.11.0 is missing: @tensorflow/tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1`.
 * Undefined when the error is not a failed dynamic load.
 */
export function describeNativeLoadError(error: unknown, packageName: string | undefined): string | undefined {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  if (e?.code !== 'ERR_DLOPEN_FAILED' && !/cannot open shared object file|Library not loaded|dlopen/i.test(message)) {
    return undefined;
  }
  const library = /([\w.+-]+\.so(?:\.[\d.]+)*|[\w.+-]+\.dylib|[\w.+-]+\.dll)/.exec(message)?.[1] ?? 'a native library';
  const pkg = packageName ?? 'the package';
  if (/^lib(cu|nvinfer)/.test(library)) {
    return `${library} is missing: ${pkg} 4.x needs CUDA 11.2 and cuDNN 8.1 exactly, their libraries on the loader's path (LD_LIBRARY_PATH)`;
  }
  if (/libtensorflow/.test(library)) {
    return `${library} is missing: ${pkg} needs libtensorflow, which its install step downloads; reinstall it where the network is reachable`;
  }
  return `${library} is missing: ${pkg} cannot load its native binding (${firstLine(error)})`;
}

/** Explains a failed import: "not installed" when the package itself cannot be resolved. */
export function describeImportError(error: unknown, packageName: string | undefined): BackendAttempt['outcome'] {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  const notFound =
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'MODULE_NOT_FOUND' ||
    // Vite-based runners (vitest, vite-node) word it their own way.
    /Cannot find (package|module)|Failed to resolve module specifier|Could not resolve .* Is it installed/.test(
      message,
    );
  if (notFound && (!packageName || message.includes(packageName))) return 'not-installed';
  return 'failed-to-load';
}

async function attempt(candidate: BackendCandidate, named = false): Promise<BackendAttempt> {
  const { name } = candidate;
  const unavailable = await candidate.unavailable?.();
  if (unavailable) return { name, outcome: 'no-adapter', reason: unavailable };
  // Always import: two packages (tfjs-node, tfjs-node-gpu) register the same tfjs name,
  // so a registered name does not say which package is present. Imports are cached.
  if (candidate.load) {
    try {
      await candidate.load();
    } catch (error) {
      const outcome = describeImportError(error, candidate.packageName);
      const missing = (error as { missingPackage?: string }).missingPackage ?? candidate.packageName ?? name;
      const reason =
        outcome === 'not-installed'
          ? `not installed (npm install ${missing})`
          : `failed to load: ${describeNativeLoadError(error, candidate.packageName) ?? firstLine(error)}`;
      return { name, outcome, reason };
    }
  }
  const problem = await candidate.adapterProblem?.(named);
  if (problem) return { name, outcome: 'no-adapter', reason: problem };
  if (!tf.findBackendFactory(candidate.tfName)) {
    const how = candidate.packageName ? ` (import '${candidate.packageName}' to register it)` : '';
    return { name, outcome: 'not-installed', reason: `not registered${how}` };
  }
  let ok = false;
  let failure: unknown;
  // tfjs logs its own warning when a backend fails to initialise; keep the report ours.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const start = async () => {
      const started = await tf.setBackend(candidate.tfName);
      if (started) await tf.ready();
      return started;
    };
    ok = await (candidate.aroundInit ? candidate.aroundInit(start) : start());
  } catch (error) {
    failure = error;
    ok = false;
  } finally {
    console.warn = warn;
  }
  if (!ok) {
    const outcome = candidate.tfName === 'webgpu' || candidate.tfName === 'webgl' ? 'no-adapter' : 'failed-to-load';
    const reason = failure
      ? `failed to initialise: ${firstLine(failure)}`
      : outcome === 'no-adapter'
        ? 'no adapter (the browser offers no usable GPU context)'
        : 'failed to initialise';
    return { name, outcome, reason };
  }
  const detail = candidate.describe?.();
  return { name, outcome: 'chosen', ...(detail ? { detail } : {}) };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Renders a report as the lines printed once per process. */
export function formatBackendReport(report: BackendReport): string {
  const passed = report.attempts.filter((a) => a.outcome !== 'chosen' && a.outcome !== 'not-tried');
  const chosen = report.attempts.find((a) => a.outcome === 'chosen');
  const lines = [`neurona: using the ${report.backend} backend${chosen?.detail ? ` (${chosen.detail})` : ''}`];
  for (const a of passed) lines.push(`  passed over ${a.name}: ${a.reason ?? a.outcome}`);
  if (report.ownKernels.length > 0)
    lines.push(`  with Neurona's kernels for ${report.backend}: ${report.ownKernels.join(', ')}`);
  return lines.join('\n');
}

/**
 * Tries `candidates` in order and makes the first one that works the active tfjs
 * backend. Throws, listing every reason, when none works.
 */
export async function selectBackend(candidates: readonly BackendCandidate[], options: SelectOptions = {}) {
  const attempts: BackendAttempt[] = [];
  for (const candidate of candidates) {
    const result = await attempt(candidate);
    attempts.push(result);
    if (result.outcome === 'chosen') {
      for (const rest of candidates.slice(attempts.length)) attempts.push({ name: rest.name, outcome: 'not-tried' });
      const report: BackendReport = {
        backend: candidate.name,
        tfBackend: candidate.tfName,
        attempts,
        ownKernels: candidate.afterSelect?.() ?? [],
      };
      printOnce(report, options);
      return report;
    }
  }
  const reasons = attempts.map((a) => `${a.name}: ${a.reason ?? a.outcome}`).join('; ');
  throw new BackendUnavailableError(`No TensorFlow.js backend could be started (${reasons})`, attempts);
}

function printOnce(report: BackendReport, options: SelectOptions) {
  if (options.log === false) return;
  const text = formatBackendReport(report);
  if (printedFor.has(text)) return;
  printedFor.add(text);
  (options.log ?? console.log)(text);
}

/**
 * Makes the named backend active, or throws why it cannot. An unknown name is an error
 * that lists the valid ones.
 */
export async function selectNamedBackend(
  name: string,
  candidates: readonly BackendCandidate[],
  options: SelectOptions = {},
): Promise<BackendReport> {
  const candidate = candidates.find((c) => c.name === name);
  if (!candidate) {
    throw new UnknownNameError(
      'backend',
      name,
      candidates.map((c) => c.name),
    );
  }
  const result = await attempt(candidate, true);
  if (result.outcome !== 'chosen') {
    throw new BackendUnavailableError(`Backend '${name}' cannot be used: ${result.reason ?? result.outcome}`, [result]);
  }
  const report: BackendReport = {
    backend: candidate.name,
    tfBackend: candidate.tfName,
    attempts: [result],
    ownKernels: candidate.afterSelect?.() ?? [],
  };
  printOnce(report, options);
  return report;
}
