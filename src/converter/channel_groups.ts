/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {describeLayer} from './kinds/kind_util';
import type {ChannelLayout, LayerCall, LayerKind} from './kinds/layer_kind';
import {kindOf} from './kinds/registry';

export type {LayerCall} from './kinds/layer_kind';

type SymbolicTensor = tfl.SymbolicTensor;

/** A set of channel axes that must keep one size and one order (docs/api.md §4). */
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
  /** Why a discrete group keeps its channels. */
  reason?: string;
  /** For the output of a concatenation: the groups it is made of, in order (resampled through them). */
  segments?: string[];
  /**
   * Where the group's channels sit on the reference network's channel axis, in [0, 1], strictly increasing (one per
   * channel at the width it was calibrated at): set by `calibrate({grid: 'fit'})`. Absent: uniform positions. At other
   * widths the channels sit on the piecewise-linear interpolation of these.
   */
  positions?: number[];
}

/** The result of the analysis: groups, and for every symbolic tensor its group and channel layout. */
export interface ChannelAnalysis {
  groups: ChannelGroup[];
  /** The group of a tensor's channel axis. */
  groupOf(t: SymbolicTensor): ChannelGroup;
  /** How a tensor's channel axis holds its group's channels (taps after Flatten, depth multipliers). */
  layoutOf(t: SymbolicTensor): ChannelLayout;
  /** The groups a concatenated tensor's channel axis is made of, or null. */
  segmentsOf(t: SymbolicTensor): ChannelGroup[]|null;
  /** The kind of a call's layer, or null when it is not supported or cannot carry continuous channels. */
  kindOfCall(call: LayerCall): {kind: LayerKind, integral: boolean}|null;
  /** Every layer call, nested models included, in graph order. */
  calls: LayerCall[];
}

const isContainer = (l: tfl.layers.Layer): l is tfl.LayersModel => (l as unknown as {layers?: unknown}).layers != null;
const ONE: ChannelLayout = {outer: 1, inner: 1};
const sameLayout = (a: ChannelLayout, b: ChannelLayout) => a.outer === b.outer && a.inner === b.inner;
const lastDim = (t: SymbolicTensor) => t.shape[t.shape.length - 1] as number;

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

/**
 * The state of one analysis, filled stage by stage: tensors joined into groups (union-find over tensor ids),
 * their layouts, and the reasons that keep groups discrete.
 */
class Analyzer {
  readonly calls: LayerCall[] = [];
  private readonly uf = new UnionFind();
  /** Tensors of a nested model's boundary, each with the tensor of the enclosing graph it stands for. */
  private readonly linked = new Map<number, SymbolicTensor>();
  private readonly layouts = new Map<number, ChannelLayout>();
  private readonly discrete = new Map<number, string>();
  private readonly kinds = new Map<LayerCall, {kind: LayerKind, integral: boolean}|null>();
  private readonly concats: LayerCall[] = [];
  /** Concatenated tensors' roots → the roots of their segments. */
  private readonly segmentRoots = new Map<number, number[]>();
  private readonly reasons = new Map<number, string>();

  constructor(private readonly model: tfl.LayersModel) {}

  /** Stage 1: every call of every layer, descending into nested models (outer calls link outer to inner tensors). */
  collectCalls(model = this.model) {
    for (const layer of model.layers) {
      if (isContainer(layer)) {
        // Node 0 of a nested model is its own internal node; the others are its calls in the enclosing graph.
        for (const node of layer.inboundNodes.slice(1)) {
          node.inputTensors.forEach((t, i) => this.link(t, layer.inputs[i]));
          node.outputTensors.forEach((t, i) => this.link(layer.outputs[i], t));
        }
        this.collectCalls(layer);
        continue;
      }
      for (const node of layer.inboundNodes) {
        if (node.inputTensors.length === 0) continue;  // an InputLayer's own node
        this.calls.push({layer, inputs: node.inputTensors, outputs: node.outputTensors});
      }
    }
  }

  /** `inner` carries what `outer` carries. */
  private link(outer: SymbolicTensor, inner: SymbolicTensor) {
    this.uf.union(outer.id, inner.id);
    this.linked.set(inner.id, outer);
  }

  /** Stage 2: a shared layer has one kernel, so all its calls read and write the same groups. */
  linkSharedLayers() {
    const first = new Map<tfl.layers.Layer, LayerCall>();
    for (const call of this.calls) {
      const f = first.get(call.layer);
      if (f == null) {
        first.set(call.layer, call);
        continue;
      }
      call.inputs.forEach((t, i) => this.uf.union(f.inputs[i].id, t.id));
      call.outputs.forEach((t, i) => this.uf.union(f.outputs[i].id, t.id));
    }
  }

  layoutOf(t: SymbolicTensor): ChannelLayout {
    const own = this.layouts.get(t.id);
    if (own != null) return own;
    const outer = this.linked.get(t.id);
    return outer != null ? this.layoutOf(outer) : ONE;
  }

  private markDiscrete(t: SymbolicTensor, reason: string) {
    if (!this.discrete.has(t.id)) this.discrete.set(t.id, reason);
  }

  kindOfCall(call: LayerCall) {
    return this.kinds.get(call) ?? null;
  }

  /** Stage 3: each call's channel rule joins tensors into groups and gives its outputs their layouts. */
  applyChannelRules() {
    for (const t of this.model.inputs) this.markDiscrete(t, 'network input');
    for (const t of this.model.outputs) this.markDiscrete(t, 'network output');
    for (const call of this.calls) {
      const found = kindOf(call.layer);
      const reason = found == null ? `${describeLayer(call)} is not supported` : found.kind.discreteReason?.(call);
      this.kinds.set(call, reason == null ? found : null);
      if (reason != null) {
        [...call.inputs, ...call.outputs].forEach(t => this.markDiscrete(t, reason));
        continue;
      }
      const {kind} = found!;
      if (kind.discreteInputs != null) call.inputs.forEach(t => this.markDiscrete(t, kind.discreteInputs!));
      if (kind.rule === 'passThrough') this.passThrough(call, kind);
      if (kind.rule === 'merge') this.merge(call);
      if (kind.rule === 'concat') this.concat(call);
    }
  }

  private passThrough(call: LayerCall, kind: LayerKind) {
    const [input, output] = [call.inputs[0], call.outputs[0]];
    this.uf.union(input.id, output.id);
    this.layouts.set(output.id, kind.outputLayout?.(call, this.layoutOf(input)) ?? this.layoutOf(input));
  }

  private merge(call: LayerCall) {
    const output = call.outputs[0];
    const shared = call.inputs.filter(t => lastDim(t) === lastDim(output) || lastDim(output) === 1);
    for (const t of call.inputs.filter(t => !shared.includes(t))) {
      this.markDiscrete(t, `broadcast over the channels by ${describeLayer(call)}`);
    }
    const layout = this.layoutOf(shared[0]);
    if (shared.some(t => !sameLayout(this.layoutOf(t), layout))) {
      [...call.inputs, ...call.outputs].forEach(
          t => this.markDiscrete(t, `${describeLayer(call)} merges channel axes laid out differently`));
      return;
    }
    for (const t of shared) this.uf.union(output.id, t.id);
    this.layouts.set(output.id, layout);
  }

  private concat(call: LayerCall) {
    if (call.inputs.some(t => !sameLayout(this.layoutOf(t), ONE))) {
      [...call.inputs, ...call.outputs].forEach(
          t => this.markDiscrete(t, `${describeLayer(call)} concatenates channel axes with taps or depth multipliers`));
      return;
    }
    this.concats.push(call);
  }

  /** The roots of the groups a tensor's axis is made of: its segments' for a concatenation, else its own. */
  private rootsOf(t: SymbolicTensor): number[] {
    const root = this.uf.find(t.id);
    return this.segmentRoots.get(root) ?? [root];
  }

  /**
   * Stage 4: the reasons that keep groups discrete: marked tensors, segments of a concatenation that a layer needs
   * whole (or that leaves the network), and axes of one group with different channel counts.
   */
  collectReasons() {
    for (const call of this.concats) this.segmentRoots.set(this.uf.find(call.outputs[0].id), call.inputs.flatMap(t => this.rootsOf(t)));
    const addReason = (root: number, reason: string) => {
      if (!this.reasons.has(root)) this.reasons.set(root, reason);
    };
    for (const [id, reason] of this.discrete) addReason(this.uf.find(id), reason);
    for (const call of this.calls) {
      const found = this.kindOfCall(call);
      if (found != null && !found.kind.needsWholeInput && found.kind.rule !== 'merge') continue;
      const reason = `concatenated into the input of ${describeLayer(call)}, which needs it whole`;
      for (const t of call.inputs) this.segmentRoots.get(this.uf.find(t.id))?.forEach(r => addReason(r, reason));
    }
    for (const t of this.model.outputs) this.segmentRoots.get(this.uf.find(t.id))?.forEach(r => addReason(r, 'network output'));
    const widths = new Map<number, number>();
    for (const call of this.calls) {
      for (const t of [...call.inputs, ...call.outputs]) {
        const root = this.uf.find(t.id);
        if (this.segmentRoots.has(root)) continue;
        const width = this.width(t);
        if ((widths.get(root) ?? width) !== width) addReason(root, `its channel axes differ in size at ${describeLayer(call)}`);
        widths.set(root, width);
      }
    }
  }

  private width(t: SymbolicTensor): number {
    const {outer, inner} = this.layoutOf(t);
    return lastDim(t) / (outer * inner);
  }

  /** Stage 5: the groups, in graph order (the network input first), with their layers. */
  buildGroups(): ChannelAnalysis {
    const groups = new Map<number, ChannelGroup>();
    const groupOf = (t: SymbolicTensor) => {
      const root = this.uf.find(t.id);
      let g = groups.get(root);
      if (g == null) {
        const width = this.width(t);
        g = {name: t.sourceLayer.name, size: width, originalSize: width, layers: [], continuous: false};
        if (this.segmentRoots.has(root)) {
          g.reason = 'a concatenation, resampled through its segments';
        } else {
          g.continuous = !this.reasons.has(root);
          if (!g.continuous) g.reason = this.reasons.get(root);
        }
        groups.set(root, g);
      }
      return g;
    };
    for (const t of this.model.inputs) groupOf(t);
    for (const call of this.calls) {
      for (const t of [...call.inputs, ...call.outputs]) {
        const g = groupOf(t);
        if (!g.layers.includes(call.layer.name)) g.layers.push(call.layer.name);
      }
    }
    const byRoot = (root: number) => groups.get(root)!;
    for (const [root, children] of this.segmentRoots) byRoot(root).segments = children.map(r => byRoot(r).name);
    return {
      groups: [...groups.values()],
      groupOf,
      layoutOf: t => this.layoutOf(t),
      segmentsOf: t => this.segmentRoots.get(this.uf.find(t.id))?.map(byRoot) ?? null,
      kindOfCall: call => this.kindOfCall(call),
      calls: this.calls,
    };
  }
}

/**
 * Finds the channel groups of `model` (docs/api.md §4, docs/inn-math.md §4): a producer's output axis, every consumer's input
 * axis and every per-channel layer in between, across element-wise merges, nested models and shared layers. The
 * network's inputs and outputs stay discrete, and so does every group that an unsupported layer touches. Each layer
 * kind (`kinds/`) says how its calls relate their channel axes.
 */
export function analyzeChannels(model: tfl.LayersModel): ChannelAnalysis {
  const analyzer = new Analyzer(model);
  analyzer.collectCalls();
  analyzer.linkSharedLayers();
  analyzer.applyChannelRules();
  analyzer.collectReasons();
  return analyzer.buildGroups();
}

/** Which integral layers follow which groups. */
export interface GroupLayout {
  /** The group whose channels each integral layer produces, by layer name. */
  producerGroups: Record<string, string>;
  /** The groups whose concatenation each integral layer reads, by layer name. */
  segmentConsumers: Record<string, string[]>;
}
