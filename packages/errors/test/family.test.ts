import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('every library throws the family', () => {
  it('no plain Error outside a marked invariant (a bug if it is ever thrown)', () => {
    const libraries = readdirSync(packages).filter((name) => statSync(join(packages, name, 'src')).isDirectory());
    expect(libraries.length).toBeGreaterThanOrEqual(10);
    const plain: string[] = [];
    let invariants = 0;
    for (const file of libraries.flatMap((name) => sources(join(packages, name, 'src')))) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/\bnew Error\(/.test(line)) return;
        if (/^\s*\/\/ invariant: /.test(lines[i - 1] ?? '')) invariants++;
        else plain.push(`${file.slice(packages.length)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(plain).toEqual([]);
    expect(invariants).toBeLessThanOrEqual(8);
  });
});
