/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {GradConfig, NamedAttrMap, Tensor, Tensor1D} from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs} from '../kernel_names';
import {samplingGradients} from './weight_gradients';

/** Gradient of `IntegralWeight` with respect to the controls, coordinates and quadrature weights. */
export const integralWeightGradConfig: GradConfig = {
  kernelName: IntegralWeight,
  inputsToSave: ['controls', 'inCoords', 'outCoords', 'quadWeights'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [controls, inCoords, outCoords, quadWeights] = saved;
    const {cubicA} = attrs as unknown as IntegralWeightAttrs;
    return samplingGradients(() => dy as Tensor, {
      controls,
      inCoords: inCoords as Tensor1D,
      outCoords: outCoords as Tensor1D,
      quadWeights: quadWeights as Tensor1D,
    }, {cubicA});
  },
};
