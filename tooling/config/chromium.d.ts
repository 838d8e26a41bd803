import type { Browser } from 'playwright-core';
export declare const chromiumPath: string;
export declare const haveChromium: boolean;
export declare function launchChromium(options?: { webgpu?: boolean }): Promise<Browser>;
