/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfl from '@tensorflow/tfjs-layers';

import {wasmFasterKernels, wasmMissingKernels} from '../../kernels/register_all_kernels';
import {dilateFilter, undilateFilter} from '../../src/gradients/dilation';
import * as tfi from '../../src/index';
import {testBackends} from '../describe_with_backends';
import {expectClose, randomRef, toTensor} from '../test_util';

/** Runs the stock kernel `name` on `backend` with fresh copies of the inputs and returns its values. */
async function runOn(backend: string, name: string, inputs: Record<string, {values: Float64Array, shape: number[]}>,
                     attrs: object): Promise<Float32Array> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toTensor(v)]));
  const out = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = await out.data() as Float32Array;
  tf.dispose([out, ...Object.values(tensors)]);
  return values;
}

interface ConvGeometry {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number|[number, number];
  dilations: number|[number, number];
  pad: 'valid'|'same'|number;
}

const GRID: ConvGeometry[] = [];
for (const strides of [1, 2, [2, 1]] as Array<number|[number, number]>) {
  for (const pad of ['same', 'valid', 1] as Array<'same'|'valid'|number>) {
    for (const [multiplier, kernel] of [[1, 3], [2, 2]]) {
      GRID.push({x: [2, 7, 6, 3], filter: [kernel, kernel, 3, multiplier], strides, dilations: 1, pad});
    }
  }
}
GRID.push({x: [1, 9, 8, 2], filter: [3, 2, 2, 3], strides: 1, dilations: 2, pad: 'same'});
GRID.push({x: [1, 9, 8, 2], filter: [3, 3, 2, 1], strides: 1, dilations: [2, 1], pad: 'valid'});

const describeIf = testBackends().includes('wasm') ? describe : xdescribe;

describeIf('wasm training kernels match cpu', () => {
  afterAll(() => tf.setBackend('cpu'));
  for (const g of GRID) {
    const label = `x ${g.x}, filter ${g.filter}, strides ${g.strides}, dilations ${g.dilations}, pad ${g.pad}`;
    const geometry = {strides: g.strides, dilations: g.dilations, pad: g.pad};
    const info = tf.backend_util.computeConv2DInfo(g.x, g.filter, g.strides, g.dilations, g.pad, undefined, true);
    const dy = randomRef([g.x[0], info.outHeight, info.outWidth, g.filter[2] * g.filter[3]], 3);
    const x = randomRef(g.x, 1), filter = randomRef(g.filter, 2);

    // tfjs's cpu kernels ignore dilations in these gradients (tfjs rejects dilated depthwise gradients), so dilated
    // cases compare with cpu on the equivalent zero-inserted filter at dilation 1.
    const d = (typeof g.dilations === 'number' ? [g.dilations, g.dilations] : g.dilations) as [number, number];
    const dilated = d[0] > 1 || d[1] > 1;
    const bigShape = [(g.filter[0] - 1) * d[0] + 1, (g.filter[1] - 1) * d[1] + 1, g.filter[2], g.filter[3]];
    const bigFilter = () => {
      const small = toTensor(filter) as tf.Tensor4D;
      const big = dilateFilter(small, d);
      const ref = {values: Float64Array.from(big.dataSync()), shape: big.shape};
      tf.dispose([small, big]);
      return ref;
    };

    it(`DepthwiseConv2dNativeBackpropFilter: ${label}`, async () => {
      const attrs = {...geometry, filterShape: g.filter};
      let expected = await runOn('cpu', tf.DepthwiseConv2dNativeBackpropFilter, {x, dy},
                                 dilated ? {...attrs, dilations: 1, filterShape: bigShape} : attrs);
      if (dilated) {
        const big = tf.tensor4d(expected, bigShape as [number, number, number, number]);
        const small = undilateFilter(big, d);
        expected = small.dataSync() as Float32Array;
        tf.dispose([big, small]);
      }
      expectClose(await runOn('wasm', tf.DepthwiseConv2dNativeBackpropFilter, {x, dy}, attrs), expected);
    });

    it(`DepthwiseConv2dNativeBackpropInput: ${label}`, async () => {
      const attrs = {...geometry, inputShape: g.x};
      const expected = dilated ?
          await runOn('cpu', tf.DepthwiseConv2dNativeBackpropInput, {dy, filter: bigFilter()}, {...attrs, dilations: 1}) :
          await runOn('cpu', tf.DepthwiseConv2dNativeBackpropInput, {dy, filter}, attrs);
      expectClose(await runOn('wasm', tf.DepthwiseConv2dNativeBackpropInput, {dy, filter}, attrs), expected);
    });

    if (g.filter[3] === 1 && g.dilations === 1) {
      const full = [g.filter[0], g.filter[1], g.x[3], 4] as [number, number, number, number];
      const convInfo = tf.backend_util.computeConv2DInfo(g.x, full, g.strides, 1, g.pad);
      const dyFull = randomRef([g.x[0], convInfo.outHeight, convInfo.outWidth, 4], 4);
      const fullFilter = randomRef(full, 5);

      it(`Conv2DBackpropFilter: ${label}`, async () => {
        const attrs = {strides: g.strides, pad: g.pad, dataFormat: 'NHWC', filterShape: full};
        expectClose(await runOn('wasm', tf.Conv2DBackpropFilter, {x, dy: dyFull}, attrs),
                    await runOn('cpu', tf.Conv2DBackpropFilter, {x, dy: dyFull}, attrs));
      });

      it(`Conv2DBackpropInput: ${label}`, async () => {
        const attrs = {strides: g.strides, pad: g.pad, dataFormat: 'NHWC', inputShape: g.x};
        expectClose(await runOn('wasm', tf.Conv2DBackpropInput, {dy: dyFull, filter: fullFilter}, attrs),
                    await runOn('cpu', tf.Conv2DBackpropInput, {dy: dyFull, filter: fullFilter}, attrs));
      });
    }
  }
});

/** A CNN with Conv2D, DepthwiseConv2D and SeparableConv2D, seeded, so cpu and wasm build the same one. */
function convZoo() {
  return tfl.sequential({layers: [
    tfl.layers.conv2d({filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [9, 9, 2],
                       kernelInitializer: tfl.initializers.glorotUniform({seed: 1})}),
    tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu',
                                depthwiseInitializer: tfl.initializers.glorotUniform({seed: 2})}),
    tfl.layers.separableConv2d({filters: 5, kernelSize: 2, strides: 2, padding: 'valid',
                                depthwiseInitializer: tfl.initializers.glorotUniform({seed: 3}),
                                pointwiseInitializer: tfl.initializers.glorotUniform({seed: 4})}),
    tfl.layers.flatten(),
    tfl.layers.dense({units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({seed: 5})}),
  ]});
}

async function firstStep(backend: string) {
  await tf.setBackend(backend);
  const model = convZoo();
  model.compile({optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy'});
  const x = toTensor(randomRef([6, 9, 9, 2], 7));
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
  const history = await model.fit(x, y, {epochs: 1, batchSize: 6, verbose: 0});
  const weights = await Promise.all(model.getWeights().map(w => w.data() as Promise<Float32Array>));
  model.dispose();
  model.optimizer.dispose();
  tf.dispose([x, y]);
  return {loss: history.history.loss[0] as number, weights};
}

describeIf('model.fit on wasm with the added training kernels', () => {
  afterAll(() => tf.setBackend('cpu'));

  it('matches cpu: first-step loss and weight updates of Conv2D, DepthwiseConv2D and SeparableConv2D', async () => {
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);  // tfjs's fused matMul trips the per-kernel leak check on wasm during fit
    try {
      const [cpu, wasm] = [await firstStep('cpu'), await firstStep('wasm')];
      expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
      expect(wasm.weights.length).toBe(cpu.weights.length);
      cpu.weights.forEach((w, i) => expectClose(wasm.weights[i], w));
    } finally {
      tf.env().set('IS_TEST', isTest);
    }
  });

  it('can be opted out of: the added kernels go, tfjs\'s own Conv2DBackpropInput comes back', () => {
    const ours = wasmFasterKernels[0].kernelFunc;
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).toBe(ours);
    const names = tfi.unregisterWasmTrainingKernels();
    expect(names).toEqual(['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter',
                           'DepthwiseConv2dNativeBackpropInput', 'Conv2DBackpropInput']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).not.toBe(ours);
    // Restore for the rest of the run.
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    for (const k of [...wasmMissingKernels, ...wasmFasterKernels]) tf.registerKernel(k);
  });
});
