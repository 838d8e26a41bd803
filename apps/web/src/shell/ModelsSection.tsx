import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { type ModelFiles, readModelFiles } from './model-files.js';
import type { SavedModel } from './model-store.js';

/**
 * A page's "Models" section: export the trained model as a run folder for the CLI, import one
 * (a `neurona train` run or this page's export), save it in this browser under a name, and the
 * saved ones with Load and Delete. The page sends the requests; a file that is not a model is
 * reported through `onMessage` before anything is sent.
 */
export function ModelsSection(props: {
  /** A model to export or save: the buttons are off without one. */
  hasModel: boolean;
  saved: readonly SavedModel[];
  onExport: () => void;
  onImport: (files: ModelFiles) => void;
  onSave: (name: string) => void;
  onLoad: (name: string) => void;
  onDelete: (name: string) => void;
  onMessage: (text: string) => void;
  /** What the exported folder is for: `neurona evaluate FOLDER`. */
  cliUse: ComponentChildren;
  /** What Import takes, in words; default a run folder's `model.json`, `weights.bin`, `summary.json`. */
  importWhat?: ComponentChildren;
  /** Controls before the Export button (which of a page's runs it exports). */
  children?: ComponentChildren;
  defaultName?: string;
}) {
  return (
    <section class="models">
      <h2>Models</h2>
      <p>
        {props.children}
        <button type="button" id="export" disabled={!props.hasModel} onClick={props.onExport}>
          Export for the CLI
        </button>{' '}
        <span class="hint">{props.cliUse}</span>
      </p>
      <p>
        <label class="import">
          Import a model (
          {props.importWhat ?? (
            <>
              <code>model.json</code>, <code>weights.bin</code>, <code>summary.json</code> of a{' '}
              <code>neurona train</code> run, or of an export
            </>
          )}
          ){' '}
          <input
            id="import"
            type="file"
            multiple
            onChange={async (e) => {
              const input = e.currentTarget as HTMLInputElement;
              const files = [...(input.files ?? [])];
              input.value = '';
              props.onMessage('');
              try {
                props.onImport(await readModelFiles(files));
              } catch (error) {
                props.onMessage(`import: ${(error as Error).message}`);
              }
            }}
          />
        </label>
      </p>
      <SavedModels
        hasModel={props.hasModel}
        saved={props.saved}
        onSave={props.onSave}
        onLoad={props.onLoad}
        onDelete={props.onDelete}
        {...(props.defaultName ? { defaultName: props.defaultName } : {})}
      />
    </section>
  );
}

/** Save the page's model in this browser under a name; the saved ones, newest first, with Load and Delete. */
export function SavedModels(props: {
  hasModel: boolean;
  saved: readonly SavedModel[];
  onSave: (name: string) => void;
  onLoad: (name: string) => void;
  onDelete: (name: string) => void;
  defaultName?: string;
}) {
  const [name, setName] = useState(props.defaultName ?? 'my-model');
  return (
    <>
      <p>
        <input
          id="save-name"
          value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          aria-label="name to save the model under"
        />{' '}
        <button type="button" id="save" disabled={!props.hasModel} onClick={() => props.onSave(name)}>
          Save in this browser
        </button>
      </p>
      <ul id="saved" class="saved">
        {props.saved.map((m) => (
          <li key={m.name}>
            <strong>{m.name}</strong>: {m.recipe}, {m.figure}, {m.savedAt.slice(0, 19).replace('T', ' ')}{' '}
            <button type="button" class="load" onClick={() => props.onLoad(m.name)}>
              Load
            </button>{' '}
            <button type="button" class="delete" onClick={() => props.onDelete(m.name)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
