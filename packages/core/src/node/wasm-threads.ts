import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidOptionError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';

/** tfjs's threaded build starts 8 workers for its pool: no more threads than that. */
export const MAX_NODE_WASM_THREADS = 8;

/** How many threads the WASM backend will run on in Node, and why fewer than asked or than the cores. */
export interface NodeWasmThreadPlan {
  count: number;
  /** Why one thread (or fewer than asked): the fall-back taken, in words. */
  reason?: string;
}

/** What the plan is made from: the option, and what the process has. */
export interface NodeWasmThreadFacts {
  asked: number | undefined;
  cores: number;
  sharedArrayBuffer: boolean;
  /** Why tfjs's pthread worker cannot be set up from the installed package, if it cannot. */
  workerProblem?: string | undefined;
}

/**
 * The thread count for `wasmThreads` (1–8; default every logical core): cut to the cores the
 * machine has, and one thread, with the reason, where the threaded build cannot run (no
 * `SharedArrayBuffer`, a tfjs whose worker script is not the one this loader knows).
 */
export function planNodeWasmThreads(facts: NodeWasmThreadFacts): NodeWasmThreadPlan {
  const { asked, cores } = facts;
  checkWasmThreads(asked);
  const available = Math.max(1, Math.min(cores, MAX_NODE_WASM_THREADS));
  const wanted = asked ?? available;
  if (wanted === 1) return { count: 1 };
  if (!facts.sharedArrayBuffer)
    return { count: 1, reason: 'this Node has no SharedArrayBuffer, which the threaded build needs' };
  if (facts.workerProblem) return { count: 1, reason: facts.workerProblem };
  if (wanted > available)
    return { count: available, reason: `asked for ${wanted}; the machine has ${available} logical cores` };
  return { count: wanted };
}

/** Refuses a `wasmThreads` that is not an integer from 1 to 8. */
function checkWasmThreads(asked: number | undefined) {
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1 && asked <= MAX_NODE_WASM_THREADS))
    throw new InvalidOptionError(
      'useBackend',
      'wasmThreads',
      asked,
      `an integer from 1 to ${MAX_NODE_WASM_THREADS} (tfjs's pool)`,
    );
}

/** `NEURONA_WASM_THREADS`, where it is set: an integer from 1 to 8, or an error naming it. */
export function threadsFromEnvironment(): number | undefined {
  const text = process.env.NEURONA_WASM_THREADS;
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 1 && value <= MAX_NODE_WASM_THREADS))
    throw new InvalidOptionError(
      'environment',
      'NEURONA_WASM_THREADS',
      text,
      `an integer from 1 to ${MAX_NODE_WASM_THREADS} (the WASM backend's threads)`,
    );
  return value;
}

/** The line of tfjs's pthread worker that loads the main script from a Blob, which Node cannot read. */
const LOADS_MAIN_SCRIPT =
  'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

/** Files the threaded build needs in Node: tfjs's worker script as a file, and the module it loads. */
interface ThreadFiles {
  worker: string;
}

/**
 * tfjs 4.22 turns WASM threads off under Node (tfjs issue 3830) because its threaded build hands
 * Node's `worker_threads` a `blob:` URL for the pthread worker, and the worker then loads the
 * main script from another Blob; Node can start neither. The package ships both scripts as files,
 * though: the worker's text (`wasm-out/…worker.js` exports it) is written once to a file of our
 * own, under the system's temporary folder, with its Blob import pointed at the package's own
 * `wasm-out/tfjs-backend-wasm-threaded-simd.js`. Nothing in `node_modules` changes. Returns the
 * worker's path, or why it cannot be made (another tfjs version's script).
 */
function threadFiles(): ThreadFiles | string {
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const factory = join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
    const binary = join(root, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
    for (const file of [factory, binary])
      if (!existsSync(file)) return `@tensorflow/tfjs-backend-wasm ${version} has no ${file}`;
    const { wasmWorkerContents } = require(join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
      wasmWorkerContents?: string;
    };
    if (typeof wasmWorkerContents !== 'string' || !wasmWorkerContents.includes(LOADS_MAIN_SCRIPT))
      return `the pthread worker of @tensorflow/tfjs-backend-wasm ${version} is not the one this loader knows (4.22)`;
    // As tfjs does before making its Blob: the exported text holds raw newlines inside string literals.
    const text = wasmWorkerContents
      .replace(/\n/g, '\\n')
      .replace(LOADS_MAIN_SCRIPT, `importScripts(${JSON.stringify(factory)});`);
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const dir = join(os.tmpdir(), 'neurona-wasm-threads');
    const worker = join(dir, `pthread-worker-${version}-${hash}.cjs`);
    if (!existsSync(worker)) {
      mkdirSync(dir, { recursive: true });
      // Written whole, then renamed: another process starting at the same time never reads half a file.
      const partial = `${worker}.${process.pid}.partial`;
      writeFileSync(partial, text);
      renameSync(partial, worker);
    }
    return { worker };
  } catch (error) {
    return `the threaded build's files could not be prepared: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** What of `@tensorflow/tfjs-backend-wasm` the thread setup uses. */
interface WasmModule {
  setThreadsCount?: (threads: number) => void;
  getThreadsCount?: () => number;
}

/** The emscripten module's pthread pool, as the backend exposes it. */
interface PThreads {
  runningWorkers?: { unref?: () => void }[];
}

/**
 * Multi-threaded WASM for Node: plans the thread count, and wraps the backend's start so that
 * tfjs's threaded build runs in `worker_threads`. While it starts (only then), the flag that tfjs
 * hard-codes off in Node is on, `URL.createObjectURL` hands the pthread workers the worker file
 * above instead of a `blob:` URL, and `os.cpus()` counts twice the threads wanted (the build
 * caps its pool at half the logical cores it sees, as in the browser). All three are put back
 * whether it starts or not. Afterwards the pool's workers are unreferenced, so a finished
 * script exits as it would on one thread.
 */
export class NodeWasmThreads {
  private planned: { plan: NodeWasmThreadPlan; files: ThreadFiles | undefined } | undefined;
  private module: WasmModule | undefined;
  /** Why the threaded build was given up for one thread after it failed to start. */
  private fallback: string | undefined;

  /** `asked`: the `wasmThreads` option; checked here, but nothing is written until the backend loads. */
  constructor(private readonly asked: number | undefined) {
    checkWasmThreads(asked);
  }

  /** The thread count and its reason, worked out (and the worker file written) on first use. */
  get plan(): NodeWasmThreadPlan {
    return this.setup().plan;
  }

  private setup() {
    if (this.planned) return this.planned;
    const { asked } = this;
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const wanted = asked ?? Math.min(cores, MAX_NODE_WASM_THREADS);
    const shared = typeof SharedArrayBuffer !== 'undefined';
    const files = Number.isInteger(wanted) && wanted > 1 && shared ? threadFiles() : undefined;
    const plan = planNodeWasmThreads({
      asked,
      cores,
      sharedArrayBuffer: shared,
      workerProblem: typeof files === 'string' ? files : undefined,
    });
    this.planned = { plan, files: typeof files === 'object' ? files : undefined };
    return this.planned;
  }

  /** Called with the imported package, before the backend starts: plans, and tells tfjs the count. */
  prepare(module: unknown) {
    this.module = module as WasmModule;
    this.module.setThreadsCount?.(this.plan.count);
  }

  async around<T>(init: () => Promise<T>): Promise<T> {
    const { plan, files } = this.setup();
    if (plan.count <= 1 || !files) return init();
    const env = tf.env();
    const createObjectURL = URL.createObjectURL;
    const cpus = os.cpus;
    const threads = plan.count;
    env.set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    URL.createObjectURL = (blob: Blob | MediaSource) =>
      (blob as Blob)?.type === 'application/javascript' ? files.worker : createObjectURL(blob);
    os.cpus = () => {
      const own = cpus();
      return Array.from({ length: threads * 2 }, (_, i) => own[i % own.length] as os.CpuInfo);
    };
    let started: T | undefined;
    let failure: unknown;
    try {
      started = await init();
    } catch (error) {
      failure = error;
    } finally {
      URL.createObjectURL = createObjectURL;
      os.cpus = cpus;
    }
    if (failure === undefined && started !== false) {
      const pool = (tf.findBackend('wasm') as { wasm?: { PThread?: PThreads } } | null)?.wasm?.PThread;
      for (const worker of pool?.runningWorkers ?? []) worker.unref?.();
      return started as T;
    }
    // The single-threaded build, as tfjs would have chosen, and the report says why.
    env.set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const why = failure === undefined ? 'it did not initialise' : String((failure as Error).message ?? failure);
    this.fallback = `the threaded build did not start (${why.split('\n')[0]})`;
    this.module?.setThreadsCount?.(1);
    return init();
  }

  /** The thread count the backend got, and why it is one (or fewer than asked) where it is. */
  describe(): string | undefined {
    const threads = this.module?.getThreadsCount?.();
    if (threads === undefined) return undefined;
    const label = `${threads} thread${threads === 1 ? '' : 's'}`;
    const reason = this.fallback ?? this.planned?.plan.reason;
    return reason ? `${label}: ${reason}` : label;
  }
}
