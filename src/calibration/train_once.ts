/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Train once, deploy any width (docs/api.md §6): one weight function distilled at many widths at once, with the
// sandwich rule of slimmable networks (the largest and the smallest width every step, plus random ones) and
// in-place distillation from the reference network.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type {ChannelGroup, GroupLayout} from '../converter/channel_groups';
import {copyWeightsByName, disposeModel} from '../converter/topology';
import type {ReferenceNetwork} from '../network/shared_network';
import {applyToLayers, planWidths, scaled} from '../network/widths';
import {mulberry32} from '../util/random';
import {DistillData, inputSpecOf, setLearningRate} from './distill';
import {CheckedDistillOptions, distillLoss} from './distill_options';
import {checkInputData, InputData} from './input_data';
import {logitsModel} from './logits';

/**
 * The widths of one train-once step, by group: the largest, the smallest, then `random` draws (one per group,
 * uniform between them, seeded) — the sandwich rule.
 */
export function sandwichWidths(groups: ChannelGroup[], spec: {min: number, max: number, random: number},
                               random: () => number): Array<Map<string, number>> {
  const continuous = groups.filter(g => g.continuous && g.segments == null);
  const at = (f: (g: ChannelGroup) => number) => new Map(continuous.map(g => [g.name, f(g)]));
  const lo = (g: ChannelGroup) => scaled(spec.min, g.originalSize), hi = (g: ChannelGroup) => scaled(spec.max, g.originalSize);
  return [at(hi), at(lo),
          ...Array.from({length: spec.random}, () => at(g => lo(g) + Math.floor(random() * (hi(g) - lo(g) + 1))))];
}

/**
 * Trains the integral network `network` in place (its own copy; every trainable weight, Adam): every step, the
 * losses of the sandwich widths against the reference's outputs on the batch are summed and their gradients
 * applied at once. The network's layers are back at `own` widths afterwards.
 */
export async function trainOnce(network: tfl.LayersModel, reference: ReferenceNetwork, groups: ChannelGroup[],
                                layout: GroupLayout, data: InputData, o: CheckedDistillOptions) {
  const input = inputSpecOf(network);
  await checkInputData(data, input, 'distill');
  const s = logitsModel(network), t = logitsModel(reference.model);
  const kind = o.loss !== 'auto' ? o.loss : s.classifier && t.classifier ? 'kl' : 'mse';
  const random = mulberry32(o.seed);
  const own = new Map(groups.map(g => [g.name, g.size]));
  const resize = (widths: Map<string, number>) =>
      applyToLayers(planWidths(layout, widths, g => own.get(g)!), s.model);
  const optimizer = tf.train.adam(o.learningRate);
  let distillData: DistillData|null = null;
  try {
    const variables = s.model.trainableWeights.map(w => w.read() as tf.Variable);
    const keep = (x: tf.Tensor, compute: () => tf.Tensor) => reference.outputsFor(x, compute);
    distillData = DistillData.open(data, input, {model: t.model, keep}, {...o, validation: false});
    await distillData.forEach(async ({x, targets}, rate) => {
      setLearningRate(optimizer, rate);
      let sum: tf.NamedTensorMap|null = null;
      let loss = 0;
      for (const widths of sandwichWidths(groups, o.widths!, random)) {
        resize(widths);
        const {value, grads} = tf.variableGrads(
            () => distillLoss(s.model.apply(x, {training: true}) as tf.Tensor, targets, kind, o.temperature), variables);
        loss += (await value.data())[0];
        value.dispose();
        if (sum == null) {
          sum = grads;
        } else {
          const previous: tf.NamedTensorMap = sum;
          sum = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.add(previous[name], g)]));
          tf.dispose([...Object.values(previous), ...Object.values(grads)]);
        }
      }
      optimizer.applyGradients(Object.entries(sum!).map(([name, tensor]) => ({name, tensor})));
      tf.dispose(Object.values(sum!));
      return loss;
    });
    resize(own);
    copyWeightsByName(s.model, network);
  } finally {
    distillData?.dispose();
    optimizer.dispose();
    disposeModel(s.model);
    disposeModel(t.model);
  }
}
