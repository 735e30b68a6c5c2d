/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// A saved IntegralModel: the integral network's artifacts, its groups in the user-defined metadata, and its
// reference network's topology and weights alongside (weights named under a prefix, after the network's own).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg} from '../util/errors';
import {IntegralMetadata, METADATA_KEY} from './metadata';

/** Prefix of the reference network's weight names in a saved IntegralModel's manifest. */
export const REFERENCE_WEIGHT_PREFIX = 'tfjsIntegralReference/';

/** What `IntegralModel.save` writes under `METADATA_KEY`: the groups, the layout and the reference's topology. */
export interface SavedIntegralMetadata extends IntegralMetadata {
  /** The reference network's topology; its weights are those named under `REFERENCE_WEIGHT_PREFIX`. */
  reference?: {modelTopology: object};
  /** True when the saved controls are the reference's function itself (wrapped or resampled, not re-fitted). */
  pristine?: boolean;
  /** The graph a model of `wrapGraphModel` was wrapped from (what `saveGraphModel` writes back; checked on load). */
  graph?: unknown;
}

/** The artifacts `model.save` would hand a handler. */
export async function artifactsOf(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts|null = null;
  await model.save(tf.io.withSaveHandler(async artifacts => {
    saved = artifacts;
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
  }));
  return saved!;
}

/** The save handler of `handlerOrURL` (a URL as `model.save` resolves it), or an Error naming `op`. */
export function saveHandler(handlerOrURL: string|tf.io.IOHandler, op: string): tf.io.IOHandler {
  if (typeof handlerOrURL !== 'string') {
    assertArg(handlerOrURL != null && typeof handlerOrURL.save === 'function', op, 'handlerOrURL',
              'a URL or an IOHandler that saves', handlerOrURL);
    return handlerOrURL;
  }
  const handlers = tf.io.getSaveHandlers(handlerOrURL);
  assertArg(handlers.length === 1, op, 'handlerOrURL', 'a URL that one IO handler saves to (file://, localstorage://, ...)',
            handlerOrURL);
  return handlers[0];
}

/**
 * Saves the integral network `model` with `metadata` and the stock `reference` network to `handlerOrURL`, as one
 * model.json and one set of weights.
 */
export async function saveIntegralModel(handlerOrURL: string|tf.io.IOHandler, model: tfl.LayersModel,
                                        reference: tfl.LayersModel, metadata: IntegralMetadata, pristine: boolean,
                                        graph: object|null):
    Promise<tf.io.SaveResult> {
  const handler = saveHandler(handlerOrURL, 'IntegralModel.save');
  const [own, ref] = [await artifactsOf(model), await artifactsOf(reference)];
  const saved: SavedIntegralMetadata = {...metadata, reference: {modelTopology: ref.modelTopology as object}, pristine,
                                        ...(graph != null ? {graph} : {})};
  // A JSON round trip drops `undefined` fields, which tfjs's plain-object check rejects.
  const userDefinedMetadata = JSON.parse(JSON.stringify({...own.userDefinedMetadata, [METADATA_KEY]: saved}));
  return handler.save!({
    ...own,
    userDefinedMetadata,
    weightSpecs: [...own.weightSpecs ?? [], ...(ref.weightSpecs ?? []).map(s => ({...s, name: REFERENCE_WEIGHT_PREFIX + s.name}))],
    weightData: tf.io.CompositeArrayBuffer.join([own.weightData ?? new ArrayBuffer(0), ref.weightData ?? new ArrayBuffer(0)]
                                                     .flat()),
  });
}

/** Bytes a weight spec occupies in the weight data. */
function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const bytes: Record<string, number> = {float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2, int8: 1, int16: 2};
  return spec.shape.reduce((a, b) => a * b, 1) * (bytes[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

/**
 * Splits loaded artifacts into the integral network's and the reference network's (null when the file has none):
 * the reference's weights are the ones named under `REFERENCE_WEIGHT_PREFIX`, stored after the network's own.
 */
export function splitReference(artifacts: tf.io.ModelArtifacts, metadata: SavedIntegralMetadata, op: string):
    {own: tf.io.ModelArtifacts, reference: tf.io.ModelArtifacts|null} {
  const specs = artifacts.weightSpecs ?? [];
  const isReference = (s: tf.io.WeightsManifestEntry) => s?.name?.startsWith?.(REFERENCE_WEIGHT_PREFIX) === true;
  const first = specs.findIndex(isReference);
  const topology = metadata.reference?.modelTopology;
  assertArg((topology == null) === (first < 0) && (topology == null || typeof topology === 'object'), op,
            `${METADATA_KEY}.reference`, `present, an object, exactly when weights named '${REFERENCE_WEIGHT_PREFIX}…' are`,
            topology == null ? 'absent' : typeof topology);
  if (topology == null) return {own: artifacts, reference: null};
  const ownSpecs = specs.slice(0, first), refSpecs = specs.slice(first);
  const stray = refSpecs.find(s => !isReference(s));
  assertArg(stray == null, op, 'weightsManifest', `the reference network's weights after all of the model's own`,
            stray?.name);
  const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
  const split = ownSpecs.reduce((sum, s) => sum + specBytes(s), 0);
  return {
    own: {...artifacts, weightSpecs: ownSpecs, weightData: data.slice(0, split)},
    reference: {
      modelTopology: topology,
      format: 'layers-model',
      weightSpecs: refSpecs.map(s => ({...s, name: s.name.slice(REFERENCE_WEIGHT_PREFIX.length)})),
      weightData: data.slice(split),
    },
  };
}
