/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralDense} from '../../layers/integral_dense';
import {kernelProducer, producerCalibration} from './kind_util';

/** Dense: a producer (on the last axis of inputs of any rank); twin IntegralDense. */
export const denseKind = kernelProducer(['Dense'], {
  className: IntegralDense.className,
  widthKey: 'units',
  stockClassName: 'Dense',
}, producerCalibration({
  patches: x => tf.reshape(x, [-1, x.shape[x.rank - 1]]),
  toMatrix: kernel => kernel.clone() as tf.Tensor2D,
  fromMatrix: matrix => matrix.clone(),
}));
