/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import type {ChannelwiseRule} from '../../layers/channelwise_rules';
import type {RowSelection} from '../patches';
import type {LayerConfig, LayerConfigDict, ModelConfig} from '../topology';

/** A layer's call: the layer with the tensors of one of its inbound nodes. */
export interface LayerCall {
  layer: tfl.layers.Layer;
  inputs: tfl.SymbolicTensor[];
  outputs: tfl.SymbolicTensor[];
}

/**
 * How a layer relates the channel axes (the last axis, channels-last) of its inputs and outputs:
 * - `producer`: its output channels are a new axis made by its kernel; its input axis is integrated;
 * - `passThrough`: output channel `c` is input channel `c` (point-wise and per-channel layers, pooling, padding,
 *   Flatten and Reshape that keep the channels fastest);
 * - `merge`: all inputs and the output share one axis (element-wise merges; a 1-channel operand broadcasts);
 * - `concat`: the output axis is the inputs' axes one after the other (a parent made of segments).
 */
export type ChannelRule = 'producer'|'passThrough'|'merge'|'concat';

/**
 * How a tensor's channel axis holds its group's `C` channels: `outer × C × inner` entries, `C` in the middle
 * (`outer` spatial taps after a Flatten; `inner` entries per channel after a depthwise multiplier).
 */
export interface ChannelLayout {
  outer: number;
  inner: number;
}

/** A channel axis of one of a layer's weights (stock layout), tied to the call's input or output channels. */
export interface WeightAxis {
  /** Index in `layer.getWeights()`. */
  weight: number;
  /** Axis, from the end. */
  axis: number;
  tensor: 'input'|'output';
}

/** The layer class that stands for a stock layer in a wrapped model, and the stock class it exports to. */
export interface Twin {
  /** Class name of the integral layer (`IntegralDense`, ...). */
  className: string;
  /** The stock class the twin exports to. */
  stockClassName: string;
  /** The twin's config from the stock entry and its call (default: the stock config as it is). */
  twinConfig?(entry: LayerConfig, call: LayerCall): LayerConfigDict;
  /**
   * Stock layers to insert before the exported `entry` (already the stock config, which this may adjust) when the
   * stock class cannot compute the twin's config alone; `layer` is the twin. Default: none.
   */
  exportEntries?(entry: LayerConfig, layer: tfl.layers.Layer): LayerConfig[];
}

/** A producer's integral twin: the layer class that holds its kernel as a control grid. */
export interface ProducerTwin extends Twin {
  /** Its config key of the sampled output width. */
  widthKey: string;
  /** The kernel keeps its input channels on its last axis (`[kh, kw, C_out, C_in]`) instead of axis -2. */
  transposed: boolean;
  /** False when the input axis is never a channel axis (Embedding's rows are tokens). */
  integratesInput: boolean;
}

/**
 * One batch's sums of a layer's least-squares problems: `G` independent groups of `d` regressors (the rows of `P`)
 * and `k` targets (the rows of `Z`, the full width's output before the activation, sampled at the narrow channel
 * positions).
 */
export interface BatchMoments {
  /** `[G, d, d]`: `PᵀP`. */
  pp: tf.Tensor;
  /** `[G, d, k]`: `PᵀZ`. */
  pz: tf.Tensor;
  /** `[G, d]`: the column sums of `P`. */
  ps: tf.Tensor;
  /** `[G, k]`: the column sums of `Z`. */
  zs: tf.Tensor;
  /** The batch's rows. */
  rows: number;
}

/** A stock layer as calibration reads it: its config, kernel and bias. */
export interface CalibratedWeights {
  config: LayerConfigDict;
  kernel: tf.Tensor;
  bias?: tf.Tensor;
}

/**
 * How calibration (docs/api.md §5) re-fits a layer by least squares: its input as rows of regressors in `G` independent
 * groups (one for a producer, whose every output reads every input; one per channel for a depthwise convolution),
 * and its kernel as the `[G, d, k]` matrices that map them to its output before the bias, `[G, rows, k]` (the bias,
 * `[G·k]` in the stock layout, is fitted with them).
 */
export interface LayerCalibration {
  /**
   * The sums of one batch: `x` is the narrow layer's input, `fullX` the full one's; `sampling` `[C_full, n]` samples
   * the full output channels at the narrow positions (null: the same channels); `keep`, given the batch's rows,
   * returns the indices of the rows to sum (null, or no `keep`: all of them). Runs inside a `tidy`.
   */
  moments(x: tf.Tensor, fullX: tf.Tensor, narrow: CalibratedWeights, full: CalibratedWeights,
          sampling: tf.Tensor2D|null, keep?: RowSelection): BatchMoments;
  /**
   * True when `sampling` only multiplies the sums' target columns (`pz·S`, `zs·S`: one group of regressors, as a
   * producer has), so that sums taken once with the full output unsampled serve every sampling.
   */
  readonly samplesTargetColumns: boolean;
  /** The stock kernel as `[G, d, k]` matrices. */
  toMatrices(kernel: tf.Tensor): tf.Tensor3D;
  /** The stock kernel of shape `shape` from such matrices. */
  fromMatrices(matrices: tf.Tensor3D, shape: number[]): tf.Tensor;
}

/** An affine map `y = x·scale + shift` per channel (an inference-mode BatchNormalization). */
export interface ChannelAffine {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

/**
 * Everything the converter knows about one kind of layer. Group analysis, wrapping, resampling, random-width
 * training, export and saving ask these records; no other part of the converter names a Keras class.
 */
export interface LayerKind {
  /** The Keras classes of this kind. */
  readonly classNames: readonly string[];
  /** How a call relates its channel axes. */
  readonly rule: ChannelRule;
  /** Why a call of this layer cannot carry continuous channels (`null`: it can). */
  discreteReason?(call: LayerCall): string|null;
  /** Why the call's inputs are never channel axes (Embedding's token ids), if so. */
  readonly discreteInputs?: string;
  /** The output channel layout of a pass-through call, from its input's (default: the same). */
  outputLayout?(call: LayerCall, input: ChannelLayout): ChannelLayout;
  /** The call needs its input's channel axis whole (per-channel weights), not a concatenation of groups. */
  readonly needsWholeInput?: boolean;
  /** The channel axes of the layer's weights in the stock layout (BatchNormalization folded in). */
  weightAxes?(weights: tf.Tensor[]): WeightAxis[];
  /** The kernel with its output channel `o` scaled by `scale[o]`: a following BatchNormalization folds in. */
  scaleOutputChannels?(kernel: tf.Tensor, scale: tf.Tensor1D): tf.Tensor;
  /** The per-channel affine map of a layer that folds into the producer before it (BatchNormalization). */
  foldableAffine?(layer: tfl.layers.Layer): ChannelAffine;
  /** A producer's integral twin. */
  readonly twin?: ProducerTwin;
  /** How calibration re-fits the layer (none: it keeps its resampled weights, or is exact at every width). */
  readonly calibration?: LayerCalibration;
  /** A per-channel layer's rule, resampled with its group by `IntegralChannelwise`. */
  readonly channelwise?: ChannelwiseRule;
  /**
   * For a layer whose config names its input's channel count (Reshape): the twin that takes that count from its
   * input, so it follows its group's width; its config is the stock one.
   */
  readonly channelFollower?: Twin;
  /**
   * Rewrites entry `entry` of `owner`, in place, into simpler layers computing the same function (SeparableConv2D →
   * DepthwiseConv2D + 1×1 Conv2D), and says how each new layer takes its weights from the original one's.
   */
  split?(entry: LayerConfig, owner: ModelConfig, layer: tfl.layers.Layer): SplitLayer[];
}

/** A layer made by `LayerKind.split`: its name, and its weights from those of layer `from` of the original model. */
export interface SplitLayer {
  name: string;
  from: string;
  weights: (original: tf.Tensor[]) => tf.Tensor[];
}
