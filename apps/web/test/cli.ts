// The `neurona` CLI as the web tests run it, to check that what a page exports the CLI loads.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const cli = fileURLToPath(new URL('../../cli/dist/cli.js', import.meta.url));
const run = promisify(execFile);

/** The CLI as a user runs it; never throws on a non-zero exit. */
export async function neurona(...args: string[]) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'pnpm build' before these tests`);
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
