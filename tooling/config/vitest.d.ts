import type { UserWorkspaceConfig } from 'vitest/config';
export declare const workspaceAliases: { find: string | RegExp; replacement: string }[];
export declare function neuronaVitest(options: {
  name: string;
  testTimeout?: number;
  include?: string[];
  /** A global setup file of the project (the web app builds and serves itself once there). */
  globalSetup?: string;
}): UserWorkspaceConfig;
