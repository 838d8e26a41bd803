import { useBackend } from '@neurona/core/node';
import { buildNamedModel, summary, zoo } from '@neurona/zoo';

/** `neurona model list`: the named networks of the book. */
export function modelList(log = console.log) {
  for (const m of zoo) log(`${m.name.padEnd(14)} ch ${String(m.chapter).padStart(2)}  ${m.description}`);
}

/** `neurona model summary NAME`: the Keras-style summary, ending with the parameter totals. */
export async function modelSummary(
  name: string,
  options: { inputShape?: [number, number, number]; classes?: number },
  log = console.log,
) {
  // Building needs no fast backend, and cpu is always there (quietly: only weights are made here).
  await useBackend('cpu', { log: false });
  const model = buildNamedModel(name, options);
  try {
    log(summary(model));
  } finally {
    model.dispose();
  }
}
