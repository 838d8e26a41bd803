import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built CLI the tests run, as a user would after `pnpm build`. */
export const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `neurona ...args` in a child process with extra environment variables; never throws on a non-zero exit. */
export async function neuronaWithEnv(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'pnpm build' before these tests`);
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs `neurona ...args` in a child process; never throws on a non-zero exit. */
export const neurona = (...args: string[]): Promise<CliResult> => neuronaWithEnv({}, ...args);

/** A running `neurona` the test talks to: its output so far, a wait for a line, and its exit. */
export interface RunningNeurona {
  child: import('node:child_process').ChildProcess;
  output(): string;
  /** Resolves once stdout or stderr has matched `pattern`; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<CliResult>;
}

/** Starts `neurona ...args` without waiting for it (for signals and kills mid-run). */
export function startNeurona(...args: string[]): RunningNeurona {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'pnpm build' before these tests`);
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const l of listeners) l();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    output: () => stdout + stderr,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            listeners.delete(check);
            resolve();
          } else if (done || child.exitCode !== null) {
            listeners.delete(check);
            reject(new Error(`neurona ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}
