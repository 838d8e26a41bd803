import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fetchTable, parseCsv } from '../src/index.js';
import { loadAutoMpg, loadBostonHousing } from '../src/node.js';

describe('the bundled tables of chapter 9', () => {
  it('Auto MPG: 398 cars with an MPG, 6 without horsepower, origin as a category', async () => {
    const rows = await loadAutoMpg();
    expect(rows).toHaveLength(398);
    expect(rows.filter((r) => r.horsepower === null)).toHaveLength(6);
    expect(rows[0]).toEqual({
      mpg: 18,
      cylinders: 8,
      displacement: 307,
      horsepower: 130,
      weight: 3504,
      acceleration: 12,
      model_year: 70,
      origin: 'USA',
      name: 'chevrolet chevelle malibu',
    });
    expect(new Set(rows.map((r) => r.origin))).toEqual(new Set(['USA', 'Europe', 'Japan']));
    expect(await loadAutoMpg({ keepMissingMpg: true })).toHaveLength(406);
  });

  it('Boston Housing: 506 rows of 13 features and medv', async () => {
    const rows = await loadBostonHousing();
    expect(rows).toHaveLength(506);
    expect(Object.keys(rows[0] ?? {})).toHaveLength(14);
    expect(rows[0]?.medv).toBe(24);
  });

  it('loads over fetch too, with the checksum checked', async () => {
    const data = fileURLToPath(new URL('../data/', import.meta.url));
    const serve = (tamper: boolean) =>
      (async (url: URL | RequestInfo) => {
        const text = await readFile(join(data, String(url).split('/data/')[1] as string), 'utf8');
        return new Response(tamper ? text.replace('18,8,307', '19,8,307') : text);
      }) as typeof fetch;
    expect(await fetchTable('boston-housing', { baseUrl: 'http://localhost/data/', fetch: serve(false) })).toHaveLength(
      506,
    );
    await expect(fetchTable('auto-mpg', { baseUrl: 'http://localhost/data/', fetch: serve(true) })).rejects.toThrow(
      'http://localhost/data/auto-mpg/auto-mpg.csv: SHA-256 is',
    );
  });
});

describe('parseCsv', () => {
  it('casts numbers, keeps names, and reads empty cells and ? as missing', () => {
    expect(parseCsv('a,b,c\n1,x,\n2.5,?,3\n')).toEqual([
      { a: 1, b: 'x', c: null },
      { a: 2.5, b: null, c: 3 },
    ]);
  });

  it('names the file and the line of a row with the wrong number of fields', () => {
    expect(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'cars.csv')).toThrow(
      'cars.csv: line 3 has 2 fields, the header has 3',
    );
    expect(() => parseCsv('a,b\n', 'empty.csv')).toThrow('empty.csv: has a header but no rows');
  });
});
