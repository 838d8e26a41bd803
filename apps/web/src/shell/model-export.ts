import * as tf from '@tensorflow/tfjs';

/**
 * A model as the files tfjs's `browserDownloads` and `neurona train` write: the `model.json`
 * text, whose manifest points at `./<weightsFile>`, and the weights as one buffer. The model's
 * user-defined metadata, if any, goes into the JSON.
 */
export async function modelFiles(
  model: tf.LayersModel,
  weightsFile: string,
): Promise<{ json: string; weights: ArrayBuffer }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightData || !saved.weightSpecs) throw new Error('export: the model saved no weights');
  const weights = Array.isArray(saved.weightData)
    ? tf.io.concatenateArrayBuffers(saved.weightData)
    : (saved.weightData as ArrayBuffer);
  const json = {
    modelTopology: saved.modelTopology,
    format: saved.format,
    generatedBy: saved.generatedBy,
    convertedBy: saved.convertedBy,
    ...(saved.userDefinedMetadata ? { userDefinedMetadata: saved.userDefinedMetadata } : {}),
    weightsManifest: [{ paths: [`./${weightsFile}`], weights: saved.weightSpecs }],
  };
  return { json: JSON.stringify(json), weights };
}
