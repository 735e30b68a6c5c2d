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
export function mobileNetV2(): tfl.LayersModel {
  const input = tfl.input({shape: [96, 96, 3]});
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
  return tfl.model({inputs: input, outputs: tfl.layers.dense({units: 10}).apply(x) as Tensor});
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
  /** max |wrapped - original| / max |original| on a random batch of 4. */
  maxRelativeDifference: number;
}

/** Times wrapModel (with permutation) on the demo CNN and a MobileNetV2-sized graph. */
export async function benchWrap(budgetMs: number): Promise<WrapRow[]> {
  const rows: WrapRow[] = [];
  for (const [name, make] of [['demo CNN', () => demoCnn()], ['MobileNetV2 (96x96)', mobileNetV2]] as const) {
    const model = make();
    const start = performance.now();
    const inn = await tfi.wrapModel(model, {permuteBudgetMs: budgetMs});
    const wrapSeconds = (performance.now() - start) / 1000;
    const x = tf.randomNormal([4, ...model.inputs[0].shape.slice(1) as number[]], 0, 1, 'float32', 1);
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
    disposeModel(inn.model);
  }
  return rows;
}
