import { execFile } from 'node:child_process';
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
