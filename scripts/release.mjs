#!/usr/bin/env node
// The release, with pnpm's own release management (pnpm change / pnpm version -r; no second tool):
//   pnpm release            applies the pending change intents (versions, .changeset/ledger.yaml,
//                           .changeset/changelogs/), writes each package's CHANGELOG.md from them,
//                           builds, runs the package checks, then publishes every public package.
//   pnpm release --dry-run  the same on a copy of the workspace, publish replaced by pack: prints the
//                           versions and changelogs the release would give, and checks every tarball
//                           (version, CHANGELOG.md, LICENSE, no workspace: range left). Changes nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import semver from 'semver';

const root = resolve(import.meta.dirname, '..');
const dryRun = process.argv.includes('--dry-run');
const sh = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The workspace's packages: name, folder, manifest. */
function workspacePackages(base) {
  return ['packages', 'apps']
    .flatMap((group) => readdirSync(join(base, group)).map((d) => join(base, group, d)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }));
}

/**
 * Each package's CHANGELOG.md, newest version first, from the entries `pnpm version -r` wrote to
 * .changeset/changelogs/<name with / as !>@<version>.md.
 */
function writeChangelogs(base) {
  const fragments = join(base, '.changeset', 'changelogs');
  const files = existsSync(fragments) ? readdirSync(fragments) : [];
  const written = [];
  for (const { dir, pkg } of workspacePackages(base)) {
    const prefix = `${pkg.name.replace('/', '!')}@`;
    const entries = files
      .filter((f) => f.startsWith(prefix) && f.endsWith('.md'))
      .map((f) => ({ version: f.slice(prefix.length, -3), text: readFileSync(join(fragments, f), 'utf8').trim() }))
      .sort((a, b) => semver.rcompare(a.version, b.version));
    if (!entries.length) continue;
    writeFileSync(join(dir, 'CHANGELOG.md'), `# ${pkg.name}\n\n${entries.map((e) => e.text).join('\n\n')}\n`);
    written.push(pkg.name);
  }
  return written;
}

if (dryRun) {
  // A copy of what versioning and packing read: manifests, intents, built files; no node_modules, no .git.
  const copy = mkdtempSync(join(tmpdir(), 'neurona-release-'));
  const skip = new Set(['node_modules', '.git', '.turbo', 'runs']);
  cpSync(root, copy, { recursive: true, filter: (src) => !skip.has(src.split('/').at(-1)) });
  try {
    // pnpm pack resolves workspace: ranges through the installed links: install from the store.
    sh('pnpm', ['install', '--prefer-offline', '--frozen-lockfile', '--ignore-scripts'], copy);
    console.log(sh('pnpm', ['version', '-r', '--no-git-checks'], copy).trim());
    const changelogs = writeChangelogs(copy);
    const packs = join(copy, '.packs');
    const problems = [];
    console.log('\nTarballs (publish replaced by pack):');
    for (const { dir, pkg } of workspacePackages(copy).filter((p) => !p.pkg.private)) {
      const before = new Set(existsSync(packs) ? readdirSync(packs) : []);
      sh('pnpm', ['pack', '--pack-destination', packs], dir);
      const tarball = readdirSync(packs).find((f) => !before.has(f));
      const listing = sh('tar', ['tzf', join(packs, tarball)], copy).split('\n');
      const manifest = JSON.parse(sh('tar', ['xzf', join(packs, tarball), '-O', 'package/package.json'], copy));
      const has = (file) => listing.includes(`package/${file}`);
      const ranges = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(([, r]) =>
        String(r).startsWith('workspace:'),
      );
      const wrong = [
        manifest.version !== pkg.version && `version ${manifest.version}, planned ${pkg.version}`,
        !has('CHANGELOG.md') && 'no CHANGELOG.md',
        !has('LICENSE') && 'no LICENSE',
        !has('README.md') && 'no README.md',
        ranges.length && `workspace ranges left: ${ranges.map(([n, r]) => `${n} ${r}`).join(', ')}`,
      ].filter(Boolean);
      const internal = Object.entries(manifest.dependencies ?? {})
        .filter(([n]) => n.startsWith('@neurona/'))
        .map(([n, r]) => `${n} ${r}`);
      console.log(
        `  ${tarball}: ${manifest.name}@${manifest.version}, ${listing.filter(Boolean).length} files` +
          `${internal.length ? `; depends on ${internal.join(', ')}` : ''}${wrong.length ? ` — ${wrong.join('; ')}` : ''}`,
      );
      if (wrong.length) problems.push(`${manifest.name}: ${wrong.join('; ')}`);
    }
    console.log(`\nCHANGELOG.md written for ${changelogs.length} packages; each one's newest version and entries:`);
    for (const { dir, pkg } of workspacePackages(copy).filter((p) => changelogs.includes(p.pkg.name))) {
      const text = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
      const newest = text.split(/^## /m)[1] ?? '';
      const entries = newest.split('\n').filter((l) => l.startsWith('- '));
      console.log(
        `  ${pkg.name} ${newest.split('\n')[0]}: ${entries.length} entries, first: ${entries[0]?.slice(2, 90)}…`,
      );
    }
    if (problems.length) {
      console.log(`\nthe release would be wrong:\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    } else console.log('\nrelease dry run: ok');
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
} else {
  if (sh('git', ['status', '--porcelain'], root).trim()) {
    console.error('pnpm release: the working tree has changes; commit or stash them first');
    process.exit(1);
  }
  const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  run('pnpm', ['version', '-r']);
  console.log(`CHANGELOG.md written for ${writeChangelogs(root).join(', ')}`);
  run('pnpm', ['install']);
  run('pnpm', ['turbo', 'run', 'build']);
  run('node', ['scripts/check-install.mjs']);
  run('pnpm', ['publish', '-r', '--access', 'public']);
  console.log(
    'published: commit the versions, .changeset/ledger.yaml, .changeset/changelogs/ and the CHANGELOG.md files, and tag the release',
  );
}
