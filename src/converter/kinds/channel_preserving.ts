/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {channelsFirstReason, describeLayer, isLastAxis} from './kind_util';
import type {LayerKind} from './layer_kind';

/**
 * Layers without weights that keep every channel where it is: point-wise activations, noise and dropout, padding,
 * cropping, pooling (1-D, 2-D and global), up-sampling and resizing, rescaling, masking and RepeatVector.
 */
export const channelPreservingKind: LayerKind = {
  classNames: [
    'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'Dropout', 'SpatialDropout1D',
    'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Masking', 'Rescaling', 'ZeroPadding2D',
    'Cropping2D', 'UpSampling2D', 'Resizing', 'CenterCrop', 'MaxPooling1D', 'AveragePooling1D', 'MaxPooling2D',
    'AveragePooling2D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalAveragePooling2D',
    'GlobalMaxPooling2D', 'RepeatVector',
  ],
  rule: 'passThrough',
  discreteReason: call => {
    const axis = call.layer.getConfig().axis;
    if (axis != null && !isLastAxis(axis, call.inputs[0].rank)) {
      return `${describeLayer(call)} acts along an axis other than the channels`;  // Softmax
    }
    return channelsFirstReason(call);
  },
};
