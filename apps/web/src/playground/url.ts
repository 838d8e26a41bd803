import type { PlaygroundSettings } from '@neurona/recipes';
import { checkPlaygroundSettings, playgroundDefaults, playgroundPresets } from '@neurona/recipes';
import type { BackendChoice } from '../shell/backends.js';
import { backendChoices, isBackendChoice } from '../shell/backends.js';

/** Everything the page keeps in its URL: the experiment, how it is shown, and where it runs. */
export interface PageState {
  settings: PlaygroundSettings;
  showTest: boolean;
  discretize: boolean;
  backend: BackendChoice;
  /** Train in a Web Worker (the default) or in the page. */
  worker: boolean;
}

const settingKeys = Object.keys(playgroundDefaults) as (keyof PlaygroundSettings)[];
const viewKeys = ['showTest', 'discretize', 'backend', 'worker', 'preset'];

const flag = (params: URLSearchParams, key: string, fallback: boolean, changes: string[]) => {
  const raw = params.get(key);
  if (raw === null) return fallback;
  if (raw === 'true' || raw === '1' || raw === 'on') return true;
  if (raw === 'false' || raw === '0' || raw === 'off') return false;
  changes.push(`${key} '${raw}' is not on or off; using ${fallback ? 'on' : 'off'}`);
  return fallback;
};

/**
 * Reads the page's state from a query string: every value checked (`checkPlaygroundSettings`),
 * unknown or out-of-range ones replaced by the nearest valid value, with a sentence each.
 * `?preset=ch07-deep` starts from that preset's settings; values given beside it win.
 */
export function readPageState(search: string): PageState & { changes: string[] } {
  const params = new URLSearchParams(search);
  const changes: string[] = [];
  let base: Partial<PlaygroundSettings> = {};
  const presetId = params.get('preset');
  if (presetId !== null) {
    const preset = playgroundPresets.find((p) => p.id === presetId);
    if (preset) base = preset.settings;
    else
      changes.push(
        `preset '${presetId}' is unknown; ignored (known: ${playgroundPresets.map((p) => p.id).join(', ')})`,
      );
  }
  const given: Record<string, unknown> = { ...base };
  for (const key of settingKeys) {
    const raw = params.get(key);
    if (raw === null) continue;
    // Numbers as numbers and lists as lists, so that a note reads `noise 500`, not `noise '500'`.
    const number = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
    given[key] =
      key === 'networkShape'
        ? raw === ''
          ? []
          : raw.split(',').map(number)
        : key === 'features'
          ? raw.split(',').filter((f) => f !== '')
          : number(raw);
  }
  const unknown = [...params.keys()].filter((k) => !(settingKeys as string[]).includes(k) && !viewKeys.includes(k));
  for (const key of unknown) changes.push(`parameter '${key}' is not a setting of this page; ignored`);
  const checked = checkPlaygroundSettings(given);
  changes.push(...checked.changes);
  const rawBackend = params.get('backend');
  let backend: BackendChoice = 'auto';
  if (isBackendChoice(rawBackend)) backend = rawBackend;
  else if (rawBackend !== null)
    changes.push(
      `backend '${rawBackend}' is unknown; using the fastest available (allowed: ${backendChoices.join(', ')})`,
    );
  return {
    settings: checked.settings,
    showTest: flag(params, 'showTest', false, changes),
    discretize: flag(params, 'discretize', false, changes),
    backend,
    worker: flag(params, 'worker', true, changes),
    changes,
  };
}

/** The query string that gives this state back: every setting, so that a link reproduces the run. */
export function writePageState(state: PageState): string {
  const params = new URLSearchParams();
  for (const key of settingKeys) {
    const value = state.settings[key];
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  params.set('showTest', String(state.showTest));
  params.set('discretize', String(state.discretize));
  params.set('backend', state.backend);
  if (!state.worker) params.set('worker', 'off');
  return params.toString();
}
