/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {demoCnn} from '../demo/model';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';

type Tensor = tfl.SymbolicTensor;

/** MobileNetV2 (width 1.0, 96×96 input): inverted residual blocks of expand 1×1 → depthwise 3×3 → project 1×1. */
export function mobileNetV2(size = 96, classes = 10): tfl.LayersModel {
  const input = tfl.input({shape: [size, size, 3]});
  const convBn = (x: Tensor, filters: number, kernelSize: number, strides: number, relu: boolean) => {
    let h = tfl.layers.conv2d({filters, kernelSize, strides, padding: 'same', useBias: false}).apply(x) as Tensor;
    h = tfl.layers.batchNormalization().apply(h) as Tensor;
    return relu ? tfl.layers.reLU({maxValue: 6}).apply(h) as Tensor : h;
  };
  let x = convBn(input, 32, 3, 2, true);
  let channels = 32;
  const blocks: Array<[number, number, number, number]> = [  // expansion, output channels, repeats, first stride
    [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  for (const [t, c, n, s] of blocks) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      let h = t === 1 ? x : convBn(x, channels * t, 1, 1, true);
      h = tfl.layers.depthwiseConv2d({kernelSize: 3, strides: stride, padding: 'same', useBias: false}).apply(h) as Tensor;
      h = tfl.layers.batchNormalization().apply(h) as Tensor;
      h = tfl.layers.reLU({maxValue: 6}).apply(h) as Tensor;
      h = convBn(h, c, 1, 1, false);
      x = stride === 1 && channels === c ? tfl.layers.add().apply([x, h]) as Tensor : h;
      channels = c;
    }
  }
  x = convBn(x, 1280, 1, 1, true);
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as Tensor;
  return tfl.model({inputs: input, outputs: tfl.layers.dense({units: classes}).apply(x) as Tensor});
}

/**
 * InceptionV3 as Keras builds it (299×299 input, 1000 classes, 94 Conv2D + BatchNormalization, 15 Concatenate):
 * a stem, mixed blocks 0-2 (35×35), the grid reduction 3, mixed 4-7 with 1×7 / 7×1 factorized branches (17×17),
 * the reduction 8, and mixed 9-10 whose 3×3 branches split into 1×3 and 3×1 (8×8). Random weights.
 */
export function inceptionV3(): tfl.LayersModel {
  const convBn = (x: Tensor, filters: number, [kh, kw]: [number, number], strides = 1, padding = 'same') => {
    const c = tfl.layers.conv2d({filters, kernelSize: [kh, kw], strides, padding: padding as 'same', useBias: false})
                  .apply(x) as Tensor;
    const bn = tfl.layers.batchNormalization({scale: false}).apply(c) as Tensor;
    return tfl.layers.activation({activation: 'relu'}).apply(bn) as Tensor;
  };
  const concat = (xs: Tensor[]) => tfl.layers.concatenate().apply(xs) as Tensor;
  const avgPool = (x: Tensor) => tfl.layers.averagePooling2d({poolSize: 3, strides: 1, padding: 'same'}).apply(x) as Tensor;
  const maxPool = (x: Tensor) => tfl.layers.maxPooling2d({poolSize: 3, strides: 2}).apply(x) as Tensor;
  const input = tfl.input({shape: [299, 299, 3]});
  let x = convBn(input, 32, [3, 3], 2, 'valid');
  x = convBn(x, 32, [3, 3], 1, 'valid');
  x = maxPool(convBn(x, 64, [3, 3]));
  x = convBn(x, 80, [1, 1], 1, 'valid');
  x = maxPool(convBn(x, 192, [3, 3], 1, 'valid'));
  for (const poolFilters of [32, 64, 64]) {  // mixed 0-2
    x = concat([
      convBn(x, 64, [1, 1]),
      convBn(convBn(x, 48, [1, 1]), 64, [5, 5]),
      convBn(convBn(convBn(x, 64, [1, 1]), 96, [3, 3]), 96, [3, 3]),
      convBn(avgPool(x), poolFilters, [1, 1]),
    ]);
  }
  x = concat([  // mixed 3
    convBn(x, 384, [3, 3], 2, 'valid'),
    convBn(convBn(convBn(x, 64, [1, 1]), 96, [3, 3]), 96, [3, 3], 2, 'valid'),
    maxPool(x),
  ]);
  for (const c of [128, 160, 160, 192]) {  // mixed 4-7
    x = concat([
      convBn(x, 192, [1, 1]),
      convBn(convBn(convBn(x, c, [1, 1]), c, [1, 7]), 192, [7, 1]),
      convBn(convBn(convBn(convBn(convBn(x, c, [1, 1]), c, [7, 1]), c, [1, 7]), c, [7, 1]), 192, [1, 7]),
      convBn(avgPool(x), 192, [1, 1]),
    ]);
  }
  x = concat([  // mixed 8
    convBn(convBn(x, 192, [1, 1]), 320, [3, 3], 2, 'valid'),
    convBn(convBn(convBn(convBn(x, 192, [1, 1]), 192, [1, 7]), 192, [7, 1]), 192, [3, 3], 2, 'valid'),
    maxPool(x),
  ]);
  for (let i = 0; i < 2; i++) {  // mixed 9-10
    const b3 = convBn(x, 384, [1, 1]);
    const bd = convBn(convBn(x, 448, [1, 1]), 384, [3, 3]);
    x = concat([
      convBn(x, 320, [1, 1]),
      concat([convBn(b3, 384, [1, 3]), convBn(b3, 384, [3, 1])]),
      concat([convBn(bd, 384, [1, 3]), convBn(bd, 384, [3, 1])]),
      convBn(avgPool(x), 192, [1, 1]),
    ]);
  }
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as Tensor;
  return tfl.model({inputs: input, outputs: tfl.layers.dense({units: 1000, activation: 'softmax'}).apply(x) as Tensor});
}

/** A wrapModel measurement. */
export interface WrapRow {
  model: string;
  parameters: number;
  groups: number;
  continuousGroups: number;
  wrapSeconds: number;
  permutationSeconds: number;
  /** Sum over groups of the total variation along the channel axis: identity order, then after permutation. */
  tvIdentity: number;
  tvPermuted: number;
  /** max |wrapped - original| / max |original| on a random batch of 2. */
  maxRelativeDifference: number;
}

/** Times wrapModel (with permutation) on the demo CNN, a MobileNetV2-sized and an InceptionV3-sized graph. */
export async function benchWrap(budgetMs: number): Promise<WrapRow[]> {
  const rows: WrapRow[] = [];
  const models = [['demo CNN', () => demoCnn()], ['MobileNetV2 (96x96)', mobileNetV2],
                  ['InceptionV3 (299x299)', inceptionV3]] as const;
  for (const [name, make] of models) {
    const model = make();
    const start = performance.now();
    const inn = await tfi.wrapModel(model, {permuteBudgetMs: budgetMs});
    const wrapSeconds = (performance.now() - start) / 1000;
    const x = tf.randomNormal([2, ...model.inputs[0].shape.slice(1) as number[]], 0, 1, 'float32', 1);
    const difference = tf.tidy(() => {
      const [a, b] = [model.predict(x) as tf.Tensor, inn.predict(x) as tf.Tensor];
      return tf.div(tf.max(tf.abs(tf.sub(a, b))), tf.max(tf.abs(a)));
    });
    const maxRelativeDifference = (await difference.data())[0];
    tf.dispose([x, difference]);
    rows.push({
      model: name, parameters: model.countParams(), groups: inn.groups.length,
      continuousGroups: inn.groups.filter(g => g.continuous).length, wrapSeconds,
      permutationSeconds: inn.permutation.reduce((s, r) => s + r.milliseconds, 0) / 1000,
      tvIdentity: inn.permutation.reduce((s, r) => s + r.tvBefore, 0),
      tvPermuted: inn.permutation.reduce((s, r) => s + r.tvAfter, 0), maxRelativeDifference,
    });
    disposeModel(model);
    inn.dispose();
  }
  return rows;
}
