/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Calibration on a fitted grid (docs/calibration.md): the positions of each group's narrow channels on the
// reference's channel axis are chosen from the data, then the layers are fitted by least squares as on the uniform
// grid. A position on a node is that channel, so the candidates include channel selections (magnitude pruning).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {analyzeChannels, ChannelAnalysis, ChannelGroup, LayerCall} from '../converter/channel_groups';
import type {LayerCalibration} from '../converter/kinds/layer_kind';
import {kindOfClass} from '../converter/kinds/registry';
import {fromHost, HostBatch} from './activation_cache';
import {calibrationTargets, groupOfLayer, targetSampling} from './calibrate';
import {CalibrateOptions, CalibrationData, checkedCalibrateOptions} from './calibrate_options';
import {searchedChannels, searchTries} from './channel_search';
import {calibrateLayers, CalibrationTarget, LeastSquares} from './least_squares';
import {AxisSampling, channelPositions, sampledWeights, samplingMatrix} from './positions';
import {Refit, RefitContext} from './refit';
import {gaussianProjection} from '../util/random';

/** The channels of the `n` largest of `scores` (one per channel), in increasing order. */
function topChannels(scores: ArrayLike<number>, n: number): number[] {
  const order = Array.from({length: scores.length}, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, n).sort((a, b) => a - b);
}

/** The positions of the nodes of `channels` on a `size`-channel axis. */
const nodePositions = (channels: number[], size: number) => channels.map(i => size === 1 ? 0.5 : i / (size - 1));

/**
 * The L1 norm of each output channel of a producer's kernel (what L1 channel pruning ranks by), along the output
 * axis its layer kind names (the last but one of a transposed convolution's kernel).
 */
async function outputL1(producer: LayerCall, ls: LeastSquares, analysis: ChannelAnalysis): Promise<Float32Array> {
  const weights = ls.full.getLayer(producer.layer.name).getWeights();
  const axes = analysis.kindOfCall(producer)!.kind.weightAxes!(weights);
  const axis = axes.find(a => a.weight === 0 && a.tensor === 'output')!;
  const kernel = weights[axis.weight];
  const channels = kernel.shape[kernel.rank + axis.axis];
  const norms = tf.tidy(() => tf.sum(tf.abs(tf.reshape(kernel, channelGrid(kernel.shape, axis.axis,
                                                                           {outer: 1, inner: 1}, channels))), [0, 2]));
  const values = await norms.data() as Float32Array;
  norms.dispose();
  return values;
}

/** A group the fitted grid places: made by one producer, read whole (no concatenation) by at least one producer. */
interface PlacedGroup {
  group: ChannelGroup;
  producer: LayerCall;
  /** The first producer that reads the group: its reconstruction scores the candidates. */
  consumer: LayerCall;
}

/** The groups the fitted grid can place, by name; the others keep their positions. */
function placeableGroups(analysis: ChannelAnalysis, groups: ChannelGroup[]): Map<string, PlacedGroup> {
  const producers = (c: LayerCall) => analysis.kindOfCall(c)?.kind.rule === 'producer';
  const placed = new Map<string, PlacedGroup>();
  for (const group of groups) {
    if (!group.continuous || group.segments != null || group.size === group.originalSize) continue;
    const made = analysis.calls.filter(c => producers(c) && analysis.groupOf(c.outputs[0]).name === group.name);
    const read = analysis.calls.filter(c => producers(c) && c.inputs.some(t => analysis.groupOf(t).name === group.name));
    const concatenated = analysis.calls.some(c => c.inputs.some(t => analysis.groupOf(t).name === group.name) &&
                                                  analysis.segmentsOf(c.outputs[0]) != null);
    const calibrated = read.filter(c => kindOfClass(c.layer.getClassName())?.calibration != null);
    if (made.length !== 1 || calibrated.length === 0 || concatenated) continue;
    placed.set(group.name, {group, producer: made[0], consumer: calibrated[0]});
  }
  return placed;
}

/**
 * Calibration on a fitted grid. For each group it can place (one producer; read whole by a producer), at its
 * producer's turn in graph order: candidate positions — the current (uniform) ones, and the nodes of the channels a
 * local search on the consumer's least squares finds ({@link searchedChannels}) from the channels with the largest
 * kernel L1 norms and those with the largest output energy downstream (the energy each channel carries into its
 * consumer, `E[a²]` times the squared norm of the consumer's weights reading it) — are each tried: the
 * narrow network takes the reference's weights at those positions, the producer is fitted, and the first consumer
 * is fitted to the reference's whole output; the positions whose consumer fit predicts held-out inputs best win.
 * Then every layer is fitted as on the uniform grid, toward the reference's channels at the chosen positions.
 */
export function fittedGridRefit(x: CalibrationData, options: CalibrateOptions): Refit {
  checkedCalibrateOptions(options);
  return {
    async run(context: RefitContext) {
      const analysis = analyzeChannels(context.reference);
      // A model trained or re-fitted before is placed anew from the reference's weights too; the whole network then
      // competes with its start on the held-out inputs (calibrateLayers), and keeps its positions if the start wins.
      const placeable = placeableGroups(analysis, context.groups);
      const positions = new Map(context.groups.filter(g => g.continuous && g.segments == null)
                                    .map(g => [g.name, channelPositions(g)]));
      const cubicA = cubicAOf(context);
      const sampling = (group: ChannelGroup): AxisSampling|null => {
        if (group.segments != null) return concatenationSampling(group, context.groups, positions, cubicA);
        const p = positions.get(group.name);
        if (p == null || !group.continuous) return null;
        return {matrix: samplingMatrix(group.originalSize, p, cubicA), size: group.originalSize, n: p.length,
                layout: {outer: 1, inner: 1}};
      };
      const targets = await calibrationTargets(context);
      const placedNow: Record<string, number[]> = {};
      const trained = !context.pristine;
      const choose = async (target: CalibrationTarget, ls: LeastSquares) => {
        const own = groupOfLayer(context, target.name);
        if (own != null && placedNow[own.name] != null) {
          // A later layer of a placed group (a per-channel layer): aim at the chosen positions too.
          return replaceSampling(target, targetFor(own, placedNow[own.name], cubicA));
        }
        const group = context.layout.producerGroups[target.name];
        const place = placeable.get(group);
        if (place == null || place.producer.layer.name !== target.name) return target.sampling;
        // The consumer's input in the full network, from a branch of its activations (the main cache runs in
        // graph order and has not passed the producer yet).
        const producerInput = ls.full.getLayer(target.name).input as tfl.SymbolicTensor;
        const fullBranch = await ls.branch('full', producerInput);
        const consumerInput = ls.full.getLayer(place.consumer.layer.name).input as tfl.SymbolicTensor;
        const fullConsumerInput = await fullBranch.valuesOf(consumerInput);
        const candidates = await candidatePositions(place, ls, analysis, fullConsumerInput);
        let best: {error: number, positions: number[]}|null = null;
        // The producer is fitted, and the consumer scored, for every candidate at the ridges their first fits
        // chose (one solve each).
        let ridge: number|undefined, scoringRidge: number|'auto' = 'auto';
        // The producer's inputs stay as they are for every candidate: its sums are taken once.
        ls.reuseSums(place.producer.layer.name);
        for (const candidate of candidates) {
          positions.set(group, candidate);
          setReferenceWeights(place, analysis, ls, sampling);
          const target = targetFor(place.group, candidate, cubicA);
          try {
            ridge = (await ls.fit(place.producer.layer.name, target, ridge)).ridge;
          } finally {
            target.dispose();
          }
          const score = await scoreCandidate(place, ls, analysis, sampling, b => fromHost(fullConsumerInput[b]),
                                             scoringRidge);
          scoringRidge = score.ridge;
          if (best == null || score.error < best.error) best = {error: score.error, positions: candidate};
        }
        positions.set(group, best!.positions);
        placedNow[group] = best!.positions;
        setReferenceWeights(place, analysis, ls, sampling);
        return replaceSampling(target, targetFor(place.group, best!.positions, cubicA));
      };
      try {
        const {keptStart} = await calibrateLayers(context.narrow, context.reference, targets, x, options, trained,
                                                  choose);
        return keptStart ? {changed: new Set<string>()} :
                           {changed: new Set(targets.map(t => t.name)), positions: placedNow};
      } finally {
        tf.dispose(targets.map(t => t.sampling).filter(s => s != null));
      }
    },
  };
}

/**
 * The sampling of a concatenation's channels: its segments one after the other, each sampled at its group's
 * positions (a block-diagonal matrix; a discrete segment is kept whole).
 */
function concatenationSampling(group: ChannelGroup, groups: ChannelGroup[], positions: Map<string, number[]>,
                               cubicA: number): AxisSampling {
  const segments = group.segments!.map(name => groups.find(g => g.name === name)!);
  const sizes = segments.map(g => g.originalSize);
  const samples = segments.map(g => positions.get(g.name)?.length ?? g.originalSize);
  const [size, n] = [sizes.reduce((a, b) => a + b, 0), samples.reduce((a, b) => a + b, 0)];
  const matrix = new Float32Array(size * n);
  let row = 0, column = 0;
  segments.forEach((g, k) => {
    const p = positions.get(g.name);
    const block = p == null ? null : samplingMatrix(sizes[k], p, cubicA);
    for (let i = 0; i < sizes[k]; i++) {
      for (let j = 0; j < samples[k]; j++) {
        matrix[(row + i) * n + column + j] = block == null ? (i === j ? 1 : 0) : block[i * samples[k] + j];
      }
    }
    row += sizes[k];
    column += samples[k];
  });
  return {matrix, size, n, layout: {outer: 1, inner: 1}};
}

/** Outputs of the consumer's fit that score a candidate: a wider output is projected to this many columns. */
const SCORED_OUTPUTS = 16;

/** The channels of a call's output. */
const outputWidth = (call: LayerCall) => call.outputs[0].shape[call.outputs[0].rank - 1] as number;

/** The Keys parameter of the model's sampling (every integral layer of a wrapped model uses the same). */
function cubicAOf(context: RefitContext): number {
  const layer = context.network.layers.find(l => typeof (l as {cubicA?: unknown}).cubicA === 'number');
  return (layer as {cubicA?: number}|undefined)?.cubicA ?? -0.5;
}

/** The `[C, n]` sampling of a group's reference channels at `positions`, as a tensor (the caller disposes it). */
function targetFor(group: ChannelGroup, positions: number[], cubicA: number): tf.Tensor2D {
  return targetSampling({...group, size: positions.length, positions}, cubicA);
}

/** Keeps `sampling` as the target's (the target's own sampling is disposed by its owner). */
function replaceSampling(target: CalibrationTarget, sampling: tf.Tensor2D): tf.Tensor2D {
  if (target.sampling != null) target.sampling.dispose();
  target.sampling = sampling;
  return sampling;
}

/**
 * Candidate positions of a group: its current ones, and the channels the local search finds from the top-L1 and the
 * top-energy channels (those two themselves where the consumer cannot be searched).
 */
async function candidatePositions(place: PlacedGroup, ls: LeastSquares, analysis: ChannelAnalysis,
                                  values: HostBatch[]): Promise<number[][]> {
  const {group, producer, consumer} = place;
  const n = group.size;
  const current = channelPositions(group);
  const l1 = topChannels(await outputL1(producer, ls, analysis), n);
  // Energy each reference channel carries into the consumer: Σ over inputs and taps of a², times ‖W_c‖².
  const layout = analysis.layoutOf(consumer.inputs[0]);
  const energy = new Float64Array(group.originalSize);
  for (const batch of values) {
    const v = batch.values;
    const width = batch.shape[batch.shape.length - 1];
    for (let i = 0; i < v.length; i++) {
      const c = Math.floor((i % width) / layout.inner) % group.originalSize;
      energy[c] += v[i] * v[i];
    }
  }
  const kind = analysis.kindOfCall(consumer)!.kind;
  const weights = ls.full.getLayer(consumer.layer.name).getWeights();
  const inputAxis = kind.weightAxes!(weights).find(a => a.tensor === 'input')!;
  const kernel = weights[inputAxis.weight];
  const rows = tf.tidy(() => tf.sum(tf.square(tf.reshape(kernel, channelGrid(kernel.shape, inputAxis.axis, layout,
                                                                             group.originalSize))), [0, 2]));
  const norms = await rows.data();
  rows.dispose();
  const top = topChannels(Array.from(energy, (e, c) => e * norms[c]), n);
  // The search starts from both channel selections and never ends worse than the better of them on its criterion:
  // its result stands for them (each candidate costs a pass of the narrow network to score).
  const channelOf = await regressorChannels(kind.calibration!, kernel, inputAxis.axis, layout, group.originalSize);
  const selections = channelOf == null ? [l1, top] :
                                         [await searchedSelection(place, ls, analysis, values, channelOf, [l1, top])];
  const candidates = [current, ...selections.map(c => nodePositions(c, group.originalSize))];
  return candidates.filter((c, i) => candidates.findIndex(d => d.every((p, j) => p === c[j])) === i);
}

/**
 * The channels the local search finds ({@link searchedChannels}): those from which the consumer, reading the
 * reference's channels `values` (`channelOf[i]`: the channel of its regressor `i`), reproduces its whole output best
 * on held-out rows, starting from the channel selections `starts`.
 */
async function searchedSelection(place: PlacedGroup, ls: LeastSquares, analysis: ChannelAnalysis,
                                 values: HostBatch[], channelOf: Int32Array, starts: number[][]): Promise<number[]> {
  const {group, consumer} = place;
  const source = (b: number) => fromHost(values[b]);
  const {prior, targets} = consumerPrior(place, ls, analysis, null);
  try {
    const sums = await ls.selectionSums(consumer.layer.name, {narrow: source, full: source}, prior, targets);
    const regressors = channelOf.length * starts[0].length / group.originalSize;
    return searchedChannels(sums, channelOf, group.originalSize, starts, searchTries(starts.length, regressors));
  } finally {
    tf.dispose([...prior, ...(targets != null ? [targets] : [])]);
  }
}

/**
 * A kernel's shape as `[before, channels, after]` around the `channels` of its input axis `axis` (negative), laid out
 * on that axis as `layout` says (`outer` blocks of channels, each repeated `inner` times in a row).
 */
function channelGrid(shape: number[], axis: number, layout: {outer: number, inner: number}, channels: number):
    [number, number, number] {
  const at = shape.length + axis;
  const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  return [product(shape.slice(0, at)) * layout.outer, channels, layout.inner * product(shape.slice(at + 1))];
}

/**
 * The channel (of `channels`, laid out along `kernel`'s input axis `axis` as `layout` says) that each regressor of
 * `calibration`'s least squares reads, or null when its matrices split the input in several groups: a kernel of
 * channel numbers along that axis, through the calibration's matrices.
 */
export async function regressorChannels(calibration: LayerCalibration, kernel: tf.Tensor, axis: number,
                                        layout: {outer: number, inner: number}, channels: number):
    Promise<Int32Array|null> {
  const matrices = tf.tidy(() => {
    const numbers = tf.reshape(tf.range(0, channels), [1, channels, 1]);
    const grid = channelGrid(kernel.shape, axis, layout, channels);
    return calibration.toMatrices(tf.reshape(tf.broadcastTo(numbers, grid), kernel.shape));
  });
  const [groups, d, columns] = matrices.shape;
  const values = await matrices.data();
  matrices.dispose();
  if (groups !== 1) return null;
  return Int32Array.from({length: d}, (_, i) => Math.round(values[i * columns]));
}

/**
 * Sets, in the narrow network, the layers of a placed group (its producer, its per-channel layers, its readers) to
 * the reference's weights sampled at the current positions of every group they touch.
 */
function setReferenceWeights(place: PlacedGroup, analysis: ChannelAnalysis, ls: LeastSquares,
                             sampling: (group: ChannelGroup) => AxisSampling|null) {
  const name = place.group.name;
  for (const call of analysis.calls) {
    const kind = analysis.kindOfCall(call)?.kind;
    const touches = [...call.inputs, ...call.outputs].some(t => analysis.groupOf(t).name === name);
    const layer = ls.full.getLayer(call.layer.name);
    if (kind?.weightAxes == null || !touches || layer.getWeights().length === 0) continue;
    const at = (t: tfl.SymbolicTensor) => {
      const s = sampling(analysis.groupOf(t));
      return s == null ? null : {...s, layout: analysis.layoutOf(t)};
    };
    const weights = layer.getWeights();
    const sampled = sampledWeights(weights, kind.weightAxes(weights),
                                   tensor => at(tensor === 'input' ? call.inputs[0] : call.outputs[0]));
    ls.narrow.getLayer(call.layer.name).setWeights(sampled);
    tf.dispose(sampled);
  }
}

/**
 * The consumer's prior: the reference's weights, their input sampled by `input` (null: all channels), their outputs
 * projected as the targets are (a fixed random projection of a wide output: ranking candidates needs its error, not
 * every column); and the projection of the targets (null: none). The caller disposes them.
 */
function consumerPrior(place: PlacedGroup, ls: LeastSquares, analysis: ChannelAnalysis, input: AxisSampling|null):
    {prior: tf.Tensor[], targets: tf.Tensor2D|null} {
  const reference = ls.full.getLayer(place.consumer.layer.name).getWeights();
  const kind = analysis.kindOfCall(place.consumer)!.kind;
  const outputs = outputWidth(place.consumer);
  const projection = outputs > SCORED_OUTPUTS ? gaussianProjection(outputs, SCORED_OUTPUTS) : null;
  const projected: AxisSampling|null =
      projection == null ? null : {matrix: projection, size: outputs, n: SCORED_OUTPUTS, layout: {outer: 1, inner: 1}};
  const prior = sampledWeights(reference, kind.weightAxes!(reference), tensor => tensor === 'output' ? projected :
      input == null ? null : {...input, layout: analysis.layoutOf(place.consumer.inputs[0])});
  return {prior, targets: projection == null ? null : tf.tensor2d(projection, [outputs, SCORED_OUTPUTS])};
}

/**
 * The error of a candidate (its producer fitted toward the reference's channels at the candidate positions): how
 * well the consumer, reading the narrow network's channels, reproduces the reference consumer's whole output on
 * held-out inputs, fitted at `ridge` (`'auto'`: the held-out inputs choose it); the error and the ridge.
 */
async function scoreCandidate(place: PlacedGroup, ls: LeastSquares, analysis: ChannelAnalysis,
                              sampling: (group: ChannelGroup) => AxisSampling|null,
                              fullConsumerInput: (batch: number) => tf.Tensor, ridge: number|'auto'):
    Promise<{error: number, ridge: number}> {
  const producerInput = ls.narrow.getLayer(place.producer.layer.name).input as tfl.SymbolicTensor;
  const branch = await ls.branch('narrow', producerInput);
  const consumer = ls.narrow.getLayer(place.consumer.layer.name);
  const source = await branch.prepare(consumer.input as tfl.SymbolicTensor);
  const {prior, targets} = consumerPrior(place, ls, analysis, sampling(analysis.groupOf(place.consumer.inputs[0])));
  try {
    return await ls.reconstructionError(place.consumer.layer.name, {narrow: source, full: fullConsumerInput}, prior,
                                        targets, ridge);
  } finally {
    tf.dispose([...prior, ...(targets != null ? [targets] : [])]);
  }
}
