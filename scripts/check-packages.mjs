#!/usr/bin/env node
// Checks the published shape of every library with publint (exports, files, types).
// Run after `pnpm build`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

let problems = 0;
for (const dir of readdirSync('packages').map((d) => join('packages', d))) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const { messages } = await publint({ pkgDir: resolve(dir), level: 'warning', strict: true });
  for (const m of messages) {
    problems += 1;
    console.log(`${pkg.name}: ${formatMessage(m, pkg) ?? m.code}`);
  }
  if (messages.length === 0) console.log(`${pkg.name}: ok`);
}
process.exit(problems ? 1 : 0);
