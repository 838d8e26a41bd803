import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  DataFormatError,
  InvalidOptionError,
  NeuronaError,
  TrainingInterruptedError,
  UnknownNameError,
  UnsupportedKernelConfigError,
} from '../src/index.js';

describe('the Neurona error family', () => {
  it('carries the option, the value and what is allowed, and says them', () => {
    const error = new InvalidOptionError('generateText', 'temperature', -1, 'a number > 0');
    expect(error.message).toBe("generateText: option 'temperature' is -1; allowed: a number > 0");
    expect([error.option, error.value, error.allowed]).toEqual(['temperature', -1, 'a number > 0']);
    expect(error.name).toBe('InvalidOptionError');
    expect(new InvalidOptionError('f', 'cell', 'rnn', 'gru, lstm').message).toBe(
      "f: option 'cell' is 'rnn'; allowed: gru, lstm",
    );
  });

  it('tells the classes apart with isInstance, also for a copy from another bundle', () => {
    const invalid = new InvalidOptionError('f', 'x', 0, '> 0');
    const format = new DataFormatError('glove.txt', 'has 3 numbers, expected 50', { line: 7 });
    expect(format.message).toBe('glove.txt, line 7: has 3 numbers, expected 50');
    expect(format.location.line).toBe(7);
    expect(NeuronaError.isInstance(invalid)).toBe(true);
    expect(InvalidOptionError.isInstance(invalid)).toBe(true);
    expect(DataFormatError.isInstance(invalid)).toBe(false);
    expect(DataFormatError.isInstance(format)).toBe(true);
    expect(NeuronaError.isInstance(new Error('plain'))).toBe(false);
    expect(NeuronaError.isInstance(undefined)).toBe(false);
    // What a second copy of core would make: a different class with the same marker.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('neurona.error')]: true });
    expect(NeuronaError.isInstance(foreign)).toBe(true);
  });

  it('keeps the cause, and the errors core already threw are in the family', () => {
    const cause = new Error('ENOENT');
    const unknown = new UnknownNameError('corpus', 'hamlet', ['shakespeare', 'moby-dick'], { cause });
    expect(unknown.message).toBe("'hamlet' is not a known corpus; known: shakespeare, moby-dick");
    expect(unknown.cause).toBe(cause);
    expect(unknown.given).toBe('hamlet');
    expect(NeuronaError.isInstance(new TrainingInterruptedError(0, 3, true))).toBe(true);
    const kernel = new UnsupportedKernelConfigError('Tile', 'dtype string');
    expect(NeuronaError.isInstance(kernel)).toBe(true);
    expect(kernel.name).toBe('UnsupportedKernelConfigError');
  });

  it("a class's isInstance is its own, not its parent's: core's classes carry markers of their own", () => {
    const interrupted = new TrainingInterruptedError(0, 3, true);
    const unavailable = new BackendUnavailableError('no backend', [
      { name: 'wasm', outcome: 'failed-to-load', reason: 'x' },
    ]);
    const kernel = new UnsupportedKernelConfigError('Tile', 'dtype string');
    const option = new InvalidOptionError('f', 'x', 0, '> 0');
    const all = [interrupted, unavailable, kernel, option];
    const classes = [
      TrainingInterruptedError,
      BackendUnavailableError,
      UnsupportedKernelConfigError,
      InvalidOptionError,
    ];
    all.forEach((error, i) => {
      expect(classes.map((c) => c.isInstance(error))).toEqual(classes.map((_, j) => i === j));
      expect(NeuronaError.isInstance(error)).toBe(true);
    });
    expect(unavailable.attempts[0]?.reason).toBe('x');
  });
});
