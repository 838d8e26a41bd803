import type { PlaygroundSettings } from './settings.js';
import { playgroundDefaults } from './settings.js';

/** One of the book's three Playground steps (ch. 7.4), as the page's one-click preset and a `ch07-*` recipe. */
export interface PlaygroundPreset {
  /** The recipe's id: `ch07-one-neuron`, `ch07-hidden-layer`, `ch07-deep`. */
  id: string;
  title: string;
  /** What the step shows, in a sentence. */
  note: string;
  settings: PlaygroundSettings;
  /** Epochs the step trains for. */
  epochs: number;
  /** A run with these settings ends with a test loss under this (data loss, no penalty)… */
  testLossBar: number;
  /** …and a test accuracy of at least this. */
  accuracyBar: number;
}

const preset = (
  p: Omit<PlaygroundPreset, 'settings'> & { settings: Partial<PlaygroundSettings> },
): PlaygroundPreset => ({
  ...p,
  settings: { ...playgroundDefaults, seed: 7, ...p.settings },
});

/**
 * The book's three steps: one neuron separates the two Gaussian clouds; the circle needs a hidden
 * layer; the spiral needs depth. The Playground's SGD at 0.03 and batch 10, except where the step
 * says otherwise so that it ends in seconds.
 */
export const playgroundPresets: readonly PlaygroundPreset[] = [
  preset({
    id: 'ch07-one-neuron',
    title: 'One neuron on the two Gaussian clouds',
    note: 'a straight line separates the clouds',
    settings: { dataset: 'gauss', networkShape: [] },
    epochs: 20,
    testLossBar: 0.1,
    accuracyBar: 0.95,
  }),
  preset({
    id: 'ch07-hidden-layer',
    title: 'A hidden layer of 4 tanh neurons on the circle',
    note: 'one neuron cannot draw a circle; four can',
    settings: { dataset: 'circle', networkShape: [4], learningRate: 0.1 },
    epochs: 40,
    testLossBar: 0.2,
    accuracyBar: 0.9,
  }),
  preset({
    id: 'ch07-deep',
    title: 'A deep network (4 hidden layers of 8 tanh) on the spiral',
    note: 'the spiral takes several layers',
    settings: { dataset: 'spiral', networkShape: [8, 8, 8, 8], learningRate: 0.01, optimizer: 'adam' },
    epochs: 300,
    testLossBar: 0.4,
    accuracyBar: 0.9,
  }),
];
