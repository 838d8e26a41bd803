import { InvalidInputError, InvalidOptionError, UnknownNameError } from '@neurona/core';
/** One row of a table, as parsed from CSV or JSON: numbers, category names, or missing (null). */
export type Row = Record<string, number | string | null | undefined>;

const isMissing = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '?';

function checkColumns(owner: string, rows: readonly Row[], columns: readonly string[]) {
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  for (const c of columns) {
    if (rows.length > 0 && !present.has(c)) {
      throw new UnknownNameError('column of the table', c, [...present], { where: owner });
    }
  }
}

/** Rows with no missing value (null, NaN, or the UCI files' `?`) in `columns` (default: all). */
export function dropMissing(rows: readonly Row[], columns?: readonly string[]): Row[] {
  if (columns) checkColumns('dropMissing', rows, columns);
  return rows.filter((row) => (columns ?? Object.keys(row)).every((c) => !isMissing(row[c])));
}

/** What fills a missing value: the column's mean, its median, or a constant. */
export type ImputeStrategy = 'mean' | 'median' | 'constant';

/** A fitted `Imputer` as JSON: the value each column's missing entries get. */
export interface ImputerJSON {
  kind: 'Imputer';
  fill: Record<string, number>;
}

/** Fills missing numeric values with each column's mean, median, or a constant, learnt on the training rows. */
export class Imputer {
  private constructor(readonly fill: Record<string, number>) {}

  static fit(
    rows: readonly Row[],
    columns: readonly string[],
    options: { strategy?: ImputeStrategy; value?: number } = {},
  ) {
    const { strategy = 'mean', value = 0 } = options;
    if (!['mean', 'median', 'constant'].includes(strategy)) {
      throw new InvalidOptionError('Imputer.fit', 'strategy', strategy, 'mean, median, constant');
    }
    checkColumns('Imputer.fit', rows, columns);
    const fill: Record<string, number> = {};
    for (const c of columns) {
      const values = rows.map((r) => r[c]).filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
      if (strategy === 'constant') fill[c] = value;
      else if (values.length === 0)
        throw new InvalidInputError(
          'Imputer.fit',
          'rows',
          `column '${c}' has no numeric value to compute a ${strategy} from`,
        );
      else if (strategy === 'mean') fill[c] = values.reduce((a, b) => a + b, 0) / values.length;
      else {
        const sorted = [...values].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        fill[c] =
          sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      }
    }
    return new Imputer(fill);
  }

  static fromJSON(json: ImputerJSON) {
    if (json?.kind !== 'Imputer') throw new InvalidInputError('Imputer.fromJSON', 'json', 'not an Imputer');
    return new Imputer({ ...json.fill });
  }

  /** New rows; the input rows are not changed. */
  transform(rows: readonly Row[]): Row[] {
    return rows.map((row) => {
      const out = { ...row };
      for (const [c, v] of Object.entries(this.fill)) if (isMissing(out[c])) out[c] = v;
      return out;
    });
  }

  toJSON(): ImputerJSON {
    return { kind: 'Imputer', fill: { ...this.fill } };
  }
}

/** A fitted `CategoryEncoder` as JSON: the column and its categories. */
export interface CategoryEncoderJSON {
  kind: 'CategoryEncoder';
  column: string;
  categories: string[];
}

/**
 * One-hot encodes a categorical column into one 0/1 column per category, named
 * `column=category`, as the book does for Auto MPG's `origin` (pandas `get_dummies`).
 * The categories are learnt on the training rows; an unseen one is an error.
 */
export class CategoryEncoder {
  private constructor(
    readonly column: string,
    readonly categories: string[],
  ) {}

  static fit(rows: readonly Row[], column: string): CategoryEncoder {
    checkColumns('CategoryEncoder.fit', rows, [column]);
    const categories = [
      ...new Set(
        rows
          .map((r) => r[column])
          .filter((v) => !isMissing(v))
          .map(String),
      ),
    ].sort();
    if (categories.length === 0)
      throw new InvalidInputError('CategoryEncoder.fit', 'rows', `column '${column}' has no values`);
    return new CategoryEncoder(column, categories);
  }

  static fromJSON(json: CategoryEncoderJSON) {
    if (json?.kind !== 'CategoryEncoder')
      throw new InvalidInputError('CategoryEncoder.fromJSON', 'json', 'not a CategoryEncoder');
    return new CategoryEncoder(json.column, [...json.categories]);
  }

  /** The names of the columns `transform` adds, in order. */
  get outputColumns(): string[] {
    return this.categories.map((c) => `${this.column}=${c}`);
  }

  transform(rows: readonly Row[]): Row[] {
    return rows.map((row, i) => {
      const { [this.column]: value, ...rest } = row;
      const name = String(value);
      if (isMissing(value) || !this.categories.includes(name)) {
        throw new InvalidInputError(
          'CategoryEncoder',
          'rows',
          `row ${i} has ${this.column} = ${JSON.stringify(value)}; known categories: ${this.categories.join(', ')}`,
        );
      }
      const out: Row = { ...rest };
      for (const c of this.categories) out[`${this.column}=${c}`] = c === name ? 1 : 0;
      return out;
    });
  }

  toJSON(): CategoryEncoderJSON {
    return { kind: 'CategoryEncoder', column: this.column, categories: [...this.categories] };
  }
}

/** The chosen numeric columns as a row-major Float32Array, naming any cell that is not a number. */
export function toMatrix(
  rows: readonly Row[],
  columns: readonly string[],
): { values: Float32Array; shape: [number, number] } {
  checkColumns('toMatrix', rows, columns);
  const values = new Float32Array(rows.length * columns.length);
  rows.forEach((row, i) => {
    columns.forEach((c, j) => {
      const v = row[c];
      if (typeof v !== 'number' || Number.isNaN(v)) {
        throw new InvalidInputError(
          'toMatrix',
          'rows',
          `row ${i}, column '${c}' is ${JSON.stringify(v)}, not a number (impute or drop missing values first)`,
        );
      }
      values[i * columns.length + j] = v;
    });
  });
  return { values, shape: [rows.length, columns.length] };
}
