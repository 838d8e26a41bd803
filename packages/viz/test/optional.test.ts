import { describe, expect, it } from 'vitest';
import { importOptional } from '../src/node/optional.js';

describe('importOptional', () => {
  it('loads an installed optional peer', async () => {
    const vega = await importOptional<{ version: string }>('vega', 'renderSvg');
    expect(vega.version).toMatch(/^6\./);
  });

  it('names the missing package, what needs it and the command that installs it', async () => {
    await expect(importOptional('@neurona/no-such-renderer', 'renderPng')).rejects.toThrow(
      /^renderPng needs the optional package '@neurona\/no-such-renderer' \(npm install @neurona\/no-such-renderer\): /,
    );
  });
});
