/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralDense} from '../../layers/integral_dense';
import {unfold} from '../patches';
import {kernelProducer, producerCalibration} from './kind_util';

/** Dense: a producer (on the last axis of inputs of any rank); twin IntegralDense. */
export const denseKind = kernelProducer(['Dense'], {
  className: IntegralDense.className,
  widthKey: 'units',
  stockClassName: 'Dense',
}, producerCalibration({
  // The rows as an image of width 1, a row per pixel, unfolded with a 1 × 1 window (the lattice `keep` selects).
  patches: (x, _config, _kernelShape, keep) => tf.tidy(() => {
    const c = x.shape[x.rank - 1];
    return unfold(tf.reshape(x, [1, -1, 1, c]), [1, 1], [1, 1], [1, 1], {top: 0, bottom: 0, left: 0, right: 0}, keep);
  }),
  toMatrix: kernel => kernel.clone() as tf.Tensor2D,
  fromMatrix: matrix => matrix.clone(),
}));
