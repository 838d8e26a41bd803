import { readFile } from 'node:fs/promises';
import { useBackend, useBestBackend } from '@neurona/core/node';
import type { TableRow } from '@neurona/datasets';
import { parseCsv } from '@neurona/datasets';
import { readImage } from '@neurona/datasets/node';
import type { CategoryEncoderJSON, StandardScalerJSON } from '@neurona/preprocessing';
import { CategoryEncoder, StandardScaler, toMatrix } from '@neurona/preprocessing';
import { getRecipe } from '@neurona/recipes';
import * as tf from '@tensorflow/tfjs';
import { loadRunModel } from './evaluate.js';
import { readCompleteRun, refuseGenerativeRun } from './run-folder.js';

export interface PredictOptions {
  topK: number;
  backend?: string;
}

const imageExtension = /\.(jpe?g|png|webp|gif|tiff?|bmp)$/i;

/**
 * `neurona predict RUN_DIR FILE…`: images through the run's model (resized to its input, scaled
 * as in training), printing the top-k classes with probabilities; or CSV rows through the run's
 * saved preprocessing (Auto MPG's encoder and scaler), printing the predicted value.
 */
export async function predictCommand(dir: string, files: string[], options: PredictOptions, log = console.log) {
  const { summary } = await readCompleteRun(dir);
  refuseGenerativeRun(dir, summary, 'predict');
  const recipe = getRecipe(summary.recipe);
  if (files.length === 0) throw new Error('name at least one image or CSV file to predict');
  await (options.backend ? useBackend(options.backend) : useBestBackend());
  const loaded = await loadRunModel(dir, summary, recipe);
  try {
    const shape = (loaded.base ?? loaded.model).inputs[0]?.shape ?? [];
    const results: Record<string, unknown>[] = [];
    if (shape.length === 4) {
      const [, height, width, channels] = shape as [null, number, number, number];
      const names = summary.classNames ?? [];
      for (const file of files) {
        if (!imageExtension.test(file)) {
          throw new Error(
            `${file}: the model of ${dir} takes images (JPEG, PNG, WebP, GIF, TIFF, BMP), ${height}×${width}×${channels}`,
          );
        }
        const picture = await readImage(file, { channels: channels === 1 ? 1 : 3, size: [height, width] });
        const output = tf.tidy(() => {
          // Pixels scaled to [0, 1], as the recipes train (book: x / 255).
          let x: tf.Tensor = tf.div(tf.tensor4d(picture.data, [1, height, width, channels], 'float32'), 255);
          if (loaded.base) x = loaded.base.predict(x) as tf.Tensor;
          return loaded.model.predict(x) as tf.Tensor;
        });
        const probabilities = await output.data();
        output.dispose();
        const p = Array.from(probabilities);
        const scored =
          p.length === 1
            ? [
                { index: 1, p: p[0] as number },
                { index: 0, p: 1 - (p[0] as number) },
              ]
            : p.map((value, index) => ({ index, p: value }));
        const top = scored.sort((a, b) => b.p - a.p).slice(0, options.topK);
        const named = top.map((t) => ({ class: names[t.index] ?? String(t.index), probability: t.p }));
        log(`${file}: ${named.map((t) => `${t.class} ${t.probability.toFixed(4)}`).join(', ')}`);
        results.push({ file, top: named });
      }
      return results;
    }
    // Rows: the run's own preprocessing where it saved one (Auto MPG), else the model's input columns as given.
    const pre = summary.preprocessing as
      | { columns: string[]; target: string; encoder: CategoryEncoderJSON; scaler: StandardScalerJSON }
      | undefined;
    const features = shape[1] as number;
    for (const file of files) {
      if (imageExtension.test(file))
        throw new Error(`${file}: the model of ${dir} takes table rows (a CSV file), not images`);
      const text = await readFile(file, 'utf8').catch((error: Error) => {
        throw new Error(`${file}: cannot read it: ${error.message}`);
      });
      const rows: TableRow[] = parseCsv(text, file);
      const matrix = pre
        ? toMatrix(CategoryEncoder.fromJSON(pre.encoder).transform(rows), pre.columns)
        : toMatrix(rows, Object.keys(rows[0] ?? {}).slice(0, features));
      if (matrix.shape[1] !== features) {
        throw new Error(`${file}: its rows give ${matrix.shape[1]} numbers; the model of ${dir} takes ${features}`);
      }
      const output = tf.tidy(() => {
        let x = tf.tensor2d(matrix.values, matrix.shape);
        if (pre) x = StandardScaler.fromJSON(pre.scaler).transform(x) as tf.Tensor2D;
        return loaded.model.predict(x) as tf.Tensor;
      });
      const values = await output.data();
      output.dispose();
      const outputs = values.length / rows.length;
      rows.forEach((_, i) => {
        const out = Array.from(values.slice(i * outputs, (i + 1) * outputs));
        const label = pre?.target ?? (outputs === 1 ? 'output' : 'probabilities');
        log(`${file} row ${i + 1}: ${label} ${out.map((v) => v.toFixed(outputs === 1 && pre ? 2 : 4)).join(', ')}`);
        results.push({ file, row: i + 1, [label]: outputs === 1 ? out[0] : out });
      });
    }
    return results;
  } finally {
    loaded.dispose();
  }
}
