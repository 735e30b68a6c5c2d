/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Small graph models built node by node, as tfjs-converter writes them, for the GraphModel specs.
import * as tf from '@tensorflow/tfjs-core';

import type {GraphNode} from '../../src/graph/graph_def';

const b64 = (s: string) => typeof btoa === 'function' ? btoa(s) : Buffer.from(s, 'latin1').toString('base64');
const ints = (values: number[]) => ({list: {i: values.map(String)}});
const str = (value: string) => ({s: b64(value)});

/** Builds a GraphDef and its weights; every method returns the name of the node it adds. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  private readonly weights: Array<[string, tf.Tensor]> = [];
  private seed: number;

  constructor(seed: number) {
    this.seed = seed;
  }

  input(name: string, shape: number[]): string {
    this.nodes.push({name, op: 'Placeholder', attr: {
      shape: {shape: {dim: [-1, ...shape].map(d => ({size: String(d)}))}}, dtype: {type: 'DT_FLOAT'}}});
    return name;
  }

  /** A constant of `values` (or seeded normal values of `shape`, times `scale`, plus `offset`). */
  constant(name: string, shape: number[], values?: number[], scale = 0.5, offset = 0): string {
    const t = values != null ? tf.tensor(values, shape, 'float32') :
                               tf.tidy(() => tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', this.seed++), scale),
                                                    offset));
    this.weights.push([name, t]);
    this.nodes.push({name, op: 'Const', attr: {
      value: {tensor: {dtype: 'DT_FLOAT', tensorShape: {dim: shape.map(d => ({size: String(d)}))}}},
      dtype: {type: 'DT_FLOAT'}}});
    return name;
  }

  /** An int32 constant (shapes, axes, paddings). */
  ints(name: string, shape: number[], values: number[]): string {
    this.weights.push([name, tf.tensor(values, shape, 'int32')]);
    this.nodes.push({name, op: 'Const', attr: {
      value: {tensor: {dtype: 'DT_INT32', tensorShape: {dim: shape.map(d => ({size: String(d)}))}}},
      dtype: {type: 'DT_INT32'}}});
    return name;
  }

  op(op: string, name: string, input: string[], attr: GraphNode['attr'] = {}): string {
    this.nodes.push({name, op, input, attr: {T: {type: 'DT_FLOAT'}, ...attr}});
    return name;
  }

  /** A convolution node (`Conv2D`, `_FusedConv2D`, depthwise ones) with its weights' constants. */
  conv(op: string, name: string, x: string, filterShape: number[],
       o: {strides?: number, padding?: string, fused?: string[], dilation?: number} = {}): string {
    const filter = this.constant(`${name}/filter`, filterShape);
    const outputs = op.includes('Depthwise') ? filterShape[2] * filterShape[3] : filterShape[3];
    const fused = o.fused ?? [];
    const args = fused[0] === 'BiasAdd' ? [this.constant(`${name}/bias`, [outputs], undefined, 0.2)] : [];
    const s = o.strides ?? 1, d = o.dilation ?? 1;
    return this.op(op, name, [x, filter, ...args], {
      strides: ints([1, s, s, 1]), dilations: ints([1, d, d, 1]), padding: str(o.padding ?? 'SAME'),
      data_format: str('NHWC'),
      ...(fused.length > 0 ? {fused_ops: {list: {s: fused.map(b64)}}, num_args: {i: String(args.length)}} : {}),
    });
  }

  matMul(op: string, name: string, x: string, shape: [number, number], o: {transposeB?: boolean, fused?: string[]} = {}) {
    const w = this.constant(`${name}/weights`, o.transposeB ? [shape[1], shape[0]] : shape);
    const fused = o.fused ?? [];
    const args = fused[0] === 'BiasAdd' ? [this.constant(`${name}/bias`, [shape[1]], undefined, 0.2)] : [];
    return this.op(op, name, [x, w, ...args], {
      transpose_a: {b: false}, transpose_b: {b: o.transposeB ?? false},
      ...(fused.length > 0 ? {fused_ops: {list: {s: fused.map(b64)}}, num_args: {i: String(args.length)}} : {}),
    });
  }

  pool(op: 'MaxPool'|'AvgPool', name: string, x: string, size: number, stride: number, padding = 'VALID') {
    return this.op(op, name, [x], {ksize: ints([1, size, size, 1]), strides: ints([1, stride, stride, 1]),
                                   padding: str(padding), data_format: str('NHWC')});
  }

  /** The artifacts of the graph (the caller's tensors are released once they are encoded). */
  async artifacts(): Promise<tf.io.ModelArtifacts> {
    const named = Object.fromEntries(this.weights);
    const {data, specs} = await tf.io.encodeWeights(named);
    tf.dispose(this.weights.map(([, t]) => t));
    return {modelTopology: {node: this.nodes, versions: {producer: 1}}, format: 'graph-model',
            generatedBy: 'test', convertedBy: 'test', weightSpecs: specs, weightData: data};
  }
}

/**
 * An inverted-residual CNN on `[8, 8, 3]` inputs through every convolution form: scalar preprocessing (Mul, Sub),
 * a Conv2D with a separate BiasAdd, FusedBatchNormV3 and Relu6, a fused expansion, a fused depthwise convolution, a
 * projection followed by per-channel Mul and Add, a residual AddV2, Pad, MaxPool, two branches joined by ConcatV2 (its axis through an Identity),
 * AvgPool, Squeeze, a MatMul with transposed weights and BiasAdd, Softmax.
 */
export function invertedResidualGraph(seed: number): GraphBuilder {
  const g = new GraphBuilder(seed);
  const x = g.input('image', [8, 8, 3]);
  const scaled = g.op('Mul', 'pre/mul', [g.constant('pre/scale', [], [2]), x]);
  const centred = g.op('Sub', 'pre/sub', [scaled, g.constant('pre/mean', [], [1])]);
  const stem = g.conv('Conv2D', 'stem/conv', centred, [3, 3, 3, 8]);
  const biased = g.op('BiasAdd', 'stem/bias', [stem, g.constant('stem/b', [8], undefined, 0.2)],
                      {data_format: str('NHWC')});
  const bn = g.op('FusedBatchNormV3', 'stem/bn', [biased, g.constant('stem/gamma', [8], undefined, 0.2, 1),
                                                  g.constant('stem/beta', [8], undefined, 0.2),
                                                  g.constant('stem/mean', [8], undefined, 0.2),
                                                  g.constant('stem/var', [8], undefined, 0.2, 1.5)],
                  {epsilon: {f: 0.001}, is_training: {b: false}, data_format: str('NHWC')});
  const stemOut = g.op('Relu6', 'stem/relu6', [bn]);
  const expand = g.conv('_FusedConv2D', 'block/expand', stemOut, [1, 1, 8, 16], {fused: ['BiasAdd', 'Relu6']});
  const dw = g.conv('FusedDepthwiseConv2dNative', 'block/depthwise', expand, [3, 3, 16, 1], {fused: ['BiasAdd', 'Relu6']});
  const project = g.conv('Conv2D', 'block/project', dw, [1, 1, 16, 8]);
  const scaledProject = g.op('Mul', 'block/scale', [project, g.constant('block/gamma', [8], undefined, 0.2, 1)]);
  const shifted = g.op('Add', 'block/shift', [scaledProject, g.constant('block/beta', [1, 1, 1, 8], undefined, 0.2)]);
  const residual = g.op('AddV2', 'block/add', [stemOut, shifted]);
  const padded = g.op('Pad', 'pad', [residual, g.ints('pad/paddings', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0])]);
  const pooled = g.pool('MaxPool', 'maxpool', padded, 2, 2);
  const a = g.conv('_FusedConv2D', 'branch_a', pooled, [1, 1, 8, 6], {fused: ['BiasAdd', 'Relu']});
  const b = g.op('Relu', 'branch_b/relu', [g.conv('Conv2D', 'branch_b', pooled, [3, 3, 8, 4])]);
  // The axis read through an Identity, as frozen graphs often do.
  const axis = g.op('Identity', 'concat/axis/read', [g.ints('concat/axis', [], [-1])], {T: {type: 'DT_INT32'}});
  const joined = g.op('ConcatV2', 'concat', [a, b, axis], {N: {i: '2'}});
  const avg = g.pool('AvgPool', 'avgpool', joined, 5, 1);
  const squeezed = g.op('Squeeze', 'squeeze', [avg], {squeeze_dims: ints([1, 2])});
  const logits = g.matMul('MatMul', 'logits/matmul', squeezed, [10, 5], {transposeB: true});
  const biasedLogits = g.op('BiasAdd', 'logits/bias', [logits, g.constant('logits/b', [5], undefined, 0.2)]);
  g.op('Softmax', 'probabilities', [biasedLogits]);
  return g;
}

/**
 * A CNN on `[6, 6, 4]` inputs through the other forms: an unfused depthwise convolution (multiplier 2) with BiasAdd
 * and Elu, a per-channel AddV2 that follows no producer, a dilated fused convolution read twice (swish: its Sigmoid
 * times itself, a Mul of two tensors), Identity, Mean with keep_dims, Reshape, a fused MatMul with Relu, a MatMul
 * without bias, Tanh.
 */
export function meanReshapeGraph(seed: number): GraphBuilder {
  const g = new GraphBuilder(seed);
  const x = g.input('x', [6, 6, 4]);
  const dw = g.conv('DepthwiseConv2dNative', 'dw', x, [3, 3, 4, 2], {padding: 'VALID'});
  const dwOut = g.op('Elu', 'dw/elu', [g.op('BiasAdd', 'dw/bias', [dw, g.constant('dw/b', [8], undefined, 0.2)])]);
  const shifted = g.op('AddV2', 'dw/shift', [dwOut, g.constant('dw/offset', [8], undefined, 0.2)]);
  const conv = g.conv('_FusedConv2D', 'conv', shifted, [2, 2, 8, 12], {fused: ['BiasAdd'], dilation: 2});
  const swish = g.op('Mul', 'conv/swish', [conv, g.op('Sigmoid', 'conv/sigmoid', [conv])]);
  const same = g.op('Identity', 'conv/identity', [swish]);
  const mean = g.op('Mean', 'mean', [same, g.ints('mean/axes', [2], [1, 2])], {keep_dims: {b: true}});
  const flat = g.op('Reshape', 'flatten', [mean, g.ints('flatten/shape', [2], [-1, 12])]);
  const hidden = g.matMul('_FusedMatMul', 'hidden', flat, [12, 10], {fused: ['BiasAdd', 'Relu']});
  const out = g.matMul('MatMul', 'out', hidden, [10, 3]);
  g.op('Tanh', 'out/tanh', [out]);
  return g;
}

/**
 * A CNN on `[6, 6, 3]` inputs through PReLU and LeakyReLU (as BlazeFace- and YOLO-style converted models have them):
 * a fused convolution with BiasAdd and Prelu, one with BiasAdd and LeakyRelu, their residual AddV2 followed by a
 * standalone Prelu, a convolution followed by a Prelu node of `[1, 1, C]` alphas, Mean, LeakyRelu, MatMul.
 */
export function preluGraph(seed: number): GraphBuilder {
  const g = new GraphBuilder(seed);
  const x = g.input('x', [6, 6, 3]);
  const a = g.conv('_FusedConv2D', 'a', x, [3, 3, 3, 8], {fused: ['BiasAdd', 'Prelu']});
  g.constant('a/alpha', [8], undefined, 0.1, 0.2);
  g.nodes.find(n => n.name === 'a')!.input!.push('a/alpha');
  g.nodes.find(n => n.name === 'a')!.attr!.num_args = {i: '2'};
  const b = g.conv('_FusedConv2D', 'b', x, [1, 1, 3, 8], {fused: ['BiasAdd', 'LeakyRelu']});
  g.nodes.find(n => n.name === 'b')!.attr!.leakyrelu_alpha = {f: 0.1};
  const sum = g.op('AddV2', 'sum', [a, b]);
  const activated = g.op('Prelu', 'sum/prelu', [sum, g.constant('sum/alpha', [8], undefined, 0.1, 0.2)]);
  const c = g.conv('Conv2D', 'c', activated, [3, 3, 8, 6]);
  const cOut = g.op('Prelu', 'c/prelu', [c, g.constant('c/alpha', [1, 1, 6], undefined, 0.1, 0.2)]);
  const mean = g.op('Mean', 'mean', [cOut, g.ints('mean/axes', [2], [1, 2])], {keep_dims: {b: false}});
  g.matMul('MatMul', 'out', g.op('LeakyRelu', 'mean/leaky', [mean], {alpha: {f: 0.3}}), [6, 3]);
  return g;
}

/**
 * A CNN on `[6, 6, 3]` inputs through ops outside the translated ones, kept as they are: Transpose (an int32
 * permutation), Square, Split (two outputs, read in swapped order), a fused convolution with EXPLICIT padding,
 * ResizeBilinear (an int32 size); fused convolutions between them, Mean, MatMul.
 */
export function keptOpsGraph(seed: number): GraphBuilder {
  const g = new GraphBuilder(seed);
  const x = g.input('x', [6, 6, 3]);
  const a = g.conv('_FusedConv2D', 'a', x, [3, 3, 3, 8], {fused: ['BiasAdd', 'Relu']});
  const b = g.conv('_FusedConv2D', 'b', a, [1, 1, 8, 8], {fused: ['BiasAdd', 'Relu']});
  const swapped = g.op('Transpose', 'swap', [b, g.ints('swap/perm', [4], [0, 2, 1, 3])], {Tperm: {type: 'DT_INT32'}});
  const squared = g.op('Square', 'square', [swapped]);
  g.op('Split', 'split', [g.ints('split/axis', [], [3]), squared], {num_split: {i: '2'}});
  const sum = g.op('AddV2', 'sum', ['split:1', 'split']);
  const c = g.conv('_FusedConv2D', 'c', sum, [3, 3, 4, 6], {fused: ['BiasAdd', 'Relu'], strides: 2, padding: 'EXPLICIT'});
  g.nodes.find(n => n.name === 'c')!.attr!.explicit_paddings = ints([0, 0, 1, 1, 1, 1, 0, 0]);
  const resized = g.op('ResizeBilinear', 'resize', [c, g.ints('resize/size', [2], [5, 5])],
                       {align_corners: {b: false}, half_pixel_centers: {b: true}});
  const d = g.conv('_FusedConv2D', 'd', resized, [1, 1, 6, 10], {fused: ['BiasAdd', 'Relu']});
  const mean = g.op('Mean', 'mean', [d, g.ints('mean/axes', [2], [1, 2])], {keep_dims: {b: false}});
  g.matMul('MatMul', 'out', mean, [10, 3]);
  return g;
}
