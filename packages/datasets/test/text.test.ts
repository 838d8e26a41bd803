import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadText } from '../src/node.js';

describe('text corpora', () => {
  it('loads Moby Dick offline from the npm package that ships it, checksum verified', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-text-'));
    const { text, located } = await loadText('moby-dick', { cacheDir, download: false });
    expect(located.source).toBe('npm');
    expect(text.startsWith('CHAPTER 1. Loomings.\n\nCall me Ishmael.')).toBe(true);
    expect(Buffer.byteLength(text)).toBe(1204997);
  });

  it('says how to get Tiny Shakespeare when it is absent, and refuses a wrong copy', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-text-'));
    await expect(loadText('shakespeare', { cacheDir, download: false })).rejects.toThrow(
      `shakespeare: not found. Tried:\n  cache ${join(cacheDir, 'shakespeare')}: missing input.txt`,
    );
    const own = await mkdtemp(join(tmpdir(), 'neurona-text-'));
    await writeFile(join(own, 'input.txt'), 'First Citizen:\nBefore we proceed any further, hear me speak.\n');
    await expect(loadText('shakespeare', { path: own })).rejects.toThrow(`${join(own, 'input.txt')}: SHA-256 is`);
    await expect(loadText('hamlet' as 'shakespeare')).rejects.toThrow(
      "loadText: 'hamlet' is not a known text corpus; known: shakespeare, moby-dick",
    );
  });
});
