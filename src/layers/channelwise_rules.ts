/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/** How a per-channel stock layer computes, given its weights sampled at the input's channel count. */
export interface ChannelwiseRule {
  /** Channel axis of each weight, from the end (`-1`: last). */
  channelAxis(weightIndex: number): number;
  /** True for weights interpolated in log space (they must stay positive: variances). */
  logSpace(weightIndex: number, config: tf.serialization.ConfigDict): boolean;
  /** The stock layer's output for input `x` with `weights` (the stock layout at `x`'s width). */
  apply(x: tf.Tensor, weights: tf.Tensor[], config: tf.serialization.ConfigDict): tf.Tensor;
}

const rules = new Map<string, ChannelwiseRule>();

/** Registers how `IntegralChannelwise` computes a wrapped layer of class `className` (the layer kinds do). */
export function registerChannelwiseRule(className: string, rule: ChannelwiseRule) {
  rules.set(className, rule);
}

/** The rule of a wrapped class, or undefined. */
export function channelwiseRule(className: string): ChannelwiseRule|undefined {
  return rules.get(className);
}

/** Classes with a registered rule. */
export function channelwiseClasses(): string[] {
  return [...rules.keys()];
}
