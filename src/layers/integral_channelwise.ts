/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralWeight} from '../ops/integral_weight';
import {assertCubicA, DEFAULT_CUBIC_A} from '../ops/sampling';
import {assertArg, assertLayerArgs, isPositiveInteger} from '../util/errors';
import {channelwiseClasses, channelwiseRule, ChannelwiseRule} from './channelwise_rules';
import {singleShape} from './integral_layer_util';
import {ChannelSampledLayer, ControlsAtWidths} from './channel_sampled';
import {SampledWeightCache} from './sampled_weight_cache';

/** A stock layer as `{className, config}`. */
export type WrappedLayer = {
  /** Its Keras class name. */
  className: string;
  /** Its config. */
  config: tf.serialization.ConfigDict;
};

/** Arguments of {@link IntegralChannelwise}. */
export interface IntegralChannelwiseArgs {
  /** The per-channel stock layer this one resamples: `{className, config}`. */
  wrapped: WrappedLayer;
  /** Channels of the wrapped layer's weights (the control nodes). */
  controlSize: number;
  /**
   * Entries per channel on the input's channel axis (a depthwise convolution's multiplier upstream: `[C, m]`,
   * `m` fastest). Default 1.
   */
  inner?: number;
  /** Keys cubic-convolution parameter (default -0.5). */
  cubicA?: number;
  /** Layer name. */
  name?: string;
  /** Whether its weights train (default true). */
  trainable?: boolean;
}

/**
 * A per-channel layer (DepthwiseConv2D, PReLU, BatchNormalization, LayerNormalization) of a channel group, whose
 * weights are 1-D functions of the channel coordinate: they are interpolated (never integrated) at the input's
 * channel count on every call, so the layer follows its group's width. A BatchNormalization computes with its
 * moving statistics (inference semantics) in training too; variances are interpolated in log space.
 */
export class IntegralChannelwise extends tfl.layers.Layer implements ChannelSampledLayer {
  /** The class name registered for serialization. */
  static className = 'IntegralChannelwise';
  /** The per-channel stock layer this one resamples. */
  readonly wrapped: WrappedLayer;
  /** Channels of the wrapped layer's weights (control nodes). */
  readonly controlSize: number;
  /** Entries per channel on the input's channel axis. */
  readonly inner: number;
  /** Keys cubic-convolution parameter. */
  readonly cubicA: number;
  private readonly rule: ChannelwiseRule;
  private controls: tfl.LayerVariable[] = [];
  /** The sampled weights, reused in inference while the controls and the width stay the same. */
  private readonly weightCache = new SampledWeightCache();
  /** Sampled channels of the input the layer was last built for. */
  private builtChannels = 0;

  constructor(args: IntegralChannelwiseArgs) {
    super(assertLayerArgs('IntegralChannelwise', args));
    const where = `IntegralChannelwise '${this.name}'`;
    const rule = channelwiseRule(args.wrapped?.className);
    assertArg(rule != null, where, 'wrapped.className', `one of ${channelwiseClasses().join(', ')}`,
              args.wrapped?.className);
    assertArg(isPositiveInteger(args.controlSize), where, 'controlSize', 'a positive integer', args.controlSize);
    this.rule = rule;
    this.wrapped = args.wrapped;
    this.controlSize = args.controlSize;
    this.inner = args.inner ?? 1;
    assertArg(isPositiveInteger(this.inner), where, 'inner', 'a positive integer', args.inner);
    this.cubicA = args.cubicA ?? DEFAULT_CUBIC_A;
    assertCubicA(where, 'cubicA', this.cubicA);
  }

  /** An unbuilt stock layer of the wrapped class (for its weights' names and shapes, and its output shape). */
  private template(suffix: string): tfl.layers.Layer {
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[this.wrapped.className];
    return fromConfig(cls, {...this.wrapped.config, name: `${this.name}_${suffix}`}) as tfl.layers.Layer;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    this.builtChannels = (shape[shape.length - 1] as number) / this.inner;
    // The stock layer at the control width tells the weights' names, shapes and trainability.
    const template = this.template('template');
    template.build([...shape.slice(0, -1), this.controlSize * this.inner]);
    this.controls = template.weights.map(w => this.addWeight(
        w.originalName.split('/').pop()!, w.shape, 'float32', tfl.initializers.zeros(), undefined, w.trainable));
    template.weights.forEach(w => w.dispose());  // built, never called: release its variables directly
    this.built = true;
  }

  /**
   * The wrapped layer's weights sampled at `n` channels (what its stock twin holds at that width). A weight's
   * channel axis holds `C` channels times what follows it (`[..., C, m]` or `[C·m]`), interpolated along `C`.
   */
  sampledWeights(n: number): tf.Tensor[] {
    return tf.tidy(() => this.controls.map((v, i) => {
      const w = v.read();
      const log = this.rule.logSpace(i, this.wrapped.config);
      const axis = w.rank + this.rule.channelAxis(i);
      const before = w.shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const after = w.size / (before * this.controlSize);
      const view = tf.reshape(log ? tf.log(w) : w, [before, this.controlSize, after]);
      // Rows of C values, each a 1-D function of the channel coordinate.
      const rows = tf.reshape(tf.transpose(view, [0, 2, 1]), [before * after, 1, this.controlSize]);
      const sampled = integralWeight(rows, {inContinuous: false, outSize: n, cubicA: this.cubicA});
      const back = tf.transpose(tf.reshape(sampled, [before, after, n]), [0, 2, 1]);
      const out = tf.reshape(back, w.shape.map((d, a) => (a === axis ? d / this.controlSize * n : d)));
      return log ? tf.exp(out) : out;
    }));
  }

  /** The wrapped layer's weights at the width the layer was last built for: what the exported stock layer holds. */
  stockWeights(): tf.Tensor[] {
    return this.sampledWeights(this.builtChannels);
  }

  /**
   * The weights and config entries of a layer like this one that holds the stock `weights` (at the width it was
   * last built for) exactly, as controls of that size (calibration writes its fitted weights this way).
   */
  controlsAtCurrentWidths(weights: tf.Tensor[]): ControlsAtWidths {
    return {weights: weights.map(w => w.clone()), config: {controlSize: this.builtChannels}};
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape|tfl.Shape[] {
    return this.template('shape').computeOutputShape(inputShape);
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const n = x.shape[x.rank - 1] / this.inner;
      const variables = this.controls.map(v => v.read() as tf.Variable);
      const weights = this.weightCache.get(variables, String(n), () => this.sampledWeights(n)) ?? this.sampledWeights(n);
      return this.rule.apply(x, weights, this.wrapped.config);
    });
  }

  /** Frees the reused sampled weights with the layer's variables. */
  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    return this.weightCache.releaseWith(super.dispose());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {wrapped: this.wrapped, controlSize: this.controlSize, inner: this.inner, cubicA: this.cubicA,
            ...super.getConfig()};
  }

  /**
   * The config of an IntegralChannelwise standing for the stock layer `stock`: its base fields (name, trainable,
   * input shape) stay outside, the stock layer goes inside as `wrapped`.
   */
  static configFor(stock: WrappedLayer, args: Omit<IntegralChannelwiseArgs, 'wrapped'|'name'|'trainable'>):
      Record<string, unknown> {
    const {name, trainable, batchInputShape} = stock.config;
    return {name, trainable, ...(batchInputShape != null ? {batchInputShape} : {}), wrapped: stock, ...args};
  }

  /** The stock layer an IntegralChannelwise's `config` exports to: the wrapped layer with the base fields. */
  static stockEntry(config: Record<string, unknown>): WrappedLayer {
    const {name, trainable, batchInputShape} = config as tf.serialization.ConfigDict;
    const wrapped = config.wrapped as WrappedLayer;
    return {className: wrapped.className,
            config: {...wrapped.config, name, trainable, ...(batchInputShape != null ? {batchInputShape} : {})}};
  }
}
tf.serialization.registerClass(IntegralChannelwise);
