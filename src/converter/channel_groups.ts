/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {CHANNEL_RULES, PER_CHANNEL_WEIGHTS} from './layer_rules';

type Layer = tfl.layers.Layer;
type SymbolicTensor = tfl.SymbolicTensor;

/** A layer's call: the layer with the tensors of one of its inbound nodes. */
export interface LayerCall {
  layer: Layer;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/** A set of channel axes that must keep one size and one order (api.md §4). */
export interface ChannelGroup {
  /** The first layer (in graph order) that produces the group's channels. */
  name: string;
  /** Current width. */
  size: number;
  /** Width of the wrapped model. */
  originalSize: number;
  /** Every layer whose inputs or outputs carry the group's channels. */
  layers: string[];
  /** False when the group must keep its channels as they are; `reason` says why. */
  continuous: boolean;
  reason?: string;
  /** For the output of a concatenation: the groups it is made of, in order (resampled through them). */
  segments?: string[];
}

/** The result of the analysis: groups, and for every symbolic tensor its group and flatten taps. */
export interface ChannelAnalysis {
  groups: ChannelGroup[];
  /** Group name of a tensor's channel axis. */
  groupOf(t: SymbolicTensor): ChannelGroup;
  /** Spatial taps in a flattened tensor's last axis (1 unless it comes from Flatten of a spatial map). */
  tapsOf(t: SymbolicTensor): number;
  /** The groups a concatenated tensor's channel axis is made of, or null. */
  segmentsOf(t: SymbolicTensor): ChannelGroup[]|null;
  /** Every layer call, nested models included, in graph order. */
  calls: LayerCall[];
}

const isContainer = (l: Layer): l is tfl.LayersModel => (l as unknown as {layers?: unknown}).layers != null;

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(a: number): number {
    let root = a;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(a, root);
    return root;
  }
  union(a: number, b: number) {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** Every call of every layer, descending into nested models (whose outer calls link outer to inner tensors). */
function collectCalls(model: tfl.LayersModel, calls: LayerCall[], links: Array<[SymbolicTensor, SymbolicTensor]>) {
  for (const layer of model.layers) {
    if (isContainer(layer)) {
      // Node 0 of a nested model is its own internal node; the others are its calls in the enclosing graph.
      for (const node of layer.inboundNodes.slice(1)) {
        node.inputTensors.forEach((t, i) => links.push([t, layer.inputs[i]]));
        node.outputTensors.forEach((t, i) => links.push([t, layer.outputs[i]]));
      }
      collectCalls(layer, calls, links);
      continue;
    }
    for (const node of layer.inboundNodes) {
      if (node.inputTensors.length === 0) continue;  // an InputLayer's own node
      calls.push({layer, inputs: node.inputTensors, outputs: node.outputTensors});
    }
  }
}

/** Why `call` cannot carry channels through, or null when it can. */
function unsupportedReason(call: LayerCall): string|null {
  const cls = call.layer.getClassName();
  const rule = CHANNEL_RULES[cls];
  const where = `layer '${call.layer.name}' (${cls})`;
  if (rule == null) return `${where} is not supported`;
  const config = call.layer.getConfig();
  if (config.dataFormat === 'channelsFirst' || config.data_format === 'channels_first') {
    return `${where} is channelsFirst`;
  }
  if (cls === 'BatchNormalization' && ![-1, call.inputs[0].rank - 1].includes(config.axis as number)) {
    return `${where} normalizes axis ${config.axis}, not the channels`;
  }
  if (cls === 'Concatenate' && ![-1, call.inputs[0].rank - 1].includes(config.axis as number)) {
    return `${where} concatenates along axis ${config.axis}, not the channels`;
  }
  if (cls === 'DepthwiseConv2D' && (config.depthMultiplier ?? 1) !== 1) {
    return `${where} has depth multiplier ${config.depthMultiplier}`;
  }
  if (rule === 'reshape') {
    const [inShape, outShape] = [call.inputs[0].shape, call.outputs[0].shape];
    if (inShape[inShape.length - 1] !== outShape[outShape.length - 1] || outShape.slice(1, -1).includes(null)) {
      return `${where} reshapes the channel axis`;
    }
  }
  if (cls === 'Softmax' && ![-1, call.inputs[0].rank - 1].includes(config.axis as number)) {
    return `${where} acts along an axis other than the channels`;
  }
  return null;
}

/**
 * Finds the channel groups of `model` (api.md §4, inn-math.md §4): a producer's output axis, every consumer's input
 * axis and every per-channel layer in between, across element-wise merges, nested models and shared layers. The
 * network's inputs and outputs stay discrete, and so does every group that an unsupported layer touches.
 */
export function analyzeChannels(model: tfl.LayersModel): ChannelAnalysis {
  const calls: LayerCall[] = [];
  const links: Array<[SymbolicTensor, SymbolicTensor]> = [];
  collectCalls(model, calls, links);
  const uf = new UnionFind();
  for (const [a, b] of links) uf.union(a.id, b.id);
  const taps = new Map<number, number>();
  const discrete = new Map<number, string>();
  const markDiscrete = (t: SymbolicTensor, reason: string) => discrete.set(t.id, discrete.get(t.id) ?? reason);

  for (const t of model.inputs) markDiscrete(t, 'network input');
  for (const t of model.outputs) markDiscrete(t, 'network output');
  const concats: LayerCall[] = [];
  const firstCall = new Map<Layer, LayerCall>();
  for (const call of calls) {
    // A shared layer has one kernel: all its calls read and write the same channel groups.
    const first = firstCall.get(call.layer);
    if (first == null) {
      firstCall.set(call.layer, call);
    } else {
      call.inputs.forEach((t, i) => uf.union(first.inputs[i].id, t.id));
      call.outputs.forEach((t, i) => uf.union(first.outputs[i].id, t.id));
    }
  }
  for (const call of calls) {
    const reason = unsupportedReason(call);
    if (reason != null) {
      [...call.inputs, ...call.outputs].forEach(t => markDiscrete(t, reason));
      continue;
    }
    const rule = CHANNEL_RULES[call.layer.getClassName()];
    if (rule === 'producer') continue;
    if (rule === 'concat') {
      concats.push(call);
      continue;
    }
    for (const t of [...call.inputs, ...call.outputs]) uf.union(call.inputs[0].id, t.id);
    const inTaps = taps.get(call.inputs[0].id) ?? 1;
    const out = call.outputs[0];
    if (rule === 'flatten') {
      const shape = call.inputs[0].shape;
      taps.set(out.id, inTaps * shape.slice(1, -1).reduce((a: number, b) => a * (b ?? 1), 1));
    } else if (!['GlobalAveragePooling2D', 'GlobalMaxPooling2D'].includes(call.layer.getClassName())) {
      taps.set(out.id, inTaps);
    }
  }
  const groups = new Map<number, ChannelGroup>();
  const reasons = new Map<number, string>();
  const addReason = (root: number, reason: string) => {
    if (!reasons.has(root)) reasons.set(root, reason);
  };
  for (const [id, reason] of discrete) addReason(uf.find(id), reason);
  // Concatenations: their outputs are parents made of the input groups (nested concatenations flattened).
  const segmentRoots = new Map<number, number[]>();
  const rootsOf = (t: SymbolicTensor): number[] => segmentRoots.get(uf.find(t.id)) ?? [uf.find(t.id)];
  for (const call of concats) segmentRoots.set(uf.find(call.outputs[0].id), call.inputs.flatMap(rootsOf));
  for (const call of calls) {
    const cls = call.layer.getClassName();
    const needsWhole = PER_CHANNEL_WEIGHTS.has(cls) || CHANNEL_RULES[cls] === 'merge' || CHANNEL_RULES[cls] == null;
    for (const t of needsWhole ? call.inputs : []) {
      const children = segmentRoots.get(uf.find(t.id));
      const reason = `concatenated into the input of layer '${call.layer.name}' (${cls}), which needs it whole`;
      children?.forEach(r => addReason(r, reason));
    }
  }
  for (const t of model.outputs) segmentRoots.get(uf.find(t.id))?.forEach(r => addReason(r, 'network output'));
  const groupOf = (t: SymbolicTensor) => {
    const root = uf.find(t.id);
    let g = groups.get(root);
    if (g == null) {
      const width = (t.shape[t.shape.length - 1] as number) / (taps.get(t.id) ?? 1);
      const children = segmentRoots.get(root);
      g = {name: t.sourceLayer.name, size: width, originalSize: width, layers: [], continuous: false};
      if (children == null) {
        g.continuous = !reasons.has(root);
        if (reasons.has(root)) g.reason = reasons.get(root);
      } else {
        g.reason = 'a concatenation, resampled through its segments';
      }
      groups.set(root, g);
    }
    return g;
  };
  const byRoot = (root: number) => {
    for (const call of calls) {
      for (const t of [...call.inputs, ...call.outputs]) if (uf.find(t.id) === root) return groupOf(t);
    }
    throw new Error(`tfjs-integral: no tensor of channel group ${root}`);
  };
  for (const t of model.inputs) groupOf(t);  // groups in graph order, the network input first
  for (const call of calls) {
    for (const t of [...call.inputs, ...call.outputs]) {
      const g = groupOf(t);
      if (!g.layers.includes(call.layer.name)) g.layers.push(call.layer.name);
    }
  }
  for (const [root, children] of segmentRoots) byRoot(root).segments = children.map(r => byRoot(r).name);
  const segmentsOf = (t: SymbolicTensor) => segmentRoots.get(uf.find(t.id))?.map(byRoot) ?? null;
  return {groups: [...groups.values()], groupOf, tapsOf: t => taps.get(t.id) ?? 1, segmentsOf, calls};
}
