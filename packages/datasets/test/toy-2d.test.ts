import { createRng } from '@neurona/core';
import { describe, expect, it } from 'vitest';
import { toy2d, toy2dNames } from '../src/index.js';

const at = (d: ReturnType<typeof toy2d>, i: number) => [d.points[2 * i] as number, d.points[2 * i + 1] as number];

describe('toy2d (the Playground data sets)', () => {
  it('is seeded: the same seed gives the same points, another seed others', () => {
    for (const name of toy2dNames) {
      const a = toy2d(name, { count: 50, noise: 0.2, rng: createRng(1) });
      const b = toy2d(name, { count: 50, noise: 0.2, rng: createRng(1) });
      const c = toy2d(name, { count: 50, noise: 0.2, rng: createRng(2) });
      expect(Array.from(b.points), name).toEqual(Array.from(a.points));
      expect(Array.from(c.points), name).not.toEqual(Array.from(a.points));
    }
  });

  it('labels each set by its rule when there is no noise', () => {
    const circle = toy2d('circle', { count: 400, rng: createRng(3) });
    for (let i = 0; i < 400; i++) {
      const r = Math.hypot(...(at(circle, i) as [number, number]));
      expect(circle.labels[i] === 1 ? r <= 2.5 + 1e-6 : r >= 3.5 - 1e-6).toBe(true);
    }
    const xor = toy2d('xor', { count: 400, rng: createRng(3) });
    for (let i = 0; i < 400; i++) {
      const [x, y] = at(xor, i) as [number, number];
      expect(xor.labels[i]).toBe(x * y >= 0 ? 1 : 0);
    }
    const gauss = toy2d('gauss', { count: 400, rng: createRng(3) });
    const meanX = (label: number) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < 400; i++) {
        if (gauss.labels[i] !== label) continue;
        s += at(gauss, i)[0] as number;
        n += 1;
      }
      return s / n;
    };
    expect(meanX(1)).toBeCloseTo(2, 0);
    expect(meanX(0)).toBeCloseTo(-2, 0);
    const plane = toy2d('plane', { count: 100, rng: createRng(3) });
    const [x0, y0] = at(plane, 0) as [number, number];
    expect(plane.labels[0]).toBeCloseTo((x0 + y0) / 10, 5);
    expect(plane.kind).toBe('regression');
    expect(toy2d('spiral', { count: 100, rng: createRng(3) }).labels.filter((l) => l === 1).length).toBe(50);
  });

  it('names a bad option', () => {
    const rng = createRng(1);
    expect(() => toy2d('moons' as 'xor', { rng })).toThrow(
      "toy2d: 'moons' is not a known toy data set; known: circle, xor, gauss, spiral, plane, multi-gauss",
    );
    expect(() => toy2d('xor', { noise: 0.9, rng })).toThrow(
      "toy2d: option 'noise' is 0.9; allowed: a number in [0, 0.5]",
    );
  });
});
