/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Seeded hostile arguments for every public entry point: each call either works (and its results are freed) or
// throws an Error naming the function and the argument, and leaves no tensor behind either way.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {mulberry32} from '../../src/util/random';
import {describeWithBackends} from '../describe_with_backends';
import {sequentialCnn, withoutKernelLeakCheck} from './models';

/** A call of the API with one argument replaced by `value`: the function and argument its Error must name. */
interface Target {
  fn: string;
  arg: RegExp;
  call(value: unknown, context: Context): Promise<unknown>|unknown;
}

interface Context {
  inn: tfi.IntegralModel;
  model: tfl.LayersModel;
  x: tf.Tensor;
  y: tf.Tensor;
  disposed: tf.Tensor;
}

const TARGETS: Target[] = [
  {fn: 'IntegralModel.resample', arg: /spec/, call: (v, c) => c.inn.resample(v as number)},
  {fn: 'IntegralModel.resample', arg: /spec\./, call: (v, c) => c.inn.resample({[c.inn.groups[1].name]: v as number})},
  {fn: 'calibrate', arg: /'x/, call: (v, c) => c.inn.resample(0.5).calibrate(v as tf.Tensor)},
  {fn: 'calibrate', arg: /options\.batchSize/, call: (v, c) => c.inn.resample(0.5).calibrate(c.x, {batchSize: v as number})},
  {fn: 'calibrate', arg: /options\.ridge/, call: (v, c) => c.inn.resample(0.5).calibrate(c.x, {ridge: v as number})},
  {fn: 'calibrate', arg: /options\.onProgress/,
   call: (v, c) => c.inn.resample(0.5).calibrate(c.x, {onProgress: v as () => void})},
  {fn: 'calibrate', arg: /options/, call: (v, c) => c.inn.resample(0.5).calibrate(c.x, v as object)},
  {fn: 'IntegralModel.fit', arg: /randomWidth\.min/,
   call: (v, c) => c.inn.fit(c.x, c.y, {epochs: 1, batchSize: 8, verbose: 0, randomWidth: {min: v as number}})},
  {fn: 'IntegralModel.fit', arg: /randomWidth\.max/,
   call: (v, c) => c.inn.fit(c.x, c.y, {epochs: 1, batchSize: 8, verbose: 0, randomWidth: {min: 0.5, max: v as number}})},
  {fn: 'IntegralModel.fit', arg: /randomWidth\.seed/,
   call: (v, c) => c.inn.fit(c.x, c.y, {epochs: 1, batchSize: 8, verbose: 0, randomWidth: {min: 0.5, seed: v as number}})},
  {fn: 'wrapModel', arg: /options\.cubicA/, call: (v, c) => tfi.wrapModel(c.model, {cubicA: v as number, permute: false})},
  {fn: 'wrapModel', arg: /options\.quadrature/,
   call: (v, c) => tfi.wrapModel(c.model, {quadrature: v as 'simpson', permute: false})},
  {fn: 'wrapModel', arg: /options\.seed/, call: (v, c) => tfi.wrapModel(c.model, {seed: v as number})},
  {fn: 'wrapModel', arg: /options\.permute/, call: (v, c) => tfi.wrapModel(c.model, {permute: v as boolean})},
  {fn: 'wrapModel', arg: /options\.permuteBudgetMs/,
   call: (v, c) => tfi.wrapModel(c.model, {permuteBudgetMs: v as number})},
  {fn: 'IntegralDense', arg: /cubicA/, call: v => tfi.layers.integralDense({units: 3, cubicA: v as number})},
  {fn: 'integralWeight', arg: /cubicA/,
   call: v => tf.tidy(() => tfi.integralWeight(tf.ones([4, 4]), {cubicA: v as number, outSize: 3}))},
  {fn: 'integralWeight', arg: /outSize/, call: v => tf.tidy(() => tfi.integralWeight(tf.ones([4, 4]), {outSize: v as number}))},
  {fn: 'loadIntegralModel', arg: /handlerOrURL|options/, call: v => tfi.loadIntegralModel(v as string)},
  {fn: 'searchWidths', arg: /options\.budget/,
   call: (v, c) => tfi.searchWidths(c.inn, {budget: v as {params: number}, calibration: c.x, calibrateCandidates: false})},
  {fn: 'searchWidths', arg: /options\.budget\.params/,
   call: (v, c) => tfi.searchWidths(c.inn, {budget: {params: v as number}, calibration: c.x, calibrateCandidates: false})},
  {fn: 'searchWidths', arg: /options\.calibration/,
   call: (v, c) => tfi.searchWidths(c.inn, {budget: {params: 0.5}, calibration: v as tf.Tensor, calibrateCandidates: false})},
];

/** Hostile and ordinary values; `disposed` and `wrongShape` stand for tensors made per context. */
const VALUES: unknown[] = [NaN, -1, 0, 0.5, 1, 2, 1e5, 1e300, -1e300, Infinity, -Infinity, 'x', '0x10', '', null,
                           undefined, [], {}, true, () => 0, 'disposed', 'wrongShape', 'nanTensor', {min: 0.5},
                           {params: 0.5}, 'trapezoid', 'file:///nonexistent/model.json', -0.5, 1.5, 3];

/** The value `name` stands for in `c` (tensors made here are disposed by the caller). */
function materialize(value: unknown, c: Context, made: tf.Tensor[]): unknown {
  if (value === 'disposed') return c.disposed;
  if (value === 'wrongShape') {
    const t = tf.ones([2, 5]);
    made.push(t);
    return t;
  }
  if (value === 'nanTensor') {
    const t = tf.fill([4, 8, 8, 3], NaN);
    made.push(t);
    return t;
  }
  return value;
}

/** Frees whatever a call returned: IntegralModels, LayersModels, tensors (an unbuilt layer holds none). */
function release(result: unknown) {
  if (result instanceof tfi.IntegralModel) result.dispose();
  else if (result instanceof tfl.LayersModel) disposeModel(result);
  else if (result instanceof tf.Tensor) result.dispose();
  else if (result != null && typeof result === 'object' && 'model' in result) (result as {model: tfi.IntegralModel}).model.dispose();
}

describeWithBackends('argument fuzz', () => {
  it('answers 600 seeded hostile arguments with a working call or an Error naming the function and the argument',
     () => withoutKernelLeakCheck(async () => {
       const model = sequentialCnn(false);
       const inn = await tfi.wrapModel(model);
       inn.compile({optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy'});
       const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 4);
       const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
       const disposed = tf.ones([4, 8, 8, 3]);
       disposed.dispose();
       const context = {inn, model, x, y, disposed};
       const random = mulberry32(7);
       tf.dispose(inn.predict(x));  // its layers keep their sampled weights from the first prediction on
       const before = tf.memory().numTensors;
       let worked = 0, refused = 0;
       for (let i = 0; i < 600; i++) {
         const target = TARGETS[Math.floor(random() * TARGETS.length)];
         const raw = VALUES[Math.floor(random() * VALUES.length)];
         const made: tf.Tensor[] = [];
         const value = materialize(raw, context, made);
         const what = `case ${i}: ${target.fn} with ${String(raw)}`;
         try {
           release(await target.call(value, context));
           worked++;
         } catch (e) {
           refused++;
           expect(e instanceof Error).withContext(what).toBe(true);
           const message = (e as Error).message;
           expect(message).withContext(what).toMatch(new RegExp(`^Error in ${target.fn.replace('.', '\\.')}`));
           expect(message).withContext(what).toMatch(target.arg);
         } finally {
           tf.dispose(made);
         }
         expect(tf.memory().numTensors).withContext(`${what}: tensors left`).toBe(before);
         if (tf.memory().numTensors !== before) break;
       }
       expect(worked).toBeGreaterThan(50);
       expect(refused).toBeGreaterThan(200);
       inn.model.optimizer.dispose();
       inn.dispose();
       disposeModel(model);
       tf.dispose([x, y]);
     }));
}, ['cpu']);
