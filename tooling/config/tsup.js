// Shared tsup preset: ESM with declarations, one file per entry, peer and
// regular dependencies left external (tsup's default), Node 20 target.
import { defineConfig } from 'tsup';

/** @param {{ entry: Record<string, string> | string[], platform?: 'node' | 'neutral' | 'browser', banner?: string }} options */
export function neuronaTsup({ entry, platform = 'neutral', banner }) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform,
    // Shared chunks, so that an entry point and its /node sibling share one module state
    // (one kernel registry entry, one report printed once).
    splitting: true,
    treeshake: true,
    ...(banner ? { banner: { js: banner } } : {}),
  });
}
