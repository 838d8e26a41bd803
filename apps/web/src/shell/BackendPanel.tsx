import type { BackendReport } from '@neurona/core';
import type { BackendChoice } from './backends.js';
import { backendChoices } from './backends.js';

/** What the panel shows: core's report, and where training runs. */
export interface BackendPanelProps {
  report: BackendReport | undefined;
  choice: BackendChoice;
  onChoose: (choice: BackendChoice) => void;
  /** Where the work runs: 'a Web Worker' or 'the page (yielding between batches)'. */
  where?: string;
}

/**
 * The backend in use, why each faster one was passed over, and a switch: the same panel on every
 * page of the app.
 */
export function BackendPanel({ report, choice, onChoose, where }: BackendPanelProps) {
  const chosen = report?.attempts.find((a) => a.outcome === 'chosen');
  const passed = report?.attempts.filter((a) => a.outcome !== 'chosen' && a.outcome !== 'not-tried') ?? [];
  return (
    <section class="backend-panel" aria-label="backend">
      <label>
        backend{' '}
        <select
          id="backend-choice"
          value={choice}
          onChange={(e) => onChoose((e.currentTarget as HTMLSelectElement).value as BackendChoice)}
        >
          {backendChoices.map((c) => (
            <option key={c} value={c}>
              {c === 'auto' ? 'fastest available' : c}
            </option>
          ))}
        </select>
      </label>
      <span id="backend" data-backend={report?.backend ?? ''}>
        {report ? (
          <>
            using <strong>{report.backend}</strong>
            {chosen?.detail ? ` (${chosen.detail})` : ''}
            {where ? ` in ${where}` : ''}
          </>
        ) : (
          'choosing…'
        )}
      </span>
      {passed.length > 0 && (
        <ul class="passed-over">
          {passed.map((a) => (
            <li key={a.name}>
              passed over {a.name}: {a.reason ?? a.outcome}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
