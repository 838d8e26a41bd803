import type { UserWorkspaceConfig } from 'vitest/config';
export declare const workspaceAliases: { find: string | RegExp; replacement: string }[];
export declare function neuronaVitest(options: {
  name: string;
  testTimeout?: number;
  include?: string[];
}): UserWorkspaceConfig;
