// Verified, resumable downloads into the cache (Node).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DownloadError } from '@neurona/errors';
import { ChecksumError } from '../checksum.js';
import type { DatasetFile } from '../registry.js';

/** Options of `downloadFile`: the stall timeout, progress reports, and the fetch to use. */
export interface DownloadOptions {
  /** Give up when no byte arrives for this long. Default 30 s. */
  timeoutMs?: number;
  /** Called as bytes arrive: received so far for `file` (resumed bytes included) and its expected size. */
  onProgress?: (received: number, total: number, file: string) => void;
  fetch?: typeof globalThis.fetch;
}

/** SHA-256 of a file, read as a stream. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

const size = async (path: string) => (await stat(path).catch(() => undefined))?.size ?? 0;

async function fetchOnce(url: string, partial: string, file: DatasetFile, options: DownloadOptions) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timeoutMs);
  };
  const have = await size(partial);
  try {
    const response = await doFetch(url, {
      signal: controller.signal,
      headers: have > 0 ? { Range: `bytes=${have}-` } : {},
    });
    if (response.status === 416 && have === file.bytes) return; // already complete
    if (!response.ok || !response.body)
      throw new DownloadError(url, `HTTP ${response.status} ${response.statusText}`, response.status);
    // 206: the server resumes where the partial file ends; 200: it sends everything again.
    const resumed = response.status === 206 && have > 0;
    let received = resumed ? have : 0;
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream);
    body.on('data', (chunk: Buffer) => {
      alive();
      received += chunk.length;
      options.onProgress?.(received, file.bytes, file.name);
    });
    await pipeline(body, createWriteStream(partial, { flags: resumed ? 'a' : 'w' }));
  } catch (error) {
    if (controller.signal.aborted)
      throw new DownloadError(url, `no data for ${Math.round(timeoutMs / 1000)} s (timed out)`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Downloads one file into `dir`: resumes a partial download, checks its size and SHA-256,
 * and moves it into place with a rename only when it is right. A file whose checksum is
 * wrong is moved aside (`NAME.corrupt-TIME`) and reported; a good copy already in `dir`
 * is never overwritten by a bad one.
 */
export async function downloadFile(file: DatasetFile, dir: string, options: DownloadOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, file.name);
  const partial = join(dir, `.${file.name}.partial`);
  const failures: string[] = [];
  let lastStatus: number | undefined;
  for (const url of file.urls) {
    try {
      await fetchOnce(url, partial, file, options);
    } catch (error) {
      if (DownloadError.isInstance(error)) lastStatus = error.status ?? lastStatus;
      failures.push(DownloadError.isInstance(error) ? error.message : `${url}: ${(error as Error).message}`);
      continue;
    }
    const got = await size(partial);
    const actual = await sha256File(partial);
    if (actual !== file.sha256) {
      const aside = join(dir, `${file.name}.corrupt-${Date.now()}`);
      await rename(partial, aside);
      throw new ChecksumError(
        `${url} (${got} bytes, expected ${file.bytes}; moved aside to ${aside})`,
        file.sha256,
        actual,
      );
    }
    await rename(partial, target);
    return target;
  }
  throw new DownloadError(file.name, `could not be downloaded: ${failures.join('; ')}`, lastStatus);
}

export async function removePartial(dir: string, file: DatasetFile) {
  await rm(join(dir, `.${file.name}.partial`), { force: true });
}
