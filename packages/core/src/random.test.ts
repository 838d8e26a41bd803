import { describe, expect, it } from 'vitest';
import { createRng } from './random.js';

describe('createRng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('makes permutations that contain every index once', () => {
    const p = createRng(1).permutation(1000);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(p.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(createRng(1).permutation(1000))).toEqual(Array.from(p));
  });

  it('shuffles a copy and leaves the input alone', () => {
    const input = ['a', 'b', 'c', 'd', 'e', 'f'];
    const out = createRng(7).shuffle(input);
    expect(input).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect([...out].sort()).toEqual(input);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => createRng(1.5)).toThrow("createRng: option 'seed' is 1.5; allowed: an integer");
  });

  it('saves and restores its state, so a resumed stream draws what the uninterrupted one does', () => {
    const a = createRng(7);
    a.next();
    a.permutation(10);
    const saved = JSON.parse(JSON.stringify(a.state()));
    const rest = [a.next(), a.nextSeed(), ...a.permutation(20)];
    const b = createRng(99);
    b.setState(saved);
    expect([b.next(), b.nextSeed(), ...b.permutation(20)]).toEqual(rest);
    expect(() => b.setState({ c: 1 } as never)).toThrow(/not a generator state; allowed: \{ c, s0, s1, s2 \}/);
  });
});
