/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralDense} from '../../layers/integral_dense';
import type {LayerConfigDict} from '../topology';
import {denseKind} from './dense';
import {describeLayer} from './kind_util';
import type {LayerKind} from './layer_kind';

/** The wrapped layer's entry of a TimeDistributed config. */
const wrappedLayer = (config: LayerConfigDict) => config.layer as {className: string, config: LayerConfigDict};

/**
 * TimeDistributed(Dense): a Dense on the last axis of a sequence, which IntegralDense computes as it is; exported as
 * that Dense. Other wrapped layers keep their channels.
 */
export const timeDistributedKind: LayerKind = {
  ...denseKind,
  classNames: ['TimeDistributed'],
  discreteReason: call => wrappedLayer(call.layer.getConfig()).className === 'Dense' ? null :
      `${describeLayer(call)} wraps a ${wrappedLayer(call.layer.getConfig()).className}, not a Dense`,
  twin: {
    className: IntegralDense.className,
    widthKey: 'units',
    stockClassName: 'Dense',
    transposed: false,
    integratesInput: true,
    twinConfig: entry => ({...wrappedLayer(entry.config).config, name: entry.config.name,
                           trainable: entry.config.trainable}),
  },
};
