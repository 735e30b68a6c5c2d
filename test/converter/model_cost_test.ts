/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';

describeWithBackends('modelCost', () => {
  it('counts each kernel at the positions it is applied at, by hand', () => {
    const input = tfl.input({shape: [12, 12, 3]});
    const conv = tfl.layers.conv2d({filters: 8, kernelSize: 3, strides: 2, padding: 'same'}).apply(input);  // 6×6×8
    const depthwise = tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2}).apply(conv);  // 4×4×16
    const up = tfl.layers.conv2dTranspose({filters: 4, kernelSize: 2, strides: 2}).apply(depthwise);  // 8×8×4
    const normed = tfl.layers.batchNormalization().apply(up);
    const pooled = tfl.layers.maxPooling2d({poolSize: 2}).apply(normed);  // 4×4×4
    const rows = tfl.layers.reshape({targetShape: [16, 4]}).apply(pooled);
    const conv1d = tfl.layers.conv1d({filters: 5, kernelSize: 3}).apply(rows);  // 14×5
    const flat = tfl.layers.flatten().apply(conv1d);
    const logits = tfl.layers.dense({units: 7}).apply(flat) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: logits});
    const expected = (3 * 3 * 3 * 8) * 36 + (3 * 3 * 8 * 2) * 16 + (2 * 2 * 4 * 16) * 16 + (3 * 4 * 5) * 14 + 70 * 7;
    expect(tfi.modelCost(model)).toEqual({params: model.countParams(), flops: expected});
    disposeModel(model);
  });

  it('names modelCost and the argument on a model that is not a LayersModel', () => {
    expect(() => tfi.modelCost({} as tfl.LayersModel)).toThrowError(/modelCost.*'model'/);
  });
});
