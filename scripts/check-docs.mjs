#!/usr/bin/env node
// The API reference's check: TypeDoc reads every library's entry points (typedoc.json), and every
// exported function, class, interface, type and constant must have a doc comment; the main calls
// of each package (MAIN below) must also show an @example. `pnpm docs` writes the reference
// (docs/api/, one page per package); this script fails, naming each export, when one has none.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Application, ReflectionKind } from 'typedoc';

const root = resolve(import.meta.dirname, '..');
/** The calls a user starts from: each needs an @example. */
const MAIN = {
  '@neurona/errors': ['NeuronaError', 'InvalidOptionError'],
  '@neurona/core': ['fit', 'useBestBackend', 'createRng'],
  '@neurona/datasets': ['loadFashionMnistSample', 'parseIdx'],
  '@neurona/preprocessing': ['trainValidationTestSplit', 'StandardScaler'],
  '@neurona/augmentation': ['augmentImages'],
  '@neurona/zoo': ['summary', 'fashionCnn'],
  '@neurona/viz': ['historyChartSpec', 'renderPng'],
  '@neurona/text-rnn': ['trainLanguageModel', 'CharGenerator'],
  '@neurona/gan': ['trainGan', 'SampleScorer'],
  '@neurona/recipes': ['runRecipe'],
};
const checked = [
  ReflectionKind.Function,
  ReflectionKind.Class,
  ReflectionKind.Interface,
  ReflectionKind.TypeAlias,
  ReflectionKind.Variable,
  ReflectionKind.Enum,
];

const out = mkdtempSync(join(tmpdir(), 'neurona-api-'));
const json = join(out, 'api.json');
const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json'), json, logLevel: 'Error' });
const project = await app.convert();
if (!project) throw new Error('TypeDoc could not read the packages (see its errors above)');
await app.generateJson(project, json);
const api = JSON.parse(readFileSync(json, 'utf8'));
rmSync(out, { recursive: true, force: true });

const hasComment = (r) => Boolean(r.comment?.summary?.some((p) => p.text.trim()) || r.signatures?.some(hasComment));
const hasExample = (r) =>
  Boolean(r.comment?.blockTags?.some((t) => t.tag === '@example') || r.signatures?.some(hasExample));

const missing = [];
const noExample = [];
let count = 0;
for (const pkg of api.children) {
  // One entry point: the declarations sit on the package; several: on one module per entry.
  const modules = pkg.children?.every((c) => c.kind === ReflectionKind.Module) ? pkg.children : [pkg];
  const seen = new Map();
  for (const mod of modules) {
    for (const r of mod.children ?? []) {
      if (!checked.includes(r.kind)) continue;
      count += 1;
      seen.set(r.name, r);
      if (!hasComment(r))
        missing.push(`${pkg.name}${mod === pkg ? '' : `/${mod.name}`}: ${r.name} (${ReflectionKind[r.kind]})`);
    }
  }
  for (const name of MAIN[pkg.name] ?? []) {
    const r = seen.get(name);
    if (!r) noExample.push(`${pkg.name}: ${name} is not exported (scripts/check-docs.mjs names it as a main call)`);
    else if (!hasExample(r)) noExample.push(`${pkg.name}: ${name} has no @example`);
  }
}
console.log(`API reference: ${count} exports in ${api.children.length} packages`);
for (const m of missing) console.log(`  no doc comment: ${m}`);
for (const m of noExample) console.log(`  ${m}`);
if (missing.length || noExample.length) {
  console.log(`${missing.length} exports without a doc comment, ${noExample.length} main calls without an example`);
  process.exit(1);
}
console.log('every export has a doc comment; every main call an @example');
