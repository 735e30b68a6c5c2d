/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {convPads, RowSelection, unfold, unfoldTaps} from '../patches';
import type {LayerCalibration, LayerCall, LayerKind, ProducerTwin, WeightAxis} from './layer_kind';

/** `layer 'name' (Class)`: how reasons name a layer. */
export const describeLayer = (call: LayerCall) => `layer '${call.layer.name}' (${call.layer.getClassName()})`;

/** The reason a channels-first call cannot carry channels on its last axis, or null. */
export function channelsFirstReason(call: LayerCall): string|null {
  const config = call.layer.getConfig();
  return config.dataFormat === 'channelsFirst' ? `${describeLayer(call)} is channelsFirst` : null;
}

/** True when `axis` (a Keras axis argument) is the last axis of a rank-`rank` tensor. */
export const isLastAxis = (axis: unknown, rank: number): boolean =>
    axis === -1 || axis === rank - 1 || (Array.isArray(axis) && axis.length === 1 && isLastAxis(axis[0], rank));

/** The weight axes of a layer with a kernel `[..., in, out]` (or `[..., out, in]` transposed) and an optional bias. */
export function kernelAxes(transposed: boolean) {
  return (weights: tf.Tensor[]): WeightAxis[] => [
    {weight: 0, axis: transposed ? -1 : -2, tensor: 'input'},
    {weight: 0, axis: transposed ? -2 : -1, tensor: 'output'},
    ...(weights.length > 1 ? [{weight: 1, axis: -1, tensor: 'output' as const}] : []),
  ];
}

/**
 * A producer with a kernel `[...spatial, C_in, C_out]` (or `[..., C_out, C_in]` when `twin.transposed`), an optional
 * bias, an integral twin, and a BatchNormalization that may fold into its outputs.
 */
export function kernelProducer(classNames: string[], twin: Omit<ProducerTwin, 'transposed'|'integratesInput'> &
                               Partial<ProducerTwin>, calibration: LayerCalibration): LayerKind {
  const transposed = twin.transposed ?? false;
  return {
    classNames,
    rule: 'producer',
    discreteReason: channelsFirstReason,
    weightAxes: kernelAxes(transposed),
    scaleOutputChannels: (kernel, scale) => tf.mul(kernel, transposed ? tf.reshape(scale, [-1, 1]) : scale),
    twin: {transposed, integratesInput: true, ...twin},
    calibration,
  };
}

/** A list-valued config entry (kernel size, strides, dilations) as `rank` numbers. */
export const configTuple = (v: unknown, rank: number): number[] => {
  const list = v == null ? [1] : Array.isArray(v) ? v as number[] : [v as number];
  return list.length === 1 ? Array(rank).fill(list[0]) : list;
};

/** How a producer's kernel maps its input rows (`[rows, d]`) to its output (`[rows, C_out]`) as one `[d, C_out]` matrix. */
export interface ProducerMatrix {
  /** The input rows (all, or those `keep` selects). */
  patches(x: tf.Tensor, config: Record<string, unknown>, kernelShape: number[], keep?: RowSelection): tf.Tensor2D;
  toMatrix(kernel: tf.Tensor): tf.Tensor2D;
  fromMatrix(matrix: tf.Tensor2D, shape: number[]): tf.Tensor;
}

/** The calibration of a producer: one group of regressors (its im2col patches), its output channels sampled. */
export function producerCalibration(p: ProducerMatrix): LayerCalibration {
  return {
    moments: (x, fullX, narrow, full, sampling, keep) => {
      const patches = p.patches(x, narrow.config, narrow.kernel.shape, keep);
      // The full output sampled at the narrow positions, `(P_full·K + b)·S`, as `P_full·(K·S) + b·S`: the sampling
      // applied to the kernel costs nothing next to applying it to every row.
      let kernel = p.toMatrix(full.kernel), bias = full.bias == null ? null : tf.reshape(full.bias, [1, -1]);
      if (sampling != null) [kernel, bias] = [tf.matMul(kernel, sampling), bias && tf.matMul(bias, sampling)];
      let z = tf.matMul(p.patches(fullX, full.config, full.kernel.shape, keep), kernel);
      if (bias != null) z = tf.add(z, bias);
      // An explicit transpose: wasm's matMul with a transposed operand is many times slower than without.
      const transposed = tf.transpose(patches);
      return {pp: tf.expandDims(tf.matMul(transposed, patches), 0), pz: tf.expandDims(tf.matMul(transposed, z), 0),
              ps: tf.sum(patches, 0, true), zs: tf.sum(z, 0, true), rows: patches.shape[0]};
    },
    samplesTargetColumns: true,
    toMatrices: kernel => tf.tidy(() => tf.expandDims(p.toMatrix(kernel), 0) as tf.Tensor3D),
    fromMatrices: (m, shape) => tf.tidy(() => p.fromMatrix(tf.squeeze(m, [0]) as tf.Tensor2D, shape)),
  };
}

/** The window, strides, dilations and padding of a convolution of rank 1 (an image of height 1) or 2, on `x`. */
function convGeometry(x: tf.Tensor, config: Record<string, unknown>, kernelShape: number[], rank: 1|2) {
  const kernel = rank === 1 ? [1, kernelShape[0]] : kernelShape.slice(0, 2);
  const strides = [1, 1, ...configTuple(config.strides, rank)].slice(-2);
  const dilations = [1, 1, ...configTuple(config.dilationRate, rank)].slice(-2);
  const image = (rank === 1 ? tf.expandDims(x, 1) : x) as tf.Tensor4D;
  const [top, bottom] = convPads(image.shape[1], kernel[0], strides[0], dilations[0], config.padding as string);
  const [left, right] = convPads(image.shape[2], kernel[1], strides[1], dilations[1], config.padding as string);
  return {image, kernel, strides, dilations, pads: {top, bottom, left, right}};
}

/** im2col patches (all rows, or those `keep` selects) of a convolution of rank 1 (an image of height 1) or 2. */
export function convPatches(x: tf.Tensor, config: Record<string, unknown>, kernelShape: number[], rank: 1|2,
                            keep?: RowSelection): tf.Tensor2D {
  return tf.tidy(() => {
    const g = convGeometry(x, config, kernelShape, rank);
    return unfold(g.image, g.kernel, g.strides, g.dilations, g.pads, keep);
  });
}

/** What each tap of a 2-D convolution with the stock `config` reads: `kh·kw` tensors `[rows, c]` (`keep`: some). */
export function convTaps(x: tf.Tensor, config: Record<string, unknown>, kernelShape: number[],
                         keep?: RowSelection): tf.Tensor2D[] {
  return tf.tidy(() => {
    const g = convGeometry(x, config, kernelShape, 2);
    return unfoldTaps(g.image, g.kernel, g.strides, g.dilations, g.pads, keep);
  });
}

/** Calibration of a convolution whose kernel is `[...spatial, C_in, C_out]`: the kernel as `[taps·C_in, C_out]`. */
export function convCalibration(rank: 1|2): LayerCalibration {
  return producerCalibration({
    patches: (x, config, kernelShape, keep) => convPatches(x, config, kernelShape, rank, keep),
    toMatrix: kernel => tf.reshape(kernel, [-1, kernel.shape[kernel.rank - 1]]),
    fromMatrix: (matrix, shape) => tf.reshape(matrix, shape),
  });
}
