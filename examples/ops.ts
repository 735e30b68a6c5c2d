/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// A weight function, sampled at several widths: `npm run example`.
// A discrete 64→32 dense weight W becomes a control grid (exact conversion), the grid is sampled at fewer or more
// input channels, and the layer's output on a smooth input signal stays close to the full-width one: the width
// of an integral layer is a deployment choice. Runs on the wasm backend (SIMD) in Node.
import '@tensorflow/tfjs-backend-wasm';

import * as tf from '@tensorflow/tfjs';

import * as tfi from '../src/index';

async function main() {
  await tf.setBackend('wasm');
  const nIn = 64, nOut = 32;
  // A weight that varies smoothly along the input-channel axis, and an input signal that does too.
  const u = tf.linspace(0, 1, nIn).reshape([nIn, 1]);
  const v = tf.linspace(0, 1, nOut).reshape([1, nOut]);
  const weight = tf.mul(tf.sin(tf.mul(u, 6)), tf.cos(tf.mul(v, 3)));
  // Exact conversion (api.md §1): controls = W / q at the original width (trapezoid: 2W at the two ends).
  const q = tf.tensor1d(Float32Array.from(tfi.uniformQuadrature('trapezoid', nIn, nIn - 1)));
  const controls = tf.div(weight, q.reshape([nIn, 1])) as tf.Tensor2D;
  const signal = (n: number) => tf.exp(tf.neg(tf.square(tf.linspace(-2, 2, n)))).reshape([1, n]) as tf.Tensor2D;

  const full = tfi.integralMatMul(signal(nIn), controls);
  const stock = tf.matMul(signal(nIn), weight);
  console.log(`backend ${tf.getBackend()}: at the original width, integralMatMul equals tf.matMul ` +
              `(max |diff| ${tf.max(tf.abs(tf.sub(full, stock))).dataSync()[0].toExponential(1)})`);
  console.log('input channels  parameters  max |y - y_full| / max |y_full|');
  for (const n of [8, 16, 32, 48, 64, 96]) {
    const y = tfi.integralMatMul(signal(n), controls);
    const rel = tf.div(tf.max(tf.abs(tf.sub(y, full))), tf.max(tf.abs(full))).dataSync()[0];
    console.log(`${String(n).padStart(14)}  ${String(n * nOut).padStart(10)}  ${rel.toExponential(2)}`);
  }
  const grad = tf.grad((c: tf.Tensor) => tf.sum(tfi.integralMatMul(signal(24), c as tf.Tensor2D)))(controls);
  console.log(`gradient with respect to the ${controls.shape.join('x')} controls at width 24: ` +
              `norm ${tf.norm(grad).dataSync()[0].toFixed(3)}`);
}

main();
