// A page's settings in its URL: read with a note for each value the page cannot take (the note
// says what it uses instead and what is allowed), and written back as the person changes them.
import { type BackendChoice, backendChoices, isBackendChoice } from './backends.js';

/** What a number setting may be: from `min` to `max`, an integer unless `integer` is false. */
export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

/** Whether `n` is a value of `range`. */
export function inRange(n: number, { min, max, integer = true }: NumberRange): boolean {
  return Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
}

/** What a range allows, as a note says it: "an integer from 1 to 100". */
export function allowedNumbers({ min, max, integer = true }: NumberRange): string {
  return `${integer ? 'an integer' : 'a number'} from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
}

/**
 * A number setting of the URL: undefined when it is absent or empty, or when it is not in `range`;
 * then a note says so, what the page uses `instead` ("10", "the recipe's") and what is allowed.
 */
export function readNumber(
  params: URLSearchParams,
  name: string,
  range: NumberRange,
  instead: string,
  notes: string[],
): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (inRange(n, range)) return n;
  notes.push(`${name} '${raw}' is not allowed; using ${instead} (allowed: ${allowedNumbers(range)})`);
  return undefined;
}

/** The backend the URL asks for ('auto' when none); an unknown one gets a note and 'auto'. */
export function readBackend(params: URLSearchParams, notes: string[]): BackendChoice {
  const raw = params.get('backend');
  if (raw === null) return 'auto';
  if (isBackendChoice(raw)) return raw;
  notes.push(`backend '${raw}' is unknown; using the fastest available (allowed: ${backendChoices.join(', ')})`);
  return 'auto';
}

/**
 * Writes the settings that differ from `defaults` into the page's URL, without a new history
 * entry (`worker: false` as `worker=0`; undefined ones left out).
 */
export function writeSettings(settings: object, defaults: object) {
  const params = new URLSearchParams();
  const base = defaults as Record<string, unknown>;
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined || value === base[key]) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}
