/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// A graph node outside the translated ops, kept as it is (docs/api.md §7): a layer that runs the node through
// tfjs-converter's GraphModel, its constant inputs held as the layer's (non-trainable) weights. The channel groups
// it touches stay discrete.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg, assertLayerArgs} from '../util/errors';
import {importByName} from '../util/import_by_name';
import {dataInputs, GraphNode, TF_DTYPES} from './graph_def';

/** The part of tfjs-converter's `GraphModel` class that runs a node. */
export interface GraphModelClass {
  new(handler: tf.io.IOHandlerSync): {
    loadSync(artifacts: tf.io.ModelArtifacts): boolean;
    execute(inputs: tf.NamedTensorMap, outputs: string[]): tf.Tensor|tf.Tensor[];
    dispose(): void;
  };
}

let graphModelClass: GraphModelClass|null = null;

const isGraphModelClass = (c: unknown): c is GraphModelClass => typeof c === 'function' &&
    typeof (c.prototype as {loadSync?: unknown})?.loadSync === 'function' &&
    typeof (c.prototype as {execute?: unknown})?.execute === 'function';

/**
 * Finds tfjs-converter's GraphModel class, which runs the nodes kept as they are: `candidate` (the class of a
 * GraphModel the user passed), the one found before, the installed `@tensorflow/tfjs-converter` (Node and bundlers
 * that resolve it), or the global `tf.GraphModel` (tfjs's script-tag bundle). Returns whether it found one.
 */
export async function findGraphModelClass(candidate?: unknown): Promise<boolean> {
  if (isGraphModelClass(candidate)) graphModelClass = candidate;
  if (graphModelClass != null) return true;
  try {
    const converter = await importByName<{GraphModel?: unknown}>('@tensorflow/tfjs-converter');
    if (isGraphModelClass(converter.GraphModel)) graphModelClass = converter.GraphModel;
  } catch {
    // Not installed, or not resolvable here: try the script-tag global.
  }
  const global = (globalThis as {tf?: {GraphModel?: unknown}}).tf?.GraphModel;
  if (graphModelClass == null && isGraphModelClass(global)) graphModelClass = global;
  return graphModelClass != null;
}

/** Where a data input of the node comes from: the layer's input `tensor`, or its constant (weight) `constant`. */
export type GraphOpInput = {tensor: number}|{constant: number};

/** A constant input of the node: the Const node it reads (written back by the export), its dtype and shape. */
export interface GraphOpConstant {
  node: string;
  dtype: 'float32'|'int32';
  shape: number[];
}

/** What a {@link GraphOp} runs: the node, where its inputs come from, and the shapes of its outputs. */
export interface GraphOpSpec {
  /** The node as the graph has it (its inputs name the graph's tensors; the layer reads `inputs` in their place). */
  node: GraphNode;
  /** Each data input of the node, in order. */
  inputs: GraphOpInput[];
  /** The constants it reads, held as the layer's weights. */
  constants: GraphOpConstant[];
  /** The shape of each output the network reads (outputs 0, 1, …), batch and unknown sizes null. */
  outputShapes: Array<Array<number|null>>;
}

/** Arguments of {@link GraphOp}. */
export interface GraphOpArgs extends GraphOpSpec {
  name?: string;
}

const placeholder = (node: string, i: number) => `${node}/input_${i}`;

/**
 * A graph node that the translation keeps as it is: it runs the node with tfjs-converter's GraphModel (which must
 * be found first: {@link findGraphModelClass}); its constant inputs are non-trainable weights.
 */
export class GraphOp extends tfl.layers.Layer {
  /** The class name registered for serialization. */
  static className = 'GraphOp';
  /** The node it runs. */
  readonly node: GraphNode;
  /** Where each data input of the node comes from. */
  readonly plan: GraphOpInput[];
  /** The node's constant inputs, held as the layer's weights in this order. */
  readonly constants: GraphOpConstant[];
  private readonly outputShapes: Array<Array<number|null>>;
  private runner: InstanceType<GraphModelClass>|null = null;

  constructor(args: GraphOpArgs) {
    super({name: assertLayerArgs('GraphOp', args).name, trainable: false});
    const at = `GraphOp '${this.name}'`;
    const n = args.node;
    assertArg(n != null && typeof n.name === 'string' && typeof n.op === 'string' && n.op !== 'Placeholder' &&
                  n.op !== 'Const' && (n.input == null || (Array.isArray(n.input) && n.input.every(r => typeof r === 'string'))),
              at, 'node', 'a node of a graph (name, op, inputs, attributes)', n);
    const constants = args.constants;
    assertArg(Array.isArray(constants) && constants.every(c => c != null && typeof c.node === 'string' &&
                                                           TF_DTYPES[c.dtype] != null && Array.isArray(c.shape) &&
                                                           c.shape.every(d => Number.isInteger(d) && d >= 0)),
              at, 'constants', 'a list of {node, dtype (float32 or int32), shape}', constants);
    const inputs = args.inputs;
    const entries = Array.isArray(inputs) && inputs.every(p => p != null && typeof p === 'object');
    const tensorCount = entries ? inputs.filter(p => 'tensor' in p).length : 0;
    assertArg(entries && inputs.length === dataInputs(n).length &&
                  tensorCount > 0 &&
                  inputs.every(p => 'tensor' in p ? Number.isInteger(p.tensor) && p.tensor >= 0 && p.tensor < tensorCount :
                                                    Number.isInteger(p.constant) && constants[p.constant] != null),
              at, 'inputs', `one entry per data input of node '${n.name}', at least one a tensor`, inputs);
    assertArg(Array.isArray(args.outputShapes) && args.outputShapes.length > 0 &&
                  args.outputShapes.every(s => Array.isArray(s) && s.every(d => d === null || Number.isInteger(d))),
              at, 'outputShapes', 'a list of shapes', args.outputShapes);
    this.node = {name: n.name, op: n.op, input: n.input ?? [], attr: n.attr ?? {}};
    this.plan = inputs;
    this.constants = constants;
    this.outputShapes = args.outputShapes;
  }

  override build(): void {
    this.constants.forEach((c, i) => this.addWeight(`constant_${i}`, c.shape, c.dtype, tfl.initializers.zeros(),
                                                     undefined, false));
    this.built = true;
  }

  override computeOutputShape(): tfl.Shape|tfl.Shape[] {
    const shapes = this.outputShapes.map(s => [...s]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  override call(inputs: tf.Tensor|tf.Tensor[]): tf.Tensor|tf.Tensor[] {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const values = this.weights.map(w => w.read());
      const fed = this.plan.map(p => 'tensor' in p ? xs[p.tensor] : values[p.constant]);
      this.runner ??= GraphOp.graphModelOf(this.node, fed.map(x => x.dtype));
      const outputs = GraphOp.run(this.runner, this.node, fed, this.outputShapes.length);
      return outputs.length === 1 ? outputs[0] : outputs;
    });
  }

  /** Runs `node` on `inputs` (one per data input) with `model` (a one-node graph); returns its first `count` outputs. */
  static run(model: InstanceType<GraphModelClass>, node: GraphNode, inputs: tf.Tensor[], count: number): tf.Tensor[] {
    const feeds: tf.NamedTensorMap = {};
    inputs.forEach((x, i) => feeds[placeholder(node.name, i)] = x);
    const out = model.execute(feeds, Array.from({length: count}, (_, k) => `${node.name}:${k}`));
    return Array.isArray(out) ? out : [out];
  }

  /** A GraphModel of `node` alone, its data inputs placeholders of the given dtypes. */
  static graphModelOf(node: GraphNode, dtypes: tf.DataType[]): InstanceType<GraphModelClass> {
    if (graphModelClass == null) {
      throw new Error(`Error in GraphOp '${node.name}' (op '${node.op}'): it runs through tfjs-converter's GraphModel, ` +
                      'which was not found: install @tensorflow/tfjs-converter 4.22, and load the model with ' +
                      'tfi.loadIntegralModel or tfi.loadModel (or wrap a tf.GraphModel first).');
    }
    const rewired = {...node, input: dataInputs(node).map((_, i) => placeholder(node.name, i))};
    const topology = {versions: {producer: 1}, node: [
      ...dtypes.map((d, i) => ({name: placeholder(node.name, i), op: 'Placeholder', attr: {dtype: {type: TF_DTYPES[d] ?? 'DT_FLOAT'}}})),
      rewired,
    ]};
    const artifacts: tf.io.ModelArtifacts = {modelTopology: topology, format: 'graph-model', weightSpecs: [],
                                             weightData: new ArrayBuffer(0)};
    const model = new graphModelClass(tf.io.fromMemorySync(artifacts));
    model.loadSync(artifacts);
    return model;
  }

  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) {
      this.runner?.dispose();
      this.runner = null;
    }
    return result;
  }

  /**
   * The config: the spec as hexadecimal UTF-8 JSON, which tfjs-layers' snake_case / camelCase rewriting of saved
   * configs leaves as it is (node names, attribute keys and values are case- and underscore-sensitive).
   */
  override getConfig(): tf.serialization.ConfigDict {
    const spec: GraphOpSpec = {node: this.node, inputs: this.plan, constants: this.constants,
                               outputShapes: this.outputShapes};
    const bytes = new TextEncoder().encode(JSON.stringify(spec));
    return {spec: Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(''), ...super.getConfig()};
  }

  /** The layer of a config {@link getConfig} wrote. */
  static override fromConfig<T extends tf.serialization.Serializable>(
      cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const hex = config.spec;
    assertArg(typeof hex === 'string' && /^([0-9a-f]{2})*$/.test(hex), `GraphOp '${config.name}'`, 'spec',
              'hexadecimal JSON', typeof hex === 'string' ? `${hex.slice(0, 40)}…` : hex);
    const bytes = Uint8Array.from(hex.match(/../g) ?? [], b => parseInt(b, 16));
    let spec: GraphOpSpec|null = null;
    try {
      spec = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      // Not JSON: refused below.
    }
    if (spec == null || typeof spec !== 'object') {
      throw new Error(`Error in GraphOp '${config.name}': 'spec' must be hexadecimal JSON of an object.`);
    }
    return new cls({...spec, name: config.name});
  }
}
tf.serialization.registerClass(GraphOp);
