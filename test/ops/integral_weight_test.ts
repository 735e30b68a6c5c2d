/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refWeight, RefOptions} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor, unevenPositions} from '../test_util';

interface WeightCase {
  name: string;
  shape: number[];
  options: RefOptions;
}

const CASES: WeightCase[] = [
  {name: 'n < C on both axes', shape: [9, 7], options: {inSize: 5, outSize: 4}},
  {name: 'n = C reproduces the controls', shape: [6, 5], options: {}},
  {name: 'n > C', shape: [4, 5], options: {inSize: 11, outSize: 9}},
  {name: 'n = 1', shape: [5, 6], options: {inSize: 1, outSize: 1}},
  {name: 'n = 2', shape: [5, 6], options: {inSize: 2, outSize: 2}},
  {name: 'C = 1 and C = 2 grids', shape: [1, 2], options: {inSize: 3, outSize: 5}},
  {name: 'simpson, odd n', shape: [8, 6], options: {inSize: 7, outSize: 3, quadrature: 'simpson'}},
  {name: 'simpson, even n', shape: [8, 6], options: {inSize: 6, outSize: 3, quadrature: 'simpson'}},
  {name: 'simpson, n = 4', shape: [8, 6], options: {inSize: 4, quadrature: 'simpson'}},
  {name: 'riemann', shape: [8, 6], options: {inSize: 5, quadrature: 'riemann'}},
  {name: 'cubicA -0.75', shape: [7, 6], options: {inSize: 4, outSize: 9, cubicA: -0.75}},
  {name: 'discrete input axis', shape: [3, 8], options: {inContinuous: false, outSize: 5}},
  {name: 'discrete output axis', shape: [8, 3], options: {inSize: 5, outContinuous: false}},
  {name: 'both discrete', shape: [3, 4], options: {inContinuous: false, outContinuous: false}},
  {name: 'conv grid [3, 3, C_in, C_out]', shape: [3, 3, 6, 5], options: {inSize: 4, outSize: 7}},
  {name: 'rank 3 grid', shape: [2, 6, 5], options: {inSize: 9, outSize: 2}},
  {name: 'positions on both axes', shape: [7, 6], options: {inPositions: unevenPositions(5, 3), outPositions: unevenPositions(8, 4)}},
  {name: 'positions at n = 1', shape: [7, 6], options: {inPositions: [0.3], outPositions: [0.8]}},
];

/** Public options (with tensors for positions) for a reference case. */
export function toOptions(o: RefOptions): tfi.IntegralOptions {
  const {inPositions, outPositions, ...rest} = o;
  return {
    ...rest,
    inPositions: inPositions && tf.tensor1d(inPositions),
    outPositions: outPositions && tf.tensor1d(outPositions),
  };
}

describeWithBackends('integralWeight', () => {
  for (const c of CASES) {
    it(`matches the reference: ${c.name}`, async () => {
      const controls = randomRef(c.shape, c.shape.length * 31 + c.shape[0]);
      const expected = refWeight(controls, c.options);
      const options = toOptions(c.options);
      const input = toTensor(controls);
      const w = tfi.integralWeight(input, options);
      expect(w.shape).toEqual(expected.shape);
      expectClose(await readAndDispose(w), expected.values);
      tf.dispose([input, options.inPositions!, options.outPositions!].filter(t => t != null));
    });
  }

  it('reproduces the controls exactly (up to q) at n = C, also inside the kernel', async () => {
    const controls = randomRef([2, 5, 4], 7);
    const input = toTensor(controls);
    const q = tfi.uniformQuadrature('trapezoid', 5, 4);
    const viaKernel = tf.tidy(() => tf.engine().runKernel(tfi.IntegralWeight, {
      controls: input, inCoords: tf.tensor1d([0, 1, 2, 3, 4]), outCoords: tf.tensor1d([0, 1, 2, 3]),
      quadWeights: tf.tensor1d(Float32Array.from(q)),
    }, {cubicA: -0.75, inDerivative: false, outDerivative: false}) as tf.Tensor);
    const got = await readAndDispose(viaKernel);
    const expected = controls.values.map((v, j) => v * q[Math.floor(j / 4) % 5]);
    expect(Array.from(got)).toEqual(Array.from(Float32Array.from(expected)));
    input.dispose();
  });

  it('with a = -0.5 reproduces a quadratic between the border nodes (a = -0.75 does not)', async () => {
    const nodes = 8;
    const controls = tf.tensor2d(Array.from({length: nodes}, (_, k) => k * k), [1, nodes]);
    const inner = Array.from({length: 9}, (_, j) => (1 + j * 5 / 8) / (nodes - 1));  // t from 1 to 6
    const expected = inner.map(p => (p * (nodes - 1)) ** 2);
    const sample = (cubicA: number) => readAndDispose(tf.tidy(() => tfi.integralWeight(controls, {
      inContinuous: false, outPositions: tf.tensor1d(inner), cubicA})));
    expectClose(await sample(-0.5), expected, 1e-5);
    const off = await sample(-0.75);
    expect(Math.max(...expected.map((e, i) => Math.abs(off[i] - e)))).toBeGreaterThan(0.05);
    controls.dispose();
  });

  it('reproduces the worked example of inn-math §9 (m = 3 and m = 5)', async () => {
    // Consumer weight W = [0.5, 1, -1, 2] (one output) converted to controls [1, 1, -1, 4] with trapezoid.
    const controls = tf.tensor2d([1, 1, -1, 4], [4, 1]);
    for (const [size, a, expected] of [
      [3, -0.75, [0.75, -0.703125, 3.0]], [3, -0.5, [0.75, -0.46875, 3.0]],
      [5, -0.75, [0.375, 0.908203125, -0.3515625, -0.05859375, 1.5]],
      [5, -0.5, [0.375, 0.85546875, -0.234375, -0.09375, 1.5]],
    ] as Array<[number, number, number[]]>) {
      expectClose(await readAndDispose(tfi.integralWeight(controls, {inSize: size, cubicA: a})), expected, 1e-6);
    }
    controls.dispose();
  });
});
