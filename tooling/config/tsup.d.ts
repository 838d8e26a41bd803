import type { Options } from 'tsup';
export declare function neuronaTsup(options: {
  entry: Record<string, string> | string[];
  platform?: 'node' | 'neutral' | 'browser';
  banner?: string;
}): Options | Options[] | ((overrideOptions: Options) => Options | Options[]);
