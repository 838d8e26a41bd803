// The browser build carries its own Buffer, so this parser runs in pages as well as Node.

import { DataFormatError, DownloadError, isMarked } from '@neurona/errors';
import { parse } from 'csv-parse/browser/esm/sync';
import { sha256Hex } from '../checksum.js';

/** One row of a table: numbers, names, or null for a missing cell. */
export type TableRow = Record<string, number | string | null>;

const CSV_FORMAT_MARKER = Symbol.for('neurona.error.csv-format');

export class CsvFormatError extends DataFormatError {
  protected readonly [CSV_FORMAT_MARKER] = true;

  static override isInstance(error: unknown): error is CsvFormatError {
    return isMarked(error, CSV_FORMAT_MARKER);
  }
}

/**
 * Parses CSV with a header row (csv-parse): numeric cells become numbers, empty cells
 * (and the UCI files' `?`) null. A row with the wrong number of fields is an error
 * naming the file and the line.
 */
export function parseCsv(text: string, source = 'CSV data'): TableRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    const e = error as { code?: string; lines?: number; record?: unknown[]; message: string };
    // csv-parse names this CSV_RECORD_INCONSISTENT_COLUMNS (or …_FIELDS_LENGTH without a header).
    if (e.code?.startsWith('CSV_RECORD_INCONSISTENT') || e.code === 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH') {
      const header = (parse(text.slice(0, text.indexOf('\n'))) as string[][])[0] ?? [];
      throw new CsvFormatError(
        source,
        `line ${e.lines} has ${e.record?.length} fields, the header has ${header.length}`,
      );
    }
    throw new CsvFormatError(source, e.message);
  }
  if (records.length === 0) throw new CsvFormatError(source, 'has a header but no rows');
  return records.map((r) => {
    const row: TableRow = {};
    for (const [k, v] of Object.entries(r))
      row[k] = v === '' || v === '?' ? null : Number.isNaN(Number(v)) ? v : Number(v);
    return row;
  });
}

/** The tables that ship whole in this package, with their row counts and checksums. */
export const bundledTables = {
  'auto-mpg': {
    file: 'auto-mpg/auto-mpg.csv',
    rows: 406,
    sha256: '6012c8e5be9db2a181a4403210578151723c5109278bfb9cd4e1fa6a3056ac48',
  },
  'boston-housing': {
    file: 'boston-housing/boston-housing.csv',
    rows: 506,
    sha256: 'dabe774132cf1f35464a048f213b1d4f39f64ad9efb1157d64d457702f72e19b',
  },
} as const;

/** The tables bundled with the package: `auto-mpg` and `boston-housing` (chapter 9). */
export type BundledTable = keyof typeof bundledTables;

/** Checks a bundled table's bytes and parses it. */
export async function parseBundledTable(name: BundledTable, text: string, source: string): Promise<TableRow[]> {
  const spec = bundledTables[name];
  const actual = await sha256Hex(new TextEncoder().encode(text));
  if (actual !== spec.sha256) throw new CsvFormatError(source, `SHA-256 is ${actual}, expected ${spec.sha256}`);
  return parseCsv(text, source);
}

/** Loads a bundled table over HTTP (a browser serving this package's `data/` folder). */
export async function fetchTable(
  name: BundledTable,
  options: { baseUrl: string | URL; fetch?: typeof fetch },
): Promise<TableRow[]> {
  const url = new URL(
    bundledTables[name].file,
    new URL(String(options.baseUrl).replace(/\/?$/, '/'), globalThis.location?.href ?? 'http://localhost/'),
  );
  const response = await (options.fetch ?? globalThis.fetch)(url);
  if (!response.ok) throw new DownloadError(String(url), `HTTP ${response.status}`, response.status);
  return parseBundledTable(name, await response.text(), String(url));
}
