/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';
import {quantizeArtifacts} from '../../src/io/quantize';
import {describeWithBackends} from '../describe_with_backends';
import {readAndDispose} from '../test_util';

/** Saves `model` through `tfi.quantized` into memory; returns the artifacts as a stock loader receives them. */
async function saveQuantized(model: tfl.LayersModel, quantization: tfi.WeightQuantization) {
  let saved: tf.io.ModelArtifacts|null = null;
  await model.save(tfi.quantized(tf.io.withSaveHandler(async a => {
    saved = a;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }), quantization));
  return saved! as tf.io.ModelArtifacts;
}

/** The float16 value nearest to `v` (ties to even), by exhaustive search of the half-precision grid. */
function nearestHalf(v: number): number {
  const a = Math.abs(v);
  // Spacing of the halves around a: 2^(e-10) for normals, 2^-24 for subnormals.
  const e = a < 2 ** -14 ? -14 : Math.floor(Math.log2(a));
  const step = 2 ** (e - 10);
  const k = a / step;
  const floor = Math.floor(k);
  const rounded = k - floor > 0.5 || (k - floor === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return Math.sign(v) * rounded * step;
}

function denseModel() {
  return tfl.sequential({layers: [
    tfl.layers.dense({units: 6, inputShape: [5], activation: 'relu', biasInitializer: 'zeros'}),
    tfl.layers.dense({units: 3, biasInitializer: 'randomNormal'}),
  ]});
}

describeWithBackends('quantized save', () => {
  it('stores float16 weights that tfjs decodes to the nearest half, half the bytes', async () => {
    const values = Float32Array.from([0, -0, 1, -2.5, 65504, 1 / 3, 1e-3, -7.1e-5, 2 ** -24, 3 * 2 ** -25, 2 ** -26,
                                      1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, -1234.567]);
    const artifacts: tf.io.ModelArtifacts = {
      modelTopology: {},
      weightSpecs: [{name: 'w', shape: [values.length], dtype: 'float32'}],
      weightData: values.buffer,
    };
    const q = quantizeArtifacts(artifacts, 'float16');
    expect(q.weightSpecs![0].quantization).toEqual({dtype: 'float16'});
    expect((q.weightData as ArrayBuffer).byteLength).toBe(values.length * 2);
    const decoded = tf.io.decodeWeights(q.weightData!, q.weightSpecs!);
    const got = await readAndDispose(decoded.w);
    expect(Array.from(got)).toEqual(Array.from(values).map(nearestHalf));
    expect(artifacts.weightSpecs![0].quantization).toBeUndefined();  // the input is not changed
  });

  it('stores uint8 weights within half a step, zero exact, a quarter of the bytes; stock tfjs loads them', async () => {
    const model = denseModel();
    const artifacts = await saveQuantized(model, 'uint8');
    const floatBytes = model.getWeights().reduce((n, w) => n + 4 * w.size, 0);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(floatBytes / 4);
    const back = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    const [original, loaded] = [model.getWeights(), back.getWeights()];
    for (const [i, spec] of artifacts.weightSpecs!.entries()) {
      expect(spec.quantization?.dtype).toBe('uint8');
      const [a, b] = [await original[i].data(), await loaded[i].data()];
      const step = spec.quantization!.scale!;
      a.forEach((v, j) => expect(Math.abs(b[j] - v)).toBeLessThanOrEqual(step / 2 + 1e-7));
      a.forEach((v, j) => v === 0 && expect(b[j]).toBe(0));
    }
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 1);
    const [ya, yb] = [await readAndDispose(model.predict(x) as tf.Tensor), await readAndDispose(back.predict(x) as tf.Tensor)];
    ya.forEach((v, j) => expect(Math.abs(yb[j] - v)).toBeLessThan(0.05));
    x.dispose();
    model.dispose();
    back.dispose();
  });

  it('keeps int32 weights and rejects bad arguments and non-finite weights with errors naming quantized', async () => {
    const ints = Int32Array.from([1, -2, 3]);
    const q = quantizeArtifacts({modelTopology: {}, weightSpecs: [{name: 'i', shape: [3], dtype: 'int32'}],
                                 weightData: ints.buffer}, 'uint8');
    expect(q.weightSpecs![0].quantization).toBeUndefined();
    expect(Array.from(new Int32Array(q.weightData as ArrayBuffer))).toEqual([1, -2, 3]);
    expect(() => tfi.quantized('file://x', 'int4' as tfi.WeightQuantization))
        .toThrowError(/^Error in quantized: 'quantization' must be 'uint8' or 'float16', but got 'int4'/);
    expect(() => tfi.quantized('nowhere://x', 'uint8')).toThrowError(/^Error in quantized: 'destination' /);
    for (const [bad, mode] of [[NaN, 'uint8'], [Infinity, 'float16'], [1e6, 'float16']] as const) {
      const spec = {name: 'w', shape: [2], dtype: 'float32' as const};
      expect(() => quantizeArtifacts({modelTopology: {}, weightSpecs: [spec], weightData: Float32Array.from([1, bad]).buffer}, mode))
          .toThrowError(/^Error in quantized: 'weights\['w'\]' must be /);
    }
  });
});
