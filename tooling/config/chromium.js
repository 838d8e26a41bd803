// Debian's Chromium, driven by playwright-core, the one way the tests and benchmarks
// start a browser: never a browser download, no background traffic on a closed network.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);

/** @param {{ webgpu?: boolean }} [options] `webgpu` offers a WebGPU adapter (software where no GPU). */
export function launchChromium(options = {}) {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
}
