/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refConv1d, refConv2d, refConv2dTranspose, refMatMul, RefOptions, RefTensor, refTransposedWeight, refWeight} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor, unevenPositions} from '../test_util';

/** The differentiable inputs of a case, as float64 arrays (positions included when the case has them). */
type Inputs = Record<string, RefTensor>;

interface GradCase {
  name: string;
  inputs: Inputs;
  /** The op's output from the reference (float64). */
  reference: (v: Inputs) => RefTensor;
  /** The op's output on the backend. */
  op: (v: Record<string, tf.Tensor>) => tf.Tensor;
}

const pos = (n: number, seed: number): RefTensor => ({values: Float64Array.from(unevenPositions(n, seed)), shape: [n]});
const refOpts = (o: RefOptions, v: Inputs): RefOptions => ({
  ...o,
  inPositions: v.inPositions && Array.from(v.inPositions.values),
  outPositions: v.outPositions && Array.from(v.outPositions.values),
});
const opOpts = (o: RefOptions, v: Record<string, tf.Tensor>): tfi.IntegralOptions => ({
  quadrature: o.quadrature, cubicA: o.cubicA, inContinuous: o.inContinuous, outContinuous: o.outContinuous,
  inSize: o.inSize, outSize: o.outSize,
  inPositions: v.inPositions as tf.Tensor1D, outPositions: v.outPositions as tf.Tensor1D,
});

function weightCase(name: string, shape: number[], o: RefOptions, positions: Inputs = {}): GradCase {
  return {
    name: `integralWeight: ${name}`,
    inputs: {controls: randomRef(shape, 11), ...positions},
    reference: v => refWeight(v.controls, refOpts(o, v)),
    op: v => tfi.integralWeight(v.controls, opOpts(o, v)),
  };
}

function matMulCase(name: string, batch: number, nIn: number, controls: [number, number], o: RefOptions,
                    positions: Inputs = {}): GradCase {
  return {
    name: `integralMatMul: ${name}`,
    inputs: {x: randomRef([batch, nIn], 12), controls: randomRef(controls, 13), ...positions},
    reference: v => refMatMul(v.x, refWeight(v.controls, {...refOpts(o, v), inSize: nIn})),
    op: v => tfi.integralMatMul(v.x as tf.Tensor2D, v.controls as tf.Tensor2D, opOpts(o, v)),
  };
}

function convCase(name: string, x: number[], controls: number[], conv: {strides: [number, number],
                  pad: 'same'|'valid'|number, dilations: [number, number]}, o: RefOptions, positions: Inputs = {}): GradCase {
  return {
    name: `integralConv2d: ${name}`,
    inputs: {x: randomRef(x, 14), controls: randomRef(controls, 15), ...positions},
    reference: v => refConv2d(v.x, refWeight(v.controls, {...refOpts(o, v), inSize: x[3]}), conv.strides, conv.pad,
                              conv.dilations),
    op: v => tfi.integralConv2d(v.x as tf.Tensor4D, v.controls as tf.Tensor4D, {...opOpts(o, v), ...conv}),
  };
}

function conv1dCase(name: string, x: number[], controls: number[], pad: 'causal'|'same', o: RefOptions): GradCase {
  return {
    name: `integralConv1d: ${name}`,
    inputs: {x: randomRef(x, 16), controls: randomRef(controls, 17)},
    reference: v => refConv1d(v.x, refWeight(v.controls, {...refOpts(o, v), inSize: x[2]}), 1, pad, 1),
    op: v => tfi.integralConv1d(v.x as tf.Tensor3D, v.controls as tf.Tensor3D, {...opOpts(o, v), pad}),
  };
}

function transposeCase(name: string, x: number[], controls: number[], strides: [number, number], o: RefOptions,
                       positions: Inputs = {}): GradCase {
  return {
    name: `integralConv2dTranspose: ${name}`,
    inputs: {x: randomRef(x, 18), controls: randomRef(controls, 19), ...positions},
    reference: v => refConv2dTranspose(v.x, refTransposedWeight(v.controls, {...refOpts(o, v), inSize: x[3]}),
                                       strides, 'same'),
    op: v => tfi.integralConv2dTranspose(v.x as tf.Tensor4D, v.controls as tf.Tensor4D,
                                         {...opOpts(o, v), strides, pad: 'same'}),
  };
}

const CASES: GradCase[] = [
  weightCase('n < C, simpson', [7, 6], {inSize: 5, outSize: 4, quadrature: 'simpson'}),
  weightCase('n > C, conv grid, cubicA -0.75', [2, 1, 4, 3], {inSize: 6, outSize: 5, cubicA: -0.75}),
  weightCase('positions', [6, 5], {}, {inPositions: pos(4, 1), outPositions: pos(7, 2)}),
  matMulCase('n < C', 3, 5, [7, 6], {outSize: 4}),
  matMulCase('n = C', 3, 5, [5, 4], {}),
  matMulCase('discrete input, n > C out', 2, 3, [3, 4], {inContinuous: false, outSize: 6}),
  matMulCase('positions', 3, 5, [7, 6], {}, {inPositions: pos(5, 3), outPositions: pos(4, 4)}),
  convCase('same, strides 2', [2, 5, 5, 3], [3, 3, 5, 4], {strides: [2, 2], pad: 'same', dilations: [1, 1]}, {outSize: 3}),
  convCase('valid, dilations 2', [1, 6, 6, 3], [2, 2, 4, 3], {strides: [1, 1], pad: 'valid', dilations: [2, 2]}, {outSize: 4}),
  convCase('explicit pad, n = C', [1, 4, 4, 3], [3, 3, 3, 2], {strides: [1, 1], pad: 1, dilations: [1, 1]}, {}),
  convCase('positions', [1, 4, 4, 4], [3, 3, 6, 5], {strides: [1, 1], pad: 'same', dilations: [1, 1]}, {},
           {inPositions: pos(4, 5), outPositions: pos(3, 6)}),
  conv1dCase('causal, n < C', [2, 6, 3], [3, 5, 4], 'causal', {outSize: 3}),
  transposeCase('strides 2, n < C', [1, 3, 3, 3], [3, 3, 4, 5], [2, 2], {outSize: 3}),
  transposeCase('positions', [1, 2, 3, 4], [2, 2, 3, 5], [1, 1], {}, {inPositions: pos(4, 7), outPositions: pos(4, 8)}),
];

/** `L = Σ y ⊙ R` for a fixed random `R`: every output element contributes to the gradient. */
const seedFor = (shape: number[]) => randomRef(shape, 99);

function refLoss(c: GradCase, v: Inputs): number {
  const y = c.reference(v);
  const r = seedFor(y.shape);
  return y.values.reduce((s, yi, i) => s + yi * r.values[i], 0);
}

/** Central finite differences of the float64 reference loss. */
function finiteDifferences(c: GradCase, name: string, h: number): Float64Array {
  const base = c.inputs[name];
  const g = new Float64Array(base.values.length);
  for (let i = 0; i < g.length; i++) {
    const at = (delta: number) => {
      const values = Float64Array.from(base.values);
      values[i] += delta;
      return refLoss(c, {...c.inputs, [name]: {values, shape: base.shape}});
    };
    g[i] = (at(h) - at(-h)) / (2 * h);
  }
  return g;
}

describeWithBackends('gradients', () => {
  for (const c of CASES) {
    it(`match finite differences of the reference: ${c.name}`, async () => {
      const names = Object.keys(c.inputs);
      const tensors = names.map(n => toTensor(c.inputs[n]));
      const outShape = c.reference(c.inputs).shape;
      const r = toTensor(seedFor(outShape));
      const grads = tf.grads((...args: tf.Tensor[]) => {
        const y = c.op(Object.fromEntries(names.map((n, i) => [n, args[i]])));
        return tf.sum(tf.mul(y, r));
      })(tensors);
      for (let i = 0; i < names.length; i++) {
        const h = names[i].endsWith('Positions') ? 1e-6 : 1e-3;
        expectClose(await readAndDispose(grads[i]), finiteDifferences(c, names[i], h), 2e-5);
      }
      tf.dispose([...tensors, r]);
    });
  }

  it('leave no tensors behind over repeated forward and backward passes', async () => {
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const c = tf.randomNormal([3, 3, 5, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const p = tf.tensor1d([0, 0.2, 0.7, 1]);
    const f = (a: tf.Tensor, b: tf.Tensor, q: tf.Tensor) => tf.sum(tfi.integralConv2d(
        a as tf.Tensor4D, b as tf.Tensor4D, {pad: 'same', outPositions: q as tf.Tensor1D}));
    const start = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const gs = tf.grads(f)([x, c, p]);
      await Promise.all(gs.map(readAndDispose));
      expect(tf.memory().numTensors).toBe(start);
    }
    tf.dispose([x, c, p]);
  });
});
