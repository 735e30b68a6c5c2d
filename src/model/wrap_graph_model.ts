/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {convertModel, WrapOptions} from '../converter/convert';
import {disposeModel} from '../converter/topology';
import {sortedNodes} from '../graph/graph_def';
import {SUPPORTED_GRAPH_OPS, translateGraph, untranslatedOps} from '../graph/graph_layers';
import {findGraphModelClass} from '../graph/graph_op_layer';
import type {GraphConstant} from '../graph/graph_source';
import {assertArg} from '../util/errors';
import {IntegralModel} from './integral_model';
import {withReference} from './wrap_model';

/**
 * What {@link wrapGraphModel} reads of a `tf.GraphModel` (from `@tensorflow/tfjs-converter`, which this package
 * does not import): its weights, its output nodes and the artifacts it was loaded from.
 */
export interface GraphModelLike {
  /** The graph's constants by node name (tfjs-converter dequantizes quantized ones on load). */
  readonly weights: tf.NamedTensorMap|{[name: string]: tf.Tensor[]};
  /** The names of the graph's output nodes, in the order `predict` returns them. */
  readonly outputNodes: string[];
}

const OP = 'wrapGraphModel';

/** The constants of a graph model, read to the host (quantized weights come dequantized). */
async function constantsOf(weights: GraphModelLike['weights']): Promise<Map<string, GraphConstant>> {
  const constants = new Map<string, GraphConstant>();
  for (const [name, value] of Object.entries(weights)) {
    const t = Array.isArray(value) ? value[0] : value;
    if (t == null || (t.dtype !== 'float32' && t.dtype !== 'int32')) continue;
    constants.set(name, {dtype: t.dtype, shape: t.shape, values: await t.data()});
  }
  return constants;
}

/**
 * Wraps a graph model (`tf.loadGraphModel`'s result, docs/api.md §7) as an Integral Neural Network: its graph is
 * translated into stock layers (each convolution, depthwise convolution and matmul with the bias additions,
 * per-channel affine maps, batch normalizations and activation that follow it alone; pooling, padding, means,
 * reshapes, concatenations, residual additions), then wrapped as {@link wrapModel} wraps a LayersModel: channel
 * groups through the graph, permutation, integral layers. At the original widths it predicts what `graphModel`
 * predicts; `resample`, `calibrate`, `distill` and `searchWidths` work as for any IntegralModel, and
 * `saveGraphModel` writes a graph model back. A node of another op is kept as it is (a `GraphOp` layer that runs it
 * with tfjs-converter's GraphModel): the channel groups it touches stay discrete, and `inspect` names it.
 * `graphModel` is not changed.
 */
export async function wrapGraphModel(graphModel: GraphModelLike, options: WrapOptions = {}): Promise<IntegralModel> {
  const artifacts = (graphModel as {artifacts?: tf.io.ModelArtifacts}|null)?.artifacts;
  assertArg(artifacts != null && typeof artifacts === 'object' && artifacts.modelTopology != null &&
                Array.isArray(graphModel.outputNodes) && graphModel.weights != null,
            OP, 'graphModel', 'a tf.GraphModel (from tf.loadGraphModel)',
            graphModel?.constructor?.name === 'LayersModel' ? 'a LayersModel (wrap it with wrapModel)' : graphModel);
  const nodes = sortedNodes(artifacts.modelTopology, OP);
  const untranslated = untranslatedOps(nodes);
  if (!await findGraphModelClass(graphModel.constructor) && untranslated.length > 0) {
    throw new Error(`Error in ${OP}: the graph has ops outside the translated ones: ${untranslated.join(', ')}; ` +
                    "they run as they are through tfjs-converter's GraphModel, which was not found: pass a " +
                    'tf.GraphModel, or install @tensorflow/tfjs-converter 4.22. Translated ops: ' +
                    `${SUPPORTED_GRAPH_OPS.join(', ')}.`);
  }
  const translated = translateGraph(nodes, await constantsOf(graphModel.weights), graphModel.outputNodes);
  try {
    const {wrapped, groups, layout, permutation} = await convertModel(translated.model, options);
    const topology = artifacts.modelTopology as {versions?: unknown};
    return new IntegralModel({groups, layout, permutation, network: withReference(wrapped), graph: {
      ...translated.source,
      ...(topology.versions != null ? {versions: topology.versions} : {}),
      ...(artifacts.signature != null ? {signature: artifacts.signature} : {}),
      ...(artifacts.userDefinedMetadata != null ? {userDefinedMetadata: artifacts.userDefinedMetadata} : {}),
    }});
  } finally {
    disposeModel(translated.model);
  }
}
