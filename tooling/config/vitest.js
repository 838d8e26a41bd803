// Shared vitest preset. Tests resolve the workspace packages to their TypeScript
// sources, so a test run needs no build first; the published shape (dist, exports)
// is checked separately by scripts/check-install.mjs.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Every library under packages/ (a new package needs no entry here).
const packages = readdirSync(`${root}packages`).filter((name) => existsSync(`${root}packages/${name}/src/index.ts`));

export const workspaceAliases = packages.flatMap((name) => [
  { find: `@neurona/${name}/node`, replacement: `${root}packages/${name}/src/node.ts` },
  { find: `@neurona/${name}/image-folder`, replacement: `${root}packages/${name}/src/node/image-folder.ts` },
  { find: new RegExp(`^@neurona/${name}$`), replacement: `${root}packages/${name}/src/index.ts` },
]);

/** @param {{ name: string, testTimeout?: number, include?: string[], globalSetup?: string }} options */
export function neuronaVitest({ name, testTimeout = 60_000, include, globalSetup }) {
  return defineProject({
    resolve: { alias: workspaceAliases },
    test: {
      name,
      testTimeout,
      hookTimeout: testTimeout,
      environment: 'node',
      ...(include ? { include } : {}),
      ...(globalSetup ? { globalSetup } : {}),
    },
  });
}
