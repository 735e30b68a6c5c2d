/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The activations calibration reads, layer by layer: which of them the host stores, and the values of the others,
// recomputed per batch from the stored ones.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {ActivationCache, HostBatch, toHost} from '../../src/calibration/activation_cache';
import {fittedInputs, storedActivations} from '../../src/calibration/stored_activations';
import {disposeModel} from '../../src/converter/topology';
import {describeWithBackends} from '../describe_with_backends';
import {expectClose, readAndDispose} from '../test_util';

/**
 * An inverted residual block (1×1 expansion 4 → 12, 3×3 depthwise, 1×1 projection back to 4, added to its input),
 * then a widening 1×1 convolution, three more convolutions in a chain, global pooling and a Dense.
 */
function invertedResidualNet(): {model: tfl.LayersModel, names: Record<string, tfl.SymbolicTensor>} {
  const input = tfl.input({shape: [6, 6, 4]});
  const conv = (x: tfl.SymbolicTensor, filters: number, seed: number, activation: 'relu'|'linear' = 'relu') =>
    tfl.layers.conv2d({filters, kernelSize: 1, activation, kernelInitializer: tfl.initializers.glorotNormal({seed}),
                       biasInitializer: 'glorotNormal'}).apply(x) as tfl.SymbolicTensor;
  const expanded = conv(input, 12, 1);
  const depthwise = tfl.layers.depthwiseConv2d({kernelSize: 3, padding: 'same', activation: 'relu',
                                                depthwiseInitializer: tfl.initializers.glorotNormal({seed: 2}),
                                                biasInitializer: 'glorotNormal'}).apply(expanded) as tfl.SymbolicTensor;
  const projected = conv(depthwise, 4, 3, 'linear');
  const block = tfl.layers.add().apply([projected, input]) as tfl.SymbolicTensor;
  const widened = conv(block, 8, 4);
  const chain1 = conv(widened, 8, 5);
  const chain2 = conv(chain1, 8, 6);
  const chain3 = conv(chain2, 8, 7);
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(chain3) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({units: 3, kernelInitializer: tfl.initializers.glorotNormal({seed: 8})})
                     .apply(pooled) as tfl.SymbolicTensor;
  const model = tfl.model({inputs: input, outputs: output});
  return {model, names: {input, expanded, depthwise, projected, block, widened, chain1, chain2, chain3, pooled}};
}

/** Ten inputs of {@link invertedResidualNet}, and the same on the host in two batches (of 4 and 6). */
async function twoBatches(): Promise<{x: tf.Tensor, batches: HostBatch[]}> {
  const x = tf.randomNormal([10, 6, 6, 4], 0, 1, 'float32', 3);
  const slices = [tf.slice(x, 0, 4), tf.slice(x, 4, 6)];
  const batches = [await toHost(slices[0]), await toHost(slices[1])];
  tf.dispose(slices);
  return {x, batches};
}

describeWithBackends('ActivationCache', () => {
  it('stores the narrow activations of an inverted residual block and recomputes the expanded ones', () => {
    const {model, names} = invertedResidualNet();
    const stored = storedActivations(model);
    const storedNames = Object.entries(names).filter(([, t]) => stored(t)).map(([name]) => name);
    // input: read twice; block: widened by its reader; chain2: made by the third re-fitted layer since the block (a
    // read of it would otherwise run three); pooled: 8 values per example that take a convolution over 6 × 6
    // positions each to recompute. Neither the expansion nor the depthwise output.
    expect(storedNames).toEqual(['input', 'block', 'chain2', 'pooled']);
    disposeModel(model);
  });

  it('stores what a 3×3 convolution over many channels makes, and recomputes what a 1×1 one over few does', () => {
    const input = tfl.input({shape: [6, 6, 16]});
    const conv = (x: tfl.SymbolicTensor, kernelSize: number) =>
      tfl.layers.conv2d({filters: 16, kernelSize, padding: 'same'}).apply(x) as tfl.SymbolicTensor;
    const pointwise = conv(input, 1);   // 17 multiply-adds per value
    const spatial = conv(pointwise, 3);  // 145 more
    const output = conv(spatial, 1);
    const model = tfl.model({inputs: input, outputs: conv(output, 1)});
    const stored = storedActivations(model);
    expect([pointwise, spatial, output].map(stored)).toEqual([false, true, false]);
    disposeModel(model);
  });

  it('gives every activation, stored or recomputed, as the network computes it, with the weights of the moment',
     async () => {
       const {model, names} = invertedResidualNet();
       const {x, batches} = await twoBatches();
       const cache = new ActivationCache(model, batches, new Map(), storedActivations(model));
       const before = tf.memory().numTensors;
       // In graph order, as calibration reads them; the depthwise layer's weights change before its output is read.
       for (const [name, t] of Object.entries(names)) {
         if (name === 'projected') {
           const layer = model.layers.find(l => l.getClassName() === 'DepthwiseConv2D')!;
           tf.tidy(() => layer.setWeights(layer.getWeights().map(w => tf.mul(w, 0.5))));
         }
         const read = await cache.prepare(t);
         const expected = tfl.model({inputs: model.inputs, outputs: t}).predict(x) as tf.Tensor;
         const values = [await readAndDispose(read(0)), await readAndDispose(read(1))];
         expectClose(Float32Array.from([...values[0], ...values[1]]), await readAndDispose(expected), 1e-5);
       }
       expect(tf.memory().numTensors).withContext('tensors left by the reads').toBe(before);
       tf.dispose(x);
       disposeModel(model);
     });

  it('computes a stored tensor on the last read of the chain that makes it, when the weights never change',
     async () => {
       const {model, names} = invertedResidualNet();
       const {x, batches} = await twoBatches();
       // What calibration reads: the input of every fitted layer, in graph order.
       const read = fittedInputs(model);
       const reads = Object.entries(names).filter(([, t]) => read(t));
       expect(reads.map(([name]) => name)).toEqual(
           ['input', 'expanded', 'depthwise', 'block', 'widened', 'chain1', 'chain2', 'pooled']);
       const expected = new Map<string, Float32Array>();
       for (const [name, t] of reads) {
         expected.set(name, await readAndDispose(tfl.model({inputs: model.inputs, outputs: t}).predict(x) as tf.Tensor));
       }
       // How many times the depthwise layer and the projection run.
       const depthwise = model.layers.find(l => l.getClassName() === 'DepthwiseConv2D')!;
       const projection = model.layers.find(l => l.inboundNodes[0].inputTensors[0] === names.depthwise)!;
       const runs = new Map<tfl.layers.Layer, number>();
       for (const layer of [depthwise, projection]) {
         const apply = layer.apply.bind(layer);
         layer.apply = (...args) => {
           runs.set(layer, (runs.get(layer) ?? 0) + 1);
           return apply(...args);
         };
       }
       const readAll = async (unchanging: boolean) => {
         runs.clear();
         const cache = new ActivationCache(model, batches, new Map(), storedActivations(model),
                                           unchanging ? read : null);
         const before = tf.memory().numTensors;
         for (const [name, t] of reads) {
           const batch = await cache.prepare(t);
           const values = [await readAndDispose(batch(0)), await readAndDispose(batch(1))];
           expectClose(Float32Array.from([...values[0], ...values[1]]), expected.get(name)!, 1e-5);
         }
         // (A tensor computed ahead is disposed once its values reach the host: by the time its end is read.)
         expect(tf.memory().numTensors).withContext('tensors left by the reads').toBe(before);
         return [runs.get(depthwise), runs.get(projection)];
       };
       // Per batch: the depthwise layer runs for the read of its output and again for the block (the projection
       // for the block only); unchanging, the read of the depthwise output carries on to the block, which then
       // takes nothing more.
       expect(await readAll(false)).toEqual([2 * 2, 2]);
       expect(await readAll(true)).toEqual([2, 2]);
       tf.dispose(x);
       disposeModel(model);
     });
});
