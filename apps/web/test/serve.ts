// Global setup of the web app's tests: the app is built once, into dist/ (as `pnpm build` does), and
// served with `vite preview` (its COOP/COEP headers included) for every test file. Each file used
// to build its own copy: three builds of a minute each on two cores.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveChromium } from '@neurona/tooling/chromium';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built app's address, ending in '/'; '' where Chromium is missing (the tests skip). */
    webUrl: string;
    /** The folder it was built into. */
    webDist: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function serve(project: TestProject) {
  const dist = fileURLToPath(new URL('../dist', import.meta.url));
  project.provide('webDist', dist);
  if (!haveChromium) {
    project.provide('webUrl', '');
    return;
  }
  // CI's runner (scripts/run-tests.mjs) runs after `turbo run build`, which built this same app into
  // dist/ with this config: it says so, and the two-minute build is not done twice.
  if (process.env.NEURONA_WEB_BUILT === '1' && existsSync(join(dist, 'index.html'))) {
    console.log(`web tests: serving the app turbo built in ${dist}`);
  } else await build({ root, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir: dist },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  project.provide('webUrl', server.resolvedUrls?.local[0] as string);
  return () => new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}
