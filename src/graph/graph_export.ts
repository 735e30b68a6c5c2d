/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// A wrapped graph model written back as a graph model (docs/api.md §7): the original graph, each translated layer's
// nodes replaced by one fused node of the same name holding the layer's weights at the model's widths.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {quantizeArtifacts, WeightQuantization} from '../io/quantize';
import {version} from '../version';
import {AttrValue, dataInputs, GraphNode, stringsValue, stringValue, TF_DTYPES} from './graph_def';
import {GraphOp} from './graph_op_layer';
import type {GraphBinding, GraphSource} from './graph_source';

const ones = (n: number) => ({list: {i: Array.from({length: n}, () => '1')}});
/** Attributes the export sets itself, dropped from the original node's. */
const REWRITTEN = new Set(['fused_ops', 'num_args', 'epsilon', 'transpose_a', 'transpose_b', '_output_shapes',
                           'leakyrelu_alpha']);

/** A Const node of `t`'s dtype and shape (its value is in the weights under the same name). */
function constNode(name: string, t: tf.Tensor): GraphNode {
  const dtype = TF_DTYPES[t.dtype];
  return {name, op: 'Const', attr: {
    value: {tensor: {dtype, tensorShape: {dim: t.shape.map(d => ({size: String(d)}))}}},
    dtype: {type: dtype},
  }};
}

/** The fused node that computes `binding`'s layer from its weights' constants. */
function fusedNode(binding: GraphBinding, original: GraphNode|undefined, weightNames: string[]): GraphNode {
  const attr: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(original?.attr ?? {})) if (!REWRITTEN.has(k)) attr[k] = v;
  if (binding.activation === 'LeakyRelu') attr.leakyrelu_alpha = original?.attr?.leakyrelu_alpha ?? {f: 0.2};
  attr.T = {type: 'DT_FLOAT'};
  if (binding.op !== '_FusedMatMul') {
    attr.strides ??= ones(4);
    attr.dilations ??= ones(4);
    attr.padding ??= stringValue('VALID');
    attr.data_format ??= stringValue('NHWC');
  } else {
    attr.transpose_a = {b: false};
    attr.transpose_b = {b: false};
  }
  attr.fused_ops = stringsValue(['BiasAdd', ...(binding.activation != null ? [binding.activation] : [])]);
  attr.num_args = {i: String(weightNames.length - 1)};
  attr.epsilon = {f: 0};
  return {name: binding.output, op: binding.op, input: [binding.input, ...weightNames], attr};
}

/**
 * The graph-model artifacts of `source` with the layers of `narrow` (the stock network at the model's widths):
 * weights float32, or quantized as `quantization` says; nodes no output reads any more are dropped.
 */
export async function graphArtifacts(source: GraphSource, narrow: tfl.LayersModel, quantization?: WeightQuantization):
    Promise<tf.io.ModelArtifacts> {
  const names = new Set(source.nodes.map(n => n.name));
  const fresh = (base: string) => {
    let name = base;
    for (let k = 1; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const original = new Map(source.nodes.map(n => [n.name, n]));
  const bound = new Map(source.bindings.map(b => [b.output, b]));
  const values = new Map<string, tf.Tensor>();
  const replaced = new Map<string, GraphNode[]>();
  try {
    for (const [name, c] of Object.entries(source.constants)) values.set(name, tf.tensor(c.values as number[], c.shape, c.dtype));
    for (const layer of narrow.layers) {
      if (!(layer instanceof GraphOp)) continue;
      const weights = layer.getWeights();
      layer.constants.forEach((c, i) => values.set(c.node, weights[i].clone()));
    }
    for (const b of source.bindings) {
      const layer = narrow.getLayer(b.layer);
      if (b.op === 'Reshape') {
        const shapeName = fresh(`${b.output}/shape`);
        values.set(shapeName, tf.tensor1d([-1, ...layer.outputShape.slice(1) as number[]], 'int32'));
        replaced.set(b.output, [{...original.get(b.output)!, input: [b.input, shapeName]}]);
        continue;
      }
      const alphaOf = (name: string) => tf.reshape(narrow.getLayer(name).getWeights()[0], [-1]);
      if (b.op === 'Prelu') {
        const alphaName = fresh(`${b.output}/alpha`);
        values.set(alphaName, alphaOf(b.layer));
        replaced.set(b.output, [{name: b.output, op: 'Prelu', input: [b.input, alphaName], attr: {T: {type: 'DT_FLOAT'}}}]);
        continue;
      }
      const [kernel, bias] = layer.getWeights();
      const weightNames = [fresh(`${b.output}/weights`), fresh(`${b.output}/bias`)];
      values.set(weightNames[0], kernel.clone());
      values.set(weightNames[1], bias.clone());
      if (b.alphaLayer != null) {
        weightNames.push(fresh(`${b.output}/alpha`));
        values.set(weightNames[2], alphaOf(b.alphaLayer));
      }
      replaced.set(b.output, [fusedNode(b, b.attrsOf != null ? original.get(b.attrsOf) : undefined, weightNames)]);
    }
    const nodes = new Map<string, GraphNode>();
    for (const node of source.nodes) {
      if (bound.has(node.name)) {
        for (const n of replaced.get(node.name)!) nodes.set(n.name, n);
      } else if (node.op !== 'Const' || values.has(node.name)) {
        nodes.set(node.name, node);
      }
    }
    for (const [name, t] of values) if (!nodes.has(name)) nodes.set(name, constNode(name, t));
    // Keep what the outputs read.
    const kept = new Set<string>();
    const stack = source.outputs.map(o => o.replace(/:\d+$/, ''));
    for (const n of nodes.values()) if (n.op === 'Placeholder') stack.push(n.name);
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (kept.has(name)) continue;
      kept.add(name);
      for (const r of dataInputs(nodes.get(name)!)) stack.push(r.node);
    }
    const graph = [...nodes.values()].filter(n => kept.has(n.name))
                      .map(n => n.op === 'Const' ? constNode(n.name, values.get(n.name)!) : n);
    const weights: tf.NamedTensorMap = {};
    for (const n of graph) if (n.op === 'Const') weights[n.name] = values.get(n.name)!;
    const {data, specs} = await tf.io.encodeWeights(weights);
    const artifacts: tf.io.ModelArtifacts = {
      modelTopology: {node: graph, ...(source.versions != null ? {versions: source.versions} : {})},
      format: 'graph-model',
      generatedBy: 'tfjs-integral',
      convertedBy: `tfjs-integral ${version}`,
      weightSpecs: specs,
      weightData: data,
      ...(source.signature != null ? {signature: source.signature as {}} : {}),
      ...(source.userDefinedMetadata != null ? {userDefinedMetadata: source.userDefinedMetadata as {}} : {}),
    };
    return quantization == null ? artifacts : quantizeArtifacts(artifacts, quantization);
  } finally {
    tf.dispose([...values.values()]);
  }
}
