/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// What a model wrapped from a graph keeps of it, so that it (and the models derived, saved and loaded from it) can
// be written back as a graph model.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import {assertArg} from '../util/errors';
import {GraphNode, sortedNodes} from './graph_def';

/** A constant of the graph, read to the host. */
export interface GraphConstant {
  dtype: tf.DataType;
  shape: number[];
  values: ArrayLike<number>;
}

/** How one layer of the translation goes back into the graph. */
export interface GraphBinding {
  /** The layer's name in the translated network (and in its integral and stock exports). */
  layer: string;
  /** The node written in its place: a fused convolution, depthwise convolution or matmul, or a reshape. */
  op: '_FusedConv2D'|'FusedDepthwiseConv2dNative'|'_FusedMatMul'|'Reshape'|'Prelu';
  /** The name of the node whose output it computes (the export's node keeps that name). */
  output: string;
  /** The graph tensor it reads. */
  input: string;
  /** The node whose attributes (strides, padding, dilations) the export keeps; absent for a reshape or an affine map. */
  attrsOf?: string;
  /** The activation fused into it, as the graph names it (`Relu`, `Relu6`, `Elu`, `Sigmoid`, `Prelu`). */
  activation?: string;
  /** For a fused `Prelu`: the PReLU layer that holds its alphas. */
  alphaLayer?: string;
}

/** What the export of a wrapped graph model needs besides the narrowed layers: the graph and its bindings. */
export interface GraphSource {
  /** The original nodes (constants listed without values). */
  nodes: GraphNode[];
  /** The values of the constants the structural nodes read (shapes, axes, paddings). */
  constants: Record<string, GraphConstant>;
  bindings: GraphBinding[];
  /** The graph's output references. */
  outputs: string[];
  /** The original artifacts' `signature`, `modelTopology.versions` and `userDefinedMetadata`, kept as they are. */
  signature?: unknown;
  versions?: unknown;
  userDefinedMetadata?: unknown;
}

const BINDING_OPS = ['_FusedConv2D', 'FusedDepthwiseConv2dNative', '_FusedMatMul', 'Reshape', 'Prelu'];
/** The most elements the kept constants of a saved graph may have in all. */
const MAX_KEPT_ELEMENTS = 1 << 20;

/**
 * `raw` (a saved model's `graph` metadata) checked against the loaded network `model`: nodes that form a graph,
 * bindings to layers of the network and nodes of the graph, constants of bounded size. Throws an Error naming `op`.
 */
export function validatedGraphSource(raw: unknown, model: tfl.LayersModel, op: string): GraphSource {
  const at = 'tfjsIntegral.graph';
  const g = raw as GraphSource;
  assertArg(g != null && typeof g === 'object' && Array.isArray(g.bindings) && Array.isArray(g.outputs) &&
                g.constants != null && typeof g.constants === 'object',
            op, at, 'an object of nodes, constants, bindings and outputs', raw);
  const nodes = new Set(sortedNodes({node: g.nodes}, op).map(n => n.name));
  const layers = new Set(model.layers.map(l => l.name));
  g.bindings.forEach((b, i) => {
    assertArg(b != null && layers.has(b.layer) && nodes.has(b.output) && BINDING_OPS.includes(b.op) &&
                  typeof b.input === 'string' && nodes.has(b.input.replace(/:\d+$/, '')) &&
                  (b.attrsOf == null || nodes.has(b.attrsOf)) && (b.alphaLayer == null || layers.has(b.alphaLayer)),
              op, `${at}.bindings[${i}]`, 'a layer of the network bound to nodes of the graph', b);
  });
  let elements = 0;
  for (const [name, c] of Object.entries(g.constants)) {
    assertArg(nodes.has(name) && c != null && Array.isArray(c.shape) && Array.isArray(c.values) &&
                  ['float32', 'int32'].includes(c.dtype) && (c.values as number[]).every(v => typeof v === 'number') &&
                  c.values.length === c.shape.reduce((a, b) => a * b, 1),
              op, `${at}.constants['${name}']`, 'a float32 or int32 constant of the graph', c);
    elements += c.values.length;
  }
  assertArg(elements <= MAX_KEPT_ELEMENTS, op, `${at}.constants`, `at most ${MAX_KEPT_ELEMENTS} elements in all`,
            elements);
  assertArg(g.outputs.every(o => typeof o === 'string' && nodes.has(o.replace(/:\d+$/, ''))), op, `${at}.outputs`,
            'names of nodes of the graph', g.outputs);
  return {...g, nodes: g.nodes as GraphNode[]};
}
