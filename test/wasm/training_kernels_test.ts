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

/** Pooling geometries: non-overlapping and overlapping windows, `same` / `valid` / explicit padding. */
const POOLS: Array<{x: [number, number, number, number], filterSize: number|[number, number],
                    strides: number|[number, number], pad: 'valid'|'same'|number}> = [
  {x: [2, 8, 8, 3], filterSize: 2, strides: 2, pad: 'valid'},
  {x: [2, 7, 7, 3], filterSize: 2, strides: 2, pad: 'same'},
  {x: [1, 7, 6, 4], filterSize: 3, strides: 2, pad: 'same'},
  {x: [1, 6, 7, 2], filterSize: 3, strides: 1, pad: 'same'},
  {x: [1, 9, 8, 2], filterSize: [2, 3], strides: [1, 2], pad: 'valid'},
  {x: [1, 6, 6, 2], filterSize: 3, strides: 2, pad: 1},
];

describeIf('wasm MaxPoolGrad matches cpu', () => {
  afterAll(() => tf.setBackend('cpu'));
  for (const g of POOLS) {
    for (const ties of [false, true]) {
      it(`filter ${g.filterSize}, strides ${g.strides}, pad ${g.pad}${ties ? ', tied maxima' : ''}`, async () => {
        // Ties: values rounded to {-1, 0, 1} after a ReLU-like clamp, so most windows hold several equal maxima.
        const ref = randomRef(g.x, 11);
        if (ties) ref.values = ref.values.map(v => Math.max(0, Math.round(2 * v)));
        const attrs = {filterSize: g.filterSize, strides: g.strides, pad: g.pad};
        const grads: Float32Array[] = [];
        for (const backend of ['cpu', 'wasm']) {
          await tf.setBackend(backend);
          const input = toTensor(ref) as tf.Tensor4D;
          const output = tf.maxPool(input, g.filterSize, g.strides, g.pad);
          const dy = toTensor(randomRef(output.shape, 12));
          const dx = tf.engine().runKernel(tf.MaxPoolGrad, {dy, input, output}, attrs) as tf.Tensor;
          expect(dx.shape).toEqual(g.x);
          grads.push(await dx.data() as Float32Array);
          tf.dispose([input, output, dy, dx]);
        }
        expectClose(grads[1], grads[0], 1e-6);
      });
    }
  }
});

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

  it('can be opted out of: the added kernels go, tfjs\'s own Conv2DBackpropInput and MaxPoolGrad come back', async () => {
    await tf.setBackend('wasm');
    const ours = wasmFasterKernels.map(k => k.kernelFunc);
    expect(wasmFasterKernels.map(k => tf.getKernel(k.kernelName, 'wasm')!.kernelFunc)).toEqual(ours);
    const names = tfi.unregisterWasmTrainingKernels();
    expect(names).toEqual(['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter',
                           'DepthwiseConv2dNativeBackpropInput', 'Conv2DBackpropInput', 'MaxPoolGrad']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    wasmFasterKernels.forEach((k, i) => expect(tf.getKernel(k.kernelName, 'wasm')!.kernelFunc).not.toBe(ours[i]));
    // tfjs's kernels put back run although the backend started without them. (Only the convolution is compared with
    // cpu: tfjs 4.22's wasm MaxPoolGrad drops some windows' gradients, 1 of 18 here.)
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const x = toTensor(randomRef([1, 6, 6, 2], 21)) as tf.Tensor4D, filter = tf.ones([3, 3, 2, 1]) as tf.Tensor4D;
      const pool = tf.grad(v => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'))(x);
      const conv = tf.grad(v => tf.conv2d(v as tf.Tensor4D, filter, 2, 'same'))(x);
      const values = {pool: await pool.data(), conv: await conv.data()};
      tf.dispose([x, filter, pool, conv]);
      return values;
    };
    const [fromWasm, fromCpu] = [await grads('wasm'), await grads('cpu')];
    expect(fromWasm.pool.length).toBe(fromCpu.pool.length);
    expectClose(fromWasm.conv, fromCpu.conv);
    await tf.setBackend('wasm');
    // Restore for the rest of the run.
    for (const k of wasmFasterKernels) tf.unregisterKernel(k.kernelName, 'wasm');
    for (const k of [...wasmMissingKernels, ...wasmFasterKernels]) tf.registerKernel(k);
  });
});
