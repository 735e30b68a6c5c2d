/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// A graph model's GraphDef as a LayersModel of stock layers that computes the same function (docs/api.md §7), and
// what the export needs to write the narrowed layers back into the graph.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeLayers} from '../converter/topology';
import {assertArg} from '../util/errors';
import {AFFINE_OPS, affineMap, foldAffine, Folding} from './affine_folding';
import {boolAttr, dataInputs, GraphNode, intsAttr, numberAttr, parseInput, stringAttr, stringsAttr} from './graph_def';
import {GraphOp, GraphOpConstant, GraphOpInput} from './graph_op_layer';
import type {GraphBinding, GraphConstant, GraphSource} from './graph_source';

/** The ops the translation covers (docs/api.md §7). */
export const SUPPORTED_GRAPH_OPS = [
  'Placeholder', 'Const', 'Identity', 'StopGradient', 'Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative',
  'FusedDepthwiseConv2dNative', 'MatMul', '_FusedMatMul', 'BiasAdd', 'Add', 'AddV2', 'Sub', 'Mul', 'FusedBatchNorm',
  'FusedBatchNormV3', 'Relu', 'Relu6', 'Elu', 'Sigmoid', 'Tanh', 'Softmax', 'MaxPool', 'AvgPool', 'Pad', 'Mean',
  'Reshape', 'Squeeze', 'ConcatV2', 'Prelu', 'LeakyRelu',
] as const;

/** Graph activations that fused ops and stock layers both know, by graph op. */
const FUSABLE_ACTIVATIONS: Record<string, string> = {Relu: 'relu', Relu6: 'relu6', Elu: 'elu', Sigmoid: 'sigmoid'};
const ACTIVATIONS: Record<string, string> = {...FUSABLE_ACTIVATIONS, Tanh: 'tanh', Softmax: 'softmax'};
/**
 * Activations a fused producer may have that are layers of their own in the translation: PReLU and LeakyReLU, which
 * no stock producer fuses, and Relu6, as a `ReLU` layer with `maxValue: 6` (a clip, where the stock `relu6`
 * activation takes a broadcast minimum that wasm runs several times slower).
 */
const LAYER_ACTIVATIONS = ['Prelu', 'LeakyRelu', 'Relu6'];
/** The stock layer of a Relu6 (after a producer, named after it: the producer keeps the chain's name). */
const relu6 = (name: string) => tfl.layers.reLU({name, maxValue: 6});
/** A producer layer's activation for its chain's: linear when none, or when it is a layer of its own. */
const linearUnlessFusable = (activation?: string) =>
    LAYER_ACTIVATIONS.includes(activation ?? '') ? 'linear' : FUSABLE_ACTIVATIONS[activation ?? ''] ?? 'linear';
const PRODUCERS = new Set(['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative', 'MatMul',
                           '_FusedMatMul']);
/** Elements a structural constant (a shape, axes, paddings) may have. */
const MAX_STRUCTURAL_ELEMENTS = 4096;

/** The translation of a graph: the stock network and its source. The caller disposes the network. */
export interface TranslatedGraph {
  model: tfl.LayersModel;
  source: GraphSource;
}

const OP = 'wrapGraphModel';

/** The ops of `nodes` outside {@link SUPPORTED_GRAPH_OPS}, each with its first nodes (`'Erf' (2 nodes: 'a', 'b')`). */
export function untranslatedOps(nodes: GraphNode[]): string[] {
  const untranslated = new Map<string, string[]>();
  const supported = new Set<string>(SUPPORTED_GRAPH_OPS);
  for (const n of nodes) if (!supported.has(n.op)) untranslated.set(n.op, [...untranslated.get(n.op) ?? [], n.name]);
  return [...untranslated].map(([op, names]) => `'${op}' (${names.length} node${names.length > 1 ? 's' : ''}: ` +
                                                `'${names.slice(0, 3).join("', '")}'${names.length > 3 ? ', …' : ''})`);
}

/** A tensor's key in the translation: the node's name for its first output, `name:k` for the others. */
const keyOf = (r: {node: string, output: number}) => r.output === 0 ? r.node : `${r.node}:${r.output}`;

/**
 * The shapes of the first `count` outputs of `node` run (by tfjs-converter's GraphModel) on `fed`: zeros of the
 * symbolic inputs' shapes, the constants as they are. Unknown sizes are given two values; output sizes that differ
 * between the two runs are unknown.
 */
function probedShapes(node: GraphNode, fed: Array<tfl.SymbolicTensor|tf.Tensor>, count: number): Array<Array<number|null>> {
  const model = GraphOp.graphModelOf(node, fed.map(x => x.dtype));
  const run = (batch: number, size: number) => tf.tidy(() => GraphOp.run(model, node, fed.map(x => x instanceof tf.Tensor ? x :
      tf.zeros(x.shape.map((d, i) => d ?? (i === 0 ? batch : size)), x.dtype)), count).map(t => t.shape));
  try {
    const [a, b] = [run(1, 16), run(2, 17)];
    return a.map((shape, k) => shape.map((d, i) => d === b[k][i] ? d : null));
  } catch (e) {
    throw new Error(`Error in ${OP}: node '${node.name}' (op '${node.op}'), kept as it is, does not run: ` +
                    `${(e as Error).message}`);
  } finally {
    model.dispose();
  }
}

/**
 * Translates the sorted `nodes` of a graph (constants' values in `constants`) into a LayersModel of stock layers:
 * each producer with the bias adds, per-channel affine maps, batch normalizations and activation that follow it
 * alone folded in; per-channel affine maps elsewhere as 1×1 depthwise convolutions; the other supported ops as
 * the stock layers that compute them; a node of an op outside {@link SUPPORTED_GRAPH_OPS} as a {@link GraphOp} layer
 * (tfjs-converter's GraphModel class must be found first: {@link findGraphModelClass}).
 */
export function translateGraph(nodes: GraphNode[], constants: Map<string, GraphConstant>, outputs: string[]):
    TranslatedGraph {
  const byName = new Map(nodes.map(n => [n.name, n]));
  /** The nodes that read each node's outputs (a node once per input that reads it). */
  const readers = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    for (const r of dataInputs(n)) {
      if (!readers.has(r.node)) readers.set(r.node, []);
      readers.get(r.node)!.push(n);
    }
  }
  const outputNodes = new Set(outputs.map(o => {
    const r = parseInput(o);
    assertArg(r != null && byName.has(r.node), OP, 'graphModel.outputNodes', 'names of nodes of the graph', o);
    return r.node;
  }));
  const tensors = new Map<string, tfl.SymbolicTensor>();
  const inputs: tfl.SymbolicTensor[] = [];
  const weights: Array<[string, tf.Tensor[]]> = [];
  const bindings: GraphBinding[] = [];
  const absorbed = new Set<string>();
  const keptConstants = new Set<string>();
  const layerNames = new Set<string>();
  const created: tfl.layers.Layer[] = [];

  const layerName = (node: string) => {
    const base = node.replace(/[^A-Za-z0-9_.-]/g, '_');
    let name = base;
    for (let k = 1; layerNames.has(name); k++) name = `${base}_${k}`;
    layerNames.add(name);
    return name;
  };
  const tensorOf = (ref: string, reader: GraphNode) => {
    const t = tensors.get(keyOf(parseInput(ref)!));
    assertArg(t != null, OP, `node '${reader.name}'.input`, 'an output of a node that computes a tensor (not a constant)',
              ref);
    return t;
  };
  /** The Const node an input reads (through Identity nodes), if it reads one. */
  const constNodeOf = (ref: string): GraphNode|undefined => {
    let node = byName.get(parseInput(ref)!.node)!;
    while (node.op === 'Identity' && !tensors.has(node.name)) node = byName.get(dataInputs(node)[0].node)!;
    return node.op === 'Const' ? node : undefined;
  };
  const constantOf = (ref: string): GraphConstant|undefined => {
    const node = constNodeOf(ref);
    return node == null ? undefined : constants.get(node.name);
  };
  /** The values of a constant a structural node reads, kept for the export (the reader keeps reading it). */
  const keep = (ref: string, reader: GraphNode) => {
    const c = constantOf(ref);
    assertArg(c != null && c.values.length <= MAX_STRUCTURAL_ELEMENTS, OP, `node '${reader.name}'.input`,
              `a constant of at most ${MAX_STRUCTURAL_ELEMENTS} elements`, ref);
    keptConstants.add(constNodeOf(ref)!.name);
    return Array.from(c.values);
  };
  /** The one node that reads `name`'s output, when it is read once and is not a graph output. */
  const soleConsumer = (name: string): GraphNode|undefined => {
    const read = readers.get(name);
    return read?.length === 1 && !outputNodes.has(name) ? read[0] : undefined;
  };
  const channels = (t: tfl.SymbolicTensor, node: GraphNode) => {
    const c = t.shape[t.shape.length - 1];
    assertArg(c != null && c > 0, OP, `node '${node.name}'`, 'an input whose channel axis (the last) has a known size',
              t.shape);
    return c;
  };

  /** Folds `node` into `f` when it is an affine map of the chain's output; returns whether it did. */
  const fold = (f: Folding, node: GraphNode, chainOutput: string): boolean => {
    const map = affineMap(node, f.bias.length, chainOutput, constantOf);
    if (map == null) return false;
    foldAffine(f, map);
    for (const r of dataInputs(node)) if (r.node !== chainOutput) absorbed.add(r.node);
    return true;
  };

  /**
   * Folds the ops that follow `start` alone (affine maps, then one activation) into `f`: returns the last node of
   * the chain, every node of it marked absorbed, the activation and a PReLU's alphas.
   */
  const extendChain = (f: Folding, start: GraphNode, fusedActivation?: string, fusedAlpha?: Float32Array) => {
    let last = start, activation = fusedActivation, alpha = fusedAlpha;
    for (let next = soleConsumer(last.name); next != null && activation == null; next = soleConsumer(last.name)) {
      const nextInputs = (next.input ?? []).filter(r => !r.startsWith('^'));
      if (FUSABLE_ACTIVATIONS[next.op] != null) {
        activation = next.op;
      } else if (next.op === 'Prelu' && parseInput(nextInputs[0])!.node === last.name &&
                 (alpha = preluAlpha(nextInputs[1], f.bias.length)) != null) {
        activation = 'Prelu';
        absorbed.add(constNodeOf(nextInputs[1])!.name);
      } else if (!fold(f, next, last.name)) {
        break;
      }
      absorbed.add(last.name);
      last = next;
    }
    return {last, activation, alpha};
  };

  /** A PReLU's alphas: a constant of one value per channel (`[C]`, `[1, C]` or `[1, 1, C]`), or null. */
  const preluAlpha = (ref: string|undefined, size: number): Float32Array|undefined => {
    const c = ref == null ? undefined : constantOf(ref);
    if (c == null || c.values.length !== size || c.shape.slice(0, -1).some(d => d !== 1)) return undefined;
    return Float32Array.from(c.values);
  };

  /** A PReLU layer with `alpha` applied to `x` as node `node`'s output; its name. */
  const addPrelu = (node: GraphNode, x: tfl.SymbolicTensor, alpha: Float32Array): string => {
    const rank = x.shape.length;
    const layer = tfl.layers.prelu({name: layerName(node.name), ...(rank === 4 ? {sharedAxes: [1, 2]} : {})});
    addLayer(node, layer, x);
    weights.push([layer.name, [tf.tensor(alpha, [...new Array(rank - 2).fill(1), alpha.length])]]);
    return layer.name;
  };

  const addLayer = (node: GraphNode, layer: tfl.layers.Layer, x: tfl.SymbolicTensor|tfl.SymbolicTensor[],
                    values?: Folding) => {
    created.push(layer);
    tensors.set(node.name, layer.apply(x) as tfl.SymbolicTensor);
    if (values != null) {
      weights.push([layer.name, [tf.tensor(values.kernel, values.kernelShape), tf.tensor1d(values.bias)]]);
    }
  };

  /**
   * Whether a producer node has a form the translation covers: constant weights, a rank-2 input not transposed
   * (matmuls) or NHWC data with SAME or VALID padding (convolutions), `BiasAdd` and one activation fused.
   */
  const translatableProducer = (node: GraphNode) => {
    const names = (node.input ?? []).filter(r => !r.startsWith('^'));
    const x = tensors.get(keyOf(parseInput(names[0])!));
    const fusedOps = stringsAttr(node, 'fused_ops');
    if (x == null || constantOf(names[1] ?? '') == null ||
        !fusedOps.every((o, i) => (i === 0 && o === 'BiasAdd') || FUSABLE_ACTIVATIONS[o] != null ||
                                  LAYER_ACTIVATIONS.includes(o))) {
      return false;
    }
    return node.op.endsWith('MatMul') ?
        !boolAttr(node, 'transpose_a', false) && x.shape.length === 2 :
        x.shape.length === 4 && stringAttr(node, 'data_format', 'NHWC') === 'NHWC' &&
            ['SAME', 'VALID'].includes(stringAttr(node, 'padding', '')!);
  };

  const producer = (node: GraphNode) => {
    const names = (node.input ?? []).filter(r => !r.startsWith('^'));
    const x = tensorOf(names[0], node);
    const filter = constantOf(names[1])!;
    absorbed.add(parseInput(names[1])!.node);
    const fusedOps = stringsAttr(node, 'fused_ops');
    const isMatMul = node.op.endsWith('MatMul');
    let kernel = Float32Array.from(filter.values), kernelShape = filter.shape;
    if (isMatMul && boolAttr(node, 'transpose_b', false)) {
      const [o, i] = filter.shape;
      kernel = Float32Array.from({length: i * o}, (_, k) => filter.values[(k % o) * i + Math.floor(k / o)]);
      kernelShape = [i, o];
    }
    const depthwise = node.op.includes('Depthwise');
    const inputChannels = isMatMul ? kernelShape[0] : kernelShape[2];
    assertArg(kernelShape.length === (isMatMul ? 2 : 4) && inputChannels === channels(x, node), OP,
              `node '${node.name}'.input[1]`, `weights for its input's ${x.shape[x.shape.length - 1]} channels`,
              `a filter of shape [${kernelShape.join(', ')}]`);
    const outputs = depthwise ? kernelShape[2] * kernelShape[3] : kernelShape[kernelShape.length - 1];
    const f: Folding = {kernel, kernelShape, bias: new Float32Array(outputs)};
    if (fusedOps[0] === 'BiasAdd') {
      const bias = constantOf(names[2]);
      assertArg(bias != null && bias.values.length === outputs, OP, `node '${node.name}'.input[2]`,
                `a constant of ${outputs} values (the bias)`, names[2]);
      f.bias.set(bias.values);
      absorbed.add(parseInput(names[2])!.node);
    }
    const fused = fusedOps.find(o => FUSABLE_ACTIVATIONS[o] != null || LAYER_ACTIVATIONS.includes(o));
    const fusedAlpha = fused === 'Prelu' ? preluAlpha(names[fusedOps[0] === 'BiasAdd' ? 3 : 2], outputs) : undefined;
    assertArg(fused !== 'Prelu' || fusedAlpha != null, OP, `node '${node.name}'.input`,
              `a PReLU's alphas: a constant of ${outputs} values`, names.slice(2));
    if (fusedAlpha != null) absorbed.add(constNodeOf(names[fusedOps[0] === 'BiasAdd' ? 3 : 2])!.name);
    const {last, activation, alpha} = extendChain(f, node, fused, fusedAlpha);
    const name = layerName(activation === 'Prelu' || activation === 'LeakyRelu' ? `${last.name}/linear` : last.name);
    const common = {name, activation: linearUnlessFusable(activation), useBias: true};
    const spatial = (key: string) => intsAttr(node, key).slice(1, 3) as [number, number];
    const padding = stringAttr(node, 'padding', 'VALID')!.toLowerCase() as 'same'|'valid';
    const dilationRate = intsAttr(node, 'dilations').length === 4 ? spatial('dilations') : [1, 1] as [number, number];
    const layer = isMatMul ?
        tfl.layers.dense({...common, units: outputs} as Parameters<typeof tfl.layers.dense>[0]) :
        depthwise ?
        tfl.layers.depthwiseConv2d({...common, kernelSize: [kernelShape[0], kernelShape[1]],
                                    depthMultiplier: kernelShape[3], strides: spatial('strides'), padding,
                                    dilationRate} as Parameters<typeof tfl.layers.depthwiseConv2d>[0]) :
        tfl.layers.conv2d({...common, filters: outputs, kernelSize: [kernelShape[0], kernelShape[1]],
                           strides: spatial('strides'), padding, dilationRate} as Parameters<typeof tfl.layers.conv2d>[0]);
    addLayer(last, layer, x, f);
    const alphaLayer = alpha != null ? addPrelu(last, tensors.get(last.name)!, alpha) : undefined;
    if (activation === 'LeakyRelu') {
      addLayer(last, tfl.layers.leakyReLU({name: layerName(last.name), alpha: numberAttr(node, 'leakyrelu_alpha', 0.2)}),
               tensors.get(last.name)!);
    }
    if (activation === 'Relu6') addLayer(last, relu6(layerName(`${last.name}/relu6`)), tensors.get(last.name)!);
    bindings.push({layer: name, op: isMatMul ? '_FusedMatMul' : depthwise ? 'FusedDepthwiseConv2dNative' : '_FusedConv2D',
                   output: last.name, input: names[0], attrsOf: node.name, activation, alphaLayer});
  };

  /** A per-channel affine map that follows no producer alone: a 1×1 depthwise convolution (4-D inputs). */
  const affine = (node: GraphNode): boolean => {
    const refs = dataInputs(node);
    const input = refs.map(r => tensors.get(keyOf(r))).filter(t => t != null);
    if (input.length !== 1) return false;
    const chainInput = refs.find(r => tensors.has(keyOf(r)))!;
    const x = input[0]!;
    const size = channels(x, node);
    const f: Folding = {kernel: new Float32Array(size).fill(1), kernelShape: [1, 1, size, 1], bias: new Float32Array(size)};
    if (!fold(f, node, chainInput.node)) return false;
    assertArg(x.shape.length === 4, OP, `node '${node.name}'`,
              'a per-channel affine map of a 4-D tensor, or one that follows a convolution or matmul alone', x.shape);
    const {last, activation, alpha} = extendChain(f, node);
    const name = layerName(activation === 'Prelu' ? `${last.name}/linear` : last.name);
    addLayer(last, tfl.layers.depthwiseConv2d({
      name, kernelSize: 1, depthMultiplier: 1, useBias: true, activation: linearUnlessFusable(activation),
    } as Parameters<typeof tfl.layers.depthwiseConv2d>[0]), x, f);
    const alphaLayer = alpha != null ? addPrelu(last, tensors.get(last.name)!, alpha) : undefined;
    if (activation === 'Relu6') addLayer(last, relu6(layerName(`${last.name}/relu6`)), tensors.get(last.name)!);
    const inputRef = (node.input ?? []).find(r => parseInput(r)?.node === chainInput.node)!;
    bindings.push({layer: name, op: 'FusedDepthwiseConv2dNative', output: last.name, input: inputRef, activation,
                   alphaLayer});
    return true;
  };

  const structural = (node: GraphNode) => {
    const names = (node.input ?? []).filter(r => !r.startsWith('^'));
    const name = layerName(node.name);
    const window = (key: string) => intsAttr(node, key).slice(1, 3) as [number, number];
    switch (node.op) {
      case 'Placeholder': {
        const dims = node.attr?.shape?.shape?.dim?.map(d => Number(d.size));
        assertArg(dims != null && dims.length >= 2 && dims.slice(1).every(d => d === -1 || d > 0), OP,
                  `node '${node.name}'.shape`, 'a known rank of 2 or more', dims);
        const input = tfl.input({shape: dims.slice(1).map(d => d === -1 ? null : d), name,
                                 dtype: node.attr?.dtype?.type === 'DT_INT32' ? 'int32' : 'float32'});
        inputs.push(input);
        tensors.set(node.name, input);
        return;
      }
      case 'Identity': case 'StopGradient':
        if (tensors.has(keyOf(dataInputs(node)[0]))) tensors.set(node.name, tensorOf(names[0], node));
        return;
      case 'Add': case 'AddV2': case 'Mul': {
        const operands = names.map(r => tensors.get(keyOf(parseInput(r)!)));
        assertArg(operands.every(t => t != null) && names.length === 2, OP, `node '${node.name}'`,
                  'an Add or Mul of two tensors, or of a tensor and a per-channel constant', names);
        const layer = node.op === 'Mul' ? tfl.layers.multiply({name}) : tfl.layers.add({name});
        addLayer(node, layer, names.map(r => tensorOf(r, node)));
        return;
      }
      case 'Relu6':
        addLayer(node, relu6(name), tensorOf(names[0], node));
        return;
      case 'Relu': case 'Elu': case 'Sigmoid': case 'Tanh': case 'Softmax':
        addLayer(node, tfl.layers.activation({name, activation: ACTIVATIONS[node.op]} as Parameters<typeof tfl.layers.activation>[0]),
                 tensorOf(names[0], node));
        return;
      case 'MaxPool': case 'AvgPool': {
        const x = tensorOf(names[0], node);
        assertArg(x.shape.length === 4 && stringAttr(node, 'data_format', 'NHWC') === 'NHWC', OP,
                  `node '${node.name}'`, 'a pooling of 4-D NHWC data', x.shape);
        const args = {name, poolSize: window('ksize'), strides: window('strides'),
                      padding: stringAttr(node, 'padding', 'VALID')!.toLowerCase() as 'same'|'valid'};
        addLayer(node, node.op === 'MaxPool' ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args), x);
        return;
      }
      case 'Pad': {
        const x = tensorOf(names[0], node);
        const p = keep(names[1], node);
        assertArg(x.shape.length === 4 && p.length === 8 && p[0] + p[1] + p[6] + p[7] === 0, OP,
                  `node '${node.name}'.paddings`, 'zero padding of the two spatial axes of a 4-D tensor', p);
        addLayer(node, tfl.layers.zeroPadding2d({name, padding: [[p[2], p[3]], [p[4], p[5]]]}), x);
        return;
      }
      case 'Mean': {
        const x = tensorOf(names[0], node);
        const axes = keep(names[1], node).map(a => a < 0 ? a + x.shape.length : a).sort();
        assertArg(x.shape.length === 4 && axes.join() === '1,2', OP, `node '${node.name}'.axes`,
                  'the two spatial axes of a 4-D tensor', axes);
        addLayer(node, tfl.layers.globalAveragePooling2d({name}), x);
        if (boolAttr(node, 'keep_dims', false)) {
          addLayer(node, tfl.layers.reshape({name: layerName(`${node.name}_keep_dims`),
                                             targetShape: [1, 1, channels(x, node)]}), tensors.get(node.name)!);
        }
        return;
      }
      case 'Squeeze': case 'Reshape': {
        const x = tensorOf(names[0], node);
        const c = channels(x, node);
        let target: number[];
        if (node.op === 'Squeeze') {
          const dims = intsAttr(node, 'squeeze_dims').map(a => a < 0 ? a + x.shape.length : a);
          assertArg(dims.length > 0 && dims.every(d => d > 0 && d < x.shape.length - 1 && x.shape[d] === 1), OP,
                    `node '${node.name}'.squeeze_dims`, 'axes of size 1 between the batch and the channels', dims);
          target = x.shape.slice(1).filter((_, i) => !dims.includes(i + 1)) as number[];
        } else {
          const shape = keep(names[1], node);
          target = shape.slice(1);
          assertArg(shape[0] === -1 && target.every(d => d > 0) && target[target.length - 1] === c &&
                        x.shape.slice(1, -1).every(d => d === 1) && target.slice(0, -1).every(d => d === 1),
                    OP, `node '${node.name}'.shape`,
                    'a shape [-1, 1, ..., channels] of an input [batch, 1, ..., channels]', shape);
          bindings.push({layer: name, op: 'Reshape', output: node.name, input: names[0]});
        }
        addLayer(node, tfl.layers.reshape({name, targetShape: target}), x);
        return;
      }
      case 'LeakyRelu':
        addLayer(node, tfl.layers.leakyReLU({name, alpha: numberAttr(node, 'alpha', 0.2)}), tensorOf(names[0], node));
        return;
      case 'Prelu': {
        const x = tensorOf(names[0], node);
        const alpha = preluAlpha(names[1], channels(x, node));
        assertArg(alpha != null, OP, `node '${node.name}'.input[1]`,
                  `a constant of ${channels(x, node)} values (one alpha per channel)`, names[1]);
        absorbed.add(constNodeOf(names[1])!.name);
        bindings.push({layer: addPrelu(node, x, alpha), op: 'Prelu', output: node.name, input: names[0]});
        return;
      }
      case 'ConcatV2': {
        const parts = names.slice(0, -1).map(r => tensorOf(r, node));
        const [axis] = keep(names[names.length - 1], node);
        assertArg(axis === -1 || axis === parts[0].shape.length - 1, OP, `node '${node.name}'.axis`,
                  'the channel axis (the last)', axis);
        addLayer(node, tfl.layers.concatenate({name, axis: -1}), parts);
        return;
      }
      default:
        kept(node, name);
    }
  };

  /** A node outside the translated ops: a GraphOp layer that runs it, its constant inputs the layer's weights. */
  const kept = (node: GraphNode, name: string) => {
    const xs: tfl.SymbolicTensor[] = [], constantInputs: GraphOpConstant[] = [], values: tf.Tensor[] = [];
    weights.push([name, values]);
    const refs = (node.input ?? []).filter(r => !r.startsWith('^'));
    const plan: GraphOpInput[] = dataInputs(node).map((r, i) => {
      const x = tensors.get(keyOf(r));
      if (x != null) return {tensor: xs.push(x) - 1};
      const ref = refs[i];
      const c = constantOf(ref);
      assertArg(c != null, OP, `node '${node.name}'.input[${i}]`, 'a tensor the network computes, or a constant', ref);
      constantInputs.push({node: constNodeOf(ref)!.name, dtype: c.dtype as 'float32'|'int32', shape: c.shape});
      values.push(tf.tensor(c.values as number[], c.shape, c.dtype));
      return {constant: constantInputs.length - 1};
    });
    assertArg(xs.length > 0, OP, `node '${node.name}'`, 'a node that reads a tensor the network computes',
              'constants only');
    const read = [...(readers.get(node.name) ?? []).flatMap(dataInputs), ...outputs.map(o => parseInput(o)!)]
                     .filter(r => r.node === node.name).map(r => r.output);
    const count = Math.max(0, ...read) + 1;
    const fed = plan.map(p => 'tensor' in p ? xs[p.tensor] : values[p.constant]);
    const outputShapes = probedShapes(node, fed, count);
    const layer = new GraphOp({name, node, inputs: plan, constants: constantInputs, outputShapes});
    created.push(layer);
    const out = layer.apply(xs.length === 1 ? xs[0] : xs) as tfl.SymbolicTensor|tfl.SymbolicTensor[];
    (Array.isArray(out) ? out : [out]).forEach((t, k) => tensors.set(keyOf({node: node.name, output: k}), t));
  };

  try {
    for (const node of nodes) {
      if (absorbed.has(node.name) || node.op === 'Const' || tensors.has(node.name)) continue;
      if (PRODUCERS.has(node.op)) {
        if (translatableProducer(node)) producer(node); else kept(node, layerName(node.name));
      } else if (!(AFFINE_OPS.has(node.op) && affine(node))) {
        structural(node);
      }
    }
    const outputTensors = outputs.map(o => tensors.get(parseInput(o)!.node));
    const missing = outputs.find((_, i) => outputTensors[i] == null);
    assertArg(missing == null, OP, 'graphModel.outputNodes', 'nodes that compute tensors', missing);
    assertArg(inputs.length === 1, OP, 'graphModel', 'a graph with one input (Placeholder)', `${inputs.length} inputs`);
    const model = tfl.model({inputs, outputs: outputTensors as tfl.SymbolicTensor[]});
    for (const [layer, values] of weights) model.getLayer(layer).setWeights(values);
    const constantsKept: Record<string, GraphConstant> = {};
    for (const name of keptConstants) {
      const c = constants.get(name)!;
      constantsKept[name] = {...c, values: Array.from(c.values)};
    }
    const stripped = nodes.map(n => n.op === 'Const' ? {name: n.name, op: n.op, attr: {dtype: n.attr?.dtype ?? {}}} : n);
    return {model, source: {nodes: stripped as GraphNode[], constants: constantsKept, bindings, outputs}};
  } catch (e) {
    disposeLayers(created);
    throw e;
  } finally {
    tf.dispose(weights.flatMap(([, w]) => w));
  }
}
