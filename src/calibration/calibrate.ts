/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import type {ChannelGroup} from '../converter/channel_groups';
import {kindOfClass} from '../converter/kinds/registry';
import {layersByName} from '../converter/topology';
import {isChannelSampled} from '../layers/channel_sampled';
import {IntegralChannelwise} from '../layers/integral_channelwise';
import {integralWeight} from '../ops/integral_weight';
import {DEFAULT_CUBIC_A} from '../ops/sampling';
import {assertArg} from '../util/errors';
import {CalibrateOptions, CalibrationData, checkedCalibrateOptions} from './calibrate_options';
import {calibrateLayers, CalibrationTarget, outputSampling} from './least_squares';
import {channelPositions} from './positions';
import {Refit, RefitContext} from './refit';

/** The group of a layer's output channels: the group a producer makes, or the one a per-channel layer is in. */
export function groupOfLayer(context: RefitContext, name: string): ChannelGroup|undefined {
  const {groups, layout} = context;
  const produced = layout.producerGroups[name];
  if (produced != null) return groups.find(g => g.name === produced);
  const layer = layersByName(context.network).get(name);
  return layer instanceof IntegralChannelwise ? groups.find(g => g.segments == null && g.layers.includes(name)) :
                                                undefined;
}

/** True when two lists of weights have the same shapes and values (to float32 rounding of the sampling). */
async function sameWeights(a: tf.Tensor[], b: tf.Tensor[]): Promise<boolean> {
  if (a.length !== b.length || a.some((w, i) => !tf.util.arraysEqual(w.shape, b[i].shape))) return false;
  for (const [i, w] of a.entries()) {
    const [x, y] = [await w.data(), await b[i].data()];
    let scale = 0, worst = 0;
    for (let j = 0; j < y.length; j++) {
      scale = Math.max(scale, Math.abs(y[j]));
      worst = Math.max(worst, Math.abs(x[j] - y[j]));
    }
    if (worst > 1e-6 * scale) return false;
  }
  return true;
}

/**
 * The `[C, n]` matrix that samples a group's `C` reference channels at its `n` channels' positions (uniform, or
 * fitted: {@link channelPositions}), with the same cubic interpolation as resampling (docs/api.md §1).
 */
export function targetSampling(group: ChannelGroup, cubicA: number): tf.Tensor2D {
  if (group.positions == null) return outputSampling(group.originalSize, group.size, cubicA);
  const positions = channelPositions(group);
  return tf.tidy(() => integralWeight(tf.eye(group.originalSize), {
    inContinuous: false, outSize: positions.length, outPositions: tf.tensor1d(positions), cubicA}) as tf.Tensor2D);
}

/**
 * The layers calibration re-fits (producers, and per-channel layers such as depthwise convolutions), in graph
 * order: from the first one whose weights differ from the reference's on (before it, the network is the reference),
 * each with the sampling of its output channels at the model's channel positions (the caller disposes them).
 */
export async function calibrationTargets(context: RefitContext): Promise<CalibrationTarget[]> {
  const {narrow, reference} = context;
  const integral = layersByName(context.network);
  const fitted = narrow.layers.filter(l => kindOfClass(l.getClassName())?.calibration != null &&
                                           groupOfLayer(context, l.name) != null && l.inboundNodes.length === 1);
  let first = 0;
  while (first < fitted.length &&
         await sameWeights(fitted[first].getWeights(), reference.getLayer(fitted[first].name).getWeights())) {
    first++;
  }
  return fitted.slice(first).map(l => {
    const group = groupOfLayer(context, l.name)!;
    const sampled = group.continuous && (group.size !== group.originalSize || group.positions != null);
    const layer = integral.get(l.name);
    const cubicA = layer != null && isChannelSampled(layer) ? layer.cubicA : DEFAULT_CUBIC_A;
    return {name: l.name, sampling: sampled ? targetSampling(group, cubicA) : null};
  });
}

/**
 * Calibration by least squares (docs/api.md §5) on the uniform grid: every re-fitted layer aims at the reference's
 * channel functions sampled at the model's channel positions.
 */
export function leastSquaresRefit(x: CalibrationData, options: CalibrateOptions): Refit {
  checkedCalibrateOptions(options);
  return {
    async run(context) {
      const positioned = [...layersByName(context.network).values()].find(
          l => (l as {integral?: {trainablePositions: boolean}}).integral?.trainablePositions);
      assertArg(positioned == null, 'calibrate', 'model', 'free of layers with trainable positions',
                `layer '${positioned?.name}'`);
      const targets = await calibrationTargets(context);
      try {
        const {keptStart} = await calibrateLayers(context.narrow, context.reference, targets, x, options,
                                                  !context.pristine);
        return {changed: new Set(keptStart ? [] : targets.map(t => t.name))};
      } finally {
        tf.dispose(targets.map(t => t.sampling).filter(s => s != null));
      }
    },
  };
}
