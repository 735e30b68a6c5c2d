/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralWeight} from '../ops/integral_weight';
import {DEFAULT_CUBIC_A} from '../ops/sampling';
import {assertArg} from '../util/errors';

/** How a per-channel stock layer computes, given its weights sampled at the input's channel count. */
interface ChannelwiseRule {
  /** Channel axis of each weight, from the end (`-1`: last). */
  channelAxis: (weightIndex: number) => number;
  /** Weights interpolated in log space (they must stay positive: variances). */
  logSpace: (weightIndex: number, config: tf.serialization.ConfigDict) => boolean;
  apply: (x: tf.Tensor, weights: tf.Tensor[], config: tf.serialization.ConfigDict) => tf.Tensor;
}

const activationOf = (config: tf.serialization.ConfigDict) =>
    tfl.layers.activation({activation: (config.activation ?? 'linear') as 'linear'});

/** BatchNormalization weights in order: gamma (if scale), beta (if center), moving mean, moving variance. */
function batchNormParts(w: tf.Tensor[], config: tf.serialization.ConfigDict) {
  let k = 0;
  const gamma = config.scale !== false ? w[k++] : undefined;
  const beta = config.center !== false ? w[k++] : undefined;
  return {gamma, beta, mean: w[k], variance: w[k + 1], varianceIndex: k + 1};
}

/** The per-channel layers an IntegralModel resamples along with their group. */
export const CHANNELWISE_RULES: Record<string, ChannelwiseRule> = {
  DepthwiseConv2D: {
    channelAxis: i => (i === 0 ? -2 : -1),  // kernel [kh, kw, C, 1], bias [C]
    logSpace: () => false,
    apply: (x, [kernel, bias], c) => {
      let y: tf.Tensor = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, c.strides as [number, number],
                                            c.padding as 'valid'|'same', 'NHWC', c.dilationRate as [number, number]);
      if (bias != null) y = tf.add(y, bias);
      return activationOf(c).apply(y) as tf.Tensor;
    },
  },
  PReLU: {
    channelAxis: () => -1,
    logSpace: () => false,
    apply: (x, [alpha]) => tf.prelu(x, alpha),
  },
  BatchNormalization: {
    channelAxis: () => -1,
    logSpace: (i, config) => i === batchNormParts([], config).varianceIndex,
    apply: (x, w, c) => {
      const {gamma, beta, mean, variance} = batchNormParts(w, c);
      return tf.batchNorm(x, mean, variance, beta, gamma, c.epsilon as number);
    },
  },
};

/** Arguments of {@link IntegralChannelwise}. */
export interface IntegralChannelwiseArgs {
  /** The per-channel stock layer this one resamples: `{className, config}`. */
  wrapped: {className: string, config: tf.serialization.ConfigDict};
  /** Channels of the wrapped layer's weights (the control nodes). */
  controlSize: number;
  /** Keys cubic-convolution parameter (default -0.5). */
  cubicA?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * A per-channel layer (DepthwiseConv2D with multiplier 1, PReLU, BatchNormalization) of a channel group, whose
 * weights are 1-D functions of the channel coordinate: they are interpolated (never integrated) at the input's
 * channel count on every call, so the layer follows its group's width. A BatchNormalization computes with its
 * moving statistics (inference semantics) in training too; variances are interpolated in log space.
 */
export class IntegralChannelwise extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'IntegralChannelwise';
  readonly wrapped: {className: string, config: tf.serialization.ConfigDict};
  readonly controlSize: number;
  readonly cubicA: number;
  private readonly rule: ChannelwiseRule;
  private controls: tfl.LayerVariable[] = [];

  constructor(args: IntegralChannelwiseArgs) {
    super(args);
    this.rule = CHANNELWISE_RULES[args.wrapped?.className];
    assertArg(this.rule != null, `IntegralChannelwise '${this.name}'`, 'wrapped.className',
              `one of ${Object.keys(CHANNELWISE_RULES).join(', ')}`, args.wrapped?.className);
    this.wrapped = args.wrapped;
    this.controlSize = args.controlSize;
    this.cubicA = args.cubicA ?? DEFAULT_CUBIC_A;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    // The stock layer at the control width tells the weights' names, shapes and trainability.
    const stock = tf.serialization.SerializationMap.getMap().classNameMap[this.wrapped.className];
    const template = stock[1](stock[0], {...this.wrapped.config, name: `${this.name}_template`}) as tfl.layers.Layer;
    template.build([...shape.slice(0, -1), this.controlSize]);
    this.controls = template.weights.map(w => this.addWeight(
        w.originalName.split('/').pop()!, w.shape, 'float32', tfl.initializers.zeros(), undefined, w.trainable));
    template.weights.forEach(w => w.dispose());  // built, never called: release its variables directly
    this.built = true;
  }

  /** The wrapped layer's weights sampled at `n` channels (what its stock twin holds at that width). */
  sampledWeights(n: number): tf.Tensor[] {
    return tf.tidy(() => this.controls.map((v, i) => {
      const w = v.read();
      const log = this.rule.logSpace(i, this.wrapped.config);
      const axis = w.rank + this.rule.channelAxis(i);
      // Channel axis last (or followed by size-1 axes only): rows of C values, each a 1-D function.
      const rows = tf.reshape(log ? tf.log(w) : w, [-1, 1, this.controlSize]);
      const sampled = integralWeight(rows, {inContinuous: false, outSize: n, cubicA: this.cubicA});
      const shape = w.shape.map((d, a) => (a === axis ? n : d));
      const out = tf.reshape(sampled, shape);
      return log ? tf.exp(out) : out;
    }));
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape|tfl.Shape[] {
    const stock = tf.serialization.SerializationMap.getMap().classNameMap[this.wrapped.className];
    const template = stock[1](stock[0], {...this.wrapped.config, name: `${this.name}_shape`}) as tfl.layers.Layer;
    return template.computeOutputShape(inputShape);
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.rule.apply(x, this.sampledWeights(x.shape[x.rank - 1]), this.wrapped.config);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {wrapped: this.wrapped, controlSize: this.controlSize, cubicA: this.cubicA, ...super.getConfig()};
  }
}
tf.serialization.registerClass(IntegralChannelwise);
