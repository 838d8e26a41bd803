import { dirname, join } from 'node:path';
import type { BundledTable } from '@neurona/datasets';
import { bundledTables, getDataset, registry } from '@neurona/datasets';
import {
  bundledTablePath,
  defaultCacheDir,
  loadCifar10,
  loadIdxDataset,
  loadTable,
  loadText,
  locateDataset,
  sha256File,
} from '@neurona/datasets/node';
import { SingleBar } from 'cli-progress';

/** `neurona data list`: every data set, its licence, and where it is found without downloading. */
export async function dataList(log = console.log) {
  for (const entry of registry) {
    const found = await locateDataset(entry, { download: false }).then(
      (l) => `${l.source}: ${l.dir}`,
      () => `not here (neurona data fetch ${entry.name})`,
    );
    log(`${entry.name.padEnd(16)}${found}\n  ${entry.description}\n  licence: ${entry.licence}`);
  }
  for (const [name, table] of Object.entries(bundledTables)) {
    log(`${name.padEnd(16)}bundled: ${table.file} in @neurona/datasets (${table.rows} rows)`);
  }
  log(`cache: ${defaultCacheDir()} (NEURONA_DATA_DIR overrides)`);
}

const isBundledTable = (name: string): name is BundledTable => Object.hasOwn(bundledTables, name);

/** `neurona data path NAME`: the folder the files are read from, or why none is found. */
export async function dataPath(name: string, options: { path?: string }, log = console.log) {
  if (isBundledTable(name)) {
    if (options.path) throw new Error(`--path: '${name}' is bundled with @neurona/datasets and read from there only`);
    log(dirname(bundledTablePath(name)));
    return;
  }
  const located = await locateDataset(getDataset(name), {
    download: false,
    ...(options.path ? { path: options.path } : {}),
  });
  log(located.dir);
}

/** `neurona data fetch NAME`: downloads into the cache with a progress bar, verified. */
export async function dataFetch(name: string, options: { timeout?: number }, log = console.log) {
  const entry = getDataset(name);
  const total = entry.files.reduce((n, f) => n + f.bytes, 0);
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${name} [{bar}] {percentage}% {value}/{total} bytes`,
    hideCursor: true,
  });
  const done = new Map<string, number>();
  bar.start(total, 0);
  try {
    const located = await locateDataset(entry, {
      timeoutMs: (options.timeout ?? 30) * 1000,
      onProgress: (received, _size, file) => {
        done.set(file, received);
        bar.update([...done.values()].reduce((a, b) => a + b, 0));
      },
    });
    bar.update(total);
    bar.stop();
    log(`${name}: ${located.source === 'download' ? 'downloaded and verified into' : 'already in'} ${located.dir}`);
  } catch (error) {
    bar.stop();
    throw error;
  }
}

/** `neurona data verify NAME [--path DIR]`: reads every file fully, checks checksums, formats and counts. */
export async function dataVerify(name: string, options: { path?: string }, log = console.log) {
  if (isBundledTable(name)) {
    if (options.path) throw new Error(`--path: '${name}' is bundled with @neurona/datasets and read from there only`);
    const rows = await loadTable(name);
    log(
      `${name}: verified ${bundledTablePath(name)} (bundled): ${rows.length} rows of ${Object.keys(rows[0] ?? {}).length} columns, SHA-256 as registered`,
    );
    return;
  }
  getDataset(name);
  const where = {
    download: false,
    ...(options.path ? { path: options.path } : {}),
    onWarning: (message: string) => log(`warning: ${message}`),
  };
  if (name === 'mnist' || name === 'fashion-mnist') {
    const data = await loadIdxDataset(name, where);
    log(
      `${name}: verified ${data.located.dir} (${data.located.source}): ${data.train.count} training and ${data.test.count} test images of ${data.train.height}×${data.train.width}, ${data.classNames.length} classes, SHA-256 of every file as registered`,
    );
  } else if (name === 'cifar10') {
    const data = await loadCifar10(where);
    log(
      `${name}: verified ${data.located.dir} (${data.located.source}): ${data.train.count} training and ${data.test.count} test images of 32×32×3`,
    );
  } else if (name === 'shakespeare' || name === 'moby-dick') {
    const { text, located } = await loadText(name, where);
    log(
      `${name}: verified ${located.dir} (${located.source}): ${text.length.toLocaleString('en-US')} characters, SHA-256 as registered`,
    );
  } else {
    // No format reader (an archive): the checksum of every file as registered.
    const entry = getDataset(name);
    const located = await locateDataset(entry, where);
    for (const f of entry.files) {
      const path = join(located.dir, f.name);
      const actual = await sha256File(path);
      if (actual !== f.sha256) throw new Error(`${path}: SHA-256 is ${actual}, expected ${f.sha256}`);
    }
    log(
      `${name}: verified ${located.dir} (${located.source}): SHA-256 of ${entry.files.map((f) => f.name).join(', ')} as registered`,
    );
  }
}
