/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralReshape} from '../../layers/integral_reshape';
import {describeLayer} from './kind_util';
import type {LayerKind} from './layer_kind';

/**
 * Reshape that keeps the last axis (and knows every other one): the channels pass through. In a wrapped model an
 * IntegralReshape takes the channel count from its input, so the layer follows its group's width.
 */
export const reshapeKind: LayerKind = {
  classNames: ['Reshape'],
  rule: 'passThrough',
  discreteReason: call => {
    const [inShape, outShape] = [call.inputs[0].shape, call.outputs[0].shape];
    return inShape[inShape.length - 1] !== outShape[outShape.length - 1] || outShape.slice(1, -1).includes(null) ?
        `${describeLayer(call)} reshapes the channel axis` :
        null;
  },
  channelFollower: {
    className: IntegralReshape.className,
    stockClassName: 'Reshape',
    // The target as the call resolved it (a `-1` made explicit).
    twinConfig: (entry, call) => ({...entry.config, targetShape: call.outputs[0].shape.slice(1)}),
  },
};
