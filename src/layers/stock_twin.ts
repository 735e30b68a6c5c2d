/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {INTEGRAL_ARG_NAMES} from './integral_layer_util';

type Initializer = ReturnType<typeof tfl.initializers.zeros>;
type Regularizer = ReturnType<typeof tfl.regularizers.l2>;
type Constraint = ReturnType<typeof tfl.constraints.nonNeg>;

/** The stock layer factories (`tf.layers[...]`) that have an integral twin. */
export type StockFactory = 'dense'|'conv1d'|'conv2d'|'conv2dTranspose'|'embedding';

/**
 * The argument handling of an integral layer's stock twin. tfjs-layers keeps the resolvers of initializer,
 * regularizer, constraint and activation identifiers private; an unbuilt stock layer resolves, validates and
 * serializes exactly what the stock layer accepts, so the integral layer takes the very same arguments.
 */
export interface StockTwin {
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
  kernelConstraint?: Constraint;
  biasConstraint?: Constraint;
  activation: {apply(x: tf.Tensor): tf.Tensor};
  /** The activation as tfjs's fused kernels name it, when they can apply it themselves (as stock layers do). */
  fusedActivation: FusedActivation|null;
  useBias: boolean;
  /** The stock layer's config without the base layer fields (name, shapes, dtype, trainable). */
  config(): tf.serialization.ConfigDict;
}

/** Activations tfjs's fused matMul and conv2d apply with no extra argument. */
export type FusedActivation = 'linear'|'relu'|'relu6'|'elu'|'sigmoid';
const FUSED_ACTIVATIONS: string[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid'];

const BASE_FIELDS = ['name', 'trainable', 'batchInputShape', 'dtype', 'inputShape', 'batchSize'];

/** Builds the unbuilt stock twin (`tf.layers[factory]`) of the integral layer named `name`. */
export function stockTwin<A extends object>(factory: StockFactory, args: A, name: string): StockTwin {
  // `inputDim` is a base field (a shortcut for `inputShape`) everywhere but in Embedding, where it is the vocabulary.
  const base = factory === 'embedding' ? BASE_FIELDS : [...BASE_FIELDS, 'inputDim'];
  const stockArgs = Object.fromEntries(
      Object.entries(args).filter(([k]) => !base.includes(k) && !INTEGRAL_ARG_NAMES.includes(k)));
  // An explicit name keeps tfjs's automatic layer-name counters untouched.
  const layer = (tfl.layers[factory] as (a: object) => tfl.layers.Layer)({...stockArgs, name: `${name}_args`});
  // tslint:disable-next-line:no-any
  const fields = layer as any;
  const kernel = factory === 'embedding' ? 'embeddings' : 'kernel';
  return {
    kernelInitializer: fields[`${kernel}Initializer`],
    biasInitializer: fields.biasInitializer,
    kernelRegularizer: fields[`${kernel}Regularizer`],
    biasRegularizer: fields.biasRegularizer,
    kernelConstraint: fields[`${kernel}Constraint`],
    biasConstraint: fields.biasConstraint,
    activation: fields.activation ?? {apply: (x: tf.Tensor) => x},
    fusedActivation: fusedActivation(fields.activation),
    useBias: fields.useBias ?? false,
    config: () => Object.fromEntries(Object.entries(layer.getConfig()).filter(([k]) => !base.includes(k))),
  };
}

/** The fused-kernel name of a tfjs-layers activation, or null when the fused kernels cannot apply it. */
function fusedActivation(activation: {getClassName(): string}|undefined): FusedActivation|null {
  const name = activation?.getClassName() ?? 'linear';
  return FUSED_ACTIVATIONS.includes(name) ? name as FusedActivation : null;
}
